"""What an auditor asks of the log: the filters of a query, in domain terms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class EntryFilter:
    """Entries within `scope` (an organisation's materialised path) and every filter given.

    `recorded_*` bound the server time of writing (from inclusive, until exclusive);
    `effective_*` the act's effective date (both inclusive).
    """

    scope: str = "/"
    dossier_id: int | None = None
    actor_id: int | None = None
    action: str | None = None
    kind: str | None = None
    recorded_from: datetime | None = None
    recorded_until: datetime | None = None
    effective_from: date | None = None
    effective_to: date | None = None
