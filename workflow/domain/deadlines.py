"""The deadline index: for each dossier, a day before which none of its deadlines falls due.

The agenda must not ask every rule about every open dossier of a scope (at a million dossiers
that is seconds). Each dossier row keeps `next_due`, a LOWER BOUND of the due dates of its
open deadlines (None: it has none), written with every change of the dossier; the agenda then
reads only the dossiers whose bound falls within its horizon and asks their rules, as before,
for the real dates. A bound, not the date itself, because the real date depends on things that
change without the dossier changing:

- the rulebook version in force *today* (the agenda judges by it): the bound is the earliest
  date under every version of the deployment's `RulebookSet`;
- the working-day calendar (a holiday table loaded later): the bound counts every day as a
  working day. N working days from a start can never end before N calendar days from it,
  whatever the holidays and make-up days, so the real end of a publicity is never earlier.

The bound comes from the rules' own `deadline` callables (`states/`): no deadline is written
twice. What it was computed with (the rulebook versions, and the code of the rules) is its
`fingerprint`; the agenda trusts the index only when the stored fingerprint is the running
one, and `recruitflow agenda reindex` rebuilds it otherwise.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path

from workflow.domain.calendar import WorkingDayCalendar, WorkingDaySpan
from workflow.domain.dossier import Dossier
from workflow.domain.procedure import Procedure
from workflow.domain.rulebook import RulebookSet
from workflow.domain.rules import Rule

# Bump when what the index stores changes meaning (the code digest covers the rules' code).
INDEX_FORMAT = 1


class EveryDayCalendar(WorkingDayCalendar):
    """A calendar in which every day is a working day: N working days end soonest in it."""

    def is_working_day(self, day: date) -> bool:
        return True

    def working_days_from(self, start: date, count: int) -> WorkingDaySpan:
        if count < 1:
            raise ValueError("count must be at least 1")
        return WorkingDaySpan(start, start + timedelta(days=count - 1))

    def working_days_left(self, span_last_day: date, today: date) -> int:
        return max(0, (span_last_day - today).days + 1)


EVERY_DAY = EveryDayCalendar()


def deadline_rules(procedure: Procedure) -> list[Rule]:
    """The rules that say when an obligation falls due (the agenda's rules)."""
    return [rule for rule in procedure.rules().values() if rule.deadline is not None]


def deadline_record_types(procedure: Procedure) -> frozenset[str]:
    """The record types some deadline reads (each rule declares its own): all a dossier's
    deadlines can be computed from, and all the agenda loads."""
    return frozenset(t for rule in deadline_rules(procedure) for t in rule.deadline_records)


def earliest_due(dossier: Dossier, procedure: Procedure, rulebooks: RulebookSet) -> date | None:
    """A day on or before which every open deadline of the dossier falls due, under any
    rulebook version of the set and any calendar; None when no deadline is open."""
    try:
        dues = [
            deadline.due
            for rule in deadline_rules(procedure)
            for rulebook in rulebooks.versions
            if (deadline := rule.deadline(dossier, rulebook, EVERY_DAY)) is not None
        ]
    except (AttributeError, TypeError, ValueError):
        # Facts no transition of the machine leaves (data imported around the service: a
        # state without the date it presupposes). The agenda must ask such a dossier every
        # time, as the full computation would; a save or a rebuild must not fail on it.
        return date.min
    return min(dues, default=None)


# Both arguments hash by identity: a deployment's pair is computed once per process.
@functools.lru_cache(maxsize=16)
def fingerprint(procedure: Procedure, rulebooks: RulebookSet) -> str:
    """What an index of `earliest_due` was built with: the rulebook versions (numbers and
    dates), the deadline rules, and the source of the modules their deadlines are computed by,
    so that a release changing a deadline makes the stored index stale too."""
    rules = deadline_rules(procedure)
    modules = sorted({rule.deadline.__module__ for rule in rules}
                     | {"workflow.domain.dates", "workflow.domain.dossier", __name__})
    digest = hashlib.sha256()
    digest.update(json.dumps({
        "format": INDEX_FORMAT,
        "rules": sorted(rule.id for rule in rules),
        "rulebooks": [asdict(version) for version in rulebooks.versions],
    }, sort_keys=True, default=str).encode())
    for name in modules:
        digest.update(name.encode())
        digest.update(Path(sys.modules[name].__file__).read_bytes())
    return digest.hexdigest()
