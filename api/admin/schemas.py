"""Schemas of the administration resources."""

from __future__ import annotations

from marshmallow import fields, validate

from api.base import Day, Id, Schema, Text
from workflow.domain.roles import Role


class OrganizationCreate(Schema):
    name = Text(required=True, max_length=200)
    kind = fields.String(required=True, validate=validate.OneOf(["committee", "branch"]))
    parent_id = Id(allow_none=True, load_default=None)


class OrganizationOut(Schema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String()
    parent_id = fields.Integer(allow_none=True)


class UserCreate(Schema):
    name = Text(required=True, max_length=200)
    role = fields.String(required=True, validate=validate.OneOf([r.value for r in Role]))
    organization_id = Id(required=True)


class UserCreated(Schema):
    id = fields.Integer()
    name = fields.String()
    role = fields.String()
    organization_id = fields.Integer()
    token = fields.String(metadata={"description": "shown this once; only its hash is kept"})


class MemberCreate(Schema):
    name = Text(required=True, max_length=100)
    branch_id = Id(required=True)
    status = fields.String(required=True, validate=validate.OneOf(["full", "probationary"]))
    joined_on = Day(required=True)


class MemberOut(Schema):
    id = fields.Integer()
    name = fields.String()
    branch_id = fields.Integer()
    status = fields.String()
    joined_on = fields.Date()


class UserOut(Schema):
    id = fields.Integer()
    name = fields.String()
    role = fields.String()
    organization_id = fields.Integer(allow_none=True)
    active = fields.Boolean(metadata={"description": "false: deactivated, its token refused"})
    token_expires_at = fields.DateTime(allow_none=True, metadata={
        "description": "when the token stops working; null: until replaced"})
    created_at = fields.DateTime()


class UserList(Schema):
    items = fields.List(fields.Nested(UserOut))
    total = fields.Integer()


class TokenRequest(Schema):
    expires_on = Day(allow_none=True, load_default=None, metadata={
        "description": "the last day the new token works (the service's timezone); "
                       "null or absent: until replaced"})


class TokenIssued(UserOut):
    token = fields.String(metadata={"description": "shown this once; only its hash is kept"})
