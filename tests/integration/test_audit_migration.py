"""Migration 0002 on a database with history: existing entries are chained, and it downgrades."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic import command
from sqlalchemy import column, insert, select, table

from tests.conftest import _empty
from workflow.domain.audit import GENESIS
from workflow.store.database import make_engine
from workflow.store.migrate import alembic_config, current_revision, head_revision
from workflow.store.tables import audit_entries, dossiers, organizations
from workflow.store.uow import UnitOfWork
from workflow.usecases.auditing import services

# The audit table as revision 0001 had it, without the chain.
OLD_AUDIT_ENTRIES = table("audit_entries", *[
    column(c.name, c.type) for c in audit_entries.c if c.name not in ("id", "prev_hash", "hash")
])


def test_upgrade_chains_existing_entries(database_url, rt):
    engine = make_engine(database_url)
    try:
        command.downgrade(alembic_config(engine), "0001")
        now = datetime(2025, 3, 1, 8, 30, 15, 123456, tzinfo=UTC)
        with engine.begin() as connection:
            connection.execute(insert(organizations).values(
                id=1, name="支部", kind="branch", path="/1/", created_at=now))
            connection.execute(insert(dossiers).values(
                id=1, branch_id=1, name="赵敏", gender="female", birth_date=date(1999, 5, 4),
                applied_on=date(2025, 3, 1), state="applicant", version=2,
                last_effective_on=date(2025, 3, 1), extension_months=0, created_at=now,
                updated_at=now))
            common = {"dossier_id": 1, "to_state": "applicant", "actor_id": 1,
                      "actor_name": "书记", "actor_role": "branch", "recorded_at": now,
                      "rulebook_id": "2014", "request_id": None}
            connection.execute(insert(OLD_AUDIT_ENTRIES), [
                {**common, "seq": 1, "kind": "create", "action": "create", "from_state": None,
                 "effective_date": date(2025, 3, 1),
                 # The creation's profile, as the service always logged it.
                 "payload": {"branch_id": 1, "name": "赵敏", "gender": "female",
                             "birth_date": "1999-05-04", "applied_on": "2025-03-01"}},
                {**common, "seq": 2, "kind": "record", "action": "talk",
                 "from_state": "applicant", "effective_date": date(2025, 3, 8),
                 "payload": {"by": "支部书记"}},
            ])
        command.upgrade(alembic_config(engine), "head")
        assert current_revision(engine) == head_revision()
        with engine.connect() as connection:
            rows = connection.execute(select(audit_entries.c.prev_hash, audit_entries.c.hash)
                                      .order_by(audit_entries.c.seq)).all()
        assert rows[0].prev_hash == GENESIS and rows[1].prev_hash == rows[0].hash
        result = services.verify(uow=UnitOfWork(engine), env=rt.env,
                                 actor=services.COMMAND_LINE)
        assert result.ok and result.entries == 2
    finally:
        command.upgrade(alembic_config(engine), "head")
        engine.dispose()
        _empty(database_url)
