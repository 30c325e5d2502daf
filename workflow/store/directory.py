"""Who and what is in a scope: the organisations of a subtree and the member registry (its
users: workflow.store.access)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, func, select

from workflow.store.tables import dossiers, members, organizations, users


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


def tree_order(path: str) -> tuple[int, ...]:
    """Sort key of a materialised path ("/1/12/"): parents before their children, siblings by
    id (plain text order would put "/1/12/" before "/1/4/")."""
    return tuple(int(part) for part in path.strip("/").split("/") if part)


class Directory:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def organizations_under(self, scope_path: str) -> list[Any]:
        rows = self.connection.execute(
            select(organizations).where(
                organizations.c.path.startswith(scope_path, autoescape=True))
        ).all()
        return sorted(rows, key=lambda row: tree_order(row.path))

    def members(self, *, scope_path: str, branch_id: int | None, status: str | None,
                q: str | None, page: int, per_page: int) -> tuple[list[MemberRow], int]:
        conditions = [organizations.c.path.startswith(scope_path, autoescape=True)]
        if branch_id:
            conditions.append(members.c.branch_id == branch_id)
        if status:
            conditions.append(members.c.status == status)
        if q:
            conditions.append(members.c.name.contains(q, autoescape=True))
        joined = members.join(organizations, organizations.c.id == members.c.branch_id)
        where = and_(*conditions)
        total = self.connection.execute(
            select(func.count()).select_from(joined).where(where)).scalar_one()
        rows = self.connection.execute(
            select(members.c.id, members.c.name, members.c.branch_id,
                   organizations.c.name.label("branch_name"), members.c.status,
                   members.c.joined_on, members.c.full_on, members.c.dossier_id)
            .select_from(joined).where(where).order_by(members.c.id)
            .limit(per_page).offset((page - 1) * per_page)
        ).all()
        return [MemberRow(*row) for row in rows], total

    def dossier_names(self, dossier_id: int) -> tuple[str, str]:
        """A dossier's person and branch, by name ("" where the dossier is gone)."""
        row = self.connection.execute(
            select(dossiers.c.name, organizations.c.name)
            .join(organizations, organizations.c.id == dossiers.c.branch_id)
            .where(dossiers.c.id == dossier_id)
        ).first()
        return (row[0], row[1]) if row else ("", "")

    def holds_data(self) -> bool:
        """Whether anyone has put anything in the database: a user, an organisation."""
        return any(self.connection.execute(select(table.c.id).limit(1)).first()
                   for table in (users, organizations))
