"""The audit table is append-only in the database itself: triggers refuse UPDATE, DELETE and
(PostgreSQL) TRUNCATE.

The hash chain makes a change evident; the triggers make it take a deliberate act (dropping
them, which needs the table owner's rights) rather than a stray statement. The row triggers
are installed by migration 0002; PostgreSQL's row triggers do not fire on TRUNCATE (nor on
the TRUNCATE … CASCADE of a table the entries refer to), so migration 0007 adds a statement
trigger for it; SQLite has no TRUNCATE (its `DELETE FROM` without WHERE fires the row
trigger). `suspended` lifts them all inside one transaction, for the test suite's cleanup and
for tests that play the tamperer; nothing in the service uses it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

TABLE = "audit_entries"
MESSAGE = "audit entries are append-only"

_SQLITE_INSTALL = [
    f"CREATE TRIGGER {TABLE}_no_{verb.lower()} BEFORE {verb} ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    for verb in ("UPDATE", "DELETE")
]
_SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {TABLE}_no_{verb}" for verb in ("update", "delete")]

_POSTGRES_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
    END $$""",
    f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only()",
]
_POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_append_only()",
]
# Migration 0007: the same function, once per TRUNCATE statement.
_POSTGRES_TRUNCATE_INSTALL = [
    f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_append_only()",
]
_POSTGRES_TRUNCATE_DROP = [f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}"]


def _statements(connection: Connection, *, install: bool) -> list[str]:
    if connection.dialect.name == "postgresql":
        return _POSTGRES_INSTALL if install else _POSTGRES_DROP
    return _SQLITE_INSTALL if install else _SQLITE_DROP


def _run(connection: Connection, statements: list[str]) -> None:
    for statement in statements:
        connection.exec_driver_sql(statement)


def install(connection: Connection) -> None:
    """The row triggers (migration 0002)."""
    _run(connection, _statements(connection, install=True))


def uninstall(connection: Connection) -> None:
    _run(connection, _statements(connection, install=False))


def install_truncate_trigger(connection: Connection) -> None:
    """PostgreSQL's statement trigger against TRUNCATE (migration 0007)."""
    if connection.dialect.name == "postgresql":
        _run(connection, _POSTGRES_TRUNCATE_INSTALL)


def uninstall_truncate_trigger(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        _run(connection, _POSTGRES_TRUNCATE_DROP)


@contextmanager
def suspended(connection: Connection) -> Iterator[None]:
    """Within the caller's transaction: the triggers are gone, then back (DDL is
    transactional on both databases, so no other session ever sees them missing)."""
    uninstall_truncate_trigger(connection)
    uninstall(connection)
    yield
    install(connection)
    install_truncate_trigger(connection)
