"""Engines for the embedded SQLite default and for PostgreSQL, from one SQLAlchemy URL."""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path

from sqlalchemy import Connection, Engine, RootTransaction, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError


def sqlite_url(instance_path: str | Path) -> str:
    return f"sqlite:///{Path(instance_path) / 'recruitflow.sqlite3'}"


def make_engine(url: str, *, pool_size: int = 5) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    # No pre-ping: it would cost every request a round trip. A connection that died with the
    # server fails its request instead (an OperationalError, answered 503 "retry shortly"),
    # and SQLAlchemy then discards every pooled connection older than the failure.
    return create_engine(url, pool_size=pool_size, max_overflow=10)


def _create_owner_only(url: str) -> None:
    """Create the database file readable by its owner alone (it holds ID numbers and token
    hashes); SQLite gives its -wal and -shm files the same permissions."""
    path = make_url(url).database
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    if not os.path.exists(path):
        # No such folder: SQLite itself will say so on connecting.
        with suppress(FileNotFoundError):
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def _sqlite_engine(url: str) -> Engine:
    _create_owner_only(url)
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin (the
        # documented recipe), so that writers can take the lock up front below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        # A writer takes the write lock at BEGIN: a read transaction that later tries to write
        # would fail at once with "database is locked" when another writer got there first.
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


# What makes a SQLite transaction a writer's (see `_on_begin`).
WRITING = {"sqlite_begin": "IMMEDIATE"}


def writer(engine: Engine) -> Engine:
    """The same engine (and pool) with transactions that are meant to write."""
    if engine.dialect.name == "sqlite":
        return engine.execution_options(**WRITING)
    return engine


def begin_writing(connection: Connection) -> RootTransaction:
    """Begin a transaction meant to write on a connection of the plain engine."""
    if connection.dialect.name == "sqlite":
        connection.execution_options(**WRITING)
    return connection.begin()


# SQLite's primary result codes of a lock held by another writer: it will be free shortly.
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6
# PostgreSQL error classes and codes that a repeat of the request may not meet again: the
# connection (08), the server shutting down or starting (57P0x), a deadlock or serialization
# failure (40), too many connections, a lock not available. A syntax error, a missing table,
# a full disk or a read-only file stay what they are: retrying will not help.
_PG_TRANSIENT_CLASSES = ("08", "40", "57P")
_PG_TRANSIENT_CODES = frozenset({"53300", "55P03", "55006", "57014"})


def is_transient(error: DBAPIError) -> bool:
    """Whether a database error will likely pass if the request is repeated shortly."""
    if error.connection_invalidated:
        return True
    original = error.orig
    code = getattr(original, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    state = getattr(original, "sqlstate", None)
    if state is None:
        # psycopg's own failures to reach the server carry no SQLSTATE.
        return isinstance(error, OperationalError)
    return state.startswith(_PG_TRANSIENT_CLASSES) or state in _PG_TRANSIENT_CODES
