"""What a rule is: a pure check of the facts on a date, with its own explanation.

A rule is defined once (in the module of `states/` for the stage that introduces it) and that
one definition serves the machine's guard, the explanation of a blocked trigger, the dossier's
`next` list, the agenda of deadlines and the generated documentation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from workflow.domain.calendar import WorkingDayCalendar
from workflow.domain.dossier import Dossier
from workflow.domain.rulebook import Rulebook


@dataclass(frozen=True)
class Facts:
    """Everything a rule may look at: the dossier, the act's date and payload, the rulebook."""

    dossier: Dossier
    on: date
    rulebook: Rulebook
    calendar: WorkingDayCalendar
    payload: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Failure:
    """Why a rule is not met, in both languages, and the first day it would be, if any."""

    rule: str
    message_en: str
    message_zh: str
    earliest_date: date | None = None


@dataclass(frozen=True)
class Verdict:
    message_en: str
    message_zh: str
    earliest_date: date | None = None


def fail(message_en: str, message_zh: str, earliest_date: date | None = None) -> Verdict:
    return Verdict(message_en, message_zh, earliest_date)


@dataclass(frozen=True)
class Deadline:
    """An obligation a rule implies, for the agenda (`due` is None when not yet open)."""

    rule: str
    due: date
    title_en: str
    title_zh: str


@dataclass(frozen=True)
class Rule:
    """A named condition of the rulebook.

    `check` returns None when the rule holds and a Verdict otherwise. `summary_*` are format
    strings over the rulebook's numbers (``{cultivation_months}``), so documentation never
    repeats a number. `inputs` names payload fields the rule needs: without them (as when
    listing a dossier's next steps) the rule cannot be judged yet. `deadline`, where given,
    tells the agenda when the obligation behind the rule falls due; `deadline_records` names
    the record types it reads, the only ones the agenda loads (a test holds each deadline to
    its list).
    """

    id: str
    summary_en: str
    summary_zh: str
    check: Callable[[Facts], Verdict | None]
    inputs: tuple[str, ...] = ()
    article: str = ""
    deadline: Callable[[Dossier, Rulebook, WorkingDayCalendar], Deadline | None] | None = None
    deadline_records: tuple[str, ...] = ()

    def evaluate(self, facts: Facts) -> Failure | None:
        verdict = self.check(facts)
        if verdict is None:
            return None
        return Failure(self.id, verdict.message_en, verdict.message_zh, verdict.earliest_date)

    def passes(self, facts: Facts) -> bool:
        return self.check(facts) is None

    def describe(self, rulebook: Rulebook) -> dict[str, Any]:
        numbers = rulebook.numbers()
        return {
            "id": self.id,
            "summary": self.summary_en.format(**numbers),
            "summary_zh": self.summary_zh.format(**numbers),
            "article": self.article or None,
            "inputs": list(self.inputs),
        }


@dataclass(frozen=True)
class Param:
    """A field of a trigger's payload or a record, declared once for schema and docs alike."""

    name: str
    kind: str  # "int", "bool", "text", "member", "record", or "choice"
    required: bool = True
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    default: Any = None
    description: str = ""
