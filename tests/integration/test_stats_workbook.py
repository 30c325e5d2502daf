"""The overview as an xlsx workbook (workflow.usecases.stats_workbook)."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from tests.helpers import dossier_in
from workflow.usecases import services, stats
from workflow.usecases.stats_workbook import workbook

TODAY = date(2025, 6, 2)


def test_the_workbook_holds_the_overviews_figures(client, rt, org, clock):
    clock.set_today(TODAY)
    dossier_in(client, rt, org, "probationary", education="大学本科")
    dossier_in(client, rt, org, "publicity", finished_by=TODAY)
    committee = services.authenticate(uow=rt.uow, token=org.tokens["committee"])
    view = stats.overview(uow=rt.uow, env=rt.env, actor=committee, start=date(2000, 1, 1))
    book = load_workbook(io.BytesIO(workbook(view, rt.env.procedure)))
    branches, publicity, structure = book.worksheets
    header = [c.value for c in branches[1]]
    assert header[0] == "支部" and header[-1] == "合计" and "预备党员" in header
    rows = {r[0].value: [c.value for c in r] for r in branches.iter_rows(min_row=2)}
    assert rows["一支部"][-1] == 2 and rows["二支部"][-1] == 0
    assert rows["一支部"][header.index("预备党员")] == 1
    assert {r[0].value: r[1].value for r in publicity.iter_rows(min_row=2)}["公示中"] == 1
    figures = {r[0].value: (r[1].value, r[2].value) for r in structure.iter_rows(min_row=2)}
    assert figures["接收预备党员"][0] == 1
    assert figures["女性"] == (1, 1.0) and figures["学历：大学本科"] == (1, 1.0)
    assert structure.title.startswith("接收结构 2000-01-01")
