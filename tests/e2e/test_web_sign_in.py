"""Signing in to the staff's interface: the form, CSRF, failed attempts, the session's life
(idle timeout, ended by a new password or token), sign-out and passwords."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.web import PASSWORD, csrf_of, give_password, page_csrf, sign_in
from workflow.store.tables import users
from workflow.usecases import accounts


def test_unauthenticated_pages_redirect_to_the_login_form(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/")
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page
    assert 'name="login" autocomplete="username"' in page
    assert 'name="password" type="password" autocomplete="current-password"' in page


def test_sign_in_opens_a_session_with_safe_cookie_flags(client, rt, org):
    response = sign_in(client, rt, org, "branch")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    home = client.get("/").get_data(as_text=True)
    assert "工作台" in home and "branch" in home and "退出" in home


@pytest.fixture
def app_config(request):
    return getattr(request, "param", {})


@pytest.mark.parametrize("app_config", [{"SESSION_COOKIE_SECURE": "1"}], indirect=True)
def test_secure_cookies_where_configured(client, rt, org):
    response = sign_in(client, rt, org, "branch")
    assert "Secure" in response.headers["Set-Cookie"]


def test_a_post_without_a_valid_csrf_token_is_refused(client, rt, org):
    give_password(rt, org, "branch")
    client.get("/login")
    refused = client.post("/login", data={"login": "branch", "password": PASSWORD})
    assert refused.status_code == 400 and "CSRF" in refused.get_data(as_text=True)
    forged = client.post("/login", data={"login": "branch", "password": PASSWORD,
                                         "csrf_token": "forged"})
    assert forged.status_code == 400
    assert client.get("/").status_code == 302  # not signed in
    # Signed in, a form of the interface without its token is refused as well.
    sign_in(client, rt, org, "branch")
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


def test_wrong_passwords_are_refused_and_repeated_failures_slowed_down(client, rt, org):
    clock = rt.env.clock
    clock.set_today(rt.env.today())  # the failures are counted on the service's clock
    give_password(rt, org, "branch")
    token = csrf_of(client.get("/login").get_data(as_text=True))

    def attempt(password: str, login: str = "branch", address: str = "10.0.0.1"):
        return client.post("/login", data={"login": login, "password": password,
                                           "csrf_token": token},
                           environ_base={"REMOTE_ADDR": address})

    wrong = attempt("wrong password")
    assert wrong.status_code == 401 and "登录名或密码不正确" in wrong.get_data(as_text=True)
    assert attempt("x", login="nobody").status_code == 401  # unknown login: the same answer
    for _ in range(accounts.FAILURES_PER_LOGIN - 1):
        assert attempt("wrong password").status_code == 401
    # The login is held back now, even with its right password, from any address…
    held = attempt(PASSWORD, address="10.0.0.2")
    assert held.status_code == 429 and "登录失败次数过多" in held.get_data(as_text=True)
    # …until the window has passed.
    clock.moment += accounts.FAILURE_WINDOW + timedelta(seconds=1)
    assert attempt(PASSWORD, address="10.0.0.2").status_code == 302


def test_repeated_failures_from_one_address_are_slowed_down(client, rt, org):
    give_password(rt, org, "committee")
    token = csrf_of(client.get("/login").get_data(as_text=True))
    for index in range(accounts.FAILURES_PER_ADDRESS):
        client.post("/login", data={"login": f"guess{index}", "password": "x",
                                    "csrf_token": token},
                    environ_base={"REMOTE_ADDR": "10.9.9.9"})
    data = {"login": "committee", "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=data,
                       environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code == 429
    assert client.post("/login", data=data,
                       environ_base={"REMOTE_ADDR": "10.9.9.8"}).status_code == 302


def test_the_session_ends_after_the_idle_timeout(client, rt, org, app):
    clock = rt.env.clock
    clock.set_today(rt.env.today())
    sign_in(client, rt, org, "branch")
    idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
    clock.moment += idle - timedelta(minutes=1)
    assert client.get("/").status_code == 200  # activity keeps it alive
    clock.moment += idle - timedelta(minutes=1)
    assert client.get("/").status_code == 200
    clock.moment += idle + timedelta(seconds=1)
    expired = client.get("/")
    assert expired.status_code == 302 and "expired=1" in expired.headers["Location"]
    assert "会话已超时" in client.get(expired.headers["Location"]).get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_a_password_reset_by_the_admin_ends_the_users_sessions(client, rt, org):
    sign_in(client, rt, org, "branch")
    assert client.get("/").status_code == 200
    response = client.post("/api/v1/users/{}/password".format(_user_id(rt, "branch")),
                           json={}, headers=org.headers("admin"))
    assert response.status_code == 200, response.json
    assert response.json["login"] == "branch" and len(response.json["password"]) >= 8
    assert client.get("/").status_code == 302
    # The new password works.
    token = csrf_of(client.get("/login").get_data(as_text=True))
    again = client.post("/login", data={"login": "branch", "password": response.json["password"],
                                        "csrf_token": token})
    assert again.status_code == 302


def test_only_an_admin_resets_passwords_and_only_in_scope(client, rt, org):
    target = _user_id(rt, "far_branch")
    assert client.post(f"/api/v1/users/{target}/password", json={"password": "x" * 8},
                       headers=org.headers("committee")).status_code == 403
    assert client.post(f"/api/v1/users/{target}/password", json={"password": "x" * 8},
                       headers=org.headers("admin")).status_code == 422  # no login yet
    assert client.post(f"/api/v1/users/{target}/password",
                       json={"password": "short", "login": "far"},
                       headers=org.headers("admin")).status_code == 422
    assert client.post("/api/v1/users/99999/password", json={},
                       headers=org.headers("admin")).status_code == 404


def test_a_user_changes_their_own_password(client, rt, org):
    sign_in(client, rt, org, "committee")
    other = client.application.test_client()
    assert sign_in_with(other, "committee", PASSWORD).status_code == 302
    token = page_csrf(client, "/account/password")
    wrong = client.post("/account/password", data={
        "current_password": "not it", "new_password": "new secret 9",
        "repeat_password": "new secret 9", "csrf_token": token})
    assert wrong.status_code == 422 and "当前密码不正确" in wrong.get_data(as_text=True)
    mismatch = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "new secret 9",
        "repeat_password": "new secret 8", "csrf_token": token})
    assert mismatch.status_code == 422 and "不一致" in mismatch.get_data(as_text=True)
    done = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "new secret 9",
        "repeat_password": "new secret 9", "csrf_token": token})
    assert done.status_code == 200 and "密码已修改" in done.get_data(as_text=True)
    assert client.get("/").status_code == 200  # this session goes on
    assert other.get("/").status_code == 302  # the other one has ended
    assert sign_in_with(other, "committee", "new secret 9").status_code == 302


def sign_in_with(client, login: str, password: str):
    token = csrf_of(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"login": login, "password": password,
                                       "csrf_token": token})


def test_sign_out(client, rt, org):
    sign_in(client, rt, org, "branch")
    token = page_csrf(client)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/").status_code == 302


def test_next_only_leads_to_local_paths(client, rt, org):
    give_password(rt, org, "branch")
    token = csrf_of(client.get("/login").get_data(as_text=True))
    for target, expected in [("/account/password", "/account/password"),
                             ("https://evil.example/", "/"), ("//evil.example/", "/")]:
        response = client.post("/login", data={"login": "branch", "password": PASSWORD,
                                               "csrf_token": token, "next": target})
        assert response.headers["Location"] == expected
        token = page_csrf(client)


def test_users_get_a_login_and_a_password_kept_only_as_a_hash(client, rt, org):
    body = {"name": "新书记", "role": "branch", "organization_id": org.branch,
            "login": "xinshuji", "password": "a long secret"}
    created = client.post("/api/v1/users", json=body, headers=org.headers("admin"))
    assert created.status_code == 201, created.json
    assert created.json["login"] == "xinshuji" and "password" not in created.json
    with rt.engine.connect() as connection:
        stored = connection.execute(select(users.c.password_hash)
                                    .where(users.c.login == "xinshuji")).scalar_one()
    assert stored.startswith("$argon2id$") and "a long secret" not in stored
    again = client.post("/api/v1/users", json={**body, "name": "另一人"},
                        headers=org.headers("admin"))
    assert again.status_code == 422 and "login" in again.json["fields"]
    alone = client.post("/api/v1/users", json={**body, "login": "solo", "password": None},
                        headers=org.headers("admin"))
    assert alone.status_code == 422 and "password" in alone.json["fields"]
    assert sign_in_with(client, "xinshuji", "a long secret").status_code == 302


def _user_id(rt, who: str) -> int:
    with rt.engine.connect() as connection:
        return connection.execute(select(users.c.id).where(users.c.name == who)).scalar_one()


def test_an_admin_resets_a_password_on_the_users_page(client, rt, org):
    """One way for an admin to reset a password in the browser: 管理 → 用户. A user made
    through the API without a login is given one there, with a generated password."""
    target = client.application.test_client()
    sign_in(target, rt, org, "committee")
    sign_in(client, rt, org, "admin")
    page = client.get("/admin?tab=users").get_data(as_text=True)
    assert "设置网页登录" in page and "/account/reset" not in page
    token = csrf_of(page)
    done = client.post(f"/admin/users/{_user_id(rt, 'committee')}/password",
                       data={"csrf_token": token})
    text = done.get_data(as_text=True)
    assert done.status_code == 200 and "新密码只显示这一次" in text
    password = text.split("<dt>新密码</dt><dd><code>")[1].split("<")[0]
    assert target.get("/").status_code == 302  # the user's session has ended
    assert sign_in_with(target, "committee", password).status_code == 302
    far = _user_id(rt, "far_branch")
    nameless = client.post(f"/admin/users/{far}/password", data={"csrf_token": token})
    assert nameless.status_code == 422 and "尚无登录名" in nameless.get_data(as_text=True)
    named = client.post(f"/admin/users/{far}/password",
                        data={"csrf_token": token, "login": "far"})
    assert named.status_code == 200
    password = named.get_data(as_text=True).split("<dt>新密码</dt><dd><code>")[1].split("<")[0]
    assert sign_in_with(client.application.test_client(), "far", password).status_code == 302
    assert client.get("/account/reset").status_code == 404
    sign_in(client, rt, org, "branch")
    branch_token = csrf_of(client.get("/").get_data(as_text=True))
    assert client.post(f"/admin/users/{far}/password",
                       data={"csrf_token": branch_token}).status_code in (403, 404)


def test_deactivation_and_a_new_token_end_the_users_sessions(client, rt, org):
    sign_in(client, rt, org, "branch")
    other = client.application.test_client()
    assert sign_in_with(other, "branch", PASSWORD).status_code == 302
    user = _user_id(rt, "branch")
    assert client.post(f"/api/v1/users/{user}/token", json={},
                       headers=org.headers("admin")).status_code == 201
    assert client.get("/").status_code == 302  # the new token ended the session
    assert sign_in_with(client, "branch", PASSWORD).status_code == 302
    assert client.delete(f"/api/v1/users/{user}",
                         headers=org.headers("admin")).status_code in (200, 204)
    assert client.get("/").status_code == 302
    assert sign_in_with(other, "branch", PASSWORD).status_code == 401


def test_the_site_has_an_icon(client):
    """Every page links the icon; a browser asking /favicon.ico on its own is sent to it."""
    page = client.get("/login").get_data(as_text=True)
    assert 'rel="icon" href="/static/web/favicon.svg"' in page
    assert 'rel="icon" href="/static/web/favicon.svg"' in client.get(
        "/publicity").get_data(as_text=True)
    asked = client.get("/favicon.ico")
    assert asked.status_code == 301 and asked.headers["Location"].endswith(
        "/static/web/favicon.svg")
    icon = client.get("/static/web/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert icon.get_data(as_text=True).startswith("<svg")
