"""The dossier list filtered by branch: the id comes from a query string."""

from __future__ import annotations

from tests.helpers import create_applicant


def test_list_filters_by_branch(client, org):
    create_applicant(client, org, name="张伟")
    create_applicant(client, org, name="李强", who="other_branch", branch_id=org.other_branch)
    listed = client.get(f"/api/v1/applicants?branch_id={org.other_branch}",
                        headers=org.headers("committee"))
    assert listed.status_code == 200, listed.json
    assert [i["name"] for i in listed.json["items"]] == ["李强"]
    assert listed.json["total"] == 1
    bad = client.get("/api/v1/applicants?branch_id=0", headers=org.headers("committee"))
    assert bad.status_code == 422 and "branch_id" in bad.json["fields"]
