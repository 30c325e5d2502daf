"""What each gunicorn worker does when it builds its app."""

from __future__ import annotations

import gc

from api.server import _recruitflow


def test_a_worker_freezes_what_it_holds_for_good(tmp_path, monkeypatch):
    monkeypatch.setenv("RECRUITFLOW_DATABASE_URL", f"sqlite:///{tmp_path / 'w.sqlite3'}")
    gc.unfreeze()
    try:
        app = _recruitflow(str(tmp_path / "instance"))()
        # The app and all it was built from: a full collection no longer walks them.
        assert app.name == "api.app" and gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
