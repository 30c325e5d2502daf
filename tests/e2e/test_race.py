"""Concurrent requests on one dossier against a live server: exactly one wins."""

from __future__ import annotations

import http.client
import json
import threading
from datetime import date

import pytest

from tests.helpers import create_applicant
from tests.live import live_server as serve

THREADS = 16


@pytest.fixture
def live_server(database_url, tmp_path):
    with serve(database_url, tmp_path / "live") as port:
        yield port


def _storm(port: int, path: str, body: dict, headers: dict) -> list[tuple[int, dict]]:
    barrier = threading.Barrier(THREADS)
    results: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        barrier.wait()
        connection.request("POST", path, json.dumps(body),
                           {"Content-Type": "application/json", **headers})
        response = connection.getresponse()
        with lock:
            results.append((response.status, json.loads(response.read())))

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.parametrize("if_match", [None, '"1"'])
def test_many_clients_fire_the_same_trigger_exactly_one_wins(client, org, live_server,
                                                             if_match):
    did = create_applicant(client, org)["id"]
    headers = org.headers("branch")
    if if_match:
        headers["If-Match"] = if_match
    results = _storm(live_server, f"/api/v1/applicants/{did}/transitions",
                     {"trigger": "withdraw", "effective_date": date.today().isoformat(),
                      "reason": "本人申请"}, headers)
    codes = sorted(code for code, _ in results)
    assert codes.count(200) == 1, results
    losers = {body["error"] for code, body in results if code != 200}
    assert losers <= {"invalid_transition", "version_mismatch", "conflict"}, results
    if if_match:
        assert losers == {"version_mismatch"}
    log = client.get(f"/api/v1/applicants/{did}/log", headers=org.headers("auditor")).json
    assert [e["action"] for e in log["entries"]] == ["create", "withdraw"]


def test_concurrent_records_all_land_in_order(client, org, live_server):
    did = create_applicant(client, org)["id"]
    results = _storm(live_server, f"/api/v1/applicants/{did}/records",
                     {"type": "talk", "date": date.today().isoformat(), "by": "书记"},
                     org.headers("branch"))
    assert sorted(code for code, _ in results) == [201] * THREADS, results
    log = client.get(f"/api/v1/applicants/{did}/log", headers=org.headers("auditor")).json
    assert [e["seq"] for e in log["entries"]] == list(range(1, THREADS + 2))
    # Concurrent writers to one dossier still leave one unbroken hash chain.
    verified = client.get("/api/v1/audit/verify", headers=org.headers("auditor")).json
    assert verified["ok"] is True and verified["entries"] == THREADS + 1, verified
