"""Publicity, the branch general meeting's vote and the committee's approval, at the boundaries."""

from __future__ import annotations

from datetime import date

import pytest

from workflow.domain.calendar import WorkingDayCalendar, YearTable

# ----------------------------------------------------------------------- publicity_elapsed

START = date(2025, 9, 26)  # Friday before National Day 2025: last day 2025-10-09


@pytest.mark.parametrize("state, trigger", [
    ("publicity", "close_publicity"),
    ("conversion_publicity", "close_conversion_publicity"),
])
def test_publicity_cannot_close_on_its_last_working_day(make, state, trigger):
    dossier = make.dossier(state, publicity_started_on=START)
    failures = make.failures(dossier, trigger, date(2025, 10, 9))
    assert set(failures) == {"publicity_elapsed"}
    assert failures["publicity_elapsed"].earliest_date == date(2025, 10, 10)
    assert "2025-10-09" in failures["publicity_elapsed"].message_en


@pytest.mark.parametrize("state, trigger", [
    ("publicity", "close_publicity"),
    ("conversion_publicity", "close_conversion_publicity"),
])
def test_publicity_can_close_the_day_after(make, state, trigger):
    dossier = make.dossier(state, publicity_started_on=START)
    assert make.failures(dossier, trigger, date(2025, 10, 10)) == {}


def test_publicity_during_the_holiday_is_still_open(make):
    dossier = make.dossier("publicity", publicity_started_on=START)
    # Eight calendar days later, but only four working days have passed.
    assert "publicity_elapsed" in make.failures(dossier, "close_publicity", date(2025, 10, 4))


def test_publicity_length_comes_from_the_rulebook(make, rulebook, calendar):
    from states import PROCEDURE
    from workflow.domain.machine import Engine

    seven = Engine(PROCEDURE, rulebook.with_numbers({"publicity_working_days": 7}))
    dossier = make.dossier("publicity", publicity_started_on=START)
    facts = seven.facts(dossier, date(2025, 10, 10), calendar)
    transition = seven.transition_for(dossier, "close_publicity")
    failures = {f.rule: f for f in seven.explain(transition, facts)}
    # 7 working days: ..., 10-09, 10-10 (Fri), 10-11 (make-up Saturday).
    assert failures["publicity_elapsed"].earliest_date == date(2025, 10, 12)


def test_publicity_in_a_year_without_table_says_so(make):
    # 2030-01-01 (Tuesday), Monday to Friday: last day 2030-01-07.
    dossier = make.dossier("publicity", publicity_started_on=date(2030, 1, 1))
    failure = make.failures(dossier, "close_publicity", date(2030, 1, 7))["publicity_elapsed"]
    assert failure.earliest_date == date(2030, 1, 8)
    assert "No official holiday table for 2030" in failure.message_en
    assert "按周一至周五计算" in failure.message_zh
    assert make.failures(dossier, "close_publicity", date(2030, 1, 8)) == {}


def test_publicity_with_a_loaded_table_uses_it(make):
    cal = WorkingDayCalendar([YearTable(2030, holidays=frozenset({date(2030, 1, 1)}))])
    dossier = make.dossier("publicity", publicity_started_on=date(2030, 1, 1))
    transition = make.engine.transition_for(dossier, "close_publicity")
    failures = make.engine.explain(transition, make.engine.facts(dossier, date(2030, 1, 8), cal))
    assert [(f.rule, f.earliest_date) for f in failures] == [
        ("publicity_elapsed", date(2030, 1, 9))
    ]
    assert "No official holiday table" not in failures[0].message_en


def test_publicity_elapsed_deadline_is_the_last_working_day(make, rulebook, calendar):
    from states import PROCEDURE

    rule = PROCEDURE.rules()["publicity_elapsed"]
    deadline = rule.deadline(make.dossier("publicity", publicity_started_on=START), rulebook,
                             calendar)
    assert deadline.rule == "publicity_elapsed"
    assert deadline.due == date(2025, 10, 9)
    assert rule.deadline(ready_to_vote(make), rulebook, calendar) is None


# --------------------------------------------------------------------- objections_resolved

CLOSE = date(2025, 10, 10)


def publicity_with(make, *records, state="publicity"):
    return make.dossier(state, publicity_started_on=START, records=list(records))


def test_an_unresolved_objection_blocks(make):
    objection = make.record("objection", date(2025, 9, 29), summary="…")
    failures = make.failures(publicity_with(make, objection), "close_publicity", CLOSE)
    assert set(failures) == {"objections_resolved"}
    assert str(objection.id) in failures["objections_resolved"].message_en


def test_an_upheld_objection_blocks(make):
    objection = make.record("objection", date(2025, 9, 29), summary="…")
    resolution = make.record("objection_resolution", date(2025, 9, 30),
                             objection_id=objection.id, upheld=True, summary="属实")
    failures = make.failures(publicity_with(make, objection, resolution), "close_publicity",
                             CLOSE)
    assert set(failures) == {"objections_resolved"}
    assert "upheld" in failures["objections_resolved"].message_en


def test_a_resolved_objection_not_upheld_does_not_block(make):
    objection = make.record("objection", date(2025, 9, 29), summary="…")
    resolution = make.record("objection_resolution", date(2025, 9, 30),
                             objection_id=objection.id, upheld=False, summary="不属实")
    assert make.failures(publicity_with(make, objection, resolution), "close_publicity",
                         CLOSE) == {}


def test_every_objection_needs_its_own_resolution(make):
    first = make.record("objection", date(2025, 9, 26), summary="一")
    second = make.record("objection", date(2025, 9, 29), summary="二")
    resolution = make.record("objection_resolution", date(2025, 9, 30),
                             objection_id=first.id, upheld=False, summary="不属实")
    failures = make.failures(publicity_with(make, first, second, resolution), "close_publicity",
                             CLOSE)
    message = failures["objections_resolved"].message_en
    assert str(second.id) in message
    assert f"{first.id}," not in message


def test_an_objection_of_an_earlier_publicity_is_ignored(make):
    # Raised the day before this publicity started (in an earlier one), never resolved.
    old = make.record("objection", date(2025, 9, 25), summary="旧")
    assert make.failures(publicity_with(make, old), "close_publicity", CLOSE) == {}
    # The conversion publicity ignores the admission publicity's objections too.
    conversion = make.dossier("conversion_publicity", publicity_started_on=date(2026, 7, 1),
                              records=[make.record("objection", date(2025, 6, 3), summary="…")])
    assert make.failures(conversion, "close_conversion_publicity", date(2026, 7, 10)) == {}


def test_an_objection_on_the_first_day_counts(make):
    objection = make.record("objection", START, summary="…")
    assert "objections_resolved" in make.failures(publicity_with(make, objection),
                                                  "close_publicity", CLOSE)


def test_publicity_elapsed_and_objections_are_reported_together(make):
    objection = make.record("objection", date(2025, 9, 29), summary="…")
    failures = make.failures(publicity_with(make, objection), "close_publicity", date(2025, 10, 9))
    assert set(failures) == {"publicity_elapsed", "objections_resolved"}


# ---------------------------------------------------------------------------------- votes


def vote(entitled, present, in_favour, against=0, abstained=0, **extra):
    return {"entitled": entitled, "present": present, "in_favour": in_favour,
            "against": against, "abstained": abstained, **extra}


VOTE_TRIGGERS = [("vote", "hold_vote"), ("conversion_vote", "hold_conversion_vote")]


@pytest.mark.parametrize("state, trigger", VOTE_TRIGGERS)
@pytest.mark.parametrize(
    ("entitled", "present", "ok"),
    [(10, 5, False), (10, 6, True), (11, 5, False), (11, 6, True), (1, 1, True), (2, 1, False)],
)
def test_quorum_is_more_than_half_of_those_entitled(make, state, trigger, entitled, present, ok):
    failures = make.failures(make.dossier(state), trigger, date(2025, 6, 20),
                             **vote(entitled, present, present))
    assert ("quorum" not in failures) is ok


@pytest.mark.parametrize("state, trigger", VOTE_TRIGGERS)
@pytest.mark.parametrize(
    ("entitled", "present", "in_favour", "ok"),
    [
        (10, 6, 5, False),  # 5 of 6 present, but not more than half of the 10 entitled
        (10, 6, 6, True),
        (10, 10, 5, False),
        (11, 6, 6, True),
        (11, 11, 5, False),
    ],
)
def test_majority_is_of_those_entitled_not_of_those_present(make, state, trigger, entitled,
                                                            present, in_favour, ok):
    payload = vote(entitled, present, in_favour, against=present - in_favour)
    failures = make.failures(make.dossier(state), trigger, date(2025, 6, 20), **payload)
    assert "quorum" not in failures
    assert "vote_counts" not in failures
    assert ("majority" not in failures) is ok


def ready_to_vote(make):
    """A dossier in `vote` whose 入党志愿书 was issued during the publicity (from 2025-06-02)."""
    return make.dossier("vote", records=[make.record("volunteer_form", date(2025, 6, 5))])


def test_written_opinions_count_in_the_tallies_but_not_the_quorum(make):
    dossier = ready_to_vote(make)
    on = date(2025, 6, 20)
    # Five present and three written opinions: no quorum, although eight took part.
    failures = make.failures(dossier, "hold_vote", on, **vote(10, 5, 7, against=1, written=3))
    assert set(failures) == {"quorum"}
    # Six present and two written: eight votes cast are consistent, and 7 of 10 is a majority.
    assert make.failures(dossier, "hold_vote", on, **vote(10, 6, 7, against=1, written=2)) == {}
    # Without the written opinions eight votes cannot be cast by six members present.
    failures = make.failures(dossier, "hold_vote", on, **vote(10, 6, 7, against=1))
    assert set(failures) == {"vote_counts"}
    # Written opinions in favour make the majority of those entitled.
    failures = make.failures(dossier, "hold_vote", on, **vote(10, 6, 5, written=1))
    assert "majority" in failures
    assert make.failures(dossier, "hold_vote", on, **vote(10, 6, 6, written=1)) == {}


@pytest.mark.parametrize(
    ("payload", "ok"),
    [
        (vote(10, 6, 4, against=1, abstained=1), True),
        (vote(10, 6, 4, against=2, abstained=1), False),  # 7 votes cast by 6 present
        (vote(10, 8, 6, written=2), True),  # 8 + 2 = 10 entitled
        (vote(10, 8, 6, written=3), False),  # 8 + 3 > 10 entitled
        (vote(10, 11, 6), False),  # more present than entitled
        (vote(10, 6, 6, written=0), True),
    ],
)
def test_vote_counts_consistency(make, payload, ok):
    failures = make.failures(ready_to_vote(make), "hold_vote", date(2025, 6, 20), **payload)
    assert ("vote_counts" not in failures) is ok


def test_a_failed_vote_reports_quorum_and_majority_together(make):
    failures = make.failures(ready_to_vote(make), "hold_vote", date(2025, 6, 20),
                             **vote(10, 5, 5))
    assert set(failures) == {"quorum", "majority"}


# ------------------------------------------------------------------------ approval_talk

VOTED = date(2025, 11, 30)


def approval(make, *records):
    return make.dossier("approval", voted_on=VOTED, records=list(records))


def test_approval_talk(make):
    on = date(2025, 12, 15)
    assert set(make.failures(approval(make), "approve", on)) == {"approval_talk"}
    before = make.record("approval_talk", date(2025, 11, 29), by="组织员")
    assert set(make.failures(approval(make, before), "approve", on)) == {"approval_talk"}
    same_day = make.record("approval_talk", VOTED, by="组织员")
    assert make.failures(approval(make, same_day), "approve", on) == {}


# -------------------------------------------------------------------- approval_deadline


def test_approval_deadline_rolls_forward_from_30_november(make):
    # 2025-11-30 + 3 months = "2026-02-30", which does not exist: the period ends 2026-03-01.
    talk = make.record("approval_talk", date(2025, 12, 1), by="组织员")
    assert make.failures(approval(make, talk), "approve", date(2026, 3, 1)) == {}
    assert set(make.failures(approval(make, talk), "approve", date(2026, 3, 2))) == {
        "approval_deadline"
    }


def test_approval_deadline_with_an_extension_reason_is_six_months(make):
    talk = make.record("approval_talk", date(2025, 12, 1), by="组织员")
    reason = make.record("extension_reason", date(2026, 2, 1), reason="外出学习")
    dossier = approval(make, talk, reason)
    assert make.failures(dossier, "approve", date(2026, 3, 2)) == {}
    assert make.failures(dossier, "approve", date(2026, 5, 30)) == {}
    assert set(make.failures(dossier, "approve", date(2026, 5, 31))) == {"approval_deadline"}


def test_an_extension_reason_before_the_vote_does_not_extend(make):
    talk = make.record("approval_talk", date(2025, 12, 1), by="组织员")
    old = make.record("extension_reason", date(2025, 11, 29), reason="旧")
    assert "approval_deadline" in make.failures(approval(make, talk, old), "approve",
                                                date(2026, 3, 2))


def test_approval_deadline_agenda_item(make, rulebook, calendar):
    from states import PROCEDURE

    rule = PROCEDURE.rules()["approval_deadline"]
    deadline = rule.deadline(approval(make), rulebook, calendar)
    assert (deadline.rule, deadline.due) == ("approval_deadline", date(2026, 3, 1))
    assert rule.deadline(make.dossier("probationary"), rulebook, calendar) is None


def test_conversion_approval_deadline_counts_from_the_conversion_vote(make):
    dossier = make.dossier("conversion_approval", voted_on=date(2024, 11, 30),
                           conversion_voted_on=VOTED)
    assert make.failures(dossier, "approve_conversion", date(2026, 3, 1)) == {}
    assert set(make.failures(dossier, "approve_conversion", date(2026, 3, 2))) == {
        "approval_deadline"
    }
    # An extension reason recorded before the conversion vote (say, for the admission)
    # does not extend the conversion approval; one recorded after it does.
    dossier.records.append(make.record("extension_reason", date(2025, 1, 5), reason="旧"))
    assert "approval_deadline" in make.failures(dossier, "approve_conversion", date(2026, 3, 2))
    dossier.records.append(make.record("extension_reason", date(2025, 12, 5), reason="新"))
    assert make.failures(dossier, "approve_conversion", date(2026, 5, 30)) == {}
    assert "approval_deadline" in make.failures(dossier, "approve_conversion", date(2026, 5, 31))
