"""Project-wide defaults for schemas and fields, written once instead of in every schema."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

import flask_smorest
from flask import Response, current_app
from flask.json.provider import DefaultJSONProvider
from marshmallow import RAISE, ValidationError, fields, validate
from marshmallow import Schema as _Schema
from webargs.flaskparser import FlaskParser, abort, is_json_request

from api import openapi
from workflow.domain.rules import Param

MAX_ID = 2**31 - 1
# Control characters and lone surrogates are refused: PostgreSQL rejects NUL in text and a
# lone surrogate cannot be encoded to UTF-8, and neither has a place in a dossier.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# The one date format of the API: Python's own parser also takes 20261123 or 2026-W48-1.
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


NOT_JSON = "The request body is not JSON: send Content-Type: application/json."
EMPTY = "The request body is empty: send a JSON object."


class Parser(FlaskParser):
    """webargs' parser, refusing JSON nested too deeply, or with an integer longer than
    Python converts (4,300 digits), as a 400, not a crash."""

    def _raw_load_json(self, req):
        # A body that is not JSON is the client's mistake (400), not a list of missing
        # fields: webargs would read a wrong or missing Content-Type, or an empty body, as
        # "no fields given" (API.md revision 2, Languages).
        if not is_json_request(req):
            abort(400, message=NOT_JSON, messages={"json": [NOT_JSON]})
        if not req.get_data(cache=True).strip():
            abort(400, message=EMPTY, messages={"json": [EMPTY]})
        try:
            return super()._raw_load_json(req)
        except (RecursionError, ValueError) as problem:
            if isinstance(problem, json.JSONDecodeError):
                raise
            error = json.JSONDecodeError(str(problem)[:80], "", 0)
            return self._handle_invalid_json_error(error, req)


class Blueprint(flask_smorest.Blueprint):
    """The project's blueprint: every view parses its arguments with `Parser`, and its
    document says which operations need the token and every error each can answer
    (`api/openapi.py`)."""

    ARGUMENTS_PARSER = Parser()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._prepare_doc_cbks.append(self._prepare_operation_doc)

    @staticmethod
    def refuses(*statuses: int):
        """Document error answers a view gives that its shape does not reveal (412 for a
        view that honours If-Match, 409 for one that judges a dossier's state…)."""

        def mark(view):
            view._apidoc = {**getattr(view, "_apidoc", {}),
                            "refusals": tuple(sorted(set(statuses)))}
            return view

        return mark

    def register_views_in_doc(self, api, app, spec, *, name, parameters):
        protected = any(getattr(f, "__name__", "") == "authenticate"
                        and getattr(f, "__module__", "") == "api.auth"
                        for f in self.before_request_funcs.get(None, ()))
        for endpoint, methods in self._docs.items():
            rule = next(app.url_map.iter_rules(f"{name}.{endpoint}"))
            view = app.view_functions[f"{name}.{endpoint}"]
            for method, info in methods.items():
                if method != "parameters":
                    info["operation"] = (protected, bool(rule.arguments),
                                         openapi.is_idempotent(view))
        super().register_views_in_doc(api, app, spec, name=name, parameters=parameters)

    @staticmethod
    def _prepare_operation_doc(doc, doc_info, *, spec, method, **kwargs):
        protected, path_parameters, idempotent = doc_info["operation"]
        operation = openapi.Operation(protected, path_parameters, idempotent,
                                      doc_info.get("refusals", ()),
                                      takes_body=method in ("post", "patch", "put"))
        return openapi.document(doc, operation, spec)

    def arguments(self, schema, *args, **kwargs):
        # Given a schema class, webargs builds an instance on every request, deep-copying
        # each declared field (a sixth of a transition's time); a schema keeps no state
        # between loads, so one instance serves every request.
        if isinstance(schema, type):
            schema = schema()
        return super().arguments(schema, *args, **kwargs)


class JsonProvider(DefaultJSONProvider):
    """Dates and times as ISO 8601 wherever the API writes JSON, as marshmallow dumps them
    (Flask's default is the HTTP date format)."""

    @staticmethod
    def default(o: Any) -> Any:
        if isinstance(o, date):  # datetimes too
            return o.isoformat()
        return DefaultJSONProvider.default(o)

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        text = super().dumps(obj, **kwargs)
        # Chinese goes out as UTF-8 (ensure_ascii is off), but a lone surrogate echoed from
        # a request (in a field's name, say) has no UTF-8 form: it alone stays escaped.
        if not text.isascii():
            text = _SURROGATE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
        return text


def answer(body: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """A JSON answer written straight from a presenter's output, not dumped again through
    its response schema, which documents it: the busiest answers (a dossier after each act)
    spent a tenth of their time there. `tests/integration/test_presenters.py` checks that
    presenters and schemas agree."""
    response = current_app.json.response(body)
    response.status_code = status
    if headers:
        response.headers.update(headers)
    return response


class Schema(_Schema):
    """Unknown fields are an error, never silently dropped."""

    class Meta:
        unknown = RAISE
        ordered = True


class Text(fields.String):
    """A string of printable text, stripped, within a length."""

    def __init__(self, *, max_length: int = 2000, min_length: int = 1, **kwargs) -> None:
        super().__init__(validate=validate.Length(min=min_length, max=max_length), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if _FORBIDDEN.search(text):
            raise ValidationError("Contains control characters or invalid code points.")
        return text.strip()


def Id(**kwargs) -> fields.Integer:
    return fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID), **kwargs)


def Flag(**kwargs) -> fields.Boolean:
    # Only JSON true and false: "yes", 1 or "0" are a client's mistake, not a boolean.
    return fields.Boolean(truthy={True}, falsy={False}, **kwargs)


class Day(fields.Date):
    """A calendar date (YYYY-MM-DD) within a sane range."""

    EARLIEST = date(1900, 1, 1)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not _ISO_DAY.fullmatch(value):
            raise ValidationError("Not a valid date: expected a string YYYY-MM-DD.")
        day = super()._deserialize(value, attr, data, **kwargs)
        if day < self.EARLIEST:
            raise ValidationError(f"Must not be before {self.EARLIEST}.")
        return day


def field_for(param: Param, *, required: bool | None = None) -> fields.Field:
    """The marshmallow field of a payload or record field declared by the domain."""
    required = param.required if required is None else required
    meta = {"description": param.description} if param.description else {}
    if param.kind == "int":
        return fields.Integer(
            strict=True, required=required, metadata=meta,
            validate=validate.Range(min=param.minimum, max=param.maximum),
        )
    if param.kind == "bool":
        return Flag(required=required, metadata=meta)
    if param.kind in ("member", "record"):
        return Id(required=required, metadata=meta)
    if param.kind == "choice":
        return fields.String(required=required, validate=validate.OneOf(param.choices),
                             metadata=meta)
    return Text(required=required, metadata=meta)
