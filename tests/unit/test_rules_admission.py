"""The rules up to the development target, each at its boundary: the day before and the day."""

from __future__ import annotations

from datetime import date

import pytest

from workflow.domain.errors import GuardFailed

# ---------------------------------------------------------------------------------- min_age


@pytest.mark.parametrize(
    ("birth", "applied", "ok"),
    [
        (date(2008, 2, 29), date(2026, 2, 28), False),
        (date(2008, 2, 29), date(2026, 3, 1), True),
        (date(2007, 9, 10), date(2025, 9, 9), False),
        (date(2007, 9, 10), date(2025, 9, 10), True),  # the 18th birthday itself counts
    ],
)
def test_min_age(make, birth, applied, ok):
    dossier = make.dossier(birth_date=birth, applied_on=applied)
    facts = make.facts(dossier, applied)
    if ok:
        make.engine.check_creation(facts)
        return
    with pytest.raises(GuardFailed) as raised:
        make.engine.check_creation(facts)
    assert [f.rule for f in raised.value.failures] == ["min_age"]


def test_min_age_names_the_day_of_majority(make):
    dossier = make.dossier(birth_date=date(2008, 2, 29), applied_on=date(2026, 2, 1))
    with pytest.raises(GuardFailed) as raised:
        make.engine.check_creation(make.facts(dossier, date(2026, 2, 1)))
    assert raised.value.failures[0].earliest_date == date(2026, 3, 1)


def test_min_age_is_judged_on_the_application_date_not_the_act_date(make):
    # Applied one day too young: being 18 when the dossier is entered does not help.
    dossier = make.dossier(birth_date=date(2007, 9, 10), applied_on=date(2025, 9, 9))
    with pytest.raises(GuardFailed):
        make.engine.check_creation(make.facts(dossier, date(2025, 10, 1)))


# ------------------------------------------------------------------ designate_activist rules


def applicant(make, *, talk=True, recommendation=True, contacts=(1,)):
    on = date(2023, 9, 20)
    records = []
    if talk:
        records.append(make.record("talk", on, by="支部书记"))
    if recommendation:
        records.append(make.record("recommendation", on, method="mass_organization"))
    records += [make.record("contact", on, member_id=m) for m in contacts]
    return make.dossier("applicant", records=records)


ON = date(2023, 10, 1)


def test_designate_activist_passes_with_everything_recorded(make):
    assert make.failures(applicant(make), "designate_activist", ON) == {}


def test_talk_done(make):
    assert set(make.failures(applicant(make, talk=False), "designate_activist", ON)) == {
        "talk_done"
    }


def test_recommended(make):
    assert set(make.failures(applicant(make, recommendation=False), "designate_activist",
                             ON)) == {"recommended"}


@pytest.mark.parametrize("method", ["party_members", "mass_organization"])
def test_recommended_by_either_method(make, method):
    dossier = make.dossier("applicant", records=[
        make.record("talk", ON, by="x"),
        make.record("recommendation", ON, method=method),
        make.record("contact", ON, member_id=1),
    ])
    assert make.failures(dossier, "designate_activist", ON) == {}


@pytest.mark.parametrize(
    ("contacts", "ok"),
    [((), False), ((1,), True), ((1, 2), True), ((1, 2, 3), False)],
)
def test_contacts_one_or_two(make, contacts, ok):
    failures = make.failures(applicant(make, contacts=contacts), "designate_activist", ON)
    assert ("contacts" not in failures) is ok


def test_contacts_the_same_member_twice_is_one_contact(make):
    # Three records naming two distinct members: two contacts, within 1 to 2.
    failures = make.failures(applicant(make, contacts=(1, 2, 1)), "designate_activist", ON)
    assert "contacts" not in failures


def test_a_probationary_member_cannot_be_a_contact(make):
    failures = make.failures(applicant(make, contacts=(1, make.PROBATIONARY)),
                             "designate_activist", ON)
    assert set(failures) == {"contacts"}
    assert "陈晨" in failures["contacts"].message_en
    assert "陈晨" in failures["contacts"].message_zh


# ---------------------------------------------------------------- designate_candidate rules

ACTIVIST_ON = date(2024, 2, 29)


def activist(make, *, activist_on=ACTIVIST_ON, evaluations=(), sponsors=(1, 2),
             filing="activist"):
    records = [make.record("evaluation", d, summary="良好") for d in evaluations]
    records += [make.record("sponsor", activist_on, member_id=m) for m in sponsors]
    if filing:
        records.append(make.record("filing", activist_on, stage=filing))
    # The committee's acknowledgement of the development target (Art. 13).
    records.append(make.record("filing", activist_on, stage="candidate"))
    return make.dossier("activist", records=records, activist_on=activist_on)


# Evaluations that satisfy the rule on 2025-03-01 (12 full months: two are required).
GOOD_EVALUATIONS = (date(2024, 8, 29), date(2025, 2, 20))


def test_designate_candidate_passes_with_everything_recorded(make):
    dossier = activist(make, evaluations=GOOD_EVALUATIONS)
    assert make.failures(dossier, "designate_candidate", date(2025, 3, 1)) == {}


def test_cultivation_period_29_february_rolls_to_1_march(make):
    dossier = activist(make, evaluations=GOOD_EVALUATIONS)
    failures = make.failures(dossier, "designate_candidate", date(2025, 2, 28))
    assert set(failures) == {"cultivation_period"}
    assert failures["cultivation_period"].earliest_date == date(2025, 3, 1)
    assert "cultivation_period" not in make.failures(dossier, "designate_candidate",
                                                     date(2025, 3, 1))


def test_cultivation_period_ordinary_date(make):
    dossier = activist(make, activist_on=date(2024, 5, 10),
                       evaluations=(date(2024, 11, 1), date(2025, 5, 1)))
    failures = make.failures(dossier, "designate_candidate", date(2025, 5, 9))
    assert failures["cultivation_period"].earliest_date == date(2025, 5, 10)
    assert make.failures(dossier, "designate_candidate", date(2025, 5, 10)) == {}


@pytest.mark.parametrize(
    ("on", "evaluations", "ok"),
    [
        # Less than six full months: no evaluation is required yet.
        (date(2024, 8, 28), (), True),
        # Six full months (2024-02-29 + 6 months = 2024-08-29): one is required.
        (date(2024, 8, 29), (), False),
        (date(2024, 8, 29), (date(2024, 8, 29),), True),
        # Twelve full months on 2025-03-01: two are required.
        (date(2025, 2, 28), (date(2024, 8, 29),), True),
        (date(2025, 3, 1), (date(2024, 8, 29),), False),
        (date(2025, 3, 1), GOOD_EVALUATIONS, True),
        # Eighteen full months on 2025-08-29 (2024-02-29 + 18 months): three are required.
        (date(2025, 8, 28), (date(2024, 8, 29), date(2025, 2, 28)), True),
        (date(2025, 8, 29), (date(2024, 8, 29), date(2025, 2, 28)), False),
        (date(2025, 8, 29), (date(2024, 8, 29), date(2025, 2, 28), date(2025, 8, 29)), True),
    ],
)
def test_evaluations_count_is_one_per_full_half_year(make, on, evaluations, ok):
    dossier = activist(make, evaluations=evaluations)
    failures = make.failures(dossier, "designate_candidate", on)
    assert ("evaluations" not in failures) is ok


def test_evaluations_the_latest_is_no_more_than_six_months_old(make):
    # Two evaluations early on satisfy the count, but the latest must stay fresh.
    dossier = activist(make, evaluations=(date(2024, 4, 1), date(2024, 9, 5)))
    assert "evaluations" not in make.failures(dossier, "designate_candidate", date(2025, 3, 5))
    failures = make.failures(dossier, "designate_candidate", date(2025, 3, 6))
    assert set(failures) == {"evaluations"}
    assert "2024-09-05" in failures["evaluations"].message_en


def test_evaluations_before_the_activist_date_do_not_count(make):
    dossier = activist(make, evaluations=(date(2024, 2, 1), date(2025, 2, 20)))
    assert "evaluations" in make.failures(dossier, "designate_candidate", date(2025, 3, 1))


@pytest.mark.parametrize(
    ("sponsors", "ok"),
    [((), False), ((1,), False), ((1, 2), True), ((1, 2, 3), False)],
)
def test_sponsors_exactly_two(make, sponsors, ok):
    dossier = activist(make, evaluations=GOOD_EVALUATIONS, sponsors=sponsors)
    failures = make.failures(dossier, "designate_candidate", date(2025, 3, 1))
    assert ("sponsors" not in failures) is ok


def test_sponsors_named_twice_count_once(make):
    dossier = activist(make, evaluations=GOOD_EVALUATIONS, sponsors=(1, 1))
    assert "sponsors" in make.failures(dossier, "designate_candidate", date(2025, 3, 1))


def test_a_sponsor_must_be_a_full_member(make):
    dossier = activist(make, evaluations=GOOD_EVALUATIONS, sponsors=(1, make.PROBATIONARY))
    failures = make.failures(dossier, "designate_candidate", date(2025, 3, 1))
    assert set(failures) == {"sponsors"}
    assert "陈晨" in failures["sponsors"].message_en


@pytest.mark.parametrize(
    ("filing", "ok"),
    [(None, False), ("candidate", False), ("admission", False), ("activist", True)],
)
def test_filed_needs_the_activist_filing(make, filing, ok):
    dossier = activist(make, evaluations=GOOD_EVALUATIONS, filing=filing)
    failures = make.failures(dossier, "designate_candidate", date(2025, 3, 1))
    assert ("filed" not in failures) is ok


# -------------------------------------------------------------------------- training_hours


@pytest.mark.parametrize(
    ("payload", "ok"),
    [
        ({"hours": 23, "passed": True}, False),
        ({"hours": 24, "passed": True}, True),
        ({"days": 2, "passed": True}, False),
        ({"days": 3, "passed": True}, True),
        ({"hours": 23, "days": 2, "passed": True}, False),
        ({"hours": 0, "days": 3, "passed": True}, True),
        ({"hours": 40, "days": 5, "passed": False}, False),
        ({"hours": 40}, False),  # not stated as passed
        ({"passed": True}, False),
    ],
)
def test_training_hours(make, payload, ok):
    dossier = make.dossier("training")
    failures = make.failures(dossier, "complete_training", date(2025, 4, 1), **payload)
    assert ("training_hours" not in failures) is ok


# ------------------------------------------------------------------------- branch_reviewed


def test_branch_reviewed(make):
    on = date(2025, 5, 20)
    assert set(make.failures(make.dossier("pre_review"), "start_publicity", on)) == {
        "branch_reviewed"
    }
    reviewed = make.dossier("pre_review", records=[
        make.record("branch_review", date(2025, 5, 10), summary="同意"),
    ])
    assert make.failures(reviewed, "start_publicity", on) == {}


def test_a_branch_review_of_an_earlier_candidacy_does_not_count(make):
    # Candidate since 2025-03-10: a review dated before (a previous candidacy) is stale.
    dossier = make.dossier("pre_review", candidate_on=date(2025, 3, 10), records=[
        make.record("branch_review", date(2025, 3, 9), summary="旧"),
    ])
    assert "branch_reviewed" in make.failures(dossier, "start_publicity", date(2025, 5, 20))
    dossier.records.append(make.record("branch_review", date(2025, 3, 10), summary="新"))
    assert make.failures(dossier, "start_publicity", date(2025, 5, 20)) == {}


# ------------------------------------------------------------- pass_political_review


@pytest.mark.parametrize(("conclusion", "ok"),
                         [(None, False), ("", False), ("  ", False), ("政治审查合格", True)])
def test_political_review_needs_its_written_conclusion(make, conclusion, ok):
    payload = {} if conclusion is None else {"conclusion": conclusion}
    failures = make.failures(make.dossier("political_review"), "pass_political_review",
                             date(2025, 5, 1), **payload)
    assert (failures == {}) is ok
    if not ok:
        assert set(failures) == {"review_conclusion"}
        assert "政治审查结论" in failures["review_conclusion"].message_zh
