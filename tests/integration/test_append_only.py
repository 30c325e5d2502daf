"""The audit table refuses every way of emptying it (issue 12, item 6), on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.helpers import create_applicant

STATEMENTS = {
    "postgresql": ["TRUNCATE audit_entries", "TRUNCATE dossiers CASCADE",
                   "TRUNCATE audit_entries RESTART IDENTITY CASCADE",
                   "DELETE FROM audit_entries", "UPDATE audit_entries SET seq = seq"],
    "sqlite": ["DELETE FROM audit_entries", "UPDATE audit_entries SET seq = seq"],
}


@pytest.mark.parametrize("index", range(5))
def test_the_audit_table_cannot_be_emptied(client, rt, org, index):
    create_applicant(client, org)
    statements = STATEMENTS[rt.engine.dialect.name]
    if index >= len(statements):
        pytest.skip("SQLite has no TRUNCATE")
    with rt.engine.connect() as connection, pytest.raises(DBAPIError) as refused:
        connection.execute(text(statements[index]))
    assert "append-only" in str(refused.value)
    with rt.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit_entries")).scalar() == 1
