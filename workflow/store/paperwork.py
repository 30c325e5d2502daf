"""Queries of the paperwork (filings, rosters, import): which dossiers a document lists, the
registry of a scope, and what an import must find (branches, members, existing dossiers)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from sqlalchemy import Connection, insert, select

from workflow.domain.audit import AuditEntry
from workflow.store.tables import audit_entries, dossiers, members, organizations

# The dates a document may select its dossiers by (a column of the dossier).
DATE_FIELDS = ("applied_on", "activist_on", "candidate_on", "voted_on", "admitted_on",
               "conversion_voted_on", "membership_on")


def dossier_ids(connection: Connection, *, scope_path: str,
                states: Iterable[str] | None = None, date_field: str | None = None,
                start: date | None = None, end: date | None = None,
                branch_id: int | None = None, q: str | None = None) -> list[int]:
    """Ids of the dossiers of a subtree, by branch, then by the date asked for, then id."""
    query = (select(dossiers.c.id)
             .join(organizations, organizations.c.id == dossiers.c.branch_id)
             .where(organizations.c.path.startswith(scope_path, autoescape=True)))
    if states is not None:
        query = query.where(dossiers.c.state.in_(list(states)))
    if branch_id is not None:
        query = query.where(dossiers.c.branch_id == branch_id)
    if q:
        query = query.where(dossiers.c.name.contains(q, autoescape=True))
    order: list[Any] = [organizations.c.path]
    if date_field is not None:
        if date_field not in DATE_FIELDS:
            raise ValueError(date_field)
        column = dossiers.c[date_field]
        query = query.where(column.is_not(None))
        if start is not None:
            query = query.where(column >= start)
        if end is not None:
            query = query.where(column <= end)
        order.append(column)
    return list(connection.execute(query.order_by(*order, dossiers.c.id)).scalars())


def registry(connection: Connection, *, scope_path: str, branch_id: int | None = None,
             status: str | None = None) -> Iterator[Any]:
    query = (select(members, organizations.c.name.label("branch_name"))
             .join(organizations, organizations.c.id == members.c.branch_id)
             .where(organizations.c.path.startswith(scope_path, autoescape=True)))
    if branch_id is not None:
        query = query.where(members.c.branch_id == branch_id)
    if status is not None:
        query = query.where(members.c.status == status)
    yield from connection.execute(query.order_by(organizations.c.path, members.c.id))


def branches(connection: Connection, *, scope_path: str) -> list[Any]:
    return list(connection.execute(
        select(organizations.c.id, organizations.c.name, organizations.c.path)
        .where(organizations.c.path.startswith(scope_path, autoescape=True),
               organizations.c.kind == "branch")
        .order_by(organizations.c.path)))


def members_by_name(connection: Connection, *, scope_path: str) -> list[Any]:
    """The registry of a subtree (id, name, branch), to find the members a sheet names."""
    return list(connection.execute(
        select(members.c.id, members.c.name, members.c.branch_id, members.c.status,
               members.c.joined_on)
        .join(organizations, organizations.c.id == members.c.branch_id)
        .where(organizations.c.path.startswith(scope_path, autoescape=True))
        .order_by(members.c.id)))


def identities(connection: Connection, *, scope_path: str) -> Iterator[Any]:
    """What tells one person from another: ID number, and name with birth date and branch,
    of every dossier of a subtree (to refuse importing a dossier twice)."""
    yield from connection.execute(
        select(dossiers.c.id, dossiers.c.id_number, dossiers.c.name, dossiers.c.birth_date,
               dossiers.c.branch_id)
        .join(organizations, organizations.c.id == dossiers.c.branch_id)
        .where(organizations.c.path.startswith(scope_path, autoescape=True)))


# The import writes new dossiers in batches: one statement for a batch's dossiers (their ids
# returned in order), one for their entries, one for the members they make. Nobody else can
# write to a dossier before the import's transaction commits, so each chain starts at GENESIS
# and is sealed in memory.

# Every column of an entry but its id, as the entry carries it.
_ENTRY_FIELDS = tuple(c.name for c in audit_entries.columns if c.name != "id")


def insert_dossiers(connection: Connection, rows: list[dict[str, Any]]) -> list[int]:
    """Insert dossiers (PROFILE_FIELDS, FACT_FIELDS, branch_id, timestamps, next_due) and
    return their ids in the order given."""
    statement = insert(dossiers).returning(dossiers.c.id, sort_by_parameter_order=True)
    return list(connection.execute(statement, rows).scalars())


def insert_entries(connection: Connection, entries: Iterable[AuditEntry]) -> None:
    rows = [{k: getattr(e, k) for k in _ENTRY_FIELDS} for e in entries]
    if rows:
        connection.execute(insert(audit_entries), rows)


def insert_members(connection: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        connection.execute(insert(members), rows)
