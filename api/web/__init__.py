"""The staff's web interface (server-rendered, in Chinese): sign-in and the pages of
`api/web/views/`, on the same service layer as the API."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask, request

from api import zh


def _secret_key(instance: str) -> str:
    """The key that signs session cookies: SECRET_KEY if configured, else one made once and
    kept in the instance folder (readable by its owner only), shared by every worker."""
    path = Path(instance) / "secret_key"
    if not path.exists():
        temporary = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
        try:
            os.link(temporary, path)  # atomic: the first worker's key wins
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_text().strip()


def _flag(value: object) -> bool:
    return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")


def _html_errors_outside_the_api(app: Flask) -> None:
    """A browser asking for a page that does not exist (a mistyped /dossiers/abc) gets the
    interface's Chinese page; the API and the calendar feeds keep their JSON answers."""
    from werkzeug.exceptions import HTTPException

    from api.web.blueprint import http_error

    handlers = app.error_handler_spec[None]
    code_handlers = handlers.get(None, {})
    json_handler = code_handlers.get(HTTPException)

    def render(error: HTTPException):
        wants_html = request.accept_mimetypes.accept_html
        if request.path.startswith(("/api/", "/calendar/")) or not wants_html:
            return json_handler(error)
        return http_error(error)

    app.register_error_handler(HTTPException, render)


def init_app(app: Flask) -> None:
    from api.web.blueprint import bp, csrf
    from api.web.views import register

    config = app.config
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _secret_key(app.instance_path)
    config["SESSION_COOKIE_SECURE"] = _flag(config.get("SESSION_COOKIE_SECURE", False))
    config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=config["SESSION_IDLE_MINUTES"])
    csrf.init_app(app)
    register()
    app.register_blueprint(bp)
    _html_errors_outside_the_api(app)
    app.jinja_env.filters.update(zh_date=zh.chinese_date, zh_dates=zh.chinese_dates,
                                 zh_month=zh.chinese_month,
                                 role_zh=lambda role: zh.ROLE.get(role, role),
                                 gender_zh=lambda g: zh.GENDER.get(g, g))
