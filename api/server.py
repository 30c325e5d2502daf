"""Production serving with gunicorn: each worker builds its own app (and database pool)."""

from __future__ import annotations

import errno
import gc
import socket
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication

from api import server_errors


def _recruitflow(instance_path: str) -> Callable[[], Any]:
    def load():
        from api.app import create_app

        app = create_app(instance_path=instance_path)
        # What the worker holds for good (modules, the app, machines, schemas: ~110,000
        # objects) is moved out of the collector's sight: a full collection walked all of
        # it, ~45 ms, every ten answers or so that build many objects (a committee's agenda),
        # and was most of their 95th percentile.
        gc.freeze()
        return app

    return load


class WsgiServer(BaseApplication):
    """gunicorn serving the WSGI app that `load` builds in each worker."""

    def __init__(self, load: Callable[[], Any], options: dict) -> None:
        self._load = load
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self._load()


def options(*, host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    """The gunicorn settings of `recruitflow serve` (the benchmark's floor uses the same)."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        # A listening socket per worker, among which the kernel spreads new connections
        # evenly: on one shared socket whichever worker wakes first accepts, and a few
        # long-lived keep-alive clients could all end up on one worker (one core) while the
        # others idle.
        "reuse_port": True,
        # Not preloaded: an engine must never cross a fork.
        "preload_app": False,
        "accesslog": "-",
        "errorlog": "-",
        "timeout": 60,
        # Its refusals of requests it cannot parse in the API's JSON shape, not HTML.
        "post_worker_init": server_errors.install,
    }


class PortInUse(Exception):
    """Another process listens on the address `serve` was asked to use."""


def url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def refuse_port_in_use(host: str, port: int) -> None:
    """Raise PortInUse if something already listens on host:port.

    Workers bind with SO_REUSEPORT, which lets any number of processes of the same user share
    a port: a second `recruitflow serve` would start silently and the kernel would split the
    traffic between two servers (and maybe two databases). A socket bound without it fails
    where anyone listens. (SO_REUSEADDR only forgives closed connections in TIME_WAIT.)
    """
    for family, kind, proto, _, address in socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE):
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as error:
                if error.errno == errno.EADDRINUSE:
                    raise PortInUse(f"{url(host, port)} is already served by another "
                                    f"process: stop it, or choose another --port.") from None
                raise
        return


def serve(*, instance_path: str, host: str, port: int, workers: int, threads: int) -> None:
    WsgiServer(_recruitflow(instance_path),
               options(host=host, port=port, workers=workers, threads=threads)).run()
