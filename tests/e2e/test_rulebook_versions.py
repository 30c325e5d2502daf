"""A rulebook version added in the instance config applies from its date, and only from it."""

from __future__ import annotations

from datetime import date

import pytest

from tests.e2e.test_rule_boundaries import _walk
from tests.helpers import fire


@pytest.fixture
def app_config():
    return {
        "RULEBOOK_OVERRIDES": {"training_hours_min": 32},
        "RULEBOOK_VERSIONS": [{"id": "local-2027", "effective_from": "2027-01-01",
                               "title": "省级实施细则 (2027)", "publicity_working_days": 7}],
    }


def test_new_version_judges_acts_from_its_effective_date(client, rt, org, clock):
    dossier = _walk(client, rt, org, clock, applied_on=date(2025, 6, 2), target="pre_review",
                    today=date(2027, 3, 1))
    did = dossier["id"]
    # Monday 2027-03-01: 5 working days end on Friday 03-05, 7 on Tuesday 03-09.
    opened = fire(client, org, did, "start_publicity", date(2027, 3, 1), "committee")
    assert opened.json["publicity"]["last_day"] == "2027-03-09"
    assert opened.json["rulebook"] == "local-2027"
    clock.set_today(date(2027, 3, 9))
    refused = fire(client, org, did, "close_publicity", date(2027, 3, 8), "committee")
    assert refused.status_code == 422
    assert refused.json["reasons"][0]["earliest_date"] == "2027-03-10"
    log = client.get(f"/api/v1/applicants/{did}/log", headers=org.headers("auditor")).json
    versions = {e["action"]: e["rulebook_id"] for e in log["entries"]}
    # Acts before 2027 were judged by the built-in rulebook and stay so recorded.
    assert versions["designate_activist"] == "2014"
    assert versions["start_publicity"] == "local-2027"


def test_overrides_change_the_numbers_everywhere(client, org):
    body = client.get("/api/v1/workflow", headers=org.headers("auditor")).json
    versions = {r["id"]: r for r in body["rulebooks"]}
    assert versions["2014"]["numbers"]["training_hours_min"] == 32
    # The extra version inherits the overridden numbers of its base.
    assert versions["local-2027"]["numbers"]["training_hours_min"] == 32
    assert versions["local-2027"]["numbers"]["publicity_working_days"] == 7
    training = next(r for r in body["rules"] if r["id"] == "training_hours")
    assert "32" in training["summary"]
