"""The agenda: every open obligation of the dossiers in a user's scope, with its due date.

Nothing here knows a deadline: each rule of the procedure that declares a `deadline` says,
for a dossier, whether an obligation is open and when it falls due. These are the same rule
definitions the guards judge by, so the agenda and the guards cannot disagree.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from workflow.domain.actors import Actor
from workflow.domain.deadlines import (
    deadline_record_types,
    deadline_rules,
    earliest_due,
    fingerprint,
)
from workflow.domain.dossier import Dossier, RecordsNotLoaded
from workflow.domain.environment import Environment
from workflow.domain.errors import NO_ORGANIZATION_IN_SCOPE, Forbidden, Invalid, role_may_not
from workflow.domain.roles import Role
from workflow.store.deadline_index import DeadlineIndex
from workflow.store.reports import OpenDossier, Reports
from workflow.store.uow import UnitOfWork

T = TypeVar("T")

# Who has an agenda: those who act on dossiers or watch them.
AGENDA_ROLES = (Role.BRANCH, Role.COMMITTEE, Role.AUDITOR)


@dataclass(frozen=True)
class AgendaItem:
    dossier_id: int
    name: str
    branch_id: int
    branch_name: str
    state: str
    rule: str
    title_en: str
    title_zh: str
    due: date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def scope_of(uow: UnitOfWork, actor: Actor, organization_id: int | None) -> str:
    """The path of the subtree asked for: the actor's, or an organisation inside it."""
    if organization_id is None:
        return actor.organization_path
    with uow.transaction() as tx:
        organization = tx.repo.organization(organization_id)
    if organization is None or not actor.covers(organization.path):
        raise Invalid({"organization_id": NO_ORGANIZATION_IN_SCOPE})
    return organization.path


def agenda(*, uow: UnitOfWork, env: Environment, actor: Actor,
           organization_id: int | None = None, horizon_days: int | None = None,
           today: date | None = None, use_index: bool = True) -> list[AgendaItem]:
    """Open obligations in scope, by due date; overdue ones always, others up to the horizon.

    The deadline index narrows the dossiers asked to those with something due by the horizon
    when it was built for the running configuration; otherwise (or with `use_index=False`)
    every open dossier of the scope is asked. Either way the rules give the dates."""
    if actor.role not in AGENDA_ROLES:
        raise Forbidden(role_may_not(actor.role, "read an agenda", "查看日程"))
    scope = scope_of(uow, actor, organization_id)
    today = today or env.today()
    rulebook = env.rulebook_on(today)
    rules = deadline_rules(env.procedure)
    open_states = [s.name for s in env.procedure.states if not s.final]
    until = today + timedelta(days=horizon_days) if horizon_days is not None else None
    with uow.transaction() as tx:
        connection = tx.repo.connection
        due_by = None
        if use_index and _current(DeadlineIndex(connection), env):
            # A dossier's bound is on or before each of its due dates: one due by `until`
            # has its bound by then. Without a horizon, any bound at all.
            due_by = until or date.max
        reports = Reports(connection)
        found = reports.dossiers_in_scope(scope_path=scope, states=open_states, due_by=due_by)
        dues = _computed(reports, found, env, lambda d: [
            rule.deadline(d, rulebook, env.calendar) for rule in rules])
    items = []
    for entry in found:
        d = entry.dossier
        for deadline in dues[d.id]:
            if deadline is None or (until is not None and deadline.due > until):
                continue
            items.append(AgendaItem(
                dossier_id=d.id, name=entry.name, branch_id=d.branch_id,
                branch_name=entry.branch_name, state=d.state, rule=deadline.rule,
                title_en=deadline.title_en, title_zh=deadline.title_zh, due=deadline.due,
                days_left=(deadline.due - today).days,
            ))
    items.sort(key=lambda i: (i.due, i.dossier_id, i.rule))
    return items


# The deadline index (workflow.domain.deadlines): is it current, and its rebuild.

REINDEX_BATCH = 2000
# How often a rebuild says how far it got (a million dossiers: a line every 50,000).
LOG_EVERY = 50_000


@dataclass(frozen=True)
class Reindexed:
    dossiers: int
    changed: int
    seconds: float


def _computed(reports: Reports, found: list[OpenDossier], env: Environment,
              compute: Callable[[Dossier], T]) -> dict[int, T]:
    """`compute` of each dossier found, by id. Found without their records (most deadlines
    look at none: a probationer's end of probation, a publicity's last day); those whose
    computation looked at them get the record types deadlines read, and are computed again."""
    done: dict[int, T] = {}
    pending = []
    for entry in found:
        try:
            done[entry.dossier.id] = compute(entry.dossier)
        except RecordsNotLoaded:
            pending.append(entry.dossier)
    if pending:
        records = reports.records([d.id for d in pending], deadline_record_types(env.procedure))
        for dossier in pending:
            dossier.records = records.get(dossier.id, [])
            done[dossier.id] = compute(dossier)
    return done


def _current(index: DeadlineIndex, env: Environment) -> bool:
    return index.fingerprint() == fingerprint(env.procedure, env.rulebooks)


def index_is_current(*, uow: UnitOfWork, env: Environment) -> bool:
    """Whether the stored index was built with the running rulebooks and rules."""
    with uow.transaction() as tx:
        return _current(DeadlineIndex(tx.repo.connection), env)


def reindex(*, uow: UnitOfWork, env: Environment, batch: int = REINDEX_BATCH,
            log: Callable[[str], None] | None = None) -> Reindexed:
    """Recompute `next_due` of every open dossier, `batch` at a time (memory stays flat),
    then record what the index was built with; the agenda uses it from then on.

    The service keeps writing meanwhile: each batch is read in one transaction and written
    in a short one, where the dossier is still at the version read (a newer change wrote
    its own bound already)."""
    started = time.monotonic()
    open_states = [s.name for s in env.procedure.states if not s.final]
    closed_states = [s.name for s in env.procedure.states if s.final]
    with uow.transaction(write=True) as tx:
        DeadlineIndex(tx.repo.connection).mark_stale()
        tx.commit()
    seen = changed = 0
    after = 0
    while True:
        with uow.transaction() as tx:
            reports = Reports(tx.repo.connection)
            found = reports.dossiers_after(after_id=after, states=open_states, limit=batch)
            bounds = _computed(reports, found, env,
                               lambda d: earliest_due(d, env.procedure, env.rulebooks))
        if not found:
            break
        after = found[-1].dossier.id
        stale = [(e.dossier.id, e.dossier.version, bounds[e.dossier.id]) for e in found
                 if bounds[e.dossier.id] != e.next_due]
        if stale:
            with uow.transaction(write=True) as tx:
                DeadlineIndex(tx.repo.connection).store(stale)
                tx.commit()
        seen += len(found)
        changed += len(stale)
        if log and seen % LOG_EVERY < len(found):
            log(f"{seen} open dossiers, {changed} bounds changed")
    with uow.transaction(write=True) as tx:
        index = DeadlineIndex(tx.repo.connection)
        changed += index.clear(closed_states)
        index.mark_built(fingerprint(env.procedure, env.rulebooks), now=env.now())
        tx.commit()
    return Reindexed(seen, changed, round(time.monotonic() - started, 1))


def reindex_if_stale(*, uow: UnitOfWork, env: Environment,
                     log: Callable[[str], None] | None = None) -> Reindexed | None:
    """`reindex` when the stored index is not the running configuration's (after an upgrade
    that added it, a change of rulebook versions, a release that changed a deadline)."""
    if index_is_current(uow=uow, env=env):
        return None
    return reindex(uow=uow, env=env, log=log)
