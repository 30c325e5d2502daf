"""The unit of work and the atomicity of a change with its audit entry."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.pool import NullPool

from tests.helpers import create_applicant
from workflow.domain.errors import InvalidTransition
from workflow.store.repository import Repository
from workflow.store.tables import audit_entries, dossiers, organizations
from workflow.store.uow import Change
from workflow.usecases import services


def _count(rt, table) -> int:
    with rt.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def test_nothing_is_saved_without_commit(rt):
    with rt.uow.transaction(write=True) as tx:
        tx.repo.add_organization(name="x", kind="committee", parent=None, now=rt.env.now())
    assert _count(rt, organizations) == 0
    with rt.uow.transaction(write=True) as tx:
        tx.repo.add_organization(name="x", kind="committee", parent=None, now=rt.env.now())
        tx.commit()
    assert _count(rt, organizations) == 1


def test_an_exception_rolls_back(rt):
    with pytest.raises(RuntimeError), rt.uow.transaction(write=True) as tx:
        tx.repo.add_organization(name="x", kind="committee", parent=None, now=rt.env.now())
        raise RuntimeError("boom")
    assert _count(rt, organizations) == 0


def test_transition_and_audit_entry_commit_together_or_not_at_all(client, rt, org,
                                                                  monkeypatch):
    did = create_applicant(client, org)["id"]
    entries_before = _count(rt, audit_entries)

    def broken_append(self, entry):
        raise RuntimeError("the audit table is unavailable")

    monkeypatch.setattr(Repository, "append", broken_append)
    actor = services.authenticate(uow=rt.uow, token=org.tokens["branch"])
    with pytest.raises(RuntimeError):
        services.fire(uow=rt.uow, env=rt.env, actor=actor, dossier_id=did, trigger="withdraw",
                      on=date.today(), payload={"reason": "x"})
    # Over HTTP the same failure is a JSON 500, never a half-written dossier.
    response = client.post(f"/api/v1/applicants/{did}/transitions", headers=org.headers(
        "branch"), json={"trigger": "withdraw", "effective_date": date.today().isoformat(),
                         "reason": "x"})
    assert response.status_code == 500 and response.json["error"] == "internal_error"
    monkeypatch.undo()
    with rt.engine.connect() as connection:
        state, version = connection.execute(
            select(dossiers.c.state, dossiers.c.version).where(dossiers.c.id == did)).one()
    assert (state, version) == ("applicant", 1)
    assert _count(rt, audit_entries) == entries_before


def test_a_failed_guard_writes_nothing(client, rt, org):
    did = create_applicant(client, org)["id"]
    before = _count(rt, audit_entries)
    actor = services.authenticate(uow=rt.uow, token=org.tokens["branch"])
    from workflow.domain.errors import GuardFailed

    with pytest.raises(GuardFailed):
        services.fire(uow=rt.uow, env=rt.env, actor=actor, dossier_id=did,
                      trigger="designate_activist", on=date.today())
    assert _count(rt, audit_entries) == before


@pytest.fixture
def rival_before_write(monkeypatch):
    """Makes the first change to reach its write step let `rival` write first: the race a
    change loses when another request changes the dossier between its read and its write.
    Only SQLite reads without a lock; PostgreSQL's row lock makes the rival wait (the race
    tests in tests/e2e cover that)."""

    def arrange(rival) -> list[str]:
        happened: list[str] = []
        original = Change.write

        @contextmanager
        def write(self):
            if not happened:
                happened.append("rival")
                rival()
            with original(self) as tx:
                yield tx

        monkeypatch.setattr(Change, "write", write)
        return happened

    return arrange


def _sqlite_only(database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL locks the row at the read: no write can come in between")


def test_a_record_that_loses_a_race_is_written_after_the_winner(client, rt, org, database_url,
                                                                rival_before_write):
    _sqlite_only(database_url)
    did = create_applicant(client, org)["id"]
    actor = services.authenticate(uow=rt.uow, token=org.tokens["branch"])
    today = rt.env.today()

    def talk(by: str):
        return services.add_record(uow=rt.uow, env=rt.env, actor=actor, dossier_id=did,
                                   record_type="talk", on=today, data={"by": by})

    happened = rival_before_write(lambda: talk("rival"))
    _, view = talk("late")
    assert happened == ["rival"]
    assert view.dossier.version == 3
    assert [r.data["by"] for r in view.dossier.records] == ["rival", "late"]
    log = client.get(f"/api/v1/applicants/{did}/log", headers=org.headers("auditor")).json
    assert [(e["seq"], e["payload"].get("by")) for e in log["entries"]] == [
        (1, None), (2, "rival"), (3, "late")]
    verified = client.get("/api/v1/audit/verify", headers=org.headers("auditor")).json
    assert verified["ok"] is True, verified


def test_a_transition_that_loses_a_race_is_judged_again(client, rt, org, database_url,
                                                        rival_before_write):
    _sqlite_only(database_url)
    did = create_applicant(client, org)["id"]
    actor = services.authenticate(uow=rt.uow, token=org.tokens["branch"])

    def withdraw(reason: str):
        return services.fire(uow=rt.uow, env=rt.env, actor=actor, dossier_id=did,
                             trigger="withdraw", on=rt.env.today(), payload={"reason": reason})

    rival_before_write(lambda: withdraw("first"))
    # Judged again on the dossier as the rival left it: withdrawn, nothing more to withdraw.
    with pytest.raises(InvalidTransition):
        withdraw("second")
    log = client.get(f"/api/v1/applicants/{did}/log", headers=org.headers("auditor")).json
    assert [(e["action"], e["payload"].get("reason")) for e in log["entries"]] == [
        ("create", None), ("withdraw", "first")]


def test_a_connection_lost_with_the_server_is_a_503_then_the_service_recovers(
        client, rt, org, database_url):
    if database_url.startswith("sqlite"):
        pytest.skip("an embedded database has no server to lose")
    did = create_applicant(client, org)["id"]
    # What a server restart does to the pool: every connection's server process is gone.
    killer = create_engine(database_url, poolclass=NullPool)
    with killer.connect() as connection:
        killed = connection.exec_driver_sql(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()").scalar()
    killer.dispose()
    assert killed >= 1
    url = f"/api/v1/applicants/{did}"
    lost = client.get(url, headers=org.headers("branch"))
    assert lost.status_code == 503, lost.json
    assert lost.json["error"] == "service_unavailable" and lost.headers["Retry-After"] == "1"
    # The failure discarded the pool: the next request gets a new connection.
    assert client.get(url, headers=org.headers("branch")).status_code == 200
