"""Every answer code of API.md, for the roles and scopes that produce it."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from tests.helpers import create_applicant, dossier_in, fire, record


def _log_length(client, org, dossier_id):
    return len(client.get(f"/api/v1/applicants/{dossier_id}/log",
                          headers=org.headers("auditor")).json["entries"])


# 401


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nope", "Basic abc", "bearer  "])
def test_missing_or_unknown_token_is_401(client, org, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/applicants", headers=headers)
    assert response.status_code == 401
    assert response.json["error"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_public_feed_needs_no_token(client, org):
    assert client.get("/api/v1/publicity").status_code == 200


# 403 and 404: roles and scopes


def test_auditor_changes_nothing(client, org):
    dossier = create_applicant(client, org)
    did = dossier["id"]
    assert client.get(f"/api/v1/applicants/{did}", headers=org.headers("auditor")).status_code \
        == 200
    attempts = [
        record(client, org, did, "talk", date.today(), "auditor", by="x"),
        fire(client, org, did, "reject", date.today(), "auditor", reason="x"),
        client.post("/api/v1/applicants", headers=org.headers("auditor"), json={
            "branch_id": org.branch, "name": "x", "gender": "male",
            "birth_date": "1990-01-01", "applied_on": "2025-01-01"}),
        client.post("/api/v1/members", headers=org.headers("auditor"), json={
            "name": "x", "branch_id": org.branch, "status": "full", "joined_on": "2000-01-01"}),
        client.post("/api/v1/organizations", headers=org.headers("auditor"),
                    json={"name": "x", "kind": "branch", "parent_id": org.committee}),
        client.post("/api/v1/users", headers=org.headers("auditor"),
                    json={"name": "x", "role": "admin", "organization_id": org.committee}),
    ]
    assert [r.status_code for r in attempts] == [403] * len(attempts)
    assert all(r.json["error"] == "forbidden" for r in attempts)
    assert _log_length(client, org, did) == 1


def test_trigger_roles(client, org):
    dossier = create_applicant(client, org)
    did = dossier["id"]
    # designate_activist is the branch's; the committee may not fire it.
    response = fire(client, org, did, "designate_activist", date.today(), "committee")
    assert response.status_code == 403
    # reject is open to both, withdraw to the branch only.
    assert fire(client, org, did, "withdraw", date.today(), "committee",
                reason="x").status_code == 403
    # Records name their roles too: a filing is acknowledged by the committee.
    assert record(client, org, did, "talk", date.today(), "committee", by="x").status_code \
        == 403


def test_committee_triggers_are_not_the_branchs(client, rt, org):
    dossier = dossier_in(client, rt, org, "training")
    response = fire(client, org, dossier["id"], "complete_training", date.today(), "branch",
                    hours=24, passed=True)
    assert response.status_code == 403


def test_other_scopes_do_not_see_the_dossier(client, org):
    did = create_applicant(client, org)["id"]
    for who in ("far_branch", "far_committee", "other_branch"):
        response = client.get(f"/api/v1/applicants/{did}", headers=org.headers(who))
        assert response.status_code == 404, who
        assert response.json["error"] == "not_found"
        response = fire(client, org, did, "reject", date.today(), who, reason="x")
        assert response.status_code == 404, who
    listed = client.get("/api/v1/applicants", headers=org.headers("far_committee")).json
    assert listed["total"] == 0


def test_a_branch_creates_only_in_its_own_branch(client, org):
    response = client.post("/api/v1/applicants", headers=org.headers("branch"), json={
        "branch_id": org.other_branch, "name": "x", "gender": "male",
        "birth_date": "1990-01-01", "applied_on": "2025-01-01"})
    assert response.status_code == 422
    assert "branch_id" in response.json["fields"]


def test_admin_does_not_see_identifiers(client, org):
    did = create_applicant(client, org)["id"]
    seen = client.get(f"/api/v1/applicants/{did}", headers=org.headers("admin")).json
    assert "id_number" not in seen and "phone" not in seen
    seen = client.get(f"/api/v1/applicants/{did}", headers=org.headers("auditor")).json
    assert seen["id_number"] == "11010119980504002X"


@pytest.mark.parametrize("path", ["/api/v1/applicants/999999", "/api/v1/applicants/abc",
                                  "/api/v1/applicants/99999999999999999999999",
                                  "/api/v1/applicants/-1", "/api/v1/nothing"])
def test_unknown_resources_are_404_json(client, org, path):
    response = client.get(path, headers=org.headers("branch"))
    assert response.status_code == 404
    assert response.json["error"] == "not_found"


def test_wrong_method_is_405_json(client, org):
    response = client.delete("/api/v1/applicants", headers=org.headers("branch"))
    assert response.status_code == 405
    assert response.json["error"] == "method_not_allowed"


# 409


def test_trigger_not_valid_from_state_is_409(client, org):
    did = create_applicant(client, org)["id"]
    response = fire(client, org, did, "hold_vote", date.today(), "branch", entitled=10,
                    present=8, in_favour=8, against=0, abstained=0)
    assert response.status_code == 409
    assert response.json["error"] == "invalid_transition"
    assert response.json["state"] == "applicant"


def test_record_out_of_its_states_is_409(client, org):
    did = create_applicant(client, org)["id"]
    response = record(client, org, did, "objection", date.today(), "branch", summary="x")
    assert response.status_code == 409
    assert response.json["error"] == "invalid_record"
    assert response.json["allowed_states"] == ["publicity", "conversion_publicity"]


# 412


def test_if_match(client, org):
    did = create_applicant(client, org)["id"]
    response = client.get(f"/api/v1/applicants/{did}", headers=org.headers("branch"))
    assert response.headers["ETag"] == '"1"'
    stale = record(client, org, did, "talk", date.today(), "branch", by="x")
    assert stale.status_code == 201 and stale.headers["ETag"] == '"2"'
    for tag in ('"1"', '"banana"', 'W/"1"', '""'):
        response = client.post(f"/api/v1/applicants/{did}/records",
                               json={"type": "talk", "date": date.today().isoformat(),
                                     "by": "y"},
                               headers=org.headers("branch", **{"If-Match": tag}))
        assert response.status_code == 412, tag
        assert response.json["error"] == "version_mismatch"
        assert response.json["version"] == 2
    response = client.post(f"/api/v1/applicants/{did}/transitions",
                           json={"trigger": "withdraw", "effective_date":
                                 date.today().isoformat(), "reason": "moved"},
                           headers=org.headers("branch", **{"If-Match": '"2"'}))
    assert response.status_code == 200
    assert response.json["state"] == "withdrawn"


# 422 guard_failed


def test_guard_failure_lists_every_rule_and_changes_nothing(client, org):
    did = create_applicant(client, org)["id"]
    response = fire(client, org, did, "designate_activist", date.today(), "branch")
    assert response.status_code == 422
    body = response.json
    assert body["error"] == "guard_failed"
    assert [r["rule"] for r in body["reasons"]] == ["talk_done", "recommended", "contacts"]
    assert all(r["message_zh"] and r["message_en"] for r in body["reasons"])
    assert _log_length(client, org, did) == 1
    shown = client.get(f"/api/v1/applicants/{did}", headers=org.headers("branch")).json
    assert shown["version"] == 1 and shown["state"] == "applicant"


def test_chinese_messages_on_request(client, org):
    did = create_applicant(client, org)["id"]
    response = client.post(f"/api/v1/applicants/{did}/transitions",
                           json={"trigger": "designate_activist",
                                 "effective_date": date.today().isoformat()},
                           headers=org.headers("branch", **{"Accept-Language": "zh-CN"}))
    message = response.json["reasons"][0]["message"]
    assert message.startswith("尚无") and message.endswith("期间的入党申请谈话记录。")


def test_too_young_on_the_application_date(client, org):
    today = date.today()
    born = today.replace(year=today.year - 18) + timedelta(days=1)
    response = client.post("/api/v1/applicants", headers=org.headers("branch"), json={
        "branch_id": org.branch, "name": "x", "gender": "male",
        "birth_date": born.isoformat(), "applied_on": today.isoformat()})
    assert response.status_code == 422
    assert response.json["reasons"][0]["rule"] == "min_age"
    assert response.json["reasons"][0]["earliest_date"] == (today + timedelta(days=1)).isoformat()


def test_failed_vote_changes_nothing_then_return_to_activist(client, rt, org):
    dossier = dossier_in(client, rt, org, "vote")
    did, version = dossier["id"], dossier["version"]
    response = fire(client, org, did, "hold_vote", date.today(), "branch", entitled=20,
                    present=10, in_favour=10, against=0, abstained=0)
    assert response.status_code == 422
    assert {r["rule"] for r in response.json["reasons"]} == {"quorum", "majority"}
    after = client.get(f"/api/v1/applicants/{did}", headers=org.headers("branch")).json
    assert after["version"] == version and after["state"] == "vote"
    response = fire(client, org, did, "return_to_activist", date.today(), "branch",
                    reason="支部大会未通过，继续培养")
    assert response.status_code == 200
    assert response.json["state"] == "activist"
    assert response.json["dates"]["activist_on"] == dossier["dates"]["activist_on"]
    assert response.json["dates"]["voted_on"] is None


# 400 and 422 validation_error


def test_malformed_json_is_400(client, org):
    response = client.post("/api/v1/applicants", data=b"{not json",
                           headers=org.headers("branch", **{"Content-Type":
                                                            "application/json"}))
    assert response.status_code == 400
    assert response.json["error"] == "bad_request"


@pytest.mark.parametrize(("change", "field"), [
    ({"birth_date": "2023-02-30"}, "birth_date"),
    ({"birth_date": "30.02.2023"}, "birth_date"),
    ({"birth_date": 20230101}, "birth_date"),
    ({"gender": "other"}, "gender"),
    ({"name": ""}, "name"),
    ({"name": "x" * 101}, "name"),
    ({"name": "nul\u0000byte"}, "name"),
    ({"name": "\ud800"}, "name"),
    ({"branch_id": "1"}, "branch_id"),
    ({"branch_id": 10**20}, "branch_id"),
    ({"branch_id": True}, "branch_id"),
    ({"frontline": "yes"}, "frontline"),
    ({"id_number": "123"}, "id_number"),
    ({"colour": "red"}, "colour"),
    ({"applied_on": "1800-01-01"}, "applied_on"),
])
def test_fields_failing_the_schema_are_named(client, org, change, field):
    body = {"branch_id": org.branch, "name": "王芳", "gender": "female",
            "birth_date": "1995-03-01", "applied_on": "2025-01-01", **change}
    # Encoded here with \u escapes: a lone surrogate has no UTF-8 form to send.
    response = client.post("/api/v1/applicants", data=json.dumps(body),
                           content_type="application/json", headers=org.headers("branch"))
    assert response.status_code == 422, response.json
    assert response.json["error"] == "validation_error"
    assert field in response.json["fields"]


def test_application_date_in_the_future(client, org):
    tomorrow = date.today() + timedelta(days=2)
    response = client.post("/api/v1/applicants", headers=org.headers("branch"), json={
        "branch_id": org.branch, "name": "x", "gender": "male", "birth_date": "1990-01-01",
        "applied_on": tomorrow.isoformat()})
    assert response.status_code == 422
    assert "applied_on" in response.json["fields"]


def test_effective_dates_neither_future_nor_before_the_last_transition(client, rt, org):
    dossier = dossier_in(client, rt, org, "activist")
    did = dossier["id"]
    activist_on = date.fromisoformat(dossier["dates"]["activist_on"])
    response = fire(client, org, did, "reject", date.today() + timedelta(days=2), "branch",
                    reason="x")
    assert response.status_code == 422 and "effective_date" in response.json["fields"]
    response = fire(client, org, did, "reject", activist_on - timedelta(days=1), "branch",
                    reason="x")
    assert response.status_code == 422 and "effective_date" in response.json["fields"]
    response = record(client, org, did, "evaluation", activist_on - timedelta(days=1),
                      "branch", summary="x")
    assert response.status_code == 422 and "date" in response.json["fields"]
    assert fire(client, org, did, "reject", activist_on, "branch",
                reason="x").status_code == 200


@pytest.mark.parametrize(("body", "field"), [
    ({"trigger": "launch_rocket", "effective_date": "2025-01-01"}, "trigger"),
    ({"trigger": "reject"}, "effective_date"),
    ({"trigger": "reject", "effective_date": "2025-01-01"}, "reason"),
    ({"trigger": "reject", "effective_date": "2025-01-01", "reason": "x", "months": 6},
     "months"),
    ({"trigger": "reject", "effective_date": "2025-01-01", "reason": ["x"]}, "reason"),
    ({"trigger": "hold_vote", "effective_date": "2025-01-01", "entitled": 10, "present": 8,
      "in_favour": "8", "against": 0, "abstained": 0}, "in_favour"),
    ({"trigger": "hold_vote", "effective_date": "2025-01-01", "entitled": 10, "present": -1,
      "in_favour": 8, "against": 0, "abstained": 0}, "present"),
])
def test_transition_payloads_are_checked_per_trigger(client, org, body, field):
    did = create_applicant(client, org)["id"]
    response = client.post(f"/api/v1/applicants/{did}/transitions", json=body,
                           headers=org.headers("branch"))
    assert response.status_code == 422, response.json
    assert field in response.json["fields"]


def test_record_for_unknown_member_is_rejected(client, org):
    did = create_applicant(client, org)["id"]
    response = record(client, org, did, "contact", date.today(), "branch", member_id=999999)
    assert response.status_code == 422
    assert "member_id" in response.json["fields"]


JUNK = [
    b"", b"null", b"[]", b"123", b'"text"', b"{}", b'{"trigger": null}',
    b'{"trigger": {"a": 1}, "effective_date": []}', b"\xff\xfe\x00", b'{"a":' * 500,
    b'{"trigger": "reject", "effective_date": "2025-13-45", "reason": "x"}',
    b'{"trigger": "reject", "effective_date": "0000-01-01", "reason": "x"}',
    b'{"trigger": "reject", "effective_date": "2025-01-01", "reason": "' + b"x" * 100000 + b'"}',
    b'{"type": "talk", "date": "2025-01-01", "by": 1e400}',
    b'{"type": "contact", "date": "2025-01-01", "member_id": 1.5}',
    b'{"\\ud800": 1, "trigger": "\\udfff"}',
    b'{"type": "talk", "date": "2025-01-01", "by": "\\u0000"}',
    b"[" * 100_000,
    b'{"a":' * 100_000,
]


@pytest.mark.parametrize("path", ["/transitions", "/records", ""])
def test_no_junk_gets_a_500(client, org, path):
    did = create_applicant(client, org)["id"]
    url = f"/api/v1/applicants/{did}{path}" if path else "/api/v1/applicants"
    for body in JUNK:
        for content_type in ("application/json", "text/plain"):
            response = client.post(url, data=body,
                                   headers=org.headers("branch", **{"Content-Type":
                                                                    content_type}))
            assert 400 <= response.status_code < 500, (body[:50], response.status_code)
            assert response.is_json and "error" in response.json
    assert _log_length(client, org, did) == 1


def test_too_large_body_is_413_json(client, org):
    response = client.post("/api/v1/applicants", data=b"x" * (2 * 1024 * 1024),
                           headers=org.headers("branch", **{"Content-Type":
                                                            "application/json"}))
    assert response.status_code == 413
    assert response.json["error"] == "payload_too_large"


# Listing


def test_list_filters_and_paginates_within_scope(client, org):
    for name in ("张伟", "张敏", "李强"):
        create_applicant(client, org, name=name)
    create_applicant(client, org, name="外人", who="far_branch",
                     branch_id=org.other_committee_branch)
    page = client.get("/api/v1/applicants?q=张&per_page=1&page=2",
                      headers=org.headers("committee")).json
    assert page["total"] == 2 and page["page"] == 2 and len(page["items"]) == 1
    everything = client.get("/api/v1/applicants?state=applicant",
                            headers=org.headers("committee")).json
    assert {i["name"] for i in everything["items"]} == {"张伟", "张敏", "李强"}
    assert client.get("/api/v1/applicants?state=activist",
                      headers=org.headers("committee")).json["total"] == 0
    bad = client.get("/api/v1/applicants?state=nonsense&page=0", headers=org.headers("branch"))
    assert bad.status_code == 422 and {"state", "page"} <= set(bad.json["fields"])
    literal = client.get("/api/v1/applicants?q=%25", headers=org.headers("branch")).json
    assert literal["total"] == 0


# Idempotency-Key


def test_idempotent_repeat_returns_the_first_answer(client, org):
    did = create_applicant(client, org)["id"]
    headers = org.headers("branch", **{"Idempotency-Key": "talk-1"})
    body = {"type": "talk", "date": date.today().isoformat(), "by": "书记"}
    first = client.post(f"/api/v1/applicants/{did}/records", json=body, headers=headers)
    again = client.post(f"/api/v1/applicants/{did}/records", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json == again.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _log_length(client, org, did) == 2
    other = client.post(f"/api/v1/applicants/{did}/records", json={**body, "by": "别人"},
                        headers=headers)
    assert other.status_code == 422
    assert other.json["error"] == "idempotency_key_reused"
    # Keys belong to their user: another user's same key is a new request.
    mine = client.post(f"/api/v1/applicants/{did}/records", json=body,
                       headers=org.headers("committee", **{"Idempotency-Key": "talk-1"}))
    assert mine.status_code == 403


def test_idempotent_create_keeps_its_location(client, org):
    headers = org.headers("branch", **{"Idempotency-Key": "create-1"})
    body = {"branch_id": org.branch, "name": "x", "gender": "male",
            "birth_date": "1990-01-01", "applied_on": "2025-01-01"}
    first = client.post("/api/v1/applicants", json=body, headers=headers)
    again = client.post("/api/v1/applicants", json=body, headers=headers)
    assert first.headers["Location"] == again.headers["Location"]
    assert client.get("/api/v1/applicants", headers=org.headers("branch")).json["total"] == 1


# Documents


def test_workflow_document(client, org):
    body = client.get("/api/v1/workflow", headers=org.headers("auditor")).json
    assert {s["name"] for s in body["states"]} >= {"applicant", "full_member", "disqualified"}
    rules = {r["id"]: r for r in body["rules"]}
    assert "5" in rules["publicity_elapsed"]["summary"]
    hold = next(t for t in body["triggers"] if t["trigger"] == "hold_vote")
    assert hold["rules"] == ["volunteer_form", "vote_counts", "quorum", "majority"]
    assert body["revision"] == 2
    approve = next(t for t in body["triggers"] if t["trigger"] == "approve_conversion")
    assert approve["dests"] == ["full_member", "probationary", "disqualified"]
    assert {t["trigger"] for t in body["retired_triggers"]} == {"extend_probation",
                                                                "disqualify"}
    assert hold["roles"] == ["branch"]
    assert body["rulebook"]["numbers"]["cultivation_months"] == 12


def test_openapi_document_is_generated(client):
    spec = client.get("/api/openapi.json").json
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/applicants/{dossier_id}/transitions" in spec["paths"]
    schemas = spec["components"]["schemas"]
    assert {"HoldVoteTransition", "TalkRecord", "ApplicantCreate"} <= set(schemas)
    assert schemas["HoldVoteTransition"]["properties"]["trigger"]["enum"] == ["hold_vote"]


def test_times_carry_their_offset(client, org):
    did = create_applicant(client, org)["id"]
    listed = client.get("/api/v1/applicants", headers=org.headers("branch")).json["items"][0]
    shown = client.get(f"/api/v1/applicants/{did}", headers=org.headers("branch")).json
    entry = client.get(f"/api/v1/applicants/{did}/log",
                       headers=org.headers("branch")).json["entries"][0]
    for moment in (listed["updated_at"], shown["updated_at"], entry["recorded_at"]):
        assert moment.endswith("+00:00"), moment
