"""The migrations build exactly the schema `workflow.store.tables` declares (columns, indexes,
constraints): a table or index changed in one place and not the other fails here."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from workflow.store.database import make_engine
from workflow.store.tables import metadata


def test_the_migrated_schema_is_the_declared_one(database_url):
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": False})
            differences = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    assert differences == []
