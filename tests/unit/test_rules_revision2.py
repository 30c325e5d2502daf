"""The rules revision 2 added or changed, each at both ends of its dated window: the day
before (or after) and the day of. Judged as of the act's date: a record dated after the act
never counts, a voided one never does."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from states import PROCEDURE
from workflow.domain.dates import add_months
from workflow.domain.dossier import Record
from workflow.domain.errors import InvalidTransition

DAY = timedelta(days=1)
COUNTS = {"entitled": 10, "present": 8, "in_favour": 6, "against": 2, "abstained": 0}
NO_MAJORITY = {"entitled": 10, "present": 8, "in_favour": 5, "against": 3, "abstained": 0}


def failing(make, dossier, trigger, on, **payload) -> set[str]:
    return set(make.failures(dossier, trigger, on, **payload))


# ------------------------------------------------------------------------------ talk_done

APPLIED = date(2023, 9, 1)
DESIGNATED = date(2023, 10, 8)


def applicant(make, talk_on):
    return make.dossier("applicant", applied_on=APPLIED, records=[
        make.record("talk", talk_on, by="支部书记"),
        make.record("recommendation", APPLIED, method="party_members"),
        make.record("contact", APPLIED, member_id=1),
    ])


@pytest.mark.parametrize(("talk_on", "ok"), [
    (APPLIED - DAY, False), (APPLIED, True),         # the application's end
    (DESIGNATED, True), (DESIGNATED + DAY, False),   # the designation's end
])
def test_talk_done_lies_between_application_and_designation(make, talk_on, ok):
    assert ("talk_done" not in failing(make, applicant(make, talk_on), "designate_activist",
                                       DESIGNATED)) is ok


def test_a_talk_recorded_later_with_an_earlier_date_counts_for_later_acts(make):
    dossier = applicant(make, DESIGNATED + DAY)
    assert "talk_done" in failing(make, dossier, "designate_activist", DESIGNATED)
    assert "talk_done" not in failing(make, dossier, "designate_activist", DESIGNATED + DAY)


def test_a_voided_record_counts_no_more(make):
    dossier = applicant(make, APPLIED)
    talk = dossier.records[0]
    dossier.records[0] = Record(talk.id, talk.type, talk.date, talk.data, voided=True)
    assert "talk_done" in failing(make, dossier, "designate_activist", DESIGNATED)
    # Still on the dossier (and in its log), only not counted.
    assert dossier.records[0].voided and not dossier.records_of("talk")


# ------------------------------------------------------------------------ candidate_filed

ACTIVIST_ON = date(2024, 3, 1)
CANDIDATE_ON = date(2025, 3, 1)


def activist(make, filed_on):
    records = [make.record("evaluation", d, summary="良好")
               for d in (date(2024, 8, 20), date(2025, 2, 20))]
    records += [make.record("sponsor", ACTIVIST_ON, member_id=m) for m in (1, 2)]
    records += [make.record("filing", ACTIVIST_ON, stage="activist"),
                make.record("filing", filed_on, stage="candidate")]
    return make.dossier("activist", activist_on=ACTIVIST_ON, records=records)


@pytest.mark.parametrize(("filed_on", "ok"), [
    (ACTIVIST_ON - DAY, False), (ACTIVIST_ON, True),
    (CANDIDATE_ON, True), (CANDIDATE_ON + DAY, False),
])
def test_candidate_filed_lies_between_activist_date_and_designation(make, filed_on, ok):
    found = failing(make, activist(make, filed_on), "designate_candidate", CANDIDATE_ON)
    assert found == (set() if ok else {"candidate_filed"})


def test_candidate_filed_explains_itself_in_both_languages(make):
    failure = make.failures(activist(make, CANDIDATE_ON + DAY), "designate_candidate",
                            CANDIDATE_ON)["candidate_filed"]
    assert "filing" in failure.message_en and "备案" in failure.message_zh


# ------------------------------------------------------------------------- volunteer_form

PUBLICITY = date(2025, 6, 2)
VOTE_ON = date(2025, 6, 20)


@pytest.mark.parametrize(("issued", "ok"), [
    (PUBLICITY - DAY, False), (PUBLICITY, True), (VOTE_ON, True), (VOTE_ON + DAY, False),
])
def test_volunteer_form_lies_between_pre_review_and_vote(make, issued, ok):
    dossier = make.dossier("vote", publicity_started_on=PUBLICITY,
                           records=[make.record("volunteer_form", issued)])
    assert failing(make, dossier, "hold_vote", VOTE_ON, **COUNTS) == (
        set() if ok else {"volunteer_form"})


# ---------------------------------------------------------------- not_passed and majority


@pytest.mark.parametrize(("in_favour", "passed"), [(5, False), (6, True)])
def test_not_passed_is_the_exact_complement_of_majority(make, in_favour, passed):
    dossier = make.dossier("vote", records=[make.record("volunteer_form", PUBLICITY)])
    counts = {**COUNTS, "in_favour": in_favour, "against": 8 - in_favour}
    assert ("majority" in failing(make, dossier, "hold_vote", VOTE_ON, **counts)) is not passed
    assert ("not_passed" in failing(make, dossier, "record_failed_vote", VOTE_ON,
                                    **counts)) is passed


def test_a_vote_missing_only_the_majority_points_at_record_failed_vote(make):
    dossier = make.dossier("vote", records=[make.record("volunteer_form", PUBLICITY)])
    failures = make.failures(dossier, "hold_vote", VOTE_ON, **NO_MAJORITY)
    assert set(failures) == {"majority"}
    assert "record_failed_vote" in failures["majority"].message_en
    assert "record_failed_vote" in failures["majority"].message_zh
    conversion = make.dossier("conversion_vote")
    failures = make.failures(conversion, "hold_conversion_vote", VOTE_ON, motion="extend",
                             months=6, **NO_MAJORITY)
    assert "record_failed_conversion_vote" in failures["majority"].message_en


def test_a_failed_meeting_still_needs_a_quorum_and_consistent_counts(make):
    dossier = make.dossier("vote")
    inquorate = {**NO_MAJORITY, "present": 5, "in_favour": 2}
    assert failing(make, dossier, "record_failed_vote", VOTE_ON, **inquorate) == {"quorum"}
    assert "vote_counts" in failing(make, dossier, "record_failed_vote", VOTE_ON,
                                    **{**NO_MAJORITY, "against": 9})


def test_a_failed_vote_returns_to_cultivation_with_the_activist_date(make):
    dossier = make.dossier("vote", voted_on=None)
    make.fire(dossier, "record_failed_vote", VOTE_ON, **NO_MAJORITY)
    assert dossier.state == "activist"
    assert dossier.activist_on == date(2024, 3, 1)
    assert (dossier.candidate_on, dossier.publicity_started_on, dossier.voted_on) == (
        None, None, None)


# ----------------------------------------------------------------------- approval_talk

VOTED = date(2025, 11, 30)
APPROVED = date(2026, 1, 10)


@pytest.mark.parametrize(("talk_on", "ok"), [
    (VOTED - DAY, False), (VOTED, True), (APPROVED, True), (APPROVED + DAY, False),
])
def test_approval_talk_lies_between_vote_and_approval(make, talk_on, ok):
    dossier = make.dossier("approval", voted_on=VOTED,
                           records=[make.record("approval_talk", talk_on, by="组织员")])
    assert failing(make, dossier, "approve", APPROVED) == (set() if ok else {"approval_talk"})


# --------------------------------------------------------- approval_deadline, late_reason

DUE = add_months(VOTED, 3)  # "2026-02-30" rolls forward to 2026-03-02


def approval(make, *records):
    return make.dossier("approval", voted_on=VOTED,
                        records=[make.record("approval_talk", VOTED, by="组织员"), *records])


def test_approval_deadline_on_and_after_its_last_day(make):
    assert failing(make, approval(make), "approve", DUE) == set()
    assert failing(make, approval(make), "approve", DUE + DAY) == {"approval_deadline"}


@pytest.mark.parametrize(("reason_on", "ok"), [(VOTED - DAY, False), (VOTED, True),
                                               (DUE + DAY, True), (DUE + 2 * DAY, False)])
def test_a_late_reason_dated_between_the_vote_and_the_approval_lets_it_pass(make, reason_on,
                                                                            ok):
    dossier = approval(make, make.record("late_reason", reason_on, reason="党委换届"))
    assert ("approval_deadline" not in failing(make, dossier, "approve", DUE + DAY)) is ok


def test_a_late_approval_is_still_late_when_judged_strictly(make):
    dossier = approval(make, make.record("late_reason", DUE, reason="党委换届"))
    rule = PROCEDURE.rules()["approval_deadline"]
    facts = make.facts(dossier, DUE + DAY)
    assert rule.evaluate(facts) is None
    assert rule.evaluate(facts, strict=True).rule == "approval_deadline"


def test_the_extended_deadline_then_a_late_reason_beyond_it(make):
    extended = approval(make, make.record("extension_reason", VOTED, reason="外调"))
    six = add_months(VOTED, 6)
    assert failing(make, extended, "approve", six) == set()
    assert failing(make, extended, "approve", six + DAY) == {"approval_deadline"}
    extended.records.append(make.record("late_reason", six + DAY, reason="外调未完成"))
    assert failing(make, extended, "approve", six + DAY) == set()


# ------------------------------------------------------------------ objections_resolved

START = date(2025, 9, 26)
CLOSE = date(2025, 10, 10)


@pytest.mark.parametrize(("resolved_on", "ok"), [(CLOSE, True), (CLOSE + DAY, False)])
def test_an_objection_resolved_after_the_close_does_not_count(make, resolved_on, ok):
    objection = make.record("objection", START, summary="反映问题")
    resolution = make.record("objection_resolution", resolved_on, objection_id=objection.id,
                             upheld=False, summary="不属实")
    dossier = make.dossier("publicity", publicity_started_on=START,
                           records=[objection, resolution])
    assert failing(make, dossier, "close_publicity", CLOSE) == (
        set() if ok else {"objections_resolved"})


# -------------------------------------------------------------------- conversion_reviewed

PROBATION_VOTED = date(2025, 6, 20)
END = date(2026, 6, 20)
APPLIED_FOR = date(2026, 5, 20)


@pytest.mark.parametrize(("reviewed", "ok"), [
    (APPLIED_FOR - DAY, False), (APPLIED_FOR, True), (END, True), (END + DAY, False),
])
def test_conversion_reviewed_lies_between_application_and_publicity(make, reviewed, ok):
    dossier = make.dossier("probationary", voted_on=PROBATION_VOTED, records=[
        make.record("conversion_application", APPLIED_FOR),
        make.record("branch_review", reviewed, summary="同意"),
    ])
    assert failing(make, dossier, "start_conversion_publicity", END) == (
        set() if ok else {"conversion_reviewed"})


# ------------------------------------------------------------------------------------ oath

ADMITTED = date(2025, 8, 1)
CONVERSION_VOTE = date(2026, 7, 1)


@pytest.mark.parametrize(("sworn", "ok"), [
    (ADMITTED - DAY, False), (ADMITTED, True),
    (CONVERSION_VOTE, True), (CONVERSION_VOTE + DAY, False),
])
def test_oath_lies_between_admission_and_conversion_vote(make, sworn, ok):
    dossier = make.dossier("conversion_vote", admitted_on=ADMITTED,
                           records=[make.record("oath", sworn)])
    assert failing(make, dossier, "hold_conversion_vote", CONVERSION_VOTE, **COUNTS) == (
        set() if ok else {"oath"})
    # Only a conversion asks for it.
    assert "oath" not in failing(make, dossier, "hold_conversion_vote", CONVERSION_VOTE,
                                 motion="disqualify", reason="x", **COUNTS)


# ------------------------------------------------------------------------- motion_allowed


@pytest.mark.parametrize(("state", "payload", "ok"), [
    ("probationary", {"motion": "convert"}, False),
    ("probationary", {"motion": "extend", "months": 6}, False),
    ("probationary", {"motion": "disqualify", "reason": "违纪"}, True),
    ("probationary", {"motion": "disqualify"}, False),
    ("conversion_vote", {"motion": "disqualify", "reason": " "}, False),
    ("conversion_vote", {"motion": "extend"}, False),
    ("conversion_vote", {"motion": "extend", "months": 6}, True),
    ("conversion_vote", {"motion": "convert", "months": 6}, False),
    ("conversion_vote", {}, True),
])
def test_motion_allowed(make, state, payload, ok):
    dossier = make.dossier(state, admitted_on=ADMITTED, records=[make.record("oath", ADMITTED)])
    for trigger, counts in (("hold_conversion_vote", COUNTS),
                            ("record_failed_conversion_vote", NO_MAJORITY)):
        found = failing(make, dossier, trigger, CONVERSION_VOTE, **counts, **payload)
        assert ("motion_allowed" not in found) is ok, trigger


# ---------------------------------------------- the new triggers, from every state and none

NEW_TRIGGERS = ("record_failed_vote", "record_failed_conversion_vote",
                "refuse_conversion_resolution")


@pytest.mark.parametrize("trigger", NEW_TRIGGERS)
@pytest.mark.parametrize("state", [s.name for s in PROCEDURE.states])
def test_each_new_trigger_exists_only_in_its_states(make, trigger, state):
    sources = {s for t in PROCEDURE.transitions if t.trigger == trigger for s in t.sources}
    dossier = make.dossier(state, admitted_on=ADMITTED,
                           motion={"motion": "disqualify", "reason": "违纪",
                                   "from": "probationary"})
    payload = {**NO_MAJORITY, "motion": "disqualify", "reason": "违纪"}
    if trigger == "refuse_conversion_resolution":
        payload = {"reason": "决议依据不足"}
    if state not in sources:
        with pytest.raises(InvalidTransition):
            make.fire(dossier, trigger, CONVERSION_VOTE, **payload)
        return
    make.fire(dossier, trigger, CONVERSION_VOTE, **payload)
    expected = {
        ("record_failed_vote", "vote"): "activist",
        ("record_failed_conversion_vote", "conversion_vote"): "conversion_vote",
        ("record_failed_conversion_vote", "probationary"): "probationary",
        ("refuse_conversion_resolution", "conversion_approval"): "probationary",
    }
    assert dossier.state == expected[(trigger, state)]


@pytest.mark.parametrize(("motion", "dest"), [
    ({"motion": "convert", "from": "conversion_vote"}, "full_member"),
    ({"motion": "extend", "months": 6, "from": "conversion_vote"}, "probationary"),
    ({"motion": "disqualify", "reason": "违纪", "from": "probationary"}, "disqualified"),
    (None, "full_member"),  # awaiting approval under revision 1: a conversion
])
def test_approve_conversion_applies_the_motion(make, motion, dest):
    dossier = make.dossier("conversion_approval", motion=motion)
    make.fire(dossier, "approve_conversion", date(2026, 7, 20))
    assert dossier.state == dest
    assert dossier.motion is None
    assert dossier.extension_months == (6 if dest == "probationary" else 0)
    assert dossier.closing_reason == ("违纪" if dest == "disqualified" else None)


@pytest.mark.parametrize(("voted_from", "back_to"), [("conversion_vote", "conversion_vote"),
                                                     ("probationary", "probationary")])
def test_a_refused_resolution_goes_back_to_where_it_was_voted(make, voted_from, back_to):
    dossier = make.dossier("conversion_approval",
                           motion={"motion": "disqualify", "reason": "违纪", "from": voted_from})
    assert failing(make, dossier, "refuse_conversion_resolution", date(2026, 7, 20)) == {
        "reason_given"}
    make.fire(dossier, "refuse_conversion_resolution", date(2026, 7, 20), reason="依据不足")
    assert (dossier.state, dossier.motion, dossier.conversion_voted_on) == (back_to, None, None)


def test_the_next_steps_say_where_an_approval_leads(make):
    dossier = make.dossier("conversion_approval",
                           motion={"motion": "extend", "months": 6, "from": "conversion_vote"})
    steps = {s.transition.trigger: s for s in make.engine.steps(
        dossier, make.facts(dossier, date(2026, 7, 20)))}
    assert steps["approve_conversion"].dest == "probationary"
    assert steps["refuse_conversion_resolution"].dest == "conversion_vote"
