"""Who sees an applicant's private fields (ID number, phone): the one rule, and its
application to everything that leaves the service with a dossier's data in it.

API.md: `id_number` and `phone` are shown only to branch, committee and auditor users of the
dossier's scope, never publicly — and so not to administrators, who manage users and the
organisation tree, not applicants. Scope is checked where a dossier or the log is read; this
module says what of it the reader may see. Every way out applies it through here: the dossier
view and its log (api/applicants/present.py via `visible_profile` and services.dossier_log),
the audit log's pages and export (workflow/usecases/auditing/services.py), whatever the
payload's shape — a creation's profile, a correction's old and new values.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from workflow.domain.actors import Actor
from workflow.domain.audit import AuditEntry
from workflow.domain.roles import Role

PRIVATE_FIELDS = ("id_number", "phone")
SEES_PRIVATE = frozenset({Role.BRANCH, Role.COMMITTEE, Role.AUDITOR})


def sees_private(actor: Actor) -> bool:
    return actor.role in SEES_PRIVATE


def _hidden(value: Any) -> Any:
    """The value without any private field, at any depth (a correction nests old and new
    values under their own keys)."""
    if isinstance(value, Mapping):
        return {k: _hidden(v) for k, v in value.items() if k not in PRIVATE_FIELDS}
    if isinstance(value, list | tuple):
        return [_hidden(v) for v in value]
    return value


def visible_profile(profile: Mapping[str, Any], actor: Actor) -> dict[str, Any]:
    return dict(profile) if sees_private(actor) else _hidden(profile)


def hidden_fields(actor: Actor) -> frozenset[str]:
    """The private fields the actor may not see (none, or all of them)."""
    return frozenset() if sees_private(actor) else frozenset(PRIVATE_FIELDS)


def visible_payload(payload: Mapping[str, Any], actor: Actor) -> dict[str, Any]:
    return dict(payload) if sees_private(actor) else _hidden(payload)


def visible_entry(entry: AuditEntry, actor: Actor) -> AuditEntry:
    if sees_private(actor):
        return entry
    return replace(entry, payload=_hidden(entry.payload))


def visible_entries(entries: Iterable[AuditEntry], actor: Actor) -> Iterator[AuditEntry]:
    return (visible_entry(entry, actor) for entry in entries)
