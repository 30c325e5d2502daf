"""Queries of the holiday tables an administrator loaded (`calendar_years`)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection, func, insert, select, update

from workflow.domain.calendar import YearTable
from workflow.store.tables import calendar_years


class CalendarTables:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def fingerprint(self) -> tuple[int, int]:
        """Changes whenever a table is loaded: (number of tables, latest revision)."""
        count, latest = self.connection.execute(
            select(func.count(), func.coalesce(func.max(calendar_years.c.revision), 0))
        ).one()
        return int(count), int(latest)

    def all(self) -> list[YearTable]:
        rows = self.connection.execute(select(calendar_years).order_by(calendar_years.c.year))
        return [
            YearTable(
                row.year,
                frozenset(date.fromisoformat(d) for d in row.holidays),
                frozenset(date.fromisoformat(d) for d in row.workdays),
                source=row.source,
            )
            for row in rows
        ]

    def save(self, table: YearTable, *, now: datetime) -> int:
        """Add or replace the year's table; returns its revision."""
        revision = self.connection.execute(
            select(func.coalesce(func.max(calendar_years.c.revision), 0) + 1)
        ).scalar_one()
        values = {
            "holidays": sorted(d.isoformat() for d in table.holidays),
            "workdays": sorted(d.isoformat() for d in table.workdays),
            "source": table.source, "revision": revision, "loaded_at": now,
        }
        replaced = self.connection.execute(
            update(calendar_years).where(calendar_years.c.year == table.year).values(**values)
        ).rowcount
        if not replaced:
            self.connection.execute(insert(calendar_years).values(year=table.year, **values))
        return revision
