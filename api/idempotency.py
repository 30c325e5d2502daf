"""The `Idempotency-Key` header on POST: a repeat returns the first answer, changes nothing."""

from __future__ import annotations

import hashlib
from functools import wraps

from flask import Response, current_app, request

from api.auth import current_actor
from api.errors import error_response
from api.runtime import runtime
from workflow.usecases import idempotency

MAX_KEY_LENGTH = 200


def _request_hash() -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def idempotent(view):
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
        reservation = idempotency.reserve(uow=rt.uow, env=rt.env, user_id=user_id, key=key,
                                          request_hash=fingerprint)
        previous = reservation.previous
        if previous is not None:
            if previous.request_hash != fingerprint:
                return error_response(
                    422, "idempotency_key_reused",
                    "This Idempotency-Key was used with another request.",
                )
            if previous.status_code is None:
                return error_response(
                    409, "idempotency_key_in_use",
                    "A request with this Idempotency-Key is still being processed.",
                )
            replay = Response(previous.response, status=previous.status_code,
                              mimetype="application/json")
            if previous.location:
                replay.headers["Location"] = previous.location
            replay.headers["Idempotent-Replayed"] = "true"
            return replay
        try:
            response = current_app.make_response(view(*args, **kwargs))
        except Exception as error:
            try:
                response = current_app.make_response(current_app.handle_user_exception(error))
            except Exception:
                idempotency.release(uow=rt.uow, user_id=user_id, key=key)
                raise
        if response.status_code >= 500:
            # Not an answer worth repeating: the client may try again with the same key.
            idempotency.release(uow=rt.uow, user_id=user_id, key=key)
        else:
            idempotency.complete(uow=rt.uow, user_id=user_id, key=key,
                                 status_code=response.status_code,
                                 response=response.get_data(as_text=True),
                                 location=response.headers.get("Location"))
        return response

    return wrapper
