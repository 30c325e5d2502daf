"""Bearer tokens: who is calling. Roles and scopes are the service layer's business."""

from __future__ import annotations

from threading import Lock

from cachetools import TTLCache
from flask import abort, current_app, g, request

from api.runtime import runtime
from workflow import services
from workflow.actors import Actor

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


def current_actor() -> Actor:
    return g.actor
