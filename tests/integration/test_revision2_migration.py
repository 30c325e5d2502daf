"""Migration 0006 on a database with revision-1 history in flight: entries keep their hashes
(and name revision 1), a dossier extended or disqualified under revision 1 stays so and its
history replays without findings, one awaiting the approval of its conversion is approved as
a conversion; downgrading works until revision-2 entries exist, then refuses."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from alembic import command
from sqlalchemy import column, insert, select, table

import states
from tests.conftest import _empty
from workflow.domain.actors import Actor
from workflow.domain.audit import GENESIS, entry_for, sealed
from workflow.domain.calendar import WorkingDayCalendar
from workflow.domain.environment import Environment
from workflow.domain.roles import Role
from workflow.domain.rulebook import RulebookSet
from workflow.store.audit_log import AuditLog
from workflow.store.database import make_engine
from workflow.store.migrate import alembic_config
from workflow.store.tables import audit_entries, dossiers, organizations
from workflow.store.uow import UnitOfWork
from workflow.usecases import services
from workflow.usecases.auditing.chain import verify_chains
from workflow.usecases.auditing.compliance import replay

NOW = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)
# The tables as revision 0005 had them.
OLD_DOSSIERS = table("dossiers", *[column(c.name, c.type) for c in dossiers.c
                                   if c.name != "motion"])
OLD_ENTRIES = table("audit_entries", *[column(c.name, c.type) for c in audit_entries.c
                                       if c.name not in ("id", "revision")])
BRANCH = Actor(1, "书记", Role.BRANCH, 1, "/1/")
COUNTS = {"entitled": 10, "present": 8, "in_favour": 7, "against": 1, "abstained": 0,
          "written": 0}
VOTED, APPROVED = date(2025, 3, 10), date(2025, 4, 10)
PROFILE = {"branch_id": 1, "name": "申请人", "gender": "female", "birth_date": "1999-05-04",
           "applied_on": "2023-01-05"}


def _dossier(dossier_id: int, state: str, version: int, **facts) -> dict:
    unset = dict.fromkeys(("candidate_on", "publicity_started_on", "conversion_voted_on",
                           "membership_on", "closing_reason"))
    return {"id": dossier_id, "branch_id": 1, "name": f"申请人{dossier_id}", "gender": "female",
            "birth_date": date(1999, 5, 4), "applied_on": date(2023, 1, 5), "state": state,
            "version": version, "last_effective_on": facts.pop("last", APPROVED),
            "extension_months": 0, "activist_on": date(2023, 2, 5), "voted_on": VOTED,
            "admitted_on": APPROVED, "created_at": NOW, "updated_at": NOW, "next_due": None,
            **unset, **facts}


def _history(dossier_id: int, acts: list[tuple[str, str, str, str, date, dict]]) -> list[dict]:
    """Entries as revision 1 wrote them: chained, hashed without a revision."""
    rows, prev = [], GENESIS
    for seq, (kind, action, before, after, on, payload) in enumerate(acts, start=1):
        entry = sealed(entry_for(
            dossier_id=dossier_id, seq=seq, kind=kind, action=action, from_state=before or None,
            to_state=after, effective_date=on, payload=payload, actor=BRANCH, recorded_at=NOW,
            request_id=None, rulebook_id="2014", revision=1), prev)
        prev = entry.hash
        rows.append({c.name: getattr(entry, c.name) for c in OLD_ENTRIES.c})
    return rows


# The main line to probation as revision 1 recorded it (its records left out: the replay
# then finds what revision 1's own rules say of them, and nothing of revision 2's).
ADMITTED = [
    ("create", "create", "", "applicant", date(2023, 1, 5), PROFILE),
    ("transition", "designate_activist", "applicant", "activist", date(2023, 2, 5), {}),
    ("transition", "designate_candidate", "activist", "training", date(2024, 2, 5), {}),
    ("transition", "complete_training", "training", "political_review", date(2024, 2, 20),
     {"hours": 24, "days": None, "passed": True}),
    ("transition", "pass_political_review", "political_review", "pre_review",
     date(2024, 3, 1), {}),
    ("transition", "start_publicity", "pre_review", "publicity", date(2025, 2, 3), {}),
    ("transition", "close_publicity", "publicity", "vote", date(2025, 2, 17), {}),
    ("transition", "hold_vote", "vote", "approval", VOTED, COUNTS),
    ("transition", "approve", "approval", "probationary", APPROVED, {}),
]
REVISION_2_RULES = {r.id for r in states.PROCEDURE.rules().values() if r.revision == 2}


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    try:
        yield engine
    finally:
        command.upgrade(alembic_config(engine), "head")
        engine.dispose()
        _empty(database_url)


def test_revision_1_history_in_flight_up_and_down(engine):
    command.downgrade(alembic_config(engine), "0005")
    with engine.begin() as connection:
        connection.execute(insert(organizations).values(
            id=1, name="支部", kind="branch", path="/1/", created_at=NOW))
        connection.execute(insert(OLD_DOSSIERS), [
            _dossier(1, "probationary", 10, extension_months=6, last=date(2026, 3, 12)),
            _dossier(2, "disqualified", 10, closing_reason="违纪", last=date(2025, 9, 1)),
            _dossier(3, "conversion_approval", 10, conversion_voted_on=date(2026, 10, 20),
                     last=date(2026, 10, 20)),
        ])
        connection.execute(insert(OLD_ENTRIES), [
            *_history(1, [*ADMITTED, ("transition", "extend_probation", "probationary",
                                      "probationary", date(2026, 3, 12), {"months": 6})]),
            *_history(2, [*ADMITTED, ("transition", "disqualify", "probationary",
                                      "disqualified", date(2025, 9, 1), {"reason": "违纪"})]),
            *_history(3, [*ADMITTED, ("transition", "hold_conversion_vote", "conversion_vote",
                                      "conversion_approval", date(2026, 10, 20), COUNTS)]),
        ])
    # Up, down and up again: nothing of revision 2 was written yet.
    command.upgrade(alembic_config(engine), "head")
    command.downgrade(alembic_config(engine), "0005")
    command.upgrade(alembic_config(engine), "head")

    env = Environment(states.PROCEDURE, RulebookSet.from_config(), WorkingDayCalendar(),
                      clock=lambda: datetime(2026, 11, 20, 2, 0, tzinfo=UTC))
    uow = UnitOfWork(engine)
    with uow.transaction() as tx:
        log = AuditLog(tx.repo.connection)
        assert verify_chains(log.hashed_chains("/"), {}).problems == []
        revisions = set(tx.repo.connection.execute(select(audit_entries.c.revision)).scalars())
        extended, disqualified, waiting = (tx.repo.dossier(i).dossier for i in (1, 2, 3))
        histories = {i: tx.repo.log(i) for i in (1, 2, 3)}
    assert revisions == {1}
    assert (extended.state, extended.extension_months) == ("probationary", 6)
    assert (disqualified.state, disqualified.closing_reason) == ("disqualified", "违纪")
    assert waiting.motion["motion"] == "convert"
    for dossier_id in (1, 2):
        findings = replay(histories[dossier_id], procedure=env.procedure,
                          rulebooks=env.rulebooks, calendar=env.calendar,
                          today=date(2026, 11, 20), members={})
        # Retired triggers replay as what they were; revision 2's rules judge no earlier act,
        # revision 1's still do.
        failed = {f.rule for f in findings if f.status == "failed"}
        assert "transition" not in failed and not failed & REVISION_2_RULES, failed
        assert {"talk_done", "sponsors", "approval_talk"} <= failed

    # The committee approves the conversion voted under revision 1: a revision-2 entry.
    committee = Actor(2, "组织委员", Role.COMMITTEE, None, "/")
    approved = services.fire(uow=uow, env=env, actor=committee, dossier_id=3,
                             trigger="approve_conversion", on=date(2026, 11, 20))
    assert approved.dossier.state == "full_member"
    assert approved.dossier.membership_on == date(2026, 3, 10)
    with uow.transaction() as tx:
        assert tx.repo.log(3)[-1].revision == 2
        assert verify_chains(AuditLog(tx.repo.connection).hashed_chains("/"), {}).problems == []
    with pytest.raises(RuntimeError, match="revision 2"):
        command.downgrade(alembic_config(engine), "0005")
