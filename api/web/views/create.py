"""新建档案 `/dossiers/new` (branch): the profile form, generated from the API's own schema
(`ApplicantCreate`), which also validates it."""

from __future__ import annotations

from flask import abort, g, redirect, render_template, request, url_for
from marshmallow import ValidationError

from api.applicants.schemas import ApplicantCreate
from api.runtime import runtime
from api.web.blueprint import bp
from api.web.feedback import Refusal, refusal
from api.web.forms import Option, schema_data, schema_errors, schema_fields
from workflow.domain.errors import DomainError
from workflow.domain.roles import Role
from workflow.usecases import roster, services

SCHEMA = ApplicantCreate()


def branch_options() -> list[Option]:
    """The branches of the user's scope."""
    rt = runtime()
    return [Option(str(b.id), b.name)
            for b in roster.counts(uow=rt.uow, env=rt.env, actor=g.actor).branches]


def _page(given, refused: Refusal | None = None, status: int = 200):
    fields = schema_fields(SCHEMA, given, branch_options())
    return render_template("web/create.html", fields=fields, refusal=refused), status


@bp.route("/dossiers/new", methods=["GET", "POST"])
def create_dossier():
    if g.actor.role != Role.BRANCH:
        abort(404)
    if request.method == "GET":
        return _page({})
    given = request.form.to_dict()
    try:
        profile = SCHEMA.load(schema_data(SCHEMA, request.form))
    except ValidationError as invalid:
        return _page(given, Refusal("请检查填写的内容。", schema_errors(invalid, given)), 422)
    rt = runtime()
    try:
        view = services.create_dossier(uow=rt.uow, env=rt.env, actor=g.actor, profile=profile,
                                       request_id=g.get("request_id"))
    except DomainError as error:
        return _page(given, refusal(error), 422)
    return redirect(url_for("web.dossier", dossier_id=view.dossier.id), 303)
