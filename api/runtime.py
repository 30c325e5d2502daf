"""What a running app holds: the database engine, the unit of work, the domain environment.

Built once per app (so once per worker process), never per request.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import Engine

import states
from workflow.domain.calendar import WorkingDayCalendar
from workflow.domain.environment import Environment
from workflow.domain.rulebook import RulebookSet
from workflow.store.database import make_engine, sqlite_url
from workflow.store.uow import UnitOfWork


@dataclass(frozen=True)
class Runtime:
    engine: Engine
    uow: UnitOfWork
    env: Environment


def init_app(app: Flask) -> Runtime:
    url = app.config["DATABASE_URL"] or sqlite_url(app.instance_path)
    engine = make_engine(url)
    rulebooks = RulebookSet.from_config(app.config["RULEBOOK_OVERRIDES"],
                                        app.config["RULEBOOK_VERSIONS"])
    options = {"clock": app.config["CLOCK"]} if app.config.get("CLOCK") else {}
    env = Environment(states.PROCEDURE, rulebooks, WorkingDayCalendar(),
                      app.config["TIMEZONE"], **options)
    runtime = Runtime(engine, UnitOfWork(engine), env)
    app.extensions["recruitflow"] = runtime
    return runtime


def runtime() -> Runtime:
    return current_app.extensions["recruitflow"]
