"""Inputs that once answered 5xx (issue 12, item 5): each is now a 4xx naming what is wrong,
and nothing is written."""

from __future__ import annotations

from datetime import date

from tests.helpers import create_applicant, dossier_in


def test_an_empty_contact_update_is_refused(client, org):
    response = client.patch(f"/api/v1/organizations/{org.committee}", json={},
                            headers=org.headers("admin"))
    assert response.status_code == 422, response.json
    assert response.json["error"] == "validation_error"


def test_an_empty_if_match_matches_no_version(client, org):
    dossier = create_applicant(client, org)
    response = client.post(f"/api/v1/applicants/{dossier['id']}/records",
                           json={"type": "talk", "date": date.today().isoformat(), "by": "x"},
                           headers=org.headers("branch", **{"If-Match": '""'}))
    assert response.status_code == 412, response.json
    response = client.post(f"/api/v1/applicants/{dossier['id']}/records",
                           json={"type": "talk", "date": date.today().isoformat(), "by": "x"},
                           headers=org.headers("branch", **{"If-Match": ""}))
    assert response.status_code == 412, response.json


def test_the_last_day_of_the_calendar_is_a_valid_bound(client, org):
    create_applicant(client, org)
    for path in ("/api/v1/audit/entries", "/api/v1/audit/export"):
        response = client.get(f"{path}?recorded_to=9999-12-31&effective_to=9999-12-31",
                              headers=org.headers("auditor"))
        assert response.status_code == 200, (path, response.data[:300])


def test_a_cursor_beyond_any_id_is_refused(client, org):
    response = client.get("/api/v1/audit/entries?cursor=9999999999999999999",
                          headers=org.headers("auditor"))
    assert response.status_code == 422, response.json
    assert "cursor" in response.json["fields"]


def test_a_5000_digit_vote_count_is_refused(client, rt, org):
    dossier = dossier_in(client, rt, org, "vote")
    body = (f'{{"trigger": "hold_vote", "effective_date": "{date.today()}", '
            f'"entitled": {"9" * 5000}, "present": 5, "in_favour": 5, "against": 0, '
            f'"abstained": 0}}')
    response = client.post(f"/api/v1/applicants/{dossier['id']}/transitions", data=body,
                           headers=org.headers("branch", **{"Content-Type": "application/json"}))
    assert 400 <= response.status_code < 500, response.data[:300]
    after = client.get(f"/api/v1/applicants/{dossier['id']}", headers=org.headers("branch"))
    assert after.json["version"] == dossier["version"]
