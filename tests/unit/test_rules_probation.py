"""Probation, its extension, the exits, and the deadline rules of the agenda."""

from __future__ import annotations

from datetime import date

import pytest

from states import PROCEDURE

# --------------------------------------------------------------------- probation_elapsed


def probationary(make, voted_on, *, extension_months=0, application=True):
    records = [make.record("conversion_application", voted_on),
               make.record("branch_review", voted_on, summary="同意")] if application else []
    return make.dossier("probationary", voted_on=voted_on, extension_months=extension_months,
                        records=records)


@pytest.mark.parametrize(
    ("voted", "extension", "end"),
    [
        (date(2025, 6, 20), 0, date(2026, 6, 20)),
        (date(2024, 2, 29), 0, date(2025, 3, 1)),
        (date(2025, 11, 30), 0, date(2026, 11, 30)),
        (date(2025, 6, 20), 6, date(2026, 12, 20)),
        (date(2025, 8, 31), 6, date(2027, 3, 1)),  # "2027-02-31" rolls forward
        (date(2025, 6, 20), 12, date(2027, 6, 20)),
    ],
)
def test_probation_elapsed(make, voted, extension, end):
    dossier = probationary(make, voted, extension_months=extension)
    day_before = date.fromordinal(end.toordinal() - 1)
    failures = make.failures(dossier, "start_conversion_publicity", day_before)
    assert set(failures) == {"probation_elapsed"}
    assert failures["probation_elapsed"].earliest_date == end
    assert make.failures(dossier, "start_conversion_publicity", end) == {}


def test_conversion_application(make):
    dossier = probationary(make, date(2025, 6, 20), application=False)
    assert set(make.failures(dossier, "start_conversion_publicity", date(2026, 6, 20))) == {
        "conversion_application", "conversion_reviewed"
    }
    # An application dated before the vote is not an application for this conversion.
    dossier.records.append(make.record("conversion_application", date(2025, 6, 19)))
    assert "conversion_application" in make.failures(dossier, "start_conversion_publicity",
                                                     date(2026, 6, 20))
    dossier.records.append(make.record("conversion_application", date(2026, 5, 20)))
    dossier.records.append(make.record("branch_review", date(2026, 5, 25), summary="同意"))
    assert make.failures(dossier, "start_conversion_publicity", date(2026, 6, 20)) == {}


# ------------------------------------------------------------- an extension motion's rules

COUNTS = {"entitled": 10, "present": 6, "in_favour": 6, "against": 0, "abstained": 0}


@pytest.mark.parametrize(("months", "ok"), [(5, False), (6, True), (12, True), (13, False),
                                             (0, False)])
def test_extension_length(make, months, ok):
    failures = make.failures(make.dossier("conversion_vote"), "hold_conversion_vote",
                             date(2026, 6, 25), motion="extend", months=months, **COUNTS)
    assert ("extension_length" not in failures) is ok
    assert "extension_once" not in failures
    assert "oath" not in failures  # an oath is asked of a conversion only


def test_extension_once(make):
    dossier = make.dossier("conversion_vote", extension_months=6)
    failures = make.failures(dossier, "hold_conversion_vote", date(2026, 12, 25),
                             motion="extend", months=6, **COUNTS)
    assert set(failures) == {"extension_once"}


def test_extension_length_follows_the_rulebook(make, rulebook, calendar):
    from workflow.domain.machine import Engine

    wide = Engine(PROCEDURE, rulebook.with_numbers({"extension_min_months": 3}))
    dossier = make.dossier("conversion_vote")
    transition = wide.transition_for(dossier, "hold_conversion_vote")
    facts = wide.facts(dossier, date(2026, 6, 25), calendar,
                       {"motion": "extend", "months": 3, **COUNTS})
    assert wide.explain(transition, facts) == []


# --------------------------------------------------------------------------- reason_given


@pytest.mark.parametrize(
    ("state", "trigger"),
    [
        ("applicant", "reject"),
        ("approval", "reject"),
        ("applicant", "withdraw"),
        ("conversion_approval", "withdraw"),
        ("conversion_approval", "refuse_conversion_resolution"),
        ("training", "return_to_activist"),
        ("vote", "return_to_activist"),
    ],
)
@pytest.mark.parametrize(("reason", "ok"), [
    ("", False), ("   ", False), (None, False), ("支部大会未通过", True),
])
def test_reason_given(make, state, trigger, reason, ok):
    failures = make.failures(make.dossier(state), trigger, date(2025, 6, 25), reason=reason)
    assert ("reason_given" not in failures) is ok


def test_reason_given_without_any_payload_fails(make):
    assert set(make.failures(make.dossier("vote"), "reject", date(2025, 6, 25))) == {
        "reason_given"
    }


# ----------------------------------------------------------------------- talk_deadline


@pytest.mark.parametrize(
    ("applied", "due"),
    [
        (date(2025, 3, 10), date(2025, 4, 10)),
        (date(2025, 1, 31), date(2025, 3, 1)),  # "2025-02-31" rolls forward
        (date(2024, 1, 30), date(2024, 3, 1)),
    ],
)
def test_talk_deadline_due_date_and_overdue(make, rulebook, calendar, applied, due):
    rule = PROCEDURE.rules()["talk_deadline"]
    dossier = make.dossier("applicant", applied_on=applied)
    deadline = rule.deadline(dossier, rulebook, calendar)
    assert (deadline.rule, deadline.due) == ("talk_deadline", due)
    assert make.rule_failure("talk_deadline", dossier, due) is None
    day_after = date.fromordinal(due.toordinal() + 1)
    failure = make.rule_failure("talk_deadline", dossier, day_after)
    assert failure is not None
    assert failure.rule == "talk_deadline"
    assert str(due) in failure.message_en


def test_talk_deadline_a_talk_held_in_time_satisfies_it(make, rulebook, calendar):
    rule = PROCEDURE.rules()["talk_deadline"]
    applied = date(2025, 3, 10)
    dossier = make.dossier("applicant", applied_on=applied,
                           records=[make.record("talk", date(2025, 4, 10), by="书记")])
    assert rule.deadline(dossier, rulebook, calendar) is None  # nothing left on the agenda
    assert make.rule_failure("talk_deadline", dossier, date(2026, 1, 1)) is None


def test_talk_deadline_a_late_talk_stays_a_violation(make):
    dossier = make.dossier("applicant", applied_on=date(2025, 3, 10),
                           records=[make.record("talk", date(2025, 4, 11), by="书记")])
    failure = make.rule_failure("talk_deadline", dossier, date(2025, 5, 1))
    assert failure is not None
    assert "2025-04-11" in failure.message_en


def test_talk_deadline_only_on_the_agenda_of_an_applicant(make, rulebook, calendar):
    rule = PROCEDURE.rules()["talk_deadline"]
    assert rule.deadline(make.dossier("activist"), rulebook, calendar) is None


# ---------------------------------------------------------------------- evaluation_due


def test_evaluation_due_from_the_activist_date(make, rulebook, calendar):
    rule = PROCEDURE.rules()["evaluation_due"]
    dossier = make.dossier("activist", activist_on=date(2024, 8, 31))
    deadline = rule.deadline(dossier, rulebook, calendar)
    assert (deadline.rule, deadline.due) == ("evaluation_due", date(2025, 3, 1))
    assert make.rule_failure("evaluation_due", dossier, date(2025, 3, 1)) is None
    failure = make.rule_failure("evaluation_due", dossier, date(2025, 3, 2))
    assert failure is not None
    assert "2025-03-01" in failure.message_en


def test_evaluation_due_from_the_latest_evaluation(make, rulebook, calendar):
    rule = PROCEDURE.rules()["evaluation_due"]
    dossier = make.dossier("activist", activist_on=date(2024, 3, 1), records=[
        make.record("evaluation", date(2024, 9, 1), summary="…"),
        make.record("evaluation", date(2024, 8, 15), summary="…"),  # recorded out of order
    ])
    assert rule.deadline(dossier, rulebook, calendar).due == date(2025, 3, 1)
    assert make.rule_failure("evaluation_due", dossier, date(2025, 3, 1)) is None
    assert make.rule_failure("evaluation_due", dossier, date(2025, 3, 2)) is not None


def test_evaluation_due_only_for_an_activist(make, rulebook, calendar):
    rule = PROCEDURE.rules()["evaluation_due"]
    dossier = make.dossier("training", activist_on=date(2024, 3, 1))
    assert rule.deadline(dossier, rulebook, calendar) is None
    assert make.rule_failure("evaluation_due", dossier, date(2026, 1, 1)) is None


# ----------------------------------------------------------------------- probation_end


def test_probation_end_deadline(make, rulebook, calendar):
    rule = PROCEDURE.rules()["probation_end"]
    dossier = make.dossier("probationary", voted_on=date(2024, 2, 29))
    assert rule.deadline(dossier, rulebook, calendar).due == date(2025, 3, 1)
    assert make.rule_failure("probation_end", dossier, date(2025, 3, 1)) is None
    assert make.rule_failure("probation_end", dossier, date(2025, 3, 2)) is not None
    dossier.extension_months = 6
    # Counted from the vote: 2024-02-29 + 18 months is 2025-08-29 (that day exists).
    assert rule.deadline(dossier, rulebook, calendar).due == date(2025, 8, 29)
    assert make.rule_failure("probation_end", dossier, date(2025, 3, 2)) is None
    # Once the conversion is under way nothing is overdue, and the agenda says so too.
    converting = make.dossier("conversion_vote", voted_on=date(2024, 2, 29))
    assert make.rule_failure("probation_end", converting, date(2025, 6, 1)) is None
    assert rule.deadline(converting, rulebook, calendar) is None
