"""`/api/v1/applicants`: dossiers, their records, transitions and audit log."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Response, g, request, url_for

from api.applicants import present
from api.applicants.schemas import (
    STATE_LABELS,
    ApplicantCorrection,
    ApplicantCreate,
    ApplicantListQuery,
    DossierOut,
    DossierPage,
    LogOut,
    RecordCreated,
    RecordRequest,
    TransferRequest,
    TransitionRequest,
    VoidRequest,
)
from api.auth import authenticate, current_actor
from api.base import Blueprint, answer
from api.idempotency import idempotent
from api.runtime import runtime
from workflow.domain.actors import Actor
from workflow.usecases import services

blp = Blueprint("applicants", __name__, url_prefix="/api/v1/applicants",
                description="Applicants' dossiers: records, transitions, audit log.")
blp.before_request(authenticate)

DOSSIER = "/<int(max=2147483647):dossier_id>"


def etag(version: int) -> str:
    return f'"{version}"'


def dossier_answer(view: services.DossierView, actor: Actor, status: int = 200,
                   headers: Mapping[str, str] | None = None) -> Response:
    """The dossier as `actor` may see it, tagged with its version for the next If-Match."""
    return answer(present.dossier(view, actor), status,
                  {**(headers or {}), "ETag": etag(view.dossier.version)})


def expected_version() -> int | None:
    """The version named by If-Match, if one was sent (`*` matches any)."""
    if "If-Match" not in request.headers:
        return None
    if request.if_match.star_tag:
        return None
    # An empty tag (`If-Match: ""`) parses as None: it names no version.
    tags = [tag for tag in request.if_match if tag]
    if len(tags) == 1 and tags[0].isdigit() and len(tags[0]) < 10:
        return int(tags[0])
    # An ETag this service never issued cannot match any version.
    return -1


@blp.route("", methods=["POST"])
@idempotent
@blp.arguments(ApplicantCreate)
@blp.response(201, DossierOut)
def create_applicant(data):
    """Create a dossier in state `applicant` (the `min_age` rule applies)."""
    rt, actor = runtime(), current_actor()
    view = services.create_dossier(uow=rt.uow, env=rt.env, actor=actor, profile=data,
                                   request_id=g.request_id)
    location = url_for("applicants.get_applicant", dossier_id=view.dossier.id)
    return dossier_answer(view, actor, 201, {"Location": location})


@blp.route("", methods=["GET"])
@blp.arguments(ApplicantListQuery, location="query")
@blp.response(200, DossierPage)
def list_applicants(query):
    """Dossiers in the caller's scope, filtered by state, branch and name, paginated."""
    rt = runtime()
    items, total = services.list_dossiers(uow=rt.uow, actor=current_actor(), **query)
    return {
        "items": [{**item, "state_label": STATE_LABELS[item["state"]]} for item in items],
        "total": total,
        "page": query["page"],
        "per_page": query["per_page"],
    }


@blp.route(DOSSIER, methods=["GET"])
@blp.response(200, DossierOut)
def get_applicant(dossier_id: int):
    """The dossier with its records and `next`: each trigger, whether allowed, and why not."""
    rt, actor = runtime(), current_actor()
    view = services.get_dossier(uow=rt.uow, env=rt.env, actor=actor, dossier_id=dossier_id)
    return dossier_answer(view, actor)


@blp.route(DOSSIER, methods=["PATCH"])
@blp.refuses(409, 412)
@idempotent
@blp.arguments(ApplicantCorrection)
@blp.response(200, DossierOut)
def correct_applicant(data, dossier_id: int):
    """Correct the profile, with a reason; the log keeps the old and the new values."""
    rt, actor = runtime(), current_actor()
    reason = data.pop("reason")
    view = services.correct_profile(
        uow=rt.uow, env=rt.env, actor=actor, dossier_id=dossier_id, changes=data,
        reason=reason, expected_version=expected_version(), request_id=g.request_id,
    )
    return dossier_answer(view, actor)


@blp.route(DOSSIER + "/records/<int(max=2147483647):record_id>/void", methods=["POST"])
@blp.refuses(409, 412)
@idempotent
@blp.arguments(VoidRequest)
@blp.response(200, DossierOut)
def void_record(data, dossier_id: int, record_id: int):
    """Void a record: it stays in the dossier and its log, and counts no more."""
    rt, actor = runtime(), current_actor()
    view = services.void_record(
        uow=rt.uow, env=rt.env, actor=actor, dossier_id=dossier_id, record_id=record_id,
        reason=data["reason"], expected_version=expected_version(), request_id=g.request_id,
    )
    return dossier_answer(view, actor)


@blp.route(DOSSIER + "/transfer", methods=["POST"])
@blp.refuses(409, 412)
@idempotent
@blp.arguments(TransferRequest)
@blp.response(200, DossierOut)
def transfer_applicant(data, dossier_id: int):
    """Move the dossier to another branch in the caller's scope (state, dates and records
    stay)."""
    rt, actor = runtime(), current_actor()
    view = services.transfer(
        uow=rt.uow, env=rt.env, actor=actor, dossier_id=dossier_id,
        branch_id=data["branch_id"], reason=data["reason"], on=data["effective_date"],
        expected_version=expected_version(), request_id=g.request_id,
    )
    return dossier_answer(view, actor)


@blp.route(DOSSIER + "/records", methods=["POST"])
@blp.refuses(409, 412)
@idempotent
@blp.arguments(RecordRequest)
@blp.response(201, RecordCreated)
def add_record(data, dossier_id: int):
    """Add a record (a talk, an evaluation, an objection…); its id is in the answer."""
    rt, actor = runtime(), current_actor()
    record_type, on = data.pop("type"), data.pop("date")
    record, view = services.add_record(
        uow=rt.uow, env=rt.env, actor=actor, dossier_id=dossier_id, record_type=record_type,
        on=on, data=data, expected_version=expected_version(), request_id=g.request_id,
    )
    body = {**present.record(record), "dossier_version": view.dossier.version}
    location = url_for("applicants.get_applicant", dossier_id=dossier_id)
    return answer(body, 201, {"Location": location, "ETag": etag(view.dossier.version)})


@blp.route(DOSSIER + "/transitions", methods=["POST"])
@blp.refuses(409, 412)
@idempotent
@blp.arguments(TransitionRequest)
@blp.response(200, DossierOut)
def fire_transition(data, dossier_id: int):
    """Fire a trigger. 409: not from this state; 412: If-Match differs; 422: rules fail."""
    rt, actor = runtime(), current_actor()
    trigger, on = data.pop("trigger"), data.pop("effective_date")
    view = services.fire(
        uow=rt.uow, env=rt.env, actor=actor, dossier_id=dossier_id, trigger=trigger, on=on,
        payload=data, expected_version=expected_version(), request_id=g.request_id,
    )
    return dossier_answer(view, actor)


@blp.route(DOSSIER + "/log", methods=["GET"])
@blp.response(200, LogOut)
def get_log(dossier_id: int):
    """The dossier's audit entries, oldest first."""
    rt = runtime()
    entries = services.dossier_log(uow=rt.uow, actor=current_actor(), dossier_id=dossier_id)
    actor = current_actor()
    return answer({"dossier_id": dossier_id,
                   "entries": [present.entry(e, actor) for e in entries]})
