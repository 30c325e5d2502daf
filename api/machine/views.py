"""`/api/v1/workflow`: the machine as data, generated from the same declarations it runs on."""

from __future__ import annotations

from marshmallow import fields

from api.auth import authenticate
from api.base import Blueprint, Schema
from api.runtime import runtime
from workflow.usecases import services

blp = Blueprint("workflow", __name__, url_prefix="/api/v1/workflow",
                description="States, triggers, rules and the rulebook in force.")
blp.before_request(authenticate)


class WorkflowOut(Schema):
    initial_state = fields.String()
    revision = fields.Integer(metadata={
        "description": "the revision of the rulebook the procedure encodes (audit entries "
                       "name theirs)"})
    states = fields.List(fields.Dict())
    triggers = fields.List(fields.Dict())
    retired_triggers = fields.List(fields.Dict(), metadata={
        "description": "triggers of earlier revisions, named by older audit entries"})
    creation_rules = fields.List(fields.String())
    records = fields.List(fields.Dict())
    rules = fields.List(fields.Dict())
    rulebook = fields.Dict()
    rulebooks = fields.List(fields.Dict())


@blp.route("", methods=["GET"])
@blp.response(200, WorkflowOut)
def describe():
    """The states, the triggers with their roles and rule ids, and the rulebook's numbers."""
    return services.describe_workflow(env=runtime().env)
