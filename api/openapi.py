"""What the OpenAPI document says beyond the schemas: which operations need the bearer token,
every error each operation can answer, and payloads that are one of several shapes (a
transition's, chosen by its `trigger`; a record's, by its `type`).

All of it is derived from what the views are (a blueprint that authenticates, a path with
parameters, a body, the idempotency decorator) and from the procedure's declarations, so a
new view or a new trigger is documented by itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from apispec import APISpec
from marshmallow import Schema

BEARER = "bearer"

# One reusable response per status: (component name, description, example error code).
ERRORS: dict[int, tuple[str, str, str]] = {
    400: ("BadRequest", "The body is not JSON (unparsable, empty, or sent without "
                        "`Content-Type: application/json`).", "bad_request"),
    401: ("Unauthorized", "No bearer token, or an unknown one.", "unauthorized"),
    403: ("Forbidden", "Your role may not do this (auditors change nothing; each trigger and "
                       "record names its roles).", "forbidden"),
    404: ("NotFound", "No such resource in your scope (outside it, existence does not leak).",
          "not_found"),
    409: ("Conflict", "`invalid_transition`: the trigger does not exist from the dossier's "
                      "state; `invalid_record`: the record type is not allowed in it; "
                      "`conflict`: a concurrent change won; `idempotency_key_in_use`: a "
                      "request with this Idempotency-Key is still being processed.",
          "invalid_transition"),
    413: ("PayloadTooLarge", "The body is larger than the operation accepts (1 MiB; an "
                             "import, 50 MB).",
          "payload_too_large"),
    412: ("VersionMismatch", "`If-Match` named another version than the dossier's (its "
                             "`version` is in the body).", "version_mismatch"),
    422: ("Unprocessable", "`validation_error`: fields fail the schema or a date rule "
                           "(`fields` names them); `guard_failed`: rules of the procedure fail "
                           "(`reasons`, each with its rule id, message and earliest date); "
                           "`idempotency_key_reused`: the key was used with another body.",
          "validation_error"),
    503: ("Unavailable", "The database is busy or unavailable; nothing was written. Retry "
                         "shortly (with the same Idempotency-Key).", "service_unavailable"),
}

EXAMPLES = {
    "bad_request": "The request body is not JSON: send Content-Type: application/json.",
    "unauthorized": "A bearer token is required.",
    "forbidden": "the committee role may not do this",
    "not_found": "no dossier 999",
    "invalid_transition": "'approve' cannot be fired from state 'applicant'",
    "version_mismatch": "the dossier is at version 4, not 3",
    "payload_too_large": "Request Entity Too Large",
    "validation_error": "Some fields are invalid: birth_date",
    "service_unavailable": "The database is busy or unavailable; retry shortly.",
}

IF_MATCH = {
    "in": "header", "name": "If-Match", "required": False, "schema": {"type": "string"},
    "description": "the dossier's version as its ETag (`\"3\"`): the change is refused with "
                   "412 if the dossier moved on",
}
IDEMPOTENCY_KEY = {
    "in": "header", "name": "Idempotency-Key", "required": False,
    "schema": {"type": "string", "maxLength": 255},
    "description": "a repeat with the same key and body returns the first answer and "
                   "changes nothing",
}
ACCEPT_LANGUAGE = {
    "in": "header", "name": "Accept-Language", "required": False,
    "schema": {"type": "string", "example": "zh"},
    "description": "`zh` for Chinese messages in every error (English otherwise)",
}


def init_spec(spec: APISpec, error_schema: type[Schema]) -> None:
    spec.components.security_scheme(BEARER, {
        "type": "http", "scheme": "bearer",
        "description": "the token printed by `recruitflow create-admin` or given to a user "
                       "at its creation"})
    for name, description, code in ERRORS.values():
        spec.components.response(name, {
            "description": description,
            "content": {"application/json": {
                "schema": error_schema,
                "example": {"error": code, "message": EXAMPLES[code]},
            }},
        })


@dataclass(frozen=True)
class Alternatives:
    """A body that is one of several schemas, chosen by the value of one property."""

    discriminator: str
    schemas: Mapping[str, type[Schema]]
    examples: Mapping[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Operation:
    """What the document needs to know of a view beyond its schemas."""

    protected: bool
    path_parameters: bool
    idempotent: bool
    refusals: tuple[int, ...] = ()
    takes_body: bool = False  # a POST, PATCH or PUT: any body may be too large


def answers(operation: Operation, doc: dict[str, Any]) -> list[int]:
    """Every error status an operation can answer."""
    statuses = {503, *operation.refusals}
    if operation.takes_body:
        statuses.add(413)
    if operation.protected:
        statuses |= {401, 403}
    if operation.path_parameters:
        statuses.add(404)
    body = _json_body(doc)
    if body is not None:
        statuses |= {400, 422}
    if any(p.get("in") == "query" for p in doc.get("parameters", [])):
        statuses.add(422)
    if operation.idempotent:
        statuses |= {409, 422}
    return sorted(statuses)


def _json_body(doc: dict[str, Any]) -> dict[str, Any] | None:
    return doc.get("requestBody", {}).get("content", {}).get("application/json")


def document(doc: dict[str, Any], operation: Operation, spec: APISpec) -> dict[str, Any]:
    """Complete an operation's document: security, error answers, header parameters,
    alternative bodies."""
    if operation.protected:
        doc["security"] = [{BEARER: []}]
    responses = doc.setdefault("responses", {})
    for status in answers(operation, doc):
        # A view's own description of an answer stands; flask-smorest's generic ones
        # (UNPROCESSABLE_ENTITY…) give way to the project's.
        given = responses.get(str(status))
        if given is None or given.get("$ref", "").rsplit("/", 1)[-1].isupper():
            responses[str(status)] = {"$ref": f"#/components/responses/{ERRORS[status][0]}"}
    parameters = doc.setdefault("parameters", [])
    parameters.append(ACCEPT_LANGUAGE)
    if 412 in operation.refusals:
        parameters.append(IF_MATCH)
    if operation.idempotent:
        parameters.append(IDEMPOTENCY_KEY)
    body = _json_body(doc)
    alternatives = getattr(body.get("schema"), "alternatives", None) if body else None
    if alternatives is not None:
        body["schema"] = one_of(spec, alternatives)
        body["examples"] = {name: {"summary": name, "value": example}
                            for name, example in alternatives.examples.items()}
    return doc


def one_of(spec: APISpec, alternatives: Alternatives) -> dict[str, Any]:
    refs = {}
    for value, schema in alternatives.schemas.items():
        name = schema.__name__
        if name not in spec.components.schemas:
            spec.components.schema(name, schema=schema)
        refs[value] = f"#/components/schemas/{name}"
    return {
        "oneOf": [{"$ref": ref} for ref in refs.values()],
        "discriminator": {"propertyName": alternatives.discriminator, "mapping": refs},
    }


def is_idempotent(view: Callable) -> bool:
    """Whether the idempotency decorator wraps the view (it keeps the view's name, so its
    code is what tells it apart)."""
    current: Any = view
    while current is not None:
        code = getattr(current, "__code__", None)
        if code is not None and code.co_filename.endswith("idempotency.py"):
            return True
        current = getattr(current, "__wrapped__", None)
    return False
