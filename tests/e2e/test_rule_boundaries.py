"""Rules at their boundaries through the API: the day before is refused, the day itself not.

The service's clock is set so that "today" is the day under test.
"""

from __future__ import annotations

from datetime import date, timedelta

from tests.helpers import fire, record, walk
from workflow.domain.dates import add_months

DAY = timedelta(days=1)


def test_cultivation_year_from_a_leap_day(client, rt, org, clock):
    # Applied so that the activist date is the leap day 2024-02-29.
    applied = date(2024, 2, 29) - 30 * DAY
    ready = date(2025, 3, 1)  # 29 Feb + 1 year rolls forward to 1 March
    dossier = walk(client, rt, org, clock, applied_on=applied, target="activist",
                    today=ready - DAY)
    assert dossier["dates"]["activist_on"] == "2024-02-29"
    step = next(s for s in dossier["next"] if s["trigger"] == "designate_candidate")
    assert not step["allowed"]
    assert step["reasons"][0]["rule"] == "cultivation_period"
    assert step["reasons"][0]["earliest_date"] == ready.isoformat()
    refused = fire(client, org, dossier["id"], "designate_candidate", ready - DAY, "branch")
    assert refused.status_code == 422
    assert [r["rule"] for r in refused.json["reasons"]] == ["cultivation_period"]
    clock.set_today(ready)
    done = fire(client, org, dossier["id"], "designate_candidate", ready, "branch")
    assert done.status_code == 200, done.json
    assert done.json["state"] == "training"


def test_publicity_over_national_day(client, rt, org, clock):
    # Pre-review done; the publicity opens on Friday 2025-09-26 (PROCEDURE.md's example).
    dossier = walk(client, rt, org, clock, applied_on=date(2024, 3, 1), target="pre_review",
                    today=date(2025, 9, 26))
    did = dossier["id"]
    opened = fire(client, org, did, "start_publicity", date(2025, 9, 26), "committee")
    assert opened.status_code == 200, opened.json
    publicity = opened.json["publicity"]
    assert publicity["last_day"] == "2025-10-09"
    assert publicity["closable_from"] == "2025-10-10"
    assert publicity["calendar_warning"] is None
    clock.set_today(date(2025, 10, 9))
    refused = fire(client, org, did, "close_publicity", date(2025, 10, 9), "committee")
    assert refused.status_code == 422
    assert refused.json["reasons"][0]["earliest_date"] == "2025-10-10"
    feed = client.get("/api/v1/publicity").json["items"]
    assert [(n["name"], n["elapsed"], n["working_days_left"]) for n in feed] == [
        (dossier["name"], False, 1)]
    clock.set_today(date(2025, 10, 10))
    assert fire(client, org, did, "close_publicity", date(2025, 10, 10),
                "committee").status_code == 200


def test_objections_block_the_close_until_resolved_and_not_upheld(client, rt, org, clock):
    dossier = walk(client, rt, org, clock, applied_on=date(2024, 3, 1), target="publicity",
                    today=date(2025, 9, 26))
    did = dossier["id"]
    opened = date.fromisoformat(dossier["dates"]["publicity_started_on"])
    closable = date.fromisoformat(dossier["publicity"]["closable_from"])
    clock.set_today(closable)
    objection = record(client, org, did, "objection", opened, "branch", summary="有群众反映")
    assert objection.status_code == 201
    blocked = fire(client, org, did, "close_publicity", closable, "committee")
    assert [r["rule"] for r in blocked.json["reasons"]] == ["objections_resolved"]
    bad = record(client, org, did, "objection_resolution", closable, "committee",
                 objection_id=objection.json["id"] + 1000, upheld=False, summary="x")
    assert bad.status_code == 422 and "objection_id" in bad.json["fields"]
    resolved = record(client, org, did, "objection_resolution", closable, "committee",
                      objection_id=objection.json["id"], upheld=False, summary="经核查不属实")
    assert resolved.status_code == 201
    again = record(client, org, did, "objection_resolution", closable, "committee",
                   objection_id=objection.json["id"], upheld=True, summary="x")
    assert again.status_code == 422
    assert ok(fire(client, org, did, "close_publicity", closable, "committee"))


def test_approval_deadline_three_months_then_six_with_a_reason(client, rt, org, clock):
    dossier = walk(client, rt, org, clock, applied_on=date(2023, 3, 1), target="approval",
                    today=date(2024, 10, 1))
    did = dossier["id"]
    voted = date.fromisoformat(dossier["dates"]["voted_on"])
    due = add_months(voted, 3)
    clock.set_today(due + DAY)
    late = fire(client, org, did, "approve", due + DAY, "committee")
    assert late.status_code == 422
    assert [r["rule"] for r in late.json["reasons"]] == ["approval_deadline"]
    assert record(client, org, did, "extension_reason", due + DAY, "committee",
                  reason="党委换届").status_code == 201
    assert ok(fire(client, org, did, "approve", due + DAY, "committee"))


COUNTS = {"entitled": 10, "present": 8, "in_favour": 7, "against": 1, "abstained": 0}


def ok(response) -> bool:
    return response.status_code == 200


def test_probation_and_its_extension(client, rt, org, clock):
    """An extension voted, approved, elapsed, then the conversion (Art. 32)."""
    dossier = walk(client, rt, org, clock, applied_on=date(2022, 1, 10),
                    target="probationary", today=date(2024, 4, 15))
    did = dossier["id"]
    voted = date.fromisoformat(dossier["dates"]["voted_on"])
    end = add_months(voted, 12)
    assert any(r["type"] == "conversion_application" for r in dossier["records"])
    clock.set_today(end + 60 * DAY)
    refused = fire(client, org, did, "start_conversion_publicity", end - DAY, "committee")
    assert refused.json["reasons"][0]["earliest_date"] == end.isoformat()
    # Before probation has ended the meeting can only resolve to disqualify.
    early = fire(client, org, did, "hold_conversion_vote", end - DAY, "branch",
                 motion="extend", months=6, **COUNTS)
    assert [r["rule"] for r in early.json["reasons"]] == ["motion_allowed"]
    assert ok(fire(client, org, did, "start_conversion_publicity", end, "committee"))
    closed = rt.env.calendar.working_days_from(end, 5).last_day + DAY
    assert ok(fire(client, org, did, "close_conversion_publicity", closed, "committee"))
    short = fire(client, org, did, "hold_conversion_vote", closed, "branch", motion="extend",
                 months=5, **COUNTS)
    assert [r["rule"] for r in short.json["reasons"]] == ["extension_length"]
    voted_extension = fire(client, org, did, "hold_conversion_vote", closed, "branch",
                           motion="extend", months=6, **COUNTS)
    assert voted_extension.json["state"] == "conversion_approval"
    assert voted_extension.json["extension_months"] == 0  # not before the committee approves
    assert voted_extension.json["motion"]["motion"] == "extend"
    approved = fire(client, org, did, "approve_conversion", closed + DAY, "committee")
    assert (approved.json["state"], approved.json["extension_months"]) == ("probationary", 6)
    assert approved.json["motion"] is None
    # The extended probation governs the next conversion publicity, to the day.
    extended_end = add_months(voted, 18)
    clock.set_today(extended_end + 30 * DAY)
    refused = fire(client, org, did, "start_conversion_publicity", extended_end - DAY,
                   "committee")
    assert [r["rule"] for r in refused.json["reasons"]] == ["probation_elapsed"]
    assert refused.json["reasons"][0]["earliest_date"] == extended_end.isoformat()
    assert ok(fire(client, org, did, "start_conversion_publicity", extended_end, "committee"))
    closed = rt.env.calendar.working_days_from(extended_end, 5).last_day + DAY
    assert ok(fire(client, org, did, "close_conversion_publicity", closed, "committee"))
    twice = fire(client, org, did, "hold_conversion_vote", closed, "branch", motion="extend",
                 months=6, **COUNTS)
    assert [r["rule"] for r in twice.json["reasons"]] == ["extension_once"]
    assert ok(fire(client, org, did, "hold_conversion_vote", closed, "branch", **COUNTS))
    member = fire(client, org, did, "approve_conversion", closed + 2 * DAY, "committee").json
    assert member["state"] == "full_member"
    assert member["dates"]["membership_on"] == extended_end.isoformat()


def test_publicity_in_a_year_without_holiday_table_still_answers(client, rt, org, clock):
    dossier = walk(client, rt, org, clock, applied_on=date(2028, 3, 1), target="publicity",
                    today=date(2030, 9, 30))
    assert dossier["publicity"]["calendar_warning"]
    year = dossier["publicity"]["first_day"][:4]
    assert int(year) > 2026 and year in dossier["publicity"]["calendar_warning"]
    feed = client.get("/api/v1/publicity").json["items"]
    assert feed[0]["calendar_warning"]
