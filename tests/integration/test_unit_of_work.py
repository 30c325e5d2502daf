"""The unit of work and the atomicity of a change with its audit entry."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.helpers import create_applicant
from workflow import services
from workflow.store.repository import Repository
from workflow.store.tables import audit_entries, dossiers, organizations


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
    from workflow.errors import GuardFailed

    with pytest.raises(GuardFailed):
        services.fire(uow=rt.uow, env=rt.env, actor=actor, dossier_id=did,
                      trigger="designate_activist", on=date.today())
    assert _count(rt, audit_entries) == before
