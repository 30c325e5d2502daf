"""The public publicity feed, narrowed to the branches of one committee."""

from __future__ import annotations

from tests.helpers import dossier_in


def test_feed_of_one_committee(client, rt, org):
    dossier = dossier_in(client, rt, org, "publicity")
    everything = client.get("/api/v1/publicity").json["items"]
    mine = client.get(f"/api/v1/publicity?committee_id={org.committee}")
    assert mine.status_code == 200
    assert [n["dossier_id"] for n in mine.json["items"]] == [dossier["id"]]
    assert mine.json["items"] == everything
    other = client.get(f"/api/v1/publicity?committee_id={org.committee + 1000}").json
    assert other == {"items": [], "total": 0}
    bad = client.get("/api/v1/publicity?committee_id=0")
    assert bad.status_code == 422 and "committee_id" in bad.json["fields"]
