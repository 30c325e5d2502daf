"""统计: the overview (workflow.usecases.stats, the API's query) as ECharts charts with the
numbers beside them, and the same figures as an xlsx download."""

from __future__ import annotations

from flask import Response, g, render_template, request
from marshmallow import ValidationError

from api.runtime import runtime
from api.stats.views import StatsQuery
from api.web.blueprint import bp
from workflow.domain.errors import Invalid
from workflow.usecases import directory, stats_workbook
from workflow.usecases.stats import Overview, overview

_query = StatsQuery()


def _overview() -> tuple[Overview, dict, str | None]:
    """The overview asked for; a filter that is not valid is named and left out."""
    rt = runtime()
    args = {k: v for k, v in request.args.items()
            if v != "" and k in ("organization_id", "from", "to")}
    try:
        query = _query.load(args)
        return overview(uow=rt.uow, env=rt.env, actor=g.actor, **query), query, None
    except (ValidationError, Invalid):
        return overview(uow=rt.uow, env=rt.env, actor=g.actor), {}, "筛选条件无效，已显示默认范围。"


def _charts(view: Overview) -> dict:
    """What the charts draw, as plain data (api/static/web/stats.js draws it)."""
    procedure = runtime().env.procedure
    used = [s for s in procedure.states if any(b.states.get(s.name) for b in view.branches)]
    a, p = view.admitted, view.publicity
    return {
        "branches": [b.branch_name for b in view.branches],
        "states": [{"name": s.label_zh,
                    "data": [b.states.get(s.name, 0) for b in view.branches]} for s in used],
        "publicity": [[label, getattr(p, key)]
                      for key, label in stats_workbook.PUBLICITY.items()],
        "structure": [[label, getattr(a, key)] for key, label in stats_workbook.STRUCTURE.items()],
        "education": [[stats_workbook.education_label(k), v] for k, v in a.by_education.items()],
        "admitted": a.total,
    }


@bp.route("/stats")
def stats():
    rt = runtime()
    view, query, error = _overview()
    totals: dict[str, int] = {}
    for b in view.branches:
        for state, count in b.states.items():
            totals[state] = totals.get(state, 0) + count
    return render_template(
        "web/stats/stats.html", view=view, error=error, charts=_charts(view), totals=totals,
        states=rt.env.procedure.states, organization_id=query.get("organization_id"),
        branches=directory.branches(uow=rt.uow, actor=g.actor), share=stats_workbook.share,
        structure=stats_workbook.STRUCTURE, publicity=stats_workbook.PUBLICITY,
        education_label=stats_workbook.education_label)


@bp.route("/stats.xlsx")
def stats_xlsx():
    view, _query_used, _error = _overview()
    body = stats_workbook.workbook(view, runtime().env.procedure)
    name = f"stats-{view.admitted.start:%Y%m%d}-{view.admitted.end:%Y%m%d}.xlsx"
    return Response(body, mimetype=stats_workbook.MEDIA_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
