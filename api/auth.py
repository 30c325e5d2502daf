"""Bearer tokens: who is calling. Roles and scopes are the service layer's business."""

from __future__ import annotations

from flask import abort, g, request

from api.runtime import runtime
from workflow import services
from workflow.actors import Actor


def authenticate() -> None:
    """`before_request` of every blueprint that needs a user: 401 without a known token."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 200:
        abort(401, description="A bearer token is required.")
    rt = runtime()
    actor = services.authenticate(uow=rt.uow, token=token)
    if actor is None:
        abort(401, description="Unknown token.")
    g.actor = actor


def current_actor() -> Actor:
    return g.actor
