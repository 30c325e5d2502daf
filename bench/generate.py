"""Bulk generation of dossiers with realistic histories, bypassing HTTP (it must be fast).

The histories are the ones the service would have written: each kind of dossier is a
*template* — the demo's scripted walk (`workflow.usecases.demo.plan`) to a target state,
replayed once through the real engine so that every guard holds on its day — and each dossier
is a copy of a template with its own identity, branch, actors and registry members. A dossier's
version is the number of its audit entries, numbered 1..n; its dates are those its transitions set.

Rows go in by COPY on PostgreSQL and by executemany in large transactions on SQLite, with the
secondary indexes dropped during the load and rebuilt afterwards.
"""

from __future__ import annotations

import json
import random
import secrets
import sqlite3
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Index, text

from workflow.domain.audit import GENESIS, entry_for, hash_values, utc_text, with_revision
from workflow.domain.deadlines import earliest_due, fingerprint
from workflow.domain.dossier import Dossier, Member, Record
from workflow.domain.environment import Environment
from workflow.domain.roles import Role
from workflow.store.deadline_index import DeadlineIndex
from workflow.store.repository import FACT_FIELDS
from workflow.store.tables import audit_entries, dossiers, members, organizations, users
from workflow.usecases.accounts import hash_password
from workflow.usecases.demo import (
    BEYOND,
    EDUCATIONS,
    ETHNICITIES,
    GIVEN,
    OCCUPATIONS,
    SURNAMES,
    Act,
    applied_on_for,
    plan,
)
from workflow.usecases.services import _apply_defaults, _membership, hash_token

# Share of each kind of dossier in a large deployment: mostly finished histories and
# activists in cultivation; a publicity lasts a week, so few are in one at any moment.
MIX: dict[str, float] = {
    "applicant": 8, "activist": 20, "training": 2.5, "political_review": 2.5,
    "pre_review": 2, "publicity": 0.07, "vote": 1, "approval": 1.5, "probationary": 10,
    "conversion_publicity": 0.07, "conversion_vote": 0.5, "conversion_approval": 0.5,
    "full_member": 33, "rejected": 5, "withdrawn": 8, "disqualified": 1,
}
# An exit: the state walked to, then the acts that leave the procedure (those of the demo).
EXITS = {kind: BEYOND[kind] for kind in ("rejected", "withdrawn", "disqualified")}
# Distinct histories per kind: each is a walk ending on another day.
VARIANTS = 24
BRANCHES_PER_COMMITTEE = 20
MEMBERS_PER_BRANCH = 10
# Member slots of a template ("contact" 0, "sponsor" 1 and 2), filled per dossier.
SLOTS = 3
CHUNK = 20_000

AUDIT_COLUMNS = ("dossier_id", "seq", "kind", "action", "from_state", "to_state",
                 "effective_date", "payload", "actor_id", "actor_name", "actor_role",
                 "recorded_at", "request_id", "rulebook_id", "prev_hash", "hash", "revision")
DOSSIER_COLUMNS = ("id", "branch_id", "name", "gender", "birth_date", "applied_on",
                   "ethnicity", "education", "occupation", "frontline", "id_number", "phone",
                   *FACT_FIELDS, "created_at", "updated_at", "next_due")
PROFILE_KEYS = ("branch_id", "name", "gender", "birth_date", "applied_on", "ethnicity",
                "education", "occupation", "frontline", "id_number", "phone")
MEMBER_COLUMNS = ("id", "name", "branch_id", "status", "joined_on", "full_on", "dossier_id",
                  "created_at")


@dataclass(frozen=True)
class Entry:
    """An audit entry of a template; `slot` names the member its payload refers to."""

    seq: int
    kind: str
    action: str
    from_state: str | None
    to_state: str
    effective_date: date
    payload: dict[str, Any]
    role: Role
    recorded_at: datetime
    rulebook_id: str
    slot: int | None = None


@dataclass
class Template:
    target: str
    applied_on: date
    facts: dict[str, Any]
    entries: list[Entry]
    # Registry status and dates of a person admitted through the dossier, if any.
    membership: tuple[str, date, date | None] | None = None
    # The agenda's deadline index, as the service writes it with the last act.
    next_due: date | None = None
    # The rulebook revision its entries name (the service's when generated).
    revision: int = 1


@dataclass
class Manifest:
    """What the harness needs to know about a generated database."""

    today: str
    dossiers: int
    entries: int
    committee_id: int
    branch_ids: list[int]
    tokens: dict[str, str]
    pool: list[int] = field(default_factory=list)
    seconds: float = 0.0

    def dump(self) -> str:
        return json.dumps(self.__dict__, indent=1)

    @classmethod
    def load(cls, raw: str) -> Manifest:
        return cls(**json.loads(raw))


def _at(day: date) -> datetime:
    # Acts are recorded during office hours in China: 10:00 Shanghai is 02:00 UTC.
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)


def replay(env: Environment, applied_on: date, acts: Sequence[Act], target: str,
           exit_on: date | None = None,
           exit_acts: Sequence[tuple[str, Role, dict[str, Any]]] = ()) -> Template:
    """The template of a walk: every act judged by the real engine, as the service would."""
    engine = env.engine_on(applied_on)
    dossier = Dossier(id=0, branch_id=0, state=engine.procedure.initial, version=1,
                      birth_date=applied_on - timedelta(days=365 * 25),
                      applied_on=applied_on, last_effective_on=applied_on)
    fake = {slot: Member(slot, "党员", 0, "full", date(2000, 1, 1)) for slot in range(SLOTS)}
    dossier.members = fake
    entries = [Entry(1, "create", "create", None, dossier.state, applied_on, {}, Role.BRANCH,
                     _at(applied_on), engine.rulebook.id)]
    membership = None
    slots = iter(range(SLOTS))
    steps = list(acts)
    steps += [Act(exit_on, role, trigger=trigger, data=payload)
              for trigger, role, payload in exit_acts]
    for act in steps:
        engine = env.engine_on(act.on)
        before = dossier.state
        if act.record:
            kind = env.procedure.record_type(act.record)
            values = _apply_defaults(kind.params, act.data)
            assert before in kind.states, (act, before)
            slot = None
            if "member_id" in values:
                slot = next(slots)
                values["member_id"] = slot
            dossier.records.append(Record(0, act.record, act.on, values))
            action, entry_kind, rulebook_id = act.record, "record", env.rulebook_on(act.on).id
        else:
            transition = engine.transition_for(dossier, act.trigger)
            values = _apply_defaults(transition.params, act.data)
            engine.fire(dossier, act.trigger, engine.facts(dossier, act.on, env.calendar, values))
            dossier.last_effective_on = act.on
            slot, action, entry_kind, rulebook_id = None, act.trigger, "transition", \
                engine.rulebook.id
            status = _membership(env.procedure, before, dossier.state)
            if status:
                membership = (status, dossier.voted_on, dossier.membership_on)
        dossier.version += 1
        # The payload exactly as the service stores it (dates as ISO strings).
        payload = entry_for(dossier_id=0, seq=0, kind="", action="", from_state=None,
                            to_state="", effective_date=act.on, payload=values,
                            actor=_NOBODY, recorded_at=_at(act.on), request_id=None,
                            rulebook_id="", revision=1).payload
        entries.append(Entry(dossier.version, entry_kind, action, before, dossier.state,
                             act.on, payload, act.by, _at(act.on), rulebook_id, slot))
    facts = {k: getattr(dossier, k) for k in FACT_FIELDS}
    # Written by the driver itself (bulk rows): the JSON column takes the text.
    facts["motion"] = json.dumps(dossier.motion) if dossier.motion else None
    return Template(target, applied_on, facts, entries, membership,
                    earliest_due(dossier, env.procedure, env.rulebooks), env.procedure.revision)


class _Nobody:
    id, name, role = 0, "", ""


_NOBODY: Any = _Nobody()


def templates(env: Environment, *, seed: int, variants: int = VARIANTS) -> list[Template]:
    rng = random.Random(seed)
    today = env.today()
    rulebook, calendar = env.rulebook_on(today), env.calendar
    built = []
    for target in MIX:
        walk_to, exit_acts = EXITS.get(target, (target, ()))
        for _ in range(variants):
            if target in ("full_member", "rejected", "withdrawn", "disqualified"):
                finished_by = today - timedelta(days=rng.randint(30, 6 * 365))
            elif "publicity" in target:
                finished_by = today - timedelta(days=rng.randint(1, 4))
            else:
                finished_by = today - timedelta(days=rng.randint(2, 60))
            applied = applied_on_for(target=walk_to, finished_by=finished_by,
                                     rulebook=rulebook, calendar=calendar)
            acts = plan(applied_on=applied, target=walk_to, rulebook=rulebook,
                        calendar=calendar, contacts=[0], sponsors=[1, 2])
            exit_on = finished_by if exit_acts else None
            built.append(replay(env, applied, acts, target, exit_on, exit_acts))
    return built


def ready_for_candidacy(env: Environment) -> Template:
    """An activist whose designation as a development target holds today, for the load:
    `designate_candidate` and `return_to_activist` can then alternate indefinitely."""
    today = env.today()
    rulebook, calendar = env.rulebook_on(today), env.calendar
    applied = applied_on_for(target="training", finished_by=today - timedelta(days=1),
                             rulebook=rulebook, calendar=calendar)
    acts = plan(applied_on=applied, target="activist", rulebook=rulebook, calendar=calendar,
                contacts=[0], sponsors=[1, 2])
    return replay(env, applied, acts, "activist")


# Rows


@dataclass
class Setup:
    committee_ids: list[int]
    branches: list[tuple[int, int]]  # (branch id, committee id)
    branch_users: dict[int, tuple[int, str]]  # branch id -> (user id, name)
    committee_users: dict[int, tuple[int, str]]
    branch_members: dict[int, list[int]]
    tokens: dict[str, str]
    next_member_id: int


WEB_PASSWORD = "bench password"


def _setup(connection, *, committees: int, today: date) -> Setup:
    """Organisations, users (with known tokens for the harness) and the registry."""
    now = _at(today)
    committee_ids, branches, tokens = [], [], {}
    branch_users, committee_users, branch_members = {}, {}, {}
    org_rows, user_rows, member_rows = [], [], []
    org_id, user_id, member_id = 0, 0, 0

    def user(name: str, role: str, organization_id: int | None) -> tuple[int, str]:
        nonlocal user_id
        user_id += 1
        token = secrets.token_urlsafe(24)
        user_rows.append({"id": user_id, "name": name, "role": role,
                          "organization_id": organization_id,
                          "token_hash": hash_token(token), "created_at": now,
                          "login": None, "password_hash": None})
        return user_id, token

    _, tokens["admin"] = user("基准管理员", "admin", None)
    for c in range(committees):
        org_id += 1
        committee = org_id
        committee_ids.append(committee)
        org_rows.append({"id": committee, "name": f"第{c + 1}党委", "kind": "committee",
                         "parent_id": None, "path": f"/{committee}/", "created_at": now})
        uid, token = user(f"第{c + 1}党委组织委员", "committee", committee)
        committee_users[committee] = (uid, f"第{c + 1}党委组织委员")
        if c == 0:
            tokens["committee"] = token
            # The web pages are read signed in as this user: "login password".
            tokens["web"] = f"bench-committee {WEB_PASSWORD}"
            user_rows[-1].update(login="bench-committee",
                                 password_hash=hash_password(WEB_PASSWORD))
            _, tokens["auditor"] = user("审计", "auditor", committee)
        for b in range(BRANCHES_PER_COMMITTEE):
            org_id += 1
            org_rows.append({"id": org_id, "name": f"第{c + 1}党委第{b + 1}支部",
                             "kind": "branch", "parent_id": committee,
                             "path": f"/{committee}/{org_id}/", "created_at": now})
            branches.append((org_id, committee))
            uid, token = user(f"第{c + 1}党委第{b + 1}支部书记", "branch", org_id)
            branch_users[org_id] = (uid, f"第{c + 1}党委第{b + 1}支部书记")
            if c == 0 and b == 0:
                tokens["branch"] = token
            ids = []
            for m in range(MEMBERS_PER_BRANCH):
                member_id += 1
                ids.append(member_id)
                member_rows.append({"id": member_id, "name": f"党员{member_id}",
                                    "branch_id": org_id, "status": "full",
                                    "joined_on": today - timedelta(days=4000 + 37 * m),
                                    "full_on": None, "dossier_id": None, "created_at": now})
            branch_members[org_id] = ids
    connection.execute(organizations.insert(), org_rows)
    connection.execute(users.insert(), user_rows)
    connection.execute(members.insert(), member_rows)
    return Setup(committee_ids, branches, branch_users, committee_users, branch_members, tokens,
                 member_id + 1)


def _person(rng: random.Random, applied_on: date) -> tuple:
    birth = applied_on - timedelta(days=rng.randint(19 * 365, 45 * 365))
    return (rng.choice(SURNAMES) + rng.choice(GIVEN), rng.choice(("male", "female")), birth,
            rng.choice(ETHNICITIES), rng.choice(EDUCATIONS), rng.choice(OCCUPATIONS),
            rng.random() < 0.4, f"1101{rng.randint(10**13, 10**14 - 1)}",
            f"13{rng.randint(100000000, 999999999)}")


def rows(setup: Setup, kinds: list[Template], weights: list[float], *, count: int,
         first_id: int, seed: int, branch_ids: Sequence[int] | None = None,
         pool: Template | None = None) -> Iterator[tuple[list, list, list]]:
    """Chunks of (dossier rows, audit entry rows, member rows), dossier ids from `first_id`.

    With `pool`, every dossier is a copy of that template (the load's dossiers)."""
    rng = random.Random(seed)
    branches = list(branch_ids) if branch_ids else [b for b, _ in setup.branches]
    committee_of = dict(setup.branches)
    payloads: dict[int, str] = {}
    dossier_rows, entry_rows, member_rows = [], [], []
    member_id = setup.next_member_id
    picks = rng.choices(range(len(kinds)), weights, k=count) if pool is None else None
    for n in range(count):
        dossier_id = first_id + n
        template = pool if pool is not None else kinds[picks[n]]
        branch = branches[rng.randrange(len(branches))] if branch_ids is None \
            else branches[n % len(branches)]
        committee = committee_of[branch]
        person = _person(rng, template.applied_on)
        chosen = rng.sample(setup.branch_members[branch], SLOTS)
        actors = {Role.BRANCH: setup.branch_users[branch],
                  Role.COMMITTEE: setup.committee_users[committee]}
        last = template.entries[-1]
        dossier_rows.append((dossier_id, branch, *person[:2], person[2], template.applied_on,
                             *person[3:], *template.facts.values(),
                             _at(template.applied_on), last.recorded_at, template.next_due))
        prev_hash, revision = GENESIS, template.revision
        for e in template.entries:
            if e.kind == "create":
                # As the service records a creation: the profile that was posted.
                content = dict(zip(PROFILE_KEYS, (
                    branch, person[0], person[1], person[2].isoformat(),
                    template.applied_on.isoformat(), *person[3:]), strict=True))
                payload = json.dumps(content)
            elif e.slot is not None:
                content = {**e.payload, "member_id": chosen[e.slot]}
                payload = json.dumps(content)
            else:
                content = e.payload
                payload = payloads.get(id(e))
                if payload is None:
                    payload = payloads[id(e)] = json.dumps(e.payload)
            actor_id, actor_name = actors[e.role]
            request_id = f"bulk-{dossier_id}-{e.seq}"
            # Chained exactly as Repository.append would have: `recruitflow audit verify`
            # passes on a generated log.
            entry_hash = hash_values(with_revision([
                dossier_id, e.kind, e.action, e.from_state, e.to_state,
                e.effective_date.isoformat(), content, actor_id, actor_name, e.role.value,
                utc_text(e.recorded_at), request_id, e.rulebook_id, prev_hash,
            ], revision))
            entry_rows.append((dossier_id, e.seq, e.kind, e.action, e.from_state, e.to_state,
                               e.effective_date, payload, actor_id, actor_name, e.role.value,
                               e.recorded_at, request_id, e.rulebook_id, prev_hash,
                               entry_hash, revision))
            prev_hash = entry_hash
        if template.membership:
            status, joined, full_on = template.membership
            member_rows.append((member_id, person[0], branch, status, joined, full_on,
                                dossier_id, last.recorded_at))
            member_id += 1
        if len(dossier_rows) >= CHUNK:
            yield dossier_rows, entry_rows, member_rows
            dossier_rows, entry_rows, member_rows = [], [], []
    setup.next_member_id = member_id
    if dossier_rows:
        yield dossier_rows, entry_rows, member_rows


# Writing


def _secondary_indexes() -> list[Index]:
    return [i for t in (dossiers, audit_entries, members) for i in t.indexes]


def _write_postgresql(engine: Engine, chunks: Iterator[tuple[list, list, list]]) -> int:
    written = 0
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        # The rows are consistent by construction: skip the per-row foreign-key triggers
        # (needs a superuser; without one the load is merely slower).
        try:
            cursor.execute("SET session_replication_role = replica")
        except Exception:
            raw.rollback()
        for dossier_rows, entry_rows, member_rows in chunks:
            for table, columns, batch in ((dossiers, DOSSIER_COLUMNS, dossier_rows),
                                          (audit_entries, AUDIT_COLUMNS, entry_rows),
                                          (members, MEMBER_COLUMNS, member_rows)):
                if not batch:
                    continue
                with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
            written += len(entry_rows)
        raw.commit()
    finally:
        raw.close()
    return written


def _sqlite_value(value: Any) -> Any:
    # As SQLAlchemy stores them on SQLite: ISO dates, naive UTC datetimes with microseconds.
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _write_sqlite(engine: Engine, chunks: Iterator[tuple[list, list, list]]) -> int:
    written = 0
    path = engine.url.database
    engine.dispose()  # leaving WAL needs the only connection
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        # One big transaction straight into the file: through the WAL it would be written
        # twice. The service's connections turn WAL on again.
        connection.execute("PRAGMA journal_mode=DELETE")
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute("PRAGMA cache_size=-1000000")
        connection.execute("BEGIN")
        cache: dict[Any, Any] = {}

        def convert(row: tuple) -> tuple:
            out = []
            for v in row:
                if isinstance(v, date):
                    c = cache.get(v)
                    if c is None:
                        c = cache[v] = _sqlite_value(v)
                    v = c
                out.append(v)
            return tuple(out)

        for dossier_rows, entry_rows, member_rows in chunks:
            for table, columns, batch in ((dossiers, DOSSIER_COLUMNS, dossier_rows),
                                          (audit_entries, AUDIT_COLUMNS, entry_rows),
                                          (members, MEMBER_COLUMNS, member_rows)):
                if batch:
                    marks = ", ".join("?" * len(columns))
                    connection.executemany(
                        f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})",
                        map(convert, batch),
                    )
            written += len(entry_rows)
        connection.execute("COMMIT")
    finally:
        connection.close()
    return written


def generate(engine: Engine, env: Environment, *, dossiers_count: int, pool_size: int,
             seed: int = 2026, log=print) -> Manifest:
    """Fill an empty, migrated database: `dossiers_count` dossiers across committees of
    20 branches (~500 dossiers a branch), plus `pool_size` load dossiers in the first
    committee's first branch."""
    started = time.monotonic()
    today = env.today()
    committees = max(1, round(dossiers_count / (BRANCHES_PER_COMMITTEE * 500)))
    kinds = templates(env, seed=seed)
    weights = [MIX[t.target] for t in kinds]
    pool_template = ready_for_candidacy(env)
    log(f"  {len(kinds)} templates in {time.monotonic() - started:.1f} s")
    indexes = _secondary_indexes()
    with engine.begin() as connection:
        setup = _setup(connection, committees=committees, today=today)
        for index in indexes:
            index.drop(connection)
    first_branch = setup.branches[0][0]

    def chunks() -> Iterator[tuple[list, list, list]]:
        yield from rows(setup, [], [], count=pool_size, first_id=1, seed=seed,
                        branch_ids=[first_branch], pool=pool_template)
        yield from rows(setup, kinds, weights, count=dossiers_count, first_id=pool_size + 1,
                        seed=seed + 1)

    write = _write_postgresql if engine.dialect.name == "postgresql" else _write_sqlite
    loaded = time.monotonic()
    entries = write(engine, chunks())
    log(f"  {pool_size + dossiers_count} dossiers, {entries} audit entries written in "
        f"{time.monotonic() - loaded:.1f} s")
    indexed = time.monotonic()
    with engine.begin() as connection:
        for index in indexes:
            index.create(connection)
        # Every row carries its bound: the agenda may use the index at once.
        DeadlineIndex(connection).mark_built(fingerprint(env.procedure, env.rulebooks),
                                             now=_at(today))
        if engine.dialect.name == "postgresql":
            for table in ("organizations", "users", "dossiers", "members", "audit_entries"):
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"))
        else:
            connection.execute(text("ANALYZE"))
    if engine.dialect.name == "postgresql":
        # As autovacuum would have done to a table this size by now: without a visibility map
        # no scan can be index-only, and counting a committee's dossiers reads the heap.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    log(f"  indexes rebuilt, tables analysed (and vacuumed on PostgreSQL) in "
        f"{time.monotonic() - indexed:.1f} s")
    return Manifest(
        today=today.isoformat(), dossiers=pool_size + dossiers_count, entries=entries,
        committee_id=setup.committee_ids[0],
        branch_ids=[b for b, c in setup.branches if c == setup.committee_ids[0]],
        tokens=setup.tokens, pool=[1, pool_size], seconds=round(time.monotonic() - started, 1),
    )

