"""The benchmark harness in smoke mode (seconds): it must keep working. No speed is asserted."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from sqlalchemy.engine import make_url

from bench.harness import SMOKE, report, run
from tests.conftest import _postgres_admin_url


def _kind(database_url: str) -> str:
    return make_url(database_url).get_backend_name()


def _check(result: dict) -> None:
    for side in ("service", "floor"):
        assert result[side]["requests"] > 0, result[side]
        assert result[side]["errors"] == 0, result[side]
        # The workers' CPU was read: some, and no more than every core for the whole load.
        cpu_ms = result[side]["cpu_ms_per_request"] * result[side]["requests"]
        assert 0 < cpu_ms <= 1000 * result[side]["seconds"] * os.cpu_count() * 1.1
        assert 0 < result[side]["busiest_worker_share"] <= 1
    assert result["inconsistent_dossiers"] == 0
    assert [r["errors"] for r in result["reads"]] == [0] * len(result["reads"])
    assert {r["samples"] for r in result["reads"]} == {SMOKE.samples}
    assert result["memory_after"]["max_peak_mib"] > 0
    assert result["ratio"] > 0 and "service / floor" in report(result)
    _check_pages(result)


def _check_pages(result: dict) -> None:
    # Each page is set against the API reads it shows, all of them timed in this run.
    assert [p["page"].split(" ")[1] for p in result["pages"]] == ["工作台", "发展名册,", "档案"]
    assert all(p["ratio"] > 0 and p["api_p95_ms"] > 0 for p in result["pages"])
    assert "page / API" in report(result)


def test_harness_smoke(database_url, tmp_path):
    # database_url only decides the backend (and skips PostgreSQL where none answers): the
    # harness creates and drops a database of its own.
    kind = _kind(database_url)
    _check(run(kind, SMOKE, tmp_path, log=lambda _: None, admin_url=_postgres_admin_url()))


def test_harness_smoke_with_the_python_client(database_url, tmp_path):
    kind = _kind(database_url)
    settings = replace(SMOKE, client="python")
    result = run(kind, settings, tmp_path, log=lambda _: None,
                 admin_url=_postgres_admin_url())
    assert result["client"] == "python"
    _check(result)


def test_the_python_client_takes_tokens_that_begin_with_a_dash(tmp_path):
    # Tokens are random URL-safe text: about one in 32 begins with "-".
    import subprocess
    import sys

    steps = tmp_path / "steps.txt"
    steps.write_text("")
    done = subprocess.run(
        [sys.executable, "-m", "bench.client", "--connections", "1", "--duration", "0.1",
         "--", "http://127.0.0.1:1", "1", "2", "-branch", "-committee", "2026-01-01",
         str(steps)],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2])
    # Parsing passed: the client got as far as connecting (nothing listens on port 1).
    assert done.returncode != 2 and "usage:" not in done.stderr
    assert "ConnectionRefusedError" in done.stderr or "Connect call failed" in done.stderr


def test_harness_reads_only(database_url, tmp_path):
    """`--reads-only`: the reads and the pages without the transition load (the page bench)."""
    kind = _kind(database_url)
    result = run(kind, replace(SMOKE, reads_only=True), tmp_path, log=lambda _: None,
                 admin_url=_postgres_admin_url())
    assert "service" not in result and "floor" not in result
    assert [r["errors"] for r in result["reads"]] == [0] * len(result["reads"])
    _check_pages(result)
