"""议程: the agenda of the user's scope with a horizon and a branch filter (the API's query,
api/agenda), and the calendar subscription issued (its URL shown once) and revoked."""

from __future__ import annotations

from flask import g, render_template, request, url_for
from marshmallow import ValidationError

from api.agenda.views import AgendaQuery
from api.runtime import runtime
from api.web.blueprint import bp
from workflow.domain.errors import Invalid
from workflow.usecases import agenda as agenda_service
from workflow.usecases import directory, feeds

HORIZONS = ((7, "7天内"), (30, "30天内"), (90, "90天内"), (365, "一年内"))
DEFAULT_HORIZON = 30
_query = AgendaQuery()


def _page(*, feed_url: str | None = None, feed_revoked: bool = False, status: int = 200):
    rt, actor = runtime(), g.actor
    args = {k: v for k, v in request.args.items() if k in _query.fields and v != ""}
    args.setdefault("horizon", str(DEFAULT_HORIZON))
    if args["horizon"] == "all":
        del args["horizon"]
    error = None
    try:
        query = _query.load(args)
    except ValidationError:
        error = "筛选条件无效，已显示默认范围。"
        query = {"horizon": DEFAULT_HORIZON}

    def due(organization_id: int | None):
        return agenda_service.agenda(uow=rt.uow, env=rt.env, actor=actor,
                                     organization_id=organization_id,
                                     horizon_days=query.get("horizon"))

    try:
        items = due(query.get("organization_id"))
    except Invalid:  # an organisation outside the scope
        error = "筛选条件无效，已显示默认范围。"
        query.pop("organization_id")
        items = due(None)
    return render_template(
        "web/agenda/agenda.html", items=items, today=rt.env.today(), error=error,
        horizons=HORIZONS, horizon=query.get("horizon"),
        branches=directory.branches(uow=rt.uow, actor=actor),
        organization_id=query.get("organization_id"), feed_url=feed_url,
        feed_revoked=feed_revoked), status


@bp.route("/agenda")
def agenda():
    return _page()


def _feed(**shown):
    if request.headers.get("HX-Request"):
        return render_template("web/agenda/_feed.html", **shown)
    return _page(**shown)


@bp.route("/agenda/feed", methods=["POST"])
def agenda_feed():
    """A new secret calendar URL, shown this once; any previous one stops working."""
    rt = runtime()
    secret = feeds.issue_feed(uow=rt.uow, env=rt.env, actor=g.actor)
    return _feed(feed_url=url_for("calendar.feed", secret=secret, _external=True))


@bp.route("/agenda/feed/revoke", methods=["POST"])
def agenda_feed_revoke():
    rt = runtime()
    feeds.revoke_feed(uow=rt.uow, actor=g.actor)
    return _feed(feed_revoked=True)
