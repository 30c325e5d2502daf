"""Who is who in a subtree: its users and the members of its registry, for the admin's lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, func, select

from workflow.store.tables import members, organizations, users


@dataclass(frozen=True)
class UserRow:
    id: int
    name: str
    role: str
    organization_id: int | None
    organization_name: str | None
    created_at: datetime
    login: str | None


@dataclass(frozen=True)
class MemberRow:
    id: int
    name: str
    branch_id: int
    branch_name: str
    status: str
    joined_on: date
    full_on: date | None
    dossier_id: int | None


class Directory:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def users(self, scope_path: str) -> list[UserRow]:
        """The users of a subtree; at the root also the administrators of the whole tree."""
        in_scope = organizations.c.path.startswith(scope_path, autoescape=True)
        if scope_path == "/":
            in_scope = in_scope | users.c.organization_id.is_(None)
        rows = self.connection.execute(
            select(users.c.id, users.c.name, users.c.role, users.c.organization_id,
                   organizations.c.name.label("organization_name"), users.c.created_at,
                   users.c.login)
            .outerjoin(organizations, organizations.c.id == users.c.organization_id)
            .where(in_scope).order_by(users.c.id))
        return [UserRow(*row) for row in rows]

    def members(self, scope_path: str, *, q: str | None, page: int,
                per_page: int) -> tuple[list[MemberRow], int]:
        """A page of the registry of a subtree, by name search, and how many there are."""
        where = [organizations.c.path.startswith(scope_path, autoescape=True)]
        if q:
            where.append(members.c.name.contains(q, autoescape=True))
        joined = members.join(organizations, organizations.c.id == members.c.branch_id)
        total = self.connection.execute(
            select(func.count()).select_from(joined).where(*where)).scalar_one()
        rows = self.connection.execute(
            select(members.c.id, members.c.name, members.c.branch_id,
                   organizations.c.name.label("branch_name"), members.c.status,
                   members.c.joined_on, members.c.full_on, members.c.dossier_id)
            .select_from(joined).where(*where).order_by(members.c.id)
            .limit(per_page).offset((page - 1) * per_page))
        return [MemberRow(*row) for row in rows], total
