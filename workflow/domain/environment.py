"""What the service layer needs besides the database: the procedure, the rulebooks in force,
the working-day calendar and the service's timezone (which decides what "today" is)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from workflow.domain.calendar import WorkingDayCalendar
from workflow.domain.dates import today_in
from workflow.domain.machine import Engine, engine_for
from workflow.domain.procedure import Procedure
from workflow.domain.rulebook import Rulebook, RulebookSet


def _utc_now() -> datetime:
    return datetime.now(tz=UTC)


@dataclass(frozen=True)
class Environment:
    procedure: Procedure
    rulebooks: RulebookSet
    calendar: WorkingDayCalendar = field(default_factory=WorkingDayCalendar)
    timezone: str = "Asia/Shanghai"
    # Injected so that tests can stand on any day; production reads the system clock.
    clock: Callable[[], datetime] = _utc_now

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return today_in(self.timezone, self.clock())

    def rulebook_on(self, day: date) -> Rulebook:
        return self.rulebooks.in_force_on(day)

    def engine_on(self, day: date) -> Engine:
        return engine_for(self.procedure, self.rulebooks.in_force_on(day))
