"""Calendar arithmetic of the rulebook.

One convention for every period: a period of N months ends on the same day of the month N
months later; where that day does not exist (29 Feb in a common year, 31 Apr), it rolls
forward to the first day of the following month (29 Feb + 1 year = 1 Mar), as PROCEDURE.md
states for the cultivation year. Years are twelve months.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from zoneinfo import ZoneInfo


def add_months(start: date, months: int) -> date:
    """`start` plus `months` calendar months, rolling a missing day forward."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    if start.day <= last:
        return date(year, month, start.day)
    # The day does not exist in the target month: the period ends on the next day that does.
    return date(year + (month == 12), month % 12 + 1, 1)


def add_years(start: date, years: int) -> date:
    return add_months(start, 12 * years)


def full_months_between(start: date, end: date) -> int:
    """Whole months elapsed from `start` to `end` under the same convention as add_months."""
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + (end.month - start.month)
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return months


def age_on(birth_date: date, on: date) -> int:
    """Full years of age on a day; the birthday itself counts."""
    return full_months_between(birth_date, on) // 12


def today_in(timezone: str, now: datetime | None = None) -> date:
    """The calendar date in the service's timezone."""
    moment = now or datetime.now(tz=ZoneInfo(timezone))
    return moment.astimezone(ZoneInfo(timezone)).date()


def now_in(timezone: str) -> datetime:
    return datetime.now(tz=ZoneInfo(timezone))
