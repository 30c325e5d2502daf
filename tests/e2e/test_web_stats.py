"""统计 in the web interface: the overview's figures beside its charts, the period and branch
filters (the API's query), and the xlsx download."""

from __future__ import annotations

import io
import json
import re
from datetime import date

from openpyxl import load_workbook

from tests.e2e.test_web_committee import signed_in, text
from tests.helpers import dossier_in

TODAY = date(2025, 6, 2)


def charts(html: str) -> dict:
    return json.loads(re.search(r'id="stats-data">(.*?)</script>', html, re.S).group(1))


def test_the_stats_page(app, client, rt, org, clock):
    clock.set_today(TODAY)
    dossier_in(client, rt, org, "probationary", education="大学本科", finished_by=TODAY)
    dossier_in(client, rt, org, "publicity", finished_by=TODAY)
    committee = signed_in(app, rt, org, "committee")
    html = text(committee.get("/stats"))
    assert "各支部各阶段人数" in html and "echarts.min.js" in html
    assert "2025年1月1日至2025年6月2日" in html
    html = text(committee.get("/stats?from=2000-01-01"))
    data = charts(html)
    assert data["branches"] == ["一支部", "二支部"]
    assert {s["name"]: s["data"] for s in data["states"]} == {
        "公示": [1, 0], "预备党员": [1, 0]}
    assert data["admitted"] == 1 and ["女性", 1] in data["structure"]
    assert ["大学本科", 1] in data["education"]
    assert ["公示中", 1] in data["publicity"]
    assert "2000年1月1日至2025年6月2日" in html and "100.0%" in html

    # A period without admissions.
    data = charts(text(committee.get("/stats?from=1990-01-01&to=1990-12-31")))
    assert data["admitted"] == 0
    # One branch.
    data = charts(text(committee.get(f"/stats?organization_id={org.other_branch}")))
    assert data["branches"] == ["二支部"] and data["states"] == []
    bad = committee.get("/stats?from=2025-07-01&to=2025-01-01")
    assert bad.status_code == 200 and "筛选条件无效" in text(bad)

    download = committee.get("/stats.xlsx?from=2000-01-01")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].endswith('stats-20000101-20250602.xlsx"')
    book = load_workbook(io.BytesIO(download.data))
    assert [ws.title for ws in book.worksheets][:2] == ["各支部各状态", "公示"]


def test_the_stats_are_scoped(app, client, rt, org, clock):
    clock.set_today(TODAY)
    dossier_in(client, rt, org, "probationary", finished_by=TODAY)
    far = signed_in(app, rt, org, "far_committee")
    data = charts(text(far.get("/stats")))
    assert data["branches"] == ["外支部"] and data["admitted"] == 0
    branch = signed_in(app, rt, org, "other_branch")
    data = charts(text(branch.get("/stats")))
    assert data["branches"] == ["二支部"] and data["admitted"] == 0
    assert signed_in(app, rt, org, "admin").get("/stats").status_code == 403
