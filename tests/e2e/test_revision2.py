"""Rulebook revision 2 over HTTP: the procedure can say no (failed votes, refused
resolutions, motions), and people's mistakes can be corrected without rewriting history."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tests.helpers import create_applicant, dossier_in, fire, record, walk
from workflow.domain.dates import add_months
from workflow.store.tables import members

DAY = timedelta(days=1)
PASSED = {"entitled": 10, "present": 8, "in_favour": 7, "against": 1, "abstained": 0}
FAILED = {"entitled": 10, "present": 8, "in_favour": 5, "against": 3, "abstained": 0}


def ok(response) -> dict:
    assert response.status_code in (200, 201), response.json
    return response.json


def rules(response) -> list[str]:
    assert response.status_code == 422, response.json
    return [r["rule"] for r in response.json["reasons"]]


def get(client, org, did, who="branch"):
    return client.get(f"/api/v1/applicants/{did}", headers=org.headers(who))


def log(client, org, did, who="branch") -> list[dict]:
    return client.get(f"/api/v1/applicants/{did}/log", headers=org.headers(who)).json["entries"]


def records_of(dossier, kind):
    return [r for r in dossier["records"] if r["type"] == kind]


# ------------------------------------------------------------------------ a failed vote


def test_a_majority_missed_answers_majority_and_names_record_failed_vote(client, rt, org):
    did = dossier_in(client, rt, org, "vote")["id"]
    today = rt.env.today()
    response = fire(client, org, did, "hold_vote", today, "branch", **FAILED)
    assert rules(response) == ["majority"]
    assert "record_failed_vote" in response.json["reasons"][0]["message"]
    # Inquorate: no meeting that could decide took place; nothing is recorded.
    inquorate = fire(client, org, did, "record_failed_vote", today, "branch",
                     **{**FAILED, "present": 5, "in_favour": 2})
    assert rules(inquorate) == ["quorum"]
    assert [e["action"] for e in log(client, org, did)][-2:] == ["close_publicity",
                                                                   "volunteer_form"]
    passed = fire(client, org, did, "record_failed_vote", today, "branch", **PASSED)
    assert rules(passed) == ["not_passed"]
    # Only from `vote`: elsewhere the trigger does not exist (409).
    activist = dossier_in(client, rt, org, "activist")["id"]
    assert fire(client, org, activist, "record_failed_vote", today, "branch",
                **FAILED).status_code == 409


def test_a_failed_vote_then_a_second_candidacy_reuses_nothing_of_the_first(
        client, rt, org, clock):
    first = walk(client, rt, org, clock, applied_on=date(2022, 1, 10), target="publicity",
                 today=date(2023, 12, 1))
    did = first["id"]
    start = date.fromisoformat(first["dates"]["publicity_started_on"])
    objection = ok(record(client, org, did, "objection", start, "branch", summary="反映问题"))
    ok(record(client, org, did, "objection_resolution", start + DAY, "committee",
              objection_id=objection["id"], upheld=False, summary="不属实"))
    closed = date.fromisoformat(first["publicity"]["closable_from"])
    ok(fire(client, org, did, "close_publicity", closed, "committee"))
    ok(record(client, org, did, "volunteer_form", closed, "committee"))
    failed = ok(fire(client, org, did, "record_failed_vote", closed + DAY, "branch", **FAILED))
    assert failed["state"] == "activist"
    assert failed["dates"]["activist_on"] == first["dates"]["activist_on"]
    assert failed["dates"]["candidate_on"] is None
    entry = log(client, org, did)[-1]
    assert (entry["action"], entry["payload"]["in_favour"], entry["revision"]) == (
        "record_failed_vote", 5, 2)

    # The second candidacy, months later.
    again = closed + 60 * DAY
    clock.set_today(again + 60 * DAY)
    ok(record(client, org, did, "evaluation", again, "branch", summary="继续培养，表现良好"))
    ok(fire(client, org, did, "designate_candidate", again, "branch"))
    ok(fire(client, org, did, "complete_training", again + 10 * DAY, "committee", hours=24,
            passed=True))
    ok(fire(client, org, did, "pass_political_review", again + 20 * DAY, "committee",
            conclusion="政治审查合格"))
    # The first candidacy's branch review is not this one's.
    assert rules(fire(client, org, did, "start_publicity", again + 21 * DAY,
                      "committee")) == ["branch_reviewed"]
    ok(record(client, org, did, "branch_review", again + 21 * DAY, "branch", summary="同意"))
    second_start = again + 22 * DAY
    ok(fire(client, org, did, "start_publicity", second_start, "committee"))
    # Nor is an objection of the first publicity, or its resolution.
    stale = record(client, org, did, "objection_resolution", second_start, "committee",
                   objection_id=objection["id"], upheld=False, summary="再次核查")
    assert stale.status_code == 422 and "objection_id" in stale.json["fields"]
    closable = rt.env.calendar.working_days_from(second_start, 5).last_day + DAY
    ok(fire(client, org, did, "close_publicity", closable, "committee"))
    # Nor the first 志愿书.
    assert rules(fire(client, org, did, "hold_vote", closable, "branch",
                      **PASSED)) == ["volunteer_form"]
    ok(record(client, org, did, "volunteer_form", closable, "committee"))
    voted = ok(fire(client, org, did, "hold_vote", closable, "branch", **PASSED))
    assert voted["state"] == "approval"


def test_a_second_candidacy_does_not_reuse_the_first_approval_talk(client, rt, org, clock):
    first = walk(client, rt, org, clock, applied_on=date(2022, 1, 10), target="approval",
                 today=date(2023, 12, 1))
    did = first["id"]
    assert records_of(first, "approval_talk")
    back = date(2023, 11, 1)
    ok(fire(client, org, did, "return_to_activist", back, "committee", reason="继续培养"))
    clock.set_today(back + 200 * DAY)
    day = back + DAY
    ok(record(client, org, did, "evaluation", day, "branch", summary="继续培养"))
    ok(fire(client, org, did, "designate_candidate", day, "branch"))
    ok(fire(client, org, did, "complete_training", day, "committee", hours=24, passed=True))
    ok(fire(client, org, did, "pass_political_review", day, "committee", conclusion="合格"))
    ok(record(client, org, did, "branch_review", day, "branch", summary="同意"))
    ok(fire(client, org, did, "start_publicity", day, "committee"))
    ok(record(client, org, did, "volunteer_form", day, "committee"))
    closable = rt.env.calendar.working_days_from(day, 5).last_day + DAY
    ok(fire(client, org, did, "close_publicity", closable, "committee"))
    ok(fire(client, org, did, "hold_vote", closable, "branch", **PASSED))
    assert rules(fire(client, org, did, "approve", closable + DAY,
                      "committee")) == ["approval_talk"]
    ok(record(client, org, did, "approval_talk", closable + DAY, "committee", by="组织员"))
    assert ok(fire(client, org, did, "approve", closable + DAY,
                   "committee"))["state"] == "probationary"


# ----------------------------------------------------- resolutions on a probationary member


def test_a_refused_resolution_then_another_motion(client, rt, org, clock):
    dossier = walk(client, rt, org, clock, applied_on=date(2022, 1, 10),
                   target="conversion_vote", today=date(2024, 12, 1))
    did = dossier["id"]
    on = date.fromisoformat(dossier["dates"]["publicity_started_on"]) + 20 * DAY
    assert fire(client, org, did, "refuse_conversion_resolution", on, "committee",
                reason="x").status_code == 409
    voted = ok(fire(client, org, did, "hold_conversion_vote", on, "branch", **PASSED))
    assert voted["motion"]["motion"] == "convert"
    assert fire(client, org, did, "refuse_conversion_resolution", on + DAY, "committee",
                reason="  ").status_code == 422
    assert fire(client, org, did, "refuse_conversion_resolution", on + DAY, "branch",
                reason="x").status_code == 403
    refused = ok(fire(client, org, did, "refuse_conversion_resolution", on + DAY, "committee",
                      reason="转正材料不全"))
    assert (refused["state"], refused["motion"]) == ("conversion_vote", None)
    # The branch meets again, on another motion; a meeting that fails it is kept too.
    kept = ok(fire(client, org, did, "record_failed_conversion_vote", on + 2 * DAY, "branch",
                   motion="extend", months=6, **FAILED))
    assert kept["state"] == "conversion_vote"
    voted = ok(fire(client, org, did, "hold_conversion_vote", on + 3 * DAY, "branch",
                    motion="extend", months=6, **PASSED))
    approving = next(s for s in voted["next"] if s["trigger"] == "approve_conversion")
    assert approving["to"] == "probationary"
    extended = ok(fire(client, org, did, "approve_conversion", on + 4 * DAY, "committee"))
    assert (extended["state"], extended["extension_months"]) == ("probationary", 6)
    actions = [e["action"] for e in log(client, org, did)][-5:]
    assert actions == ["hold_conversion_vote", "refuse_conversion_resolution",
                       "record_failed_conversion_vote", "hold_conversion_vote",
                       "approve_conversion"]


def test_a_disqualification_voted_during_probation(client, rt, org, clock):
    dossier = walk(client, rt, org, clock, applied_on=date(2022, 1, 10),
                   target="probationary", today=date(2024, 4, 15))
    did = dossier["id"]
    on = date(2023, 12, 1)
    assert rules(fire(client, org, did, "hold_conversion_vote", on, "branch",
                      **PASSED)) == ["motion_allowed"]
    kept = ok(fire(client, org, did, "record_failed_conversion_vote", on, "branch",
                   motion="disqualify", reason="长期不履行党员义务", **FAILED))
    assert kept["state"] == "probationary"
    voted = ok(fire(client, org, did, "hold_conversion_vote", on + DAY, "branch",
                    motion="disqualify", reason="长期不履行党员义务", **PASSED))
    assert voted["state"] == "conversion_approval"
    assert voted["motion"]["from"] == "probationary"
    # Refused, it goes back to probation, not to a conversion meeting.
    back = ok(fire(client, org, did, "refuse_conversion_resolution", on + 2 * DAY,
                   "committee", reason="事实不清"))
    assert back["state"] == "probationary"
    ok(fire(client, org, did, "hold_conversion_vote", on + 3 * DAY, "branch",
            motion="disqualify", reason="经教育仍不改正", **PASSED))
    gone = ok(fire(client, org, did, "approve_conversion", on + 4 * DAY, "committee"))
    assert (gone["state"], gone["closing_reason"]) == ("disqualified", "经教育仍不改正")
    with rt.uow.transaction() as tx:
        status = tx.repo.connection.execute(
            select(members.c.status).where(members.c.dossier_id == did)).scalar_one()
    assert status == "former"  # the registry follows the approved resolution


# ------------------------------------------------------------------------------ corrections


def test_a_sponsor_voided_and_replaced(client, rt, org):
    dossier = dossier_in(client, rt, org, "activist")
    did = dossier["id"]
    first, second = records_of(dossier, "sponsor")
    path = f"/api/v1/applicants/{did}/records/{first['id']}/void"
    assert client.post(path, json={}, headers=org.headers("branch")).status_code == 422
    assert client.post(path, json={"reason": "调离"},
                       headers=org.headers("committee")).status_code == 403
    assert client.post(f"/api/v1/applicants/{did}/records/999999/void", json={"reason": "x"},
                       headers=org.headers("branch")).status_code == 404
    voided = ok(client.post(path, json={"reason": "介绍人调离本单位"},
                            headers=org.headers("branch")))
    assert [r["voided"] for r in records_of(voided, "sponsor")] == [True, False]
    step = next(s for s in voided["next"] if s["trigger"] == "designate_candidate")
    assert "sponsors" in {r["rule"] for r in step["reasons"]}
    again = client.post(path, json={"reason": "再次"}, headers=org.headers("branch"))
    assert again.status_code == 422
    replaced = ok(record(client, org, did, "sponsor", rt.env.today(), "branch",
                         member_id=org.full_members[3]))
    after = get(client, org, did).json
    step = next(s for s in after["next"] if s["trigger"] == "designate_candidate")
    assert "sponsors" not in {r["rule"] for r in step["reasons"]}
    entries = log(client, org, did)
    assert entries[-2]["action"] == "void"
    assert entries[-2]["payload"] == {"record_id": first["id"], "type": "sponsor",
                                      "reason": "介绍人调离本单位"}
    assert entries[-1]["action"] == "sponsor" and replaced["id"] == entries[-1]["id"]
    # The voided record and its voiding both stay in the log.
    assert any(e["id"] == first["id"] for e in entries)
    assert second["voided"] is False


def test_a_transfer_keeps_the_cultivation_time(client, rt, org):
    dossier = dossier_in(client, rt, org, "activist")
    did = dossier["id"]
    today = rt.env.today()
    before = next(s for s in dossier["next"] if s["trigger"] == "designate_candidate")
    path = f"/api/v1/applicants/{did}/transfer"
    body = {"branch_id": org.other_branch, "reason": "工作调动", "effective_date": str(today)}
    assert client.post(path, json=body, headers=org.headers("branch")).status_code == 403
    far = client.post(path, json={**body, "branch_id": org.other_committee_branch},
                      headers=org.headers("committee"))
    assert far.status_code == 422 and "branch_id" in far.json["fields"]
    assert client.post(path, json={**body, "reason": ""},
                       headers=org.headers("committee")).status_code == 422
    moved = ok(client.post(path, json=body, headers=org.headers("committee")))
    assert (moved["branch_id"], moved["state"]) == (org.other_branch, "activist")
    assert moved["dates"] == dossier["dates"]
    after = next(s for s in moved["next"] if s["trigger"] == "designate_candidate")
    cultivation = [r for r in after["reasons"] if r["rule"] == "cultivation_period"]
    assert cultivation == [r for r in before["reasons"] if r["rule"] == "cultivation_period"]
    # The old branch no longer sees it; the new one does, and acts on it.
    assert get(client, org, did, "branch").status_code == 404
    assert get(client, org, did, "other_branch").status_code == 200
    ok(record(client, org, did, "evaluation", today, "other_branch", summary="转入后考察"))
    entry = next(e for e in log(client, org, did, "committee") if e["action"] == "transfer")
    assert entry["payload"] == {"from_branch_id": org.branch, "branch_id": org.other_branch,
                                "reason": "工作调动"}


def test_a_profile_correction_makes_the_compliance_report_flag_min_age(client, rt, org):
    today = rt.env.today()
    applied = today - timedelta(days=30)
    dossier = create_applicant(client, org, applied_on=applied)
    did = dossier["id"]
    path = f"/api/v1/applicants/{did}"
    too_young = (applied - timedelta(days=17 * 365)).isoformat()
    body = {"birth_date": too_young, "phone": "13900139000", "reason": "身份证核对有误"}
    assert client.patch(path, json={"birth_date": too_young},
                        headers=org.headers("branch")).status_code == 422
    stale = client.patch(path, json=body, headers=org.headers("branch", **{"If-Match": '"9"'}))
    assert stale.status_code == 412
    corrected = client.patch(path, json=body, headers=org.headers("branch", **{
        "If-Match": f'"{dossier["version"]}"'}))
    assert corrected.status_code == 200, corrected.json
    assert corrected.json["birth_date"] == too_young
    assert corrected.headers["ETag"] == f'"{dossier["version"] + 1}"'
    entry = log(client, org, did)[-1]
    assert entry["action"] == "correct_profile"
    assert entry["payload"]["old"] == {"birth_date": "1998-05-04", "phone": "13800138000"}
    assert entry["payload"]["new"] == {"birth_date": too_young, "phone": "13900139000"}
    # An administrator sees the log without the private values.
    admin_entry = log(client, org, did, "admin")[-1]
    assert "phone" not in admin_entry["payload"]["old"]
    assert admin_entry["payload"]["new"] == {"birth_date": too_young}
    found = client.get("/api/v1/audit/compliance", headers=org.headers("auditor")).json
    flagged = {(f["dossier_id"], f["rule"], f["status"]) for f in found["items"]}
    assert (did, "min_age", "failed") in flagged
    # The application comes before everything recorded of it.
    ok(record(client, org, did, "talk", applied + DAY, "branch", by="书记"))
    late = client.patch(path, json={"applied_on": str(applied + 2 * DAY), "reason": "x"},
                        headers=org.headers("branch"))
    assert late.status_code == 422 and "applied_on" in late.json["fields"]
    # The branch cannot move the dossier by correcting its profile.
    assert client.patch(path, json={"branch_id": org.other_branch, "reason": "x"},
                        headers=org.headers("branch")).status_code == 422


def test_history_under_revision_2_names_its_revision(client, rt, org):
    dossier = dossier_in(client, rt, org, "full_member")
    entries = log(client, org, dossier["id"])
    assert {e["revision"] for e in entries} == {2}
    verified = client.get("/api/v1/audit/verify", headers=org.headers("auditor"))
    assert verified.status_code == 200 and verified.json["problems"] == []
    found = client.get("/api/v1/audit/compliance", headers=org.headers("auditor")).json
    assert dossier["id"] not in {f["dossier_id"] for f in found["items"]}


def test_the_conversion_approval_counts_from_the_conversion_vote(client, rt, org, clock):
    dossier = walk(client, rt, org, clock, applied_on=date(2022, 1, 10),
                   target="conversion_approval", today=date(2025, 6, 1))
    did = dossier["id"]
    voted = date.fromisoformat(dossier["dates"]["conversion_voted_on"])
    due = add_months(voted, 3)
    assert rules(fire(client, org, did, "approve_conversion", due + DAY,
                      "committee")) == ["approval_deadline"]
    ok(record(client, org, did, "late_reason", due + DAY, "committee", reason="党委换届"))
    assert ok(fire(client, org, did, "approve_conversion", due + DAY,
                   "committee"))["state"] == "full_member"
    found = client.get("/api/v1/audit/compliance", headers=org.headers("auditor")).json
    assert {(f["rule"], f["status"]) for f in found["items"] if f["dossier_id"] == did} == {
        ("approval_deadline", "late")}
