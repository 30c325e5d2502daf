"""Schemas of the audit API."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from api.applicants.schemas import AuditEntryOut
from api.base import MAX_ID, Day, Schema, Text
from workflow.usecases.auditing.export import FORMATS
from workflow.usecases.auditing.services import MAX_PAGE

MAX_ENTRY_ID = 2**63 - 1


def Id(**kwargs) -> fields.Integer:
    # A query string carries text: `api.base.Id` is strict about JSON integers.
    return fields.Integer(validate=validate.Range(min=1, max=MAX_ID), **kwargs)


class EntryQuery(Schema):
    organization_id = Id(metadata={"description": "an organisation's whole subtree"})
    dossier_id = Id()
    actor_id = Id(metadata={"description": "the user who acted"})
    action = Text(max_length=40, metadata={"description": "a trigger or a record type"})
    kind = fields.String(validate=validate.OneOf(("create", "transition", "record")))
    recorded_from = Day(metadata={"description": "server time, a day of the service's zone"})
    recorded_to = Day(metadata={"description": "server time, inclusive"})
    effective_from = Day()
    effective_to = Day()


def _entry_id(value: str) -> None:
    # Entry ids are 64-bit: a longer number would overflow the database's integer.
    if not (value.isascii() and value.isdigit() and len(value) <= 19
            and int(value) <= MAX_ENTRY_ID):
        raise ValidationError(f"An entry id from 0 to {MAX_ENTRY_ID}.")


class EntryPageQuery(EntryQuery):
    cursor = fields.String(validate=_entry_id,
                           metadata={"description": "`next_cursor` of the previous page"})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=MAX_PAGE))


class ExportQuery(EntryQuery):
    format = fields.String(load_default="csv", validate=validate.OneOf(FORMATS))


class ChainedEntryOut(AuditEntryOut):
    dossier_id = fields.Integer()
    prev_hash = fields.String()
    hash = fields.String()


class EntryPage(Schema):
    items = fields.List(fields.Nested(ChainedEntryOut))
    next_cursor = fields.String(allow_none=True,
                                metadata={"description": "null on the last page"})


class ProblemOut(Schema):
    dossier_id = fields.Integer(allow_none=True)
    seq = fields.Integer(allow_none=True, metadata={"description": "the first broken entry"})
    kind = fields.String()
    message = fields.String()
    field = fields.String(allow_none=True, metadata={
        "description": "row_altered: the first field of the dossier's row that is not what "
                       "its log implies"})


class VerificationOut(Schema):
    ok = fields.Boolean()
    entries = fields.Integer()
    dossiers = fields.Integer()
    problems = fields.List(fields.Nested(ProblemOut))
    checkpoint_root = fields.String(allow_none=True)


class CheckpointOut(Schema):
    format = fields.String()
    created_at = fields.String()
    scope = fields.String()
    entries = fields.Integer()
    dossiers = fields.Integer()
    root = fields.String()
    heads = fields.List(fields.List(fields.Raw()),
                        metadata={"description": "[dossier_id, seq, hash] of each chain"})


class CheckpointIn(Schema):
    format = fields.String(required=True)
    created_at = fields.String(required=True)
    scope = fields.String(required=True)
    entries = fields.Integer(required=True, strict=True)
    dossiers = fields.Integer(strict=True)
    root = fields.String(required=True)
    heads = fields.List(fields.List(fields.Raw()), required=True)

    @validates_schema
    def _triples(self, data, **kwargs):
        for head in data.get("heads", []):
            if len(head) != 3:
                raise ValidationError("each head is [dossier_id, seq, hash]", "heads")


class ComplianceQuery(Schema):
    organization_id = Id()
    dossier_id = Id()


class FindingOut(Schema):
    dossier_id = fields.Integer()
    name = fields.String(metadata={"description": "the person of the dossier"})
    branch_name = fields.String()
    rule = fields.String()
    status = fields.String(metadata={"description": "late, missing or failed"})
    seq = fields.Integer(allow_none=True)
    on = fields.Date()
    due = fields.Date(allow_none=True)
    message = fields.String()
    message_en = fields.String()
    message_zh = fields.String()


class ComplianceOut(Schema):
    items = fields.List(fields.Nested(FindingOut))
    total = fields.Integer()
