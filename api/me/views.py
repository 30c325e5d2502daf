"""`GET /api/v1/me`: who the token belongs to, with its role and organisation."""

from __future__ import annotations

from marshmallow import fields

from api.auth import authenticate, current_actor
from api.base import Blueprint, Schema
from api.runtime import runtime
from workflow.usecases import directory

blp = Blueprint("me", __name__, url_prefix="/api/v1/me",
                description="The caller: name, role and organisation.")
blp.before_request(authenticate)


class OrganizationRef(Schema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String(metadata={"description": "`committee` or `branch`"})


class MeOut(Schema):
    id = fields.Integer()
    name = fields.String()
    role = fields.String(metadata={"description": "branch, committee, auditor or admin"})
    organization = fields.Nested(OrganizationRef, allow_none=True, metadata={
        "description": "null for an administrator of the whole tree"})


@blp.route("", methods=["GET"])
@blp.response(200, MeOut)
def get_me():
    """The caller: id, name, role and organisation (what a token can act on)."""
    found = directory.me(uow=runtime().uow, actor=current_actor())
    org = found.organization
    return {
        "id": found.actor.id,
        "name": found.actor.name,
        "role": str(found.actor.role),
        "organization": {"id": org.id, "name": org.name, "kind": org.kind} if org else None,
    }
