"""Security headers on every answer, pages and API alike (docs/SECURITY.md).

The Content-Security-Policy is written here and nowhere else: scripts from the service's own
files only (`/static/...`: htmx, ECharts, Swagger UI and the pages' own scripts — no inline
script, handler or `javascript:` link, never a file from another site); styles from its own
files and inline (the publicity page's `<style>`, the style attributes that charting and htmx
set); images from itself and `data:` URLs; no framing.
An installation may replace it with `CONTENT_SECURITY_POLICY` in `instance/config.py`.
"""

from __future__ import annotations

from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    # Even Swagger UI's set-up is a file (api/templates/swagger_ui.html replaces
    # flask-smorest's page): an injected script has nowhere to run from.
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))


def headers(policy: str) -> dict[str, str]:
    return {
        # A browser never guesses a type: an uploaded text is never run as a script.
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": policy,
        # Dossier URLs carry ids: other sites are told the origin at most.
        "Referrer-Policy": "strict-origin-when-cross-origin",
        # For browsers that predate frame-ancestors: no page of the service in a frame.
        "X-Frame-Options": "DENY",
    }


def init_app(app: Flask) -> None:
    fixed = headers(app.config.get("CONTENT_SECURITY_POLICY") or CONTENT_SECURITY_POLICY)

    @app.after_request
    def _security_headers(response: Response) -> Response:
        for name, value in fixed.items():
            response.headers.setdefault(name, value)
        return response
