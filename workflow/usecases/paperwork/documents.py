"""The filings on paper (备案表, 汇总审批表, 公示, 全程纪实表, 材料清单) as data: what each
document shows, within the caller's scope. Rendering them into Word is the API's business
(`api/documents/`); here every value is already text, dates written 2026年11月27日."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from workflow.domain.actors import Actor
from workflow.domain.audit import AuditEntry
from workflow.domain.dossier import Dossier
from workflow.domain.environment import Environment
from workflow.domain.errors import Invalid, Message, NotFound
from workflow.store import paperwork as queries
from workflow.store.repository import Repository, StoredDossier
from workflow.store.uow import UnitOfWork
from workflow.usecases import publicity
from workflow.usecases.agenda import scope_of
from workflow.usecases.paperwork.vocabulary import (
    CORRECTION_LABELS,
    GENDERS,
    MEMBER_LABELS,
    ROLES,
    act_label,
    acts,
    choice_label,
    describe_correction,
    describe_payload,
    zh_date,
    zh_month,
)
from workflow.usecases.privacy import hidden_fields, sees_private


@dataclass(frozen=True)
class Column:
    key: str
    label: str


@dataclass(frozen=True)
class Table:
    """A document that is a table of dossiers."""

    title: str
    columns: tuple[Column, ...]
    # Dossiers determined in a period (by this date), or in these states now.
    date_field: str | None = None
    states: tuple[str, ...] | None = None
    keep: Callable[[StoredDossier], bool] = lambda stored: True
    needs_log: bool = False


def _columns(*pairs: str) -> tuple[Column, ...]:
    return tuple(Column(k, v) for k, v in zip(pairs[::2], pairs[1::2], strict=True))


_PERSON = ("branch", "支部", "name", "姓名", "gender", "性别", "birth_month", "出生年月",
           "education", "学历")
# What the three 备案表 (activist, candidate, probationary) open with.
_FILING = (*_PERSON, "occupation", "职务", "applied_on", "申请入党时间")

TABLES: dict[str, Table] = {
    "activist_filing": Table(
        "确定入党积极分子备案表",
        _columns(*_FILING, "recommendation", "推荐方式",
                 "activist_on", "确定为入党积极分子时间",
                 "contacts", "培养联系人"),
        date_field="activist_on"),
    "candidate_filing": Table(
        "确定发展对象备案表",
        _columns(*_FILING, "recommendation", "推荐方式",
                 "activist_on", "确定为入党积极分子时间",
                 "candidate_on", "确定为发展对象时间", "contacts", "培养联系人",
                 "sponsors", "入党介绍人"),
        date_field="candidate_on"),
    "probationary_filing": Table(
        "接收预备党员备案表",
        _columns(*_FILING, "activist_on", "确定为入党积极分子时间",
                 "candidate_on", "确定为发展对象时间", "voted_on", "支部大会通过时间",
                 "admitted_on", "党委审批时间", "contacts", "培养联系人", "sponsors", "入党介绍人"),
        date_field="admitted_on"),
    "admission_approval": Table(
        "拟吸收预备党员名单汇总审批表",
        _columns(*_PERSON, "applied_on", "申请入党时间", "activist_on", "确定为入党积极分子时间",
                 "candidate_on", "确定为发展对象时间", "voted_on", "支部大会讨论时间",
                 "vote", "表决情况", "sponsors", "入党介绍人"),
        states=("approval",), needs_log=True),
    "conversion_review": Table(
        "申请转正预备党员名单汇总预审表",
        _columns(*_PERSON, "voted_on", "接收为预备党员时间", "probation_end", "预备期满时间",
                 "conversion_applied_on", "提出转正申请时间", "sponsors", "入党介绍人"),
        states=("probationary",),
        keep=lambda stored: bool(stored.dossier.records_of("conversion_application"))),
}

PUBLICITY_TITLES = {"admission": "接收预备党员公示", "conversion": "转正公示"}


@dataclass(frozen=True)
class Document:
    """What a template is filled with: its name (the template's), a file name, the values."""

    template: str
    filename: str
    context: dict[str, Any] = field(default_factory=dict)


def _period(env: Environment, start: date | None, end: date | None) -> tuple[date, date]:
    end = end or env.today()
    start = start or date(end.year, 1, 1)
    if start > end:
        raise Invalid({"from": Message(f"must not be after the end of the period ({end})",
                                       f"不能晚于期间的结束日（{end}）")})
    return start, end


def _organization_name(repo: Repository, actor: Actor, organization_id: int | None) -> str:
    org_id = organization_id or actor.organization_id
    org = repo.organization(org_id) if org_id else None
    return org.name if org else "全部组织"


def _names(stored: StoredDossier, record_type: str) -> str:
    return "、".join(m.name if m else "?" for m in stored.dossier.named_members(record_type))


def _vote(log: list[AuditEntry], action: str = "hold_vote") -> str:
    votes = [e.payload for e in log if e.action == action]
    if not votes:
        return ""
    v = votes[-1]
    return (f"应到{v['entitled']}人，实到{v['present']}人，赞成{v['in_favour']}票，"
            f"反对{v['against']}票，弃权{v['abstained']}票")


def _probation_end(d: Dossier, env: Environment) -> str:
    """When probation ends: the due date of the rule that watches it (agenda's own)."""
    rule = env.procedure.rules().get("probation_end")
    if rule is None or rule.deadline is None or d.voted_on is None:
        return ""
    deadline = rule.deadline(d, env.rulebook_on(d.voted_on), env.calendar)
    return zh_date(deadline.due) if deadline else ""


def dossier_row(stored: StoredDossier, env: Environment,
                log: list[AuditEntry] | None = None) -> dict[str, str]:
    """Every column any table shows about one dossier, as text."""
    d, p = stored.dossier, stored.profile
    methods = [choice_label(r.data.get("method", "")) for r in d.records_of("recommendation")]
    applications = d.records_of("conversion_application")
    return {
        "id": str(d.id), "branch": stored.branch_name, "name": p["name"],
        "gender": GENDERS.get(p["gender"], p["gender"]),
        "birth_month": zh_month(d.birth_date), "birth_date": zh_date(d.birth_date),
        "education": p.get("education") or "", "occupation": p.get("occupation") or "",
        "ethnicity": p.get("ethnicity") or "",
        "applied_on": zh_date(d.applied_on), "activist_on": zh_date(d.activist_on),
        "candidate_on": zh_date(d.candidate_on), "voted_on": zh_date(d.voted_on),
        "admitted_on": zh_date(d.admitted_on),
        "conversion_voted_on": zh_date(d.conversion_voted_on),
        "membership_on": zh_date(d.membership_on),
        "probation_end": _probation_end(d, env),
        "conversion_applied_on": zh_date(applications[-1].date) if applications else "",
        "recommendation": "、".join(dict.fromkeys(methods)),
        "contacts": _names(stored, "contact"), "sponsors": _names(stored, "sponsor"),
        "state": env.procedure.state(d.state).label_zh,
        "vote": _vote(log) if log is not None else "",
    }


def table(*, uow: UnitOfWork, env: Environment, actor: Actor, kind: str,
          organization_id: int | None = None, start: date | None = None,
          end: date | None = None) -> Document:
    """A 备案表 (dossiers determined in a period) or a 汇总表 (dossiers at a stage now)."""
    spec = TABLES.get(kind)
    if spec is None:
        raise NotFound(Message(f"no document {kind!r}", f"没有文书“{kind}”"))
    scope = scope_of(uow, actor, organization_id)
    period = _period(env, start, end) if spec.date_field else None
    rows = []
    with uow.transaction() as tx:
        ids = queries.dossier_ids(
            tx.repo.connection, scope_path=scope, states=spec.states,
            date_field=spec.date_field, start=period[0] if period else None,
            end=period[1] if period else None)
        for dossier_id in ids:
            stored = tx.repo.dossier(dossier_id)
            if stored is None or not spec.keep(stored):
                continue
            log = tx.repo.log(dossier_id) if spec.needs_log else None
            rows.append(dossier_row(stored, env, log))
        organization = _organization_name(tx.repo, actor, organization_id)
    for number, row in enumerate(rows, 1):
        row["no"] = str(number)
    context = {
        "title": spec.title, "organization": organization,
        "period": f"{zh_date(period[0])}至{zh_date(period[1])}" if period else "",
        "today": zh_date(env.today()), "count": len(rows), "rows": rows,
        "columns": [{"key": c.key, "label": c.label} for c in spec.columns],
    }
    return Document(kind, f"{spec.title}.docx", context)


def publicity_notice(*, uow: UnitOfWork, env: Environment, actor: Actor, kind: str,
                     organization_id: int | None = None) -> Document:
    """The 公示 of the publicities in progress in the caller's scope, one committee per
    notice, in the wording of the printable page."""
    if kind not in PUBLICITY_TITLES:
        raise NotFound(Message(f"no publicity notice {kind!r}", f"没有公示“{kind}”"))
    scope = scope_of(uow, actor, organization_id)
    board = publicity.board(uow=uow, env=env)
    with uow.transaction() as tx:
        paths = {b.id: b.path for b in queries.branches(tx.repo.connection, scope_path="/")}
    notices = []
    for group in board.groups:
        people = [n for n in group.of_kind(kind) if paths.get(n.branch_id, "").startswith(scope)]
        if not people:
            continue
        c = group.committee
        notices.append({
            "committee": c.name,
            "first_name": people[0].name, "count": len(people), "several": len(people) > 1,
            "phone": c.objection_phone or "", "email": c.objection_email or "",
            "address": c.objection_address or "",
            "people": [{"name": n.name, "gender": GENDERS.get(n.gender, n.gender),
                        "birth_month": zh_month(date.fromisoformat(n.birth_month + "-01")),
                        "branch": n.branch_name,
                        "span": f"{zh_date(n.span.first_day)}至{zh_date(n.span.last_day)}",
                        "warning": n.span.warning or ""}
                       for n in people],
        })
    context = {"kind": kind, "title": PUBLICITY_TITLES[kind], "notices": notices,
               "today": zh_date(env.today()),
               "warning": any(p["warning"] for n in notices for p in n["people"])}
    return Document(f"publicity_{kind}", f"{PUBLICITY_TITLES[kind]}.docx", context)


def _load(repo: Repository, actor: Actor, dossier_id: int) -> StoredDossier:
    stored = repo.dossier(dossier_id)
    if stored is None or not actor.covers(stored.branch_path):
        raise NotFound(Message(f"no dossier {dossier_id}", f"没有档案{dossier_id}"))
    return stored


def _header(stored: StoredDossier, env: Environment, actor: Actor) -> dict[str, str]:
    row = dossier_row(stored, env)
    sensitive = sees_private(actor)
    row["id_number"] = (stored.profile.get("id_number") or "") if sensitive else ""
    return row


def dossier_record(*, uow: UnitOfWork, env: Environment, actor: Actor,
                   dossier_id: int) -> Document:
    """发展党员工作全程纪实表: every step of the dossier with its date, who acted, the meeting
    counts and what was recorded."""
    with uow.transaction() as tx:
        stored = _load(tx.repo, actor, dossier_id)
        log = tx.repo.log(dossier_id)
        names = {m.id: m.name for m in stored.dossier.members.values()}
        missing = {e.payload["member_id"] for e in log if "member_id" in e.payload} - set(names)
        names.update({m.id: m.name for m in tx.repo.members(missing).values()})
        branches = {b.id: b.name for b in queries.branches(tx.repo.connection, scope_path="/")}
    procedure = env.procedure
    hidden = hidden_fields(actor)
    steps = []
    for e in log:
        imported = e.payload.get("imported") if isinstance(e.payload, Mapping) else None
        if e.kind == "create":
            detail = ""
        elif e.action in CORRECTION_LABELS:
            detail = describe_correction(e.action, e.payload, procedure=procedure,
                                         branches=branches, hidden=hidden)
        else:
            detail = describe_payload(e.payload, names)
        steps.append({
            "no": str(e.seq), "date": zh_date(e.effective_date),
            "step": act_label(procedure, e.kind, e.action),
            "detail": detail,
            "actor": f"{e.actor_name}（{ROLES.get(e.actor_role, e.actor_role)}）",
            "state": procedure.state(e.to_state).label_zh,
            "note": f"导入（第{imported['row']}行）" if imported else "",
        })
    context = {"title": "发展党员工作全程纪实表", "person": _header(stored, env, actor),
               "steps": steps, "today": zh_date(env.today())}
    name = stored.profile["name"]
    return Document("dossier_record", f"发展党员工作全程纪实表-{name}.docx", context)


def materials(*, uow: UnitOfWork, env: Environment, actor: Actor,
              dossier_id: int) -> Document:
    """材料清单: the papers the dossier should hold at its stage — one per act of the
    procedure taken (or to be recorded) in the states it has passed through — and whether the
    act is on record."""
    with uow.transaction() as tx:
        stored = _load(tx.repo, actor, dossier_id)
        log = tx.repo.log(dossier_id)
    visited = {e.to_state for e in log}
    taken: dict[str, list[date]] = {}
    for e in log:
        if e.kind == "transition":
            taken.setdefault(e.action, []).append(e.effective_date)
    # Records as the dossier holds them: a voided one is held no more.
    for r in stored.dossier.records:
        if not r.voided:
            taken.setdefault(r.type, []).append(r.date)
    items = [{"name": "入党申请书", "basis": "Art. 6",
              "dates": zh_date(stored.dossier.applied_on), "held": "有"}]
    for act in acts(env.procedure):
        relevant = act.name in taken or (
            act.kind == "record" and not act.is_exit and visited & set(act.states))
        if not relevant or (act.kind == "transition" and act.name not in taken):
            continue
        dates = taken.get(act.name, [])
        label = MEMBER_LABELS.get(act.name, act.label)
        items.append({"name": label, "basis": act.article,
                      "dates": "、".join(zh_date(d) for d in dates),
                      "held": "有" if dates else "未记录"})
    for number, item in enumerate(items, 1):
        item["no"] = str(number)
    context = {"title": "发展党员材料清单", "person": _header(stored, env, actor),
               "items": items, "missing": sum(i["held"] != "有" for i in items),
               "today": zh_date(env.today())}
    return Document("materials", f"材料清单-{stored.profile['name']}.docx", context)
