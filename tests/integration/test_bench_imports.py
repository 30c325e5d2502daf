"""The import benchmark's sheet imports cleanly (speed is measured by hand, never here)."""

from __future__ import annotations

from bench.imports import MIX, setup, write_sheet
from workflow.usecases.paperwork.imports import COMMAND_LINE, import_dossiers


def test_the_benchmark_sheet_imports_every_row_without_a_problem(database_url, tmp_path,
                                                                  app, rt):
    branches, env = setup(database_url, tmp_path)
    sheet = tmp_path / "sheet.xlsx"
    write_sheet(sheet, len(MIX), branches, env)
    report = import_dossiers(uow=rt.uow, env=rt.env, actor=COMMAND_LINE,
                             data=sheet.read_bytes(), dry_run=False)
    assert report.ok, report.problems[:3]
    assert report.breaks == []
    assert sorted(c["state"] for c in report.created) == sorted(MIX)
