"""What each gunicorn worker does when it builds its app."""

from __future__ import annotations

import gc
import socket
import subprocess
import sys

from api.server import _recruitflow
from tests.live import free_port, server_env


def test_a_worker_freezes_what_it_holds_for_good(tmp_path, monkeypatch):
    monkeypatch.setenv("RECRUITFLOW_DATABASE_URL", f"sqlite:///{tmp_path / 'w.sqlite3'}")
    gc.unfreeze()
    try:
        app = _recruitflow(str(tmp_path / "instance"))()
        # The app and all it was built from: a full collection no longer walks them.
        assert app.name == "api.app" and gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


def _serve(tmp_path, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", "1"],
        env=server_env(f"sqlite:///{tmp_path / 's.sqlite3'}", tmp_path / "instance"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_serve_refuses_a_port_another_server_listens_on(tmp_path):
    # As a gunicorn worker listens: with SO_REUSEPORT, which a second one could share.
    with socket.socket() as other:
        other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        process = _serve(tmp_path, port)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 1
    assert f"http://127.0.0.1:{port}/ is already served by another process" in err


def test_serve_says_where_it_serves(tmp_path):
    port = free_port()
    process = _serve(tmp_path, port)
    try:
        lines = [process.stdout.readline() for _ in range(2)]
        assert any(line.startswith(f"recruitflow serves http://127.0.0.1:{port}/ (1 workers")
                   for line in lines), lines
    finally:
        process.terminate()
        process.wait(timeout=20)
