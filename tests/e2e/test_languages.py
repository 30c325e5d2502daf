"""API.md revision 2, Languages: every error's message — top level, reasons, fields — in
Chinese when the request asks for it, English otherwise; Chinese sent as UTF-8; dates in
Chinese messages as 2026年11月27日."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from api.errors import render_domain_error
from tests.helpers import create_applicant, dossier_in, record
from workflow.domain.errors import Conflict
from workflow.usecases import services

ZH = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}
HAN = re.compile(r"[\u4e00-\u9fff]")
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _texts(value):
    """Every message text of an error body's fields (nested for lists)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)
    else:
        yield value


def assert_chinese(response, status: int, code: str) -> dict:
    body = response.json
    assert response.status_code == status, body
    assert body["error"] == code
    raw = response.get_data(as_text=True)
    assert "\\u" not in raw, raw  # UTF-8, not escapes
    assert HAN.search(body["message"]), body["message"]
    assert not ISO_DAY.search(body["message"]), body["message"]
    for text in _texts(body.get("fields", {})):
        assert HAN.search(text), body["fields"]
        assert not ISO_DAY.search(text), text
    for reason in body.get("reasons", []):
        assert reason["message"] == reason["message_zh"] and HAN.search(reason["message"])
        assert not ISO_DAY.search(reason["message"]), reason["message"]
    return body


def _zh(org, who: str = "branch", **extra: str) -> dict[str, str]:
    return org.headers(who, **ZH, **extra)


def test_400_not_json(client, org):
    response = client.post("/api/v1/applicants", data=b"{not json",
                           headers=_zh(org, **{"Content-Type": "application/json"}))
    assert_chinese(response, 400, "bad_request")


@pytest.mark.parametrize("header", [None, "Bearer nope"])
def test_401(client, org, header):
    headers = {**ZH, **({"Authorization": header} if header else {})}
    assert_chinese(client.get("/api/v1/applicants", headers=headers), 401, "unauthorized")


def test_403_role_and_auditor(client, org):
    did = create_applicant(client, org)["id"]
    response = client.post(f"/api/v1/applicants/{did}/transitions", headers=_zh(org, "committee"),
                           json={"trigger": "designate_activist",
                                 "effective_date": date.today().isoformat()})
    body = assert_chinese(response, 403, "forbidden")
    assert "党委" in body["message"]
    response = client.post(f"/api/v1/applicants/{did}/records", headers=_zh(org, "auditor"),
                           json={"type": "talk", "date": date.today().isoformat(), "by": "x"})
    assert_chinese(response, 403, "forbidden")
    assert_chinese(client.get("/api/v1/audit/entries", headers=_zh(org)), 403, "forbidden")


def test_404_dossier_and_route(client, org):
    body = assert_chinese(client.get("/api/v1/applicants/999", headers=_zh(org)), 404,
                          "not_found")
    assert "999" in body["message"]
    assert_chinese(client.get("/api/v1/nothing-here", headers=_zh(org)), 404, "not_found")


def test_405(client, org):
    assert_chinese(client.delete("/api/v1/applicants", headers=_zh(org)), 405,
                   "method_not_allowed")


def test_409_transition_and_record(client, org):
    did = create_applicant(client, org)["id"]
    today = date.today()
    response = client.post(f"/api/v1/applicants/{did}/transitions", headers=_zh(org), json={
        "trigger": "hold_vote", "effective_date": today.isoformat(), "entitled": 10,
        "present": 8, "in_favour": 8, "against": 0, "abstained": 0})
    body = assert_chinese(response, 409, "invalid_transition")
    assert "入党申请人" in body["message"]
    response = client.post(f"/api/v1/applicants/{did}/records", headers=_zh(org),
                           json={"type": "evaluation", "date": today.isoformat(),
                                 "summary": "x"})
    assert_chinese(response, 409, "invalid_record")


def test_409_concurrent_change(app):
    # A lost race cannot be provoked reliably here: the services' own refusal is rendered.
    class LosingRepo:
        def save_dossier(self, *args, **kwargs) -> bool:
            return False

    stored = SimpleNamespace(dossier=SimpleNamespace(), profile={})
    with pytest.raises(Conflict) as refused:
        services._save(LosingRepo(), stored, 1, datetime.now(tz=UTC), None)
    with app.test_request_context(headers=ZH):
        response = render_domain_error(refused.value)
    assert response.status_code == 409 and HAN.search(response.json["message"])


def test_412(client, org):
    did = create_applicant(client, org)["id"]
    response = client.post(f"/api/v1/applicants/{did}/transitions",
                           headers=_zh(org, **{"If-Match": '"7"'}),
                           json={"trigger": "withdraw", "effective_date":
                                 date.today().isoformat(), "reason": "本人申请"})
    assert_chinese(response, 412, "version_mismatch")


def test_413(client, org):
    response = client.post("/api/v1/applicants", data=b"x" * (2 * 1024 * 1024),
                           headers=_zh(org, **{"Content-Type": "application/json"}))
    assert_chinese(response, 413, "payload_too_large")


def test_422_schema_fields(client, org):
    response = client.post("/api/v1/applicants", headers=_zh(org), json={
        "branch_id": "1", "name": "", "gender": "other", "birth_date": "1800-01-01",
        "applied_on": "30.02.2023", "colour": "red", "frontline": "yes",
        "id_number": "123"})
    body = assert_chinese(response, 422, "validation_error")
    assert {"branch_id", "name", "gender", "birth_date", "applied_on", "colour", "frontline",
            "id_number"} <= set(body["fields"])
    assert body["fields"]["birth_date"] == ["不得早于1900年1月1日。"]
    response = client.post(f"/api/v1/applicants/{create_applicant(client, org)['id']}"
                           "/transitions", headers=_zh(org),
                           json={"trigger": "reject", "effective_date": "2025-01-01",
                                 "months": 6})
    body = assert_chinese(response, 422, "validation_error")
    assert body["fields"]["months"] == ["不是“reject”的字段"]
    assert body["fields"]["reason"] == ["此项必填。"]


def test_422_domain_fields_with_dates(client, org):
    future = date.today() + timedelta(days=3)
    response = client.post("/api/v1/applicants", headers=_zh(org), json={
        "branch_id": org.branch, "name": "王芳", "gender": "female",
        "birth_date": "1995-03-01", "applied_on": future.isoformat()})
    body = assert_chinese(response, 422, "validation_error")
    assert "年" in body["fields"]["applied_on"][0]


def test_422_guard_failed_reasons_and_dates(client, org):
    today = date.today()
    # Seventeen: the min_age rule names the day the applicant comes of age.
    birth = today.replace(year=today.year - 17) if today.month != 2 or today.day != 29 \
        else date(today.year - 17, 3, 1)
    response = client.post("/api/v1/applicants", headers=_zh(org), json={
        "branch_id": org.branch, "name": "王芳", "gender": "female",
        "birth_date": birth.isoformat(), "applied_on": today.isoformat()})
    body = assert_chinese(response, 422, "guard_failed")
    adult = date(birth.year + 18, birth.month, birth.day)
    assert f"{adult.year}年{adult.month}月{adult.day}日" in body["reasons"][0]["message"]
    assert body["reasons"][0]["message_en"].isascii()


def test_422_idempotency_key_reused(client, org):
    did = create_applicant(client, org)["id"]
    headers = _zh(org, **{"Idempotency-Key": "k1"})
    first = client.post(f"/api/v1/applicants/{did}/records", headers=headers,
                        json={"type": "talk", "date": date.today().isoformat(), "by": "张三"})
    assert first.status_code == 201
    response = client.post(f"/api/v1/applicants/{did}/records", headers=headers,
                           json={"type": "talk", "date": date.today().isoformat(), "by": "李四"})
    assert_chinese(response, 422, "idempotency_key_reused")


def test_english_without_the_header(client, org):
    response = client.get("/api/v1/applicants/999", headers=org.headers("branch"))
    assert response.status_code == 404 and not HAN.search(response.json["message"])
    response = client.post("/api/v1/applicants", headers=org.headers("branch"),
                           json={"name": ""})
    assert response.json["fields"]["name"] == ["Length must be between 1 and 100."]


def test_chinese_of_a_dossier_is_utf8(client, org):
    did = create_applicant(client, org, name="赵敏")["id"]
    raw = client.get(f"/api/v1/applicants/{did}", headers=org.headers("branch")).get_data()
    assert "赵敏".encode() in raw and b"\\u8d75" not in raw


def test_reasons_of_next_steps_follow_the_language(client, rt, org):
    dossier = dossier_in(client, rt, org, "probationary")
    body = client.get(f"/api/v1/applicants/{dossier['id']}", headers=_zh(org)).json
    reasons = [r for step in body["next"] for r in step["reasons"]]
    assert reasons and all(r["message"] == r["message_zh"] for r in reasons)
    assert not any(ISO_DAY.search(r["message_zh"]) for r in reasons)


def test_calendar_feed_is_chinese(client, rt, org):
    dossier = dossier_in(client, rt, org, "probationary")
    record(client, org, dossier["id"], "evaluation", date.today(), "branch", summary="良好")
    url = client.post("/api/v1/calendar-feed", headers=org.headers("branch")).json["url"]
    # Unfolded: iCalendar folds lines at 75 octets.
    text = client.get(url.split("localhost", 1)[1]).get_data(as_text=True).replace("\r\n ", "")
    descriptions = [line for line in text.splitlines() if line.startswith("DESCRIPTION")]
    assert descriptions and all(HAN.search(line) and "到期" in line for line in descriptions)
