"""`/publicity`: the public notice board of publicities in progress, and its print view.

Server-rendered HTML for the public (no login). The templates receive display values made
here from the board, and only the fields PROCEDURE.md allows the public to see.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request

from api.runtime import runtime
from api.zh import GENDER, chinese_date, chinese_month
from workflow.domain.errors import NotFound
from workflow.store.organizations import ObjectionContact
from workflow.usecases import publicity
from workflow.usecases.services import Notice

blp = Blueprint("pages", __name__)

KIND = {"admission": "接收预备党员公示", "conversion": "转正公示"}


def notice_view(n: Notice) -> dict[str, Any]:
    """The public fields of a notice, ready to show."""
    return {
        "name": n.name,
        "gender": GENDER.get(n.gender, n.gender),
        "birth_month": chinese_month(n.birth_month),
        "branch": n.branch_name,
        "kind": n.kind,
        "kind_label": KIND[n.kind],
        "first_day": chinese_date(n.span.first_day),
        "last_day": chinese_date(n.span.last_day),
        "first_iso": n.span.first_day.isoformat(),
        "last_iso": n.span.last_day.isoformat(),
        "elapsed": n.elapsed,
        "working_days_left": n.working_days_left,
    }


def _committee_filter() -> int | None:
    # A malformed filter shows every committee rather than an error page.
    return request.args.get("committee", type=int)


def channels(committee: ObjectionContact) -> str:
    """How the public can reach the committee, as the notice says it: only the ways that
    exist (a notice offering 来电 with no telephone number sends people nowhere)."""
    ways = []
    if committee.objection_phone:
        ways.append("来电")
    if committee.objection_address:
        ways.append("来信、来访")
    if committee.objection_email:
        ways.append("电子邮件")
    return "、".join(ways)


def _render(template: str, selected: int | None):
    rt = runtime()
    try:
        board = publicity.board(uow=rt.uow, env=rt.env, committee_id=selected)
    except NotFound:
        return render_template("publicity/not_found.html", selected=selected), 404
    groups = [
        {
            "committee": g.committee,
            "channels": channels(g.committee),
            "notices": [notice_view(n) for n in g.notices],
            "admission": [notice_view(n) for n in g.of_kind("admission")],
            "conversion": [notice_view(n) for n in g.of_kind("conversion")],
        }
        for g in board.groups
    ]
    return render_template(template, groups=groups, committees=board.committees,
                           selected=selected, today=chinese_date(board.today),
                           today_iso=board.today.isoformat(), warnings=board.warnings)


@blp.route("/publicity", methods=["GET"])
def board_page():
    """The notice board: every publicity in progress, by committee."""
    return _render("publicity/board.html", _committee_filter())


@blp.route("/publicity/print", methods=["GET"])
def print_page():
    """The notices to post on a bulletin board: A4, one notice per committee and kind."""
    return _render("publicity/print.html", _committee_filter())
