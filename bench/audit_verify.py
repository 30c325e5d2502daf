"""Audit log benchmark, run by hand: verification speed and export memory.

    python bench/audit_verify.py [--entries 100000] [--database URL] [--runs 3] [--skip-export]

Fills a fresh database (a temporary SQLite file by default; a URL must name an empty
database, e.g. one just made with `createdb`) with synthetic dossiers of 20 hash-chained
entries each (Chinese names and payloads), then measures:

- verification: entries per second of `recruitflow audit verify` (the service function, so
  without the command's start-up), `--runs` times in one process and as many with one worker
  per CPU, each with the wall clock, the CPU time of this process and its workers, and the
  load average (the machine may be shared);
- export: peak RSS of a child process exporting every entry as CSV, XLSX and JSON Lines, for
  the full log and for a tenth of it; bounded memory shows as nearly equal peaks.

Nothing here is asserted by the test suite.
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import states
from workflow.domain.actors import Actor
from workflow.domain.audit import GENESIS, entry_for, sealed
from workflow.domain.audit_query import EntryFilter
from workflow.domain.calendar import WorkingDayCalendar
from workflow.domain.environment import Environment
from workflow.domain.roles import Role
from workflow.domain.rulebook import RulebookSet
from workflow.store.database import make_engine
from workflow.store.migrate import upgrade
from workflow.store.tables import audit_entries, dossiers, organizations
from workflow.store.uow import UnitOfWork
from workflow.usecases.auditing import services
from workflow.usecases.auditing.export import WRITERS

PER_DOSSIER = 20
COLUMNS = ("dossier_id", "seq", "kind", "action", "from_state", "to_state", "effective_date",
           "payload", "actor_id", "actor_name", "actor_role", "recorded_at", "request_id",
           "rulebook_id", "prev_hash", "hash")


def fill(url: str, entries: int) -> None:
    engine = make_engine(url)
    upgrade(engine)
    now = datetime.now(tz=UTC)
    actor = Actor(1, "第一党支部书记", Role.BRANCH, 2, "/1/2/")
    with engine.begin() as connection:
        connection.execute(insert(organizations), [
            {"id": 1, "name": "街道党工委", "kind": "committee", "path": "/1/", "created_at": now},
            {"id": 2, "name": "第一党支部", "kind": "branch", "parent_id": 1, "path": "/1/2/",
             "created_at": now},
        ])
        count = entries // PER_DOSSIER
        applied = date(2024, 1, 1)
        connection.execute(insert(dossiers), [
            {"id": d, "branch_id": 2, "name": "赵敏", "gender": "female",
             "birth_date": date(1999, 5, 4), "applied_on": applied, "state": "applicant",
             "version": PER_DOSSIER, "last_effective_on": applied, "extension_months": 0,
             "created_at": now, "updated_at": now}
            for d in range(1, count + 1)
        ])
        batch = []
        for d in range(1, count + 1):
            prev = GENESIS
            for seq in range(1, PER_DOSSIER + 1):
                kind, action = ("create", "create") if seq == 1 else ("record", "evaluation")
                payload = ({"branch_id": 2, "name": "赵敏", "birth_date": "1999-05-04",
                            "applied_on": "2024-01-01", "gender": "female"} if seq == 1
                           else {"summary": f"第{seq}次考察：表现良好，积极参加组织生活。"})
                entry = sealed(entry_for(
                    dossier_id=d, seq=seq, kind=kind, action=action,
                    from_state=None if seq == 1 else "applicant", to_state="applicant",
                    # Created on the day of application, as the service does (the row's
                    # facts are what this log implies: verification compares them).
                    effective_date=applied + timedelta(days=seq - 1), payload=payload,
                    actor=actor, recorded_at=now + timedelta(microseconds=seq),
                    request_id=f"req-{d}-{seq}", rulebook_id="2014", revision=1,
                ), prev)
                prev = entry.hash
                batch.append({c: getattr(entry, c) for c in COLUMNS})
            if len(batch) >= 20_000:
                connection.execute(insert(audit_entries), batch)
                batch.clear()
        if batch:
            connection.execute(insert(audit_entries), batch)
    # Statistics, as a database that grew over time would have them (autovacuum's ANALYZE).
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("ANALYZE")
    engine.dispose()


def export_child(url: str, kind: str, limit: int | None) -> None:
    """Run in a child process: export to /dev/null, report nothing (the parent reads RSS)."""
    uow = UnitOfWork(make_engine(url))
    filters = EntryFilter()
    entries = services.stream_entries(uow=uow, actor=services.COMMAND_LINE, filters=filters)
    if limit:
        entries = itertools.islice(entries, limit)
    with open(os.devnull, "wb") as sink:
        for chunk in WRITERS[kind](entries):
            sink.write(chunk)
    # VmHWM is this process's own peak (ru_maxrss would include the parent's at fork).
    status = Path("/proc/self/status").read_text()
    print(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))


def peak_rss_mib(url: str, kind: str, limit_dossier: int | None) -> tuple[float, float]:
    started = time.perf_counter()
    args = [sys.executable, __file__, "--child", kind, "--database", url]
    if limit_dossier:
        args += ["--limit", str(limit_dossier)]
    peak_kib = int(subprocess.run(args, check=True, capture_output=True, text=True).stdout)
    return peak_kib / 1024, time.perf_counter() - started


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (verification workers)."""
    own, children = (resource.getrusage(who)
                     for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--database")
    parser.add_argument("--child")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--runs", type=int, default=3,
                        help="verifications with each number of jobs (1 and one per CPU)")
    args = parser.parse_args()
    if args.child:
        export_child(args.database, args.child, args.limit)
        return
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database or f"sqlite:///{tmp}/bench.sqlite3"
        started = time.perf_counter()
        fill(url, args.entries)
        print(f"filled {args.entries} entries in {time.perf_counter() - started:.1f} s ({url})")
        uow = UnitOfWork(make_engine(url))
        # The procedure verification replays each chain with, as the service builds it.
        env = Environment(states.PROCEDURE, RulebookSet.from_config({}, []),
                          WorkingDayCalendar(), "Asia/Shanghai")
        print("load average before verifying: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        for jobs in sorted({1, os.cpu_count() or 1}):
            for _ in range(args.runs):
                started, cpu = time.perf_counter(), cpu_seconds()
                with services.without_cycle_collection():  # as `recruitflow audit verify`
                    result = services.verify(uow=uow, env=env, actor=services.COMMAND_LINE,
                                             jobs=jobs)
                elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu
                # CPU time too (this process and its workers; the database server's is not
                # counted): on a shared machine the wall clock includes waiting for a core.
                print(f"verify --jobs {jobs}: {result.entries} entries, ok={result.ok}, "
                      f"{elapsed:.2f} s wall ({result.entries / elapsed:,.0f} entries/s), "
                      f"{cpu:.2f} s CPU ({result.entries / cpu:,.0f} entries/CPU-s), "
                      f"load average {os.getloadavg()[0]:.2f}")
        # A page of 100 (the API's default), first and near the end, under some filters.
        last_id = args.entries - 2 * PER_DOSSIER
        for label, filters in [
            ("no filter", EntryFilter()), ("organisation subtree", EntryFilter(scope="/1/2/")),
            ("action", EntryFilter(action="create")),
            ("dossier", EntryFilter(dossier_id=args.entries // PER_DOSSIER - 1)),
            ("actor and effective dates",
             EntryFilter(actor_id=1, effective_from=date(2024, 1, 5),
                         effective_to=date(2024, 1, 10))),
        ]:
            timings = []
            for after in (None, last_id):
                started = time.perf_counter()
                services.query_entries(uow=uow, actor=services.COMMAND_LINE, filters=filters,
                                       after_id=after, limit=100)
                timings.append(f"{(time.perf_counter() - started) * 1000:.1f} ms")
            print(f"page of 100, {label}: first {timings[0]}, near the end {timings[1]}")
        for kind in ("jsonl", "csv", "xlsx")[: 0 if args.skip_export else 3]:
            small, t_small = peak_rss_mib(url, kind, max(1, args.entries // 10))
            full, t_full = peak_rss_mib(url, kind, None)
            print(f"export {kind}: peak RSS {small:.0f} MiB for {args.entries // 10} entries "
                  f"({t_small:.1f} s), {full:.0f} MiB for {args.entries} ({t_full:.1f} s)")


if __name__ == "__main__":
    main()
