"""The audit entry: written for every creation, transition and record, in one place only.

The entry is built by `entry_for` and stored by the same unit of work as the change it
describes, so the two commit together or not at all.

Entries are tamper-evident: each carries `prev_hash` (the hash of the dossier's previous entry,
or `GENESIS`) and `hash`, SHA-256 over its canonical serialisation and `prev_hash`. One chain
per dossier, so writers to different dossiers never wait for each other. `seq` is not hashed:
the order of a chain is fixed by its links, and a renumbered entry shows as a broken link.

`revision` names the revision of the rulebook the act was judged by (as `rulebook_id` names
the version of its numbers). It is hashed from revision 2 on, after `prev_hash`; an entry of
revision 1 is hashed as every entry was before revisions were named, so no stored hash changes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from workflow.domain.actors import Actor


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
    prev_hash: str = ""
    hash: str = ""
    revision: int = 1


# The prev_hash of a dossier's first entry.
GENESIS = "0" * 64


# The fields a hash covers, in the order they are serialised; then `revision`, where not 1.
HASHED = ("dossier_id", "kind", "action", "from_state", "to_state", "effective_date", "payload",
          "actor_id", "actor_name", "actor_role", "recorded_at", "request_id", "rulebook_id",
          "prev_hash")
UNHASHED_REVISION = 1


def with_revision(values: list[Any], revision: int) -> list[Any]:
    """The hashed values of an entry of a revision: `revision` appended where not 1."""
    if revision != UNHASHED_REVISION:
        values.append(revision)
    return values
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                            allow_nan=False)


def _refuse(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} has no canonical form")


if json.encoder.c_make_encoder is not None:
    # The same C encoder `_ENCODER.encode` builds afresh on every call, built once: it is a
    # third of the cost of verifying an entry. A test holds the two to the same output.
    _iterencode = json.encoder.c_make_encoder(
        None, _refuse, json.encoder.encode_basestring, None, ":", ",", True, False, False)

    def _encode(values: list[Any]) -> str:
        return "".join(_iterencode(values, 0))
else:  # pragma: no cover - CPython always has the C encoder
    _encode = _ENCODER.encode


def utc_text(moment: datetime) -> str:
    """An instant as hashed: UTC, ISO 8601 to the microsecond (naive means UTC)."""
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.isoformat(timespec="microseconds")


def hashed_values(entry: AuditEntry, prev_hash: str) -> list[Any]:
    """The entry's hashed fields in `HASHED` order (then its revision), as JSON values."""
    return with_revision([
        entry.dossier_id, entry.kind, entry.action, entry.from_state, entry.to_state,
        entry.effective_date.isoformat(), entry.payload, entry.actor_id, entry.actor_name,
        entry.actor_role, utc_text(entry.recorded_at), entry.request_id, entry.rulebook_id,
        prev_hash,
    ], entry.revision)


def reference_canonical(values: list[Any]) -> bytes:
    """`canonical` by the json module's public API: what the fast path must equal."""
    return _ENCODER.encode(values).encode()


def canonical(values: list[Any]) -> bytes:
    """The canonical serialisation: a JSON array in `HASHED` order, UTF-8, payload keys
    sorted, no whitespace, no floating point (payloads never hold one: see `_jsonable`)."""
    return _encode(values).encode()


# `canonical` before its UTF-8 encoding, for verification's hot loop (one call less an entry).
canonical_text = _encode


def hash_values(values: list[Any]) -> str:
    return hashlib.sha256(canonical(values)).hexdigest()


def entry_hash(entry: AuditEntry, prev_hash: str) -> str:
    return hash_values(hashed_values(entry, prev_hash))


def sealed(entry: AuditEntry, prev_hash: str) -> AuditEntry:
    """The entry linked to its predecessor: called by the store as it appends, inside the
    transaction that holds the dossier's write lock, so the predecessor cannot change."""
    return replace(entry, prev_hash=prev_hash, hash=entry_hash(entry, prev_hash))


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
    revision: int,
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
        # Stored and hashed in UTC, whatever zone the clock gave.
        recorded_at=recorded_at.astimezone(UTC),
        request_id=request_id,
        rulebook_id=rulebook_id,
        revision=revision,
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        # A float has no single canonical text, so it could not be hashed reproducibly.
        raise TypeError("audit payloads hold no floating-point numbers")
    return value
