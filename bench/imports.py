"""Import benchmark, run by hand: rows per second and peak memory of the Excel import.

    python -m bench.imports [--rows 10000] [--database sqlite|postgresql|both]

For each database: a fresh database with a committee of 20 branches and 10 registry members a
branch; a sheet of `--rows` dossiers (xlsx, written with openpyxl's write-only mode) whose
histories are the demo's scripted walks (`workflow.usecases.demo.plan`) to a mix of states,
each with its own person; then, each in a child process of its own so that its peak RSS is its
own, a dry run and the import (`workflow.usecases.paperwork.imports`), timed. The same for a
tenth of the rows: memory that does not grow with the sheet shows as nearly equal peaks.
Nothing here is asserted by the test suite (`tests/integration/test_bench_imports.py` only
keeps it working, on a few rows).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

from api import create_app
from bench.harness import fresh_database
from workflow.usecases import services
from workflow.usecases.demo import applied_on_for, plan
from workflow.usecases.paperwork.import_sheet import columns, template_row
from workflow.usecases.paperwork.imports import COMMAND_LINE, import_dossiers

BRANCHES = 20
MEMBERS = 10
# The states the imported dossiers end in, as a committee's sheet would have them.
MIX = ("applicant", "activist", "activist", "training", "pre_review", "approval",
       "probationary", "probationary", "full_member", "full_member")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


def _app(url: str, workdir: Path):
    return create_app({"DATABASE_URL": url}, instance_path=str(workdir / "instance"))


def setup(url: str, workdir: Path):
    """The committee, its branches and registry: the branches' names, and the service's
    environment."""
    app = _app(url, workdir)
    rt = app.extensions["recruitflow"]
    _, token = services.create_admin(uow=rt.uow, env=rt.env, name="bench")
    admin = services.authenticate(uow=rt.uow, token=token)
    committee = services.create_organization(uow=rt.uow, env=rt.env, actor=admin,
                                             name="基准党委", kind="committee", parent_id=None)
    names = []
    for b in range(BRANCHES):
        branch = services.create_organization(uow=rt.uow, env=rt.env, actor=admin,
                                              name=f"第{b + 1}党支部", kind="branch",
                                              parent_id=committee.id)
        for m in range(MEMBERS):
            services.create_member(uow=rt.uow, env=rt.env, actor=admin, name=f"党员{b}-{m}",
                                   branch_id=branch.id, status="full",
                                   joined_on=date(2000, 1, 1))
        names.append(branch.name)
    rt.engine.dispose()
    return names, rt.env


def write_sheet(path: Path, rows: int, branches: list[str], env) -> None:
    """A sheet of `rows` dossiers, histories satisfying every rule, in the template's columns."""
    today, calendar = env.today(), env.calendar
    rulebook = env.rulebook_on(today)
    headers = [c.header for c in columns(env.procedure)]
    walks = {}
    for target in set(MIX):
        applied = applied_on_for(target=target, finished_by=today - timedelta(days=1),
                                 rulebook=rulebook, calendar=calendar)
        walks[target] = (applied, [(a.on, a.trigger or a.record, a.data) for a in plan(
            applied_on=applied, target=target, rulebook=rulebook, calendar=calendar,
            contacts=[0], sponsors=[1, 2])])
    book = Workbook(write_only=True)
    sheet = book.create_sheet("导入")
    sheet.append(headers)
    for n in range(rows):
        b = n % len(branches)
        applied, history = walks[MIX[n % len(MIX)]]
        names = {i: f"党员{b}-{i}" for i in range(3)}
        profile = {"name": f"{SURNAMES[n % len(SURNAMES)]}{n}", "gender": "female",
                   "birth_date": date(1990, 1, 1) + timedelta(days=n % 3000),
                   "applied_on": applied, "education": "大学本科",
                   "id_number": f"1101011990{n:07d}X"}
        row = {"党支部": branches[b], **template_row(env.procedure, profile, history, names)}
        sheet.append([row.get(h) for h in headers])
    book.save(path)


def child(kind: str, url: str, sheet: Path, workdir: Path) -> dict:
    """Run in a process of its own: the dry run or the import, timed, with its peak RSS."""
    app = _app(url, workdir)
    rt = app.extensions["recruitflow"]
    data = sheet.read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    report = import_dossiers(uow=rt.uow, env=rt.env, actor=COMMAND_LINE, data=data,
                             dry_run=kind == "dry")
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"kind": kind, "rows": report.rows, "created": len(report.created),
            "problems": len(report.problems), "breaks": len(report.breaks),
            "seconds": round(seconds, 2), "rows_per_second": round(report.rows / seconds),
            "rss_before_mib": round(before / 1024), "peak_rss_mib": round(peak / 1024),
            "file_mib": round(len(data) / 2**20, 2)}


def _run_child(kind: str, url: str, sheet: Path, workdir: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.imports", "--child", kind, "--url", url,
         "--sheet", str(sheet), "--workdir", str(workdir)],
        check=True, capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1])
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench(database: str, rows: int, workdir: Path) -> list[dict]:
    results = []
    for count in (max(1, rows // 10), rows):
        with fresh_database(database, workdir) as url:
            branches, env = setup(url, workdir)
            sheet = workdir / f"import-{count}.xlsx"
            write_sheet(sheet, count, branches, env)
            for kind in ("dry", "import"):
                result = _run_child(kind, url, sheet, workdir)
                result["database"] = database
                results.append(result)
                print(json.dumps(result, ensure_ascii=False), flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--workdir", default=None)
    parser.add_argument("--child", choices=("dry", "import"))
    parser.add_argument("--url")
    parser.add_argument("--sheet")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.url, Path(args.sheet), Path(args.workdir))))
        return
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="bench-imports-"))
    workdir.mkdir(parents=True, exist_ok=True)
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    os.environ.setdefault("RECRUITFLOW_TIMEZONE", "Asia/Shanghai")
    for kind in kinds:
        bench(kind, args.rows, workdir)


if __name__ == "__main__":
    main()
