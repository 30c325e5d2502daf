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
            for dest in {*t.dests} - reachable:
                reachable.add(dest)
                frontier.append(dest)
    approving = {s for t in PROCEDURE.transitions if t.trigger == "approve" for s in t.sources}
    assert approving == {"approval"} and not approving & reachable
    # And approval is the only way into probation from outside it.
    entries = {t.trigger for t in PROCEDURE.transitions
               if set(t.dests) & set(PROBATION_STATES)
               and not set(t.sources) & set(PROBATION_STATES)}
    assert entries == {"approve"}


def test_approval_sets_the_admission_date(make):
    dossier = make.dossier("approval", voted_on=date(2025, 6, 20),
                           records=[make.record("approval_talk", date(2025, 7, 1), by="组织员")])
    assert dossier.admitted_on is None
    make.fire(dossier, "approve", date(2025, 7, 10))
    assert (dossier.state, dossier.admitted_on) == ("probationary", date(2025, 7, 10))
    # An extension voted and approved keeps it.
    dossier.state = "conversion_vote"
    make.fire(dossier, "hold_conversion_vote", date(2026, 6, 20), motion="extend", months=6,
              entitled=3, present=2, in_favour=2, against=0, abstained=0)
    make.fire(dossier, "approve_conversion", date(2026, 7, 1))
    assert (dossier.state, dossier.admitted_on) == ("probationary", date(2025, 7, 10))
