"""The committee's work queues (组织员待办): per committee step, the dossiers waiting for it.

The queues are read from the procedure, not listed here: one per trigger only a committee
fires, over the trigger's source states, and one of the filings (备案) a branch step waits
for. Each dossier of a queue is judged by the guards' own rules on today's date, so a queue
and the dossier page cannot disagree about what is allowed, what fails and until when.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date

from workflow.domain.actors import Actor
from workflow.domain.deadlines import deadline_rules
from workflow.domain.environment import Environment
from workflow.domain.errors import Forbidden, Message, NotFound, role_may_not
from workflow.domain.procedure import Procedure
from workflow.domain.roles import Role
from workflow.domain.rules import Failure
from workflow.store.reports import OpenDossier, Reports
from workflow.store.uow import UnitOfWork

QUEUE_ROLES = (Role.COMMITTEE,)
FILING = "filing"


def is_filing_rule(rule_id: str) -> bool:
    """A rule of a branch's step that only the committee's filing record satisfies (`filed`,
    and the later stages' `*_filed`): its failure puts the dossier in the filing queue."""
    return rule_id == "filed" or rule_id.endswith("_filed")


@dataclass(frozen=True)
class QueueDef:
    key: str  # the trigger, or FILING
    label_zh: str
    states: tuple[str, ...]
    trigger: str | None  # the step the queue waits for; None: a record (the filing)


@dataclass(frozen=True)
class QueueItem:
    dossier_id: int
    name: str
    branch_id: int
    branch_name: str
    state: str
    since: date  # the dossier's last transition
    allowed: bool  # the queue's step may be taken today
    failures: tuple[Failure, ...]
    due: date | None  # the earliest open deadline of the dossier
    days_left: int | None  # until `due`; negative when overdue


@dataclass(frozen=True)
class Queue:
    definition: QueueDef
    items: list[QueueItem]

    @property
    def waiting(self) -> int:
        """How many can be acted on today (the tab's "N条待处理")."""
        return sum(i.allowed for i in self.items)


def definitions(procedure: Procedure) -> list[QueueDef]:
    """The queues, in the order of the procedure: the filing first, then each trigger only a
    committee fires (triggers a branch may fire too — reject, return — are no queue; a second
    committee trigger from the same states is a choice in the first one's queue)."""
    filing_states = tuple(dict.fromkeys(
        s for t in procedure.transitions if any(is_filing_rule(r.id) for r in t.rules)
        for s in t.sources))
    filing = procedure.record_type(FILING)
    found = []
    if filing is not None and filing_states:
        found.append(QueueDef(FILING, filing.label_zh, filing_states, None))
    for t in procedure.transitions:
        if t.roles == frozenset({Role.COMMITTEE}) and all(t.sources != d.states
                                                         for d in found):
            label = (t.summary_zh or t.trigger).rstrip("。")  # a tab's name, not a sentence
            found.append(QueueDef(t.trigger, label, t.sources, t.trigger))
    return found


def queue_of_state(procedure: Procedure, state: str) -> str | None:
    """The committee step a dossier in this state waits for (a publicity: its closing)."""
    return next((d.key for d in definitions(procedure)
                 if d.trigger is not None and state in d.states), None)


def _definition(procedure: Procedure, key: str) -> QueueDef:
    for d in definitions(procedure):
        if d.key == key:
            return d
    raise NotFound(Message(f"no queue {key!r}", f"没有待办队列{key}"))


def _judge(env: Environment, today: date, definition: QueueDef,
           entry: OpenDossier) -> QueueItem | None:
    d = entry.dossier
    engine = env.engine_on(today)
    facts = engine.facts(d, today, env.calendar)
    steps = engine.steps(d, facts)
    if definition.trigger is None:
        failures = tuple(f for s in steps for f in s.failures if is_filing_rule(f.rule))
        if not failures:
            return None  # filed already: nothing waits for the committee
        failures = tuple({f.rule: f for f in failures}.values())
        allowed = True
    else:
        step = next(s for s in steps if s.transition.trigger == definition.trigger)
        failures, allowed = step.failures, step.allowed
    dues = [x.due for rule in deadline_rules(env.procedure)
            if (x := rule.deadline(d, engine.rulebook, env.calendar)) is not None]
    due = min(dues, default=None)
    return QueueItem(d.id, entry.name, d.branch_id, entry.branch_name, d.state,
                     d.last_effective_on, allowed, failures, due,
                     None if due is None else (due - today).days)


def queues(*, uow: UnitOfWork, env: Environment, actor: Actor,
           only: str | None = None) -> list[Queue]:
    """Every queue of the actor's scope (or the one named `only`), its dossiers by id."""
    if actor.role not in QUEUE_ROLES:
        raise Forbidden(role_may_not(actor.role, "work the committee's queues", "办理组织员待办"))
    wanted = definitions(env.procedure)
    if only is not None:
        wanted = [_definition(env.procedure, only)]
    states = sorted({s for d in wanted for s in d.states})
    today = env.today()
    with uow.transaction() as tx:
        found = Reports(tx.repo.connection).dossiers_with_records(
            scope_path=actor.organization_path, states=states)
    result = []
    for definition in wanted:
        items = [item for entry in found if entry.dossier.state in definition.states
                 if (item := _judge(env, today, definition, entry)) is not None]
        result.append(Queue(definition, items))
    return result


def neighbours(*, uow: UnitOfWork, env: Environment, actor: Actor, key: str,
               dossier_id: int) -> tuple[int | None, int | None]:
    """The dossiers before and after one in a queue (上一条/下一条), by id: also from one that
    has just left it (its step taken), so that the next one is a click away."""
    ids = [i.dossier_id for i in queues(uow=uow, env=env, actor=actor, only=key)[0].items]
    at = bisect_left(ids, dossier_id)
    after = at + 1 if at < len(ids) and ids[at] == dossier_id else at
    return (ids[at - 1] if at > 0 else None, ids[after] if after < len(ids) else None)
