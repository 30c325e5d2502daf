"""The admission date (`admitted_on`): set by the approval, once."""

from __future__ import annotations

from datetime import date

from states import PROCEDURE
from states.probation import PROBATION_STATES


def test_approval_cannot_come_back_after_probation():
    """`admitted_on` is set once: no way leads from probation back to approval."""
    reachable, frontier = set(PROBATION_STATES), list(PROBATION_STATES)
    while frontier:
        for t in PROCEDURE.transitions_from(frontier.pop()):
            if t.dest not in reachable:
                reachable.add(t.dest)
                frontier.append(t.dest)
    approving = {s for t in PROCEDURE.transitions if t.trigger == "approve" for s in t.sources}
    assert approving == {"approval"} and not approving & reachable
    # And approval is the only way into probation from outside it.
    entries = {t.trigger for t in PROCEDURE.transitions
               if t.dest in PROBATION_STATES and not set(t.sources) & set(PROBATION_STATES)}
    assert entries == {"approve"}


def test_approval_sets_the_admission_date(make):
    dossier = make.dossier("approval", voted_on=date(2025, 6, 20),
                           records=[make.record("approval_talk", date(2025, 7, 1), by="组织员")])
    assert dossier.admitted_on is None
    make.fire(dossier, "approve", date(2025, 7, 10))
    assert (dossier.state, dossier.admitted_on) == ("probationary", date(2025, 7, 10))
    make.fire(dossier, "extend_probation", date(2026, 6, 20), months=6)
    assert dossier.admitted_on == date(2025, 7, 10)
