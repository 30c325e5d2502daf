"""The public publicity feed, narrowed to the branches of one committee."""

from __future__ import annotations

from tests.helpers import dossier_in


def test_feed_of_one_committee(client, rt, org):
    dossier = dossier_in(client, rt, org, "publicity")
    everything = client.get("/api/v1/publicity").json["items"]
    mine = client.get(f"/api/v1/publicity?committee_id={org.committee}")
    assert mine.status_code == 200
    assert [(n["name"], n["committee_id"]) for n in mine.json["items"]] == [
        (dossier["name"], org.committee)]
    assert mine.json["items"] == everything
    # The public needs no internal id but the committee's, which the filter takes.
    assert not {"dossier_id", "branch_id", "id"} & set(everything[0])
    elsewhere = org.other_committee_branch
    far = client.get(f"/api/v1/organizations/{elsewhere}", headers=org.headers("admin"))
    quiet = client.get(f"/api/v1/publicity?committee_id={far.json['parent_id']}")
    assert quiet.status_code == 200 and quiet.json == {"items": [], "total": 0}
    for missing in (org.committee + 1000, org.branch):  # none, or not a committee
        response = client.get(f"/api/v1/publicity?committee_id={missing}")
        assert response.status_code == 404 and response.json["error"] == "not_found"
    bad = client.get("/api/v1/publicity?committee_id=0")
    assert bad.status_code == 422 and "committee_id" in bad.json["fields"]
