"""The `Idempotency-Key` header on POST: a repeat returns the first answer, changes nothing.

The answer commits with the write it answers (workflow/usecases/idempotency.py): the view
runs with its write transaction's commit held, the answer is added to that transaction, and
both commit together. A 503 therefore means that nothing was written; when the commit itself
fails, the key tells whether it went through, and the committed answer is returned.
"""

from __future__ import annotations

import hashlib
import json
from contextlib import suppress
from functools import wraps

from flask import Response, current_app, request
from sqlalchemy.exc import DBAPIError

from api.auth import current_actor
from api.errors import error_response
from api.runtime import runtime
from workflow.store.uow import CommitUncertain, holding_commit
from workflow.usecases import idempotency

MAX_KEY_LENGTH = 200


def _request_hash() -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def _replay(previous) -> Response:
    replay = Response(previous.response, status=previous.status_code,
                      mimetype="application/json")
    if previous.location:
        replay.headers["Location"] = previous.location
    replay.headers["Idempotent-Replayed"] = "true"
    return replay


def _in_use() -> Response:
    response = error_response(409, "idempotency_key_in_use",
                              "A request with this Idempotency-Key is still being processed.")
    response.headers["Retry-After"] = "1"
    return response


def _unavailable() -> Response:
    response = error_response(503, "service_unavailable",
                              "The database failed before anything was saved; retry shortly "
                              "with the same Idempotency-Key.")
    response.headers["Retry-After"] = "1"
    return response


def _kept_body(response: Response, withhold: tuple[str, ...]) -> str:
    """The body as kept for a repeat: a secret in it (a new user's token) is dropped, since
    the kept answer is stored in clear; its name is listed under `withheld` instead."""
    body = response.get_data(as_text=True)
    if not withhold or response.status_code >= 300:
        return body
    answer = json.loads(body)
    withheld = [name for name in withhold if answer.pop(name, None) is not None]
    if withheld:
        answer["withheld"] = withheld
    return json.dumps(answer, ensure_ascii=False)


def _run(view, args, kwargs) -> Response:
    try:
        return current_app.make_response(view(*args, **kwargs))
    except Exception as error:
        return current_app.make_response(current_app.handle_user_exception(error))


class _Request:
    """One request under its key: run it, keep its answer with its write."""

    def __init__(self, user_id: int, key: str, holder: str, withhold: tuple[str, ...]) -> None:
        self.rt = runtime()
        self.user_id, self.key, self.holder = user_id, key, holder
        self.withhold = withhold

    def _answer(self, response: Response) -> dict:
        return {"user_id": self.user_id, "key": self.key, "holder": self.holder,
                "status_code": response.status_code,
                "response": _kept_body(response, self.withhold),
                "location": response.headers.get("Location")}

    def run(self, view, args, kwargs) -> Response:
        with holding_commit() as held:
            response = _run(view, args, kwargs)
            try:
                if response.status_code < 500 and held.transaction is not None:
                    if not idempotency.complete(held.transaction.repo,
                                                **self._answer(response)):
                        # Our lease ran out and another request holds the key: ours is
                        # undone (leaving the block rolls back).
                        return _in_use()
                    held.commit()
                    return response
            except (DBAPIError, CommitUncertain):
                failed = True
            else:
                failed = False
        # What follows runs in transactions of its own, nothing held any more.
        if failed:
            return self._after_failure()
        if response.status_code >= 500:
            # Not an answer worth repeating: nothing was written, the key is free again.
            self._release()
            return response
        # Nothing was written (a refusal, or a request that only reads): keep the answer.
        return response if idempotency.complete_alone(uow=self.rt.uow,
                                                      **self._answer(response)) else _in_use()

    def _release(self) -> None:
        with suppress(DBAPIError):  # if it fails, the lease frees the key anyway
            idempotency.release(uow=self.rt.uow, user_id=self.user_id, key=self.key,
                                holder=self.holder)

    def _after_failure(self) -> Response:
        """The commit (or the answer's writing) failed: ask the key whether it went through.
        If the database cannot tell, the reservation stays until its lease runs out, and
        the client's repeat then gets the committed answer or is processed afresh."""
        previous = idempotency.answer(uow=self.rt.uow, user_id=self.user_id, key=self.key)
        if previous is not None and previous.status_code is not None:
            return _replay(previous)
        self._release()
        return _unavailable()


def idempotent(view=None, *, withhold: tuple[str, ...] = ()):
    """`@idempotent`, or `@idempotent(withhold=("token",))` for a view whose answer carries a
    secret that must not be kept: its repeat answers without it."""
    if view is None:
        return lambda view: idempotent(view, withhold=withhold)

    @wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get("Idempotency-Key")
        if key is None:
            return view(*args, **kwargs)
        if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            return error_response(
                422, "validation_error", "Invalid Idempotency-Key header.",
                fields={"Idempotency-Key": [f"1 to {MAX_KEY_LENGTH} printable characters"]},
            )
        rt, user_id, fingerprint = runtime(), current_actor().id, _request_hash()
        try:
            reservation = idempotency.reserve(
                uow=rt.uow, env=rt.env, user_id=user_id, key=key, request_hash=fingerprint,
                lease_seconds=current_app.config["IDEMPOTENCY_LEASE_SECONDS"])
        except CommitUncertain:
            # Only the reservation may have been saved (it then lapses with its lease).
            return _unavailable()
        previous = reservation.previous
        if previous is not None:
            if previous.request_hash != fingerprint:
                return error_response(
                    422, "idempotency_key_reused",
                    "This Idempotency-Key was used with another request.",
                )
            if previous.status_code is None:
                return _in_use()
            return _replay(previous)
        return _Request(user_id, key, reservation.holder, withhold).run(view, args, kwargs)

    return wrapper
