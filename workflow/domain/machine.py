"""The state machine: one `transitions.Machine` per rulebook, shared by every dossier.

Dossiers are never added to the machine as models (that costs a bound method per trigger and
per object); an event is fired for a dossier directly, which `transitions` supports for any
object carrying a `state` attribute. The machine's conditions are the rules themselves, so the
guard that blocks and the explanation of why are the same code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from transitions import EventData, Machine

from workflow.domain.calendar import WorkingDayCalendar
from workflow.domain.dossier import Dossier
from workflow.domain.errors import GuardFailed, InvalidTransition, UnknownTrigger
from workflow.domain.procedure import Procedure, TransitionDef
from workflow.domain.rulebook import Rulebook
from workflow.domain.rules import Facts, Failure, Rule


def _condition(rule: Rule):
    def holds(event: EventData) -> bool:
        return rule.passes(event.kwargs["facts"])

    holds.__name__ = f"rule_{rule.id}"
    return holds


def _routed_to(transition: TransitionDef, dest: str):
    def chosen(event: EventData) -> bool:
        return transition.route(event.kwargs["facts"]) == dest

    chosen.__name__ = f"route_{dest}"
    return chosen


def _effect(transition: TransitionDef):
    def apply(event: EventData) -> None:
        facts: Facts = event.kwargs["facts"]
        if transition.effect is not None:
            transition.effect(event.model, facts)

    return apply


@dataclass(frozen=True)
class Step:
    """A trigger available from a state, judged on a date without its payload."""

    transition: TransitionDef
    failures: tuple[Failure, ...]
    pending_inputs: tuple[str, ...]
    # Where it would lead now (a routed transition's destination depends on the facts).
    dest: str = ""

    @property
    def allowed(self) -> bool:
        return not self.failures


class Engine:
    """The procedure bound to one rulebook."""

    def __init__(self, procedure: Procedure, rulebook: Rulebook) -> None:
        procedure.check()
        self.procedure = procedure
        self.rulebook = rulebook
        self.machine = Machine(
            model=None,
            states=[s.name for s in procedure.states],
            initial=procedure.initial,
            auto_transitions=False,
            send_event=True,
            ignore_invalid_triggers=False,
        )
        for t in procedure.transitions:
            for source in t.sources:
                for dest in t.dests:
                    # transitions tries the alternatives in order; the route's condition comes
                    # first, so that only the chosen destination's rules decide.
                    route = [_routed_to(t, dest)] if t.route is not None else []
                    self.machine.add_transition(
                        t.trigger,
                        source,
                        dest,
                        conditions=[*route, *(_condition(rule) for rule in t.rules)],
                        before=[_effect(t)],
                    )

    def facts(
        self,
        dossier: Dossier,
        on: date,
        calendar: WorkingDayCalendar,
        payload: Mapping[str, Any] | None = None,
    ) -> Facts:
        return Facts(dossier, on, self.rulebook, calendar, payload or {})

    def transition_for(self, dossier: Dossier, trigger: str) -> TransitionDef:
        if trigger not in self.machine.events:
            raise UnknownTrigger(trigger)
        transition = self.procedure.transition(trigger, dossier.state)
        if transition is None:
            raise InvalidTransition(trigger, dossier.state,
                                    self.procedure.state(dossier.state).label_zh)
        return transition

    def explain(self, transition: TransitionDef, facts: Facts) -> list[Failure]:
        """Every failing rule of a transition, not just the first."""
        return [f for rule in transition.rules
                if facts.judges(rule) and (f := rule.evaluate(facts)) is not None]

    def fire(self, dossier: Dossier, trigger: str, facts: Facts) -> TransitionDef:
        """Apply a trigger to the dossier in memory, or raise why it cannot be applied.

        On any exception the dossier object may be half-changed and must be discarded: the
        database transaction, not this object, is the source of truth.
        """
        transition = self.transition_for(dossier, trigger)
        if not self.machine.events[trigger].trigger(dossier, facts=facts):
            raise GuardFailed(self.explain(transition, facts))
        return transition

    def steps(self, dossier: Dossier, facts: Facts) -> list[Step]:
        """Every trigger of the dossier's state, judged on the facts' date.

        Rules that need a payload (vote counts, a reason) cannot be judged before it is given;
        they are listed as pending inputs instead of failures.
        """
        steps = []
        for transition in self.procedure.transitions_from(dossier.state):
            judged = [r for r in transition.rules if not r.inputs]
            pending = tuple(dict.fromkeys(i for r in transition.rules for i in r.inputs))
            failures = tuple(f for r in judged if (f := r.evaluate(facts)) is not None)
            dest = transition.route(facts) if transition.route else transition.dest
            steps.append(Step(transition, failures, pending, dest))
        return steps

    def check_creation(self, facts: Facts) -> None:
        failures = [f for rule in self.procedure.creation_rules if (f := rule.evaluate(facts))]
        if failures:
            raise GuardFailed(failures)


@lru_cache(maxsize=16)
def engine_for(procedure: Procedure, rulebook: Rulebook) -> Engine:
    """The engine of a rulebook, built once per process."""
    return Engine(procedure, rulebook)
