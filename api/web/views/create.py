"""新建档案 `/dossiers/new` (branch): the profile form, generated from the API's own schema
(`ApplicantCreate`), which also validates it."""

from __future__ import annotations

from typing import Any

from flask import abort, g, redirect, render_template, request, url_for
from marshmallow import ValidationError, fields, validate

from api.applicants.schemas import ApplicantCreate
from api.base import Day
from api.runtime import runtime
from api.web.blueprint import bp
from api.web.feedback import Refusal, refusal
from api.web.forms import TRUE, Field, Option
from api.zh import GENDER, PROFILE
from workflow.domain.errors import DomainError
from workflow.domain.roles import Role
from workflow.usecases import roster, services

SCHEMA = ApplicantCreate()
LABELS = {**PROFILE, "branch_id": "所在党支部"}
CHOICES = {"gender": GENDER}


def _fields(given: dict[str, str]) -> list[Field]:
    rt = runtime()
    branches = roster.counts(uow=rt.uow, env=rt.env, actor=g.actor).branches
    found = []
    for name, declared in SCHEMA.fields.items():
        label, value, required = LABELS.get(name, name), given.get(name, ""), declared.required
        if name == "branch_id":
            options = tuple(Option(str(b.id), b.name) for b in branches)
            value = value or (options[0].value if len(options) == 1 else "")
            found.append(Field(name, label, "select", required, options, value=value))
        elif isinstance(declared, Day):
            found.append(Field(name, label, "date", required, value=value))
        elif isinstance(declared, fields.Boolean):
            found.append(Field(name, label, "checkbox", False, value=value in TRUE))
        elif any(isinstance(v, validate.OneOf) for v in declared.validators):
            choices = next(v for v in declared.validators if isinstance(v, validate.OneOf))
            names = CHOICES.get(name, {})
            options = tuple(Option(c, names.get(c, c)) for c in choices.choices)
            found.append(Field(name, label, "select", required, options, value=value))
        else:
            found.append(Field(name, label, "text", required, value=value))
    return found


def _data(form) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, declared in SCHEMA.fields.items():
        text = form.get(name, "").strip()
        if isinstance(declared, fields.Boolean):
            data[name] = text in TRUE
        elif text:
            data[name] = int(text) if name == "branch_id" and text.isdigit() else text
    return data


@bp.route("/dossiers/new", methods=["GET", "POST"])
def create_dossier():
    if g.actor.role != Role.BRANCH:
        abort(404)
    given = {k: request.form.get(k, "") for k in request.form}
    if request.method == "GET":
        return render_template("web/create.html", fields=_fields({}), refusal=None)
    try:
        profile = SCHEMA.load(_data(request.form))
    except ValidationError as invalid:
        messages = {name: "必填。" if not given.get(name) else "格式不正确。"
                    for name in invalid.messages}
        return render_template("web/create.html", fields=_fields(given),
                               refusal=Refusal("请检查填写的内容。", messages)), 422
    rt = runtime()
    try:
        view = services.create_dossier(uow=rt.uow, env=rt.env, actor=g.actor, profile=profile,
                                       request_id=g.get("request_id"))
    except DomainError as error:
        return render_template("web/create.html", fields=_fields(given),
                               refusal=refusal(error)), 422
    return redirect(url_for("web.dossier", dossier_id=view.dossier.id), 303)
