"""Alembic environment: the engine comes from the caller (see migrate.py), never from a file."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from workflow.store.database import make_engine
from workflow.store.tables import metadata

config = context.config
engine = config.attributes.get("engine")
if engine is None:
    # `alembic revision --autogenerate` from the command line: -x url=...
    url = context.get_x_argument(as_dictionary=True).get("url", "sqlite://")
    engine = make_engine(url) if "://" in url else create_engine(url)

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
