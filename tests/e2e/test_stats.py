"""`/api/v1/stats`: counts per state and branch, publicity and objections, who was admitted."""

from __future__ import annotations

from datetime import date

from tests.helpers import create_applicant, dossier_in, record

TODAY = date(2025, 6, 2)
EVER = {"from": "2000-01-01"}


def stats(client, org, who: str = "committee", **query) -> dict:
    response = client.get("/api/v1/stats", query_string=query, headers=org.headers(who))
    assert response.status_code == 200, response.json
    return response.json


def test_the_overview(client, rt, org, clock):
    clock.set_today(TODAY)
    dossier_in(client, rt, org, "probationary", ethnicity="汉族", education="大学本科",
               frontline=True)
    dossier_in(client, rt, org, "probationary", name="马强", gender="male",
               birth_date="1980-01-01", ethnicity="回族", education="研究生", frontline=False,
               branch_id=org.other_branch, who="other_branch")
    dossier_in(client, rt, org, "full_member", name="张华", gender="male",
               birth_date="1995-03-03")
    create_applicant(client, org, applied_on=TODAY)
    pending = dossier_in(client, rt, org, "publicity", finished_by=TODAY)
    dismissed = dossier_in(client, rt, org, "publicity", finished_by=TODAY)
    assert record(client, org, pending["id"], "objection", TODAY, "branch",
                  summary="反映问题").status_code == 201
    objection = record(client, org, dismissed["id"], "objection", TODAY, "branch",
                       summary="反映问题")
    assert record(client, org, dismissed["id"], "objection_resolution", TODAY, "committee",
                  objection_id=objection.json["id"], upheld=False,
                  summary="经核查不属实").status_code == 201

    body = stats(client, org, **EVER)
    assert body["today"] == TODAY.isoformat()
    branches = {b["branch_id"]: b for b in body["branches"]}
    assert set(branches) == {org.branch, org.other_branch}
    mine = branches[org.branch]
    assert mine["branch_name"] == "一支部" and mine["total"] == 5
    assert {k: v for k, v in mine["states"].items() if v} == {
        "applicant": 1, "publicity": 2, "probationary": 1, "full_member": 1}
    assert branches[org.other_branch]["states"]["probationary"] == 1
    assert body["states"]["probationary"] == 2 and body["states"]["rejected"] == 0
    assert body["publicity"] == {"in_progress": 2, "elapsed": 0, "objections": {
        "raised": 2, "pending": 1, "upheld": 0, "dismissed": 1}}

    admitted = body["admitted"]
    assert (admitted["from"], admitted["to"]) == ("2000-01-01", TODAY.isoformat())
    assert admitted["total"] == 3
    assert admitted["under_35"] == {"count": 2, "share": 0.6667}
    assert admitted["women"] == {"count": 1, "share": 0.3333}
    assert admitted["ethnic_minorities"] == {"count": 1, "share": 0.3333}
    assert admitted["ethnicity_unknown"] == {"count": 1, "share": 0.3333}
    assert admitted["frontline"] == {"count": 1, "share": 0.3333}
    assert admitted["by_education"] == {
        "大学本科": {"count": 1, "share": 0.3333}, "研究生": {"count": 1, "share": 0.3333},
        "unknown": {"count": 1, "share": 0.3333}}

    # A branch sees its own branch; a period without admissions has no shares.
    own = stats(client, org, who="other_branch", **EVER)
    assert [b["branch_id"] for b in own["branches"]] == [org.other_branch]
    assert own["admitted"]["total"] == 1 and own["publicity"]["in_progress"] == 0
    empty = stats(client, org, **{"from": "2000-01-01", "to": "2000-12-31"})["admitted"]
    assert empty["total"] == 0 and empty["women"] == {"count": 0, "share": None}
    narrowed = stats(client, org, organization_id=org.other_branch, **EVER)
    assert narrowed["admitted"]["total"] == 1
    # By default the period is this calendar year up to today.
    assert stats(client, org)["admitted"]["from"] == "2025-01-01"


def test_refusals(client, org):
    assert client.get("/api/v1/stats").status_code == 401
    assert client.get("/api/v1/stats", headers=org.headers("admin")).status_code == 403
    for bad in ({"from": "2025-02-01", "to": "2025-01-01"}, {"from": "soon"},
                {"organization_id": str(org.committee + 1000)}):
        response = client.get("/api/v1/stats", query_string=bad, headers=org.headers("branch"))
        assert response.status_code == 422, bad
        assert response.json["error"] == "validation_error"
    far = stats(client, org, who="far_committee")
    assert [b["total"] for b in far["branches"]] == [0]
