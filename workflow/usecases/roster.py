"""What the staff's pages read besides a dossier itself: counts per state and the branches
of the actor's scope. Scoped exactly as the API's reads are (the actor's subtree)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from workflow.domain.actors import Actor
from workflow.domain.environment import Environment
from workflow.store.reports import Reports
from workflow.store.uow import UnitOfWork


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
