"""Chinese working days: holidays skipped, make-up days (调休) counted, unknown years flagged."""

from __future__ import annotations

from datetime import date

import pytest

from workflow.domain.calendar import WorkingDayCalendar, WorkingDaySpan, YearTable


def working_days(cal: WorkingDayCalendar, start: date, end: date) -> list[date]:
    return [
        date.fromordinal(n)
        for n in range(start.toordinal(), end.toordinal() + 1)
        if cal.is_working_day(date.fromordinal(n))
    ]


def test_national_day_2025_example_of_the_rulebook(calendar):
    # PROCEDURE.md: a publicity of 5 working days from Friday 2025-09-26.
    span = calendar.working_days_from(date(2025, 9, 26), 5)
    assert span == WorkingDaySpan(date(2025, 9, 26), date(2025, 10, 9), ())
    assert span.warning is None
    assert working_days(calendar, date(2025, 9, 26), date(2025, 10, 9)) == [
        date(2025, 9, 26), date(2025, 9, 28), date(2025, 9, 29), date(2025, 9, 30),
        date(2025, 10, 9),
    ]


def test_national_day_2025_days():
    cal = WorkingDayCalendar()
    assert not cal.is_working_day(date(2025, 9, 27))  # an ordinary Saturday
    assert cal.is_working_day(date(2025, 9, 28))  # make-up Sunday
    assert not any(cal.is_working_day(date(2025, 10, d)) for d in range(1, 9))
    assert cal.is_working_day(date(2025, 10, 11))  # make-up Saturday


def test_a_start_on_a_day_off_counts_from_the_next_working_day(calendar):
    span = calendar.working_days_from(date(2025, 10, 1), 1)
    assert (span.first_day, span.last_day) == (date(2025, 10, 9), date(2025, 10, 9))
    span = calendar.working_days_from(date(2025, 9, 27), 2)
    assert (span.first_day, span.last_day) == (date(2025, 9, 28), date(2025, 9, 29))


def test_spring_festival_2026(calendar):
    # Holiday 2026-02-15 to 02-23; make-up working Saturdays 02-14 and 02-28.
    assert calendar.is_working_day(date(2026, 2, 14))
    assert not any(calendar.is_working_day(date(2026, 2, d)) for d in range(15, 24))
    assert calendar.is_working_day(date(2026, 2, 24))
    assert calendar.is_working_day(date(2026, 2, 28))
    assert not calendar.is_working_day(date(2026, 3, 1))
    span = calendar.working_days_from(date(2026, 2, 12), 5)
    assert span == WorkingDaySpan(date(2026, 2, 12), date(2026, 2, 25), ())
    assert working_days(calendar, date(2026, 2, 12), date(2026, 2, 25)) == [
        date(2026, 2, 12), date(2026, 2, 13), date(2026, 2, 14), date(2026, 2, 24),
        date(2026, 2, 25),
    ]


def test_a_year_without_a_table_falls_back_to_monday_to_friday(calendar):
    assert 2030 not in calendar.known_years()
    assert calendar.table(2030) is None
    # 2030-01-01 is a Tuesday; without a table New Year's Day counts as a working day.
    span = calendar.working_days_from(date(2030, 1, 1), 5)
    assert span == WorkingDaySpan(date(2030, 1, 1), date(2030, 1, 7), (2030,))
    assert span.warning is not None
    assert "2030" in span.warning
    assert not calendar.is_working_day(date(2030, 1, 5))  # Saturday
    assert calendar.is_working_day(date(2030, 1, 1))


def test_a_span_into_an_unknown_year_names_only_that_year(calendar):
    # 2026 has a table, 2027 has none (in the installed package): 12-30, 12-31, then
    # 2027-01-01 (a Friday, counted for want of a table), 01-04 and 01-05.
    assert 2027 not in calendar.known_years()
    span = calendar.working_days_from(date(2026, 12, 30), 5)
    assert span == WorkingDaySpan(date(2026, 12, 30), date(2027, 1, 5), (2027,))
    assert "2027" in span.warning


def test_a_span_of_known_years_has_no_warning(calendar):
    span = calendar.working_days_from(date(2025, 12, 29), 5)
    assert span.unofficial_years == ()
    assert span.warning is None
    # 2026-01-01 and 01-02 are holidays, Sunday 2026-01-04 a make-up day.
    assert span.last_day == date(2026, 1, 5)


def test_a_loaded_table_is_used_for_an_unknown_year():
    table = YearTable(2030, holidays=frozenset({date(2030, 1, 1)}))
    cal = WorkingDayCalendar([table])
    assert 2030 in cal.known_years()
    assert cal.table(2030) == table
    span = cal.working_days_from(date(2030, 1, 1), 5)
    assert span == WorkingDaySpan(date(2030, 1, 2), date(2030, 1, 8), ())
    assert span.warning is None


def test_a_loaded_make_up_day_counts():
    cal = WorkingDayCalendar([YearTable(2030, workdays=frozenset({date(2030, 1, 5)}))])
    assert cal.is_working_day(date(2030, 1, 5))
    assert not cal.is_working_day(date(2030, 1, 6))


def test_a_loaded_table_overrides_the_package():
    # An (imaginary) table for 2025 without National Day: 10-01 works, 09-28 is a Sunday off.
    cal = WorkingDayCalendar([YearTable(2025)])
    assert cal.is_working_day(date(2025, 10, 1))
    assert not cal.is_working_day(date(2025, 9, 28))
    span = cal.working_days_from(date(2025, 9, 26), 5)
    assert span.last_day == date(2025, 10, 2)
    # The package's calendar itself is untouched.
    assert not WorkingDayCalendar().is_working_day(date(2025, 10, 1))


def test_year_table_refuses_dates_of_another_year():
    with pytest.raises(ValueError, match="outside 2030"):
        YearTable(2030, holidays=frozenset({date(2029, 12, 31)}))
    with pytest.raises(ValueError, match="outside 2030"):
        YearTable(2030, workdays=frozenset({date(2031, 1, 4)}))


def test_year_table_refuses_a_day_both_holiday_and_working_day():
    day = date(2030, 1, 1)
    with pytest.raises(ValueError, match="both"):
        YearTable(2030, holidays=frozenset({day}), workdays=frozenset({day}))


def test_working_days_from_needs_a_positive_count(calendar):
    with pytest.raises(ValueError):
        calendar.working_days_from(date(2025, 9, 26), 0)


def test_working_days_left(calendar):
    last = date(2025, 10, 9)
    assert calendar.working_days_left(last, date(2025, 9, 26)) == 5
    assert calendar.working_days_left(last, date(2025, 9, 27)) == 4  # Saturday, not counted
    assert calendar.working_days_left(last, date(2025, 10, 1)) == 1  # only 10-09 is left
    assert calendar.working_days_left(last, date(2025, 10, 9)) == 1  # the last day counts
    assert calendar.working_days_left(last, date(2025, 10, 10)) == 0
