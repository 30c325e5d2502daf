"""Rosters as spreadsheets, with the filters of the lists they come from."""

from __future__ import annotations

from marshmallow import fields, validate

from api.applicants.schemas import STATES
from api.auth import authenticate, current_actor
from api.base import MAX_ID, Blueprint, Schema, Text
from api.documents.render import attachment
from api.runtime import runtime
from workflow.usecases.paperwork import rosters
from workflow.usecases.paperwork.spreadsheet import XLSX, xlsx

blp = Blueprint("rosters", __name__, url_prefix="/api/v1/rosters",
                description="Dossiers, the registry and eligibility lists as xlsx.")
blp.before_request(authenticate)

KINDS = [*rosters.ELIGIBILITY, "talk"]


def _id(**kwargs) -> fields.Integer:
    return fields.Integer(validate=validate.Range(min=1, max=MAX_ID), **kwargs)


class DossierRosterQuery(Schema):
    state = fields.String(validate=validate.OneOf(STATES))
    branch_id = _id()
    q = Text(max_length=100)


class RegistryQuery(Schema):
    branch_id = _id()
    status = fields.String(validate=validate.OneOf(list(rosters.STATUSES)))


class EligibleQuery(Schema):
    within = fields.Integer(load_default=0, validate=validate.Range(min=0, max=3660),
                            metadata={"description": "days from today (0: today)"})
    organization_id = _id(metadata={"description": "a branch or committee in scope"})


def _send(roster: rosters.Roster):
    return attachment(xlsx(roster.title, roster.headers, roster.rows), roster.filename, XLSX)


@blp.route("/dossiers.xlsx", methods=["GET"])
@blp.arguments(DossierRosterQuery, location="query")
@blp.response(200, content_type=XLSX, description="The dossiers as a spreadsheet.")
def dossiers(query):
    """The dossiers of the list (filters `state`, `branch_id`, `q`), with the date columns
    their states fill; ID numbers and phones for branch, committee and auditor users."""
    rt = runtime()
    return _send(rosters.dossiers(uow=rt.uow, env=rt.env, actor=current_actor(), **query))


@blp.route("/members.xlsx", methods=["GET"])
@blp.arguments(RegistryQuery, location="query")
@blp.response(200, content_type=XLSX, description="The registry as a spreadsheet.")
def members(query):
    """The registry of party members in scope (filters `branch_id`, `status`)."""
    return _send(rosters.registry(uow=runtime().uow, actor=current_actor(), **query))


@blp.route(f"/eligible-<any({', '.join(KINDS)}):kind>.xlsx", methods=["GET"])
@blp.arguments(EligibleQuery, location="query")
@blp.response(200, content_type=XLSX, description="The eligibility list as a spreadsheet.")
def eligible(query, kind: str):
    """Who can be designated activist (`activist`) or development target (`candidate`), be
    admitted (`admission`) or start conversion (`conversion`) within `within` days, by each
    dossier's own `next`; `talk`: applicants whose application talk is still to hold, with
    its deadline (within `within` days, or all with 0)."""
    rt = runtime()
    return _send(rosters.eligible(uow=rt.uow, env=rt.env, actor=current_actor(), kind=kind,
                                  within_days=query["within"],
                                  organization_id=query.get("organization_id")))
