"""Secret calendar URLs: one per user, stored as a hash like the bearer tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, insert, select

from workflow.domain.actors import Actor
from workflow.domain.roles import Role
from workflow.store.tables import calendar_feeds, organizations, users


class CalendarFeeds:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def replace(self, *, user_id: int, secret_hash: str, now: datetime) -> None:
        """The user's one feed: a new secret revokes the previous one."""
        self.revoke(user_id)
        self.connection.execute(
            insert(calendar_feeds).values(user_id=user_id, secret_hash=secret_hash,
                                          created_at=now)
        )

    def revoke(self, user_id: int) -> bool:
        deleted = self.connection.execute(
            delete(calendar_feeds).where(calendar_feeds.c.user_id == user_id)
        ).rowcount
        return bool(deleted)

    def actor_by_secret_hash(self, secret_hash: str) -> Actor | None:
        row = self.connection.execute(
            select(users.c.id, users.c.name, users.c.role, users.c.organization_id,
                   organizations.c.path)
            .join(users, users.c.id == calendar_feeds.c.user_id)
            .outerjoin(organizations, organizations.c.id == users.c.organization_id)
            # A deactivated user's feed stops with its token.
            .where(calendar_feeds.c.secret_hash == secret_hash, users.c.active)
        ).first()
        if row is None:
            return None
        return Actor(row.id, row.name, Role(row.role), row.organization_id, row.path or "/")
