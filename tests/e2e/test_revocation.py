"""Revocable access (issue 12, item 4): list, deactivate, replace a token, expiry — refused at
once here (the check interval set to 0) and within 2 s on every worker of a live server."""

from __future__ import annotations

import http.client
import json
import time
from datetime import date, timedelta

import pytest

from tests.live import live_server

ME = "/api/v1/applicants"


@pytest.fixture
def app_config():
    return {"REVOCATION_CHECK_SECONDS": 0}


def _user_id(client, org, name):
    users = client.get("/api/v1/users", headers=org.headers("admin")).json["items"]
    return next(u["id"] for u in users if u["name"] == name)


def test_an_admin_lists_the_users_of_its_scope(client, org):
    body = client.get("/api/v1/users", headers=org.headers("admin")).json
    names = {u["name"] for u in body["items"]}
    assert {"root", "branch", "committee", "auditor", "far_branch"} <= names
    assert body["total"] == len(body["items"])
    assert all(u["active"] and u["token_expires_at"] is None for u in body["items"])
    assert "token" not in body["items"][0] and "token_hash" not in body["items"][0]
    for who in ("branch", "committee", "auditor"):
        assert client.get("/api/v1/users", headers=org.headers(who)).status_code == 403


def test_a_committee_admin_sees_and_manages_only_its_subtree(client, org):
    created = client.post("/api/v1/users", headers=org.headers("admin"), json={
        "name": "分管理员", "role": "admin", "organization_id": org.committee}).json
    sub = {"Authorization": f"Bearer {created['token']}"}
    names = {u["name"] for u in client.get("/api/v1/users", headers=sub).json["items"]}
    assert "branch" in names and "far_branch" not in names and "root" not in names
    far = _user_id(client, org, "far_branch")
    assert client.delete(f"/api/v1/users/{far}", headers=sub).status_code == 404
    assert client.post(f"/api/v1/users/{far}/token", headers=sub, json={}).status_code == 404


def test_a_deactivated_user_is_refused_at_once(client, org):
    assert client.get(ME, headers=org.headers("branch")).status_code == 200  # remembered
    feed = client.post("/api/v1/calendar-feed", headers=org.headers("branch")).json["url"]
    user_id = _user_id(client, org, "branch")
    response = client.delete(f"/api/v1/users/{user_id}", headers=org.headers("admin"))
    assert response.status_code == 200 and response.json["active"] is False
    refused = client.get(ME, headers=org.headers("branch"))
    assert refused.status_code == 401 and refused.json["error"] == "unauthorized"
    assert client.get(feed.split("localhost", 1)[1]).status_code == 404
    # The others are not affected, and the answer is the same a second time.
    assert client.get(ME, headers=org.headers("other_branch")).status_code == 200
    assert client.delete(f"/api/v1/users/{user_id}",
                         headers=org.headers("admin")).json["active"] is False
    assert client.post(f"/api/v1/users/{user_id}/token", headers=org.headers("admin"),
                       json={}).status_code == 409


def test_an_admin_may_not_deactivate_itself_nor_a_stranger(client, org):
    root = _user_id(client, org, "root")
    assert client.delete(f"/api/v1/users/{root}", headers=org.headers("admin")).status_code \
        == 422
    assert client.delete("/api/v1/users/99999", headers=org.headers("admin")).status_code \
        == 404
    assert client.delete(f"/api/v1/users/{root}",
                         headers=org.headers("committee")).status_code == 403


def test_a_new_token_replaces_the_old_at_once(client, org):
    assert client.get(ME, headers=org.headers("committee")).status_code == 200
    user_id = _user_id(client, org, "committee")
    response = client.post(f"/api/v1/users/{user_id}/token", headers=org.headers("admin"))
    assert response.status_code == 201, response.json
    assert response.json["id"] == user_id and response.json["token_expires_at"] is None
    assert client.get(ME, headers=org.headers("committee")).status_code == 401
    fresh = {"Authorization": f"Bearer {response.json['token']}"}
    assert client.get(ME, headers=fresh).status_code == 200
    assert "Idempotent-Replayed" not in response.headers


def test_a_token_expires_after_its_last_day(client, org, clock):
    user_id = _user_id(client, org, "auditor")
    today = date.today()
    assert client.post(f"/api/v1/users/{user_id}/token", headers=org.headers("admin"),
                       json={"expires_on": (today - timedelta(days=1)).isoformat()}
                       ).status_code == 422
    response = client.post(f"/api/v1/users/{user_id}/token", headers=org.headers("admin"),
                           json={"expires_on": today.isoformat()})
    assert response.status_code == 201, response.json
    token = {"Authorization": f"Bearer {response.json['token']}"}
    clock.set_today(today)
    assert client.get(ME, headers=token).status_code == 200  # remembered from here on
    clock.set_today(today + timedelta(days=1))
    assert client.get(ME, headers=token).status_code == 401


def test_the_command_line_deactivates_and_replaces(client, org, runner):
    user_id = _user_id(client, org, "other_branch")
    result = runner.invoke(args=["user", "token", str(user_id)])
    assert result.exit_code == 0, result.output
    new = {"Authorization": f"Bearer {result.output.strip().splitlines()[-1]}"}
    assert client.get(ME, headers=org.headers("other_branch")).status_code == 401
    assert client.get(ME, headers=new).status_code == 200
    result = runner.invoke(args=["user", "deactivate", str(user_id)])
    assert result.exit_code == 0 and "deactivated" in result.output
    assert client.get(ME, headers=new).status_code == 401
    assert f"{user_id}\tother_branch\tbranch" in runner.invoke(args=["user", "list"]).output
    assert runner.invoke(args=["user", "deactivate", "99999"]).exit_code == 1


def _status(port: int, token: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", ME, headers={"Authorization": f"Bearer {token}"})
    return connection.getresponse().status


def test_every_worker_refuses_a_revoked_token_within_two_seconds(database_url, tmp_path, org,
                                                                  client):
    user_id = _user_id(client, org, "branch")
    token = org.tokens["branch"]
    with live_server(database_url, tmp_path / "live", workers=2, threads=2) as port:
        # New connections spread over both workers: each remembers the token.
        assert {_status(port, token) for _ in range(20)} == {200}
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("DELETE", f"/api/v1/users/{user_id}",
                           headers=org.headers("admin"))
        answer = connection.getresponse()
        assert json.loads(answer.read())["active"] is False
        revoked_at = time.monotonic()
        time.sleep(2.0 - (time.monotonic() - revoked_at))
        assert {_status(port, token) for _ in range(20)} == {401}
