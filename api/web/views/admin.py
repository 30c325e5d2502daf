"""管理 (admins): the organisations as a tree (create), the users (create with a login and a
password, reset a password), the member registry (search, add), the committees' objection
contacts and the holiday tables (view, upload). Forms are checked by the API's own schemas
and handled by the same use cases."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import g, render_template, request
from marshmallow import Schema, ValidationError

from api.admin.schemas import MemberCreate, OrganizationCreate, UserCreate
from api.organizations.views import ContactUpdate
from api.runtime import runtime
from api.web.blueprint import bp
from api.web.forms import schema_data
from api.zh import ROLE
from workflow.domain.errors import Invalid, Message, chinese
from workflow.domain.roles import Role
from workflow.store.organizations import CONTACT_FIELDS
from workflow.usecases import access, accounts, calendars, directory, publicity, services

TABS = (("orgs", "组织"), ("users", "用户"), ("members", "党员名册"),
        ("contacts", "异议联系方式"), ("holidays", "节假日"))
KIND = {"committee": "党委", "branch": "党支部"}
STATUS = {"full": "正式党员", "probationary": "预备党员", "former": "已不在册"}
# The Chinese names of the forms' fields (the fields are the API's schemas').
LABEL = {"name": "名称", "kind": "类别", "parent_id": "上级党委", "role": "角色",
         "organization_id": "所属组织", "login": "登录名", "password": "密码",
         "branch_id": "党支部", "status": "身份", "joined_on": "入党日期",
         "objection_phone": "电话", "objection_email": "邮箱", "objection_address": "地址",
         "file": "文件", "year": "年份", "source": "来源"}
MEMBERS_PER_PAGE = 50
MAX_TABLE_BYTES = 1 << 20


def _form(schema: Schema, *, clearing: tuple[str, ...] = ()) -> dict[str, Any]:
    """The posted form loaded by the API's schema; the fields named in `clearing` are None
    when left empty (a contact cleared)."""
    cleared = {name: None for name in clearing if not request.form.get(name, "").strip()}
    return schema.load({**cleared, **schema_data(schema, request.form)})


def _errors(failed: ValidationError | Invalid) -> dict[str, str]:
    if isinstance(failed, Invalid):
        return {k: chinese(v) or str(v) for k, v in failed.fields.items()}
    return {k: "；".join(v) if isinstance(v, list) else str(v)
            for k, v in failed.messages.items()}


def _tab_context(tab: str) -> dict[str, Any]:
    rt, actor = runtime(), g.actor
    found = directory.admin_organizations(uow=rt.uow, actor=actor)
    context: dict[str, Any] = {
        "committees": [o for o in found if o.kind == "committee"],
        "branches": [o for o in found if o.kind == "branch"],
    }
    if tab == "orgs":
        context["tree"] = directory.tree(found)
    elif tab == "users":
        context["users"] = access.list_users(uow=rt.uow, actor=actor)
        context["organizations"] = found
        context["roles"] = [(r.value, ROLE[r.value]) for r in Role]
    elif tab == "members":
        q = (request.args.get("q") or "").strip()[:100] or None
        page = request.args.get("page", 1, type=int)
        members, total = directory.registry(uow=rt.uow, actor=actor, q=q, page=page,
                                            per_page=MEMBERS_PER_PAGE)
        context.update(members=members, total=total, q=q or "", page=max(page, 1),
                       pages=max(1, -(-total // MEMBERS_PER_PAGE)))
    elif tab == "holidays":
        this_year = rt.env.today().year
        years = sorted({this_year - 1, this_year, this_year + 1,
                        *(y for y in rt.env.calendar.known_years() if y >= this_year - 1)})
        context["years"] = [calendars.show_year(uow=rt.uow, env=rt.env, year=y) for y in years]
        context["may_load"] = actor.organization_path == "/"
    return context


def _render(tab: str, *, status: int = 200, errors: dict[str, str] | None = None,
            notice: str | None = None, secret: dict[str, str] | None = None):
    tab = tab if tab in dict(TABS) else "orgs"
    return render_template(
        "web/admin/admin.html", tab=tab, tabs=TABS, kind_label=KIND, status_label=STATUS,
        roles_zh=ROLE, label=LABEL, errors=errors or {}, notice=notice, secret=secret,
        contact_fields=CONTACT_FIELDS, today=runtime().env.today(), form=request.form,
        ranges=_ranges, **_tab_context(tab)), status


@bp.route("/admin")
def admin():
    return _render(request.args.get("tab", "orgs"))


def _act(tab: str, do, *, notice: str):
    """Run a form's action; the tab again with its notice, or with the fields' errors."""
    try:
        secret = do()
    except (ValidationError, Invalid) as failed:
        return _render(tab, status=422, errors=_errors(failed))
    return _render(tab, notice=notice, secret=secret)


@bp.route("/admin/organizations", methods=["POST"])
def admin_create_organization():
    rt = runtime()

    def do():
        services.create_organization(uow=rt.uow, env=rt.env, actor=g.actor,
                                     **_form(OrganizationCreate()))

    return _act("orgs", do, notice="组织已创建。")


@bp.route("/admin/users", methods=["POST"])
def admin_create_user():
    rt = runtime()

    def do():
        data = _form(UserCreate())
        if not data.get("login"):
            raise Invalid({"login": Message("a login is required for the web",
                                            "请为网页登录设置登录名")})
        password = data.get("password") or accounts.generate_password()
        user_id, token = services.create_user(
            uow=rt.uow, env=rt.env, actor=g.actor, name=data["name"], role=Role(data["role"]),
            organization_id=data["organization_id"], login=data["login"], password=password)
        return {"用户": f"{data['name']}（编号{user_id}）", "登录名": data["login"],
                "密码": password, "API令牌": token}

    return _act("users", do,
                notice="用户已创建。以下密码和令牌只显示这一次，请当面或通过安全渠道交给本人。")


@bp.route("/admin/users/<int(max=2147483647):user_id>/password", methods=["POST"])
def admin_reset_password(user_id: int):
    def do():
        # A user made through the API may have no login yet: the form then asks for one.
        login, password = accounts.reset_password(
            uow=runtime().uow, actor=g.actor, user_id=user_id,
            login=request.form.get("login", "").strip() or None)
        return {"登录名": login, "新密码": password}

    return _act("users", do, notice="密码已重置，该用户已登录的会话随之失效。新密码只显示这一次。")


@bp.route("/admin/users/<int(max=2147483647):user_id>/deactivate", methods=["POST"])
def admin_deactivate_user(user_id: int):
    def do():
        user = access.deactivate_user(uow=runtime().uow, actor=g.actor, user_id=user_id)
        return {"已停用": f"{user.name}（编号{user.id}）"}

    return _act("users", do, notice="用户已停用：其令牌、网页会话和日历订阅即时失效，日志保留。")


@bp.route("/admin/users/<int(max=2147483647):user_id>/token", methods=["POST"])
def admin_new_token(user_id: int):
    rt = runtime()

    def do():
        user, token = access.replace_token(uow=rt.uow, env=rt.env, actor=g.actor,
                                           user_id=user_id)
        return {"用户": f"{user.name}（编号{user.id}）", "新API令牌": token}

    return _act("users", do, notice="已为该用户换发API令牌，旧令牌即时失效。新令牌只显示这一次。")


@bp.route("/admin/members", methods=["POST"])
def admin_create_member():
    rt = runtime()

    def do():
        services.create_member(uow=rt.uow, env=rt.env, actor=g.actor, **_form(MemberCreate()))

    return _act("members", do, notice="党员已加入名册。")


@bp.route("/admin/contacts/<int(max=2147483647):organization_id>", methods=["POST"])
def admin_update_contact(organization_id: int):
    def do():
        publicity.set_objection_contact(uow=runtime().uow, actor=g.actor,
                                        organization_id=organization_id,
                                        values=_form(ContactUpdate(), clearing=CONTACT_FIELDS))

    return _act("contacts", do, notice="联系方式已保存，公示栏和公示通知即时更新。")


@bp.route("/admin/holidays", methods=["POST"])
def admin_load_holidays():
    rt = runtime()

    def do():
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            raise Invalid({"file": Message("choose the holiday table's file",
                                           "请选择节假日安排文件")})
        body = upload.stream.read(MAX_TABLE_BYTES + 1)
        if len(body) > MAX_TABLE_BYTES:
            raise Invalid({"file": Message("the file is too large", "文件过大")})
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise Invalid({"file": Message("the file must be UTF-8 text",
                                             "文件须为UTF-8编码的文本")}) from error
        table = calendars.parse_table(text, default_source=upload.filename[:400])
        calendars.load_table_as(uow=rt.uow, env=rt.env, actor=g.actor, table=table)

    return _act("holidays", do, notice="节假日安排已载入，公示期按新表计算。")


def _ranges(days) -> list[tuple[date, date]]:
    """Days as runs of consecutive days, for a short list (10月1日至10月8日)."""
    runs: list[tuple[date, date]] = []
    for day in sorted(days):
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs
