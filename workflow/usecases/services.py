"""The service layer: the one door to the domain for the API, the CLI and the tests.

Each function is one use case with keyword-only arguments. A change is one unit of work: the
dossier's new facts (checked against the version that was read), its audit entry and any
registry update commit together, or nothing is written.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from workflow.domain.actors import Actor
from workflow.domain.audit import AuditEntry, entry_for
from workflow.domain.calendar import WorkingDaySpan
from workflow.domain.deadlines import earliest_due
from workflow.domain.dossier import CORRECT_PROFILE, TRANSFER, VOID, Dossier, Record
from workflow.domain.environment import Environment
from workflow.domain.errors import (
    NO_ORGANIZATION_IN_SCOPE,
    NOT_IN_FUTURE,
    ROLE_ZH,
    Conflict,
    Forbidden,
    Invalid,
    InvalidTransition,
    Message,
    NotFound,
    RecordNotAllowed,
    VersionMismatch,
    role_may_not,
)
from workflow.domain.machine import Step
from workflow.domain.procedure import Procedure, RecordType, StateDef, TransitionDef
from workflow.domain.roles import Role
from workflow.domain.rulebook import Rulebook
from workflow.domain.rules import Param
from workflow.store.repository import Organization, Repository, StoredDossier
from workflow.store.uow import UnitOfWork
from workflow.usecases import accounts
from workflow.usecases.privacy import visible_entries

T = TypeVar("T")

# Concurrent writers to one dossier: the loser re-reads and is judged again (it usually finds
# the trigger no longer valid). Only a caller who sent If-Match gets a version mismatch. The
# second attempt is exclusive and cannot lose again.
ATTEMPTS = 2


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class DossierView:
    """A dossier as the callers see it: facts, profile, and what can happen next."""

    stored: StoredDossier
    state: StateDef
    steps: list[Step]
    publicity: WorkingDaySpan | None
    rulebook: Rulebook
    today: date

    @property
    def dossier(self) -> Dossier:
        return self.stored.dossier


@dataclass(frozen=True)
class Notice:
    """A publicity in progress, with only what the public may see."""

    dossier_id: int
    name: str
    gender: str
    birth_month: str
    branch_id: int
    branch_name: str
    committee_id: int | None
    kind: str
    span: WorkingDaySpan
    elapsed: bool
    working_days_left: int


BIRTH_BEFORE_APPLICATION = Message("must be before the application date", "应早于申请入党日期")


def not_after_today(today: date) -> Message:
    return Message(f"may not lie in the future (today is {today})", f"不能晚于今天（{today}）")


# Authentication and administration


def authenticate(*, uow: UnitOfWork, token: str, now: datetime | None = None) -> Actor | None:
    """The active user with this unexpired token (workflow.usecases.access revokes)."""
    with uow.transaction() as tx:
        return tx.repo.actor_by_token_hash(hash_token(token), now or datetime.now(UTC))


def _require(actor: Actor, *roles: Role) -> None:
    if actor.role not in roles:
        raise Forbidden(role_may_not(actor.role))


def create_admin(*, uow: UnitOfWork, env: Environment, name: str, login: str | None = None,
                 password: str | None = None) -> tuple[int, str]:
    """The first administrator (from the command line). Admins without an organisation
    manage the whole tree."""
    token = secrets.token_urlsafe(32)
    with uow.transaction(write=True) as tx:
        login, password_hash = accounts.new_credentials(tx.repo, login, password)
        user_id = tx.repo.add_user(name=name, role=Role.ADMIN, organization_id=None,
                                   token_hash=hash_token(token), now=env.now(), login=login,
                                   password_hash=password_hash)
        tx.commit()
    return user_id, token


def create_organization(*, uow: UnitOfWork, env: Environment, actor: Actor, name: str,
                        kind: str, parent_id: int | None) -> Organization:
    _require(actor, Role.ADMIN)
    with uow.transaction(write=True) as tx:
        parent = None
        if parent_id is not None:
            parent = tx.repo.organization(parent_id)
            if parent is None or not actor.covers(parent.path):
                raise Invalid({"parent_id": NO_ORGANIZATION_IN_SCOPE})
            if parent.kind != "committee":
                raise Invalid({"parent_id": Message(
                    "only a committee can have organisations below it", "只有党委下面可以设组织")})
        elif actor.organization_path != "/":
            raise Invalid({"parent_id": Message(
                "required: you manage only your organisation's subtree",
                "必填：您只管理本组织及其下级组织")})
        org = tx.repo.add_organization(name=name, kind=kind, parent=parent, now=env.now())
        tx.commit()
    return org


def create_user(*, uow: UnitOfWork, env: Environment, actor: Actor, name: str, role: Role,
                organization_id: int, login: str | None = None,
                password: str | None = None) -> tuple[int, str]:
    _require(actor, Role.ADMIN)
    token = secrets.token_urlsafe(32)
    with uow.transaction(write=True) as tx:
        org = tx.repo.organization(organization_id)
        if org is None or not actor.covers(org.path):
            raise Invalid({"organization_id": NO_ORGANIZATION_IN_SCOPE})
        wanted = {Role.BRANCH: "branch", Role.COMMITTEE: "committee"}.get(role)
        if wanted and org.kind != wanted:
            raise Invalid({"organization_id": Message(
                f"a {role} user belongs to a {wanted}",
                f"{ROLE_ZH[role]}用户应属于{ROLE_ZH[wanted]}")})
        login, password_hash = accounts.new_credentials(tx.repo, login, password)
        user_id = tx.repo.add_user(name=name, role=role, organization_id=organization_id,
                                   token_hash=hash_token(token), now=env.now(), login=login,
                                   password_hash=password_hash)
        tx.commit()
    return user_id, token


def create_member(*, uow: UnitOfWork, env: Environment, actor: Actor, name: str,
                  branch_id: int, status: str, joined_on: date) -> int:
    _require(actor, Role.ADMIN, Role.BRANCH)
    if joined_on > env.today():
        raise Invalid({"joined_on": NOT_IN_FUTURE})
    with uow.transaction(write=True) as tx:
        branch = _branch_in_scope(tx.repo, actor, branch_id)
        member_id = tx.repo.add_member(name=name, branch_id=branch.id, status=status,
                                       joined_on=joined_on, now=env.now())
        tx.commit()
    return member_id


def _branch_in_scope(repo: Repository, actor: Actor, branch_id: int) -> Organization:
    branch = repo.organization(branch_id)
    if branch is None or not actor.covers(branch.path) or branch.kind != "branch":
        raise Invalid({"branch_id": Message("no branch with this id in your scope",
                                             "您的管辖范围内没有这个党支部")})
    return branch


# Dossiers


def _load(repo: Repository, actor: Actor, dossier_id: int, *,
          for_update: bool = False) -> StoredDossier:
    stored = repo.dossier(dossier_id, for_update=for_update)
    # Outside the actor's scope a dossier does not exist: not even its existence leaks.
    if stored is None or not actor.covers(stored.branch_path):
        raise NotFound(Message(f"no dossier {dossier_id}", f"没有编号为{dossier_id}的档案"))
    return stored


def _to_change(repo: Repository, actor: Actor, dossier_id: int,
               expected_version: int | None) -> StoredDossier:
    """The dossier a change starts from, if it is the version the caller named (If-Match)."""
    stored = _load(repo, actor, dossier_id, for_update=True)
    if expected_version is not None and stored.dossier.version != expected_version:
        raise VersionMismatch(expected_version, stored.dossier.version)
    return stored


def _check_act_date(field: str, on: date, dossier: Dossier, env: Environment) -> None:
    today = env.today()
    if on > today:
        raise Invalid({field: not_after_today(today)})
    if on < dossier.last_effective_on:
        raise Invalid({field: Message(
            f"may not precede the dossier's previous transition ({dossier.last_effective_on})",
            f"不能早于上一次办理的日期（{dossier.last_effective_on}）")})


def view(stored: StoredDossier, env: Environment) -> DossierView:
    today = env.today()
    engine = env.engine_on(today)
    dossier = stored.dossier
    facts = engine.facts(dossier, today, env.calendar)
    span = None
    if env.procedure.in_publicity(dossier.state):
        span = env.procedure.publicity.span(dossier, engine.rulebook, env.calendar)
    return DossierView(stored, env.procedure.state(dossier.state), engine.steps(dossier, facts),
                       span, engine.rulebook, today)


def get_dossier(*, uow: UnitOfWork, env: Environment, actor: Actor,
                dossier_id: int) -> DossierView:
    with uow.transaction() as tx:
        stored = _load(tx.repo, actor, dossier_id)
    return view(stored, env)


def list_dossiers(*, uow: UnitOfWork, actor: Actor, state: str | None = None,
                  branch_id: int | None = None, q: str | None = None, page: int = 1,
                  per_page: int = 20) -> tuple[list[dict[str, Any]], int]:
    with uow.transaction() as tx:
        return tx.repo.list_dossiers(scope_path=actor.organization_path, state=state,
                                     branch_id=branch_id, q=q, page=page, per_page=per_page)


def dossier_log(*, uow: UnitOfWork, actor: Actor, dossier_id: int) -> list[AuditEntry]:
    """The dossier's entries, with only the private fields the actor may see."""
    with uow.transaction() as tx:
        _load(tx.repo, actor, dossier_id)
        return list(visible_entries(tx.repo.log(dossier_id), actor))


def create_dossier(*, uow: UnitOfWork, env: Environment, actor: Actor,
                   profile: Mapping[str, Any], request_id: str | None = None) -> DossierView:
    _require(actor, Role.BRANCH)
    applied_on: date = profile["applied_on"]
    birth_date: date = profile["birth_date"]
    today = env.today()
    if applied_on > today:
        raise Invalid({"applied_on": not_after_today(today)})
    if birth_date >= applied_on:
        raise Invalid({"birth_date": BIRTH_BEFORE_APPLICATION})
    engine = env.engine_on(applied_on)
    dossier = Dossier(id=None, branch_id=profile["branch_id"], state=engine.procedure.initial,
                      version=1, birth_date=birth_date, applied_on=applied_on,
                      last_effective_on=applied_on)
    engine.check_creation(engine.facts(dossier, applied_on, env.calendar))
    with uow.transaction(write=True) as tx:
        branch = _branch_in_scope(tx.repo, actor, profile["branch_id"])
        now = env.now()
        dossier.id = tx.repo.add_dossier(
            branch_id=branch.id, profile=profile, dossier=dossier, now=now,
            next_due=earliest_due(dossier, env.procedure, env.rulebooks))
        tx.repo.append(entry_for(
            dossier_id=dossier.id, seq=dossier.version, kind="create", action="create",
            from_state=None, to_state=dossier.state, effective_date=applied_on,
            payload=profile, actor=actor, recorded_at=now, request_id=request_id,
            rulebook_id=engine.rulebook.id, revision=env.procedure.revision,
        ))
        stored = tx.repo.dossier(dossier.id)
        tx.commit()
    return view(stored, env)


def _with_retries(attempt: Callable[[bool], T]) -> T:
    """Run a change, first optimistically, then, having lost a race, exclusively (see
    `workflow.store.uow.Change`)."""
    for tried in range(ATTEMPTS):
        try:
            return attempt(tried > 0)
        except Conflict:
            if tried == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _apply_defaults(params: tuple[Param, ...], given: Mapping[str, Any]) -> dict[str, Any]:
    values = {p.name: given[p.name] for p in params if p.name in given}
    for p in params:
        values.setdefault(p.name, p.default)
    return values


def _next_due(stored: StoredDossier, env: Environment, adding: Record | None = None,
              ) -> date | None:
    """The dossier's deadline index after a change. `adding` is the record the change
    appends, not yet on the dossier (its id comes with its audit entry) but already part of
    what falls due when."""
    dossier = stored.dossier
    facts = replace(dossier, records=[*dossier.records, adding]) if adding else dossier
    return earliest_due(facts, env.procedure, env.rulebooks)


def _save(repo: Repository, stored: StoredDossier, read_version: int, now: datetime,
          next_due: date | None) -> None:
    """Write the dossier's new facts and deadline index (`_next_due`), if it is still at
    the version that was read."""
    dossier = stored.dossier
    if not repo.save_dossier(dossier, expected_version=read_version, now=now,
                             next_due=next_due):
        raise Conflict(Message("the dossier was changed by a concurrent request",
                                "档案刚被另一请求修改，请重新读取后再试"))
    stored.profile["updated_at"] = now


def _membership(procedure: Procedure, before: str, after: str) -> str | None:
    """The registry status a transition gives the person, if it changes it."""
    probation = procedure.probation_states
    if after in probation:
        return "probationary"
    if after == "full_member":
        return "full"
    if before in probation and after in ("disqualified", "withdrawn"):
        return "former"
    return None


def fire(*, uow: UnitOfWork, env: Environment, actor: Actor, dossier_id: int, trigger: str,
         on: date, payload: Mapping[str, Any] | None = None,
         expected_version: int | None = None, request_id: str | None = None) -> DossierView:
    """Fire a trigger on a dossier, or raise why not (409, 412, 403, 422 with every reason)."""

    def attempt(exclusive: bool) -> StoredDossier:
        with uow.change(exclusive=exclusive) as change:
            with change.read() as repo:
                stored = _to_change(repo, actor, dossier_id, expected_version)
            dossier = stored.dossier
            engine = env.engine_on(on)
            transition: TransitionDef = engine.transition_for(dossier, trigger)
            _require(actor, *transition.roles)
            _check_act_date("effective_date", on, dossier, env)
            values = _apply_defaults(transition.params, payload or {})
            before, read_version = dossier.state, dossier.version
            engine.fire(dossier, trigger, engine.facts(dossier, on, env.calendar, values))
            dossier.version = read_version + 1
            dossier.last_effective_on = on
            now = env.now()
            entry = entry_for(
                dossier_id=dossier.id, seq=dossier.version, kind="transition", action=trigger,
                from_state=before, to_state=dossier.state, effective_date=on, payload=values,
                actor=actor, recorded_at=now, request_id=request_id,
                rulebook_id=engine.rulebook.id, revision=env.procedure.revision,
            )
            next_due = _next_due(stored, env)
            with change.write() as tx:
                _save(tx.repo, stored, read_version, now, next_due)
                tx.repo.append(entry)
                status = _membership(env.procedure, before, dossier.state)
                if status:
                    tx.repo.sync_membership(
                        dossier_id=dossier.id, name=stored.profile["name"],
                        branch_id=dossier.branch_id, status=status,
                        joined_on=dossier.voted_on, full_on=dossier.membership_on,
                        now=now,
                    )
                tx.commit()
        return stored

    return view(_with_retries(attempt), env)


def registry_scope(branch_path: str) -> str:
    """Contacts and sponsors come from the registry of the committee the branch belongs to:
    the path of that committee's subtree."""
    return branch_path.rstrip("/").rsplit("/", 1)[0] + "/"


def _check_record_data(repo: Repository, stored: StoredDossier, record_type: RecordType,
                       data: Mapping[str, Any]) -> None:
    committee_path = registry_scope(stored.branch_path)
    for param in record_type.params:
        if param.kind == "member":
            path = repo.member_branch_path(data[param.name])
            if path is None or not path.startswith(committee_path):
                raise Invalid({param.name: Message("no member with this id in the registry",
                                                    "党员名册中没有这个编号")})


def _next_version(env: Environment, actor: Actor, dossier: Dossier, *, action: str, on: date,
                  payload: Mapping[str, Any], request_id: str | None,
                  ) -> tuple[int, datetime, AuditEntry]:
    """Bump the dossier's version for a record or a correction (neither moves its state) and
    build the entry that logs it. Returns the version read, which `_save` checks against the
    stored one, the time of the change and the entry."""
    read_version = dossier.version
    dossier.version = read_version + 1
    now = env.now()
    entry = entry_for(
        dossier_id=dossier.id, seq=dossier.version, kind="record", action=action,
        from_state=dossier.state, to_state=dossier.state, effective_date=on,
        payload=payload, actor=actor, recorded_at=now, request_id=request_id,
        rulebook_id=env.rulebook_on(on).id, revision=env.procedure.revision,
    )
    return read_version, now, entry


def add_record(*, uow: UnitOfWork, env: Environment, actor: Actor, dossier_id: int,
               record_type: str, on: date, data: Mapping[str, Any],
               expected_version: int | None = None,
               request_id: str | None = None) -> tuple[Record, DossierView]:
    kind = env.procedure.record_type(record_type)
    if kind is None:
        raise Invalid({"type": Message(f"unknown record type {record_type!r}",
                                        f"没有“{record_type}”这种记录")})
    values = _apply_defaults(kind.params, data)

    def attempt(exclusive: bool) -> tuple[Record, StoredDossier]:
        with uow.change(exclusive=exclusive) as change:
            with change.read() as repo:
                stored = _to_change(repo, actor, dossier_id, expected_version)
                dossier = stored.dossier
                _require(actor, *kind.roles)
                if dossier.state not in kind.states:
                    raise RecordNotAllowed(
                        record_type, dossier.state, kind.states, record_zh=kind.label_zh,
                        state_zh=env.procedure.state(dossier.state).label_zh)
                _check_act_date("date", on, dossier, env)
                _check_record_data(repo, stored, kind, values)
                named = repo.members([values["member_id"]]) if "member_id" in values else {}
            if kind.validate is not None:
                errors = kind.validate(dossier, Record(0, record_type, on, values))
                if errors:
                    raise Invalid(errors)
            read_version, now, entry = _next_version(
                env, actor, dossier, action=record_type, on=on, payload=values,
                request_id=request_id)
            next_due = _next_due(stored, env, Record(0, record_type, on, values))
            with change.write() as tx:
                _save(tx.repo, stored, read_version, now, next_due)
                entry_id = tx.repo.append(entry)
                tx.commit()
            record = Record(entry_id, record_type, on, values)
            dossier.records.append(record)
            dossier.members = {**dossier.members, **named}
        return record, stored

    record, stored = _with_retries(attempt)
    return record, view(stored, env)


# Corrections (PROCEDURE.md, Corrections): each is an entry of the dossier's log, chained like
# the others and written in the same transaction as the change it makes.

# The profile fields a correction may change (the creation's, but the branch: see `transfer`).
CORRECTABLE = ("name", "gender", "birth_date", "applied_on", "ethnicity", "education",
               "occupation", "frontline", "id_number", "phone")


def _reason(reason: str | None) -> str:
    text = str(reason or "").strip()
    if not text:
        raise Invalid({"reason": Message("a reason is required", "请写明原因")})
    return text


def _correct(*, uow: UnitOfWork, env: Environment, actor: Actor, dossier_id: int,
             expected_version: int | None, request_id: str | None, action: str,
             prepare: Callable[[Repository, StoredDossier], tuple[dict[str, Any], date]],
             write: Callable[[Repository, StoredDossier], None] | None = None) -> DossierView:
    """One correction: `prepare` checks it against the dossier read for update and changes
    the dossier in memory, giving the entry's payload and effective date; `write` stores
    what the dossier's facts do not hold (profile, branch)."""

    def attempt(exclusive: bool) -> StoredDossier:
        with uow.change(exclusive=exclusive) as change:
            with change.read() as repo:
                stored = _to_change(repo, actor, dossier_id, expected_version)
                payload, on = prepare(repo, stored)
            dossier = stored.dossier
            read_version, now, entry = _next_version(
                env, actor, dossier, action=action, on=on, payload=payload,
                request_id=request_id)
            with change.write() as tx:
                _save(tx.repo, stored, read_version, now, _next_due(stored, env))
                if write is not None:
                    write(tx.repo, stored)
                tx.repo.append(entry)
                tx.commit()
        return stored

    return view(_with_retries(attempt), env)


def void_record(*, uow: UnitOfWork, env: Environment, actor: Actor, dossier_id: int,
                record_id: int, reason: str | None, expected_version: int | None = None,
                request_id: str | None = None) -> DossierView:
    """Void a record: it stays on the dossier and in the log, and counts no more. Whoever may
    add a record of its type (in the dossier's scope) may void it."""
    reason = _reason(reason)

    def prepare(repo: Repository, stored: StoredDossier) -> tuple[dict[str, Any], date]:
        dossier = stored.dossier
        found = next((r for r in dossier.records if r.id == record_id), None)
        if found is None:
            raise NotFound(Message(f"no record {record_id} on dossier {dossier_id}",
                                   f"档案{dossier_id}中没有编号为{record_id}的记录"))
        kind = env.procedure.record_type(found.type)
        _require(actor, *(kind.roles if kind else ()))
        if found.voided:
            raise Invalid({"record_id": Message("this record is already void", "该记录已作废")})
        dossier.records = [replace(r, voided=True) if r.id == record_id else r
                           for r in dossier.records]
        return {"record_id": record_id, "type": found.type, "reason": reason}, env.today()

    return _correct(uow=uow, env=env, actor=actor, dossier_id=dossier_id,
                    expected_version=expected_version, request_id=request_id, action=VOID,
                    prepare=prepare)


def correct_profile(*, uow: UnitOfWork, env: Environment, actor: Actor, dossier_id: int,
                    changes: Mapping[str, Any], reason: str | None,
                    expected_version: int | None = None,
                    request_id: str | None = None) -> DossierView:
    """Correct the applicant's profile; the log keeps the old and the new values. A corrected
    birth or application date is judged again by the compliance report, never by rewriting
    earlier acts."""
    _require(actor, Role.BRANCH, Role.COMMITTEE)
    reason = _reason(reason)
    unknown = sorted(set(changes) - set(CORRECTABLE))
    if unknown:
        raise Invalid({name: Message("not a field of the profile that can be corrected",
                                     "不是可更正的基本信息字段") for name in unknown})

    def prepare(repo: Repository, stored: StoredDossier) -> tuple[dict[str, Any], date]:
        old = {k: stored.profile.get(k) for k in changes if stored.profile.get(k) != changes[k]}
        if not old:
            raise Invalid({"reason": Message(
                "nothing to correct: every value given is the current one",
                "没有需要更正的内容：所填与现有信息相同")})
        new = {k: changes[k] for k in old}
        birth = new.get("birth_date", stored.dossier.birth_date)
        applied = new.get("applied_on", stored.dossier.applied_on)
        today = env.today()
        if applied > today:
            raise Invalid({"applied_on": not_after_today(today)})
        if birth >= applied:
            raise Invalid({"birth_date": BIRTH_BEFORE_APPLICATION})
        # The application comes before everything recorded of it.
        dossier = stored.dossier
        acts = [r.date for r in dossier.records]
        if dossier.state != env.procedure.initial:
            acts.append(dossier.last_effective_on)
        if "applied_on" in new and acts and applied > min(acts):
            raise Invalid({"applied_on": Message(
                f"may not follow the dossier's first act ({min(acts)})",
                f"不得晚于该档案的第一项记录或程序（{min(acts)}）")})
        dossier.birth_date, dossier.applied_on = birth, applied
        stored.profile.update(new)
        return {"reason": reason, "old": old, "new": new}, today

    def write(repo: Repository, stored: StoredDossier) -> None:
        repo.update_profile(stored.dossier.id, {k: stored.profile[k] for k in changes})

    return _correct(uow=uow, env=env, actor=actor, dossier_id=dossier_id,
                    expected_version=expected_version, request_id=request_id,
                    action=CORRECT_PROFILE, prepare=prepare, write=write)


def transfer(*, uow: UnitOfWork, env: Environment, actor: Actor, dossier_id: int,
             branch_id: int, reason: str | None, on: date,
             expected_version: int | None = None,
             request_id: str | None = None) -> DossierView:
    """Move a dossier to another branch (Art. 12). Its state, dates and records stay, so its
    cultivation time counts on without a break."""
    _require(actor, Role.COMMITTEE, Role.ADMIN)
    reason = _reason(reason)

    def prepare(repo: Repository, stored: StoredDossier) -> tuple[dict[str, Any], date]:
        dossier = stored.dossier
        if env.procedure.state(dossier.state).final:
            raise InvalidTransition(TRANSFER, dossier.state,
                                    env.procedure.state(dossier.state).label_zh)
        target = _branch_in_scope(repo, actor, branch_id)
        if target.id == dossier.branch_id:
            raise Invalid({"branch_id": Message("the dossier is already in this branch",
                                                "档案已在该党支部")})
        _check_act_date("effective_date", on, dossier, env)
        payload = {"from_branch_id": dossier.branch_id, "branch_id": target.id,
                   "reason": reason}
        dossier.branch_id = target.id
        return payload, on

    def write(repo: Repository, stored: StoredDossier) -> None:
        repo.move_dossier(stored.dossier.id, stored.dossier.branch_id)

    moved = _correct(uow=uow, env=env, actor=actor, dossier_id=dossier_id,
                     expected_version=expected_version, request_id=request_id,
                     action=TRANSFER, prepare=prepare, write=write)
    # The view's branch name and path are read again: they changed with the branch.
    return get_dossier(uow=uow, env=env, actor=actor, dossier_id=moved.dossier.id)


# Publicity


def publicity_notices(*, uow: UnitOfWork, env: Environment,
                      committee_id: int | None = None) -> list[Notice]:
    """Every publicity in progress, or those of the branches of one committee."""
    publicity = env.procedure.publicity
    if publicity is None:
        return []
    today = env.today()
    rulebook = env.rulebook_on(today)
    with uow.transaction() as tx:
        rows = tx.repo.dossiers_in_states(publicity.states, committee_id=committee_id)
    notices = []
    for row in rows:
        facts = Dossier(id=row.id, branch_id=row.branch_id, state=row.state,
                        version=row.version, birth_date=row.birth_date,
                        applied_on=row.applied_on, last_effective_on=row.last_effective_on,
                        publicity_started_on=row.publicity_started_on)
        span = publicity.span(facts, rulebook, env.calendar)
        notices.append(Notice(
            dossier_id=row.id, name=row.name, gender=row.gender,
            birth_month=row.birth_date.strftime("%Y-%m"), branch_id=row.branch_id,
            branch_name=row.branch_name, committee_id=row.committee_id,
            kind="admission" if row.state == "publicity" else "conversion",
            span=span, elapsed=today > span.last_day,
            working_days_left=env.calendar.working_days_left(span.last_day, today),
        ))
    return notices


def describe_workflow(*, env: Environment) -> dict[str, Any]:
    """The machine as data: states, triggers, rules with their ids, rulebooks in force."""
    procedure = env.procedure
    rulebook = env.rulebook_on(env.today())
    rules = procedure.rules()
    return {
        "initial_state": procedure.initial,
        "states": [
            {"name": s.name, "label_zh": s.label_zh, "label": s.label_en, "final": s.final,
             "article": s.article or None}
            for s in procedure.states
        ],
        "revision": procedure.revision,
        "triggers": [
            {"trigger": t.trigger, "from": list(t.sources), "to": t.dest, "dests": list(t.dests),
             "roles": sorted(t.roles), "rules": [r.id for r in t.rules],
             "params": [_describe_param(p) for p in t.params],
             "summary": t.summary_en, "summary_zh": t.summary_zh, "article": t.article or None}
            for t in procedure.transitions
        ],
        # Triggers of earlier revisions: no longer fired, but named by older audit entries.
        "retired_triggers": [
            {"trigger": t.trigger, "from": list(t.sources), "to": t.dest,
             "summary": t.summary_en, "summary_zh": t.summary_zh}
            for t in procedure.retired
        ],
        "creation_rules": [r.id for r in procedure.creation_rules],
        "records": [
            {"type": r.name, "label_zh": r.label_zh, "label": r.label_en,
             "roles": sorted(r.roles), "states": list(r.states),
             "fields": [_describe_param(p) for p in r.params], "article": r.article or None}
            for r in procedure.records
        ],
        "rules": [rule.describe(rulebook) for rule in rules.values()],
        "rulebook": _describe_rulebook(rulebook),
        "rulebooks": [_describe_rulebook(r) for r in env.rulebooks.versions],
    }


def rules_markdown(*, env: Environment) -> str:
    """The procedure as a Markdown reference, generated from the definitions it runs on."""
    described = describe_workflow(env=env)
    rules = {r["id"]: r for r in described["rules"]}
    book = described["rulebook"]
    lines = [
        "# The rules of the procedure",
        "",
        f"Generated by `recruitflow rules` from the rule definitions in `states/` (rulebook "
        f"revision {described['revision']}, see `docs/PROCEDURE.md`), with the numbers of "
        f"rulebook `{book['id']}` ({book['title']}, in force from {book['effective_from']}). "
        f"Do not edit by hand.",
        "",
        "## Triggers",
        "",
        "| trigger | from → to | roles | rules |",
        "|---|---|---|---|",
    ]
    for t in described["triggers"]:
        lines.append(f"| `{t['trigger']}` | {', '.join(t['from'])} → {' or '.join(t['dests'])} | "
                     f"{', '.join(t['roles'])} | {', '.join(f'`{r}`' for r in t['rules'])} |")
    lines += ["", "## Rules", "", "Revision: the rulebook revision that introduced the rule; "
              "acts recorded under an earlier revision are not judged by it.", "",
              "| rule id | condition | 条件 | article | revision |", "|---|---|---|---|---|"]
    for rule_id in sorted(rules):
        r = rules[rule_id]
        lines.append(f"| `{rule_id}` | {r['summary']} | {r['summary_zh']} | "
                     f"{r['article'] or ''} | {r['revision']} |")
    lines += ["", "## Records", "", "| type | 中文 | roles | states | fields |",
              "|---|---|---|---|---|"]
    for r in described["records"]:
        names = ", ".join(f["name"] for f in r["fields"]) or "—"
        lines.append(f"| `{r['type']}` | {r['label_zh']} | {', '.join(r['roles'])} | "
                     f"{', '.join(r['states'])} | {names} |")
    lines += ["", "## Numbers", "", "| setting | value |", "|---|---|"]
    lines += [f"| `{k}` | {v} |" for k, v in book["numbers"].items()]
    return "\n".join(lines) + "\n"


def _describe_param(p: Param) -> dict[str, Any]:
    described = {"name": p.name, "kind": p.kind, "required": p.required}
    if p.choices:
        described["choices"] = list(p.choices)
    if p.description:
        described["description"] = p.description
    return described


def _describe_rulebook(rulebook: Rulebook) -> dict[str, Any]:
    return {"id": rulebook.id, "effective_from": rulebook.effective_from.isoformat(),
            "title": rulebook.title, "numbers": rulebook.numbers()}

