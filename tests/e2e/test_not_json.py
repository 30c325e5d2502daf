"""A body that is not JSON is a 400, never a list of "missing" fields; what gunicorn refuses
before the app sees it (raw UTF-8 in a query string, over-long URLs and headers) is JSON too."""

from __future__ import annotations

import json
import socket

import pytest

from tests.helpers import create_applicant
from tests.live import live_server

BODY = json.dumps({"trigger": "withdraw", "effective_date": "2025-01-01", "reason": "x"})


@pytest.mark.parametrize(("data", "content_type"), [
    (BODY, None),  # curl -d without -H: no Content-Type at all
    (BODY, "application/x-www-form-urlencoded"),  # what curl -d sends
    (BODY, "text/plain"),
    ("", "application/json"),
    ("   ", "application/json"),
    ("{trigger: withdraw}", "application/json"),
])
def test_a_body_that_is_not_json_is_400(client, org, data, content_type):
    did = create_applicant(client, org)["id"]
    headers = org.headers("branch")
    if content_type:
        headers["Content-Type"] = content_type
    response = client.post(f"/api/v1/applicants/{did}/transitions", data=data,
                           headers=headers)
    assert response.status_code == 400, response.json
    assert response.json["error"] == "bad_request"
    assert "trigger" not in response.json.get("fields", {})


def test_json_with_a_charset_is_json(client, org):
    did = create_applicant(client, org)["id"]
    response = client.post(f"/api/v1/applicants/{did}/transitions", data=BODY.encode(),
                           headers=org.headers("branch", **{
                               "Content-Type": "application/json; charset=utf-8"}))
    assert response.status_code == 422  # judged: the date precedes the application
    assert "effective_date" in response.json["fields"]


def test_the_400_speaks_chinese(client, org):
    response = client.post("/api/v1/applicants", data=BODY,
                           headers=org.headers("branch", **{"Accept-Language": "zh"}))
    assert response.status_code == 400 and "Content-Type" in response.json["message"]
    assert "请求正文不是 JSON" in response.json["message"]


def _raw(port: int, request: bytes) -> tuple[int, dict]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert b"Content-Type: application/json" in head, answer[:300]
    return int(head.split()[1]), json.loads(body)


def test_what_gunicorn_refuses_is_json(database_url, tmp_path):
    with live_server(database_url, tmp_path / "live", workers=1, threads=2) as port:
        status, body = _raw(port, "GET /api/v1/applicants?q=王 HTTP/1.1\r\nHost: x\r\n\r\n"
                            .encode())
        assert status == 400 and body["error"] == "bad_request" and body["message_zh"]
        status, body = _raw(port, b"GET /api/v1/applicants?" + b"a" * 5000
                            + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        assert status == 414 and body["error"] == "uri_too_long"
        status, body = _raw(port, b"GET /api/v1/applicants HTTP/1.1\r\nHost: x\r\nX-Big: "
                            + b"a" * 9000 + b"\r\n\r\n")
        assert status == 431 and body["error"] == "request_header_fields_too_large"
