"""What a dossier's audit log implies about its row: replayed with the procedure's own code.

The hash chain proves the entries were not changed; the dossier row (state, branch, dates,
version, profile) is written next to them, outside the chain. Verification replays each chain
into the facts it implies and compares them with the stored row; the compliance report
replays with the same functions. Nothing here knows what a transition does: the creation
entry gives the profile and the first state; a transition runs its definition's `effect`
(exactly what the machine runs after its guards pass) and takes the state its entry names; a
correction is applied by `apply_correction`; a record joins the dossier's records (which
effects may read).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from workflow.domain.calendar import WorkingDayCalendar
from workflow.domain.dossier import CORRECT_PROFILE, TRANSFER, VOID, Dossier, Record
from workflow.domain.procedure import Procedure, TransitionDef
from workflow.domain.rulebook import Rulebook, RulebookSet
from workflow.domain.rules import Facts

# The stored row's fields the log implies, in the order `AuditLog.hashed_chains` packs them.
FACTS = ("branch_id", "state", "version", "last_effective_on", "activist_on", "candidate_on",
         "publicity_started_on", "voted_on", "admitted_on", "extension_months",
         "conversion_voted_on", "membership_on", "closing_reason", "motion")
PROFILE = ("name", "gender", "birth_date", "applied_on", "ethnicity", "education",
           "occupation", "frontline", "id_number", "phone")
ROW = FACTS + PROFILE


def rulebook_of(rulebooks: RulebookSet, rulebook_id: str, on: date) -> Rulebook:
    """The rulebook an entry names; one no longer configured: the one in force on its day."""
    try:
        return rulebooks.by_id(rulebook_id)
    except KeyError:
        return rulebooks.in_force_on(on)


def apply_transition(dossier: Dossier, transition: TransitionDef, facts: Facts,
                     to_state: str) -> None:
    """What the machine does on a passing trigger: the effect, then the new state (the one
    the entry recorded)."""
    if transition.effect is not None:
        transition.effect(dossier, facts)
    dossier.state = to_state
    dossier.last_effective_on = facts.on


def apply_correction(dossier: Dossier, action: str, payload: Mapping[str, Any]) -> bool:
    """Apply a correction as recorded; True when it changed what the creation is judged on
    (the birth or application date)."""
    if action == VOID:
        dossier.records = [Record(r.id, r.type, r.date, r.data, True)
                           if r.id == payload["record_id"] else r for r in dossier.records]
    elif action == TRANSFER:
        dossier.branch_id = payload["branch_id"]
    elif action == CORRECT_PROFILE:
        changed = payload.get("new", {})
        for name in ("birth_date", "applied_on"):
            if name in changed:
                setattr(dossier, name, _day(changed[name]))
        return bool({"birth_date", "applied_on"} & set(changed))
    return False


class Replay:
    """One dossier rebuilt entry by entry: `Replay(...)` from its creation, then for each
    later entry, in order, `transition`, `correction`, or, for a record, its (entry id, type,
    day as text, payload) appended to `pending`.

    Records are kept so and made `Record`s only when a transition or a correction follows:
    most entries are records, and a verification replays every one.
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
        # (entry id, type, day as text, payload) of the records not yet on the dossier.
        self.pending: list[tuple[int, str, str, Any]] = []

    def _records(self) -> None:
        if self.pending:
            self.dossier.records.extend(Record(i, action, date.fromisoformat(day), data)
                                        for i, action, day, data in self.pending)
            self.pending.clear()

    def correction(self, action: str, payload: Mapping[str, Any]) -> None:
        self._records()
        apply_correction(self.dossier, action, payload)
        if action == CORRECT_PROFILE:
            self.profile.update((k, v) for k, v in payload.get("new", {}).items()
                                if k in self.profile)

    def transition(self, seq: int, action: str, to_state: str, on: date,
                   payload: Mapping[str, Any], rulebook_id: str, revision: int,
                   procedure: Procedure, rulebooks: RulebookSet,
                   calendar: WorkingDayCalendar) -> None:
        dossier = self.dossier
        self._records()
        dossier.version = seq - 1
        transition = procedure.replayed(action, dossier.state)
        if transition is None:
            # Not a transition of the procedure from here: the entry says where it went.
            dossier.state, dossier.last_effective_on = to_state, on
        else:
            apply_transition(dossier, transition,
                             Facts(dossier, on, rulebook_of(rulebooks, rulebook_id, on),
                                   calendar, payload, revision=revision), to_state)
        dossier.version = seq

    def implied(self, entries: int) -> tuple[Any, ...]:
        """The row the log of `entries` entries implies, in `ROW` order, as JSON holds it."""
        dossier = self.dossier
        dossier.version = entries
        values = [getattr(dossier, name) for name in FACTS]
        values += [self.profile[name] for name in PROFILE]
        return tuple(_plain(v) for v in values)


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _plain(value: Any) -> Any:
    """A value as it reads back from JSON (dates as ISO text, mappings as JSON objects)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return json.loads(json.dumps(value, default=str))
    return value


def _stored(name: str, value: Any) -> Any:
    # SQLite keeps booleans as 0 and 1, and hands a JSON column over as its text.
    if name == "frontline" and value is not None:
        return bool(value)
    if name == "motion" and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def first_difference(implied: Sequence[Any], stored: Sequence[Any]) -> str | None:
    """The first field (in `ROW` order) where the stored row differs from the log's."""
    if list(implied) == stored:
        return None  # the common case, at a fraction of the field-by-field comparison's cost
    for name, expected, actual in zip(ROW, implied, stored, strict=True):
        if _stored(name, expected) != _stored(name, actual):
            return name
    return None
