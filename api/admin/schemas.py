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
    login = Text(load_default=None, max_length=100, metadata={
        "description": "sign-in name for the web interface (with `password`)"})
    password = fields.String(load_default=None, load_only=True, validate=validate.Length(
        max=200), metadata={"description": "8–200 characters; only its Argon2 hash is kept"})


class UserCreated(Schema):
    id = fields.Integer()
    name = fields.String()
    role = fields.String()
    organization_id = fields.Integer()
    login = fields.String(allow_none=True)
    token = fields.String(metadata={"description": "shown this once; only its hash is kept"})
    withheld = fields.List(fields.String(), metadata={
        "description": "on a repeat with the same Idempotency-Key: [\"token\"], the token "
                       "not being kept (POST /users/<id>/token issues a new one)"})


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
    withheld = fields.List(fields.String(), metadata={
        "description": "on a repeat with the same Idempotency-Key: [\"token\"], the token "
                       "not being kept (POST /users/<id>/token issues a new one)"})
class PasswordReset(Schema):
    login = Text(load_default=None, max_length=100, metadata={
        "description": "a new sign-in name (required if the user has none yet)"})
    password = fields.String(load_default=None, validate=validate.Length(max=200), metadata={
        "description": "the new password; generated when left out"})


class PasswordResetOut(Schema):
    login = fields.String()
    password = fields.String(metadata={"description": "shown this once"})
