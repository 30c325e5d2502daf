"""Only what passes is answered 503 "retry shortly" (issue 12, item 5): real errors of both
databases, classified by `is_transient`."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from workflow.store.database import is_transient, make_engine


def _error(engine, statement: str, setup=None) -> DBAPIError:
    with engine.connect() as connection:
        if setup:
            setup(connection)
        with pytest.raises(DBAPIError) as caught:
            connection.execute(text(statement))
    return caught.value


def test_sqlite_lock_is_transient_syntax_and_read_only_are_not(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
    assert not is_transient(_error(engine, "SELEC 1"))
    assert not is_transient(_error(engine, "SELECT * FROM missing"))
    read_only = create_engine(f"sqlite:///file:{tmp_path / 'x.sqlite3'}?mode=ro&uri=true")
    assert not is_transient(_error(read_only, "INSERT INTO t VALUES (1)"))
    impatient = create_engine(url, connect_args={"timeout": 0})
    holder = sqlite3.connect(tmp_path / "x.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    locked = _error(impatient, "INSERT INTO t VALUES (2)")
    holder.close()
    assert "locked" in str(locked)
    assert is_transient(locked)
    for e in (engine, read_only, impatient):
        e.dispose()


def test_postgresql_lost_connection_is_transient_a_full_table_name_is_not(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's errors")
    engine = make_engine(database_url)
    assert not is_transient(_error(engine, "SELECT * FROM missing"))
    assert not is_transient(_error(engine, "SELEC 1"))

    def killed(connection):
        pid = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with make_engine(database_url).connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    assert is_transient(_error(engine, "SELECT 1", killed))
    engine.dispose()
