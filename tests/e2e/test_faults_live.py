"""Faults on a live server (issue 12, "keep it proven"), each bounded to seconds:

- a crash: `recruitflow serve` under a write load is killed (kill -9 of the master and every
  worker), then started again: every acknowledged write is there, each dossier's version
  equals its entries, the chains verify, and no Idempotency-Key is stuck — after the lease
  (2 s here, 60 by default) every key answers, an acknowledged one with its first answer;
- a lost connection (PostgreSQL): the server's connections are terminated under the same
  load: every answer is a 2xx, a 4xx or a 503; a 503 wrote nothing (its key, repeated, is
  processed afresh); the same checks hold afterwards.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager, suppress
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.helpers import create_applicant
from tests.live import free_port, server_env
from workflow.store.database import make_engine

LEASE = 2
LOAD_SECONDS = 2.0


def _start(database_url: str, instance: Path, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", "2",
         "--threads", "2"],
        env=server_env(database_url, instance), stdout=subprocess.DEVNULL,
        stderr=(instance / "server.log").open("ab"), start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            _request(port, "GET", "/api/v1/publicity")
            return process
        except OSError:
            time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    pytest.fail("server did not start")


def _request(port: int, method: str, path: str, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=json.dumps(body) if body is not None else None,
                           headers={"Content-Type": "application/json", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


@contextmanager
def _server(database_url: str, instance: Path):
    instance.mkdir(parents=True, exist_ok=True)
    (instance / "config.py").write_text(f"IDEMPOTENCY_LEASE_SECONDS = {LEASE}\n")
    port = free_port()
    process = _start(database_url, instance, port)
    state = {"process": process, "port": port}
    try:
        yield state
    finally:
        _kill(state["process"])


def _kill(process: subprocess.Popen) -> None:
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


class Load:
    """Threads adding talks to dossiers, each request with its own key, until stopped."""

    def __init__(self, port: int, token: str, dossiers: list[int], threads: int = 4) -> None:
        self.port, self.token, self.dossiers = port, token, dossiers
        self.sent: dict[str, tuple[str, dict]] = {}  # key -> (path, body)
        self.answers: dict[str, tuple[int, bytes]] = {}  # key -> (status, body)
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(i,)) for i in range(threads)]

    def _run(self, worker: int) -> None:
        n = 0
        while not self._stop.is_set():
            n += 1
            key = f"w{worker}-{n}"
            did = self.dossiers[(worker + n) % len(self.dossiers)]
            path = f"/api/v1/applicants/{did}/records"
            body = {"type": "talk", "date": date.today().isoformat(), "by": f"书记{key}"}
            self.sent[key] = (path, body)
            try:
                status, data, _ = _request(self.port, "POST", path, body, self.headers(key))
            except OSError as error:  # the server died under us: no answer, no promise
                self.errors.append(repr(error))
                time.sleep(0.05)
                continue
            self.answers[key] = (status, data)

    def headers(self, key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "Idempotency-Key": key}

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)


def _answered(port: int, method: str, path: str, body=None, headers=None):
    """A request as the contract asks clients to make it: a 503 wrote nothing and is retried
    shortly. Right after the faults a worker's pooled connection may still be a dead one: it
    fails its one request with 503, and the pool starts afresh."""
    for _ in range(20):
        status, data, answer_headers = _request(port, method, path, body, headers)
        if status != 503:
            break
        time.sleep(0.1)
    return status, data, answer_headers


def _check_everything(port, org, load: Load, dossiers: list[int]) -> None:
    auditor = org.headers("auditor")
    # Every acknowledged write is there.
    acknowledged = {k: json.loads(body) for k, (status, body) in load.answers.items()
                    if status == 201}
    assert acknowledged, "the load wrote nothing"
    entry_ids = set()
    for did in dossiers:
        status, body, _ = _answered(port, "GET", f"/api/v1/applicants/{did}/log",
                                    headers=auditor)
        assert status == 200, (status, body[:300])
        entries = json.loads(body)["entries"]
        entry_ids |= {e["id"] for e in entries}
        status, body, _ = _answered(port, "GET", f"/api/v1/applicants/{did}", headers=auditor)
        # Version equals entries.
        assert json.loads(body)["version"] == len(entries) == entries[-1]["seq"]
    assert {a["id"] for a in acknowledged.values()} <= entry_ids
    # The chains verify.
    status, body, _ = _answered(port, "GET", "/api/v1/audit/verify", headers=auditor)
    verdict = json.loads(body)
    assert verdict["ok"], verdict["problems"][:5]
    # No key is stuck: after the lease, each answers; an acknowledged one as it first did.
    time.sleep(LEASE + 0.5)
    for key, (path, body) in load.sent.items():
        status, data, headers = _answered(port, "POST", path, body, load.headers(key))
        assert status == 201, (key, status, data[:200])
        if key in acknowledged:
            assert json.loads(data) == acknowledged[key]
            assert headers.get("Idempotent-Replayed") == "true"
        elif load.answers.get(key, (0,))[0] == 503:
            # A 503 wrote nothing: its repeat is processed, not replayed.
            assert "Idempotent-Replayed" not in headers, key


def _dossiers(client, org, n=4) -> list[int]:
    return [create_applicant(client, org)["id"] for _ in range(n)]


def test_kill_9_under_load_loses_no_acknowledged_write(client, org, database_url, tmp_path):
    dossiers = _dossiers(client, org)
    with _server(database_url, tmp_path / "instance") as server:
        with Load(server["port"], org.tokens["branch"], dossiers) as load:
            time.sleep(LOAD_SECONDS)
            # kill -9 of the master and every worker at once, mid-request.
            os.killpg(server["process"].pid, signal.SIGKILL)
            server["process"].wait(timeout=10)
            time.sleep(0.3)
        server["process"] = _start(database_url, tmp_path / "instance", server["port"])
        _check_everything(server["port"], org, load, dossiers)
        unanswered = set(load.sent) - set(load.answers)
        assert unanswered, "the kill met no request in flight"


def test_lost_connections_answer_503_only_when_nothing_was_written(client, org, database_url,
                                                                   tmp_path):
    if not database_url.startswith("postgresql"):
        pytest.skip("terminating the server's connections is PostgreSQL's")
    dossiers = _dossiers(client, org)
    killer = make_engine(database_url)
    name = killer.url.database
    with _server(database_url, tmp_path / "instance") as server:
        with Load(server["port"], org.tokens["branch"], dossiers) as load:
            deadline = time.monotonic() + LOAD_SECONDS
            while time.monotonic() < deadline:
                time.sleep(0.15)
                with killer.connect() as connection:
                    connection.execute(text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})
        killer.dispose()
        statuses = {status for status, _ in load.answers.values()}
        log = (tmp_path / "instance" / "server.log").read_text(errors="replace")
        assert statuses <= {201, 503}, (statuses, log[-3000:])
        assert 503 in statuses, "no request met a lost connection"
        _check_everything(server["port"], org, load, dossiers)
