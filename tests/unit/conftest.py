"""Fixtures of the domain unit tests: plain dossiers, facts and the engine, no database, no web.

`make` builds dossiers and records and judges them through the Engine; every helper takes
dates explicitly, so that no test depends on the day it runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from itertools import count
from typing import Any

import pytest

from states import PROCEDURE
from workflow.domain.calendar import WorkingDayCalendar
from workflow.domain.dossier import Dossier, Member, Record
from workflow.domain.machine import Engine, engine_for
from workflow.domain.rulebook import BUILT_IN, Rulebook
from workflow.domain.rules import Facts, Failure

BRANCH_ID = 7

FULL_1 = Member(1, "王芳", BRANCH_ID, "full", date(2001, 7, 1))
FULL_2 = Member(2, "李强", BRANCH_ID, "full", date(2005, 7, 1))
FULL_3 = Member(3, "赵敏", BRANCH_ID, "full", date(2010, 7, 1))
PROBATIONARY_MEMBER = Member(4, "陈晨", BRANCH_ID, "probationary", date(2025, 3, 1))
REGISTRY: dict[int, Member] = {m.id: m for m in (FULL_1, FULL_2, FULL_3, PROBATIONARY_MEMBER)}

# Fields of a dossier that a state presupposes (a dossier in `vote` has an activist date,
# a candidate date and a publicity start): the defaults of `Make.dossier`.
DEFAULT_DATES: dict[str, Any] = {
    "activist_on": date(2024, 3, 1),
    "candidate_on": date(2025, 3, 10),
    "publicity_started_on": date(2025, 6, 2),
    "voted_on": date(2025, 6, 20),
    "conversion_voted_on": date(2026, 7, 1),
}
NEEDS = {
    "applicant": (),
    "activist": ("activist_on",),
    "training": ("activist_on", "candidate_on"),
    "political_review": ("activist_on", "candidate_on"),
    "pre_review": ("activist_on", "candidate_on"),
    "publicity": ("activist_on", "candidate_on", "publicity_started_on"),
    "vote": ("activist_on", "candidate_on", "publicity_started_on"),
    "approval": ("activist_on", "candidate_on", "publicity_started_on", "voted_on"),
    "probationary": ("activist_on", "candidate_on", "publicity_started_on", "voted_on"),
    "conversion_publicity": ("activist_on", "candidate_on", "publicity_started_on", "voted_on"),
    "conversion_vote": ("activist_on", "candidate_on", "publicity_started_on", "voted_on"),
    "conversion_approval": ("activist_on", "candidate_on", "publicity_started_on", "voted_on",
                            "conversion_voted_on"),
}


class Make:
    """Builders of dossiers and records, and judgements of them by the engine."""

    # Registry ids: three full members and one probationary member of the branch.
    FULL = (FULL_1.id, FULL_2.id, FULL_3.id)
    PROBATIONARY = PROBATIONARY_MEMBER.id

    def __init__(self, engine: Engine, calendar: WorkingDayCalendar) -> None:
        self.engine = engine
        self.calendar = calendar
        self._ids = count(1)

    def record(self, type_: str, on: date, **data: Any) -> Record:
        return Record(next(self._ids), type_, on, data)

    def dossier(self, state: str = "applicant", *, records: tuple[Record, ...] | list = (),
                members: Mapping[int, Member] | None = None, birth_date: date = date(1998, 5, 4),
                applied_on: date = date(2023, 9, 1), **fields: Any) -> Dossier:
        dates = {k: DEFAULT_DATES[k] for k in NEEDS.get(state, ())}
        dates.update(fields)
        return Dossier(
            id=1, branch_id=BRANCH_ID, state=state, version=1, birth_date=birth_date,
            applied_on=applied_on, last_effective_on=applied_on, records=list(records),
            members=dict(REGISTRY if members is None else members), **dates,
        )

    def facts(self, dossier: Dossier, on: date, **payload: Any) -> Facts:
        return self.engine.facts(dossier, on, self.calendar, payload)

    def failures(self, dossier: Dossier, trigger: str, on: date,
                 **payload: Any) -> dict[str, Failure]:
        """Every failing rule of the trigger from the dossier's state, by rule id."""
        transition = self.engine.transition_for(dossier, trigger)
        found = self.engine.explain(transition, self.facts(dossier, on, **payload))
        return {f.rule: f for f in found}

    def rule_failure(self, rule_id: str, dossier: Dossier, on: date,
                     **payload: Any) -> Failure | None:
        """One rule of the procedure judged on its own (deadline rules have no trigger)."""
        rule = PROCEDURE.rules()[rule_id]
        return rule.evaluate(self.facts(dossier, on, **payload))

    def fire(self, dossier: Dossier, trigger: str, on: date, **payload: Any):
        return self.engine.fire(dossier, trigger, self.facts(dossier, on, **payload))


@pytest.fixture(scope="session")
def rulebook() -> Rulebook:
    return BUILT_IN[0]


@pytest.fixture(scope="session")
def calendar() -> WorkingDayCalendar:
    return WorkingDayCalendar()


@pytest.fixture(scope="session")
def engine(rulebook) -> Engine:
    return engine_for(PROCEDURE, rulebook)


@pytest.fixture
def make(engine, calendar) -> Make:
    return Make(engine, calendar)
