"""Official holiday tables: the file format, loading one, and keeping every process current.

A table file is TOML (read with the standard library), one year per file::

    year = 2027
    source = "国务院办公厅关于2027年部分节假日安排的通知"
    holidays = [
      2027-01-01,
      [2027-02-06, 2027-02-13],   # a range, both ends included
    ]
    workdays = [2027-02-14]       # make-up working days (调休)

`holidays` are days off (weekends inside a holiday may be listed or not); `workdays` are
days worked although they fall on a weekend. A loaded table replaces that year's table of the
chinese-calendar package. Tables live in the database; each worker process compares one
fingerprint per request (`sync`) and reloads them when it changed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from workflow.domain.actors import Actor
from workflow.domain.calendar import WorkingDayCalendar, YearTable
from workflow.domain.environment import Environment
from workflow.domain.errors import Forbidden, Invalid, Message
from workflow.domain.roles import Role
from workflow.store.calendars import CalendarTables
from workflow.store.uow import UnitOfWork

# A range longer than this is a typo (the longest statutory holiday is a week or so).
LONGEST_RANGE_DAYS = 31


def parse_table(text: str, *, default_source: str = "loaded") -> YearTable:
    """A YearTable from the TOML text of a table file, or Invalid naming what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise Invalid({"file": Message(f"not valid TOML: {error}",
                                        f"不是有效的 TOML：{error}")}) from error
    unknown = set(data) - {"year", "source", "holidays", "workdays"}
    if unknown:
        keys = ", ".join(sorted(unknown))
        raise Invalid({"file": Message(f"unknown keys: {keys}", f"未知的键：{keys}")})
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1949 <= year <= 2200:
        raise Invalid({"year": Message("required: the year the table is for, e.g. year = 2027",
                                        "必填：该表所属的年份，例如 year = 2027")})
    source = data.get("source", default_source)
    if not isinstance(source, str) or not source.strip() or len(source) > 400:
        raise Invalid({"source": Message("a text of up to 400 characters", "不超过400字的文字")})
    days = {key: _days(key, data.get(key, [])) for key in ("holidays", "workdays")}
    try:
        return YearTable(year, frozenset(days["holidays"]), frozenset(days["workdays"]),
                         source=source.strip())
    except ValueError as error:
        raise Invalid({"file": Message(str(error), f"节假日表有误：{error}")}) from error


def _days(key: str, entries: Any) -> set[date]:
    if not isinstance(entries, list):
        raise Invalid({key: Message("a list of dates and [first, last] ranges",
                                     "应为日期及 [起, 止] 区间的列表")})
    days: set[date] = set()
    for entry in entries:
        if isinstance(entry, list) and len(entry) == 2:
            first, last = (_day(key, e) for e in entry)
            if not 0 <= (last - first).days <= LONGEST_RANGE_DAYS:
                raise Invalid({key: Message(
                    f"range {first}..{last} is reversed or longer than {LONGEST_RANGE_DAYS} days",
                    f"区间{first}至{last}颠倒或超过{LONGEST_RANGE_DAYS}天")})
            days.update(first + timedelta(days=n) for n in range((last - first).days + 1))
        else:
            days.add(_day(key, entry))
    return days


def _day(key: str, value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise Invalid({key: Message(f"{value!r} is not a date (YYYY-MM-DD) or a [first, last] range",
                                 f"{value!r}不是日期（YYYY-MM-DD）或 [起, 止] 区间")})


def load_table(*, uow: UnitOfWork, env: Environment, table: YearTable) -> int:
    """Store a year's table (replacing a loaded one) and use it at once; returns its revision."""
    with uow.transaction(write=True) as tx:
        revision = CalendarTables(tx.repo.connection).save(table, now=env.now())
        tx.commit()
    sync(uow=uow, calendar=env.calendar)
    return revision


def sync(*, uow: UnitOfWork, calendar: WorkingDayCalendar) -> bool:
    """Reload the loaded tables if another process changed them; True if it did.

    One small query when nothing changed, so it can run on every request.
    """
    with uow.transaction() as tx:
        store = CalendarTables(tx.repo.connection)
        fingerprint = store.fingerprint()
        if fingerprint == calendar.loaded_revision:
            return False
        tables = store.all()
    calendar.replace_loaded(tables, fingerprint)
    return True


@dataclass(frozen=True)
class YearView:
    """What `calendar show` prints: the year's exceptions and where they come from."""

    year: int
    table: YearTable | None

    @property
    def warning(self) -> str | None:
        if self.table is not None:
            return None
        return (f"No official holiday table for {self.year}: Monday to Friday count as "
                "working days until an administrator loads the year's table.")


def show_year(*, uow: UnitOfWork, env: Environment, year: int) -> YearView:
    sync(uow=uow, calendar=env.calendar)
    return YearView(year, env.calendar.table(year))


def load_table_as(*, uow: UnitOfWork, env: Environment, actor: Actor, table: YearTable) -> int:
    """`load_table` for a user: the holiday tables count for every organisation, so only an
    administrator of the whole tree loads one (the command line is such an administrator)."""
    if actor.role != Role.ADMIN or actor.organization_path != "/":
        raise Forbidden(Message("only an administrator of the whole tree loads holiday tables",
                                "只有全组织树的管理员可以载入节假日安排"))
    return load_table(uow=uow, env=env, table=table)
