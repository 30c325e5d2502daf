"""Issue 12, item 7: auditors' calendar feed, strict dates, owner-only files, security
headers."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

import api
from api import create_app
from api.security import CONTENT_SECURITY_POLICY
from tests.helpers import create_applicant


def test_an_auditor_subscribes_to_its_agenda(client, org):
    response = client.post("/api/v1/calendar-feed", headers=org.headers("auditor"))
    assert response.status_code == 201, response.json
    assert client.get(response.json["url"].split("localhost", 1)[1]).status_code == 200
    assert client.delete("/api/v1/calendar-feed",
                         headers=org.headers("auditor")).status_code == 204


@pytest.mark.parametrize("day", ["20261123", "2026-W48-1", "2026-11-23T00:00", "2026-1-5",
                                 "２０２６-11-23"])
def test_only_yyyy_mm_dd_is_a_date(client, org, day):
    response = client.post("/api/v1/applicants", headers=org.headers("branch"), json={
        "branch_id": org.branch, "name": "李明", "gender": "female",
        "birth_date": "1998-05-04", "applied_on": day})
    assert response.status_code == 422
    assert "applied_on" in response.json["fields"]
    response = client.get(f"/api/v1/audit/entries?effective_from={day}",
                          headers=org.headers("auditor"))
    assert response.status_code == 422
    assert "effective_from" in response.json["fields"]


@pytest.mark.parametrize("path", ["/api/v1/publicity", "/publicity", "/api/openapi.json",
                                  "/api/v1/nowhere", "/api/v1/applicants"])
def test_every_answer_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_the_policy_is_one_setting(database_url, tmp_path):
    app = create_app({"DATABASE_URL": database_url,
                      "CONTENT_SECURITY_POLICY": "default-src 'self'"},
                     instance_path=str(tmp_path / "instance"))
    assert app.test_client().get("/api/v1/publicity").headers[
        "Content-Security-Policy"] == "default-src 'self'"
    app.extensions["recruitflow"].engine.dispose()


def test_the_instance_folder_and_database_are_owner_only(tmp_path):
    instance = tmp_path / "fresh" / "instance"
    app = create_app({}, instance_path=str(instance))
    client = app.test_client()
    # Not migrated: a missing table is no reason to "retry shortly".
    response = client.get("/api/v1/publicity")
    assert response.status_code == 500
    assert response.json["error"] == "internal_error"
    assert stat.S_IMODE(instance.stat().st_mode) & 0o077 == 0
    database = instance / "recruitflow.sqlite3"
    assert database.exists()
    assert stat.S_IMODE(database.stat().st_mode) & 0o077 == 0
    app.extensions["recruitflow"].engine.dispose()


def test_a_dossier_created_with_a_strict_date_is_fine(client, org):
    assert create_applicant(client, org)["applied_on"]


def test_no_page_needs_an_inline_script(client):
    """Scripts come from the service's files only: the policy allows no inline script, and no
    template (Swagger UI's page included) carries one, an on… handler or a javascript: link
    (a JSON data block is not run)."""
    script_src = next(d for d in CONTENT_SECURITY_POLICY.split("; ")
                      if d.startswith("script-src"))
    assert script_src == "script-src 'self'"
    templates = Path(api.__file__).parent
    found = []
    for template in templates.rglob("*.html"):
        text = template.read_text()
        inline = [m for m in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", text)
                  if 'type="application/json"' not in m]
        handlers = re.findall(r"\son[a-z]+\s*=", text) + re.findall(r"javascript:", text)
        if inline or handlers:
            found.append((template.name, inline, handlers))
    assert found == []
    docs = client.get("/api/docs").get_data(as_text=True)
    assert "swagger-init.js" in docs and "SwaggerUIBundle(" not in docs
