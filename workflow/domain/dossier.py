"""The dossier as the rules see it: plain facts, free of any storage or web concern."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, NoReturn


@dataclass(frozen=True)
class Member:
    """A party member of the registry, as far as the rules need to know."""

    id: int
    name: str
    branch_id: int
    status: str  # "full" or "probationary"
    joined_on: date

    @property
    def is_full(self) -> bool:
        return self.status == "full"


@dataclass(frozen=True)
class Record:
    """A fact recorded on a dossier (a talk, an evaluation, an objection…).

    A voided record stays on the dossier (and in its log) but counts for no rule, deadline
    or report: `Dossier.records_of` never returns it.
    """

    id: int
    type: str
    date: date
    data: Mapping[str, Any] = field(default_factory=dict)
    voided: bool = False


# Entries of kind "record" that correct the dossier instead of recording a fact of it: the
# voiding of a record, a correction of the profile, a transfer to another branch.
VOID = "void"
CORRECT_PROFILE = "correct_profile"
TRANSFER = "transfer"
CORRECTIONS = frozenset({VOID, CORRECT_PROFILE, TRANSFER})


def records_from_log(entries: Iterable[tuple[int, str, date, Mapping[str, Any]]],
                     ) -> list[Record]:
    """A dossier's records from its record entries (id, action, date, payload) in log order:
    corrections are no records, and a voided record is marked so."""
    entries = list(entries)
    voided = {payload["record_id"] for _, action, _, payload in entries if action == VOID}
    return [Record(entry_id, action, day, payload, entry_id in voided)
            for entry_id, action, day, payload in entries if action not in CORRECTIONS]


class RecordsNotLoaded(LookupError):
    """A computation looked at a dossier's records, which were not read (`NOT_LOADED`)."""


class _NotLoaded(Sequence[Record]):
    """Stands for records not read from the database. Any look at them raises, so that what
    needs them is computed again with them, never without them (the agenda reads records
    only for the dossiers whose deadlines look at them)."""

    # Sequence's iteration, `in` and truth all go through these two.
    def __getitem__(self, index: Any) -> NoReturn:
        raise RecordsNotLoaded

    def __len__(self) -> NoReturn:
        raise RecordsNotLoaded

    def __repr__(self) -> str:
        return "NOT_LOADED"


NOT_LOADED: Sequence[Record] = _NotLoaded()


@dataclass
class Dossier:
    """One applicant's case. `state` is driven by the machine; the dates by its transitions."""

    id: int | None
    branch_id: int
    state: str
    version: int
    birth_date: date
    applied_on: date
    last_effective_on: date
    activist_on: date | None = None
    candidate_on: date | None = None
    publicity_started_on: date | None = None
    voted_on: date | None = None
    # The day the committee approved the admission (probation itself runs from the vote).
    admitted_on: date | None = None
    extension_months: int = 0
    conversion_voted_on: date | None = None
    membership_on: date | None = None
    closing_reason: str | None = None
    # The branch general meeting's resolution on a probationary member awaiting the
    # committee's approval (Art. 32): {"motion": "convert" | "extend" | "disqualify",
    # "months", "reason", "from": the state it was voted in}; None otherwise.
    motion: Mapping[str, Any] | None = None
    # NOT_LOADED where a read over many dossiers left them out (the agenda's).
    records: list[Record] = field(default_factory=list)
    # Members of the registry that the records name (contacts, sponsors), loaded with the
    # dossier so that guards need no I/O of their own.
    members: Mapping[int, Member] = field(default_factory=dict)

    def records_of(self, record_type: str, since: date | None = None) -> list[Record]:
        """The records of a type that count (not voided), dated on or after `since`."""
        return [
            r for r in self.records
            if r.type == record_type and not r.voided and (since is None or r.date >= since)
        ]

    def as_of(self, day: date) -> Dossier:
        """The dossier as an act of `day` is judged: without the records dated after it (a
        record dated after an act never makes the act valid). The same object when nothing
        is left out, a copy otherwise; records not loaded stay not loaded."""
        if self.records is NOT_LOADED or all(r.date <= day for r in self.records):
            return self
        return replace(self, records=[r for r in self.records if r.date <= day])

    def named_members(self, record_type: str) -> list[Member | None]:
        """The distinct registry members named by records of a type, in recording order."""
        seen: dict[int, Member | None] = {}
        for record in self.records_of(record_type):
            member_id = record.data["member_id"]
            seen.setdefault(member_id, self.members.get(member_id))
        return list(seen.values())
