"""Rosters as spreadsheets: the dossiers of a scope (with the list's filters, and the columns
their states fill), the registry, and who becomes eligible for a step within N days.

Eligibility is the dossier's own `next` (services.view: each rule's verdict and
`earliest_date`), never a formula of its own: a dossier is listed when every failing rule of the
step names a day, and the last of those days is within the horizon.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from workflow.domain.actors import Actor
from workflow.domain.environment import Environment
from workflow.domain.errors import Invalid, Message, NotFound
from workflow.store import paperwork as queries
from workflow.store.repository import StoredDossier
from workflow.store.uow import UnitOfWork
from workflow.usecases import services
from workflow.usecases.agenda import scope_of
from workflow.usecases.paperwork.vocabulary import GENDERS, YES_NO
from workflow.usecases.privacy import sees_private


@dataclass(frozen=True)
class Roster:
    title: str
    headers: list[str]
    rows: list[list[Any]]

    @property
    def filename(self) -> str:
        return f"{self.title}.xlsx"


DATE_COLUMNS = (("applied_on", "申请入党时间"), ("activist_on", "确定为入党积极分子时间"),
                ("candidate_on", "确定为发展对象时间"), ("publicity_started_on", "公示开始时间"),
                ("voted_on", "支部大会通过时间"), ("admitted_on", "党委审批时间"),
                ("conversion_voted_on", "转正支部大会时间"),
                ("membership_on", "转为正式党员时间"))
STATUSES = {"full": "正式党员", "probationary": "预备党员", "former": "已不是党员"}

# The eligibility lists: the step each is about.
ELIGIBILITY = {
    "activist": ("designate_activist", "可确定为入党积极分子名单"),
    "candidate": ("designate_candidate", "可确定为发展对象名单"),
    "admission": ("approve", "可审批接收为预备党员名单"),
    "conversion": ("start_conversion_publicity", "预备期将满可讨论转正名单"),
}
TALKS = ("talk_deadline", "未进行入党申请谈话名单")


def _stored(uow: UnitOfWork, ids: list[int]) -> Iterator[StoredDossier]:
    with uow.transaction() as tx:
        for dossier_id in ids:
            stored = tx.repo.dossier(dossier_id)
            if stored is not None:
                yield stored


def _names(stored: StoredDossier, record_type: str) -> str:
    return "、".join(m.name if m else "?" for m in stored.dossier.named_members(record_type))


def dossiers(*, uow: UnitOfWork, env: Environment, actor: Actor, state: str | None = None,
             branch_id: int | None = None, q: str | None = None) -> Roster:
    """The dossiers of the list (same filters), with the date columns their states fill."""
    if state is not None and state not in {s.name for s in env.procedure.states}:
        raise Invalid({"state": Message("unknown state", "没有这个阶段")})
    with uow.transaction() as tx:
        ids = queries.dossier_ids(tx.repo.connection, scope_path=actor.organization_path,
                                  states=[state] if state else None, branch_id=branch_id, q=q)
    found = list(_stored(uow, ids))
    sensitive = sees_private(actor)
    dates = [(k, label) for k, label in DATE_COLUMNS
             if any(getattr(s.dossier, k) for s in found)]
    extras = [(t, label) for t, label in (("contact", "培养联系人"), ("sponsor", "入党介绍人"))
              if any(s.dossier.records_of(t) for s in found)]
    headers = ["编号", "支部", "姓名", "性别", "出生日期", "民族", "学历", "职务", "是否一线",
               *(["身份证号", "联系电话"] if sensitive else []), "当前阶段",
               *(label for _, label in dates), *(label for _, label in extras)]
    rows = []
    for s in found:
        d, p = s.dossier, s.profile
        frontline = p.get("frontline")
        rows.append([
            d.id, s.branch_name, p["name"], GENDERS.get(p["gender"], p["gender"]),
            d.birth_date, p.get("ethnicity") or "", p.get("education") or "",
            p.get("occupation") or "", YES_NO.get(frontline, "") if frontline is not None else "",
            *([p.get("id_number") or "", p.get("phone") or ""] if sensitive else []),
            env.procedure.state(d.state).label_zh,
            *(getattr(d, k) for k, _ in dates), *(_names(s, t) for t, _ in extras),
        ])
    title = "发展党员名册" + (f"（{env.procedure.state(state).label_zh}）" if state else "")
    return Roster(title, headers, rows)


def registry(*, uow: UnitOfWork, actor: Actor, branch_id: int | None = None,
             status: str | None = None) -> Roster:
    if status is not None and status not in STATUSES:
        raise Invalid({"status": Message(f"one of {', '.join(STATUSES)}",
                                          f"应为以下之一：{'、'.join(STATUSES)}")})
    with uow.transaction() as tx:
        rows = [[m.id, m.branch_name, m.name, STATUSES.get(m.status, m.status), m.joined_on,
                 m.full_on, "是" if m.dossier_id else "否"]
                for m in queries.registry(tx.repo.connection, scope_path=actor.organization_path,
                                          branch_id=branch_id, status=status)]
    return Roster("党员名册", ["编号", "支部", "姓名", "状态", "入党时间", "转正时间",
                              "经本系统发展"], rows)


def eligible(*, uow: UnitOfWork, env: Environment, actor: Actor, kind: str,
             within_days: int = 0, organization_id: int | None = None) -> Roster:
    """Who can take a step within `within_days` (0: today), by the dossier's own `next`; or,
    for `talk`, the applicants whose application talk is still to hold, with its deadline."""
    if kind == "talk":
        return _talks(uow=uow, env=env, actor=actor, within_days=within_days,
                      organization_id=organization_id)
    if kind not in ELIGIBILITY:
        raise NotFound(Message(f"no eligibility list {kind!r}", f"没有名单“{kind}”"))
    trigger, title = ELIGIBILITY[kind]
    sources = sorted({s for t in env.procedure.transitions if t.trigger == trigger
                      for s in t.sources})
    today = env.today()
    horizon = today + timedelta(days=within_days)
    scope = scope_of(uow, actor, organization_id)
    with uow.transaction() as tx:
        ids = queries.dossier_ids(tx.repo.connection, scope_path=scope, states=sources)
    rows = []
    for stored in _stored(uow, ids):
        step = next(s for s in services.view(stored, env).steps
                    if s.transition.trigger == trigger)
        days = [f.earliest_date for f in step.failures]
        if any(day is None for day in days):
            continue
        ready = max([today, *days])
        if ready > horizon:
            continue
        d = stored.dossier
        rows.append([d.id, stored.branch_name, stored.profile["name"],
                     GENDERS.get(stored.profile["gender"], ""),
                     env.procedure.state(d.state).label_zh, ready, (ready - today).days,
                     "、".join(step.pending_inputs)])
    rows.sort(key=lambda r: (r[5], r[0]))
    return Roster(f"{title}（{within_days}日内）", [
        "编号", "支部", "姓名", "性别", "当前阶段", "最早可办理日期", "距今天数",
        "办理时须填写"], rows)


def _talks(*, uow: UnitOfWork, env: Environment, actor: Actor, within_days: int,
           organization_id: int | None) -> Roster:
    rule_id, title = TALKS
    rule = env.procedure.rules()[rule_id]
    today = env.today()
    rulebook = env.rulebook_on(today)
    horizon = today + timedelta(days=within_days) if within_days else None
    scope = scope_of(uow, actor, organization_id)
    with uow.transaction() as tx:
        ids = queries.dossier_ids(tx.repo.connection, scope_path=scope,
                                  states=[env.procedure.initial])
    rows = []
    for stored in _stored(uow, ids):
        d = stored.dossier
        deadline = rule.deadline(d, rulebook, env.calendar)
        if deadline is None or (horizon is not None and deadline.due > horizon):
            continue
        left = (deadline.due - today).days
        rows.append([d.id, stored.branch_name, stored.profile["name"], d.applied_on,
                     deadline.due, left, "已逾期" if left < 0 else ""])
    rows.sort(key=lambda r: (r[4], r[0]))
    return Roster(title, ["编号", "支部", "姓名", "申请入党时间", "谈话期限",
                          "剩余天数", "备注"], rows)


