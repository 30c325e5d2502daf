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

from states.probation import PROBATION_STATES
from states.publicity import PUBLICITY_STATES, publicity_span
from workflow.domain.actors import Actor
from workflow.domain.audit import AuditEntry, entry_for
from workflow.domain.calendar import WorkingDaySpan
from workflow.domain.deadlines import earliest_due
from workflow.domain.dossier import Dossier, Record
from workflow.domain.environment import Environment
from workflow.domain.errors import (
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    RecordNotAllowed,
    VersionMismatch,
)
from workflow.domain.machine import Step
from workflow.domain.procedure import RecordType, StateDef, TransitionDef
from workflow.domain.roles import Role
from workflow.domain.rulebook import Rulebook
from workflow.domain.rules import Param
from workflow.store.repository import Organization, Repository, StoredDossier
from workflow.store.uow import UnitOfWork
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


# Authentication and administration


def authenticate(*, uow: UnitOfWork, token: str, now: datetime | None = None) -> Actor | None:
    """The active user with this unexpired token (workflow.usecases.access revokes)."""
    with uow.transaction() as tx:
        return tx.repo.actor_by_token_hash(hash_token(token), now or datetime.now(UTC))


def _require(actor: Actor, *roles: Role) -> None:
    if actor.role not in roles:
        raise Forbidden(f"the {actor.role} role may not do this")


def create_admin(*, uow: UnitOfWork, env: Environment, name: str) -> tuple[int, str]:
    """The first administrator (from the command line). Admins without an organisation
    manage the whole tree."""
    token = secrets.token_urlsafe(32)
    with uow.transaction(write=True) as tx:
        user_id = tx.repo.add_user(name=name, role=Role.ADMIN, organization_id=None,
                                   token_hash=hash_token(token), now=env.now())
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
                raise Invalid({"parent_id": "no organisation with this id in your scope"})
            if parent.kind != "committee":
                raise Invalid({"parent_id": "only a committee can have organisations below it"})
        elif actor.organization_path != "/":
            raise Invalid({"parent_id": "required: you manage only your organisation's subtree"})
        org = tx.repo.add_organization(name=name, kind=kind, parent=parent, now=env.now())
        tx.commit()
    return org


def create_user(*, uow: UnitOfWork, env: Environment, actor: Actor, name: str, role: Role,
                organization_id: int) -> tuple[int, str]:
    _require(actor, Role.ADMIN)
    token = secrets.token_urlsafe(32)
    with uow.transaction(write=True) as tx:
        org = tx.repo.organization(organization_id)
        if org is None or not actor.covers(org.path):
            raise Invalid({"organization_id": "no organisation with this id in your scope"})
        wanted = {Role.BRANCH: "branch", Role.COMMITTEE: "committee"}.get(role)
        if wanted and org.kind != wanted:
            raise Invalid({"organization_id": f"a {role} user belongs to a {wanted}"})
        user_id = tx.repo.add_user(name=name, role=role, organization_id=organization_id,
                                   token_hash=hash_token(token), now=env.now())
        tx.commit()
    return user_id, token


def create_member(*, uow: UnitOfWork, env: Environment, actor: Actor, name: str,
                  branch_id: int, status: str, joined_on: date) -> int:
    _require(actor, Role.ADMIN, Role.BRANCH)
    if joined_on > env.today():
        raise Invalid({"joined_on": "may not lie in the future"})
    with uow.transaction(write=True) as tx:
        branch = _branch_in_scope(tx.repo, actor, branch_id)
        member_id = tx.repo.add_member(name=name, branch_id=branch.id, status=status,
                                       joined_on=joined_on, now=env.now())
        tx.commit()
    return member_id


def _branch_in_scope(repo: Repository, actor: Actor, branch_id: int) -> Organization:
    branch = repo.organization(branch_id)
    if branch is None or not actor.covers(branch.path) or branch.kind != "branch":
        raise Invalid({"branch_id": "no branch with this id in your scope"})
    return branch


# Dossiers


def _load(repo: Repository, actor: Actor, dossier_id: int, *,
          for_update: bool = False) -> StoredDossier:
    stored = repo.dossier(dossier_id, for_update=for_update)
    # Outside the actor's scope a dossier does not exist: not even its existence leaks.
    if stored is None or not actor.covers(stored.branch_path):
        raise NotFound(f"no dossier {dossier_id}")
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
        raise Invalid({field: f"may not lie in the future (today is {today})"})
    if on < dossier.last_effective_on:
        raise Invalid({
            field: f"may not precede the dossier's previous transition "
                   f"({dossier.last_effective_on})"
        })


def view(stored: StoredDossier, env: Environment) -> DossierView:
    today = env.today()
    engine = env.engine_on(today)
    dossier = stored.dossier
    facts = engine.facts(dossier, today, env.calendar)
    span = None
    if dossier.state in PUBLICITY_STATES:
        span = publicity_span(dossier, engine.rulebook, env.calendar)
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
        raise Invalid({"applied_on": f"may not lie in the future (today is {today})"})
    if birth_date >= applied_on:
        raise Invalid({"birth_date": "must be before the application date"})
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
            rulebook_id=engine.rulebook.id,
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
        raise Conflict("the dossier was changed by a concurrent request")
    stored.profile["updated_at"] = now


def _membership(before: str, after: str) -> str | None:
    """The registry status a transition gives the person, if it changes it."""
    if after in PROBATION_STATES:
        return "probationary"
    if after == "full_member":
        return "full"
    if before in PROBATION_STATES and after in ("disqualified", "withdrawn"):
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
                rulebook_id=engine.rulebook.id,
            )
            next_due = _next_due(stored, env)
            with change.write() as tx:
                _save(tx.repo, stored, read_version, now, next_due)
                tx.repo.append(entry)
                status = _membership(before, dossier.state)
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


def _check_record_data(repo: Repository, stored: StoredDossier, record_type: RecordType,
                       data: Mapping[str, Any]) -> None:
    # Contacts and sponsors come from the registry of the committee the branch belongs to.
    committee_path = stored.branch_path.rstrip("/").rsplit("/", 1)[0] + "/"
    for param in record_type.params:
        if param.kind == "member":
            path = repo.member_branch_path(data[param.name])
            if path is None or not path.startswith(committee_path):
                raise Invalid({param.name: "no member with this id in the registry"})


def add_record(*, uow: UnitOfWork, env: Environment, actor: Actor, dossier_id: int,
               record_type: str, on: date, data: Mapping[str, Any],
               expected_version: int | None = None,
               request_id: str | None = None) -> tuple[Record, DossierView]:
    kind = env.procedure.record_type(record_type)
    if kind is None:
        raise Invalid({"type": f"unknown record type {record_type!r}"})
    values = _apply_defaults(kind.params, data)

    def attempt(exclusive: bool) -> tuple[Record, StoredDossier]:
        with uow.change(exclusive=exclusive) as change:
            with change.read() as repo:
                stored = _to_change(repo, actor, dossier_id, expected_version)
                dossier = stored.dossier
                _require(actor, *kind.roles)
                if dossier.state not in kind.states:
                    raise RecordNotAllowed(record_type, dossier.state, kind.states)
                _check_act_date("date", on, dossier, env)
                _check_record_data(repo, stored, kind, values)
                named = repo.members([values["member_id"]]) if "member_id" in values else {}
            if kind.validate is not None:
                errors = kind.validate(dossier, Record(0, record_type, on, values))
                if errors:
                    raise Invalid(errors)
            read_version = dossier.version
            dossier.version = read_version + 1
            now = env.now()
            entry = entry_for(
                dossier_id=dossier.id, seq=dossier.version, kind="record", action=record_type,
                from_state=dossier.state, to_state=dossier.state, effective_date=on,
                payload=values, actor=actor, recorded_at=now, request_id=request_id,
                rulebook_id=env.rulebook_on(on).id,
            )
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


# Publicity


def publicity_notices(*, uow: UnitOfWork, env: Environment,
                      committee_id: int | None = None) -> list[Notice]:
    """Every publicity in progress, or those of the branches of one committee."""
    today = env.today()
    rulebook = env.rulebook_on(today)
    with uow.transaction() as tx:
        rows = tx.repo.dossiers_in_states(PUBLICITY_STATES, committee_id=committee_id)
    notices = []
    for row in rows:
        facts = Dossier(id=row.id, branch_id=row.branch_id, state=row.state,
                        version=row.version, birth_date=row.birth_date,
                        applied_on=row.applied_on, last_effective_on=row.last_effective_on,
                        publicity_started_on=row.publicity_started_on)
        span = publicity_span(facts, rulebook, env.calendar)
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
        "triggers": [
            {"trigger": t.trigger, "from": list(t.sources), "to": t.dest,
             "roles": sorted(t.roles), "rules": [r.id for r in t.rules],
             "params": [_describe_param(p) for p in t.params],
             "summary": t.summary_en, "summary_zh": t.summary_zh, "article": t.article or None}
            for t in procedure.transitions
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
        f"Generated by `recruitflow rules` from the rule definitions in `states/`, with the "
        f"numbers of rulebook `{book['id']}` ({book['title']}, in force from "
        f"{book['effective_from']}). Do not edit by hand.",
        "",
        "## Triggers",
        "",
        "| trigger | from → to | roles | rules |",
        "|---|---|---|---|",
    ]
    for t in described["triggers"]:
        lines.append(f"| `{t['trigger']}` | {', '.join(t['from'])} → {t['to']} | "
                     f"{', '.join(t['roles'])} | {', '.join(f'`{r}`' for r in t['rules'])} |")
    lines += ["", "## Rules", "", "| rule id | condition | 条件 | article |", "|---|---|---|---|"]
    for rule_id in sorted(rules):
        r = rules[rule_id]
        lines.append(f"| `{rule_id}` | {r['summary']} | {r['summary_zh']} | "
                     f"{r['article'] or ''} |")
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

