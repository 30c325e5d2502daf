"""Working days across statutory holidays, make-up days and years without a table."""

from __future__ import annotations

from datetime import date

import pytest

from workflow.domain.calendar import WorkingDayCalendar, YearTable
from workflow.domain.errors import Invalid
from workflow.usecases.calendars import parse_table

CALENDAR = WorkingDayCalendar()
# The first year the installed chinese-calendar does not know: an unannounced year.
UNKNOWN = max(CALENDAR.known_years()) + 1


def test_national_day_2025_counts_the_make_up_sunday():
    # PROCEDURE.md's example: 09-26, 09-28 (Sunday worked), 09-29, 09-30, then 10-09.
    span = CALENDAR.working_days_from(date(2025, 9, 26), 5)
    assert (span.first_day, span.last_day) == (date(2025, 9, 26), date(2025, 10, 9))
    assert span.warning is None
    assert CALENDAR.is_working_day(date(2025, 9, 28))
    assert not CALENDAR.is_working_day(date(2025, 10, 8))


def test_spring_festival_2025_skips_the_holiday_and_counts_make_up_days():
    # 01-24 Fri, 01-26 Sun (调休), 01-27 Mon, holiday 01-28..02-04, 02-05 Wed, 02-06 Thu.
    span = CALENDAR.working_days_from(date(2025, 1, 24), 5)
    assert span.last_day == date(2025, 2, 6)
    # Saturday 02-08 is a make-up working day too; a publicity from 02-07 counts it.
    assert CALENDAR.working_days_from(date(2025, 2, 7), 2).last_day == date(2025, 2, 8)


def test_a_start_on_a_holiday_begins_on_the_next_working_day():
    span = CALENDAR.working_days_from(date(2025, 10, 1), 1)
    assert span.first_day == span.last_day == date(2025, 10, 9)


def test_working_days_left_counts_today_and_the_last_day():
    last = date(2025, 10, 9)
    assert CALENDAR.working_days_left(last, date(2025, 9, 30)) == 2
    assert CALENDAR.working_days_left(last, date(2025, 10, 9)) == 1
    assert CALENDAR.working_days_left(last, date(2025, 10, 10)) == 0


def test_an_unknown_year_falls_back_to_monday_to_friday_with_a_warning():
    start = date(UNKNOWN - 1, 12, 28)
    span = CALENDAR.working_days_from(start, 10)
    assert span.unofficial_years == (UNKNOWN,)
    assert str(UNKNOWN) in span.warning
    # Within the unknown year, only weekends are skipped (New Year's Day is not known).
    assert CALENDAR.is_working_day(date(UNKNOWN, 1, 1)) == (date(UNKNOWN, 1, 1).weekday() < 5)
    monday = next(date(UNKNOWN, 3, d) for d in range(1, 8) if date(UNKNOWN, 3, d).weekday() == 0)
    inside = CALENDAR.working_days_from(monday, 6)
    assert inside.unofficial_years == (UNKNOWN,)
    # Six working days from a Monday: the weekend is skipped, the next Monday is the sixth.
    assert inside.last_day == date(UNKNOWN, 3, monday.day + 7)


def test_a_loaded_table_removes_the_warning_and_changes_the_count():
    calendar = WorkingDayCalendar()
    monday = next(date(UNKNOWN, 10, d) for d in range(1, 8) if date(UNKNOWN, 10, d).weekday() == 0)
    saturday = date(UNKNOWN, 10, monday.day + 12)
    assert saturday.weekday() == 5
    before = calendar.working_days_from(monday, 5)
    assert before.last_day == date(UNKNOWN, 10, monday.day + 4) and before.warning
    calendar.replace_loaded([YearTable(UNKNOWN, frozenset({monday}), frozenset({saturday}))], 1)
    after = calendar.working_days_from(monday, 5)
    assert after.warning is None
    assert after.first_day == date(UNKNOWN, 10, monday.day + 1)
    assert after.last_day == date(UNKNOWN, 10, monday.day + 7)
    assert calendar.is_working_day(saturday)
    # Replacing the set drops what is not in the new one.
    calendar.replace_loaded([], 2)
    assert calendar.working_days_from(monday, 5) == before


TABLE = """
year = 2027
source = "国务院办公厅通知（测试）"
holidays = [2027-01-01, [2027-02-06, 2027-02-12], "2027-10-01"]
workdays = [2027-02-14]
"""


def test_parse_a_table_file_with_ranges():
    table = parse_table(TABLE)
    assert table.year == 2027 and table.source == "国务院办公厅通知（测试）"
    assert len(table.holidays) == 9
    assert date(2027, 2, 9) in table.holidays
    assert table.workdays == {date(2027, 2, 14)}


@pytest.mark.parametrize(("text", "field"), [
    ("year = ", "file"),
    ("holidays = [2027-01-01]", "year"),
    ("year = 2027\nholidays = [2026-12-31]", "file"),
    ("year = 2027\nholidays = [2027-01-02]\nworkdays = [2027-01-02]", "file"),
    ("year = 2027\nholidays = [[2027-02-12, 2027-02-06]]", "holidays"),
    ("year = 2027\nworkdays = [\"Feb 14\"]", "workdays"),
    ("year = 2027\nworkdays = 2027-02-14", "workdays"),
    ("year = 2027\nmakeup = []", "file"),
])
def test_a_bad_table_file_is_refused_with_the_reason(text, field):
    with pytest.raises(Invalid) as refused:
        parse_table(text)
    assert field in refused.value.fields
