"""The reads of API.md revision 2: who am I, the organisations and the member registry of my
scope; list items carry their state in Chinese."""

from __future__ import annotations

from tests.helpers import create_applicant, dossier_in


def test_me(client, org):
    body = client.get("/api/v1/me", headers=org.headers("branch")).json
    assert body["name"] == "branch" and body["role"] == "branch"
    assert body["organization"] == {"id": org.branch, "name": "一支部", "kind": "branch"}
    admin = client.get("/api/v1/me", headers=org.headers("admin")).json
    assert admin["role"] == "admin" and admin["organization"] is None
    assert client.get("/api/v1/me").status_code == 401


def _tree(client, org, who):
    response = client.get("/api/v1/organizations", headers=org.headers(who))
    assert response.status_code == 200
    return [(o["id"], o["parent_id"], o["kind"], o["level"]) for o in response.json["items"]]


def test_organizations_of_the_scope_in_tree_order(client, org):
    c, b, ob = org.committee, org.branch, org.other_branch
    assert _tree(client, org, "committee") == [
        (c, None, "committee", 0), (b, c, "branch", 1), (ob, c, "branch", 1)]
    assert _tree(client, org, "branch") == [(b, c, "branch", 0)]
    # Siblings by id, not by text: "/1/12/" comes after "/1/4/".
    more = [client.post("/api/v1/organizations", headers=org.headers("admin"), json={
        "name": f"支部{i}", "kind": "branch", "parent_id": c}).json["id"] for i in range(8)]
    assert max(more) >= 10
    tree = _tree(client, org, "admin")
    far = org.other_committee_branch
    far_committee = next(o for o in tree if o[0] == far)[1]
    assert [o[0] for o in tree] == [c, b, ob, *sorted(more), far_committee, far]
    assert tree[0][3] == 1 and tree[1][3] == 2


def test_one_organization_and_404_outside_the_scope(client, org):
    body = client.get(f"/api/v1/organizations/{org.branch}",
                      headers=org.headers("committee")).json
    assert (body["id"], body["name"], body["kind"], body["parent_id"]) == (
        org.branch, "一支部", "branch", org.committee)
    for who, other in [("committee", org.other_committee_branch),
                       ("branch", org.committee), ("branch", 999)]:
        response = client.get(f"/api/v1/organizations/{other}", headers=org.headers(who))
        assert response.status_code == 404 and response.json["error"] == "not_found"


def _members(client, org, who, query=""):
    response = client.get(f"/api/v1/members{query}", headers=org.headers(who))
    assert response.status_code == 200, response.json
    return response.json


def test_members_of_the_scope_filtered_and_paginated(client, org):
    every = _members(client, org, "committee")
    assert every["total"] == 5
    assert [m["id"] for m in every["items"]] == sorted([*org.full_members,
                                                        org.probationary_member])
    first = every["items"][0]
    assert first["branch_id"] == org.branch and first["branch_name"] == "一支部"
    assert first["status"] == "full" and first["joined_on"]
    assert [m["id"] for m in _members(client, org, "branch", "?status=probationary")["items"]] \
        == [org.probationary_member]
    assert _members(client, org, "auditor", "?q=党员1")["total"] == 1
    assert _members(client, org, "committee", f"?branch_id={org.other_branch}")["total"] == 0
    page = _members(client, org, "committee", "?per_page=2&page=3")
    assert (page["total"], len(page["items"]), page["page"], page["per_page"]) == (5, 1, 3, 2)
    # Another committee's registry is not in scope.
    assert _members(client, org, "far_committee")["total"] == 0
    assert _members(client, org, "committee",
                    f"?branch_id={org.other_committee_branch}")["total"] == 0


def test_member_filters_are_checked(client, org):
    response = client.get("/api/v1/members?status=retired&per_page=0",
                          headers=org.headers("committee", **{"Accept-Language": "zh"}))
    assert response.status_code == 422
    assert set(response.json["fields"]) == {"status", "per_page"}
    assert response.json["fields"]["status"][0].startswith("应为以下之一")


def test_members_admitted_here_name_their_dossier(client, rt, org):
    dossier = dossier_in(client, rt, org, "probationary")
    found = _members(client, org, "branch", "?status=probationary&q=李明")["items"]
    assert [m["dossier_id"] for m in found] == [dossier["id"]]


def test_list_items_carry_the_state_in_chinese(client, org):
    create_applicant(client, org)
    items = client.get("/api/v1/applicants", headers=org.headers("branch")).json["items"]
    assert [(i["state"], i["state_label"]) for i in items] == [("applicant", "入党申请人")]
