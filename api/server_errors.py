"""gunicorn's own refusals as JSON: a request line or header it cannot parse (raw UTF-8 in a
query string, an over-long URL or header) is refused before the app sees it, and gunicorn
writes an HTML page. Installed in each worker (`post_worker_init`), this writes the API's one
error shape instead. The request's headers were not read, so there is no Accept-Language:
the body carries both languages."""

from __future__ import annotations

import json
from typing import Any

from gunicorn import util

from api.errors import HTTP_CODES
from api.language import BY_STATUS


def write_error(sock: Any, status_int: int, reason: str, mesg: str) -> None:
    body = json.dumps({
        "error": HTTP_CODES.get(status_int, "bad_request"),
        "message": f"{reason}: {mesg}" if mesg else reason,
        "message_zh": BY_STATUS.get(status_int, BY_STATUS[400]),
    }, ensure_ascii=False).encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    util.write_nonblock(sock, head.encode("latin-1") + body)


def install(worker: Any = None) -> None:
    """The `post_worker_init` hook: gunicorn's workers write errors through `util`."""
    util.write_error = write_error
