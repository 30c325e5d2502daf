"""Schemas of the dossier resource. Trigger and record fields are generated from the
domain's declarations (states/), so a field is never declared twice."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

import states
from api.base import MAX_ID, Day, Flag, Id, Schema, Text, field_for
from api.openapi import Alternatives

_PROCEDURE = states.PROCEDURE
STATES = [s.name for s in _PROCEDURE.states]
TRIGGERS = _PROCEDURE.triggers()
RECORD_TYPES = [r.name for r in _PROCEDURE.records]
STATE_LABELS = {s.name: s.label_zh for s in _PROCEDURE.states}


class ApplicantCreate(Schema):
    branch_id = Id(required=True)
    name = Text(required=True, max_length=100)
    gender = fields.String(required=True, validate=validate.OneOf(["male", "female"]))
    birth_date = Day(required=True)
    applied_on = Day(required=True)
    ethnicity = Text(max_length=50)
    education = Text(max_length=50)
    occupation = Text(max_length=100)
    frontline = Flag()
    id_number = fields.String(validate=validate.Regexp(
        r"^[0-9]{17}[0-9Xx]$", error="An 18-character resident ID number."))
    phone = fields.String(validate=validate.Regexp(
        r"^\+?[0-9][0-9 -]{2,30}$", error="Digits, spaces and dashes, up to 32 characters."))


class ApplicantCorrection(Schema):
    """A correction of the profile: any field of the creation but the branch, and a reason."""

    name = Text(max_length=100)
    gender = fields.String(validate=validate.OneOf(["male", "female"]))
    birth_date = Day()
    applied_on = Day()
    ethnicity = Text(max_length=50, allow_none=True)
    education = Text(max_length=50, allow_none=True)
    occupation = Text(max_length=100, allow_none=True)
    frontline = Flag(allow_none=True)
    id_number = ApplicantCreate._declared_fields["id_number"]
    phone = ApplicantCreate._declared_fields["phone"]
    reason = Text(required=True, max_length=2000)


class VoidRequest(Schema):
    reason = Text(required=True, max_length=2000)


class TransferRequest(Schema):
    branch_id = Id(required=True)
    reason = Text(required=True, max_length=2000)
    effective_date = Day(required=True)


class ApplicantListQuery(Schema):
    state = fields.String(validate=validate.OneOf(STATES))
    # A query string carries text: "7" is the id 7 here, unlike in a JSON body.
    branch_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))
    q = Text(max_length=100)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


def _union_fields(declarations) -> dict[str, fields.Field]:
    """Every field any trigger (or record type) takes, optional here; the declaration of the
    chosen trigger decides which are required and which are foreign to it."""
    union: dict[str, fields.Field] = {}
    for declaration in declarations:
        for param in declaration.params:
            union.setdefault(param.name, field_for(param, required=False))
    return union


def _check_params(declared, given: dict, chosen: str) -> None:
    names = {p.name for p in declared}
    errors = {
        name: [f"not a field of {chosen!r}"] for name in given if name not in names
    }
    errors.update({
        p.name: ["Missing data for required field."]
        for p in declared if p.required and p.name not in given
    })
    if errors:
        raise ValidationError(errors)


class _TransitionBase(Schema):
    trigger = fields.String(required=True, validate=validate.OneOf(TRIGGERS))
    effective_date = Day(required=True)

    @validates_schema
    def _params_of_trigger(self, data, **kwargs):
        trigger = data.get("trigger")
        declaration = next((t for t in _PROCEDURE.transitions if t.trigger == trigger), None)
        if declaration is not None:
            given = {k: v for k, v in data.items() if k not in ("trigger", "effective_date")}
            _check_params(declaration.params, given, trigger)


TransitionRequest = _TransitionBase.from_dict(
    _union_fields(_PROCEDURE.transitions), name="TransitionRequest"
)


class _RecordBase(Schema):
    type = fields.String(required=True, validate=validate.OneOf(RECORD_TYPES))
    date = Day(required=True)

    @validates_schema
    def _fields_of_type(self, data, **kwargs):
        declaration = _PROCEDURE.record_type(data.get("type") or "")
        if declaration is not None:
            given = {k: v for k, v in data.items() if k not in ("type", "date")}
            _check_params(declaration.params, given, declaration.name)


RecordRequest = _RecordBase.from_dict(_union_fields(_PROCEDURE.records), name="RecordRequest")


# The document's view of the two bodies above: one schema per trigger (per record type),
# chosen by `trigger` (`type`), generated from the same declarations, with an example each.

EXAMPLE_DAY = "2026-11-27"
# Example values by field name, where the kind alone would make a nonsensical one (vote
# counts that add up); any other field gets an example of its kind.
EXAMPLES = {"entitled": 12, "present": 10, "in_favour": 9, "against": 1, "abstained": 0,
            "written": 1, "hours": 24, "days": 3, "months": 6, "by": "王书记"}
KIND_EXAMPLES = {"int": 1, "bool": True, "text": "……", "member": 1, "record": 1}


def _example(param) -> object:
    if param.name in EXAMPLES:
        return EXAMPLES[param.name]
    if param.kind == "choice":
        return param.choices[0]
    return KIND_EXAMPLES.get(param.kind, "……")


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _alternative(name: str, description: str, chosen_by: str, value: str, day: str,
                 params) -> tuple[type[Schema], dict]:
    class Meta(Schema.Meta):
        pass

    Meta.description = description
    declared = {
        chosen_by: fields.String(required=True, validate=validate.OneOf([value])),
        day: Day(required=True),
        **{p.name: field_for(p) for p in params},
        "Meta": Meta,
    }
    example = {chosen_by: value, day: EXAMPLE_DAY, **{p.name: _example(p) for p in params}}
    return type(name, (Schema,), declared), example


def _transition_alternatives() -> Alternatives:
    schemas, examples = {}, {}
    for trigger in TRIGGERS:
        declared = [t for t in _PROCEDURE.transitions if t.trigger == trigger]
        first = declared[0]
        sources = sorted({s for t in declared for s in t.sources})
        rules = sorted({r.id for t in declared for r in t.rules})
        description = (
            f"{first.summary_zh} {first.summary_en} From {', '.join(sources)} to "
            f"{first.dest}; roles: {', '.join(sorted(first.roles))}; rules: "
            f"{', '.join(rules) or 'none'}." + (f" ({first.article})" if first.article else ""))
        schemas[trigger], examples[trigger] = _alternative(
            _camel(trigger) + "Transition", description, "trigger", trigger, "effective_date",
            first.params)
    return Alternatives("trigger", schemas, examples)


def _record_alternatives() -> Alternatives:
    schemas, examples = {}, {}
    for kind in _PROCEDURE.records:
        description = (f"{kind.label_zh} ({kind.label_en}). In states: "
                       f"{', '.join(kind.states)}; roles: {', '.join(sorted(kind.roles))}."
                       + (f" ({kind.article})" if kind.article else ""))
        schemas[kind.name], examples[kind.name] = _alternative(
            _camel(kind.name) + "Record", description, "type", kind.name, "date", kind.params)
    return Alternatives("type", schemas, examples)


TransitionRequest.alternatives = _transition_alternatives()
RecordRequest.alternatives = _record_alternatives()


# Responses (documentation of what the presenters produce)


class Reason(Schema):
    rule = fields.String()
    message = fields.String()
    message_en = fields.String()
    message_zh = fields.String()
    earliest_date = fields.Date(allow_none=True)


class NextStep(Schema):
    trigger = fields.String()
    to = fields.String()
    roles = fields.List(fields.String())
    permitted = fields.Boolean(metadata={"description": "whether the caller's role may fire it"})
    allowed = fields.Boolean(metadata={"description": "whether its rules hold today"})
    reasons = fields.List(fields.Nested(Reason))
    inputs = fields.List(fields.String(), metadata={
        "description": "payload fields whose rules are judged only when given"})


class RecordOut(Schema):
    id = fields.Integer()
    type = fields.String()
    date = fields.Date()
    data = fields.Dict()
    voided = fields.Boolean(metadata={
        "description": "voided records stay in the dossier and its log but count no more"})


class PublicityOut(Schema):
    first_day = fields.Date()
    last_day = fields.Date()
    elapsed = fields.Boolean()
    closable_from = fields.Date()
    working_days = fields.Integer()
    calendar_warning = fields.String(allow_none=True)


class DossierOut(Schema):
    id = fields.Integer()
    branch_id = fields.Integer()
    branch_name = fields.String()
    name = fields.String()
    gender = fields.String()
    birth_date = fields.Date()
    applied_on = fields.Date()
    ethnicity = fields.String(allow_none=True)
    education = fields.String(allow_none=True)
    occupation = fields.String(allow_none=True)
    frontline = fields.Boolean(allow_none=True)
    id_number = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    state = fields.String()
    state_label = fields.String()
    version = fields.Integer()
    rulebook = fields.String()
    dates = fields.Dict(keys=fields.String(), values=fields.Date(allow_none=True))
    extension_months = fields.Integer()
    motion = fields.Dict(allow_none=True, metadata={
        "description": "the branch meeting's resolution awaiting the committee's approval: "
                       "motion (convert, extend, disqualify), months, reason, from"})
    closing_reason = fields.String(allow_none=True)
    publicity = fields.Nested(PublicityOut, allow_none=True)
    records = fields.List(fields.Nested(RecordOut))
    next = fields.List(fields.Nested(NextStep))
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class DossierSummary(Schema):
    id = fields.Integer()
    branch_id = fields.Integer()
    branch_name = fields.String()
    name = fields.String()
    gender = fields.String()
    state = fields.String()
    state_label = fields.String(metadata={"description": "the state in Chinese (入党积极分子…)"})
    version = fields.Integer()
    applied_on = fields.Date()
    updated_at = fields.DateTime()


class DossierPage(Schema):
    items = fields.List(fields.Nested(DossierSummary))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class RecordCreated(RecordOut):
    dossier_version = fields.Integer()


class AuditEntryOut(Schema):
    id = fields.Integer()
    seq = fields.Integer()
    kind = fields.String()
    action = fields.String()
    from_state = fields.String(allow_none=True)
    to_state = fields.String()
    effective_date = fields.Date()
    payload = fields.Dict()
    actor_id = fields.Integer()
    actor_name = fields.String()
    actor_role = fields.String()
    recorded_at = fields.DateTime()
    request_id = fields.String(allow_none=True)
    rulebook_id = fields.String()
    revision = fields.Integer(metadata={
        "description": "the revision of the rulebook the act was judged by"})


class LogOut(Schema):
    dossier_id = fields.Integer()
    entries = fields.List(fields.Nested(AuditEntryOut))
