"""`/api/v1/stats`: the branch and committee overview (the figures committees report on)."""

from __future__ import annotations

from marshmallow import fields, validate

from api.auth import authenticate, current_actor
from api.base import MAX_ID, Blueprint, Day, Schema
from api.runtime import runtime
from workflow.usecases import stats

blp = Blueprint("stats", __name__, url_prefix="/api/v1/stats",
                description="Counts per state and branch, publicity status, who was admitted.")
blp.before_request(authenticate)


class StatsQuery(Schema):
    organization_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID),
                                     metadata={"description": "a branch or committee in scope"})
    start = Day(data_key="from", metadata={"description": "admitted from (default 1 January)"})
    end = Day(data_key="to", metadata={"description": "admitted until (default today)"})


class Share(Schema):
    count = fields.Integer()
    share = fields.Float(allow_none=True, metadata={"description": "of those admitted"})


class BranchOut(Schema):
    branch_id = fields.Integer()
    branch_name = fields.String()
    states = fields.Dict(keys=fields.String(), values=fields.Integer())
    total = fields.Integer()


class PublicityStatusOut(Schema):
    in_progress = fields.Integer()
    elapsed = fields.Integer(metadata={"description": "period over, not yet closed"})
    objections = fields.Dict(keys=fields.String(), values=fields.Integer())


class AdmittedOut(Schema):
    # Schema attributes cannot be called "from"; data_key gives the JSON its name.
    start = fields.Date(data_key="from")
    end = fields.Date(data_key="to")
    total = fields.Integer()
    under_35 = fields.Nested(Share)
    women = fields.Nested(Share)
    ethnic_minorities = fields.Nested(Share)
    ethnicity_unknown = fields.Nested(Share)
    frontline = fields.Nested(Share)
    by_education = fields.Dict(keys=fields.String(), values=fields.Nested(Share))


class StatsOut(Schema):
    today = fields.Date()
    states = fields.Dict(keys=fields.String(), values=fields.Integer())
    branches = fields.List(fields.Nested(BranchOut))
    publicity = fields.Nested(PublicityStatusOut)
    admitted = fields.Nested(AdmittedOut)


def _share(count: int, total: int) -> dict:
    return {"count": count, "share": round(count / total, 4) if total else None}


@blp.route("", methods=["GET"])
@blp.arguments(StatsQuery, location="query")
@blp.response(200, StatsOut)
def get_stats(query):
    """Counts per state per branch, publicity and objections, and who was admitted."""
    rt = runtime()
    view = stats.overview(uow=rt.uow, env=rt.env, actor=current_actor(), **query)
    a = view.admitted
    totals: dict[str, int] = {}
    for branch in view.branches:
        for state, count in branch.states.items():
            totals[state] = totals.get(state, 0) + count
    p = view.publicity
    return {
        "today": view.today,
        "states": totals,
        "branches": [{"branch_id": b.branch_id, "branch_name": b.branch_name,
                      "states": b.states, "total": b.total} for b in view.branches],
        "publicity": {
            "in_progress": p.in_progress, "elapsed": p.elapsed,
            "objections": {"raised": p.objections_raised, "pending": p.objections_pending,
                           "upheld": p.objections_upheld, "dismissed": p.objections_dismissed},
        },
        "admitted": {
            "start": a.start, "end": a.end, "total": a.total,
            **{k: _share(getattr(a, k), a.total) for k in (
                "under_35", "women", "ethnic_minorities", "ethnicity_unknown", "frontline")},
            "by_education": {k: _share(v, a.total) for k, v in a.by_education.items()},
        },
    }
