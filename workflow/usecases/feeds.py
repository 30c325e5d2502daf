"""A user's agenda as a calendar subscription, behind a secret URL it can revoke.

The secret is shown once, when issued; only its hash is kept (as for bearer tokens), so a
leaked database does not reveal working feed URLs. Issuing a new one revokes the old.
"""

from __future__ import annotations

import secrets

from workflow.domain.actors import Actor
from workflow.domain.environment import Environment
from workflow.domain.errors import Forbidden, Message, NotFound, role_may_not
from workflow.store.feeds import CalendarFeeds
from workflow.store.uow import UnitOfWork
from workflow.usecases.agenda import AGENDA_ROLES, AgendaItem, agenda
from workflow.usecases.services import hash_token


def issue_feed(*, uow: UnitOfWork, env: Environment, actor: Actor) -> str:
    """A new secret for the actor's feed; any previous secret stops working."""
    if actor.role not in AGENDA_ROLES:
        raise Forbidden(role_may_not(actor.role, "subscribe to an agenda", "订阅日程"))
    secret = secrets.token_urlsafe(32)
    with uow.transaction(write=True) as tx:
        CalendarFeeds(tx.repo.connection).replace(user_id=actor.id,
                                                  secret_hash=hash_token(secret), now=env.now())
        tx.commit()
    return secret


def revoke_feed(*, uow: UnitOfWork, actor: Actor) -> None:
    with uow.transaction(write=True) as tx:
        revoked = CalendarFeeds(tx.repo.connection).revoke(actor.id)
        tx.commit()
    if not revoked:
        raise NotFound(Message("you have no calendar feed", "您没有日历订阅"))


def feed_agenda(*, uow: UnitOfWork, env: Environment,
                secret: str) -> tuple[Actor, list[AgendaItem]]:
    """The agenda of the user the secret belongs to, as that user would see it now."""
    with uow.transaction() as tx:
        actor = CalendarFeeds(tx.repo.connection).actor_by_secret_hash(hash_token(secret))
    if actor is None:
        raise NotFound(Message("no calendar feed with this address (it may have been revoked)",
                                "没有这个地址的日历订阅（可能已被撤销）"))
    return actor, agenda(uow=uow, env=env, actor=actor)
