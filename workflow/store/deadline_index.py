"""The deadline index's bookkeeping: what it was built with, and its rebuild, batch by batch.

The values themselves (`dossiers.next_due`) are written by the repository with every change
of a dossier (`Repository.save_dossier`, `add_dossier`); see workflow.domain.deadlines.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import Connection, and_, bindparam, insert, select, update

from workflow.store.tables import derived_indexes, dossiers

NAME = "agenda"

# Version-checked: a dossier changed since it was read already carries the bound its change
# computed, which the rebuild must not overwrite with one from the older facts.
_STORE = (
    update(dossiers)
    .where(dossiers.c.id == bindparam("dossier_id"),
           dossiers.c.version == bindparam("read_version"))
    .values(next_due=bindparam("due"))
)


class DeadlineIndex:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def fingerprint(self) -> str | None:
        """What the index was last completely built with; None while it is not."""
        return self.connection.execute(
            select(derived_indexes.c.fingerprint).where(derived_indexes.c.name == NAME)
        ).scalar()

    def _set(self, fingerprint: str | None, built_at: datetime | None) -> None:
        values = {"fingerprint": fingerprint, "built_at": built_at}
        changed = self.connection.execute(
            update(derived_indexes).where(derived_indexes.c.name == NAME).values(**values)
        ).rowcount
        if not changed:
            self.connection.execute(insert(derived_indexes).values(name=NAME, **values))

    def mark_stale(self) -> None:
        """Readers stop trusting the index (until `mark_built`)."""
        self._set(None, None)

    def mark_built(self, fingerprint: str, *, now: datetime) -> None:
        self._set(fingerprint, now)

    def store(self, values: Iterable[tuple[int, int, date | None]]) -> int:
        """Write (dossier id, version read, bound) where the dossier is still at that
        version; returns how many were written."""
        rows = [{"dossier_id": i, "read_version": v, "due": d} for i, v, d in values]
        if not rows:
            return 0
        return self.connection.execute(_STORE, rows).rowcount

    def clear(self, states: Iterable[str]) -> int:
        """No bound on dossiers in these states (closed ones: nothing falls due there)."""
        return self.connection.execute(
            update(dossiers)
            .where(and_(dossiers.c.state.in_(list(states)), dossiers.c.next_due.is_not(None)))
            .values(next_due=None)
        ).rowcount
