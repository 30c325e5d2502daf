"""Reading the audit log for auditors: filtered pages, streams in bounded memory, chains.

Pages are keyset-paginated on the entry id (`id > cursor ORDER BY id`), so the thousandth
page costs what the first does. Streams fetch in batches (`yield_per`; a server-side cursor on
PostgreSQL; verification's rows in streamed chunks, see `hashed_chains`) and must be consumed
inside the transaction that opened them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    Text,
    case,
    cast,
    exists,
    func,
    literal_column,
    select,
)

from workflow.domain.audit import HASHED, AuditEntry, utc_text
from workflow.domain.audit_query import EntryFilter
from workflow.store.tables import audit_entries, dossiers, organizations

BATCH = 2000
# Rows a chunk when verification streams from PostgreSQL: the client's CPU per entry was a few
# per cent lower at 250-1000 than at 2000-8000 (bench/audit_verify.py).
STREAM_CHUNK = 1000
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


# What `hashed_chains` gives per entry: the hashed fields in `HASHED` order (the day, the
# instant and the payload as text), then the entry's seq and stored hash, its dossier's
# version (None: the dossier row is gone), the entry's revision (hashed where not 1), on the
# entry numbered 1 only the dossier's row as a JSON array of the columns asked for
# (`row_fields`: those its log implies), so that one query in one snapshot gives both and no
# row is repeated per entry, and the entry's id (a record's id, which a voiding names).
HASHED_ROW = (*HASHED, "seq", "hash", "dossier_version", "revision", "dossier_row", "id")
# The instant as `utc_text` writes it, by PostgreSQL's to_char (no locale-dependent field).
_PG_UTC_TEXT = """'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'"""


def _hashed_day_and_moment(dialect: str) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """The effective date and the server time as the hash takes them, computed by the
    database; the bare columns on a database not listed here (then normalised in Python)."""
    c = audit_entries.c
    if dialect == "postgresql":
        return (func.to_char(c.effective_date, literal_column("'YYYY-MM-DD'")),
                func.to_char(func.timezone(literal_column("'UTC'"), c.recorded_at),
                             literal_column(_PG_UTC_TEXT)))
    if dialect == "sqlite":
        # SQLAlchemy stores a date as "YYYY-MM-DD" and an instant (here always UTC) as
        # "YYYY-MM-DD HH:MM:SS.ffffff", always to the microsecond.
        return (c.effective_date,
                literal_column("substr(audit_entries.recorded_at, 1, 10) || 'T' || "
                               "substr(audit_entries.recorded_at, 12) || '+00:00'"))
    return c.effective_date, c.recorded_at


def _normalised(rows: Iterator[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    """Rows of the bare columns in the text form of `_hashed_day_and_moment`."""
    for row in rows:
        values = list(row)
        values[5], values[10] = values[5].isoformat(), utc_text(values[10])
        yield values


@cache
def _libpq_streams_chunks() -> bool:
    # psycopg's stream(size=N) needs the chunked-rows mode of libpq 17.
    import psycopg

    return psycopg.pq.version() >= 170000


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

    def hashed_chains(self, scope: str, partition: Partition | None = None, *,
                      row_fields: Sequence[str] = ("version",)) -> Iterator[Sequence[Any]]:
        """Every entry in scope, by dossier and seq, as a row of `HASHED_ROW` columns:
        verification's hot loop.

        The day, the instant and the payload come as text, the day and the instant already in
        their hashed form (`date.isoformat`, `utc_text`) and the payload as stored (parsed by
        the verifier), so that no date, datetime or SQLAlchemy row is built per entry; rows
        come straight from the driver (SQLAlchemy's result machinery would cost as much as the
        hashing; measured with bench/audit_verify.py)."""
        c = audit_entries.c
        day, moment = _hashed_day_and_moment(self.connection.dialect.name)
        columns = {"effective_date": day, "payload": cast(c.payload, Text),
                   "recorded_at": moment}
        pack = (func.json_build_array if self.connection.dialect.name == "postgresql"
                else func.json_array)
        row = case((c.seq == 1, cast(pack(*(dossiers.c[name] for name in row_fields)), Text)),
                   else_=None)
        # An outer join: entries whose dossier row is gone are verified too, and reported.
        query = (
            select(*(columns.get(name, c[name]) for name in HASHED),
                   c.seq, c.hash, dossiers.c.version, c.revision, row, c.id)
            .outerjoin(dossiers, dossiers.c.id == c.dossier_id)
            .order_by(c.dossier_id, c.seq)
        )
        if partition is not None:
            query = query.where(c.dossier_id.between(*partition))
        if scope != "/":
            query = (query.join(organizations, organizations.c.id == dossiers.c.branch_id)
                     .where(organizations.c.path.startswith(scope, autoescape=True)))
        compiled = query.compile(dialect=self.connection.dialect)
        params: Any = compiled.construct_params()
        if compiled.positional:
            params = tuple(params[name] for name in compiled.positiontup)
        rows = self._driver_rows(str(compiled), params)
        if day is c.effective_date and moment is c.recorded_at:
            rows = _normalised(rows)
        yield from rows

    def _driver_rows(self, sql: str, params: Any) -> Iterator[Sequence[Any]]:
        """The rows of a query as the driver's own tuples, fetched in batches: streamed on
        psycopg 3 with a libpq that sends rows in chunks (the server produces the next chunk
        while this process hashes the last; no round trip per batch), from the sqlite3
        cursor on SQLite, otherwise through a SQLAlchemy server-side cursor."""
        driver = self.connection.dialect.driver
        if driver == "psycopg" and _libpq_streams_chunks():
            cursor = self.connection.connection.driver_connection.cursor()
            with cursor:
                yield from cursor.stream(sql, params, size=STREAM_CHUNK)
        elif driver == "pysqlite":
            cursor = self.connection.connection.driver_connection.cursor()
            try:
                yield from cursor.execute(sql, params)
            finally:
                cursor.close()
        else:
            yield from (self.connection.execution_options(yield_per=BATCH)
                        .exec_driver_sql(sql, params))

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
