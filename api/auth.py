"""Bearer tokens: who is calling. Roles and scopes are the service layer's business."""

from __future__ import annotations

from collections.abc import Callable
from threading import Lock
from time import monotonic
from typing import TypeVar

from cachetools import TTLCache
from flask import abort, current_app, g, request

from api.runtime import runtime
from workflow.domain.actors import Actor
from workflow.domain.roles import Role
from workflow.usecases import access, services

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

# A worker remembers the actors behind the tokens it has seen for a minute instead of querying
# for them on every request. A revocation (workflow.usecases.access) reaches it through the
# `credentials` stamp, which it reads at most every REVOCATION_CHECK_SECONDS (configuration,
# one second by default, api/config.py): when the stamp
# has grown, the users whose credentials changed since are forgotten, and only they. Unknown
# tokens are never remembered, so a new user's token works at once; an expiring token is
# remembered with its expiry, and checked against it on every request.
ACTOR_SECONDS = 60
ACTORS_REMEMBERED = 10_000
_lock = Lock()


class _Remembered:
    def __init__(self, check_seconds: float) -> None:
        self.actors: TTLCache = TTLCache(maxsize=ACTORS_REMEMBERED, ttl=ACTOR_SECONDS)
        self.check_seconds = check_seconds
        self.stamp: int | None = None
        self.checked = float("-inf")

    def forget_revoked(self) -> None:
        """Forget the users whose credentials changed since the last look (a query of one
        row, at most every `check_seconds`)."""
        moment = monotonic()
        if moment - self.checked < self.check_seconds:
            return
        stamp, changed = access.revoked_since(uow=runtime().uow, stamp=self.stamp)
        with _lock:
            if changed:
                gone = set(changed)
                for key in [k for k, (actor, _) in self.actors.items() if actor.id in gone]:
                    self.actors.pop(key, None)
            self.stamp, self.checked = stamp, moment


def _remembered() -> _Remembered:
    remembered = current_app.extensions.get("recruitflow.actors")
    if remembered is None:
        seconds = current_app.config["REVOCATION_CHECK_SECONDS"]
        with _lock:
            remembered = current_app.extensions.setdefault("recruitflow.actors",
                                                           _Remembered(seconds))
    return remembered


def authenticate() -> None:
    """`before_request` of every blueprint that needs a user: 401 without a known token."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 200:
        abort(401, description="A bearer token is required.")
    remembered, key = _remembered(), services.hash_token(token)
    remembered.forget_revoked()
    rt = runtime()
    with _lock:
        found = remembered.actors.get(key)
    if found is not None and found[1] is not None and rt.env.now() >= found[1]:
        found = None
    if found is None:
        found = access.authenticate(uow=rt.uow, env=rt.env, token=token)
        if found is None:
            abort(401, description="Unknown, expired or revoked token.")
        with _lock:
            remembered.actors[key] = found
    actor = g.actor = found[0]
    # Auditors change nothing: every write answers 403, before the body is even looked at.
    view = current_app.view_functions.get(request.endpoint)
    if (actor.role == Role.AUDITOR and request.method not in SAFE_METHODS
            and not getattr(view, "auditors_may_call", False)):
        abort(403, description="Auditors read; they change nothing.")


def current_actor() -> Actor:
    return g.actor
