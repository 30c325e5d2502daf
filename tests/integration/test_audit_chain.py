"""Tamper evidence on both databases: each kind of tampering done directly in the database is
detected and named; the database itself refuses UPDATE and DELETE on the audit table."""

from __future__ import annotations

import itertools
import json
import os
import threading
from dataclasses import replace
from datetime import UTC, date, datetime
from multiprocessing import get_all_start_methods, get_context

import pytest
from sqlalchemy import delete, insert, text, update
from sqlalchemy.exc import DBAPIError

from tests.helpers import dossier_in
from workflow.domain.audit import entry_hash, hashed_values, sealed
from workflow.store import append_only, audit_log
from workflow.store.audit_log import AuditLog
from workflow.store.tables import audit_entries, dossiers
from workflow.usecases.auditing import services
from workflow.usecases.auditing.chain import Checkpoint

E = audit_entries.c


@pytest.fixture
def two_dossiers(client, rt, org) -> tuple[int, int]:
    """A damaged-to-be dossier with a dozen entries and a bystander that must stay clean."""
    victim = dossier_in(client, rt, org, "training")["id"]
    bystander = dossier_in(client, rt, org, "activist")["id"]
    return victim, bystander


def tamper(rt, *statements) -> None:
    """Play the database administrator: lift the triggers, change rows, put them back."""
    with rt.engine.begin() as connection, append_only.suspended(connection):
        for statement in statements:
            connection.execute(statement)


def verify(rt, checkpoint: Checkpoint | None = None) -> services.Verification:
    return services.verify(uow=rt.uow, env=rt.env, actor=services.COMMAND_LINE,
                           checkpoint=checkpoint)


def only_problem(result: services.Verification, dossier_id: int):
    assert not result.ok
    assert [p.dossier_id for p in result.problems] == [dossier_id], result.problems
    return result.problems[0]


def entries_of(rt, dossier_id: int):
    with rt.uow.transaction() as tx:
        return tx.repo.log(dossier_id)


def test_entries_are_chained_and_verify_clean(rt, two_dossiers):
    victim, _ = two_dossiers
    log = entries_of(rt, victim)
    assert log[0].prev_hash == "0" * 64
    for before, after in itertools.pairwise(log):
        assert after.prev_hash == before.hash
        assert entry_hash(after, after.prev_hash) == after.hash
    result = verify(rt)
    assert result.ok and result.entries == sum(len(entries_of(rt, d)) for d in two_dossiers)


def test_the_database_gives_days_and_instants_as_they_are_hashed(rt, two_dossiers):
    """Verification takes the day and the instant as text made by the database: the same text
    `date.isoformat` and `utc_text` make, in whatever time zone the session runs."""
    victim, _ = two_dossiers
    log = entries_of(rt, victim)
    # An entry whose instant has no microseconds and whose day is far back, as one more link.
    odd = sealed(replace(log[-1], seq=len(log) + 1, effective_date=date(999, 1, 2),
                         recorded_at=datetime(2026, 1, 1, tzinfo=UTC)), log[-1].hash)
    tamper(rt, insert(audit_entries).values(
               **{c.name: getattr(odd, c.name) for c in audit_entries.c if c.name != "id"}),
           # The row as the log now implies it (the entry repeats a transition that is none
           # from here: its day becomes the last effective one).
           update(dossiers).where(dossiers.c.id == victim).values(
               version=odd.seq, last_effective_on=date(999, 1, 2)))
    expected = {(e.dossier_id, e.seq): [*hashed_values(e, e.prev_hash)[:14], e.seq, e.hash]
                for d in two_dossiers for e in entries_of(rt, d)}
    with rt.uow.transaction() as tx:
        connection = tx.repo.connection
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("SET LOCAL TIME ZONE 'Asia/Shanghai'")
        rows = [list(row) for row in AuditLog(connection).hashed_chains("/")]
    [last] = [row for row in rows if (row[0], row[14]) == (victim, odd.seq)]
    assert last[5:11:5] == ["0999-01-02", "2026-01-01T00:00:00.000000+00:00"]
    for row in rows:
        row[6] = json.loads(row[6])
    assert {(row[0], row[14]): row[:16] for row in rows} == expected
    assert verify(rt).ok


def test_the_other_ways_of_reading_the_chains_verify_alike(rt, two_dossiers, monkeypatch):
    victim, _ = two_dossiers
    tamper(rt, delete(audit_entries).where((E.dossier_id == victim) & (E.seq == 3)))
    expected = verify(rt)
    assert [(p.seq, p.kind) for p in expected.problems] == [(4, "entry_missing")]
    # A libpq without chunked rows: SQLAlchemy's server-side cursor.
    monkeypatch.setattr(audit_log, "_libpq_streams_chunks", lambda: False)
    assert verify(rt) == expected
    if rt.engine.dialect.name == "postgresql":
        # A database whose dates and instants are turned into text in Python (the driver
        # gives date and datetime objects, as psycopg does).
        monkeypatch.setattr(audit_log, "_hashed_day_and_moment",
                            lambda dialect: (E.effective_date, E.recorded_at))
        assert verify(rt) == expected


@pytest.mark.parametrize("statement", ["update", "delete"])
def test_the_database_refuses_to_change_or_delete_entries(rt, two_dossiers, statement):
    victim, _ = two_dossiers
    where = (E.dossier_id == victim) & (E.seq == 2)
    change = (update(audit_entries).where(where).values(actor_name="someone else")
              if statement == "update" else delete(audit_entries).where(where))
    with pytest.raises(DBAPIError, match="append-only"), rt.engine.begin() as connection:
        connection.execute(change)
    assert len(entries_of(rt, victim)) == entries_of(rt, victim)[-1].seq
    assert verify(rt).ok


@pytest.mark.parametrize("payload", [{"method": "mass_organization"}, "just text", None])
def test_an_edited_payload_is_named(rt, two_dossiers, payload):
    victim, _ = two_dossiers
    where = (E.dossier_id == victim) & (E.seq == 3)
    if payload is None:
        if rt.engine.dialect.name != "sqlite":
            pytest.skip("PostgreSQL's json type refuses text that is not JSON")
        change = text("UPDATE audit_entries SET payload = '{\"method\": broken' "
                      f"WHERE dossier_id = {victim} AND seq = 3")
    else:
        change = update(audit_entries).where(where).values(payload=payload)
    tamper(rt, change)
    problem = only_problem(verify(rt), victim)
    assert (problem.seq, problem.kind) == (3, "payload_altered")


def test_an_edited_day_is_named_even_of_another_type(rt, two_dossiers):
    victim, _ = two_dossiers
    # SQLite keeps whatever it is given; PostgreSQL only another date.
    day = "20240101" if rt.engine.dialect.name == "sqlite" else "effective_date + 1"
    tamper(rt, text(f"UPDATE audit_entries SET effective_date = {day} "
                    f"WHERE dossier_id = {victim} AND seq = 2"))
    problem = only_problem(verify(rt), victim)
    assert (problem.seq, problem.kind) == (2, "payload_altered")


def test_a_deleted_middle_entry_is_named(rt, two_dossiers):
    victim, _ = two_dossiers
    tamper(rt, delete(audit_entries).where((E.dossier_id == victim) & (E.seq == 4)))
    problem = only_problem(verify(rt), victim)
    assert (problem.seq, problem.kind) == (5, "entry_missing")


def test_swapped_entries_are_named(rt, two_dossiers):
    victim, _ = two_dossiers
    def at(seq):
        return ((E.dossier_id == victim) & (E.seq == seq))
    tamper(rt, update(audit_entries).where(at(3)).values(seq=-3),
           update(audit_entries).where(at(4)).values(seq=3),
           update(audit_entries).where(at(-3)).values(seq=4))
    problem = only_problem(verify(rt), victim)
    assert (problem.seq, problem.kind) == (3, "order_changed")


def test_a_forged_entry_is_named_even_with_a_valid_hash(rt, two_dossiers):
    victim, _ = two_dossiers
    log = entries_of(rt, victim)
    # A tamperer who knows the algorithm: a new entry after seq 5, linked and hashed properly.
    forged = replace(log[5], payload={"by": "伪造"}, seq=6, prev_hash=log[4].hash)
    forged = replace(forged, hash=entry_hash(forged, forged.prev_hash))
    values = {c.name: getattr(forged, c.name) for c in audit_entries.c if c.name != "id"}
    later = (E.dossier_id == victim) & (E.seq > 5)
    tamper(rt, update(audit_entries).where(later).values(seq=E.seq + 1000),
           update(audit_entries).where((E.dossier_id == victim) & (E.seq > 1000))
           .values(seq=E.seq - 999),
           insert(audit_entries).values(**values),
           update(dossiers).where(dossiers.c.id == victim).values(version=len(log) + 1))
    problem = only_problem(verify(rt), victim)
    assert (problem.seq, problem.kind) == (6, "forged_entry")


def test_a_truncated_tail_is_named(rt, two_dossiers):
    victim, _ = two_dossiers
    last = len(entries_of(rt, victim))
    tamper(rt, delete(audit_entries).where((E.dossier_id == victim) & (E.seq >= last - 1)))
    problem = only_problem(verify(rt), victim)
    assert (problem.seq, problem.kind) == (last - 1, "tail_truncated")


def test_a_covered_up_truncation_needs_the_kept_checkpoint(rt, two_dossiers):
    victim, _ = two_dossiers
    kept = Checkpoint.loads(json.dumps(services.make_checkpoint(
        uow=rt.uow, env=rt.env, actor=services.COMMAND_LINE).to_json()))
    log = entries_of(rt, victim)
    last = len(log)
    assert log[-1].action == "designate_candidate"
    tamper(rt, delete(audit_entries).where((E.dossier_id == victim) & (E.seq == last)),
           update(dossiers).where(dossiers.c.id == victim).values(version=last - 1))
    # The row still says what the lost entry did: the replayed log names it.
    problem = only_problem(verify(rt), victim)
    assert (problem.kind, problem.field) == ("row_altered", "state")
    # Covered up with the row too, as the shorter log implies it.
    activist_on = next(e.effective_date for e in log if e.action == "designate_activist")
    tamper(rt, update(dossiers).where(dossiers.c.id == victim).values(
        state="activist", candidate_on=None, last_effective_on=activist_on))
    assert verify(rt).ok  # the database alone cannot tell
    problem = only_problem(verify(rt, kept), victim)
    assert (problem.seq, problem.kind) == (last, "tail_truncated")


def test_a_whole_dossier_deleted_is_named_against_the_checkpoint(rt, two_dossiers):
    victim, bystander = two_dossiers
    kept = services.make_checkpoint(uow=rt.uow, env=rt.env, actor=services.COMMAND_LINE)
    tamper(rt, delete(audit_entries).where(E.dossier_id == victim))
    problem = only_problem(verify(rt), victim)  # the dossier row still counts its entries
    assert (problem.seq, problem.kind) == (1, "chain_deleted")
    tamper(rt, delete(dossiers).where(dossiers.c.id == victim))
    assert verify(rt).ok
    problem = only_problem(verify(rt, kept), victim)
    assert (problem.seq, problem.kind) == (1, "chain_deleted")
    assert bystander in kept.heads


def test_new_entries_after_a_checkpoint_are_fine_and_a_rewritten_chain_is_not(
        client, rt, org, two_dossiers):
    victim, _bystander = two_dossiers
    kept = services.make_checkpoint(uow=rt.uow, env=rt.env, actor=services.COMMAND_LINE)
    dossier_in(client, rt, org, "applicant")  # growth since the checkpoint
    assert verify(rt, kept).ok
    # Rewrite the victim's chain from entry 2 on, every hash recomputed: intact in itself.
    log = entries_of(rt, victim)
    statements, prev = [], log[0].hash
    for entry in log[1:]:
        entry = replace(entry, actor_name="改写") if entry.seq == 2 else entry
        digest = entry_hash(entry, prev)
        statements.append(update(audit_entries).where(E.id == entry.id)
                          .values(actor_name=entry.actor_name, prev_hash=prev, hash=digest))
        prev = digest
    tamper(rt, *statements)
    assert verify(rt).ok
    problem = only_problem(verify(rt, kept), victim)
    assert (problem.seq, problem.kind) == (len(log), "chain_rewritten")


def test_an_altered_checkpoint_file_is_named(rt, two_dossiers):
    kept = services.make_checkpoint(uow=rt.uow, env=rt.env, actor=services.COMMAND_LINE)
    data = kept.to_json()
    data["heads"][0][1] -= 1  # hide an entry from the kept record
    result = verify(rt, Checkpoint.from_json(data))
    assert [(p.dossier_id, p.kind) for p in result.problems] == [(None, "checkpoint_invalid")]


def test_worker_processes_verify_as_one_process_does(rt, two_dossiers, monkeypatch):
    if "fork" not in get_all_start_methods():
        pytest.skip("no fork here")
    victim, bystander = two_dossiers
    kept = services.make_checkpoint(uow=rt.uow, env=rt.env, actor=services.COMMAND_LINE)
    tamper(rt, delete(audit_entries).where((E.dossier_id == victim) & (E.seq == 4)),
           update(dossiers).where(dossiers.c.id == bystander).values(state="probationary"))
    monkeypatch.setattr(services, "_worker_context", lambda: get_context("fork"))
    shared = services.verify(uow=rt.uow, env=rt.env, actor=services.COMMAND_LINE,
                             checkpoint=kept, jobs=2)
    assert shared == verify(rt, kept)
    # The forked workers replay too: the procedure they inherit.
    assert [(p.dossier_id, p.seq, p.kind) for p in shared.problems] == [
        (victim, 5, "entry_missing"), (bystander, None, "row_altered")]


def test_workers_are_forked_only_while_no_other_thread_runs():
    if "fork" not in get_all_start_methods():
        pytest.skip("no fork here")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        # The verification then runs in its own process alone.
        assert services._worker_context() is None
    finally:
        stop.set()
        other.join()
    if threading.active_count() == 1:
        assert services._worker_context().get_start_method() == "fork"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_cli_exits_non_zero_naming_the_broken_entry(runner, rt, two_dossiers, tmp_path,
                                                        jobs):
    victim, _ = two_dossiers
    kept = tmp_path / "checkpoint.json"
    result = runner.invoke(args=["audit", "checkpoint"])
    assert result.exit_code == 0, result.output
    kept.write_text(result.output)
    verify = ["audit", "verify", "--jobs", jobs, "--checkpoint", str(kept)]
    assert runner.invoke(args=verify).exit_code == 0
    tamper(rt, delete(audit_entries).where(E.dossier_id == victim))
    result = runner.invoke(args=verify)
    assert result.exit_code == 1
    assert f"dossier {victim} entry 1: chain_deleted" in result.output
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    assert runner.invoke(args=["audit", "verify", "--checkpoint", str(bad)]).exit_code == 2


def test_the_cli_shares_the_work_among_the_cpus_by_default(runner, rt, two_dossiers,
                                                           monkeypatch):
    jobs, real = [], services.verify
    monkeypatch.setattr(services, "verify", lambda **kw: jobs.append(kw["jobs"]) or real(**kw))
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert jobs == [os.cpu_count() or 1]


def test_compliance_reports_a_damaged_log_and_goes_on(rt, two_dossiers):
    victim, bystander = two_dossiers
    tamper(rt, delete(audit_entries).where((E.dossier_id == victim) & (E.seq == 1)))
    findings = list(services.compliance(uow=rt.uow, env=rt.env, actor=services.COMMAND_LINE))
    assert [(f.dossier_id, f.rule, f.status) for f in findings] == [
        (victim, "audit_log", "failed")]
    assert bystander not in {f.dossier_id for f in findings}  # replayed, and clean
