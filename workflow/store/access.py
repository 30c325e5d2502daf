"""Users' credentials: listing, deactivation, token replacement, and the `credentials` stamp
that tells each worker whom to forget (workflow.usecases.access)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, insert, or_, select, update

from workflow.domain.actors import Actor
from workflow.domain.roles import Role
from workflow.store.tables import organizations, stamps, users

CREDENTIALS = "credentials"


@dataclass(frozen=True)
class UserRow:
    id: int
    name: str
    role: str
    organization_id: int | None
    organization_path: str
    active: bool
    token_expires_at: datetime | None
    created_at: datetime
    organization_name: str | None = None
    login: str | None = None


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything is stored in UTC.
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


_USERS = (
    select(users.c.id, users.c.name, users.c.role, users.c.organization_id,
           organizations.c.path, users.c.active, users.c.token_expires_at, users.c.created_at,
           organizations.c.name.label("organization_name"), users.c.login)
    .outerjoin(organizations, organizations.c.id == users.c.organization_id)
)


class Credentials:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def users(self, *, scope_path: str) -> list[UserRow]:
        """Users whose organisation lies within the scope; administrators of the whole tree
        (no organisation) only for a scope that is the whole tree."""
        query = _USERS.order_by(users.c.id)
        if scope_path != "/":
            query = query.where(organizations.c.path.startswith(scope_path, autoescape=True))
        return [self._row(r) for r in self.connection.execute(query)]

    def user(self, user_id: int) -> UserRow | None:
        row = self.connection.execute(_USERS.where(users.c.id == user_id)).first()
        return self._row(row) if row else None

    @staticmethod
    def _row(r) -> UserRow:
        return UserRow(r.id, r.name, r.role, r.organization_id, r.path or "/", r.active,
                       _aware(r.token_expires_at), _aware(r.created_at), r.organization_name,
                       r.login)

    def revoke(self, user_id: int, **values) -> int:
        """Change a user's credentials (`values`: active, token_hash, token_expires_at) and
        stamp the change, in the caller's transaction; returns the new stamp."""
        stamp = self.connection.execute(
            update(stamps).where(stamps.c.name == CREDENTIALS)
            .values(value=stamps.c.value + 1).returning(stamps.c.value)
        ).scalar()
        if stamp is None:  # the row migration 0007 inserts is gone (an emptied database)
            stamp = 1
            self.connection.execute(insert(stamps).values(name=CREDENTIALS, value=stamp))
        self.connection.execute(
            update(users).where(users.c.id == user_id)
            .values(credentials_stamp=stamp, **values)
        )
        return stamp

    def actor_by_token_hash(self, token_hash: str,
                            now: datetime) -> tuple[Actor, datetime | None] | None:
        """The active user whose unexpired token has this hash, and when the token expires."""
        row = self.connection.execute(
            _USERS.where(users.c.token_hash == token_hash, users.c.active,
                         or_(users.c.token_expires_at.is_(None),
                             users.c.token_expires_at > now))
        ).first()
        if row is None:
            return None
        return (Actor(row.id, row.name, Role(row.role), row.organization_id, row.path or "/"),
                _aware(row.token_expires_at))

    def stamp(self) -> int:
        return self.connection.execute(
            select(stamps.c.value).where(stamps.c.name == CREDENTIALS)).scalar() or 0

    def changed_since(self, stamp: int) -> list[int]:
        """Users whose credentials changed after the stamp (an index range)."""
        return list(self.connection.execute(
            select(users.c.id).where(users.c.credentials_stamp > stamp)).scalars())

    def current(self, user_id: int) -> tuple[bool, int] | None:
        """(active, credentials_stamp) of a user, for a session to compare with its own."""
        row = self.connection.execute(
            select(users.c.active, users.c.credentials_stamp).where(users.c.id == user_id)
        ).first()
        return (row.active, row.credentials_stamp) if row else None
