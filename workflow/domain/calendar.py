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
        # Which set of loaded tables this calendar holds (opaque; set by whoever loads them).
        self.loaded_revision: object = None

    def replace_loaded(self, tables: Iterable[YearTable], revision: object = None) -> None:
        """Put a new set of loaded tables over the package's, replacing the previous set.

        One assignment of a new mapping: a thread counting days meanwhile sees either the old
        or the new tables, never a mixture.
        """
        self._tables = {**_PACKAGE_TABLES, **{t.year: t for t in tables}}
        self.loaded_revision = revision

    def table(self, year: int) -> YearTable | None:
        return self._tables.get(year)

    def known_years(self) -> list[int]:
        return sorted(self._tables)

    def is_working_day(self, day: date) -> bool:
        return _is_working_day(self._tables, day)

    def working_days_from(self, start: date, count: int) -> WorkingDaySpan:
        """The span of `count` working days beginning on `start` (counted if it is one)."""
        if count < 1:
            raise ValueError("count must be at least 1")
        tables = self._tables  # one set of tables for the whole count
        day = start
        unofficial: set[int] = set()
        seen = 0
        first: date | None = None
        while True:
            if day.year not in tables:
                unofficial.add(day.year)
            if _is_working_day(tables, day):
                seen += 1
                first = first or day
                if seen == count:
                    return WorkingDaySpan(first, day, tuple(sorted(unofficial)))
            day += timedelta(days=1)

    def working_days_left(self, span_last_day: date, today: date) -> int:
        """Working days from `today` (counted if a working day) up to the span's last day."""
        tables = self._tables
        count = 0
        day = today
        while day <= span_last_day:
            count += _is_working_day(tables, day)
            day += timedelta(days=1)
        return count


def _is_working_day(tables: Mapping[int, YearTable], day: date) -> bool:
    table = tables.get(day.year)
    if table is not None:
        if day in table.holidays:
            return False
        if day in table.workdays:
            return True
    return day.weekday() < 5
