"""Revocable access: listing users, deactivating them, replacing their tokens.

Every change of a user's credentials goes through `_revoke`, which stamps it: the
`credentials` stamp (a counter in the database) grows and the user's `credentials_stamp`
takes its value, in the same transaction as the change. A worker that remembers actors
(api/auth.py) reads the one counter at most every second; when it has grown, it forgets the
users whose stamp is above the value it saw last (`revoked_since`), and only them. A browser
session (or any other credential derived from a user) records the user's stamp when it is
created and is valid while `session_valid` says so: deactivation and a new token end it too.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from workflow.domain.actors import Actor
from workflow.domain.environment import Environment
from workflow.domain.errors import Conflict, Forbidden, Invalid, Message, NotFound
from workflow.domain.roles import Role
from workflow.store.access import Credentials, UserRow
from workflow.store.uow import UnitOfWork
from workflow.usecases.services import hash_token

# The command line acts as an administrator of the whole tree: whoever runs it holds the
# database's credentials anyway.
COMMAND_LINE = Actor(id=0, name="command line", role=Role.ADMIN, organization_id=None,
                     organization_path="/")


def _require_admin(actor: Actor) -> None:
    if actor.role != Role.ADMIN:
        raise Forbidden(Message("only administrators manage users", "只有管理员可以管理用户"))


def _in_scope(credentials: Credentials, actor: Actor, user_id: int) -> UserRow:
    user = credentials.user(user_id)
    # Outside the actor's scope a user does not exist (as for dossiers).
    if user is None or not actor.covers(user.organization_path):
        raise NotFound(Message(f"no user {user_id}", f"没有编号为{user_id}的用户"))
    return user


def list_users(*, uow: UnitOfWork, actor: Actor) -> list[UserRow]:
    _require_admin(actor)
    with uow.transaction() as tx:
        return Credentials(tx.repo.connection).users(scope_path=actor.organization_path)


def deactivate_user(*, uow: UnitOfWork, actor: Actor, user_id: int) -> UserRow:
    """The user's token, sessions and calendar feed stop working on every worker within
    about a second; its entries in the audit log stay as they are."""
    _require_admin(actor)
    if user_id == actor.id:
        raise Invalid({"user_id": Message("you may not deactivate yourself", "不能停用自己")})
    with uow.transaction(write=True) as tx:
        credentials = Credentials(tx.repo.connection)
        _in_scope(credentials, actor, user_id)
        change_credentials(credentials, user_id, active=False)
        user = credentials.user(user_id)
        tx.commit()
    return user


def _expiry(day: date | None, env: Environment) -> datetime | None:
    """A token valid through `day` (of the service's timezone) stops at the next midnight."""
    if day is None:
        return None
    if day < env.today():
        raise Invalid({"expires_on": Message("may not lie in the past", "不得早于今天")})
    return datetime.combine(day + timedelta(days=1), time(), ZoneInfo(env.timezone))


def replace_token(*, uow: UnitOfWork, env: Environment, actor: Actor, user_id: int,
                  expires_on: date | None = None) -> tuple[UserRow, str]:
    """A new token for the user, shown once; the old one stops working like a deactivated
    user's. `expires_on`: the last day the new token works (none: until replaced)."""
    _require_admin(actor)
    expires_at = _expiry(expires_on, env)
    token = secrets.token_urlsafe(32)
    with uow.transaction(write=True) as tx:
        credentials = Credentials(tx.repo.connection)
        if not _in_scope(credentials, actor, user_id).active:
            raise Conflict(Message("the user is deactivated", "该用户已停用"))
        change_credentials(credentials, user_id, token_hash=hash_token(token),
                token_expires_at=expires_at)
        user = credentials.user(user_id)
        tx.commit()
    return user, token


def change_credentials(credentials: Credentials, user_id: int, **values) -> None:
    """The one door for changing a user's credentials — deactivation, a new token, and any
    other credential (a password) — inside the caller's transaction: the change is stamped,
    so that workers forget the user and its sessions end (see the module's docstring)."""
    credentials.revoke(user_id, **values)


def authenticate(*, uow: UnitOfWork, env: Environment,
                 token: str) -> tuple[Actor, datetime | None] | None:
    """The active user with this unexpired token, and when the token expires (None: never),
    for a caller that remembers it."""
    with uow.transaction() as tx:
        return Credentials(tx.repo.connection).actor_by_token_hash(hash_token(token),
                                                                   env.now())


def revoked_since(*, uow: UnitOfWork, stamp: int | None) -> tuple[int, list[int]]:
    """The current `credentials` stamp, and the users whose credentials changed after
    `stamp` (none when `stamp` is None: a worker starting afresh remembers nobody)."""
    with uow.transaction() as tx:
        credentials = Credentials(tx.repo.connection)
        current = credentials.stamp()
        if stamp is None or current == stamp:
            return current, []
        return current, credentials.changed_since(stamp)


def session_valid(*, uow: UnitOfWork, user_id: int, stamp: int) -> bool:
    """Whether a session created when the user's credentials stamp was `stamp` still holds:
    the user is active and its credentials have not changed since."""
    with uow.transaction() as tx:
        current = Credentials(tx.repo.connection).current(user_id)
    return current is not None and current[0] and current[1] == stamp
