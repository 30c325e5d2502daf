"""A live server for tests that need real processes: `recruitflow serve` as the README runs
it, on the test's database; the demo loaded into it; and the browser (Debian's Chromium driven
by Playwright) that the browser tests point at it."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

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


def demo_logins(output: str) -> dict[str, tuple[str, str]]:
    """The demo's sign-ins by role, from its output: {role: (login, password)}."""
    return {who: (login, password) for who, login, password in
            re.findall(r"^  login (\w+): (\S+) (\S+)$", output, re.M)}


@contextmanager
def live_demo(database_url: str, instance: Path, **options: int,
                ) -> Iterator[tuple[int, dict[str, tuple[str, str]]]]:
    """The demo loaded, then a live server on it (`live_server`'s options): its port and the
    demo's sign-ins by role."""
    logins = demo_logins(load_demo(database_url, instance))
    with live_server(database_url, instance, **options) as port:
        yield port, logins


CHROMIUM = Path(os.environ.get("RECRUITFLOW_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(os.environ.get("RECRUITFLOW_TEST_ARTIFACTS",
                                Path(__file__).resolve().parent / "artifacts"))


def playwright() -> ModuleType:
    """Playwright's sync API, called at the top of a module of browser tests: without Chromium
    the module is skipped, or fails under RECRUITFLOW_REQUIRE_BROWSER=1 (CI, where a skipped
    browser test would pass unseen); without Playwright it is skipped."""
    if not CHROMIUM.exists():
        reason = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("RECRUITFLOW_REQUIRE_BROWSER") == "1":
            raise RuntimeError(reason)
        pytest.skip(reason, allow_module_level=True)
    return pytest.importorskip("playwright.sync_api")


@pytest.fixture
def browser():
    """Chromium, headless (a fixture of every test: `tests/conftest.py` imports it)."""
    with playwright().sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
