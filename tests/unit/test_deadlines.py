"""The deadline bound of the agenda's index (workflow.domain.deadlines), without a database."""

from __future__ import annotations

from dataclasses import fields
from datetime import date

import pytest

from states import PROCEDURE
from workflow.domain.calendar import WorkingDayCalendar
from workflow.domain.deadlines import (
    EVERY_DAY,
    deadline_record_types,
    deadline_rules,
    earliest_due,
    fingerprint,
)
from workflow.domain.dossier import NOT_LOADED, Dossier, Record, RecordsNotLoaded
from workflow.domain.rulebook import RulebookSet

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


class _Spy(Dossier):
    """Notes the record types asked for; any other look at the records raises."""

    def __init__(self, dossier: Dossier) -> None:
        super().__init__(**{f.name: getattr(dossier, f.name) for f in fields(Dossier)})
        self.kept, self.records, self.asked = dossier.records, NOT_LOADED, set()

    def records_of(self, record_type: str, since: date | None = None) -> list[Record]:
        self.asked.add(record_type)
        return [r for r in self.kept
                if r.type == record_type and (since is None or r.date >= since)]


def test_each_deadline_reads_only_the_records_it_declares(make):
    """The agenda loads only the declared types (`Rule.deadline_records`) for a dossier whose
    deadlines look at its records: a deadline reading another type would go wrong there."""
    every_type = [make.record(r.name, date(2025, 1, 5), member_id=1, objection_id=1,
                              upheld=False, reason="原因", by="书记", summary="摘要",
                              method="party_members", stage="activist")
                  for r in PROCEDURE.records]
    versions = RulebookSet.from_config({}, [SHORTER])
    for state in [s.name for s in PROCEDURE.states]:
        for records in ([], every_type):
            for rule in deadline_rules(PROCEDURE):
                for rulebook in versions.versions:
                    spy = _Spy(make.dossier(state, records=records))
                    try:
                        rule.deadline(spy, rulebook, EVERY_DAY)
                    except (AttributeError, TypeError):
                        continue  # a state without the dates its deadline counts from
                    assert spy.asked <= set(rule.deadline_records), (rule.id, state)
    assert deadline_record_types(PROCEDURE) == {"talk", "evaluation", "extension_reason"}


def test_a_deadline_that_looks_at_records_not_loaded_says_so(make):
    activist, probationer = make.dossier("activist"), make.dossier("probationary")
    activist.records = probationer.records = NOT_LOADED
    evaluation_due = PROCEDURE.rules()["evaluation_due"]
    with pytest.raises(RecordsNotLoaded):
        evaluation_due.deadline(activist, RulebookSet.from_config().versions[0], EVERY_DAY)
    # A probationer's end of probation needs none.
    probation_end = PROCEDURE.rules()["probation_end"]
    assert probation_end.deadline(probationer, RulebookSet.from_config().versions[0],
                                  EVERY_DAY).due == date(2026, 6, 20)
