"""The tamper catalogue, continued (issue 12, item 1): the dossier row against what its
audit log implies, entries whose dossier is gone, and a chain recomputed by someone who knows
the algorithm — with and without a kept checkpoint. Both databases."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, update

from tests.helpers import dossier_in
from tests.integration.test_audit_chain import E, entries_of, only_problem, tamper, verify
from workflow.domain.audit import entry_hash
from workflow.store import append_only
from workflow.store.tables import audit_entries, dossiers, members
from workflow.usecases.auditing import services


@pytest.fixture
def victim(client, rt, org) -> int:
    """A dossier in training (an activist date, a candidate date, a dozen entries) and a
    bystander in the other branch that must stay clean."""
    dossier_in(client, rt, org, "activist")
    return dossier_in(client, rt, org, "training", id_number="11010119980504002X",
                      phone="13800138000")["id"]


@pytest.mark.parametrize(("field", "value"), [
    ("state", "full_member"), ("branch_id", "other"), ("id_number", "110101199001011234"),
    ("phone", None), ("name", "王五"), ("birth_date", date(1990, 1, 1)),
    ("activist_on", date(2020, 1, 1)), ("candidate_on", None), ("membership_on", date.today()),
    ("last_effective_on", date(2020, 1, 1)), ("extension_months", 6),
    ("closing_reason", "改写"), ("frontline", True),
])
def test_a_row_edited_around_the_service_is_named_with_its_field(rt, org, victim, runner,
                                                                 field, value):
    value = org.other_branch if value == "other" else value
    tamper(rt, update(dossiers).where(dossiers.c.id == victim).values({field: value}))
    problem = only_problem(verify(rt), victim)
    assert (problem.kind, problem.field) == ("row_altered", field)
    # The message names the field, never the values (an ID number is private).
    assert field in problem.message and "1101" not in problem.message
    result = runner.invoke(args=["audit", "verify", "--jobs", "1"])
    assert result.exit_code == 1
    assert f"dossier {victim}: row_altered: the dossier's {field}" in result.output


def test_an_auditor_of_the_committee_sees_the_row_edit_over_the_api(client, rt, org, victim):
    tamper(rt, update(dossiers).where(dossiers.c.id == victim).values(state="full_member"))
    body = client.get("/api/v1/audit/verify", headers=org.headers("auditor")).json
    assert not body["ok"]
    assert [(p["dossier_id"], p["kind"], p["field"]) for p in body["problems"]] == [
        (victim, "row_altered", "state")]


@contextmanager
def _foreign_keys_off(rt):
    """Deleting a dossier row its entries refer to needs the foreign keys out of the way."""
    with rt.engine.connect() as connection:
        raw = connection.connection.driver_connection
        if connection.dialect.name == "sqlite":
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
                with append_only.suspended(connection):
                    yield connection
        finally:
            if connection.dialect.name == "sqlite":
                raw.execute("PRAGMA foreign_keys=ON")


def test_entries_whose_dossier_is_gone_are_named(rt, victim, runner):
    count = len(entries_of(rt, victim))
    with _foreign_keys_off(rt) as connection:
        connection.execute(delete(members).where(members.c.dossier_id == victim))
        connection.execute(delete(dossiers).where(dossiers.c.id == victim))
    problem = only_problem(verify(rt), victim)
    assert (problem.seq, problem.kind) == (1, "dossier_deleted")
    assert f"{count} audit entries" in problem.message
    result = runner.invoke(args=["audit", "verify"])  # the default: one worker per CPU
    assert result.exit_code == 1 and "dossier_deleted" in result.output


def _recompute(rt, victim, change) -> None:
    """Rewrite the victim's chain from its first transition on, every hash recomputed."""
    log = entries_of(rt, victim)
    first = next(e.seq for e in log if e.kind == "transition")
    statements, prev = [], log[first - 2].hash
    for entry in log[first - 1:]:
        entry = change(entry) if entry.seq == first else entry
        digest = entry_hash(entry, prev)
        statements.append(update(audit_entries).where(E.id == entry.id).values(
            effective_date=entry.effective_date, prev_hash=prev, hash=digest))
        prev = digest
    tamper(rt, *statements)


def test_a_recomputed_chain_without_the_row_is_caught_without_a_checkpoint(rt, victim):
    """Backdating the activist designation: the chain is intact in itself, but the row's
    activist date is not what the rewritten log implies."""
    kept = services.make_checkpoint(uow=rt.uow, env=rt.env, actor=services.COMMAND_LINE)
    _recompute(rt, victim, lambda e: replace(e, effective_date=e.effective_date
                                              - timedelta(days=30)))
    problem = only_problem(verify(rt), victim)
    assert (problem.kind, problem.field) == ("row_altered", "activist_on")
    assert only_problem(verify(rt, kept), victim).kind == "chain_rewritten"


def test_a_recomputed_chain_with_its_row_needs_the_checkpoint(rt, victim):
    kept = services.make_checkpoint(uow=rt.uow, env=rt.env, actor=services.COMMAND_LINE)
    activist_on = next(e.effective_date for e in entries_of(rt, victim)
                       if e.action == "designate_activist")
    backdated = activist_on - timedelta(days=30)
    _recompute(rt, victim, lambda e: replace(e, effective_date=backdated))
    tamper(rt, update(dossiers).where(dossiers.c.id == victim).values(activist_on=backdated))
    assert verify(rt).ok  # what only a checkpoint proves
    problem = only_problem(verify(rt, kept), victim)
    assert problem.kind == "chain_rewritten"
