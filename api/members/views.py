"""`GET /api/v1/members`: the member registry of the caller's scope (contacts and sponsors
are named by a member's id; this is where a secretary looks it up)."""

from __future__ import annotations

from dataclasses import asdict

from marshmallow import fields, validate

from api.auth import authenticate, current_actor
from api.base import MAX_ID, Blueprint, Schema, Text
from api.runtime import runtime
from workflow.usecases import directory

blp = Blueprint("members", __name__, url_prefix="/api/v1/members",
                description="The member registry of your scope.")
blp.before_request(authenticate)

STATUSES = ["full", "probationary", "former"]


class MemberListQuery(Schema):
    branch_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))
    status = fields.String(validate=validate.OneOf(STATUSES))
    q = Text(max_length=100, metadata={"description": "part of the name"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class MemberItem(Schema):
    id = fields.Integer()
    name = fields.String()
    branch_id = fields.Integer()
    branch_name = fields.String()
    status = fields.String(metadata={"description": "full (正式党员), probationary (预备党员) "
                                                    "or former"})
    joined_on = fields.Date()
    full_on = fields.Date(allow_none=True)
    dossier_id = fields.Integer(allow_none=True, metadata={
        "description": "the dossier that admitted the member, if it was this service's"})


class MemberPage(Schema):
    items = fields.List(fields.Nested(MemberItem))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


@blp.route("", methods=["GET"])
@blp.arguments(MemberListQuery, location="query")
@blp.response(200, MemberPage)
def list_members(query):
    """Members of the registry in your scope, by id; filter by branch, status, name."""
    items, total = directory.members(uow=runtime().uow, actor=current_actor(), **query)
    return {"items": [asdict(item) for item in items], "total": total,
            "page": query["page"], "per_page": query["per_page"]}
