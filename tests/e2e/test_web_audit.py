"""审计 in the web interface: the log with the API's filters and paging, payloads, exports,
verification with an uploaded checkpoint, the compliance report."""

from __future__ import annotations

import io
import json
import re
from datetime import date

from sqlalchemy import text as sql

from tests.e2e.test_web_committee import signed_in, text
from tests.helpers import create_applicant, dossier_in
from tests.web import csrf_of
from workflow.store import append_only

TODAY = date(2025, 6, 2)


def test_the_log_with_filters_and_pages(app, client, rt, org, clock, monkeypatch):
    clock.set_today(TODAY)
    walked = dossier_in(client, rt, org, "training", name="冯<i>八</i>")
    far = create_applicant(client, org, branch_id=org.other_committee_branch, who="far_branch",
                           name="远方", applied_on=TODAY)
    auditor = signed_in(app, rt, org, "auditor")
    html = text(auditor.get("/audit"))
    assert "冯&lt;i&gt;八&lt;/i&gt;" in html  # in the creation's payload, as text
    assert "申请谈话" in html and "培养联系人" in html  # records by their Chinese names
    assert f">{walked['id']}</a>" in html and f">{far['id']}</a>" not in html
    assert "2025年" in html

    # One page at a time: the cursor leads on with the filters kept.
    monkeypatch.setattr("api.web.views.audit.PER_PAGE", 3)
    page = text(auditor.get(f"/audit?dossier_id={walked['id']}&kind=record"))
    rows = re.findall(r'data-label="编号">(\d+)<', page)
    assert len(rows) == 3
    following = re.search(r'href="(/audit\?[^"]*cursor=[^"]*)" rel="next"', page).group(1)
    following = following.replace("&amp;", "&")
    assert f"dossier_id={walked['id']}" in following and "kind=record" in following
    more = re.findall(r'data-label="编号">(\d+)<', text(auditor.get(following)))
    assert more and int(more[0]) > int(rows[-1])

    bad = auditor.get("/audit?recorded_from=2025-13-01&dossier_id=0")
    assert bad.status_code == 200 and "筛选条件无效" in text(bad) and "档案编号" in text(bad)

    export = auditor.get(f"/audit/export?format=csv&dossier_id={walked['id']}")
    assert export.status_code == 200 and export.data.startswith("\ufeff".encode())
    lines = export.data.decode("utf-8-sig").strip().splitlines()
    assert len(lines) > 3 and all(f",{walked['id']}," in line for line in lines[1:])
    assert auditor.get("/audit/export?format=pdf").status_code == 422


def test_verify_with_a_checkpoint_and_the_compliance_report(app, client, rt, org, clock,
                                                              database_url):
    clock.set_today(TODAY)
    dossier_in(client, rt, org, "training")
    late = create_applicant(client, org, applied_on=date(2025, 3, 1))
    overdue = create_applicant(client, org, applied_on=date(2025, 3, 1))  # no talk in time
    admin = signed_in(app, rt, org, "admin")
    token = csrf_of(text(admin.get("/audit")))
    kept = admin.get("/audit/checkpoint")
    assert kept.status_code == 200 and json.loads(kept.data)["entries"] > 0

    ok = admin.post("/audit/verify", data={"csrf_token": token, "checkpoint": (
        io.BytesIO(kept.data), "checkpoint.json")}, content_type="multipart/form-data",
        headers={"HX-Request": "true"})
    assert ok.status_code == 200 and "校验通过" in text(ok) and "与检查点" in text(ok)
    junk = admin.post("/audit/verify", data={"csrf_token": token, "checkpoint": (
        io.BytesIO(b"{not json"), "x.json")}, content_type="multipart/form-data")
    assert junk.status_code == 422 and "不是有效的检查点文件" in text(junk)

    # A dossier deleted behind the service's back: found by the kept checkpoint.
    engine = rt.uow.engine
    with engine.begin() as connection, append_only.suspended(connection):
        connection.execute(sql("DELETE FROM audit_entries WHERE dossier_id = :d"),
                           {"d": late["id"]})
    damaged = admin.post("/audit/verify", data={"csrf_token": token, "checkpoint": (
        io.BytesIO(kept.data), "checkpoint.json")}, content_type="multipart/form-data")
    assert damaged.status_code == 200 and "校验未通过" in text(damaged)
    assert f">{late['id']}</a>" in text(damaged)

    report = text(admin.get("/audit/compliance"))
    assert "talk_deadline" in report and f">{overdue['id']}</a>" in report
    assert "缺失" in report
    assert admin.get("/audit/compliance?dossier_id=x").status_code == 200


def test_the_audit_pages_are_for_auditors_and_admins(app, rt, org):
    for who in ("branch", "committee"):
        client = signed_in(app, rt, org, who)
        for path in ("/audit", "/audit/export", "/audit/checkpoint", "/audit/compliance",
                     "/audit?dossier_id=x"):
            assert client.get(path).status_code == 403, (who, path)
