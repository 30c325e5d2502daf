"""Calendar arithmetic: one roll-forward convention for every period of months or years."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from workflow.domain.dates import add_months, add_years, age_on, full_months_between, today_in


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        # The day exists in the target month: same day of the month.
        (date(2025, 1, 15), 1, date(2025, 2, 15)),
        (date(2024, 1, 29), 1, date(2024, 2, 29)),
        (date(2025, 11, 30), 1, date(2025, 12, 30)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2025, 6, 20), 12, date(2026, 6, 20)),
        (date(2025, 3, 31), 0, date(2025, 3, 31)),
        # The day does not exist: roll forward to the 1st of the following month.
        (date(2025, 1, 31), 1, date(2025, 3, 1)),
        (date(2024, 1, 31), 1, date(2024, 3, 1)),  # 2024-02-31 does not exist either
        (date(2024, 1, 30), 1, date(2024, 3, 1)),
        (date(2025, 1, 29), 1, date(2025, 3, 1)),
        (date(2025, 10, 31), 1, date(2025, 12, 1)),
        (date(2025, 11, 30), 3, date(2026, 3, 1)),  # across the year end into February
        (date(2025, 12, 31), 2, date(2026, 3, 1)),
        (date(2024, 2, 29), 12, date(2025, 3, 1)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 8, 31), 6, date(2026, 3, 1)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (date(2024, 2, 29), 1, date(2025, 3, 1)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2008, 2, 29), 18, date(2026, 3, 1)),
        (date(2000, 5, 10), 18, date(2018, 5, 10)),
        (date(2025, 12, 31), 1, date(2026, 12, 31)),
    ],
)
def test_add_years(start, years, expected):
    assert add_years(start, years) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2025, 1, 15), date(2025, 1, 15), 0),
        (date(2025, 1, 15), date(2025, 2, 14), 0),
        (date(2025, 1, 15), date(2025, 2, 15), 1),
        (date(2024, 1, 31), date(2024, 2, 29), 0),  # 2024-01-31 + 1 month = 2024-03-01
        (date(2024, 1, 31), date(2024, 3, 1), 1),
        (date(2024, 1, 31), date(2024, 3, 30), 1),
        (date(2024, 1, 31), date(2024, 3, 31), 2),
        (date(2024, 2, 29), date(2025, 2, 28), 11),
        (date(2024, 2, 29), date(2025, 3, 1), 12),
        (date(2024, 3, 1), date(2024, 8, 31), 5),
        (date(2024, 3, 1), date(2024, 9, 1), 6),
        (date(2025, 6, 1), date(2025, 5, 1), 0),  # an end before the start
    ],
)
def test_full_months_between(start, end, expected):
    assert full_months_between(start, end) == expected


def test_full_months_between_agrees_with_add_months():
    # The largest n with start + n months <= end, for every start and end over two years.
    starts = [date(2024, 1, d) for d in (1, 28, 29, 30, 31)] + [date(2024, 2, 29)]
    for start in starts:
        for offset in range(0, 800, 7):
            end = date.fromordinal(start.toordinal() + offset)
            n = full_months_between(start, end)
            assert add_months(start, n) <= end < add_months(start, n + 1), (start, end, n)


@pytest.mark.parametrize(
    ("birth", "on", "expected"),
    [
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        (date(2000, 5, 10), date(2018, 5, 9), 17),
        (date(2000, 5, 10), date(2018, 5, 10), 18),  # the birthday itself counts
        (date(2000, 5, 10), date(2000, 5, 10), 0),
        (date(2000, 12, 31), date(2019, 1, 1), 18),
    ],
)
def test_age_on(birth, on, expected):
    assert age_on(birth, on) == expected


def test_today_in_uses_the_service_timezone():
    # 16:00 UTC is midnight in Shanghai: the date there is already the next day.
    assert today_in("Asia/Shanghai", datetime(2025, 12, 31, 15, 59, tzinfo=UTC)) == date(
        2025, 12, 31
    )
    assert today_in("Asia/Shanghai", datetime(2025, 12, 31, 16, 0, tzinfo=UTC)) == date(2026, 1, 1)
    assert today_in("UTC", datetime(2025, 12, 31, 16, 0, tzinfo=UTC)) == date(2025, 12, 31)
