"""档案 `/dossiers/<id>`: profile, the step bar, the next steps with their rules, the forms for
triggers and records (generated from the procedure's declarations), records and the log."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qs, urlencode

from flask import flash, g, redirect, render_template, request, url_for
from marshmallow import ValidationError

from api.applicants.schemas import ApplicantCorrection, TransferRequest
from api.runtime import runtime
from api.web import forms
from api.web.blueprint import bp, partial_refusal
from api.web.feedback import Refusal, refusal
from api.zh import GENDER, PROFILE, chinese_date, choice_label, param_label
from workflow.domain.audit import AuditEntry
from workflow.domain.dossier import CORRECT_PROFILE, TRANSFER, VOID, Record
from workflow.domain.errors import DomainError
from workflow.domain.procedure import RecordType, TransitionDef
from workflow.domain.roles import Role
from workflow.usecases import directory, roster, services
from workflow.usecases.privacy import PRIVATE_FIELDS, SEES_PRIVATE
from workflow.usecases.services import DossierView

DOSSIER = "/dossiers/<int(max=2147483647):dossier_id>"
CORRECTION_LABEL = {VOID: "作废记录", CORRECT_PROFILE: "更正基本信息", TRANSFER: "转接党支部"}
CORRECTION_SCHEMA = ApplicantCorrection()
TRANSFER_SCHEMA = TransferRequest()
REASON = forms.Field("reason", "原因", "textarea", True)


def trigger_label(t: TransitionDef) -> str:
    return t.summary_zh.rstrip("。") or t.trigger


@dataclass
class ActionForm:
    """A form of the page (a trigger, a record type, a void, the profile's correction, a
    transfer), where it posts, and its last refusal if any."""

    kind: str  # "fire", "record", "void", "profile" or "transfer"
    name: str
    title: str
    fields: list[forms.Field]
    refusal: Refusal | None = None
    open: bool = False
    url: str = ""
    verb: str = "办理"


@dataclass
class StepView:
    transition: TransitionDef
    label: str
    permitted: bool
    allowed: bool
    reasons: list[Any]
    form: ActionForm | None
    # Leaving the main line (an exit, a step back, an extension) rather than advancing.
    aside: bool = False


@dataclass
class PageContext:
    view: DossierView
    profile: list[tuple[str, str]]
    bar: list[dict[str, Any]]
    steps: list[StepView]
    record_forms: list[ActionForm]
    records: list[dict[str, Any]]
    log: list[dict[str, Any]]
    correction: ActionForm | None = None
    transfer: ActionForm | None = None
    around: dict[str, Any] = field(default_factory=dict)


def _profile(view: DossierView, role: str) -> list[tuple[str, str]]:
    shown = []
    for key, label in PROFILE.items():
        value = view.stored.profile.get(key)
        if key in PRIVATE_FIELDS and role not in SEES_PRIVATE:
            value = "（无权查看）" if value else None
        elif key == "gender":
            value = GENDER.get(value, value)
        elif key == "frontline":
            value = None if value is None else ("是" if value else "否")
        elif hasattr(value, "isoformat"):
            value = chinese_date(value)
        shown.append((label, "" if value is None else str(value)))
    return shown


def _bar(view: DossierView, log: list[AuditEntry]) -> list[dict[str, Any]]:
    """The whole procedure's main line (and an exit, if the dossier left it), each state with
    the date the dossier last entered it."""
    entered: dict[str, Any] = {}
    for e in log:
        if e.to_state and e.kind in ("create", "transition") and e.from_state != e.to_state:
            entered[e.to_state] = e.effective_date
    states = view_states(view)
    current = view.dossier.state
    index = next((i for i, s in enumerate(states) if s.name == current), len(states))
    return [{"name": s.name, "label": s.label_zh, "date": entered.get(s.name),
             "status": "done" if i < index else ("current" if i == index else "todo")}
            for i, s in enumerate(states)]


def view_states(view: DossierView):
    procedure = runtime().env.procedure
    states = list(procedure.states)
    last_main = next(i for i, s in enumerate(states) if s.final)
    main = states[: last_main + 1]
    if view.dossier.state not in {s.name for s in main}:
        main.append(procedure.state(view.dossier.state))
    return main


def _display(record_type: RecordType | None, record: Record,
             members: Mapping[int, Any], records: Mapping[int, Record]) -> list[tuple[str, str]]:
    params = record_type.params if record_type else ()
    shown = []
    for p in params:
        value = record.data.get(p.name)
        if value is None:
            continue
        if p.kind == "member":
            member = members.get(value)
            text = member.name if member else f"#{value}"
        elif p.kind == "record":
            other = records.get(value)
            text = f"{chinese_date(other.date)}的记录" if other else f"#{value}"
        elif p.kind == "bool":
            text = "是" if value else "否"
        elif p.kind == "choice":
            text = choice_label(value)
        else:
            text = str(value)
        shown.append((param_label(p), text))
    return shown


def _log(log: list[AuditEntry]) -> list[dict[str, Any]]:
    procedure = runtime().env.procedure
    shown = []
    for e in reversed(log):
        if e.kind == "create":
            action = "建立档案"
        elif e.action in CORRECTION_LABEL:
            action = CORRECTION_LABEL[e.action]
            reason = e.payload.get("reason")
            action += f"（{reason}）" if reason else ""
        elif e.kind == "record":
            kind = procedure.record_type(e.action)
            action = "登记：" + (kind.label_zh if kind else e.action)
        else:
            t = next((t for t in procedure.transitions if t.trigger == e.action), None)
            action = trigger_label(t) if t else e.action
        shown.append({"entry": e, "action": action,
                      "from": procedure.state(e.from_state).label_zh if e.from_state else "",
                      "to": procedure.state(e.to_state).label_zh if e.to_state else ""})
    return shown


def _here(endpoint: str, **values: Any) -> str:
    """A URL of this dossier's page family, keeping where it was opened from."""
    return url_for(endpoint, **values, **dossier_args())


def build(view: DossierView, *, failed: ActionForm | None = None) -> PageContext:
    rt, actor = runtime(), g.actor
    d, today = view.dossier, view.today
    log = services.dossier_log(uow=rt.uow, actor=actor, dossier_id=d.id)
    registry = roster.registry_for(uow=rt.uow, view=view)

    def keep(form: ActionForm) -> ActionForm:
        """The form, or the one just refused in its place."""
        if failed is not None and (failed.kind, failed.name) == (form.kind, form.name):
            return failed
        return form

    def form(kind: str, name: str, title: str, params, date_name: str) -> ActionForm:
        url = _here("web.fire" if kind == "fire" else "web.add_record", dossier_id=d.id)
        return keep(ActionForm(kind, name, title, forms.fields_for(
            params, date_name=date_name, today=today, dossier=d, registry=registry),
            url=url, verb="办理" if kind == "fire" else "登记"))

    order = [s.name for s in view_states(view)]
    here = order.index(d.state) if d.state in order else len(order)
    steps = []
    for step in view.steps:
        t = step.transition
        permitted = actor.role in t.roles
        ahead = t.dest in order and order.index(t.dest) > here
        steps.append(StepView(
            t, trigger_label(t), permitted, step.allowed, list(step.failures),
            form("fire", t.trigger, trigger_label(t), t.params, "effective_date")
            if permitted else None, aside=not ahead))
    procedure = rt.env.procedure
    record_forms = [
        form("record", r.name, r.label_zh, r.params, "date")
        for r in procedure.records if d.state in r.states and actor.role in r.roles
    ]
    by_id = {r.id: r for r in d.records}
    records = []
    for r in reversed(d.records):
        kind = procedure.record_type(r.type)
        label = kind.label_zh if kind else r.type
        void = None
        if not r.voided and kind is not None and actor.role in kind.roles:
            void = keep(ActionForm("void", str(r.id), f"作废{label}", [REASON],
                                   url=_here("web.void_record", dossier_id=d.id,
                                             record_id=r.id), verb="作废"))
        records.append({"record": r, "label": label, "void": void,
                        "fields": _display(kind, r, d.members, by_id)})
    context = PageContext(view, _profile(view, actor.role), _bar(view, log), steps,
                          record_forms, records, _log(log))
    if actor.role in (Role.BRANCH, Role.COMMITTEE):
        current = {k: v for k, v in view.stored.profile.items() if v is not None}
        context.correction = keep(ActionForm(
            "profile", "profile", "更正基本信息",
            forms.schema_fields(CORRECTION_SCHEMA, current),
            url=_here("web.correct_profile", dossier_id=d.id), verb="更正"))
    if actor.role in (Role.COMMITTEE, Role.ADMIN) and not view.state.final:
        branches = [b for b in transfer_branches() if b.value != str(d.branch_id)]
        context.transfer = keep(ActionForm(
            "transfer", "transfer", "转接到其他党支部",
            forms.schema_fields(TRANSFER_SCHEMA, {"effective_date": today}, branches),
            url=_here("web.transfer", dossier_id=d.id), verb="转接"))
    return context


def transfer_branches() -> list[forms.Option]:
    rt = runtime()
    return [forms.Option(str(b.id), b.name)
            for b in directory.branches(uow=rt.uow, actor=g.actor)]


def _around(dossier_id: int) -> dict[str, Any]:
    """上一条/下一条 within the list the dossier was opened from (its query in `from`)."""
    origin = request.args.get("from", "")
    query = {k: v[0] for k, v in parse_qs(origin).items() if k in ("state", "q", "page")}
    try:
        page = max(1, min(int(query.get("page", 1)), 1_000_000))
    except ValueError:
        page = 1
    state = query.get("state") or None
    if state not in {s.name for s in runtime().env.procedure.states}:
        state = None
    q = (query.get("q") or "")[:100] or None

    def ids(p: int) -> list[int]:
        if p < 1:
            return []
        items, _ = services.list_dossiers(uow=runtime().uow, actor=g.actor, state=state,
                                          q=q, page=p, per_page=PER_PAGE)
        return [i["id"] for i in items]

    here = ids(page)
    if dossier_id not in here:
        return {"list_url": url_for("web.dossiers", **{k: v for k, v in query.items() if v})}
    at = here.index(dossier_id)
    prev_id, prev_page = (here[at - 1], page) if at > 0 else (
        (ids(page - 1) or [None])[-1], page - 1)
    next_id, next_page = (here[at + 1], page) if at + 1 < len(here) else (
        (ids(page + 1) or [None])[0], page + 1)

    def link(target: int | None, p: int) -> str | None:
        if target is None:
            return None
        origin = urlencode({k: v for k, v in {**query, "page": p}.items() if v})
        return url_for("web.dossier", dossier_id=target, **{"from": origin})

    return {"prev": link(prev_id, prev_page), "next": link(next_id, next_page),
            "list_url": url_for("web.dossiers", **{k: v for k, v in query.items() if v})}


PER_PAGE = 20


def _render(view: DossierView, *, failed: ActionForm | None = None, status: int = 200):
    context = build(view, failed=failed)
    context.around = _around(view.dossier.id)
    return render_template("web/dossier.html", page=context, today=view.today), status


@bp.route(DOSSIER)
def dossier(dossier_id: int):
    rt = runtime()
    view = services.get_dossier(uow=rt.uow, env=rt.env, actor=g.actor, dossier_id=dossier_id)
    return _render(view)


@bp.app_template_global()
def dossier_args() -> dict[str, str]:
    """Where the dossier was opened from (the roster's `from`, a committee queue's `queue`),
    kept through its forms."""
    return {k: request.args[k] for k in ("from", "queue") if request.args.get(k)}


def _back(dossier_id: int, message: str):
    flash(message)
    target = url_for("web.dossier", dossier_id=dossier_id, **dossier_args())
    if request.headers.get("HX-Request"):
        return "", 204, {"HX-Redirect": target}
    return redirect(target, 303)


def _refused(dossier_id: int, failed: ActionForm):
    """The form again with its refusal: alone for htmx, else in the whole page."""
    status = failed.refusal.status if failed.refusal else 422
    failed.open = True
    if request.headers.get("HX-Request"):
        return partial_refusal(render_template(
            "web/_action_form.html", form=failed, dossier_id=dossier_id,
            today_iso=runtime().env.today().isoformat()), status)
    rt = runtime()
    view = services.get_dossier(uow=rt.uow, env=rt.env, actor=g.actor, dossier_id=dossier_id)
    return _render(view, failed=failed, status=status)


def _correction(dossier_id: int, form: ActionForm, change, done: str):
    """Run a correction (void, profile, transfer); back to the page, or the form refused."""
    try:
        change()
    except DomainError as error:
        form.refusal = refusal(error)
        return _refused(dossier_id, form)
    return _back(dossier_id, done)


@bp.route(DOSSIER + "/records/<int(max=2147483647):record_id>/void", methods=["POST"])
def void_record(dossier_id: int, record_id: int):
    rt = runtime()
    reason = request.form.get("reason", "").strip()[:2000]
    form = ActionForm("void", str(record_id), "作废记录", [replace(REASON, value=reason)],
                      url=request.full_path.rstrip("?"), verb="作废")
    if not reason:
        form.refusal = Refusal("请写明作废原因。", {"reason": "必填。"})
        return _refused(dossier_id, form)
    return _correction(dossier_id, form, lambda: services.void_record(
        uow=rt.uow, env=rt.env, actor=g.actor, dossier_id=dossier_id, record_id=record_id,
        reason=reason, request_id=g.get("request_id")), "已作废该记录。")


def _schema_change(dossier_id: int, kind: str, title: str, schema, verb: str, change,
                   done: str, branches: list[forms.Option] | tuple = ()):
    """A correction whose form an API schema validates: refused in place when the schema
    refuses it, else `change(data)` is run."""
    given = request.form.to_dict()
    form = ActionForm(kind, kind, title, forms.schema_fields(schema, given, branches),
                      url=request.full_path.rstrip("?"), verb=verb)
    try:
        data = schema.load(forms.schema_data(schema, request.form))
    except ValidationError as invalid:
        form.refusal = Refusal("请检查填写的内容。", forms.schema_errors(invalid, given))
        return _refused(dossier_id, form)
    return _correction(dossier_id, form, lambda: change(data), done)


@bp.route(DOSSIER + "/profile", methods=["POST"])
def correct_profile(dossier_id: int):
    rt = runtime()

    def change(data):
        reason = data.pop("reason")
        # The form shows every field: a change is only what differs (an unticked box where
        # nothing was said is no change).
        current = services.get_dossier(uow=rt.uow, env=rt.env, actor=g.actor,
                                       dossier_id=dossier_id).stored.profile
        changes = {k: v for k, v in data.items()
                   if current.get(k) != v and not (v is False and current.get(k) is None)}
        services.correct_profile(uow=rt.uow, env=rt.env, actor=g.actor,
                                 dossier_id=dossier_id, changes=changes, reason=reason,
                                 request_id=g.get("request_id"))

    return _schema_change(dossier_id, "profile", "更正基本信息", CORRECTION_SCHEMA, "更正",
                          change, "基本信息已更正。")


@bp.route(DOSSIER + "/transfer", methods=["POST"])
def transfer(dossier_id: int):
    rt = runtime()

    def change(data):
        services.transfer(uow=rt.uow, env=rt.env, actor=g.actor, dossier_id=dossier_id,
                          branch_id=data["branch_id"], reason=data["reason"],
                          on=data["effective_date"], request_id=g.get("request_id"))

    return _schema_change(dossier_id, "transfer", "转接到其他党支部", TRANSFER_SCHEMA, "转接",
                          change, "档案已转接。", transfer_branches())


def _act(dossier_id: int, kind: str):
    rt, actor = runtime(), g.actor
    procedure = rt.env.procedure
    name = request.form.get("name", "")
    view = services.get_dossier(uow=rt.uow, env=rt.env, actor=actor, dossier_id=dossier_id)
    if kind == "fire":
        declared = procedure.transition(name, view.dossier.state)
        params, date_name = (declared.params if declared else ()), "effective_date"
        title = trigger_label(declared) if declared else name
    else:
        declared = procedure.record_type(name)
        params, date_name = (declared.params if declared else ()), "date"
        title = declared.label_zh if declared else name
    on, values, errors = forms.parse(params, request.form, date_name=date_name)
    given = {k: request.form.get(k, "") for k in request.form}
    registry = roster.registry_for(uow=rt.uow, view=view)
    failed = ActionForm(kind, name, title, forms.fields_for(
        params, date_name=date_name, today=view.today, dossier=view.dossier,
        registry=registry, given=given), open=True, url=request.full_path.rstrip("?"),
        verb="办理" if kind == "fire" else "登记")
    if declared is None:
        failed.refusal = Refusal("档案当前所处阶段不能办理此事项，请刷新页面。", status=409)
        return _refused(dossier_id, failed)
    if errors:
        failed.refusal = Refusal("请检查填写的内容。", errors)
        return _refused(dossier_id, failed)
    try:
        if kind == "fire":
            services.fire(uow=rt.uow, env=rt.env, actor=actor, dossier_id=dossier_id,
                          trigger=name, on=on, payload=values, request_id=g.get("request_id"))
        else:
            services.add_record(uow=rt.uow, env=rt.env, actor=actor, dossier_id=dossier_id,
                                record_type=name, on=on, data=values,
                                request_id=g.get("request_id"))
    except DomainError as error:
        failed.refusal = refusal(error)
        return _refused(dossier_id, failed)
    done = "已办理" if kind == "fire" else "已登记"
    return _back(dossier_id, f"{done}：{title}（{chinese_date(on)}）")


@bp.route(DOSSIER + "/fire", methods=["POST"])
def fire(dossier_id: int):
    return _act(dossier_id, "fire")


@bp.route(DOSSIER + "/records", methods=["POST"])
def add_record(dossier_id: int):
    return _act(dossier_id, "record")
