"""The OpenAPI document is valid and usable: the bearer scheme on every protected operation,
every answer an operation gives documented, one schema per trigger and record type (from the
procedure's declarations, with an example each), Swagger UI served from the service."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate

import states
from api.applicants.schemas import RecordRequest, TransitionRequest

PUBLIC = {"/api/v1/publicity", "/calendar/{secret}.ics"}


@pytest.fixture
def spec(client) -> dict:
    return client.get("/api/openapi.json").json


def _operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "patch", "put", "delete"):
                yield path, method, operation


def test_the_document_is_valid_openapi(spec):
    validate(spec)


def test_every_protected_operation_names_the_bearer_scheme(spec):
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    for path, method, operation in _operations(spec):
        if path in PUBLIC:
            assert "security" not in operation, (method, path)
        else:
            assert operation.get("security") == [{"bearer": []}], (method, path)
            assert {"401", "403"} <= set(operation["responses"]), (method, path)


def test_every_operation_documents_the_errors_its_shape_implies(spec):
    for path, method, operation in _operations(spec):
        answers = set(operation["responses"])
        assert "503" in answers, (method, path)
        if "{" in path:
            assert "404" in answers, (method, path)
        if "requestBody" in operation:
            assert {"400", "422"} <= answers, (method, path)
        if any(p["in"] == "query" for p in operation.get("parameters", [])):
            assert "422" in answers, (method, path)
    for path in ("/api/v1/applicants/{dossier_id}/transitions",
                 "/api/v1/applicants/{dossier_id}/records"):
        operation = spec["paths"][path]["post"]
        assert {"409", "412"} <= set(operation["responses"])
        headers = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
        assert {"If-Match", "Idempotency-Key", "Accept-Language"} <= headers


def _template(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "999999", path)


def test_every_answer_given_is_documented(client, org, spec):
    """Each operation asked the ways it can fail: without a token, by a role it is not for,
    about a missing resource, with a body that is not JSON, with a body of the wrong
    fields. Whatever it answers is among its documented answers."""
    for path, method, operation in _operations(spec):
        url = _template(path).replace("999999.ics", "x.ics")
        documented = set(operation["responses"])
        attempts = [{}, {"headers": org.headers("auditor")},
                    {"headers": org.headers("admin")}, {"headers": org.headers("branch")}]
        if "requestBody" in operation:
            attempts += [
                {"headers": org.headers("branch"), "data": "x"},
                {"headers": org.headers("admin"), "json": {"nothing": 1}},
                {"headers": org.headers("branch", **{"Idempotency-Key": ""}), "json": {}},
            ]
        if any(p["in"] == "query" for p in operation.get("parameters", [])):
            attempts.append({"headers": org.headers("admin"),
                             "query_string": {"page": "0", "per_page": "x"}})
        for attempt in attempts:
            response = client.open(url, method=method.upper(), **attempt)
            status = str(response.status_code)
            assert status in documented, (
                method, path, attempt, status, response.get_data(as_text=True)[:200])


def test_one_schema_per_trigger_and_record_type(spec):
    schemas = spec["components"]["schemas"]
    procedure = states.PROCEDURE
    body = spec["paths"]["/api/v1/applicants/{dossier_id}/transitions"]["post"][
        "requestBody"]["content"]["application/json"]
    mapping = body["schema"]["discriminator"]["mapping"]
    assert body["schema"]["discriminator"]["propertyName"] == "trigger"
    assert set(mapping) == set(procedure.triggers())
    for transition in procedure.transitions:
        schema = schemas[mapping[transition.trigger].rsplit("/", 1)[1]]
        assert schema["properties"]["trigger"]["enum"] == [transition.trigger]
        assert set(schema["properties"]) == {"trigger", "effective_date",
                                             *(p.name for p in transition.params)}
        assert set(schema["required"]) == {"trigger", "effective_date", *(
            p.name for p in transition.params if p.required)}
        assert transition.summary_zh in schema["description"]
        assert set(body["examples"][transition.trigger]["value"]) == set(schema["properties"])
    records = spec["paths"]["/api/v1/applicants/{dossier_id}/records"]["post"][
        "requestBody"]["content"]["application/json"]
    assert set(records["schema"]["discriminator"]["mapping"]) == {
        r.name for r in procedure.records}
    assert records["schema"]["discriminator"]["propertyName"] == "type"


@pytest.mark.parametrize("alternatives", [TransitionRequest.alternatives,
                                          RecordRequest.alternatives])
def test_each_example_is_a_valid_body(alternatives):
    # The examples pass the schema the service itself loads bodies with.
    for example in alternatives.examples.values():
        schema = TransitionRequest() if "trigger" in example else RecordRequest()
        schema.load(example)


def test_swagger_ui_is_served_from_the_service(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    scripts = re.findall(r'(?:src|href)="([^"]+)"', html)
    # Its files, its set-up script and the site's icon: all from the service itself.
    assert scripts and all(s.startswith(("/static/vendor/swagger-ui-dist/", "/static/web/"))
                           for s in scripts)
    assert "/static/web/swagger-init.js" in scripts
    for script in scripts:
        assert client.get(script).status_code == 200, script
    assert "/api/openapi.json" in html
