"""Chinese working days: statutory holidays are skipped, make-up working days (调休) count.

Official tables come from the ``chinese-calendar`` package, which knows the years already
announced when it was released, and from tables an administrator loads for later years
(which take precedence). For a year no table covers, the calendar falls back to Monday–Friday
and says so, because a publicity must still get an answer before the State Council announces
the next year's holidays.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import chinese_calendar


@dataclass(frozen=True)
class YearTable:
    """One year's official exceptions to the Monday–Friday week."""

    year: int
    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)
    source: str = "loaded"

    def __post_init__(self) -> None:
        stray = [d for d in (*self.holidays, *self.workdays) if d.year != self.year]
        if stray:
            raise ValueError(f"dates outside {self.year}: {', '.join(map(str, sorted(stray)))}")
        both = self.holidays & self.workdays
        if both:
            days = ", ".join(map(str, sorted(both)))
            raise ValueError(f"dates both holiday and working day: {days}")


def _package_tables() -> dict[int, YearTable]:
    holidays: dict[int, set[date]] = {}
    workdays: dict[int, set[date]] = {}
    for day in chinese_calendar.holidays:
        holidays.setdefault(day.year, set()).add(day)
    for day in chinese_calendar.workdays:
        workdays.setdefault(day.year, set()).add(day)
    # The package lists every weekend day of its years as a holiday too; only the days that
    # differ from Monday–Friday matter here.
    years = set(holidays) | set(workdays)
    return {
        year: YearTable(
            year,
            frozenset(d for d in holidays.get(year, ()) if d.weekday() < 5),
            frozenset(d for d in workdays.get(year, ()) if d.weekday() >= 5),
            source="chinese-calendar",
        )
        for year in years
    }


_PACKAGE_TABLES = _package_tables()


@dataclass(frozen=True)
class WorkingDaySpan:
    """The result of counting working days, with the years for which no table was known."""

    first_day: date
    last_day: date
    unofficial_years: tuple[int, ...] = ()

    @property
    def warning(self) -> str | None:
        if not self.unofficial_years:
            return None
        years = ", ".join(map(str, self.unofficial_years))
        return (
            f"No official holiday table for {years}: Monday to Friday were counted as working "
            "days. An administrator can load the year's table."
        )


class WorkingDayCalendar:
    def __init__(self, tables: Iterable[YearTable] = ()) -> None:
        self._tables: Mapping[int, YearTable] = {**_PACKAGE_TABLES, **{t.year: t for t in tables}}

    def table(self, year: int) -> YearTable | None:
        return self._tables.get(year)

    def known_years(self) -> list[int]:
        return sorted(self._tables)

    def is_working_day(self, day: date) -> bool:
        table = self._tables.get(day.year)
        if table is not None:
            if day in table.holidays:
                return False
            if day in table.workdays:
                return True
        return day.weekday() < 5

    def working_days_from(self, start: date, count: int) -> WorkingDaySpan:
        """The span of `count` working days beginning on `start` (counted if it is one)."""
        if count < 1:
            raise ValueError("count must be at least 1")
        day = start
        unofficial: set[int] = set()
        seen = 0
        first: date | None = None
        while True:
            if day.year not in self._tables:
                unofficial.add(day.year)
            if self.is_working_day(day):
                seen += 1
                first = first or day
                if seen == count:
                    return WorkingDaySpan(first, day, tuple(sorted(unofficial)))
            day += timedelta(days=1)

    def working_days_left(self, span_last_day: date, today: date) -> int:
        """Working days from `today` (counted if a working day) up to the span's last day."""
        count = 0
        day = today
        while day <= span_last_day:
            count += self.is_working_day(day)
            day += timedelta(days=1)
        return count
