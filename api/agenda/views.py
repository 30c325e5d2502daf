"""`/api/v1/agenda`: the open obligations (deadlines) of the dossiers in the caller's scope."""

from __future__ import annotations

from marshmallow import fields, validate

from api.auth import authenticate, current_actor
from api.base import MAX_ID, Blueprint, Schema, answer
from api.runtime import runtime
from workflow.usecases import agenda as agenda_service
from workflow.usecases.agenda import AgendaItem

blp = Blueprint("agenda", __name__, url_prefix="/api/v1/agenda",
                description="Deadlines of the procedure: what is due, and what is overdue.")
blp.before_request(authenticate)

# Ten years: enough for any obligation the rulebook knows, and a bound for the query.
MAX_HORIZON_DAYS = 3660


class AgendaQuery(Schema):
    # Not `Id`: a query string carries "3", which a strict integer field refuses.
    organization_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID),
                                     metadata={"description": "a branch or committee in scope"})
    horizon = fields.Integer(
        validate=validate.Range(min=0, max=MAX_HORIZON_DAYS),
        metadata={"description": "only items due within this many days (overdue ones always)"},
    )


class AgendaItemOut(Schema):
    dossier_id = fields.Integer()
    name = fields.String()
    branch_id = fields.Integer()
    branch_name = fields.String()
    state = fields.String()
    rule = fields.String(metadata={"description": "the rule id the deadline belongs to"})
    title = fields.String()
    title_zh = fields.String()
    due = fields.Date()
    days_left = fields.Integer(metadata={"description": "calendar days; negative when overdue"})
    overdue = fields.Boolean()


class AgendaOut(Schema):
    today = fields.Date()
    items = fields.List(fields.Nested(AgendaItemOut))
    total = fields.Integer()


def item_out(item: AgendaItem) -> dict:
    return {
        "dossier_id": item.dossier_id, "name": item.name, "branch_id": item.branch_id,
        "branch_name": item.branch_name, "state": item.state, "rule": item.rule,
        "title": item.title_en, "title_zh": item.title_zh, "due": item.due,
        "days_left": item.days_left, "overdue": item.overdue,
    }


@blp.route("", methods=["GET"])
@blp.arguments(AgendaQuery, location="query")
@blp.response(200, AgendaOut)
def get_agenda(query):
    """Every open obligation in scope, sorted by due date (branch, committee, auditor)."""
    rt = runtime()
    today = rt.env.today()
    items = agenda_service.agenda(uow=rt.uow, env=rt.env, actor=current_actor(),
                                  organization_id=query.get("organization_id"),
                                  horizon_days=query.get("horizon"), today=today)
    # Not dumped again through AgendaOut, which documents it (a test holds the two together):
    # a committee's agenda has a thousand items, and dumping them cost a quarter of the
    # answer's time.
    return answer({"today": today, "items": [item_out(i) for i in items], "total": len(items)})
