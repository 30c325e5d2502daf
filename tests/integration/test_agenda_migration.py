"""Migration 0005 on a database with history: admission dates come from the log, the deadline
index starts as not built (the agenda computes every dossier) until a reindex; it downgrades."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic import command
from sqlalchemy import column, insert, select, table

import states
from tests.conftest import _empty
from workflow.domain.calendar import WorkingDayCalendar
from workflow.domain.environment import Environment
from workflow.domain.rulebook import RulebookSet
from workflow.store.database import make_engine
from workflow.store.migrate import alembic_config, current_revision, head_revision
from workflow.store.tables import audit_entries, dossiers, organizations
from workflow.store.uow import UnitOfWork
from workflow.usecases import agenda

# The dossiers table as revision 0004 had it.
OLD_DOSSIERS = table("dossiers", *[
    column(c.name, c.type) for c in dossiers.c if c.name not in ("admitted_on", "next_due")
])
NOW = datetime(2025, 3, 1, 8, 30, tzinfo=UTC)


def _dossier(dossier_id: int, state: str, version: int, **facts) -> dict:
    # Every row with the same keys: an executemany takes its columns from the first.
    unset = dict.fromkeys(("activist_on", "candidate_on", "publicity_started_on", "voted_on",
                           "closing_reason"))
    return {"id": dossier_id, "branch_id": 1, "name": f"申请人{dossier_id}", "gender": "female",
            "birth_date": date(1999, 5, 4), "applied_on": date(2024, 3, 1), "state": state,
            "version": version, "last_effective_on": date(2024, 3, 1), "extension_months": 0,
            "created_at": NOW, "updated_at": NOW, **unset, **facts}


def _entries(dossier_id: int, steps: list[tuple[str, str, str, date]]) -> list[dict]:
    return [
        {"dossier_id": dossier_id, "seq": seq, "kind": kind, "action": action,
         "from_state": None if seq == 1 else to_state, "to_state": to_state,
         "effective_date": on, "payload": {}, "actor_id": 1, "actor_name": "书记",
         "actor_role": "branch", "recorded_at": NOW, "request_id": None,
         "rulebook_id": "2014", "prev_hash": "0" * 64, "hash": f"{dossier_id:032d}{seq:032d}"}
        for seq, (kind, action, to_state, on) in enumerate(steps, start=1)
    ]


def test_upgrade_backfills_admissions_and_leaves_the_index_to_build(database_url):
    engine = make_engine(database_url)
    try:
        command.downgrade(alembic_config(engine), "0004")
        voted, approved = date(2025, 1, 10), date(2025, 2, 10)
        with engine.begin() as connection:
            connection.execute(insert(organizations).values(
                id=1, name="支部", kind="branch", path="/1/", created_at=NOW))
            connection.execute(insert(OLD_DOSSIERS), [
                _dossier(1, "applicant", 1),
                _dossier(2, "probationary", 3, activist_on=date(2024, 4, 1),
                         candidate_on=date(2024, 10, 1), publicity_started_on=date(2025, 1, 2),
                         voted_on=voted),
                _dossier(3, "withdrawn", 4, voted_on=voted, closing_reason="本人申请"),
            ])
            connection.execute(insert(audit_entries), [
                *_entries(1, [("create", "create", "applicant", date(2024, 3, 1))]),
                *_entries(2, [("create", "create", "applicant", date(2024, 3, 1)),
                              ("transition", "hold_vote", "approval", voted),
                              ("transition", "approve", "probationary", approved)]),
                *_entries(3, [("create", "create", "applicant", date(2024, 3, 1)),
                              ("transition", "hold_vote", "approval", voted),
                              ("transition", "approve", "probationary", date(2025, 2, 1)),
                              ("transition", "withdraw", "withdrawn", date(2025, 2, 20))]),
            ])
        command.upgrade(alembic_config(engine), "head")
        assert current_revision(engine) == head_revision()
        with engine.connect() as connection:
            rows = {r.id: r for r in connection.execute(
                select(dossiers.c.id, dossiers.c.admitted_on, dossiers.c.next_due))}
        assert {i: r.admitted_on for i, r in rows.items()} == {
            1: None, 2: approved, 3: date(2025, 2, 1)}
        assert {r.next_due for r in rows.values()} == {None}

        env = Environment(states.PROCEDURE, RulebookSet.from_config(), WorkingDayCalendar())
        uow = UnitOfWork(engine)
        assert not agenda.index_is_current(uow=uow, env=env)
        done = agenda.reindex_if_stale(uow=uow, env=env)
        assert (done.dossiers, done.changed) == (2, 2)
        assert agenda.reindex_if_stale(uow=uow, env=env) is None
        with engine.connect() as connection:
            due = dict(connection.execute(select(dossiers.c.id, dossiers.c.next_due)).all())
        # The application talk within a month; probation's end a year after the vote.
        assert due == {1: date(2024, 4, 1), 2: date(2026, 1, 10), 3: None}

        command.downgrade(alembic_config(engine), "0004")
        command.upgrade(alembic_config(engine), "head")
        assert not agenda.index_is_current(uow=uow, env=env)
    finally:
        command.upgrade(alembic_config(engine), "head")
        engine.dispose()
        _empty(database_url)
