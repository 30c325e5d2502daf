"""Rulebook versions: overrides, versions added by date, validation of the numbers."""

from __future__ import annotations

from datetime import date

import pytest

from workflow.domain.rulebook import BUILT_IN, Rulebook, RulebookSet

REVISION = {"id": "2026", "effective_from": "2027-01-01", "title": "修订版",
            "training_hours_min": 32}


def test_the_built_in_numbers_are_those_of_procedure_md():
    rb = BUILT_IN[0]
    assert (rb.min_age_years, rb.talk_deadline_months, rb.contacts_min, rb.contacts_max) == (
        18, 1, 1, 2)
    assert (rb.cultivation_months, rb.evaluation_interval_months, rb.sponsors_required) == (
        12, 6, 2)
    assert (rb.training_hours_min, rb.training_days_min, rb.publicity_working_days) == (24, 3, 5)
    assert (rb.approval_months, rb.approval_extended_months, rb.probation_months) == (3, 6, 12)
    assert (rb.extension_min_months, rb.extension_max_months) == (6, 12)


def test_from_config_with_overrides_and_an_extra_version():
    rulebooks = RulebookSet.from_config({"publicity_working_days": 7}, [REVISION])
    assert [v.id for v in rulebooks.versions] == ["2014", "2026"]

    before = rulebooks.in_force_on(date(2026, 12, 31))
    assert before.id == "2014"
    assert before.publicity_working_days == 7
    assert before.training_hours_min == 24

    on = rulebooks.in_force_on(date(2027, 1, 1))
    assert on.id == "2026"
    assert on.effective_from == date(2027, 1, 1)
    assert on.title == "修订版"
    assert on.training_hours_min == 32
    # The new version starts from the (overridden) version before it.
    assert on.publicity_working_days == 7
    assert rulebooks.in_force_on(date(2030, 6, 1)).id == "2026"


def test_from_config_without_anything_is_the_built_in_set():
    rulebooks = RulebookSet.from_config()
    assert rulebooks.versions == BUILT_IN
    assert rulebooks.in_force_on(date(2025, 1, 1)) == BUILT_IN[0]


def test_adding_a_version_does_not_change_the_old_one():
    plain = RulebookSet.from_config()
    extended = RulebookSet.from_config(extra_versions=[REVISION])
    day = date(2026, 12, 31)
    assert extended.in_force_on(day) == plain.in_force_on(day)
    assert extended.by_id("2014") == plain.by_id("2014")


def test_an_extra_version_may_name_its_base():
    rulebooks = RulebookSet.from_config(extra_versions=[
        {"id": "a", "effective_from": date(2027, 1, 1), "publicity_working_days": 7},
        {"id": "b", "effective_from": "2028-01-01", "base": "2014", "approval_months": 4},
        {"id": "c", "effective_from": "2029-01-01"},
    ])
    b = rulebooks.by_id("b")
    assert b.publicity_working_days == 5  # from 2014, not from "a"
    assert b.approval_months == 4
    assert b.title == "b"  # the id, for want of a title
    c = rulebooks.by_id("c")
    assert (c.publicity_working_days, c.approval_months) == (5, 4)  # the latest before it
    assert [rulebooks.in_force_on(d).id for d in (
        date(2026, 12, 31), date(2027, 1, 1), date(2027, 12, 31), date(2028, 1, 1),
        date(2029, 1, 1),
    )] == ["2014", "a", "a", "b", "c"]


def test_versions_are_ordered_by_their_effective_date():
    later = Rulebook("later", date(2030, 1, 1), "later")
    earlier = Rulebook("earlier", date(2020, 1, 1), "earlier")
    rulebooks = RulebookSet([later, earlier])
    assert [v.id for v in rulebooks.versions] == ["earlier", "later"]
    assert rulebooks.in_force_on(date(2029, 12, 31)).id == "earlier"
    assert rulebooks.in_force_on(date(2030, 1, 1)).id == "later"


@pytest.mark.parametrize(
    "overrides",
    [
        {"publicity_days": 7},  # unknown key
        {"id": "x"},  # not a number of the rulebook
        {"effective_from": date(2020, 1, 1)},
        {"publicity_working_days": -1},
        {"approval_months": -3},
        {"publicity_working_days": "7"},
        {"publicity_working_days": 7.0},
        {"publicity_working_days": True},
    ],
)
def test_bad_overrides_are_refused(overrides):
    with pytest.raises(ValueError):
        RulebookSet.from_config(overrides)
    with pytest.raises(ValueError):
        BUILT_IN[0].with_numbers(overrides)


@pytest.mark.parametrize("extra", [{"publicity_days": 7}, {"approval_months": -1}])
def test_bad_numbers_of_an_extra_version_are_refused(extra):
    with pytest.raises(ValueError):
        RulebookSet.from_config(extra_versions=[{"id": "x", "effective_from": "2027-01-01",
                                                 **extra}])


def test_zero_is_an_allowed_number():
    assert BUILT_IN[0].with_numbers({"talk_deadline_months": 0}).talk_deadline_months == 0


def test_a_set_needs_a_version_and_distinct_ids():
    with pytest.raises(ValueError):
        RulebookSet([])
    with pytest.raises(ValueError, match="duplicate"):
        RulebookSet.from_config(extra_versions=[{"id": "2014", "effective_from": "2027-01-01"}])


def test_numbers_lists_only_the_numbers():
    numbers = BUILT_IN[0].numbers()
    assert numbers["publicity_working_days"] == 5
    assert not {"id", "effective_from", "title"} & set(numbers)


def test_the_environment_judges_each_day_by_the_version_in_force():
    from datetime import UTC, datetime

    from states import PROCEDURE
    from workflow.domain.environment import Environment
    from workflow.domain.machine import engine_for

    rulebooks = RulebookSet.from_config({"publicity_working_days": 7}, [REVISION])
    env = Environment(PROCEDURE, rulebooks,
                      clock=lambda: datetime(2026, 12, 31, 16, 30, tzinfo=UTC))
    assert env.today() == date(2027, 1, 1)  # already 1 January in Shanghai
    assert env.rulebook_on(date(2026, 12, 31)).id == "2014"
    assert env.rulebook_on(env.today()).id == "2026"
    before = env.engine_on(date(2026, 12, 31))
    after = env.engine_on(date(2027, 1, 1))
    assert (before.rulebook.id, after.rulebook.id) == ("2014", "2026")
    assert before.rulebook.publicity_working_days == 7
    assert env.engine_on(date(2026, 6, 1)) is before
    assert after is engine_for(PROCEDURE, rulebooks.by_id("2026"))
