"""A live server for tests that need real processes: `recruitflow serve` as the README runs
it, on the test's database."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(database_url: str, instance: Path) -> dict[str, str]:
    return {**os.environ, "RECRUITFLOW_DATABASE_URL": database_url,
            "RECRUITFLOW_INSTANCE_PATH": str(instance)}


@contextmanager
def live_server(database_url: str, instance: Path, *, workers: int = 2,
                threads: int = 4) -> Iterator[int]:
    """Start gunicorn, wait until it answers, yield its port, stop it."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers",
         str(workers), "--threads", str(threads)],
        env=server_env(database_url, instance), stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/v1/publicity")
            if connection.getresponse().status == 200:
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("server did not start: " + process.stderr.read().decode()[-2000:])
            time.sleep(0.2)
    try:
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


def load_demo(database_url: str, instance: Path) -> str:
    """Run `recruitflow demo` on the database as the README does; its output (tokens and
    logins)."""
    demo = subprocess.run([sys.executable, "-m", "api.cli", "demo"],
                          env=server_env(database_url, instance),
                          capture_output=True, text=True, timeout=300)
    assert demo.returncode == 0, demo.stderr[-2000:]
    return demo.stdout
