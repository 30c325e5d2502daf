"""What a dossier's audit log implies about its row: replayed with the procedure's own code.

The hash chain proves the entries were not changed; the dossier row (state, branch, dates,
version, profile) is written next to them, outside the chain. Verification replays each chain
into the facts it implies and compares them with the stored row. Nothing here knows what a
transition does: the creation entry gives the profile and the first state, a transition
applies its definition's destination and `effect` (exactly what the machine does after its
guards pass; the compliance report applies it the same way, `apply_transition`), a record
joins the dossier's records (which later effects may read).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from workflow.domain.calendar import WorkingDayCalendar
from workflow.domain.dossier import Dossier, Record
from workflow.domain.procedure import Procedure, TransitionDef
from workflow.domain.rulebook import Rulebook, RulebookSet
from workflow.domain.rules import Facts

# The stored row's fields the log implies, in the order `AuditLog.hashed_chains` packs them.
FACTS = ("branch_id", "state", "version", "last_effective_on", "activist_on", "candidate_on",
         "publicity_started_on", "voted_on", "admitted_on", "extension_months",
         "conversion_voted_on", "membership_on", "closing_reason")
PROFILE = ("name", "gender", "birth_date", "applied_on", "ethnicity", "education",
           "occupation", "frontline", "id_number", "phone")
ROW = FACTS + PROFILE


def rulebook_of(rulebooks: RulebookSet, rulebook_id: str, on: date) -> Rulebook:
    """The rulebook an entry names; one no longer configured: the one in force on its day."""
    try:
        return rulebooks.by_id(rulebook_id)
    except KeyError:
        return rulebooks.in_force_on(on)


def apply_transition(dossier: Dossier, transition: TransitionDef, facts: Facts) -> None:
    """What the machine does on a passing trigger: the new state, then the effect."""
    dossier.state = transition.dest
    if transition.effect is not None:
        transition.effect(dossier, facts)
    dossier.last_effective_on = facts.on


class Replay:
    """One dossier rebuilt entry by entry: `Replay(...)` from its creation, then `record` or
    `transition` for each later entry, in order.

    Records are kept as they come and made `Record`s only when a transition follows (whose
    effect may read them): most entries are records, and a verification replays every one.
    """

    __slots__ = ("dossier", "pending", "profile")

    def __init__(self, dossier_id: int, to_state: str, on: date,
                 payload: Mapping[str, Any]) -> None:
        self.profile = {name: payload.get(name) for name in PROFILE}
        self.dossier = Dossier(id=dossier_id, branch_id=payload.get("branch_id"),
                               state=to_state, version=1,
                               birth_date=_day(self.profile["birth_date"]),
                               applied_on=_day(self.profile["applied_on"]),
                               last_effective_on=on)
        # (seq, type, day as text, payload) of the records not yet on the dossier.
        self.pending: list[tuple[int, str, str, Any]] = []

    def record(self, seq: int, action: str, day: str, payload: Any) -> None:
        self.pending.append((seq, action, day, payload))

    def transition(self, seq: int, action: str, to_state: str, on: date,
                   payload: Mapping[str, Any], rulebook_id: str, procedure: Procedure,
                   rulebooks: RulebookSet, calendar: WorkingDayCalendar) -> None:
        dossier = self.dossier
        if self.pending:
            dossier.records.extend(Record(i, action, date.fromisoformat(day), data)
                                   for i, action, day, data in self.pending)
            self.pending.clear()
        dossier.version = seq - 1
        transition = procedure.transition(action, dossier.state)
        if transition is None:
            # Not a transition of the procedure from here: the entry says where it went.
            dossier.state, dossier.last_effective_on = to_state, on
        else:
            apply_transition(dossier, transition,
                             Facts(dossier, on, rulebook_of(rulebooks, rulebook_id, on),
                                   calendar, payload))
        dossier.version = seq

    def implied(self, entries: int) -> tuple[Any, ...]:
        """The row the log of `entries` entries implies, in `ROW` order, as JSON holds it."""
        dossier = self.dossier
        dossier.version = entries
        values = [getattr(dossier, name) for name in FACTS]
        values += [self.profile[name] for name in PROFILE]
        return tuple(_plain(v) for v in values)


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _stored(name: str, value: Any) -> Any:
    # SQLite keeps booleans as 0 and 1.
    if name == "frontline" and value is not None:
        return bool(value)
    return value


def first_difference(implied: Sequence[Any], stored: Sequence[Any]) -> str | None:
    """The first field (in `ROW` order) where the stored row differs from the log's."""
    for name, expected, actual in zip(ROW, implied, stored, strict=True):
        if _stored(name, expected) != _stored(name, actual):
            return name
    return None
