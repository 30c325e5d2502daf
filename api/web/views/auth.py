"""Signing in and out, and changing one's own password."""

from __future__ import annotations

from flask import g, redirect, render_template, request, url_for

from api.language import in_chinese
from api.runtime import runtime
from api.web import session as web_session
from api.web.blueprint import bp
from workflow.domain.errors import Invalid
from workflow.usecases import accounts


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_path = request.values.get("next", "")
    if request.method == "GET":
        if web_session.signed_in() is not None:
            return redirect(web_session.safe_next(next_path))
        notice = "会话已超时或已失效，请重新登录。" if request.args.get("expired") else None
        return render_template("web/login.html", next=next_path, notice=notice)
    rt = runtime()
    given = request.form.get("login", "")[:200]
    result = accounts.sign_in(uow=rt.uow, env=rt.env, login=given,
                              password=request.form.get("password", "")[:1000],
                              address=request.remote_addr or "unknown")
    if result.ok:
        web_session.open_session(result.actor, result.stamp)
        return redirect(web_session.safe_next(next_path))
    if result.retry_after:
        minutes = int(result.retry_after.total_seconds() // 60)
        error, status = f"登录失败次数过多，请{minutes}分钟后再试。", 429
    else:
        error, status = "登录名或密码不正确。", 401
    return render_template("web/login.html", next=next_path, error=error, login=given), status


@bp.route("/logout", methods=["POST"])
def logout():
    web_session.close_session()
    return redirect(url_for("web.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    if request.method == "GET":
        return render_template("web/password.html")
    form = request.form
    if form.get("new_password", "") != form.get("repeat_password", ""):
        return render_template("web/password.html",
                               errors={"repeat_password": "两次输入的新密码不一致。"}), 422
    try:
        stamp = accounts.change_own_password(uow=runtime().uow, actor=g.actor,
                                             current=form.get("current_password", ""),
                                             new=form.get("new_password", ""))
    except Invalid as invalid:
        return render_template("web/password.html", errors=in_chinese(invalid.fields)), 422
    web_session.restamp(stamp)
    return render_template("web/password.html", done=True)
