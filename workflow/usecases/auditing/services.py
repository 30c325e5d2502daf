"""Auditors' use cases: the one door for the audit API and the `recruitflow audit` commands.

Auditors and administrators read the log of their organisation's subtree; nobody else does.
The command line acts as `COMMAND_LINE`, an auditor of the whole tree (whoever runs it holds
the database's credentials anyway).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import groupby
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.context import BaseContext
from zoneinfo import ZoneInfo

from workflow.domain.actors import Actor
from workflow.domain.audit import AuditEntry
from workflow.domain.audit_query import EntryFilter
from workflow.domain.environment import Environment
from workflow.domain.errors import (
    NO_ORGANIZATION_IN_SCOPE,
    Forbidden,
    Invalid,
    Message,
    NotFound,
    role_may_not,
)
from workflow.domain.roles import Role
from workflow.store.audit_log import AuditLog, Partition
from workflow.store.database import make_engine
from workflow.store.directory import Directory
from workflow.store.uow import UnitOfWork
from workflow.usecases.auditing.chain import (
    Checkpoint,
    Problem,
    Replayer,
    against_checkpoint,
    check_chain,
    verify_chains,
)
from workflow.usecases.auditing.compliance import Finding, replay, unreplayable
from workflow.usecases.auditing.replay import ROW
from workflow.usecases.privacy import visible_entries

COMMAND_LINE = Actor(id=0, name="command line", role=Role.AUDITOR, organization_id=None,
                     organization_path="/")
MAX_PAGE = 1000


def _require_reader(actor: Actor) -> None:
    if actor.role not in (Role.AUDITOR, Role.ADMIN):
        raise Forbidden(role_may_not(
            actor.role, "read the audit log (auditors and administrators do)",
            "查阅审计日志（限审计员和管理员）"))


def _day_start(day: date, env: Environment) -> datetime:
    return datetime.combine(day, time(), ZoneInfo(env.timezone)).astimezone(UTC)


def _day_end(day: date, env: Environment) -> datetime | None:
    """The start of the next day; None (no bound) after the calendar's last day."""
    try:
        return _day_start(day + timedelta(days=1), env)
    except OverflowError:
        return None


def entry_filter(*, uow: UnitOfWork, env: Environment, actor: Actor,
                 organization_id: int | None = None, dossier_id: int | None = None,
                 actor_id: int | None = None, action: str | None = None,
                 kind: str | None = None, recorded_from: date | None = None,
                 recorded_to: date | None = None, effective_from: date | None = None,
                 effective_to: date | None = None) -> EntryFilter:
    """The filter of a query, within the actor's scope. Recorded dates are days of the
    service's timezone, both inclusive."""
    _require_reader(actor)
    scope = actor.organization_path
    if organization_id is not None:
        with uow.transaction() as tx:
            organization = tx.repo.organization(organization_id)
        if organization is None or not actor.covers(organization.path):
            raise Invalid({"organization_id": NO_ORGANIZATION_IN_SCOPE})
        scope = organization.path
    for low, high, name in ((recorded_from, recorded_to, "recorded_to"),
                            (effective_from, effective_to, "effective_to")):
        if low and high and high < low:
            raise Invalid({name: Message("must not precede the start of the range",
                                           "不得早于起始日期")})
    return EntryFilter(
        scope=scope, dossier_id=dossier_id, actor_id=actor_id, action=action, kind=kind,
        recorded_from=_day_start(recorded_from, env) if recorded_from else None,
        recorded_until=_day_end(recorded_to, env) if recorded_to else None,
        effective_from=effective_from, effective_to=effective_to,
    )


def query_entries(*, uow: UnitOfWork, actor: Actor, filters: EntryFilter,
                  after_id: int | None = None,
                  limit: int = 100) -> tuple[list[AuditEntry], int | None]:
    """A page of entries, oldest first, and the cursor of the next page (None at the end)."""
    _require_reader(actor)
    limit = max(1, min(limit, MAX_PAGE))
    with uow.transaction() as tx:
        # One more than asked tells whether another page follows.
        entries = AuditLog(tx.repo.connection).page(filters, after_id=after_id,
                                                    limit=limit + 1)
    more = len(entries) > limit
    entries = entries[:limit]
    return list(visible_entries(entries, actor)), (entries[-1].id if more else None)


def stream_entries(*, uow: UnitOfWork, actor: Actor,
                   filters: EntryFilter) -> Iterator[AuditEntry]:
    """Every matching entry, oldest first, read in batches inside one read transaction; with
    only the private fields the actor may see (workflow/usecases/privacy.py), as every page."""
    _require_reader(actor)

    def entries() -> Iterator[AuditEntry]:
        with uow.transaction() as tx:
            yield from visible_entries(AuditLog(tx.repo.connection).stream(filters), actor)

    return entries()


@dataclass(frozen=True)
class Verification:
    entries: int
    dossiers: int
    problems: list[Problem] = field(default_factory=list)
    checkpoint: Checkpoint | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(*, uow: UnitOfWork, env: Environment, actor: Actor,
           checkpoint: Checkpoint | None = None, jobs: int = 1) -> Verification:
    """Recompute every chain in the actor's scope and replay each into the facts it implies,
    compared with its dossier's stored row (workflow.usecases.auditing.replay); report the
    entries whose dossier is gone; with a kept checkpoint, also check that each chain still
    holds what the checkpoint saw.

    `jobs` > 1 splits the dossiers among as many processes (chains are independent), each
    with its own connection to the same database: for the command line, not a web worker.
    """
    _require_reader(actor)
    scope = actor.organization_path
    problems: list[Problem] = []
    kept: dict[int, tuple[int, str]] = {}
    if checkpoint is not None:
        if not checkpoint.scope.startswith(scope):
            raise Invalid({"checkpoint": Message(
                f"covers {checkpoint.scope}, outside your scope",
                f"检查点覆盖{checkpoint.scope}，超出您的管辖范围")})
        scope = checkpoint.scope
        # A damaged checkpoint is reported, and nothing is judged by it.
        if (damaged := checkpoint.integrity_problem()) is not None:
            problems.append(damaged)
        else:
            kept = dict(checkpoint.heads)
    replayer = Replayer(env.procedure, env.rulebooks, env.calendar)
    context = _worker_context()
    ranges = _id_ranges(uow, kept, jobs) if jobs > 1 and context is not None else []
    if len(ranges) < 2:
        parts = [_verify_part(uow, scope, kept, None, replayer)]
    else:
        url = uow.engine.url.render_as_string(hide_password=False)
        work = [(url, scope, {d: h for d, h in kept.items() if first <= d <= last},
                 (first, last)) for first, last in ranges]
        # Inherited by the forked workers: the procedure's rules and effects are functions,
        # which do not travel by pickle.
        global _REPLAYER
        _REPLAYER = replayer
        try:
            with ProcessPoolExecutor(jobs, mp_context=context) as pool:
                parts = list(pool.map(_verify_in_worker, work))
        finally:
            _REPLAYER = None
    problems += [p for part in parts for p in part.problems]
    problems.sort(key=lambda p: (p.dossier_id is not None, p.dossier_id or 0))
    return Verification(sum(p.entries for p in parts), sum(p.dossiers for p in parts),
                        problems, checkpoint)


# The replayer of the verification in progress, for the workers forked from this process.
_REPLAYER: Replayer | None = None


def _worker_context() -> BaseContext | None:
    """Fork the workers where that is safe: where fork exists and no other thread runs (a
    forked child has only the forking thread, and a lock another thread held stays held in
    it). A forked worker starts in milliseconds and inherits the procedure it replays with;
    elsewhere (a web worker's threads) the verification runs in its own process (None).
    Either way a worker opens its own connection (`make_engine`) and never touches the
    parent's pooled ones, and it ends without running their finalisers."""
    if "fork" in get_all_start_methods() and threading.active_count() == 1:
        return get_context("fork")
    return None


def _id_ranges(uow: UnitOfWork, kept: dict[int, tuple[int, str]],
               jobs: int) -> list[Partition]:
    """Dossier ids split into `jobs` contiguous ranges, covering those a checkpoint saw."""
    with uow.transaction() as tx:
        low, high = AuditLog(tx.repo.connection).dossier_id_range()
    ids = [i for i in (low, high) if i is not None]
    if kept:
        ids += [min(kept), max(kept)]
    if not ids:
        return []
    first, last = min(ids), max(ids)
    step = (last - first) // jobs + 1
    return [(start, min(last, start + step - 1)) for start in range(first, last + 1, step)]


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """For a process that does nothing but verify (the command line, a worker process): the
    cyclic garbage collector's passes over the heap cost about 15% of a verification, which
    creates no reference cycles. Not for a web worker, whose other threads it would affect."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _verify_in_worker(
        work: tuple[str, str, dict[int, tuple[int, str]], Partition]) -> Verification:
    url, scope, kept, partition = work
    engine = make_engine(url, pool_size=1)
    try:
        with without_cycle_collection():
            return _verify_part(UnitOfWork(engine), scope, kept, partition, _REPLAYER)
    finally:
        engine.dispose()


def _verify_part(uow: UnitOfWork, scope: str, kept: dict[int, tuple[int, str]],
                 partition: Partition | None, replayer: Replayer | None) -> Verification:
    with uow.transaction() as tx:
        log = AuditLog(tx.repo.connection)
        verdict = verify_chains(log.hashed_chains(scope, partition, row_fields=ROW), kept,
                                replayer)
        entries, dossiers, problems = verdict.entries, verdict.dossiers, verdict.problems
        kept = verdict.unseen
        for dossier_id, version in log.dossiers_without_entries(scope, partition):
            dossiers += 1
            head = kept.pop(dossier_id, None)
            problem = check_chain(dossier_id, [], version)
            if problem is None and head is not None:
                problem = against_checkpoint(dossier_id, head, 0, None)
            if problem is not None:
                problems.append(problem)
    # Dossiers the checkpoint saw that are gone altogether, entries and all.
    problems.extend(against_checkpoint(d, head, 0, None) for d, head in kept.items())
    return Verification(entries, dossiers, problems)


def make_checkpoint(*, uow: UnitOfWork, env: Environment, actor: Actor) -> Checkpoint:
    """The chain heads of the actor's scope, their count and Merkle root, to keep elsewhere."""
    _require_reader(actor)
    with uow.transaction() as tx:
        heads = list(AuditLog(tx.repo.connection).heads(actor.organization_path))
    return Checkpoint.of(created_at=env.now(), scope=actor.organization_path, heads=heads)


def compliance(*, uow: UnitOfWork, env: Environment, actor: Actor,
               organization_id: int | None = None,
               dossier_id: int | None = None) -> Iterator[Finding]:
    """Every dossier in scope replayed against the rulebook; findings dossier by dossier."""
    filters = entry_filter(uow=uow, env=env, actor=actor, organization_id=organization_id,
                           dossier_id=dossier_id)
    today = env.today()
    if dossier_id is not None:
        with uow.transaction() as tx:
            stored = tx.repo.dossier(dossier_id)
        # A dossier that is not there (or not in scope) is an error, not "0 findings".
        if stored is None or not stored.branch_path.startswith(filters.scope):
            raise NotFound(Message(f"no dossier {dossier_id}", f"没有编号为{dossier_id}的档案"))

    def findings() -> Iterator[Finding]:
        with uow.transaction() as tx:
            log = AuditLog(tx.repo.connection)
            directory = Directory(tx.repo.connection)
            chains = groupby(log.chains(filters.scope, dossier_id),
                             key=lambda pair: pair[0].dossier_id)
            for _, chain in chains:
                entries = [entry for entry, _ in chain]
                # A damaged log must not stop the report on every other dossier.
                try:
                    if entries[0].kind != "create":
                        raise ValueError("it does not start with the dossier's creation")
                    named = [e.payload["member_id"] for e in entries
                             if e.kind == "record" and "member_id" in e.payload]
                    found = replay(entries, procedure=env.procedure,
                                   rulebooks=env.rulebooks, calendar=env.calendar,
                                   today=today, members=tx.repo.members(named))
                except (KeyError, ValueError, TypeError, StopIteration) as error:
                    found = [unreplayable(entries[0].dossier_id, error, today)]
                if found:
                    # Named only where there is something to say: most dossiers comply.
                    name, branch = directory.dossier_names(entries[0].dossier_id)
                    yield from (replace(f, name=name, branch_name=branch) for f in found)

    return findings()
