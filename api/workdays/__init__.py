"""The working-day calendar in the app: loaded holiday tables reach every worker at once."""

from __future__ import annotations

import logging
import time

from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError

from api.runtime import runtime
from workflow.usecases import calendars

log = logging.getLogger(__name__)


class _Checked:
    """When this worker last compared its tables with the database's."""

    at: float = float("-inf")


def _sync_calendar() -> None:
    # A table loaded from the command line (any process, any host) reaches every worker
    # without a restart: one small query, at most every CALENDAR_CHECK_SECONDS (0: on every
    # request). The check costs a round trip, which matters on PostgreSQL under load.
    checked: _Checked = current_app.extensions["recruitflow_calendar_checked"]
    now = time.monotonic()
    if now - checked.at < current_app.config["CALENDAR_CHECK_SECONDS"]:
        return
    rt = runtime()
    try:
        calendars.sync(uow=rt.uow, calendar=rt.env.calendar)
    except SQLAlchemyError as error:
        # The tables held stay in use; the request itself reports a database that is down,
        # and one that needs no database (the OpenAPI document) is served regardless.
        log.warning("could not check for new holiday tables: %s", error)
        return
    checked.at = now


def init_app(app: Flask) -> None:
    from api.workdays.cli import calendar_group

    app.config.setdefault("CALENDAR_CHECK_SECONDS", 1.0)
    app.extensions["recruitflow_calendar_checked"] = _Checked()
    app.before_request(_sync_calendar)
    app.cli.add_command(calendar_group)
