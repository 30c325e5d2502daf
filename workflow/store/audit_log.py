"""Reading the audit log for auditors: filtered pages, streams in bounded memory, chains.

Pages are keyset-paginated on the entry id (`id > cursor ORDER BY id`), so the thousandth
page costs what the first does. Streams fetch in batches (`yield_per`; a server-side cursor on
PostgreSQL) and must be consumed inside the transaction that opened them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import UTC
from typing import Any

from sqlalchemy import Connection, Select, Text, cast, exists, func, select

from workflow.audit import HASHED, AuditEntry, utc_text
from workflow.auditing.query import EntryFilter
from workflow.store.tables import audit_entries, dossiers, organizations

BATCH = 2000
# (first, last): the dossiers with ids in this range, inclusive, so that processes can share a
# verification, each reading only its part of the (dossier_id, seq) index.
Partition = tuple[int, int]
_ENTRY_COLUMNS = [c for c in audit_entries.c]


def _entry(values: Mapping[str, Any]) -> AuditEntry:
    moment = values["recorded_at"]
    # SQLite hands back naive datetimes; everything is stored in UTC.
    if moment.tzinfo is None:
        values = {**values, "recorded_at": moment.replace(tzinfo=UTC)}
    return AuditEntry(**values)


def _in_scope(query: Select, scope: str) -> Select:
    # The whole tree needs no join: the common case of an export or a verification stays cheap.
    if scope == "/":
        return query
    return (query.join(dossiers, dossiers.c.id == audit_entries.c.dossier_id)
            .join(organizations, organizations.c.id == dossiers.c.branch_id)
            .where(organizations.c.path.startswith(scope, autoescape=True)))


def _filtered(query: Select, f: EntryFilter) -> Select:
    query = _in_scope(query, f.scope)
    c = audit_entries.c
    conditions = [
        (f.dossier_id, lambda v: c.dossier_id == v),
        (f.actor_id, lambda v: c.actor_id == v),
        (f.action, lambda v: c.action == v),
        (f.kind, lambda v: c.kind == v),
        (f.recorded_from, lambda v: c.recorded_at >= v),
        (f.recorded_until, lambda v: c.recorded_at < v),
        (f.effective_from, lambda v: c.effective_date >= v),
        (f.effective_to, lambda v: c.effective_date <= v),
    ]
    return query.where(*(make(value) for value, make in conditions if value is not None))


class AuditLog:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def page(self, f: EntryFilter, *, after_id: int | None, limit: int) -> list[AuditEntry]:
        query = _filtered(select(*_ENTRY_COLUMNS), f)
        if after_id is not None:
            query = query.where(audit_entries.c.id > after_id)
        rows = self.connection.execute(query.order_by(audit_entries.c.id).limit(limit))
        return [_entry(r._mapping) for r in rows]

    def stream(self, f: EntryFilter) -> Iterator[AuditEntry]:
        query = _filtered(select(*_ENTRY_COLUMNS), f).order_by(audit_entries.c.id)
        result = self.connection.execution_options(yield_per=BATCH).execute(query)
        for row in result:
            yield _entry(row._mapping)

    def chains(self, scope: str,
               dossier_id: int | None = None) -> Iterator[tuple[AuditEntry, int]]:
        """Every entry in scope (of one dossier, if given) with its dossier's version, by
        dossier and seq."""
        query = (
            select(*_ENTRY_COLUMNS, dossiers.c.version.label("dossier_version"))
            .join(dossiers, dossiers.c.id == audit_entries.c.dossier_id)
            .order_by(audit_entries.c.dossier_id, audit_entries.c.seq)
        )
        if dossier_id is not None:
            query = query.where(audit_entries.c.dossier_id == dossier_id)
        if scope != "/":
            query = (query.join(organizations, organizations.c.id == dossiers.c.branch_id)
                     .where(organizations.c.path.startswith(scope, autoescape=True)))
        result = self.connection.execution_options(yield_per=BATCH).execute(query)
        for row in result:
            values = dict(row._mapping)
            version = values.pop("dossier_version")
            yield _entry(values), version

    def hashed_chains(self, scope: str, partition: Partition | None = None,
                      ) -> Iterator[tuple[list[Any], int, str, int]]:
        """(hashed values in `HASHED` order, seq, stored hash, dossier version) of every entry
        in scope, by dossier and seq: verification's hot loop, so the values come from the
        driver as stored and are normalised here."""
        c = audit_entries.c
        query = (
            # The payload as its stored text on both databases; parsed below.
            select(*(cast(c.payload, Text) if name == "payload" else getattr(c, name)
                     for name in HASHED), c.seq, c.hash, dossiers.c.version)
            .join(dossiers, dossiers.c.id == c.dossier_id)
            .order_by(c.dossier_id, c.seq)
        )
        if partition is not None:
            query = query.where(c.dossier_id.between(*partition))
        if scope != "/":
            query = (query.join(organizations, organizations.c.id == dossiers.c.branch_id)
                     .where(organizations.c.path.startswith(scope, autoescape=True)))
        # Run as the driver's own SQL: SQLAlchemy's result machinery would cost as much as
        # the hashing (measured with bench/audit_verify.py).
        compiled = query.compile(dialect=self.connection.dialect)
        params: Any = compiled.construct_params()
        if compiled.positional:
            params = tuple(params[name] for name in compiled.positiontup)
        result = (self.connection.execution_options(yield_per=BATCH)
                  .exec_driver_sql(str(compiled), params))
        decode = json.JSONDecoder().raw_decode
        for row in result:
            values = list(row[:14])
            day, payload, moment = values[5], values[6], values[10]
            if not isinstance(day, str):
                values[5] = day.isoformat()
            # raw_decode skips json.loads' whitespace scans. Text that is not exactly one
            # JSON value stays text: its hash cannot match, and verification says so.
            try:
                values[6], end = decode(payload)
                if end != len(payload):
                    values[6] = payload
            except ValueError:
                values[6] = payload
            # SQLite keeps the UTC instant as "YYYY-MM-DD HH:MM:SS.ffffff" (SQLAlchemy's
            # storage format, always to the microsecond); PostgreSQL hands back a datetime.
            values[10] = (f"{moment[:10]}T{moment[11:]}+00:00" if isinstance(moment, str)
                          else utc_text(moment))
            yield values, row[14], row[15], row[16]

    def dossiers_without_entries(self, scope: str, partition: Partition | None = None,
                                 ) -> list[tuple[int, int]]:
        """(id, version) of dossiers in scope that have no audit entry at all."""
        query = (
            select(dossiers.c.id, dossiers.c.version)
            .join(organizations, organizations.c.id == dossiers.c.branch_id)
            .where(organizations.c.path.startswith(scope, autoescape=True),
                   ~exists().where(audit_entries.c.dossier_id == dossiers.c.id))
            .order_by(dossiers.c.id)
        )
        if partition is not None:
            query = query.where(dossiers.c.id.between(*partition))
        return [(r.id, r.version) for r in self.connection.execute(query)]

    def dossier_id_range(self) -> tuple[int | None, int | None]:
        row = self.connection.execute(select(func.min(dossiers.c.id),
                                             func.max(dossiers.c.id))).one()
        return row[0], row[1]

    def heads(self, scope: str) -> Iterator[tuple[int, int, str]]:
        """(dossier_id, seq, hash) of the last entry of each chain in scope."""
        last = (select(audit_entries.c.dossier_id, func.max(audit_entries.c.seq).label("seq"))
                .group_by(audit_entries.c.dossier_id).subquery())
        query = _in_scope(
            select(audit_entries.c.dossier_id, audit_entries.c.seq, audit_entries.c.hash)
            .join(last, (last.c.dossier_id == audit_entries.c.dossier_id)
                  & (last.c.seq == audit_entries.c.seq)),
            scope,
        ).order_by(audit_entries.c.dossier_id)
        result = self.connection.execution_options(yield_per=BATCH).execute(query)
        for row in result:
            yield row.dossier_id, row.seq, row.hash
