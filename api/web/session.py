"""The web session: who is signed in, for how long, and bound to which credentials.

Flask's signed cookie holds the user id, a stamp of the user's credentials
(`accounts.stamp`) and the time of the last request. A request after the idle timeout, or
after the user's token or password changed (or the user was deactivated), finds no user.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, g, redirect, request, session, url_for

from api.runtime import runtime
from workflow.domain.actors import Actor
from workflow.usecases import accounts


def _now() -> float:
    return runtime().env.now().timestamp()


def idle_seconds() -> float:
    return current_app.config["SESSION_IDLE_MINUTES"] * 60


def open_session(actor: Actor, stamp: str) -> None:
    session.clear()  # a fresh session (and CSRF token) at every sign-in
    session.permanent = True
    session.update(uid=actor.id, stamp=stamp, seen=_now())


def restamp(stamp: str) -> None:
    session["stamp"] = stamp


def close_session() -> None:
    session.clear()


def signed_in() -> Actor | None:
    """The session's user, or None (and the session emptied) when it has ended."""
    if "uid" not in session:
        return None
    now = _now()
    expired = now - float(session.get("seen", 0)) > idle_seconds()
    actor = None if expired else accounts.session_actor(
        uow=runtime().uow, user_id=int(session["uid"]), session_stamp=str(session["stamp"]))
    if actor is None:
        session.clear()
        g.session_ended = True
        return None
    session["seen"] = now
    return actor


def to_login():
    """Where an unauthenticated request is sent; htmx is told to load the page itself."""
    target = url_for("web.login", next=request.full_path.rstrip("?"),
                     expired=1 if g.get("session_ended") else None)
    if request.headers.get("HX-Request"):
        response = current_app.response_class(status=401)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)


def safe_next(target: str | None) -> str:
    """A local path to return to after signing in; anything else goes home."""
    if not target:
        return url_for("web.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return url_for("web.home")
    return target
