"""Committees as the public sees them: name and where to raise an objection."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from workflow.store.tables import organizations

CONTACT_FIELDS = ("objection_phone", "objection_email", "objection_address")


@dataclass(frozen=True)
class ObjectionContact:
    """A committee and how the public reaches it about a publicity (公示)."""

    id: int
    name: str
    kind: str
    parent_id: int | None
    path: str
    objection_phone: str | None = None
    objection_email: str | None = None
    objection_address: str | None = None

    @property
    def has_contact(self) -> bool:
        return any(getattr(self, f) for f in CONTACT_FIELDS)


_COLUMNS = (organizations.c.id, organizations.c.name, organizations.c.kind,
            organizations.c.parent_id, organizations.c.path,
            *(organizations.c[f] for f in CONTACT_FIELDS))


class OrganizationContacts:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, organization_id: int) -> ObjectionContact | None:
        row = self.connection.execute(
            select(*_COLUMNS).where(organizations.c.id == organization_id)
        ).first()
        return ObjectionContact(*row) if row else None

    def many(self, ids: Iterable[int]) -> dict[int, ObjectionContact]:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        rows = self.connection.execute(select(*_COLUMNS).where(organizations.c.id.in_(wanted)))
        return {row.id: ObjectionContact(*row) for row in rows}

    def set_contact(self, organization_id: int, values: Mapping[str, str | None]) -> None:
        self.connection.execute(
            update(organizations).where(organizations.c.id == organization_id)
            .values(**{k: values[k] for k in CONTACT_FIELDS if k in values})
        )

    def subtree(self, path: str) -> list[ObjectionContact]:
        """Every organisation under a path (itself included), parents before children."""
        rows = self.connection.execute(
            select(*_COLUMNS).where(organizations.c.path.startswith(path, autoescape=True))
            .order_by(organizations.c.path))
        return [ObjectionContact(*row) for row in rows]
