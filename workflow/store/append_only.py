"""The audit table is append-only in the database itself: triggers refuse UPDATE and DELETE.

The hash chain makes a change evident; the triggers make it take a deliberate act (dropping
them, which needs the table owner's rights) rather than a stray statement. Installed by
migration 0002. `suspended` lifts them inside one transaction, for the test suite's cleanup
and for tests that play the tamperer; nothing in the service uses it.
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


def _statements(connection: Connection, *, install: bool) -> list[str]:
    if connection.dialect.name == "postgresql":
        return _POSTGRES_INSTALL if install else _POSTGRES_DROP
    return _SQLITE_INSTALL if install else _SQLITE_DROP


def install(connection: Connection) -> None:
    for statement in _statements(connection, install=True):
        connection.exec_driver_sql(statement)


def uninstall(connection: Connection) -> None:
    for statement in _statements(connection, install=False):
        connection.exec_driver_sql(statement)


@contextmanager
def suspended(connection: Connection) -> Iterator[None]:
    """Within the caller's transaction: the triggers are gone, then back (DDL is
    transactional on both databases, so no other session ever sees them missing)."""
    uninstall(connection)
    yield
    install(connection)
