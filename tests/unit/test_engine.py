"""Engine.fire and Engine.steps: refusals, every failing rule at once, and the effects."""

from __future__ import annotations

from datetime import date

import pytest

from workflow.domain.dossier import Record
from workflow.domain.errors import GuardFailed, Invalid, InvalidTransition, UnknownTrigger

# ---------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("state", "trigger"),
    [
        ("applicant", "designate_candidate"),
        ("applicant", "hold_vote"),
        ("vote", "approve"),
        ("probationary", "reject"),  # reject only before probation
        ("probationary", "return_to_activist"),
        ("approval", "hold_conversion_vote"),
        ("activist", "record_failed_vote"),
        ("conversion_vote", "approve_conversion"),
        ("probationary", "refuse_conversion_resolution"),
        ("full_member", "withdraw"),
        ("rejected", "designate_activist"),
        ("withdrawn", "withdraw"),
    ],
)
def test_a_trigger_not_valid_from_the_state_is_an_invalid_transition(make, state, trigger):
    dossier = make.dossier(state)
    with pytest.raises(InvalidTransition) as raised:
        make.fire(dossier, trigger, date(2026, 1, 5), reason="x")
    assert (raised.value.trigger, raised.value.state) == (trigger, state)
    assert raised.value.code == "invalid_transition"
    assert dossier.state == state


@pytest.mark.parametrize("trigger", ["fly_to_the_moon", "to_activist", "", "Designate_Activist",
                                     "extend_probation", "disqualify"])
def test_a_nonsense_trigger_is_unknown(make, trigger):
    dossier = make.dossier("applicant")
    with pytest.raises(UnknownTrigger) as raised:
        make.fire(dossier, trigger, date(2026, 1, 5))
    assert isinstance(raised.value, Invalid)
    assert raised.value.trigger == trigger
    assert "trigger" in raised.value.fields
    assert dossier.state == "applicant"


def test_guard_failed_lists_every_failing_rule(make):
    dossier = make.dossier("applicant")
    with pytest.raises(GuardFailed) as raised:
        make.fire(dossier, "designate_activist", date(2023, 10, 1))
    assert [f.rule for f in raised.value.failures] == ["talk_done", "recommended", "contacts"]
    assert raised.value.code == "guard_failed"
    assert dossier.state == "applicant"
    assert dossier.activist_on is None


def test_guard_failed_lists_all_five_rules_of_designate_candidate(make):
    # Seven months of cultivation, nothing recorded: every rule of the trigger fails.
    dossier = make.dossier("activist", activist_on=date(2024, 3, 1))
    with pytest.raises(GuardFailed) as raised:
        make.fire(dossier, "designate_candidate", date(2024, 10, 1))
    assert [f.rule for f in raised.value.failures] == [
        "cultivation_period", "evaluations", "sponsors", "filed", "candidate_filed",
    ]
    assert raised.value.failures[0].earliest_date == date(2025, 3, 1)
    assert all(f.message_en and f.message_zh for f in raised.value.failures)
    assert dossier.state == "activist"
    assert dossier.candidate_on is None


def test_a_failed_vote_changes_nothing(make):
    dossier = make.dossier("vote", voted_on=None, records=[FORM])
    with pytest.raises(GuardFailed) as raised:
        make.fire(dossier, "hold_vote", date(2025, 6, 20), entitled=10, present=5, in_favour=5,
                  against=0, abstained=0)
    assert [f.rule for f in raised.value.failures] == ["quorum", "majority"]
    assert dossier.state == "vote"
    assert dossier.voted_on is None


def test_only_the_failing_rules_are_listed(make):
    dossier = make.dossier("applicant", records=[make.record("talk", date(2023, 9, 5), by="x")])
    with pytest.raises(GuardFailed) as raised:
        make.fire(dossier, "designate_activist", date(2023, 10, 1))
    assert [f.rule for f in raised.value.failures] == ["recommended", "contacts"]


# ----------------------------------------------------------------------------- effects


def test_designate_activist_sets_the_activist_date(make):
    on = date(2023, 10, 1)
    dossier = make.dossier("applicant", records=[
        make.record("talk", date(2023, 9, 5), by="x"),
        make.record("recommendation", date(2023, 9, 6), method="party_members"),
        make.record("contact", date(2023, 9, 7), member_id=1),
    ])
    transition = make.fire(dossier, "designate_activist", on)
    assert transition.trigger == "designate_activist"
    assert transition.dest == "activist"
    assert dossier.state == "activist"
    assert dossier.activist_on == on


def test_hold_vote_sets_the_vote_date(make):
    dossier = make.dossier("vote", voted_on=None, records=[FORM])
    make.fire(dossier, "hold_vote", date(2025, 6, 20), entitled=10, present=6, in_favour=6,
              against=0, abstained=0)
    assert dossier.state == "approval"
    assert dossier.voted_on == date(2025, 6, 20)
    assert dossier.conversion_voted_on is None


def test_hold_conversion_vote_sets_the_conversion_vote_date(make):
    dossier = make.dossier("conversion_vote", voted_on=date(2025, 6, 20),
                           admitted_on=date(2025, 8, 1), records=[OATH])
    make.fire(dossier, "hold_conversion_vote", date(2026, 7, 1), entitled=10, present=6,
              in_favour=6, against=0, abstained=0)
    assert dossier.state == "conversion_approval"
    assert dossier.conversion_voted_on == date(2026, 7, 1)
    assert dossier.voted_on == date(2025, 6, 20)


COUNTS = {"entitled": 10, "present": 6, "in_favour": 6, "against": 0, "abstained": 0}


def test_an_extension_voted_and_approved_sets_the_extension(make):
    dossier = make.dossier("conversion_vote", voted_on=date(2025, 6, 20))
    make.fire(dossier, "hold_conversion_vote", date(2026, 6, 25), motion="extend", months=6,
              **COUNTS)
    assert dossier.state == "conversion_approval"
    assert dossier.extension_months == 0  # voted, not yet approved
    make.fire(dossier, "approve_conversion", date(2026, 7, 1))
    assert dossier.state == "probationary"
    assert dossier.extension_months == 6
    assert dossier.motion is None
    # The extended probation now governs the conversion.
    failures = make.failures(dossier, "start_conversion_publicity", date(2026, 12, 19))
    assert failures["probation_elapsed"].earliest_date == date(2026, 12, 20)
    # And it cannot be extended again.
    dossier.state = "conversion_vote"
    with pytest.raises(GuardFailed) as raised:
        make.fire(dossier, "hold_conversion_vote", date(2027, 1, 5), motion="extend", months=6,
                  **COUNTS)
    assert [f.rule for f in raised.value.failures] == ["extension_once"]


@pytest.mark.parametrize("state", ["training", "political_review", "pre_review", "publicity",
                                   "vote", "approval"])
def test_return_to_activist_keeps_the_activist_date(make, state):
    dossier = make.dossier(state, activist_on=date(2024, 3, 1), candidate_on=date(2025, 3, 10),
                           publicity_started_on=date(2025, 6, 2), voted_on=date(2025, 6, 20))
    make.fire(dossier, "return_to_activist", date(2025, 7, 1), reason="支部大会未通过，继续培养")
    assert dossier.state == "activist"
    assert dossier.activist_on == date(2024, 3, 1)
    assert dossier.candidate_on is None
    assert dossier.voted_on is None
    assert dossier.publicity_started_on is None


FORM = Record(900, "volunteer_form", date(2025, 6, 5))
OATH = Record(901, "oath", date(2025, 9, 1))


def test_approve_conversion_dates_membership_from_the_end_of_probation(make):
    dossier = make.dossier("conversion_approval", voted_on=date(2024, 2, 29),
                           conversion_voted_on=date(2025, 3, 20))
    make.fire(dossier, "approve_conversion", date(2025, 5, 6))
    assert dossier.state == "full_member"
    assert dossier.membership_on == date(2025, 3, 1)  # not 2025-05-06


def test_approve_conversion_after_an_extension(make):
    dossier = make.dossier("conversion_approval", voted_on=date(2025, 6, 20),
                           extension_months=6, conversion_voted_on=date(2027, 1, 10))
    make.fire(dossier, "approve_conversion", date(2027, 2, 1))
    assert dossier.membership_on == date(2026, 12, 20)


@pytest.mark.parametrize(("state", "trigger", "dest"), [
    ("activist", "reject", "rejected"),
    ("probationary", "withdraw", "withdrawn"),
])
def test_closing_triggers_record_the_reason(make, state, trigger, dest):
    dossier = make.dossier(state)
    make.fire(dossier, trigger, date(2026, 1, 5), reason="本人要求")
    assert dossier.state == dest
    assert dossier.closing_reason == "本人要求"


def test_the_engine_is_shared_without_sharing_state(make):
    first = make.dossier("vote", voted_on=None, records=[FORM])
    second = make.dossier("vote", voted_on=None, records=[FORM])
    make.fire(first, "hold_vote", date(2025, 6, 20), entitled=3, present=2, in_favour=2,
              against=0, abstained=0)
    assert (first.state, second.state) == ("approval", "vote")
    assert second.voted_on is None


def test_a_dossier_from_application_to_full_member(make):
    """The main line through Engine.fire alone, with the dates each step establishes."""
    d = make.dossier("applicant", applied_on=date(2023, 9, 1))

    def add(type_, on, **data):
        d.records.append(make.record(type_, on, **data))

    add("talk", date(2023, 9, 20), by="支部书记")
    add("recommendation", date(2023, 9, 25), method="mass_organization")
    add("contact", date(2023, 9, 25), member_id=1)
    make.fire(d, "designate_activist", date(2023, 10, 8))
    add("evaluation", date(2024, 4, 1), summary="良好")
    add("evaluation", date(2024, 10, 1), summary="良好")
    add("sponsor", date(2024, 9, 1), member_id=2)
    add("sponsor", date(2024, 9, 1), member_id=3)
    add("filing", date(2023, 10, 20), stage="activist")
    add("filing", date(2024, 10, 1), stage="candidate")
    make.fire(d, "designate_candidate", date(2024, 10, 8))
    make.fire(d, "complete_training", date(2024, 11, 1), hours=32, passed=True)
    make.fire(d, "pass_political_review", date(2025, 1, 10), conclusion="政治审查合格")
    add("branch_review", date(2025, 1, 15), summary="同意")
    make.fire(d, "start_publicity", date(2025, 9, 26))
    add("volunteer_form", date(2025, 9, 29))
    with pytest.raises(GuardFailed):
        make.fire(d, "close_publicity", date(2025, 10, 9))
    make.fire(d, "close_publicity", date(2025, 10, 10))
    make.fire(d, "hold_vote", date(2025, 10, 20), entitled=20, present=15, in_favour=14,
              against=1, abstained=0, written=0)
    add("approval_talk", date(2025, 11, 1), by="组织员")
    make.fire(d, "approve", date(2025, 12, 1))
    add("oath", date(2025, 12, 20))
    add("conversion_application", date(2026, 9, 1))
    add("branch_review", date(2026, 9, 10), summary="同意转正")
    make.fire(d, "start_conversion_publicity", date(2026, 10, 20))
    make.fire(d, "close_conversion_publicity", date(2026, 10, 27))
    make.fire(d, "hold_conversion_vote", date(2026, 11, 2), entitled=20, present=18,
              in_favour=18, against=0, abstained=0)
    make.fire(d, "approve_conversion", date(2027, 1, 15))

    assert d.state == "full_member"
    assert d.activist_on == date(2023, 10, 8)
    assert d.candidate_on == date(2024, 10, 8)
    assert d.publicity_started_on == date(2026, 10, 20)
    assert d.voted_on == date(2025, 10, 20)
    assert d.conversion_voted_on == date(2026, 11, 2)
    assert d.membership_on == date(2026, 10, 20)
    assert make.engine.steps(d, make.facts(d, date(2027, 1, 16))) == []


# ------------------------------------------------------------------------------- steps


def steps_by_trigger(make, dossier, on):
    return {s.transition.trigger: s for s in make.engine.steps(dossier, make.facts(dossier, on))}


def test_steps_list_every_trigger_of_the_state(make):
    steps = steps_by_trigger(make, make.dossier("vote"), date(2025, 6, 20))
    assert set(steps) == {"hold_vote", "record_failed_vote", "reject", "withdraw",
                          "return_to_activist"}


def test_steps_report_vote_counts_as_pending_inputs_not_failures(make):
    dossier = make.dossier("vote", records=[FORM])
    step = steps_by_trigger(make, dossier, date(2025, 6, 20))["hold_vote"]
    assert step.failures == ()
    assert step.allowed
    assert set(step.pending_inputs) == {"entitled", "present", "in_favour", "against",
                                        "abstained", "written"}


def test_steps_report_a_reason_as_pending(make):
    steps = steps_by_trigger(make, make.dossier("vote"), date(2025, 6, 20))
    for trigger in ("reject", "withdraw", "return_to_activist"):
        assert steps[trigger].pending_inputs == ("reason",)
        assert steps[trigger].allowed


def test_steps_judge_the_rules_that_need_no_input(make):
    dossier = make.dossier("activist", activist_on=date(2024, 3, 1))
    step = steps_by_trigger(make, dossier, date(2024, 10, 1))["designate_candidate"]
    assert not step.allowed
    assert [f.rule for f in step.failures] == ["cultivation_period", "evaluations", "sponsors",
                                               "filed", "candidate_filed"]
    assert step.pending_inputs == ()


def test_steps_mix_judged_rules_and_pending_inputs(make):
    # Without its payload, the conversion meeting is judged as a conversion: the oath counts.
    dossier = make.dossier("conversion_vote", admitted_on=date(2025, 8, 1))
    step = steps_by_trigger(make, dossier, date(2026, 6, 25))["hold_conversion_vote"]
    assert [f.rule for f in step.failures] == ["oath"]
    assert {"motion", "months", "reason", "entitled"} <= set(step.pending_inputs)
    sworn = make.dossier("conversion_vote", admitted_on=date(2025, 8, 1), records=[OATH])
    step = steps_by_trigger(make, sworn, date(2026, 6, 25))["hold_conversion_vote"]
    assert step.allowed


def test_steps_of_training(make):
    step = steps_by_trigger(make, make.dossier("training"), date(2025, 4, 1))["complete_training"]
    assert step.allowed
    assert set(step.pending_inputs) == {"hours", "days", "passed"}


@pytest.mark.parametrize("state", ["full_member", "rejected", "withdrawn", "disqualified"])
def test_a_terminal_state_has_no_steps(make, state):
    assert make.engine.steps(make.dossier(state), make.facts(make.dossier(state),
                                                              date(2026, 1, 1))) == []


@pytest.mark.parametrize("on", [date(2024, 10, 1), date(2025, 3, 1), date(2025, 10, 9),
                                date(2025, 10, 10), date(2026, 3, 2), date(2026, 6, 20),
                                date(2026, 10, 2)])
@pytest.mark.parametrize("state", ["applicant", "activist", "political_review", "pre_review",
                                   "publicity", "approval", "probationary",
                                   "conversion_publicity", "conversion_approval"])
def test_steps_agree_with_fire(make, state, on):
    """A step without pending inputs is allowed exactly when firing it succeeds."""
    import copy

    records = [
        make.record("talk", date(2023, 9, 5), by="x"),
        make.record("recommendation", date(2023, 9, 5), method="party_members"),
        make.record("contact", date(2023, 9, 5), member_id=1),
        make.record("evaluation", date(2024, 9, 1), summary="…"),
        make.record("evaluation", date(2025, 2, 20), summary="…"),
        make.record("sponsor", date(2024, 9, 1), member_id=2),
        make.record("sponsor", date(2024, 9, 1), member_id=3),
        make.record("filing", date(2024, 3, 5), stage="activist"),
        make.record("filing", date(2025, 2, 25), stage="candidate"),
        make.record("branch_review", date(2025, 5, 10), summary="…"),
        make.record("approval_talk", date(2025, 7, 1), by="x"),
        make.record("conversion_application", date(2026, 5, 1)),
        make.record("branch_review", date(2026, 5, 5), summary="…"),
    ]
    dossier = make.dossier(state, records=records, publicity_started_on=date(2025, 9, 26))
    for step in make.engine.steps(dossier, make.facts(dossier, on)):
        if step.pending_inputs:
            continue
        trial = copy.deepcopy(dossier)
        trigger = step.transition.trigger
        if step.allowed:
            make.fire(trial, trigger, on)
            assert trial.state == step.transition.dest
        else:
            with pytest.raises(GuardFailed) as raised:
                make.fire(trial, trigger, on)
            assert tuple(raised.value.failures) == step.failures
            assert trial.state == state
