"""Default configuration; the instance folder's config.py and the environment override it."""

from __future__ import annotations

import os
from typing import Any, ClassVar

# Environment variables that override a setting, for deployments that configure that way.
ENVIRONMENT = {
    "RECRUITFLOW_DATABASE_URL": "DATABASE_URL",
    "RECRUITFLOW_TIMEZONE": "TIMEZONE",
    "RECRUITFLOW_SECRET_KEY": "SECRET_KEY",
    "RECRUITFLOW_SECURE_COOKIES": "SESSION_COOKIE_SECURE",
}


class Defaults:
    # None: an SQLite file in the instance folder.
    DATABASE_URL: str | None = None
    TIMEZONE = "Asia/Shanghai"
    # Numbers of the built-in rulebook to replace, e.g. {"publicity_working_days": 7}.
    RULEBOOK_OVERRIDES: ClassVar[dict[str, int]] = {}
    # Further rulebook versions: [{"id", "effective_from", "title", "base", **numbers}].
    RULEBOOK_VERSIONS: ClassVar[list[dict[str, Any]]] = []
    # None: the policy of api/security.py.
    CONTENT_SECURITY_POLICY: str | None = None
    # How long an Idempotency-Key whose request died stays reserved (API.md: at most 60).
    IDEMPOTENCY_LEASE_SECONDS = 60
    # How often a worker looks for revoked users (API.md: refused within 2 seconds).
    REVOCATION_CHECK_SECONDS = 1.0
    MAX_CONTENT_LENGTH = 1024 * 1024
    API_TITLE = "recruitflow"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"
    # Swagger UI at /api/docs, from the committed copy (api/static/vendor): no outside network.
    OPENAPI_SWAGGER_UI_PATH = "docs"
    OPENAPI_SWAGGER_UI_URL = "/static/vendor/swagger-ui-dist/"
    # The web interface. SECRET_KEY signs its session cookies (None: a key made once in the
    # instance folder); secure cookies need HTTPS in front of the service.
    SECRET_KEY: str | None = None
    SESSION_COOKIE_NAME = "recruitflow_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_IDLE_MINUTES = 480
    # CSRF tokens are checked by the web blueprint only (the API takes bearer tokens, not
    # cookies) and live as long as the session.
    WTF_CSRF_CHECK_DEFAULT = False
    WTF_CSRF_TIME_LIMIT = None


def from_environment() -> dict[str, str]:
    return {key: os.environ[var] for var, key in ENVIRONMENT.items() if os.environ.get(var)}
