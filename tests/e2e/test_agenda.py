"""The agenda of deadlines: items appear and disappear on their dates, in scope only."""

from __future__ import annotations

import json
from datetime import date, timedelta

from api.agenda.views import AgendaItemOut, AgendaOut
from tests.helpers import create_applicant, dossier_in, fire, record
from workflow.domain.dates import add_months

DAY = timedelta(days=1)


def agenda(client, org, who: str = "branch", **query) -> dict:
    response = client.get("/api/v1/agenda", query_string=query, headers=org.headers(who))
    assert response.status_code == 200, response.json
    return response.json


def items_of(body: dict, dossier_id: int) -> dict[str, dict]:
    return {i["rule"]: i for i in body["items"] if i["dossier_id"] == dossier_id}


def test_the_talk_deadline_from_application_to_talk(client, org, clock):
    applied = date(2025, 3, 3)
    clock.set_today(applied)
    dossier = create_applicant(client, org, applied_on=applied)
    due = date(2025, 4, 3)
    item = items_of(agenda(client, org), dossier["id"])["talk_deadline"]
    assert item == {
        "dossier_id": dossier["id"], "name": "李明", "branch_id": org.branch,
        "branch_name": "一支部", "state": "applicant", "rule": "talk_deadline",
        "title": "Application talk", "title_zh": "入党申请谈话", "due": due.isoformat(),
        "days_left": 31, "overdue": False,
    }
    # The horizon: ten days ahead it is in a 10-day horizon, not in a 9-day one.
    clock.set_today(due - 10 * DAY)
    assert "talk_deadline" in items_of(agenda(client, org, horizon=10), dossier["id"])
    assert "talk_deadline" not in items_of(agenda(client, org, horizon=9), dossier["id"])
    clock.set_today(due)
    item = items_of(agenda(client, org, horizon=0), dossier["id"])["talk_deadline"]
    assert (item["days_left"], item["overdue"]) == (0, False)
    clock.set_today(due + DAY)
    # Overdue items are shown whatever the horizon.
    item = items_of(agenda(client, org, horizon=0), dossier["id"])["talk_deadline"]
    assert (item["days_left"], item["overdue"]) == (-1, True)
    assert record(client, org, dossier["id"], "talk", due + DAY, "branch",
                  by="书记").status_code == 201
    assert "talk_deadline" not in items_of(agenda(client, org), dossier["id"])


def test_an_evaluation_moves_the_next_evaluation_due(client, rt, org, clock):
    clock.set_today(date(2025, 6, 2))
    dossier = dossier_in(client, rt, org, "activist")
    latest = max([date.fromisoformat(dossier["dates"]["activist_on"])] + [
        date.fromisoformat(r["date"]) for r in dossier["records"] if r["type"] == "evaluation"])
    item = items_of(agenda(client, org), dossier["id"])["evaluation_due"]
    assert item["due"] == add_months(latest, 6).isoformat()
    evaluated = date(2025, 6, 2)
    assert record(client, org, dossier["id"], "evaluation", evaluated, "branch",
                  summary="良好").status_code == 201
    item = items_of(agenda(client, org), dossier["id"])["evaluation_due"]
    assert item["due"] == "2025-12-02"


def test_the_publicity_end_is_its_last_working_day_and_goes_with_the_close(client, rt, org,
                                                                           clock):
    clock.set_today(date(2025, 9, 30))
    dossier = dossier_in(client, rt, org, "publicity", finished_by=date(2025, 9, 26))
    last_day = dossier["publicity"]["last_day"]
    item = items_of(agenda(client, org, who="committee"), dossier["id"])["publicity_elapsed"]
    assert item["due"] == last_day and item["title_zh"] == "公示期满"
    closable = date.fromisoformat(dossier["publicity"]["closable_from"])
    clock.set_today(closable)
    assert fire(client, org, dossier["id"], "close_publicity", closable,
                "committee").status_code == 200
    assert items_of(agenda(client, org, who="committee"), dossier["id"]) == {}


def test_the_approval_deadline_is_the_guards_boundary(client, rt, org, clock):
    clock.set_today(date(2025, 5, 1))
    dossier = dossier_in(client, rt, org, "approval")
    due = date.fromisoformat(
        items_of(agenda(client, org), dossier["id"])["approval_deadline"]["due"])
    clock.set_today(due + DAY)
    assert items_of(agenda(client, org), dossier["id"])["approval_deadline"]["overdue"]
    late = fire(client, org, dossier["id"], "approve", due + DAY, "committee")
    assert late.status_code == 422
    assert [r["rule"] for r in late.json["reasons"]] == ["approval_deadline"]
    assert fire(client, org, dossier["id"], "approve", due, "committee").status_code == 200
    # Approved: the approval item is gone; probation's end is on the agenda now.
    now = items_of(agenda(client, org), dossier["id"])
    assert set(now) == {"probation_end"}
    voted_on = date.fromisoformat(dossier["dates"]["voted_on"])
    assert now["probation_end"]["due"] == add_months(voted_on, 12).isoformat()


def test_sorted_by_due_date_and_limited_to_the_scope(client, rt, org, clock):
    clock.set_today(date(2025, 6, 2))
    first = create_applicant(client, org, applied_on=date(2025, 5, 20))
    second = create_applicant(client, org, applied_on=date(2025, 5, 10))
    other = create_applicant(client, org, applied_on=date(2025, 5, 15), who="other_branch",
                             branch_id=org.other_branch)
    mine = [i["dossier_id"] for i in agenda(client, org)["items"]]
    assert mine == [second["id"], first["id"]]
    committee = agenda(client, org, who="committee")["items"]
    assert [i["dossier_id"] for i in committee] == [second["id"], other["id"], first["id"]]
    dues = [i["due"] for i in committee]
    assert dues == sorted(dues)
    assert [i["dossier_id"] for i in agenda(client, org, who="auditor",
                                            organization_id=org.other_branch)["items"]] == [
        other["id"]]
    assert agenda(client, org, who="far_committee")["items"] == []


def test_refusals(client, org):
    assert client.get("/api/v1/agenda").status_code == 401
    assert client.get("/api/v1/agenda", headers=org.headers("admin")).status_code == 403
    outside = client.get("/api/v1/agenda", query_string={"organization_id": org.committee},
                         headers=org.headers("branch"))
    assert outside.status_code == 422 and "organization_id" in outside.json["fields"]
    for bad in ({"horizon": "-1"}, {"horizon": "soon"}, {"organization_id": "0"}):
        response = client.get("/api/v1/agenda", query_string=bad,
                              headers=org.headers("committee"))
        assert response.status_code == 422, bad
        assert response.json["error"] == "validation_error"


def test_the_answer_is_what_its_schema_documents(client, rt, org, clock):
    """The view writes the answer itself, not through AgendaOut: the schema (and so the
    OpenAPI document) must still describe it exactly."""
    clock.set_today(date(2025, 6, 2))
    create_applicant(client, org, applied_on=date(2025, 5, 20))
    dossier_in(client, rt, org, "approval")
    body = agenda(client, org, who="committee")
    assert body["total"] == len(body["items"]) == 2
    assert set(body) == set(AgendaOut().fields)
    assert all(set(item) == set(AgendaItemOut().fields) for item in body["items"])
    assert json.loads(json.dumps(AgendaOut().dump(AgendaOut().load(body)))) == body


def test_the_end_of_probation_leaves_the_agenda_when_the_conversion_begins(client, rt, org,
                                                                          clock):
    # The guard (probation_end) holds the branch to beginning the conversion in time, not to
    # finishing it: once the conversion's publicity is open, its own end is what falls due.
    clock.set_today(date(2025, 9, 1))
    dossier = dossier_in(client, rt, org, "conversion_publicity")
    probationary = dossier_in(client, rt, org, "probationary")
    clock.set_today(date(2026, 9, 1))  # long past the end of both probations
    assert set(items_of(agenda(client, org), dossier["id"])) == {"publicity_elapsed"}
    assert items_of(agenda(client, org), probationary["id"])["probation_end"]["overdue"]


def test_an_extension_moves_the_end_of_probation_only_once_approved(client, rt, org, clock):
    clock.set_today(date(2025, 9, 1))
    dossier = dossier_in(client, rt, org, "conversion_vote")
    did = dossier["id"]
    voted = date.fromisoformat(dossier["dates"]["voted_on"])
    counts = {"entitled": 10, "present": 8, "in_favour": 7, "against": 1, "abstained": 0}
    on = date(2025, 8, 31)
    assert fire(client, org, did, "hold_conversion_vote", on, "branch", motion="extend",
                months=6, **counts).status_code == 200
    # Voted, awaiting the committee: its approval falls due, counted from this meeting.
    assert {k: v["due"] for k, v in items_of(agenda(client, org), did).items()} == {
        "approval_deadline": add_months(on, 3).isoformat()}
    assert fire(client, org, did, "approve_conversion", on + DAY, "committee").status_code == 200
    # Approved: probation, six months longer, is on the agenda again.
    assert {k: v["due"] for k, v in items_of(agenda(client, org), did).items()} == {
        "probation_end": add_months(voted, 18).isoformat()}


def test_a_voided_extension_reason_no_longer_extends_the_approval(client, rt, org, clock):
    clock.set_today(date(2025, 5, 1))
    dossier = dossier_in(client, rt, org, "approval")
    did = dossier["id"]
    voted = date.fromisoformat(dossier["dates"]["voted_on"])
    reason = record(client, org, did, "extension_reason", date(2025, 5, 1), "committee",
                    reason="外调未完成").json
    assert items_of(agenda(client, org), did)["approval_deadline"]["due"] == \
        add_months(voted, 6).isoformat()
    voided = client.post(f"/api/v1/applicants/{did}/records/{reason['id']}/void",
                         json={"reason": "误录"}, headers=org.headers("committee"))
    assert voided.status_code == 200, voided.json
    assert items_of(agenda(client, org), did)["approval_deadline"]["due"] == \
        add_months(voted, 3).isoformat()
