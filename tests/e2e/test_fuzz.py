"""Property-based fuzzing of every operation in the OpenAPI document: whatever the input, the
answer is JSON, never a server error, and it is the answer the document describes."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402

from api import create_app  # noqa: E402


def _operations() -> list[tuple[str, str]]:
    app = create_app({"DATABASE_URL": "sqlite://"}, instance_path="/tmp/recruitflow-spec")
    spec = app.test_client().get("/api/openapi.json").json
    return [(path, method.upper()) for path, item in spec["paths"].items()
            for method in item if method in ("get", "post")]


@pytest.mark.parametrize(("path", "method"), _operations())
def test_no_input_gets_a_server_error(app, org, path, method):
    operation = schemathesis.openapi.from_wsgi("/api/openapi.json", app)[path][method]
    headers = {"Authorization": f"Bearer {org.tokens['committee']}"}

    @settings(max_examples=20, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def check(case):
        response = case.call(headers=headers)
        assert response.status_code < 500, (case.path, case.body, response.content[:500])
        # Files (Word documents, spreadsheets) are answers too; every error is JSON.
        if response.status_code >= 400 or "json" in response.headers.get("Content-Type", ""):
            assert isinstance(response.json(), dict)
        operation.validate_response(response, case=case)

    check()
