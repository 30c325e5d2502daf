"""The repository: every query the service layer needs, and nothing else.

It maps rows onto the domain's plain objects (Dossier, Record, Member, AuditEntry) and back,
on one connection inside the unit of work's transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, select, update

from workflow.domain.actors import Actor
from workflow.domain.audit import GENESIS, AuditEntry, sealed
from workflow.domain.dossier import Dossier, Member, records_from_log
from workflow.domain.roles import Role
from workflow.store.access import Credentials
from workflow.store.tables import (
    audit_entries,
    dossiers,
    idempotency_keys,
    members,
    organizations,
    sign_in_failures,
    users,
)

PROFILE_FIELDS = ("name", "gender", "birth_date", "applied_on", "ethnicity", "education",
                  "occupation", "frontline", "id_number", "phone")
# Dossier columns that transitions change; the rest is the applicant's profile.
FACT_FIELDS = ("state", "version", "last_effective_on", "activist_on", "candidate_on",
               "publicity_started_on", "voted_on", "admitted_on", "extension_months",
               "conversion_voted_on", "membership_on", "closing_reason", "motion")


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything is stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# The statements of every transition and record, built once: building one costs more than
# SQLAlchemy's cached compilation of it, or than running it.
_DOSSIER_ROWS = (
    select(dossiers, organizations.c.path.label("branch_path"),
           organizations.c.name.label("branch_name"))
    .join(organizations, organizations.c.id == dossiers.c.branch_id)
)
_DOSSIER = _DOSSIER_ROWS.where(dossiers.c.id == bindparam("dossier_id"))
# A writer also reads the hash of the dossier's last entry (its seq is the version), so that
# appending the next entry needs no query of its own.
_HEAD_HASH = (
    select(audit_entries.c.hash)
    .where(audit_entries.c.dossier_id == dossiers.c.id, audit_entries.c.seq == dossiers.c.version)
    .scalar_subquery().label("head_hash")
)
_DOSSIER_FOR_UPDATE = _DOSSIER.add_columns(_HEAD_HASH).with_for_update(of=dossiers)
_PREVIOUS_HASH = select(audit_entries.c.hash).where(
    audit_entries.c.dossier_id == bindparam("dossier_id"),
    audit_entries.c.seq == bindparam("seq"))
# Records come with the registry member each names, if any (contacts, sponsors): one query.
_NAMED = members.alias("named")
_RECORD_ENTRIES = (
    select(audit_entries.c.id, audit_entries.c.action, audit_entries.c.effective_date,
           audit_entries.c.payload, _NAMED.c.id.label("member_id"),
           _NAMED.c.name.label("member_name"), _NAMED.c.branch_id.label("member_branch_id"),
           _NAMED.c.status.label("member_status"),
           _NAMED.c.joined_on.label("member_joined_on"))
    .outerjoin(_NAMED, _NAMED.c.id == audit_entries.c.payload["member_id"].as_integer())
    .where(audit_entries.c.kind == "record")
    .order_by(audit_entries.c.seq)
)
_RECORDS = _RECORD_ENTRIES.where(audit_entries.c.dossier_id == bindparam("dossier_id"))
# The same, for several dossiers at once (the web's list pages).
_DOSSIERS = _DOSSIER_ROWS.where(dossiers.c.id.in_(bindparam("ids", expanding=True)))
# Without the members: joined for fifty dossiers, PostgreSQL hashes the whole registry (a
# third of a million members at a million dossiers: ~140 ms); they come in a query of their own.
_RECORDS_OF = (
    select(audit_entries.c.id, audit_entries.c.action, audit_entries.c.effective_date,
           audit_entries.c.payload, audit_entries.c.dossier_id)
    .where(audit_entries.c.kind == "record",
           audit_entries.c.dossier_id.in_(bindparam("ids", expanding=True)))
    .order_by(audit_entries.c.seq)
)
_APPEND = insert(audit_entries).returning(audit_entries.c.id)
_MEMBERS = select(members).where(members.c.id.in_(bindparam("ids", expanding=True)))
# The version condition is the optimistic lock: the update applies only to the version read.
_SAVE = (
    update(dossiers)
    .where(dossiers.c.id == bindparam("dossier_id"),
           dossiers.c.version == bindparam("expected_version"))
    .values(updated_at=bindparam("now"), next_due=bindparam("next_due"),
            **{k: bindparam(f"new_{k}") for k in FACT_FIELDS})
)


@dataclass(frozen=True)
class Organization:
    id: int
    name: str
    kind: str
    parent_id: int | None
    path: str


@dataclass(frozen=True)
class UserSecrets:
    """A user as signing in sees it: who they are and the secrets a session is bound to."""

    actor: Actor
    login: str | None
    token_hash: str
    password_hash: str | None


@dataclass(frozen=True)
class StoredDossier:
    """A dossier with its profile and the path of its branch (for scope checks)."""

    dossier: Dossier
    # Mutable: a change stamps its own `updated_at` on it.
    profile: dict[str, Any]
    branch_path: str
    branch_name: str


@dataclass(frozen=True)
class IdempotentAnswer:
    request_hash: str
    status_code: int | None
    response: str | None
    location: str | None
    # Which request holds the reservation, since when (the lease's start).
    holder: str | None = None
    reserved_at: datetime | None = None


class Repository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        # (seq, hash) of the last entry of each dossier locked in this transaction: nobody
        # else can append to it before the transaction ends.
        self._heads: dict[int, tuple[int, str]] = {}

    # Organisations and users

    def organization(self, organization_id: int) -> Organization | None:
        row = self.connection.execute(
            select(organizations).where(organizations.c.id == organization_id)
        ).first()
        return Organization(row.id, row.name, row.kind, row.parent_id, row.path) if row else None

    def add_organization(self, *, name: str, kind: str, parent: Organization | None,
                         now: datetime) -> Organization:
        # The path needs the id, so insert with a unique placeholder, then set it.
        placeholder = f"pending:{uuid.uuid4().hex}"
        new_id = self.connection.execute(
            insert(organizations).values(
                name=name, kind=kind, parent_id=parent.id if parent else None,
                path=placeholder, created_at=now,
            ).returning(organizations.c.id)
        ).scalar_one()
        path = f"{parent.path if parent else '/'}{new_id}/"
        self.connection.execute(
            update(organizations).where(organizations.c.id == new_id).values(path=path)
        )
        return Organization(new_id, name, kind, parent.id if parent else None, path)

    def add_user(self, *, name: str, role: str, organization_id: int | None, token_hash: str,
                 now: datetime, login: str | None = None,
                 password_hash: str | None = None) -> int:
        return self.connection.execute(
            insert(users).values(name=name, role=role, organization_id=organization_id,
                                 token_hash=token_hash, created_at=now, login=login,
                                 password_hash=password_hash).returning(users.c.id)
        ).scalar_one()

    # Sign-in to the web interface

    def login_taken(self, login: str, *, other_than: int | None = None) -> bool:
        query = select(users.c.id).where(users.c.login == login)
        if other_than is not None:
            query = query.where(users.c.id != other_than)
        return self.connection.execute(query).first() is not None

    def user_credentials(self, *, user_id: int | None = None,
                         login: str | None = None) -> UserSecrets | None:
        """A user's actor and the secrets a web session is bound to, by id or login."""
        query = (select(users.c.id, users.c.name, users.c.role, users.c.organization_id,
                        users.c.login, users.c.token_hash, users.c.password_hash,
                        organizations.c.path)
                 .outerjoin(organizations, organizations.c.id == users.c.organization_id))
        query = query.where(users.c.id == user_id if login is None else users.c.login == login,
                            # A deactivated user signs in no more; its sessions end.
                            users.c.active)
        row = self.connection.execute(query).first()
        if row is None:
            return None
        actor = Actor(row.id, row.name, Role(row.role), row.organization_id, row.path or "/")
        return UserSecrets(actor, row.login, row.token_hash, row.password_hash)

    def set_password(self, user_id: int, *, password_hash: str,
                     login: str | None = None) -> bool:
        values: dict[str, Any] = {"password_hash": password_hash}
        if login is not None:
            values["login"] = login
        done = self.connection.execute(update(users).where(users.c.id == user_id).values(values))
        return done.rowcount == 1

    def recent_failures(self, keys: Iterable[str], since: datetime) -> dict[str, int]:
        rows = self.connection.execute(
            select(sign_in_failures.c.key, func.count())
            .where(sign_in_failures.c.key.in_(list(keys)), sign_in_failures.c.failed_at >= since)
            .group_by(sign_in_failures.c.key)
        )
        return {key: count for key, count in rows}

    def add_failures(self, keys: Iterable[str], *, now: datetime, forget_before: datetime,
                     ) -> None:
        self.connection.execute(
            delete(sign_in_failures).where(sign_in_failures.c.failed_at < forget_before))
        self.connection.execute(insert(sign_in_failures),
                                [{"key": key, "failed_at": now} for key in keys])

    def clear_failures(self, key: str) -> None:
        self.connection.execute(delete(sign_in_failures).where(sign_in_failures.c.key == key))

    def actor_by_token_hash(self, token_hash: str, now: datetime) -> Actor | None:
        """The active user whose unexpired token has this hash (workflow.store.access)."""
        found = Credentials(self.connection).actor_by_token_hash(token_hash, now)
        return found[0] if found else None

    # Members of the registry

    def add_member(self, *, name: str, branch_id: int, status: str, joined_on: date,
                   now: datetime, full_on: date | None = None,
                   dossier_id: int | None = None) -> int:
        return self.connection.execute(
            insert(members).values(name=name, branch_id=branch_id, status=status,
                                   joined_on=joined_on, full_on=full_on,
                                   dossier_id=dossier_id, created_at=now)
            .returning(members.c.id)
        ).scalar_one()

    def members(self, member_ids: Iterable[int]) -> dict[int, Member]:
        ids = sorted(set(member_ids))
        if not ids:
            return {}
        rows = self.connection.execute(_MEMBERS, {"ids": ids})
        return {r.id: Member(r.id, r.name, r.branch_id, r.status, r.joined_on) for r in rows}

    def registry(self, scope_path: str, *, branch_id: int | None = None,
                 other_than: int | None = None, limit: int = 1000) -> list[Any]:
        """Current members (full or probationary) of the branches of a subtree — or of one
        branch of it, or of all but one —, with their branch's name, by branch and name: who
        may be named a contact or a sponsor."""
        query = (
            select(members.c.id, members.c.name, members.c.status, members.c.branch_id,
                   organizations.c.name.label("branch_name"))
            .join(organizations, organizations.c.id == members.c.branch_id)
            .where(organizations.c.path.startswith(scope_path, autoescape=True),
                   members.c.status != "former"))
        if branch_id is not None:
            query = query.where(members.c.branch_id == branch_id)
        if other_than is not None:
            query = query.where(members.c.branch_id != other_than)
        return self.connection.execute(
            query.order_by(members.c.branch_id, members.c.name, members.c.id).limit(limit)
        ).all()

    def member_branch_path(self, member_id: int) -> str | None:
        return self.connection.execute(
            select(organizations.c.path)
            .join(members, members.c.branch_id == organizations.c.id)
            .where(members.c.id == member_id)
        ).scalar()

    def sync_membership(self, *, dossier_id: int, name: str, branch_id: int, status: str,
                        joined_on: date, full_on: date | None, now: datetime) -> None:
        """Create or update the registry entry of a member admitted through a dossier."""
        changed = self.connection.execute(
            update(members).where(members.c.dossier_id == dossier_id)
            .values(status=status, full_on=full_on)
        ).rowcount
        if not changed:
            self.add_member(name=name, branch_id=branch_id, status=status, joined_on=joined_on,
                            full_on=full_on, dossier_id=dossier_id, now=now)

    # Dossiers

    def add_dossier(self, *, branch_id: int, profile: Mapping[str, Any], dossier: Dossier,
                    now: datetime, next_due: date | None) -> int:
        """Insert a new dossier with its deadline index (`next_due`, see
        workflow.domain.deadlines)."""
        values = {k: profile.get(k) for k in PROFILE_FIELDS}
        values.update({k: getattr(dossier, k) for k in FACT_FIELDS})
        return self.connection.execute(
            insert(dossiers).values(branch_id=branch_id, created_at=now, updated_at=now,
                                    next_due=next_due, **values).returning(dossiers.c.id)
        ).scalar_one()

    def dossier(self, dossier_id: int, *, for_update: bool = False) -> StoredDossier | None:
        """The dossier with its records and the members they name.

        `for_update` locks the row (PostgreSQL) until the transaction ends, so that writers to
        one dossier queue instead of failing their version check; SQLite's writers already
        queue at BEGIN IMMEDIATE.
        """
        query = _DOSSIER_FOR_UPDATE if for_update else _DOSSIER
        row = self.connection.execute(query, {"dossier_id": dossier_id}).first()
        if row is None:
            return None
        if for_update and row.head_hash is not None:
            self._heads[dossier_id] = (row.version, row.head_hash)
        return _stored(row, self.connection.execute(_RECORDS, {"dossier_id": dossier_id}))

    def dossiers(self, dossier_ids: list[int]) -> list[StoredDossier]:
        """Several dossiers as `dossier` reads one, in two queries, in the order asked."""
        if not dossier_ids:
            return []
        rows = self.connection.execute(_DOSSIERS, {"ids": dossier_ids}).all()
        entries: dict[int, list[Any]] = {i: [] for i in dossier_ids}
        for e in self.connection.execute(_RECORDS_OF, {"ids": dossier_ids}):
            entries[e.dossier_id].append(e)
        named = self.members(m for found in entries.values() for e in found
                             if (m := _named_member(e.payload)) is not None)
        found = {row.id: _stored(row, entries[row.id], named) for row in rows}
        return [found[i] for i in dossier_ids if i in found]

    def save_dossier(self, dossier: Dossier, *, expected_version: int, now: datetime,
                     next_due: date | None) -> bool:
        """Write the dossier's facts and its deadline index if nobody changed it meanwhile
        (optimistic locking)."""
        result = self.connection.execute(_SAVE, {
            "dossier_id": dossier.id, "expected_version": expected_version, "now": now,
            "next_due": next_due,
            **{f"new_{k}": getattr(dossier, k) for k in FACT_FIELDS},
        })
        return result.rowcount == 1

    def update_profile(self, dossier_id: int, values: Mapping[str, Any]) -> None:
        """Write corrected profile fields (the caller holds the dossier's write lock)."""
        unknown = set(values) - set(PROFILE_FIELDS)
        if unknown:
            raise ValueError(f"not profile fields: {sorted(unknown)}")
        self.connection.execute(
            update(dossiers).where(dossiers.c.id == dossier_id).values(**values))

    def move_dossier(self, dossier_id: int, branch_id: int) -> None:
        """Move a dossier, and the registry entry it keeps up to date, to another branch."""
        self.connection.execute(
            update(dossiers).where(dossiers.c.id == dossier_id).values(branch_id=branch_id))
        self.connection.execute(
            update(members).where(members.c.dossier_id == dossier_id)
            .values(branch_id=branch_id))

    def list_dossiers(self, *, scope_path: str, state: str | None, branch_id: int | None,
                      q: str | None, page: int,
                      per_page: int) -> tuple[list[dict[str, Any]], int]:
        conditions = [organizations.c.path.startswith(scope_path, autoescape=True)]
        if state:
            conditions.append(dossiers.c.state == state)
        if branch_id:
            conditions.append(dossiers.c.branch_id == branch_id)
        if q:
            conditions.append(dossiers.c.name.contains(q, autoescape=True))
        where = and_(*conditions)
        base = select(dossiers).join(organizations, organizations.c.id == dossiers.c.branch_id)
        total = self.connection.execute(
            select(func.count()).select_from(
                dossiers.join(organizations, organizations.c.id == dossiers.c.branch_id)
            ).where(where)
        ).scalar_one()
        rows = self.connection.execute(
            base.add_columns(organizations.c.name.label("branch_name"))
            .where(where).order_by(dossiers.c.id)
            .limit(per_page).offset((page - 1) * per_page)
        ).all()
        items = [
            {**row._mapping, "created_at": _aware(row.created_at),
             "updated_at": _aware(row.updated_at)}
            for row in rows
        ]
        return items, total

    def longest_waiting(self, scope_path: str, states: Iterable[str], limit: int,
                        ) -> list[dict[str, Any]]:
        """Dossiers of a subtree in the given states, those whose last step is oldest first."""
        # The scope's branches first: joined, PostgreSQL scans every dossier of every scope.
        # Then the ids from ix_dossiers_branch_state alone; then only their rows.
        branches = self.connection.execute(
            select(organizations.c.id)
            .where(organizations.c.path.startswith(scope_path, autoescape=True))).scalars().all()
        waiting = (
            select(dossiers.c.id)
            .where(dossiers.c.branch_id.in_(branches), dossiers.c.state.in_(list(states)))
            .order_by(dossiers.c.last_effective_on, dossiers.c.id).limit(limit)
        )
        rows = self.connection.execute(
            select(dossiers, organizations.c.name.label("branch_name"))
            .join(organizations, organizations.c.id == dossiers.c.branch_id)
            .where(dossiers.c.id.in_(waiting))
            .order_by(dossiers.c.last_effective_on, dossiers.c.id)
        ).all()
        return [dict(row._mapping) for row in rows]

    def dossiers_in_states(self, states: Iterable[str], *,
                           committee_id: int | None = None) -> list[Any]:
        query = (
            select(dossiers, organizations.c.name.label("branch_name"),
                   organizations.c.parent_id.label("committee_id"))
            .join(organizations, organizations.c.id == dossiers.c.branch_id)
            .where(dossiers.c.state.in_(list(states)))
            .order_by(dossiers.c.publicity_started_on, dossiers.c.id)
        )
        if committee_id is not None:
            query = query.where(organizations.c.parent_id == committee_id)
        return self.connection.execute(query).all()

    # The audit log

    def append(self, entry: AuditEntry) -> int:
        """Store the entry linked to the dossier's previous one (its writers are serialised)."""
        prev_hash = GENESIS
        head = self._heads.get(entry.dossier_id)
        if head is not None and head[0] == entry.seq - 1:
            prev_hash = head[1]
        elif entry.seq > 1:
            prev_hash = self.connection.execute(
                _PREVIOUS_HASH, {"dossier_id": entry.dossier_id, "seq": entry.seq - 1}
            ).scalar_one()
        entry = sealed(entry, prev_hash)
        self._heads[entry.dossier_id] = (entry.seq, entry.hash)
        values = {k: getattr(entry, k) for k in (
            "dossier_id", "seq", "kind", "action", "from_state", "to_state", "effective_date",
            "payload", "actor_id", "actor_name", "actor_role", "recorded_at", "request_id",
            "rulebook_id", "prev_hash", "hash", "revision")}
        return self.connection.execute(_APPEND, values).scalar_one()

    def log(self, dossier_id: int) -> list[AuditEntry]:
        rows = self.connection.execute(
            select(audit_entries).where(audit_entries.c.dossier_id == dossier_id)
            .order_by(audit_entries.c.seq)
        )
        return [
            AuditEntry(**{**r._mapping, "recorded_at": _aware(r.recorded_at)}) for r in rows
        ]

    # Idempotency keys

    def idempotent_answer(self, user_id: int, key: str) -> IdempotentAnswer | None:
        row = self.connection.execute(
            select(idempotency_keys).where(idempotency_keys.c.user_id == user_id,
                                           idempotency_keys.c.key == key)
        ).first()
        if row is None:
            return None
        return IdempotentAnswer(row.request_hash, row.status_code, row.response, row.location,
                                row.holder, _aware(row.created_at))

    def reserve_idempotency_key(self, user_id: int, key: str, request_hash: str,
                                now: datetime, holder: str) -> None:
        self.connection.execute(
            insert(idempotency_keys).values(user_id=user_id, key=key, request_hash=request_hash,
                                            created_at=now, holder=holder)
        )

    def take_over_idempotency_key(self, user_id: int, key: str, *, expired_before: datetime,
                                  now: datetime, holder: str) -> bool:
        """Hold a reservation whose lease ran out (its request died): whether we got it."""
        return self.connection.execute(
            update(idempotency_keys)
            .where(idempotency_keys.c.user_id == user_id, idempotency_keys.c.key == key,
                   idempotency_keys.c.status_code.is_(None),
                   idempotency_keys.c.created_at < expired_before)
            .values(created_at=now, holder=holder)
        ).rowcount == 1

    def complete_idempotency_key(self, user_id: int, key: str, *, holder: str,
                                 status_code: int, response: str,
                                 location: str | None) -> bool:
        """Store the answer, if the reservation is still this holder's."""
        return self.connection.execute(
            update(idempotency_keys)
            .where(idempotency_keys.c.user_id == user_id, idempotency_keys.c.key == key,
                   idempotency_keys.c.holder == holder,
                   idempotency_keys.c.status_code.is_(None))
            .values(status_code=status_code, response=response, location=location)
        ).rowcount == 1

    def release_idempotency_key(self, user_id: int, key: str, holder: str) -> None:
        self.connection.execute(
            idempotency_keys.delete().where(idempotency_keys.c.user_id == user_id,
                                            idempotency_keys.c.key == key,
                                            idempotency_keys.c.holder == holder,
                                            idempotency_keys.c.status_code.is_(None))
        )


def _named_member(payload: Any) -> int | None:
    """The registry member a record's payload names (a contact, a sponsor), if any."""
    member_id = payload.get("member_id") if isinstance(payload, Mapping) else None
    return member_id if type(member_id) is int else None


def _stored(row: Any, entries: Iterable[Any],
            members: Mapping[int, Member] | None = None) -> StoredDossier:
    """A dossier's row and its record entries as the domain's objects: the members they
    name come with each entry (`_RECORD_ENTRIES`) or, for several dossiers, in `members`."""
    found, named = [], {}
    for e in entries:
        found.append((e.id, e.action, e.effective_date, e.payload))
        if members is not None:
            member_id = _named_member(e.payload)
            if member_id in members:
                named[member_id] = members[member_id]
        elif e.member_id is not None:
            named[e.member_id] = Member(e.member_id, e.member_name, e.member_branch_id,
                                        e.member_status, e.member_joined_on)
    dossier = Dossier(
        id=row.id, branch_id=row.branch_id, birth_date=row.birth_date,
        applied_on=row.applied_on, records=records_from_log(found), members=named,
        **{k: getattr(row, k) for k in FACT_FIELDS},
    )
    profile = {k: getattr(row, k) for k in PROFILE_FIELDS}
    profile.update(created_at=_aware(row.created_at), updated_at=_aware(row.updated_at))
    return StoredDossier(dossier, profile, row.branch_path, row.branch_name)
