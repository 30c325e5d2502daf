"""管理 in the web interface: organisations as a tree, users (with login and password, a
reset), the registry, objection contacts, holiday tables — the API's schemas and use cases."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest

from tests.e2e.test_web_committee import signed_in, text
from tests.web import csrf_of


@pytest.fixture
def app_config():
    # Every request sees a revocation at once (a worker looks every second by default).
    return {"REVOCATION_CHECK_SECONDS": 0}


TABLE_2031 = """year = 2031
source = "国务院办公厅关于2031年部分节假日安排的通知"
holidays = [2031-01-01, [2031-10-01, 2031-10-07]]
workdays = [2031-09-28]
"""


def form(client, path: str, tab: str, **data):
    token = csrf_of(text(client.get(f"/admin?tab={tab}")))
    return client.post(path, data={"csrf_token": token, **data})


def test_organisations_as_a_tree(app, rt, org):
    admin = signed_in(app, rt, org, "admin")
    html = text(admin.get("/admin"))
    assert html.index("党委") < html.index("一支部") < html.index("另一党委") < html.index("外支部")
    made = form(admin, "/admin/organizations", "orgs", name="三支部<b>", kind="branch",
                parent_id=str(org.committee))
    assert made.status_code == 200 and "组织已创建" in text(made)
    assert "三支部&lt;b&gt;" in text(made)
    refused = form(admin, "/admin/organizations", "orgs", name="坏", kind="branch",
                   parent_id=str(org.branch))
    assert refused.status_code == 422 and "上级党委" in text(refused)
    assert form(admin, "/admin/organizations", "orgs", name="", kind="x").status_code == 422


def test_users_created_with_a_login_and_reset(app, rt, org):
    admin = signed_in(app, rt, org, "admin")
    made = form(admin, "/admin/users", "users", name="陈组织员", role="committee",
                organization_id=str(org.committee), login="chen", password="")
    assert made.status_code == 200 and "只显示这一次" in text(made)
    password = re.search(r"<dt>密码</dt><dd><code>([^<]+)</code>", text(made)).group(1)
    chen = app.test_client()
    token = csrf_of(text(chen.get("/login")))
    assert chen.post("/login", data={"login": "chen", "password": password,
                                     "csrf_token": token}).status_code == 302
    assert chen.get("/queues").status_code == 200

    wrong = form(admin, "/admin/users", "users", name="错", role="branch",
                 organization_id=str(org.committee), login="cuo", password="long enough 1")
    assert wrong.status_code == 422 and "所属组织" in text(wrong)
    taken = form(admin, "/admin/users", "users", name="重名", role="branch",
                 organization_id=str(org.branch), login="chen", password="long enough 1")
    assert taken.status_code == 422

    reset = form(admin, f"/admin/users/{_id_of(admin, 'chen')}/password", "users")
    assert reset.status_code == 200 and "新密码" in text(reset)
    new = re.search(r"<dt>新密码</dt><dd><code>([^<]+)</code>", text(reset)).group(1)
    assert new != password
    # The session of the user whose password was reset has ended; the new password works.
    assert chen.get("/queues").status_code == 302
    token = csrf_of(text(chen.get("/login")))
    assert chen.post("/login", data={"login": "chen", "password": new,
                                     "csrf_token": token}).status_code == 302


def test_users_deactivated_and_given_a_new_token(app, client, rt, org):
    admin = signed_in(app, rt, org, "admin")
    chen = form(admin, "/admin/users", "users", name="陈组织员", role="committee",
                organization_id=str(org.committee), login="chen", password="long enough 1")
    token = re.search(r"<dt>API令牌</dt><dd><code>([^<]+)</code>", text(chen)).group(1)
    user_id = _id_of(admin, "chen")
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/agenda", headers=bearer).status_code == 200

    renewed = form(admin, f"/admin/users/{user_id}/token", "users")
    assert renewed.status_code == 200 and "旧令牌即时失效" in text(renewed)
    new = re.search(r"<dt>新API令牌</dt><dd><code>([^<]+)</code>", text(renewed)).group(1)
    assert client.get("/api/v1/agenda", headers=bearer).status_code == 401
    assert client.get("/api/v1/agenda",
                      headers={"Authorization": f"Bearer {new}"}).status_code == 200

    stopped = form(admin, f"/admin/users/{user_id}/deactivate", "users")
    assert stopped.status_code == 200 and "已停用" in text(stopped)
    assert client.get("/api/v1/agenda",
                      headers={"Authorization": f"Bearer {new}"}).status_code == 401
    assert f"/admin/users/{user_id}/token" not in text(admin.get("/admin?tab=users"))
    # Not oneself; and only admins.
    me = form(admin, f"/admin/users/{_id_of(admin, 'admin')}/deactivate", "users")
    assert me.status_code == 422
    committee = signed_in(app, rt, org, "committee")
    token = csrf_of(text(committee.get("/")))
    assert committee.post(f"/admin/users/{user_id}/token",
                          data={"csrf_token": token}).status_code == 403


def _id_of(admin, login: str) -> int:
    html = text(admin.get("/admin?tab=users"))
    row = next(r for r in html.split("<tr>") if f'data-label="登录名">{login}<' in r)
    return int(re.search(r'data-label="编号">(\d+)<', row).group(1))


def test_the_registry_contacts_and_holidays(app, rt, org, clock):
    clock.set_today(date(2030, 6, 2))
    admin = signed_in(app, rt, org, "admin")
    html = text(admin.get("/admin?tab=members&q=党员"))
    assert "共5人" in html and "党员0" in html and "正式党员" in html
    added = form(admin, "/admin/members", "members", name="褚九", branch_id=str(org.branch),
                 status="full", joined_on="2020-07-01")
    assert added.status_code == 200 and "已加入名册" in text(added)
    assert "褚九" in text(admin.get("/admin?tab=members&q=褚"))
    future = form(admin, "/admin/members", "members", name="卫十", branch_id=str(org.branch),
                  status="full", joined_on="2031-01-01")
    assert future.status_code == 422 and "入党日期" in text(future)

    html = text(admin.get("/admin?tab=contacts"))
    assert "未设置" in html
    saved = form(admin, f"/admin/contacts/{org.committee}", "contacts",
                 objection_phone="010-6666 8888", objection_email="", objection_address="")
    assert saved.status_code == 200 and "010-6666 8888" in text(saved)
    bad = form(admin, f"/admin/contacts/{org.committee}", "contacts",
               objection_phone="call me", objection_email="no")
    assert bad.status_code == 422 and "电话" in text(bad) and "邮箱" in text(bad)

    html = text(admin.get("/admin?tab=holidays"))
    assert "2031年" in html and "尚无官方安排" in html
    token = csrf_of(html)
    loaded = admin.post("/admin/holidays", data={"csrf_token": token, "file": (
        io.BytesIO(TABLE_2031.encode()), "2031.toml")}, content_type="multipart/form-data")
    assert loaded.status_code == 200 and "已载入" in text(loaded)
    assert "10月1日至10月7日" in text(loaded) and "9月28日" in text(loaded)
    broken = admin.post("/admin/holidays", data={"csrf_token": token, "file": (
        io.BytesIO(b"year = 'x'"), "x.toml")}, content_type="multipart/form-data")
    assert broken.status_code == 422 and "年份" in text(broken)


def test_the_admin_pages_are_for_admins(app, rt, org):
    for who in ("branch", "committee", "auditor"):
        client = signed_in(app, rt, org, who)
        assert client.get("/admin").status_code == 403, who
        assert client.get("/admin?tab=users").status_code == 403, who
        token = csrf_of(text(client.get("/")))
        made = client.post("/admin/organizations", data={
            "csrf_token": token, "name": "x", "kind": "branch",
            "parent_id": str(org.committee)})
        assert made.status_code == 403, who
