"""The blueprint of the staff's interface: every request signed in (but `/login`), every POST
with a valid CSRF token, every error a Chinese page or an inline message — never a traceback."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, g, render_template, request, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from api.language import field_message
from api.runtime import runtime
from api.web import session as web_session
from api.web.nav import nav_for
from api.zh import ROLE
from workflow.domain.errors import DomainError

log = logging.getLogger(__name__)
bp = Blueprint("web", __name__, template_folder="templates")
csrf = CSRFProtect()
# Endpoints open without signing in.
PUBLIC = {"web.login"}


@bp.before_request
def _guard():
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()
    if request.endpoint in PUBLIC:
        return None
    actor = web_session.signed_in()
    if actor is None:
        return web_session.to_login()
    g.actor = actor
    return None


@bp.after_request
def _no_store(response):
    # Pages of personal data are not kept by shared office browsers or proxies.
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


@bp.context_processor
def _layout():
    actor = g.get("actor")
    return {"actor": actor, "role_label": ROLE.get(actor.role, "") if actor else "",
            "nav": nav_for(actor.role) if actor else [], "page_url": page_url,
            "state_label": state_label}


def page_url(endpoint: str, **values) -> str | None:
    """The URL of a page of the interface, or None while no view serves it."""
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **values)


def state_label(name: str) -> str:
    return runtime().env.procedure.state(name).label_zh


REFUSED = "X-Recruitflow-Refused"


def partial_refusal(html: str, status: int):
    """A refusal shown in place by htmx: answered 200 (a browser logs every 4xx answer as a
    console error, though nothing went wrong), the refusal's status in a header of its own."""
    return html, 200, {REFUSED: str(status)}


def error_page(status: int, title: str, message: str):
    """A Chinese error: inline for htmx (its target shows it), a page otherwise."""
    if request.headers.get("HX-Request"):
        return render_template("web/_error.html", title=title, message=message), status
    return render_template("web/error.html", title=title, message=message), status


@bp.errorhandler(CSRFError)
def _csrf(error: CSRFError):
    return error_page(400, "请求已失效",
                      "表单已过期或来源不明（CSRF 校验未通过），请刷新页面后重试。")


@bp.errorhandler(DomainError)
def _domain(error: DomainError):
    from api.errors import STATUS
    status = next((s for cls, s in STATUS.items() if isinstance(error, cls)), 400)
    if status == 404:
        return error_page(404, "未找到", "没有这份档案，或它不在您的管理范围内。")
    return error_page(status, "无法办理", field_message(error.message))


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    if error.code == 404:
        return error_page(404, "未找到", "页面不存在，或不在您的管理范围内。")
    if error.code == 405:
        return error_page(405, "不支持的操作", "此页面不接受这种请求。")
    return error_page(error.code or 400, "请求有误", "请求无法处理，请检查后重试。")


@bp.errorhandler(Exception)
def _unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return http_error(error)
    log.exception("unexpected error on %s %s", request.method, request.path)
    return error_page(500, "系统错误", "处理时发生意外错误，已记录。请稍后重试或联系管理员。")
