"""An Idempotency-Key survives faults (issue 12, item 2): its answer commits with the write,
a 503 means nothing was written, a committed write is answered as it was, and a reservation
whose request died is taken over after its lease."""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from tests.helpers import create_applicant
from workflow.store.tables import audit_entries, idempotency_keys
from workflow.store.uow import HeldCommit
from workflow.usecases import idempotency

LOST = OperationalError("COMMIT", {}, Exception("server closed the connection unexpectedly"),
                        connection_invalidated=True)


def _talk_body() -> bytes:
    return json.dumps({"type": "talk", "date": date.today().isoformat(), "by": "书记"}).encode()


def _talk(client, org, did, key="k-1", who="branch"):
    return client.post(f"/api/v1/applicants/{did}/records", data=_talk_body(),
                       headers=org.headers(who, **{"Idempotency-Key": key,
                                                   "Content-Type": "application/json"}))


def _entries(rt, did) -> int:
    with rt.engine.connect() as connection:
        return connection.execute(select(func.count()).where(
            audit_entries.c.dossier_id == did)).scalar_one()


def _keys(rt) -> list:
    with rt.engine.connect() as connection:
        return connection.execute(select(idempotency_keys)).all()


def test_the_answer_is_in_the_writes_own_transaction(client, rt, org, monkeypatch):
    """A write that committed has its answer kept: there is no moment between the two."""
    did = create_applicant(client, org)["id"]
    seen = []
    original = HeldCommit.commit

    def commit(held):
        if held.transaction is not None:
            # Just before the one COMMIT: the answer is already written in the transaction.
            connection = held.transaction.repo.connection
            seen.append(connection.execute(select(idempotency_keys.c.status_code)).all())
        original(held)

    monkeypatch.setattr(HeldCommit, "commit", commit)
    assert _talk(client, org, did).status_code == 201
    assert seen == [[(201,)]]


def test_a_commit_whose_connection_broke_is_answered_as_committed(client, rt, org,
                                                                   monkeypatch):
    did = create_applicant(client, org)["id"]
    original = HeldCommit.commit

    def commit_then_lose_the_connection(held):
        holding = held.transaction is not None
        original(held)
        if holding:
            raise LOST

    monkeypatch.setattr(HeldCommit, "commit", commit_then_lose_the_connection)
    first = _talk(client, org, did)
    monkeypatch.undo()
    assert first.status_code == 201, first.json
    again = _talk(client, org, did)
    assert again.status_code == 201 and again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _entries(rt, did) == 2


def test_a_failure_before_the_commit_writes_nothing_and_frees_the_key(client, rt, org,
                                                                       monkeypatch):
    did = create_applicant(client, org)["id"]

    def lose_the_connection(held):
        if held.transaction is not None:
            raise LOST

    monkeypatch.setattr(HeldCommit, "commit", lose_the_connection)
    failed = _talk(client, org, did)
    monkeypatch.undo()
    assert failed.status_code == 503 and failed.headers["Retry-After"] == "1"
    assert _entries(rt, did) == 1 and _keys(rt) == []
    retried = _talk(client, org, did)
    assert retried.status_code == 201 and "Idempotent-Replayed" not in retried.headers
    assert _entries(rt, did) == 2


def test_a_view_failing_after_its_write_leaves_nothing_written(client, rt, org, monkeypatch):
    """The write's commit is held until the answer is written: a crash in between (here,
    presenting the dossier) undoes the write too."""
    did = create_applicant(client, org)["id"]
    from api.applicants import views

    def broken(*_args, **_kwargs):
        raise RuntimeError("presenting failed")

    monkeypatch.setattr(views.present, "record", broken)
    assert _talk(client, org, did).status_code == 500
    monkeypatch.undo()
    assert _entries(rt, did) == 1 and _keys(rt) == []


def test_a_reservation_whose_request_died_is_taken_over_after_its_lease(client, rt, org,
                                                                        clock):
    did = create_applicant(client, org)["id"]
    user_id = next(u["id"] for u in client.get("/api/v1/users", headers=org.headers("admin"))
                   .json["items"] if u["name"] == "branch")
    clock.set_today(date.today())
    # A request that reserved the key and died (kill -9) before committing anything.
    dead = idempotency.reserve(uow=rt.uow, env=rt.env, user_id=user_id, key="k-1",
                               request_hash=_hash_of_talk(did))
    assert dead.previous is None
    assert _talk(client, org, did).status_code == 409
    clock.moment += timedelta(seconds=59)
    assert _talk(client, org, did).status_code == 409
    clock.moment += timedelta(seconds=2)
    taken = _talk(client, org, did)
    assert taken.status_code == 201, taken.json
    assert _entries(rt, did) == 2
    # The dead request, were it only slow, can no longer complete the key.
    with rt.uow.transaction(write=True) as tx:
        assert not idempotency.complete(tx.repo, user_id=user_id, key="k-1",
                                        holder=dead.holder, status_code=201, response="{}",
                                        location=None)


def _hash_of_talk(did) -> str:
    """The fingerprint of `_talk`'s request, as api.idempotency computes it."""
    path = f"/api/v1/applicants/{did}/records"
    return hashlib.sha256(f"POST {path}\n".encode() + _talk_body()).hexdigest()


@pytest.mark.parametrize("status", [422, 409])
def test_a_refusal_is_kept_too(client, rt, org, status):
    did = create_applicant(client, org)["id"]
    if status == 422:
        response = client.post(f"/api/v1/applicants/{did}/transitions",
                               json={"trigger": "designate_activist",
                                     "effective_date": date.today().isoformat()},
                               headers=org.headers("branch", **{"Idempotency-Key": "r"}))
    else:
        response = client.post(f"/api/v1/applicants/{did}/transitions",
                               json={"trigger": "approve",
                                     "effective_date": date.today().isoformat()},
                               headers=org.headers("branch", **{"Idempotency-Key": "r"}))
    assert response.status_code == status
    assert [k.status_code for k in _keys(rt)] == [status]


def test_a_new_users_token_is_not_kept_with_its_answer(client, rt, org):
    """The kept answer is stored in clear: a repeat of POST /users answers without the token
    (withheld), while the first answer's token is the one that works."""
    body = {"name": "新书记", "role": "branch", "organization_id": org.branch,
            "login": "xinshuji", "password": "一个足够长的密码-2026"}
    headers = org.headers("admin", **{"Idempotency-Key": "user-1"})
    first = client.post("/api/v1/users", json=body, headers=headers)
    again = client.post("/api/v1/users", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    token = first.json["token"]
    assert "token" not in again.json and again.json["withheld"] == ["token"]
    assert again.json["id"] == first.json["id"] and again.headers["Idempotent-Replayed"] == "true"
    kept = [row.response for row in _keys(rt) if row.key == "user-1"]
    assert len(kept) == 1 and token not in kept[0] and "password" not in kept[0]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json["name"] == "新书记"
    users = client.get("/api/v1/users", headers=org.headers("admin")).json["items"]
    assert [u["name"] for u in users].count("新书记") == 1


def test_other_answers_are_kept_whole(client, rt, org):
    """Only the named secret is withheld: a refusal is kept as it was answered."""
    body = {"name": "x", "role": "branch", "organization_id": 999999,
            "login": "xx-login", "password": "一个足够长的密码-2026"}
    headers = org.headers("admin", **{"Idempotency-Key": "user-2"})
    first = client.post("/api/v1/users", json=body, headers=headers)
    again = client.post("/api/v1/users", json=body, headers=headers)
    assert first.status_code == again.status_code and first.status_code >= 400
    assert first.json == again.json and "withheld" not in again.json
