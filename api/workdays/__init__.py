"""The working-day calendar in the app: loaded holiday tables reach every worker at once."""

from __future__ import annotations

from flask import Flask

from api.runtime import runtime
from workflow import calendars


def _sync_calendar() -> None:
    # One small query per request: a table loaded from the command line (any process, any
    # host) is used by the next request of every worker, without a restart.
    rt = runtime()
    calendars.sync(uow=rt.uow, calendar=rt.env.calendar)


def init_app(app: Flask) -> None:
    from api.workdays.cli import calendar_group

    app.before_request(_sync_calendar)
    app.cli.add_command(calendar_group)
