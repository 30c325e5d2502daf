"""The agenda: every open obligation of the dossiers in a user's scope, with its due date.

Nothing here knows a deadline: each rule of the procedure that declares a `deadline` says,
for a dossier, whether an obligation is open and when it falls due. These are the same rule
definitions the guards judge by, so the agenda and the guards cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from workflow.actors import Actor
from workflow.environment import Environment
from workflow.errors import Forbidden, Invalid
from workflow.roles import Role
from workflow.rules import Rule
from workflow.store.reports import Reports
from workflow.store.uow import UnitOfWork

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


def deadline_rules(env: Environment) -> list[Rule]:
    return [rule for rule in env.procedure.rules().values() if rule.deadline is not None]


def scope_of(uow: UnitOfWork, actor: Actor, organization_id: int | None) -> str:
    """The path of the subtree asked for: the actor's, or an organisation inside it."""
    if organization_id is None:
        return actor.organization_path
    with uow.transaction() as tx:
        organization = tx.repo.organization(organization_id)
    if organization is None or not actor.covers(organization.path):
        raise Invalid({"organization_id": "no organisation with this id in your scope"})
    return organization.path


def agenda(*, uow: UnitOfWork, env: Environment, actor: Actor,
           organization_id: int | None = None, horizon_days: int | None = None,
           today: date | None = None) -> list[AgendaItem]:
    """Open obligations in scope, by due date; overdue ones always, others up to the horizon."""
    if actor.role not in AGENDA_ROLES:
        raise Forbidden(f"the {actor.role} role has no agenda")
    scope = scope_of(uow, actor, organization_id)
    today = today or env.today()
    rulebook = env.rulebook_on(today)
    rules = deadline_rules(env)
    open_states = [s.name for s in env.procedure.states if not s.final]
    with uow.transaction() as tx:
        found = Reports(tx.repo.connection).dossiers_with_records(scope_path=scope,
                                                                  states=open_states)
    until = today + timedelta(days=horizon_days) if horizon_days is not None else None
    items = []
    for entry in found:
        d = entry.dossier
        for rule in rules:
            deadline = rule.deadline(d, rulebook, env.calendar)
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
