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
    """Everything a rule may look at: the dossier, the act's date and payload, the rulebook.

    Judged as of the act's date: the dossier a rule sees holds only the records dated on or
    before `on` (and, as always, counts no voided one). This is the one place that says so;
    no rule repeats the date check.
    """

    dossier: Dossier
    on: date
    rulebook: Rulebook
    calendar: WorkingDayCalendar
    payload: Mapping[str, Any] = field(default_factory=dict)
    # The rulebook revision the act is judged by: None for the current one. Only the
    # compliance report, replaying an act recorded under an earlier revision, names one.
    revision: int | None = None

    def __post_init__(self) -> None:
        if self.revision is None or self.revision >= JUDGED_AS_OF_SINCE:
            object.__setattr__(self, "dossier", self.dossier.as_of(self.on))

    def judges(self, rule: Rule) -> bool:
        """Whether the rule existed in the revision the act is judged by."""
        return self.revision is None or rule.revision <= self.revision


# The revision of the rulebook from which acts are judged as of their date (PROCEDURE.md).
JUDGED_AS_OF_SINCE = 2


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
    # Where the rulebook lets an act pass a missed deadline with a recorded explanation (a
    # late approval with its `late_reason`): the guard passes, but the compliance report,
    # which judges strictly, still lists the act as late.
    excused: Callable[[Facts], bool] | None = None
    # The revision of the rulebook that introduced the rule (or gave it its present form):
    # an act recorded under an earlier revision is not judged by it (compliance report).
    revision: int = 1

    def evaluate(self, facts: Facts, *, strict: bool = False) -> Failure | None:
        verdict = self.check(facts)
        if verdict is None:
            return None
        if not strict and self.excused is not None and self.excused(facts):
            return None
        return Failure(self.id, verdict.message_en, verdict.message_zh, verdict.earliest_date)

    def passes(self, facts: Facts) -> bool:
        return self.evaluate(facts) is None

    def describe(self, rulebook: Rulebook) -> dict[str, Any]:
        numbers = rulebook.numbers()
        return {
            "id": self.id,
            "summary": self.summary_en.format(**numbers),
            "summary_zh": self.summary_zh.format(**numbers),
            "article": self.article or None,
            "inputs": list(self.inputs),
            "revision": self.revision,
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
    # What the staff's forms call the field; without it they show the description or name.
    label_zh: str = ""
