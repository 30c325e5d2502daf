"""The deadline bound of the agenda's index (workflow.deadlines), without a database."""

from __future__ import annotations

from datetime import date

import pytest

from states import PROCEDURE
from workflow.calendar import WorkingDayCalendar
from workflow.deadlines import EVERY_DAY, earliest_due, fingerprint
from workflow.rulebook import RulebookSet

SHORTER = {"id": "short", "effective_from": "2030-01-01", "approval_months": 1}


def test_every_day_is_a_working_day_of_the_bound_calendar():
    # Friday 26 September 2025, across National Day: 5 calendar days, not 10 working days.
    span = EVERY_DAY.working_days_from(date(2025, 9, 26), 5)
    assert (span.first_day, span.last_day, span.warning) == (
        date(2025, 9, 26), date(2025, 9, 30), None)
    assert WorkingDayCalendar().working_days_from(date(2025, 9, 26), 5).last_day == date(
        2025, 10, 9)
    assert EVERY_DAY.is_working_day(date(2025, 10, 1))
    assert EVERY_DAY.working_days_left(date(2025, 9, 30), date(2025, 9, 28)) == 3
    assert EVERY_DAY.working_days_left(date(2025, 9, 30), date(2025, 10, 1)) == 0
    with pytest.raises(ValueError):
        EVERY_DAY.working_days_from(date(2025, 9, 26), 0)


def test_the_bound_is_the_soonest_due_date_under_every_version(make):
    dossier = make.dossier("approval", voted_on=date(2025, 6, 20))
    assert earliest_due(dossier, PROCEDURE, RulebookSet.from_config()) == date(2025, 9, 20)
    # A version not in force for years still counts: the agenda of 2030 will judge by it.
    versions = RulebookSet.from_config({}, [SHORTER])
    assert earliest_due(dossier, PROCEDURE, versions) == date(2025, 7, 20)


def test_nothing_open_no_bound(make):
    for state in ("training", "political_review", "pre_review", "vote", "full_member",
                  "rejected", "withdrawn", "disqualified"):
        dossier = make.dossier(state)
        assert earliest_due(dossier, PROCEDURE, RulebookSet.from_config()) is None, state
    talked = make.dossier("applicant", records=[make.record("talk", date(2023, 9, 5), by="书记")])
    assert earliest_due(talked, PROCEDURE, RulebookSet.from_config()) is None
    assert earliest_due(make.dossier("applicant"), PROCEDURE,
                        RulebookSet.from_config()) == date(2023, 10, 1)


def test_facts_the_rules_cannot_date_are_always_asked(make):
    # An activist without an activist date: only an import around the service leaves that.
    broken = make.dossier("activist", activist_on=None)
    assert earliest_due(broken, PROCEDURE, RulebookSet.from_config()) == date.min


def test_the_fingerprint_follows_the_rulebooks():
    base = fingerprint(PROCEDURE, RulebookSet.from_config())
    assert len(base) == 64
    assert fingerprint(PROCEDURE, RulebookSet.from_config()) == base
    assert fingerprint(PROCEDURE, RulebookSet.from_config({"approval_months": 4})) != base
    assert fingerprint(PROCEDURE, RulebookSet.from_config({}, [SHORTER])) != base
    later = {**SHORTER, "effective_from": "2031-01-01"}
    assert fingerprint(PROCEDURE, RulebookSet.from_config({}, [later])) != fingerprint(
        PROCEDURE, RulebookSet.from_config({}, [SHORTER]))
