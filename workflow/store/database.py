"""Engines for the embedded SQLite default and for PostgreSQL, from one SQLAlchemy URL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, RootTransaction, create_engine, event
from sqlalchemy.engine import make_url


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


def _sqlite_engine(url: str) -> Engine:
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
