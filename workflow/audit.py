"""The audit entry: written for every creation, transition and record, in one place only.

The entry is built by `entry_for` and stored by the same unit of work as the change it
describes, so the two commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from workflow.actors import Actor


@dataclass(frozen=True)
class AuditEntry:
    dossier_id: int
    seq: int
    kind: str  # "create", "transition" or "record"
    action: str  # the trigger, the record type, or "create"
    from_state: str | None
    to_state: str
    effective_date: date
    payload: Mapping[str, Any]
    actor_id: int
    actor_name: str
    actor_role: str
    recorded_at: datetime
    request_id: str | None
    rulebook_id: str
    id: int | None = None


def entry_for(
    *,
    dossier_id: int,
    seq: int,
    kind: str,
    action: str,
    from_state: str | None,
    to_state: str,
    effective_date: date,
    payload: Mapping[str, Any],
    actor: Actor,
    recorded_at: datetime,
    request_id: str | None,
    rulebook_id: str,
) -> AuditEntry:
    return AuditEntry(
        dossier_id=dossier_id,
        seq=seq,
        kind=kind,
        action=action,
        from_state=from_state,
        to_state=to_state,
        effective_date=effective_date,
        payload=_jsonable(payload),
        actor_id=actor.id,
        actor_name=actor.name,
        actor_role=actor.role,
        recorded_at=recorded_at,
        request_id=request_id,
        rulebook_id=rulebook_id,
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
