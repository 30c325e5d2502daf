"""Read-only queries over many dossiers at once: the agenda, the publicity board, statistics.

Each loads what it needs in a fixed number of queries, whatever the number of dossiers.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Text, and_, cast, func, select

from workflow.domain.dossier import NOT_LOADED, VOID, Dossier, Record, records_from_log
from workflow.store.repository import FACT_FIELDS
from workflow.store.tables import audit_entries, dossiers, organizations


class LazyJson(Mapping[str, Any]):
    """A record's fields, decoded when first read: most deadlines look only at a record's
    type and date, and decoding every payload was most of the agenda's time."""

    __slots__ = ("_decoded", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._decoded: dict[str, Any] | None = None

    def _data(self) -> dict[str, Any]:
        if self._decoded is None:
            self._decoded = json.loads(self._text)
        return self._decoded

    def __getitem__(self, key: str) -> Any:
        return self._data()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data())

    def __len__(self) -> int:
        return len(self._data())


@dataclass(frozen=True)
class OpenDossier:
    """A dossier (with its records, or NOT_LOADED), and what a list of obligations shows
    about it."""

    dossier: Dossier
    name: str
    branch_name: str
    # The deadline index as stored (workflow.domain.deadlines).
    next_due: date | None = None


# Dossier ids per query of their records.
RECORDS_SLICE = 5000
# What a list of obligations needs of a dossier row: its facts, its name, its bound (not the
# whole profile, whose timestamps alone cost more to convert than the rest).
_OPEN_COLUMNS = (dossiers.c.id, dossiers.c.branch_id, dossiers.c.name, dossiers.c.birth_date,
                 dossiers.c.applied_on, dossiers.c.next_due,
                 *(dossiers.c[k] for k in FACT_FIELDS))
_FACTS_AT = 6


class Reports:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def dossiers_with_records(self, *, scope_path: str,
                              states: Iterable[str]) -> list[OpenDossier]:
        """Dossiers of a subtree in the given states, each with its records (two queries)."""
        where = self._in_scope(scope_path, states)
        found = self._dossiers(where)
        if found:
            records = self._records(audit_entries.c.dossier_id.in_(
                select(dossiers.c.id).where(where)))
            for entry in found:
                entry.dossier.records = records.get(entry.dossier.id, [])
        return found

    def dossiers_in_scope(self, *, scope_path: str, states: Iterable[str],
                          due_by: date | None = None) -> list[OpenDossier]:
        """Dossiers of a subtree in the given states, their records NOT_LOADED (`records`
        reads them for those that need them).

        With `due_by`, only those whose deadline index (`next_due`, a lower bound of their
        due dates) is on or before that day: an index range per branch of the subtree."""
        where = self._in_scope(scope_path, states)
        if due_by is not None:
            where = and_(where, dossiers.c.next_due <= due_by)
        return self._dossiers(where)

    def dossiers_after(self, *, after_id: int, states: Iterable[str],
                       limit: int) -> list[OpenDossier]:
        """The next `limit` dossiers in the given states by id, after `after_id`, their records
        NOT_LOADED: a rebuild of the deadline index, batch by batch."""
        return self._dossiers(and_(dossiers.c.id > after_id, dossiers.c.state.in_(list(states))),
                              limit=limit)

    def records(self, dossier_ids: Iterable[int],
                record_types: Iterable[str]) -> dict[int, list[Record]]:
        """The records of these types of these dossiers, by dossier, in recording order (with
        their voidings, so that a voided record is marked as such)."""
        ids, types = sorted(set(dossier_ids)), [*record_types, VOID]
        found: dict[int, list[Record]] = {}
        # In slices: SQLite takes so many parameters to a statement, and no more.
        for start in range(0, len(ids), RECORDS_SLICE):
            found.update(self._records(
                audit_entries.c.dossier_id.in_(ids[start:start + RECORDS_SLICE]),
                audit_entries.c.action.in_(types)))
        return found

    @staticmethod
    def _in_scope(scope_path: str, states: Iterable[str]) -> Any:
        # The branches of the subtree as a list, not a join: with a join SQLite's planner
        # prefers walking every dossier in id order to a range of the index per branch.
        branches = select(organizations.c.id).where(
            organizations.c.path.startswith(scope_path, autoescape=True))
        return and_(dossiers.c.branch_id.in_(branches), dossiers.c.state.in_(list(states)))

    def _dossiers(self, where: Any, *, limit: int | None = None) -> list[OpenDossier]:
        rows = self.connection.execute(
            select(*_OPEN_COLUMNS, organizations.c.name.label("branch_name"))
            .select_from(dossiers.join(organizations,
                                       organizations.c.id == dossiers.c.branch_id))
            .where(where).order_by(dossiers.c.id).limit(limit)
        ).all()
        facts = slice(_FACTS_AT, _FACTS_AT + len(FACT_FIELDS))
        return [
            OpenDossier(
                Dossier(id=row.id, branch_id=row.branch_id, birth_date=row.birth_date,
                        applied_on=row.applied_on, records=NOT_LOADED,
                        **dict(zip(FACT_FIELDS, row[facts], strict=True))),
                row.name, row.branch_name, row.next_due,
            )
            for row in rows
        ]

    def _records(self, *where: Any) -> dict[int, list[Record]]:
        logged: dict[int, list[tuple]] = defaultdict(list)
        entries = self.connection.execute(
            select(audit_entries.c.dossier_id, audit_entries.c.id, audit_entries.c.action,
                   audit_entries.c.effective_date,
                   cast(audit_entries.c.payload, Text).label("payload"))
            .where(audit_entries.c.kind == "record", *where)
            .order_by(audit_entries.c.dossier_id, audit_entries.c.seq)
        )
        for e in entries:
            logged[e.dossier_id].append((e.id, e.action, e.effective_date, LazyJson(e.payload)))
        return {dossier_id: records_from_log(found) for dossier_id, found in logged.items()}

    def state_counts(self, *, scope_path: str) -> list[Any]:
        """(branch_id, branch_name, state, count) for every branch of a subtree."""
        return self.connection.execute(
            select(organizations.c.id.label("branch_id"), organizations.c.name.label("branch_name"),
                   # Counting a column of ix_dossiers_branch_state, not the id, lets
                   # PostgreSQL count from the index alone (a committee's dossiers lie all
                   # over the table: visiting their rows was a sequential scan of it).
                   dossiers.c.state, func.count(dossiers.c.state).label("count"))
            .select_from(organizations.outerjoin(dossiers,
                                                 dossiers.c.branch_id == organizations.c.id))
            .where(organizations.c.path.startswith(scope_path, autoescape=True),
                   organizations.c.kind == "branch")
            .group_by(organizations.c.id, organizations.c.name, dossiers.c.state)
            .order_by(organizations.c.id, dossiers.c.state)
        ).all()

    def admitted(self, *, scope_path: str, start: date, end: date) -> list[Any]:
        """The profiles of those admitted (approved as probationary members) between two
        dates: an index range per branch of the subtree (`admitted_on`, a fact the approval
        sets), not a search of the nationwide log."""
        return self.connection.execute(
            select(dossiers.c.id, dossiers.c.gender, dossiers.c.birth_date,
                   dossiers.c.ethnicity, dossiers.c.education, dossiers.c.frontline,
                   dossiers.c.admitted_on)
            .select_from(dossiers.join(organizations,
                                       organizations.c.id == dossiers.c.branch_id))
            .where(organizations.c.path.startswith(scope_path, autoescape=True),
                   dossiers.c.admitted_on.between(start, end))
            .order_by(dossiers.c.admitted_on, dossiers.c.id)
        ).all()
