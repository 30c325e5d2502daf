"""Production serving with gunicorn: each worker builds its own app (and database pool)."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication


class _Server(BaseApplication):
    def __init__(self, instance_path: str, options: dict) -> None:
        self.instance_path = instance_path
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from api.app import create_app

        return create_app(instance_path=self.instance_path)


def serve(*, instance_path: str, host: str, port: int, workers: int, threads: int) -> None:
    _Server(instance_path, {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        # Not preloaded: an engine must never cross a fork.
        "preload_app": False,
        "accesslog": "-",
        "errorlog": "-",
        "timeout": 60,
    }).run()
