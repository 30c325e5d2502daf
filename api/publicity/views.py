"""`/api/v1/publicity`: the public feed of publicity periods. No token, minimal fields."""

from __future__ import annotations

from marshmallow import fields, validate

from api.base import MAX_ID, Blueprint, Schema
from api.runtime import runtime
from workflow.usecases import publicity, services

blp = Blueprint("publicity", __name__, url_prefix="/api/v1/publicity",
                description="Publicity periods in progress (public).")


class NoticeOut(Schema):
    # Only what PROCEDURE.md allows the public to see: no ID number, address or record, and
    # no internal id but the committee's, which the filter takes.
    name = fields.String()
    gender = fields.String()
    birth_month = fields.String(metadata={"description": "YYYY-MM"})
    branch_name = fields.String()
    committee_id = fields.Integer(metadata={"description": "for `?committee_id=`"})
    kind = fields.String(metadata={"description": "admission or conversion"})
    first_day = fields.Date()
    last_day = fields.Date()
    elapsed = fields.Boolean()
    working_days_left = fields.Integer()
    calendar_warning = fields.String(allow_none=True)


class NoticeList(Schema):
    items = fields.List(fields.Nested(NoticeOut))
    total = fields.Integer()


class NoticeQuery(Schema):
    committee_id = fields.Integer(
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={"description": "only the publicities of this committee's branches"},
    )


@blp.route("", methods=["GET"])
@blp.refuses(404)
@blp.arguments(NoticeQuery, location="query")
@blp.response(200, NoticeList)
def list_notices(query):
    """Every dossier now in `publicity` or `conversion_publicity` (404: no such committee)."""
    rt = runtime()
    committee_id = query.get("committee_id")
    if committee_id is not None:
        publicity.public_committee(uow=rt.uow, committee_id=committee_id)
    notices = services.publicity_notices(uow=rt.uow, env=rt.env, committee_id=committee_id)
    items = [
        {
            "name": n.name, "gender": n.gender, "birth_month": n.birth_month,
            "branch_name": n.branch_name, "committee_id": n.committee_id,
            "kind": n.kind, "first_day": n.span.first_day,
            "last_day": n.span.last_day, "elapsed": n.elapsed,
            "working_days_left": n.working_days_left, "calendar_warning": n.span.warning,
        }
        for n in notices
    ]
    return {"items": items, "total": len(items)}
