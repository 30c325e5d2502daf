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
