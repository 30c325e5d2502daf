"""The vocabulary in which `states/` declares the procedure: states, transitions, records."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from workflow.domain.calendar import WorkingDayCalendar, WorkingDaySpan
from workflow.domain.dossier import Dossier, Record
from workflow.domain.roles import Role
from workflow.domain.rulebook import Rulebook
from workflow.domain.rules import Facts, Param, Rule


@dataclass(frozen=True)
class StateDef:
    name: str
    label_zh: str
    label_en: str
    final: bool = False
    article: str = ""


# An effect writes the dates a transition establishes (activist date, vote date…) onto the
# dossier. It runs after the guards passed, while the dossier is still in the source state,
# and before anything is stored.
Effect = Callable[[Dossier, Facts], None]


@dataclass(frozen=True)
class TransitionDef:
    trigger: str
    sources: tuple[str, ...]
    dest: str
    roles: frozenset[Role]
    rules: tuple[Rule, ...] = ()
    params: tuple[Param, ...] = ()
    effect: Effect | None = None
    summary_en: str = ""
    summary_zh: str = ""
    article: str = ""
    # Where the act leads to one of several states (the committee approves whichever motion
    # the branch voted): the other destinations, and `route`, which names the one of an act.
    routes: tuple[str, ...] = ()
    route: Callable[[Facts], str] | None = None

    @property
    def dests(self) -> tuple[str, ...]:
        return (self.dest, *self.routes)


# A record validator returns field errors ({field: message}) for data that cannot stand on
# this dossier at all (an objection id that is not an objection of it, say).
RecordValidator = Callable[[Dossier, Record], dict[str, str]]


@dataclass(frozen=True)
class RecordType:
    name: str
    label_zh: str
    label_en: str
    roles: frozenset[Role]
    states: tuple[str, ...]
    params: tuple[Param, ...] = ()
    validate: RecordValidator | None = None
    article: str = ""


@dataclass(frozen=True)
class Publicity:
    """How the procedure declares its publicities, for those who read them without judging
    a rule (the dossier's view, the public board, statistics): which states are one, the
    working days of the current one, and the objections raised in it."""

    states: tuple[str, ...]
    span: Callable[[Dossier, Rulebook, WorkingDayCalendar], WorkingDaySpan]
    objections: Callable[[Dossier], list[tuple[Record, Record | None]]]


@dataclass(frozen=True)
class Stage:
    """What one module of `states/` declares."""

    states: tuple[StateDef, ...] = ()
    transitions: tuple[TransitionDef, ...] = ()
    records: tuple[RecordType, ...] = ()
    # Rules checked when a dossier is created (only the application stage has them).
    creation_rules: tuple[Rule, ...] = ()
    # Rules that only produce deadlines for the agenda (nothing blocks on them).
    deadline_rules: tuple[Rule, ...] = ()
    # Declared by the stage that owns them: at most one stage declares each.
    publicity: Publicity | None = None
    # The states in which the person is a probationary member (of the registry).
    probation_states: tuple[str, ...] = ()
    # Transitions of earlier revisions of the rulebook, no longer fired but kept so that the
    # compliance report can replay the history recorded with them.
    retired: tuple[TransitionDef, ...] = ()


# Compared and hashed by identity: it is the key of the per-rulebook engine cache.
@dataclass(frozen=True, eq=False)
class Procedure:
    initial: str
    states: tuple[StateDef, ...]
    transitions: tuple[TransitionDef, ...]
    records: tuple[RecordType, ...]
    creation_rules: tuple[Rule, ...]
    deadline_rules: tuple[Rule, ...] = field(default=())
    publicity: Publicity | None = None
    probation_states: tuple[str, ...] = ()
    retired: tuple[TransitionDef, ...] = ()
    # The revision of the rulebook this procedure encodes; audit entries name it.
    revision: int = 1

    @classmethod
    def from_stages(cls, initial: str, stages: Iterable[Stage], revision: int = 1) -> Procedure:
        stages = list(stages)
        publicities = [stage.publicity for stage in stages if stage.publicity is not None]
        if len(publicities) > 1:
            raise ValueError("publicity is declared by more than one stage")
        return cls(
            initial=initial,
            states=tuple(s for stage in stages for s in stage.states),
            transitions=tuple(t for stage in stages for t in stage.transitions),
            records=tuple(r for stage in stages for r in stage.records),
            creation_rules=tuple(r for stage in stages for r in stage.creation_rules),
            deadline_rules=tuple(r for stage in stages for r in stage.deadline_rules),
            publicity=publicities[0] if publicities else None,
            probation_states=tuple(s for stage in stages for s in stage.probation_states),
            retired=tuple(t for stage in stages for t in stage.retired),
            revision=revision,
        )

    def in_publicity(self, state: str) -> bool:
        return self.publicity is not None and state in self.publicity.states

    def state(self, name: str) -> StateDef:
        return next(s for s in self.states if s.name == name)

    def record_type(self, name: str) -> RecordType | None:
        return next((r for r in self.records if r.name == name), None)

    def transition(self, trigger: str, source: str) -> TransitionDef | None:
        return next(
            (t for t in self.transitions if t.trigger == trigger and source in t.sources), None
        )

    def replayed(self, trigger: str, source: str) -> TransitionDef | None:
        """The transition an audit entry recorded, retired ones included."""
        return self.transition(trigger, source) or next(
            (t for t in self.retired if t.trigger == trigger and source in t.sources), None)

    def triggers(self) -> list[str]:
        return list(dict.fromkeys(t.trigger for t in self.transitions))

    def transitions_from(self, source: str) -> list[TransitionDef]:
        return [t for t in self.transitions if source in t.sources]

    def rules(self) -> dict[str, Rule]:
        """Every rule of the procedure by id; one id, one definition."""
        found: dict[str, Rule] = {}
        every = [
            *self.creation_rules,
            *self.deadline_rules,
            *(r for t in self.transitions for r in t.rules),
        ]
        for rule in every:
            other = found.setdefault(rule.id, rule)
            if other is not rule:
                raise ValueError(f"rule id {rule.id!r} is defined twice")
        return found

    def check(self) -> None:
        """Refuse a procedure with unreachable states, dead ends or dangling names."""
        names = {s.name for s in self.states}
        if len(names) != len(self.states):
            raise ValueError("duplicate state names")
        if self.initial not in names:
            raise ValueError(f"initial state {self.initial!r} is not declared")
        for t in self.transitions:
            unknown = {*t.sources, *t.dests} - names
            if unknown:
                raise ValueError(f"{t.trigger}: unknown states {sorted(unknown)}")
        declared = {*self.probation_states,
                    *(self.publicity.states if self.publicity else ())}
        if declared - names:
            raise ValueError(f"unknown states declared: {sorted(declared - names)}")
        for r in self.records:
            unknown = set(r.states) - names
            if unknown:
                raise ValueError(f"record {r.name}: unknown states {sorted(unknown)}")
        reachable = {self.initial}
        frontier = [self.initial]
        while frontier:
            current = frontier.pop()
            for t in self.transitions_from(current):
                for dest in t.dests:
                    if dest not in reachable:
                        reachable.add(dest)
                        frontier.append(dest)
        if reachable != names:
            raise ValueError(f"unreachable states: {sorted(names - reachable)}")
        for s in self.states:
            has_exit = bool(self.transitions_from(s.name))
            if s.final and has_exit:
                raise ValueError(f"final state {s.name} has a way out")
            if not s.final and not has_exit:
                raise ValueError(f"state {s.name} is a dead end")
        self.rules()
