"""发展名册 `/dossiers`: a tab per state with its count, the dossiers of the tab with the dates
that matter and what comes next, search, paging, and a batch action over selected rows."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from flask import abort, g, render_template, request

from api.runtime import runtime
from api.web import forms
from api.web.blueprint import bp, partial_refusal
from api.web.feedback import refusal
from api.web.views.dossier import PER_PAGE, trigger_label
from workflow.domain.errors import DomainError
from workflow.domain.procedure import Procedure
from workflow.domain.rulebook import Rulebook
from workflow.usecases import roster, services

# The dates a dossier's list row shows, as the dossier names them, in the order they happen.
DATES = {
    "applied_on": "申请", "activist_on": "确定积极分子", "candidate_on": "确定发展对象",
    "publicity_started_on": "公示开始", "voted_on": "支部大会", "admitted_on": "接收预备党员",
    "conversion_voted_on": "转正大会", "membership_on": "转正",
}
# A deadline within this many days is marked as near.
NEAR_DAYS = 30
BATCH_MAX = 100


@dataclass
class RowView:
    row: roster.Row
    dates: list[tuple[str, Any]]
    deadlines: list[dict[str, Any]]
    people: list[tuple[str, str]]
    next_label: str
    next_date: Any
    next_allowed: bool
    reasons: list[Any]


def _people(row: roster.Row) -> list[tuple[str, str]]:
    """Those the dossier's records name from the registry (contacts, sponsors)."""
    procedure = runtime().env.procedure
    d = row.view.dossier
    found = []
    for r in d.records:
        kind = procedure.record_type(r.type)
        for p in kind.params if kind else ():
            if p.kind == "member" and r.data.get(p.name) in d.members:
                found.append((kind.label_zh, d.members[r.data[p.name]].name))
    return found


@lru_cache(maxsize=32)
def _rule_summaries(procedure: Procedure, rulebook: Rulebook) -> dict[str, str]:
    """Each rule's Chinese statement with the rulebook's numbers: a deadline's tooltip."""
    return {rule_id: rule.describe(rulebook)["summary_zh"]
            for rule_id, rule in procedure.rules().items()}


def row_view(row: roster.Row) -> RowView:
    d, today = row.view.dossier, row.view.today
    summaries = _rule_summaries(runtime().env.procedure, row.view.rulebook)
    dates = [(label, getattr(d, name)) for name, label in DATES.items() if getattr(d, name)]
    deadlines = []
    for deadline in row.deadlines:
        days = (deadline.due - today).days
        mark = "late" if days < 0 else ("soon" if days <= NEAR_DAYS else "")
        tip = summaries.get(deadline.rule, deadline.title_zh)
        deadlines.append({"title": deadline.title_zh, "due": deadline.due, "days": days,
                          "mark": mark, "tip": tip})
    step = row.view.steps[0] if row.view.steps else None
    if step is None:
        return RowView(row, dates[-2:], deadlines, _people(row), "—", None, False, [])
    dated = [f.earliest_date for f in step.failures]
    earliest = today if step.allowed else (
        max(dated) if dated and all(dated) else None)
    return RowView(row, dates[-2:], deadlines, _people(row), trigger_label(step.transition),
                   earliest, step.allowed, list(step.failures))


def _query() -> tuple[str | None, str | None, int]:
    procedure = runtime().env.procedure
    state = request.values.get("state") or None
    if state is not None and state not in {s.name for s in procedure.states}:
        abort(404)
    q = (request.values.get("q") or "").strip()[:100] or None
    page = request.values.get("page", 1, type=int) or 1
    return state, q, max(1, min(page, 1_000_000))


def _batch_triggers(state: str | None, role: str):
    """The triggers a batch may fire on a tab: those from its state the user's role fires."""
    if state is None:
        return []
    return [t for t in runtime().env.procedure.transitions_from(state) if role in t.roles]


@bp.route("/dossiers")
def dossiers():
    rt, actor = runtime(), g.actor
    state, q, page = _query()
    counts = roster.counts(uow=rt.uow, env=rt.env, actor=actor)
    rows, total = roster.page(uow=rt.uow, env=rt.env, actor=actor, state=state, q=q,
                              page=page, per_page=PER_PAGE)
    here = {k: v for k, v in {"state": state, "q": q, "page": page}.items() if v}
    pages = max(1, -(-total // PER_PAGE))
    return render_template(
        "web/dossiers.html", counts=counts, states=rt.env.procedure.states, state=state,
        q=q or "", page=page, pages=pages, total=total, rows=[row_view(r) for r in rows],
        origin=urlencode(here), batch=_batch_triggers(state, actor.role),
        today=rt.env.today(), near=NEAR_DAYS,
        page_link=lambda p: "?" + urlencode({**here, "page": p}))


@bp.route("/dossiers/batch/fields")
def batch_fields():
    """The declared fields of the trigger chosen for a batch (htmx swaps them in)."""
    rt = runtime()
    state = request.args.get("state", "")
    chosen = next((t for t in _batch_triggers(state, g.actor.role)
                   if t.trigger == request.args.get("trigger")), None)
    fields = []
    if chosen is not None:
        fields = forms.fields_for(chosen.params, date_name="effective_date",
                                  today=rt.env.today(), dossier=None, registry=None)
    return render_template("web/_batch_fields.html", fields=fields,
                           today_iso=rt.env.today().isoformat())


@bp.route("/dossiers/batch", methods=["POST"])
def batch():
    """One trigger, one effective date, for each selected dossier in its own transaction
    (and audit entry); the answer says per dossier: applied, or why not."""
    rt, actor = runtime(), g.actor
    state = request.form.get("state", "")
    chosen = next((t for t in _batch_triggers(state, actor.role)
                   if t.trigger == request.form.get("trigger")), None)
    ids = [int(i) for i in request.form.getlist("ids") if i.isdigit() and len(i) < 10]
    if chosen is None or not ids:
        message = "请选择要办理的事项。" if chosen is None else "请先勾选档案。"
        return partial_refusal(render_template("web/_batch_result.html", error=message), 422)
    if len(ids) > BATCH_MAX:
        return partial_refusal(render_template(
            "web/_batch_result.html", error=f"一次最多办理{BATCH_MAX}份档案。"), 422)
    on, values, errors = forms.parse(chosen.params, request.form, date_name="effective_date")
    labels = forms.labels(chosen.params, date_name="effective_date")
    if errors:
        return partial_refusal(render_template(
            "web/_batch_result.html", error="请检查填写的内容。", fields=errors,
            labels=labels), 422)
    results = []
    for dossier_id in dict.fromkeys(ids):
        try:
            view = services.fire(uow=rt.uow, env=rt.env, actor=actor, dossier_id=dossier_id,
                                 trigger=chosen.trigger, on=on, payload=values,
                                 request_id=g.get("request_id"))
            results.append({"id": dossier_id, "name": view.stored.profile["name"],
                            "refusal": None, "state": view.state.label_zh})
        except DomainError as error:
            results.append({"id": dossier_id, "name": _name(dossier_id),
                            "refusal": refusal(error), "state": None})
    return render_template("web/_batch_result.html", results=results, labels=labels,
                           title=trigger_label(chosen), on=on)


def _name(dossier_id: int) -> str:
    try:
        rt = runtime()
        return services.get_dossier(uow=rt.uow, env=rt.env, actor=g.actor,
                                    dossier_id=dossier_id).stored.profile["name"]
    except DomainError:
        return f"#{dossier_id}"

