"""The application factory."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

from flask import Flask, g, redirect, request, url_for
from flask_smorest import Api

from api import errors, openapi, runtime, security
from api.base import JsonProvider
from api.config import Defaults, from_environment


class RecruitflowApi(Api):
    """flask-smorest with the project's one error shape."""

    ERROR_SCHEMA = errors.ErrorSchema

    def handle_http_exception(self, error):
        return errors.render_http_exception(error)


def default_instance_path() -> str:
    """The instance folder: RECRUITFLOW_INSTANCE_PATH, else ./instance of the working directory
    (the same for a source checkout and an installed copy, unlike Flask's own guess)."""
    return os.environ.get("RECRUITFLOW_INSTANCE_PATH") or str(Path.cwd() / "instance")


def create_app(test_config: dict[str, Any] | None = None, *,
               instance_path: str | None = None) -> Flask:
    instance = Path(instance_path or default_instance_path()).resolve()
    app = Flask(__name__, instance_path=str(instance), instance_relative_config=True)
    app.config.from_object(Defaults)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.update(from_environment())
    else:
        app.config.from_mapping(test_config)
    # Owner-only: the SQLite file in it holds ID numbers and token hashes.
    instance.mkdir(mode=0o700, parents=True, exist_ok=True)
    app.json = JsonProvider(app)
    app.json.sort_keys = False
    # Chinese is sent as UTF-8, never escaped (API.md, Languages).
    app.json.ensure_ascii = False

    runtime.init_app(app)
    api = RecruitflowApi(app)
    openapi.init_spec(api.spec, errors.ErrorSchema)
    errors.init_app(app)
    security.init_app(app)

    from api.admin.views import blp as admin
    from api.agenda.views import blp as agenda
    from api.applicants.views import blp as applicants
    from api.audit.views import blp as audit
    from api.documents.views import blp as documents
    from api.feeds.views import blp as calendar_feed
    from api.feeds.views import public as calendar
    from api.imports.views import blp as imports
    from api.machine.views import blp as machine
    from api.me.views import blp as me
    from api.members.views import blp as members
    from api.organizations.views import blp as organizations
    from api.pages.views import blp as pages
    from api.publicity.views import blp as publicity
    from api.rosters.views import blp as rosters
    from api.stats.views import blp as stats

    for blueprint in (applicants, admin, publicity, machine, agenda, calendar_feed, calendar,
                      organizations, stats, audit, me, members, documents, rosters,
                      imports):
        api.register_blueprint(blueprint)
    # HTML for the public: not part of the API's OpenAPI document.
    app.register_blueprint(pages)

    @app.get("/favicon.ico")
    def _favicon():
        # Browsers ask for it on any page that links none (Swagger UI, a JSON answer).
        return redirect(url_for("static", filename="web/favicon.svg"), 301)

    @app.before_request
    def _request_id() -> None:
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if 0 < len(given) <= 64 and given.isprintable() else uuid.uuid4().hex

    @app.after_request
    def _echo_request_id(response):
        if "request_id" in g:
            response.headers["X-Request-ID"] = g.request_id
        return response

    from api import cli, web, workdays

    web.init_app(app)
    cli.init_app(app)
    workdays.init_app(app)
    return app
