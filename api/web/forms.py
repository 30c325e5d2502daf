"""Forms generated from the procedure's declarations: a trigger's `Param`s, a record type's
`Param`s. Each field is validated by the API's own field for its `Param` (`api.base.field_for`),
so a form cannot accept what the API refuses; the web only adds the conversion from form text
and a Chinese message made from the declaration.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from api.base import Day, field_for
from api.zh import GENDER, PROFILE, choice_label, field_label, param_label
from workflow.domain.dossier import Dossier
from workflow.domain.rules import Param
from workflow.usecases.roster import OTHERS_SHOWN, Pickable, RegistryMember

MEMBER_STATUS = {"full": "正式党员", "probationary": "预备党员"}
TRUE = {"1", "true", "on", "yes"}


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Field:
    """One input of a generated form."""

    name: str
    label: str
    widget: str  # "date", "number", "checkbox", "select", "textarea", "text"
    required: bool
    options: tuple[Option, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    value: Any = None
    hint: str | None = None


def _record_options(param: Param, dossier: Dossier | None) -> tuple[Option, ...]:
    """The dossier's records a `record` field may name: those of the type its name says
    (objection_id → objection), or any."""
    if dossier is None:
        return ()
    wanted = param.name.removesuffix("_id")
    records = [r for r in dossier.records if r.type == wanted] or list(dossier.records)
    return tuple(Option(str(r.id), f"{r.date.year}年{r.date.month}月{r.date.day}日 "
                                   f"{_summary(r.data)}") for r in records)


def _summary(data: Mapping[str, Any]) -> str:
    text = str(data.get("summary") or data.get("reason") or "")
    return text if len(text) <= 30 else text[:30] + "…"


def _member_options(registry: Sequence[RegistryMember]) -> tuple[Option, ...]:
    return tuple(Option(str(m.id), f"{m.name}（{MEMBER_STATUS.get(m.status, m.status)}，"
                                   f"{m.branch_name}）") for m in registry)


def labels(params: Iterable[Param], *, date_name: str) -> dict[str, str]:
    """A form's field labels by name, as `fields_for` shows them (for its refusals)."""
    return {date_name: field_label(date_name), **{p.name: param_label(p) for p in params}}


def fields_for(params: Iterable[Param], *, date_name: str, today: date,
               dossier: Dossier | None,
               registry: Pickable | None, given: Mapping[str, str] | None = None,
               ) -> list[Field]:
    """The inputs of a form: its date, then each declared field."""
    given = given or {}
    found = [Field(date_name, field_label(date_name), "date", True,
                   value=given.get(date_name, today.isoformat()))]
    for p in params:
        label = param_label(p)
        value = given.get(p.name, "" if p.default is None else p.default)
        if p.kind == "int":
            found.append(Field(p.name, label, "number", p.required, minimum=p.minimum,
                               maximum=p.maximum, value=value))
        elif p.kind == "bool":
            found.append(Field(p.name, label, "checkbox", False,
                               value=str(value).lower() in TRUE or value is True))
        elif p.kind == "choice":
            options = tuple(Option(c, choice_label(c)) for c in p.choices)
            found.append(Field(p.name, label, "select", p.required, options, value=value))
        elif p.kind == "member":
            found.append(Field(
                p.name, label, "select", p.required,
                _member_options(registry.members if registry else ()), value=value,
                hint=(f"本支部党员全部列出；本党委其他支部党员较多，只列出前{OTHERS_SHOWN}名"
                      if registry and registry.more_elsewhere else None)))
        elif p.kind == "record":
            found.append(Field(p.name, label, "select", p.required,
                               _record_options(p, dossier), value=value))
        else:
            found.append(Field(p.name, label, "textarea", p.required, value=value))
    return found


def _message(param: Param) -> str:
    if param.kind == "int":
        low = "" if param.minimum is None else str(param.minimum)
        high = "" if param.maximum is None else str(param.maximum)
        return f"请填写{low}至{high}之间的整数。" if low and high else "请填写整数。"
    if param.kind in ("choice", "member", "record"):
        return "请从列表中选择。"
    return "请填写（不含控制字符，不超过2000字）。"


def _from_text(param: Param, text: str) -> Any:
    if param.kind == "bool":
        return text.lower() in TRUE
    if param.kind in ("int", "member", "record"):
        stripped = text.strip()
        if not stripped.lstrip("-").isdigit() or len(stripped) > 12:
            raise ValidationError("not an integer")
        return int(stripped)
    return text


def parse(params: Iterable[Param], form: Mapping[str, str], *, date_name: str,
          ) -> tuple[date | None, dict[str, Any], dict[str, str]]:
    """The date, the declared fields' values and the errors (Chinese, by field) of a form."""
    errors: dict[str, str] = {}
    on = None
    try:
        on = Day().deserialize(form.get(date_name, "").strip())
    except ValidationError:
        errors[date_name] = "请填写有效日期。"
    values: dict[str, Any] = {}
    for p in params:
        text = form.get(p.name, "")
        if p.kind != "bool" and not text.strip():
            if p.required:
                errors[p.name] = "必填。"
            continue
        try:
            values[p.name] = field_for(p).deserialize(_from_text(p, text))
        except ValidationError:
            errors[p.name] = _message(p)
    return on, values, errors


# Fields of the API's profile schemas (creation, correction) that are not the profile's own.
SCHEMA_LABELS = {**PROFILE, "branch_id": "所在党支部", "reason": "更正原因"}
SCHEMA_CHOICES = {"gender": GENDER}


def schema_fields(schema: Schema, given: Mapping[str, Any],
                  branches: Sequence[Option] = ()) -> list[Field]:
    """The inputs of a form that an API schema validates (the profile's creation and
    correction), in its order, with its choices."""
    found = []
    for name, declared in schema.fields.items():
        label, required = SCHEMA_LABELS.get(name, name), declared.required
        value = given.get(name)
        value = "" if value is None else value
        if name == "branch_id":
            value = value or (branches[0].value if len(branches) == 1 else "")
            found.append(Field(name, label, "select", required, tuple(branches), value=value))
        elif isinstance(declared, fields.Date):  # Day too
            text = value.isoformat() if hasattr(value, "isoformat") else value
            found.append(Field(name, label, "date", required, value=text))
        elif isinstance(declared, fields.Boolean):
            found.append(Field(name, label, "checkbox", False,
                               value=value is True or str(value).lower() in TRUE))
        elif any(isinstance(v, validate.OneOf) for v in declared.validators):
            choices = next(v for v in declared.validators if isinstance(v, validate.OneOf))
            names = SCHEMA_CHOICES.get(name, {})
            options = tuple(Option(c, names.get(c, c)) for c in choices.choices)
            found.append(Field(name, label, "select", required, options, value=value))
        elif name == "reason":
            found.append(Field(name, label, "textarea", required, value=value))
        else:
            found.append(Field(name, label, "text", required, value=value))
    return found


def schema_data(schema: Schema, form: Mapping[str, str]) -> dict[str, Any]:
    """A submitted form as the schema's JSON input: text trimmed, empty fields left out,
    checkboxes as booleans, ids as integers."""
    data: dict[str, Any] = {}
    for name, declared in schema.fields.items():
        text = form.get(name, "").strip()
        if isinstance(declared, fields.Boolean):
            data[name] = text.lower() in TRUE
        elif text:
            data[name] = int(text) if name.endswith("_id") and text.isdigit() else text
    return data


def schema_errors(invalid: ValidationError, form: Mapping[str, str]) -> dict[str, str]:
    return {name: "必填。" if not form.get(name, "").strip() else "格式不正确。"
            for name in invalid.messages}
