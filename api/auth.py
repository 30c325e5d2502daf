"""Bearer tokens: who is calling. Roles and scopes are the service layer's business."""

from __future__ import annotations

from collections.abc import Callable
from threading import Lock
from typing import TypeVar

from cachetools import TTLCache
from flask import abort, current_app, g, request

from api.runtime import runtime
from workflow.domain.actors import Actor
from workflow.domain.roles import Role
from workflow.usecases import services

F = TypeVar("F", bound=Callable)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def reads_only(view: F) -> F:
    """Mark a view that changes nothing although it takes a body (POST)."""
    view.auditors_may_call = True
    return view


def own_settings(view: F) -> F:
    """Mark a write that concerns only the caller's own settings (its calendar subscription),
    not the procedure: auditors may call it too."""
    view.auditors_may_call = True
    return view

# A token always names the same user, and users keep their role and organisation, so a worker
# remembers the actors it has seen instead of querying for them on every request. The
# lifetime bounds how long a revocation (should one be added) would take to reach a worker;
# unknown tokens are never remembered, so a new user's token works at once.
ACTOR_SECONDS = 60
ACTORS_REMEMBERED = 10_000
_lock = Lock()


def _remembered() -> TTLCache:
    actors = current_app.extensions.get("recruitflow.actors")
    if actors is None:
        with _lock:
            actors = current_app.extensions.setdefault(
                "recruitflow.actors", TTLCache(maxsize=ACTORS_REMEMBERED, ttl=ACTOR_SECONDS))
    return actors


def authenticate() -> None:
    """`before_request` of every blueprint that needs a user: 401 without a known token."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 200:
        abort(401, description="A bearer token is required.")
    actors, key = _remembered(), services.hash_token(token)
    with _lock:
        actor = actors.get(key)
    if actor is None:
        actor = services.authenticate(uow=runtime().uow, token=token)
        if actor is None:
            abort(401, description="Unknown token.")
        with _lock:
            actors[key] = actor
    g.actor = actor
    # Auditors change nothing: every write answers 403, before the body is even looked at.
    view = current_app.view_functions.get(request.endpoint)
    if (actor.role == Role.AUDITOR and request.method not in SAFE_METHODS
            and not getattr(view, "auditors_may_call", False)):
        abort(403, description="Auditors read; they change nothing.")


def current_actor() -> Actor:
    return g.actor
