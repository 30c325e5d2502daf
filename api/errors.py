"""One error shape for every failure: {"error": code, "message": text, ...details}.

Domain refusals, HTTP errors (including webargs' validation errors) and anything unexpected
are all rendered here, so no request under /api/ ever gets an HTML page or a traceback.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, request
from marshmallow import INCLUDE, Schema, fields
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

from api.language import chinese_dates, prefers_chinese, say, say_fields
from workflow.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    GuardFailed,
    Invalid,
    InvalidTransition,
    NotFound,
    RecordNotAllowed,
    VersionMismatch,
)
from workflow.domain.rules import Failure
from workflow.store.database import is_transient
from workflow.store.uow import CommitUncertain

log = logging.getLogger(__name__)


class ErrorSchema(Schema):
    """The one error shape (documentation: the handlers below build the bodies)."""

    class Meta:
        unknown = INCLUDE

    error = fields.String(required=True, metadata={"description": "machine-readable code"})
    message = fields.String(required=True)
    fields_ = fields.Dict(data_key="fields", metadata={
        "description": "validation_error: messages by field name"})
    reasons = fields.List(fields.Dict(), metadata={
        "description": "guard_failed: rule, message, message_en, message_zh, earliest_date"})

STATUS = {
    NotFound: 404,
    Forbidden: 403,
    Invalid: 422,
    InvalidTransition: 409,
    RecordNotAllowed: 409,
    Conflict: 409,
    GuardFailed: 422,
    VersionMismatch: 412,
}

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    412: "version_mismatch",
    413: "payload_too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    431: "request_header_fields_too_large",
}


def error_response(status: int, code: str, message: str, **details: Any):
    """The error body, its message and field messages in the request's language."""
    if "fields" in details:
        details["fields"] = say_fields(details["fields"])
    response = jsonify({"error": code, "message": say(message, status=status), **details})
    response.status_code = status
    return response


def reason(failure: Failure) -> dict[str, Any]:
    """A failing rule as an answer shows it: its message in the request's language, and both."""
    zh = chinese_dates(failure.message_zh)
    return {
        "rule": failure.rule,
        "message": zh if prefers_chinese() else failure.message_en,
        "message_en": failure.message_en,
        "message_zh": zh,
        "earliest_date": failure.earliest_date.isoformat() if failure.earliest_date else None,
    }


def _flatten(messages: Any) -> dict[str, Any]:
    """webargs nests errors by location ({"json": {"name": [...]}}): callers want fields."""
    if isinstance(messages, dict) and set(messages) <= {"json", "query", "querystring",
                                                          "headers", "view_args", "form"}:
        flat: dict[str, Any] = {}
        for location, errors in messages.items():
            if isinstance(errors, dict):
                flat.update(errors)
            else:
                flat[location] = errors
        return flat
    return messages if isinstance(messages, dict) else {"_schema": messages}


def render_domain_error(error: DomainError):
    status = next(s for cls, s in STATUS.items() if isinstance(error, cls))
    details: dict[str, Any] = {}
    if isinstance(error, GuardFailed):
        details["reasons"] = [reason(f) for f in error.failures]
    elif isinstance(error, Invalid):
        details["fields"] = {k: [v] for k, v in error.fields.items()}
    elif isinstance(error, InvalidTransition):
        details.update(trigger=error.trigger, state=error.state)
    elif isinstance(error, RecordNotAllowed):
        details["allowed_states"] = error.allowed_states
    elif isinstance(error, VersionMismatch):
        details["version"] = error.actual
    return error_response(status, error.code, error.message, **details)


def render_http_exception(error: HTTPException):
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    details: dict[str, Any] = {}
    message = error.description or error.name
    if "messages" in data:
        details["fields"] = _flatten(data["messages"])
        if status == 400:
            message = data.get("message") or "The request body is not valid JSON."
        else:
            message = "Some fields are invalid: " + ", ".join(sorted(details["fields"]))
    response = error_response(status, HTTP_CODES.get(status, "http_error"), message, **details)
    for name, value in (data.get("headers") or {}).items():
        response.headers[name] = value
    if status == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="recruitflow"'
    return response


def render_database_error(error: DBAPIError):
    """503 "retry shortly" for what passes (a lock, a lost connection), and only then: a
    503 promises that nothing was written (docs/SECURITY.md)."""
    if not is_transient(error):
        return render_unexpected(error)
    log.warning("database unavailable: %s", error)
    response = error_response(503, "service_unavailable",
                              "The database is busy or unavailable; retry shortly.")
    response.headers["Retry-After"] = "1"
    return response


def render_commit_uncertain(error: CommitUncertain):
    log.error("connection lost during commit on %s %s: %s", request.method, request.path, error)
    return error_response(
        500, "outcome_unknown",
        "The database connection failed while saving: the change may have been saved. Look "
        "before repeating it (a request with an Idempotency-Key is told which it was).")


def render_unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return render_http_exception(error)
    log.exception("unexpected error on %s %s", request.method, request.path)
    return error_response(500, "internal_error", "An unexpected error occurred; it was logged.")


def init_app(app: Flask) -> None:
    app.register_error_handler(DomainError, render_domain_error)
    app.register_error_handler(HTTPException, render_http_exception)
    app.register_error_handler(DBAPIError, render_database_error)
    app.register_error_handler(CommitUncertain, render_commit_uncertain)
    app.register_error_handler(Exception, render_unexpected)
