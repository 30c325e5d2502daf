"""`GET /api/v1/organizations[/<id>]`: the organisations of the caller's scope in tree order;
`PATCH /api/v1/organizations/<id>`: a committee's objection contact for its publicities."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from api.auth import authenticate, current_actor
from api.base import Blueprint, Schema, Text
from api.runtime import runtime
from workflow.store.organizations import CONTACT_FIELDS, ObjectionContact
from workflow.usecases import directory, publicity

blp = Blueprint("organizations", __name__, url_prefix="/api/v1/organizations",
                description="The organisations of your scope; a committee's contact for "
                            "objections to its publicities.")
blp.before_request(authenticate)


class ContactUpdate(Schema):
    # null clears a field; a field left out is left as it is.
    objection_phone = fields.String(allow_none=True, validate=validate.Regexp(
        r"^[0-9+()\- ]{3,40}$", error="3 to 40 digits, spaces, +, ( ) and dashes."))
    objection_email = fields.Email(allow_none=True, validate=validate.Length(max=200))
    objection_address = Text(max_length=400, allow_none=True)

    @validates_schema
    def _not_empty(self, data, **_kwargs) -> None:
        # An update of nothing is a client's mistake (and would be an empty SQL UPDATE).
        if not data:
            raise ValidationError("Name at least one field to change.", "_schema")


class OrganizationContactOut(Schema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String()
    parent_id = fields.Integer(allow_none=True)
    objection_phone = fields.String(allow_none=True)
    objection_email = fields.String(allow_none=True)
    objection_address = fields.String(allow_none=True)


class OrganizationNodeOut(OrganizationContactOut):
    level = fields.Integer(metadata={
        "description": "depth below your own organisation (0: it; an administrator of the "
                       "whole tree sees its top committees at 1)"})


class OrganizationList(Schema):
    items = fields.List(fields.Nested(OrganizationNodeOut), metadata={
        "description": "tree order: each organisation before those under it"})


def contact_out(c: ObjectionContact) -> dict:
    return {"id": c.id, "name": c.name, "kind": c.kind, "parent_id": c.parent_id,
            **{f: getattr(c, f) for f in CONTACT_FIELDS}}


def node_out(node: directory.OrganizationNode) -> dict:
    return {**contact_out(node.contact), "level": node.level}


@blp.route("", methods=["GET"])
@blp.response(200, OrganizationList)
def list_organizations():
    """The organisations of your scope, in tree order, with `parent_id` and `kind`."""
    nodes = directory.organizations(uow=runtime().uow, actor=current_actor())
    return {"items": [node_out(n) for n in nodes]}


@blp.route("/<int(max=2147483647):organization_id>", methods=["GET"])
@blp.response(200, OrganizationNodeOut)
def get_organization(organization_id: int):
    """One organisation of your scope (404 outside it)."""
    node = directory.organization(uow=runtime().uow, actor=current_actor(),
                                  organization_id=organization_id)
    return node_out(node)


@blp.route("/<int(max=2147483647):organization_id>", methods=["PATCH"])
@blp.arguments(ContactUpdate)
@blp.response(200, OrganizationContactOut)
def update_contact(data, organization_id: int):
    """Admin: set the phone, email and address where the public raises objections."""
    rt = runtime()
    updated = publicity.set_objection_contact(uow=rt.uow, actor=current_actor(),
                                              organization_id=organization_id, values=data)
    return contact_out(updated)
