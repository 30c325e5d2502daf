"""What the staff's pages read besides a dossier itself: counts per state and the branches
of the actor's scope. Scoped exactly as the API's reads are (the actor's subtree)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from workflow.domain.actors import Actor
from workflow.domain.deadlines import deadline_rules
from workflow.domain.environment import Environment
from workflow.domain.rules import Deadline
from workflow.store.reports import Reports
from workflow.store.repository import Repository
from workflow.store.uow import UnitOfWork
from workflow.usecases import services


@dataclass(frozen=True)
class Branch:
    id: int
    name: str


@dataclass(frozen=True)
class Counts:
    """Dossiers per state in the actor's scope (every state of the procedure, in its order)
    and the branches of that scope."""

    states: dict[str, int]
    branches: list[Branch]

    @property
    def total(self) -> int:
        return sum(self.states.values())


def counts(*, uow: UnitOfWork, env: Environment, actor: Actor) -> Counts:
    with uow.transaction() as tx:
        rows = Reports(tx.repo.connection).state_counts(scope_path=actor.organization_path)
    per_state: Counter[str] = Counter()
    branches: dict[int, Branch] = {}
    for row in rows:
        branches.setdefault(row.branch_id, Branch(row.branch_id, row.branch_name))
        if row.state is not None:
            per_state[row.state] += row.count
    return Counts({s.name: per_state[s.name] for s in env.procedure.states},
                  list(branches.values()))


@dataclass(frozen=True)
class RegistryMember:
    id: int
    name: str
    status: str
    branch_id: int
    branch_name: str


@dataclass(frozen=True)
class Pickable:
    """Whom a record of a dossier may name: every member of its own branch, then those of
    the committee's other branches up to `OTHERS_SHOWN` (`more_elsewhere`: some left out)."""

    members: list[RegistryMember]
    more_elsewhere: bool


# A committee's registry grows with every member admitted (thousands in a large one); a form
# lists the members of the dossier's branch in full and only this many of the others.
OTHERS_SHOWN = 300


def registry_for(*, uow: UnitOfWork, view: services.DossierView) -> Pickable:
    """The members a record of a dossier (read in the actor's scope) may name — contacts,
    sponsors: the registry of its branch's committee, the dossier's own branch first."""
    scope, branch = services.registry_scope(view.stored.branch_path), view.dossier.branch_id
    with uow.transaction() as tx:
        own = tx.repo.registry(scope, branch_id=branch)
        others = tx.repo.registry(scope, other_than=branch, limit=OTHERS_SHOWN + 1)
    found = [RegistryMember(r.id, r.name, r.status, r.branch_id, r.branch_name)
             for r in [*own, *others[:OTHERS_SHOWN]]]
    return Pickable(found, len(others) > OTHERS_SHOWN)


@dataclass(frozen=True)
class Row:
    """A dossier of a list page: its list item (profile columns), its view (what can happen
    next) and its open deadlines."""

    item: dict[str, Any]
    view: services.DossierView
    deadlines: list[Deadline]


def _rows(repo: Repository, env: Environment, items: list[dict[str, Any]]) -> list[Row]:
    today = env.today()
    rulebook = env.rulebook_on(today)
    rules = deadline_rules(env.procedure)
    rows = []
    loaded = {s.dossier.id: s for s in repo.dossiers([item["id"] for item in items])}
    for item in items:
        stored = loaded.get(item["id"])
        if stored is None:  # deleted meanwhile: nothing to show
            continue
        dues = [rule.deadline(stored.dossier, rulebook, env.calendar) for rule in rules]
        rows.append(Row(item, services.view(stored, env),
                        sorted((d for d in dues if d is not None), key=lambda d: d.due)))
    return rows


def page(*, uow: UnitOfWork, env: Environment, actor: Actor, state: str | None = None,
         q: str | None = None, page: int = 1, per_page: int = 20) -> tuple[list[Row], int]:
    """A page of the dossiers in scope (as `services.list_dossiers`), each judged today."""
    items, total = services.list_dossiers(uow=uow, actor=actor, state=state, q=q, page=page,
                                          per_page=per_page)
    with uow.transaction() as tx:
        return _rows(tx.repo, env, items), total


def advanceable(*, uow: UnitOfWork, env: Environment, actor: Actor,
                look_at: int = 100) -> list[Row]:
    """Open dossiers whose next step of the procedure is allowed today, among the `look_at`
    that have waited longest since their last step (the home page's 可推进)."""
    open_states = [s.name for s in env.procedure.states if not s.final]
    with uow.transaction() as tx:
        items = tx.repo.longest_waiting(actor.organization_path, open_states, look_at)
        rows = _rows(tx.repo, env, items)
    return [r for r in rows if r.view.steps and r.view.steps[0].allowed]
