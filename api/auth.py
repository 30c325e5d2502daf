"""Bearer tokens: who is calling. Roles and scopes are the service layer's business."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort, current_app, g, request

from api.runtime import runtime
from workflow import services
from workflow.actors import Actor
from workflow.roles import Role

F = TypeVar("F", bound=Callable)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def reads_only(view: F) -> F:
    """Mark a view that changes nothing although it takes a body (POST)."""
    view.reads_only = True
    return view


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
    # Auditors change nothing: every write answers 403, before the body is even looked at.
    view = current_app.view_functions.get(request.endpoint)
    if (actor.role == Role.AUDITOR and request.method not in SAFE_METHODS
            and not getattr(view, "reads_only", False)):
        abort(403, description="Auditors read; they change nothing.")


def current_actor() -> Actor:
    return g.actor
