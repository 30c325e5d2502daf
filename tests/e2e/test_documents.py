"""The filings as Word files: opened with python-docx, they hold the names, dates and counts
of the data, Chinese intact; scope and roles as the data's; a template replaced in the
instance folder is used."""

from __future__ import annotations

import io
import os
import shutil
from datetime import date

import pytest
from docx import Document

from api.documents.render import PACKAGED
from tests.helpers import dossier_in
from workflow.domain.dates import add_months
from workflow.usecases.paperwork.vocabulary import zh_date


def _text(response) -> str:
    """Every paragraph and table cell of a Word answer, one per line."""
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype.endswith("wordprocessingml.document")
    doc = Document(io.BytesIO(response.data))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append(" | ".join(c.text for c in row.cells))
    return "\n".join(lines)


def _rows(response) -> list[list[str]]:
    doc = Document(io.BytesIO(response.data))
    return [[c.text for c in row.cells] for row in doc.tables[-1].rows]


def _iso(day: str | None) -> date:
    return date.fromisoformat(day)


def test_activist_filing_lists_those_determined_in_the_period(client, rt, org):
    d = dossier_in(client, rt, org, "activist", name="王小红", education="本科",
                   occupation="教师")
    dossier_in(client, rt, org, "applicant", name="赵未定")
    on = _iso(d["dates"]["activist_on"])
    got = client.get(f"/api/v1/documents/activist_filing.docx?from={on}&to={on}",
                     headers=org.headers("committee"))
    text = _text(got)
    assert "确定入党积极分子备案表" in text
    rows = _rows(got)
    assert rows[0][:5] == ["序号", "支部", "姓名", "性别", "出生年月"]
    assert len(rows) == 2, rows
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["姓名"] == "王小红" and row["性别"] == "女" and row["支部"] == "一支部"
    assert row["学历"] == "本科" and row["职务"] == "教师"
    assert row["确定为入党积极分子时间"] == zh_date(on)
    assert row["申请入党时间"] == zh_date(_iso(d["applied_on"]))
    assert row["推荐方式"] and row["培养联系人"] == "党员0"
    assert "共1人" in text and f"{zh_date(on)}至{zh_date(on)}" in text
    # The day before the period starts lists nobody.
    before = client.get(f"/api/v1/documents/activist_filing.docx?to={on.replace(day=1)}"
                        f"&from=2000-01-01", headers=org.headers("committee"))
    assert "王小红" not in _text(before) if on.day > 1 else True


def test_candidate_and_probationary_filings_name_sponsors_and_dates(client, rt, org):
    d = dossier_in(client, rt, org, "probationary", name="钱进")
    dates = d["dates"]
    for kind, field in (("candidate_filing", "candidate_on"),
                        ("probationary_filing", "admitted_on")):
        on = _iso(dates[field])
        got = client.get(f"/api/v1/documents/{kind}.docx?from={on}&to={on}",
                         headers=org.headers("branch"))
        rows = _rows(got)
        row = dict(zip(rows[0], rows[1], strict=True))
        assert row["姓名"] == "钱进"
        assert row["入党介绍人"] == "党员1、党员2"
        assert row["确定为发展对象时间"] == zh_date(_iso(dates["candidate_on"]))
    assert row["党委审批时间"] == zh_date(_iso(dates["admitted_on"]))
    assert row["支部大会通过时间"] == zh_date(_iso(dates["voted_on"]))


def test_admission_approval_sheet_shows_the_vote(client, rt, org):
    dossier_in(client, rt, org, "approval", name="孙表决")
    dossier_in(client, rt, org, "vote", name="李未投")
    got = client.get("/api/v1/documents/admission_approval.docx",
                     headers=org.headers("committee"))
    rows = _rows(got)
    assert [r[2] for r in rows[1:]] == ["孙表决"]
    vote = dict(zip(rows[0], rows[1], strict=True))["表决情况"]
    assert vote.startswith("应到") and "赞成" in vote and "弃权" in vote


def test_conversion_review_lists_those_who_applied(client, rt, org):
    dossier_in(client, rt, org, "conversion_publicity", name="周转正")
    got = client.get("/api/v1/documents/conversion_review.docx",
                     headers=org.headers("committee"))
    # Those in conversion publicity are past the pre-review; none here yet.
    assert len(_rows(got)) == 1
    assert "申请转正预备党员名单汇总预审表" in _text(got)
    d = dossier_in(client, rt, org, "probationary", name="陈预备")
    rows = _rows(client.get("/api/v1/documents/conversion_review.docx",
                            headers=org.headers("committee")))
    row = dict(zip(rows[0], rows[1], strict=True))
    voted = _iso(d["dates"]["voted_on"])
    assert row["姓名"] == "陈预备" and row["接收为预备党员时间"] == zh_date(voted)
    assert row["预备期满时间"] == zh_date(add_months(voted, 12))
    applied = next(r["date"] for r in d["records"] if r["type"] == "conversion_application")
    assert row["提出转正申请时间"] == zh_date(_iso(applied))


def test_publicity_notice_in_the_wording_of_the_printed_page(client, rt, org, clock):
    d = dossier_in(client, rt, org, "publicity", name="吴公示")
    got = client.get("/api/v1/documents/publicity-admission.docx",
                     headers=org.headers("committee"))
    text = _text(got)
    assert "关于拟发展吴公示同志为中共预备党员的公示" in text
    assert "经党支部委员会审查、党委预审" in text
    assert "吴公示 | 女 | 1998年5月 | 一支部" in text
    assert zh_date(_iso(d["publicity"]["first_day"])) in text
    assert "中共党委" in text
    empty = client.get("/api/v1/documents/publicity-conversion.docx",
                       headers=org.headers("committee"))
    assert "目前没有正在进行的公示" in _text(empty)
    # Another committee's users see nothing of it.
    far = client.get("/api/v1/documents/publicity-admission.docx",
                     headers=org.headers("far_committee"))
    assert "吴公示" not in _text(far)


def test_dossier_record_holds_every_step(client, rt, org):
    d = dossier_in(client, rt, org, "approval", name="郑纪实")
    got = client.get(f"/api/v1/applicants/{d['id']}/documents/record.docx",
                     headers=org.headers("branch"))
    text = _text(got)
    assert "发展党员工作全程纪实表" in text
    assert "11010119980504002X" in text
    rows = _rows(got)
    log = client.get(f"/api/v1/applicants/{d['id']}/log", headers=org.headers("branch")).json
    assert len(rows) == 1 + len(log["entries"] if isinstance(log, dict) else log)
    steps = {r[2]: r for r in rows[1:]}
    assert steps["递交入党申请书"][1] == zh_date(_iso(d["applied_on"]))
    assert steps["确定为入党积极分子"][1] == zh_date(_iso(d["dates"]["activist_on"]))
    vote = next(r for r in rows[1:] if "应到" in r[3])
    assert vote[1] == zh_date(_iso(d["dates"]["voted_on"]))
    assert "应到会有表决权党员数" in vote[3] and "赞成" in vote[3]
    assert "党员1" in text  # sponsors by name
    assert "branch（党支部）" in text
    # Administrators do not see ID numbers; other branches do not see the dossier.
    admin = client.get(f"/api/v1/applicants/{d['id']}/documents/record.docx",
                       headers=org.headers("admin"))
    assert "11010119980504002X" not in _text(admin)
    other = client.get(f"/api/v1/applicants/{d['id']}/documents/record.docx",
                       headers=org.headers("other_branch"))
    assert other.status_code == 404


def test_materials_follow_the_stage(client, rt, org):
    d = dossier_in(client, rt, org, "training", name="冯材料")
    got = client.get(f"/api/v1/applicants/{d['id']}/documents/materials.docx",
                     headers=org.headers("branch"))
    rows = {r[1]: r for r in _rows(got)[1:]}
    assert rows["入党申请书"][4] == "有"
    assert rows["申请谈话"][4] == "有"
    assert rows["入党介绍人"][4] == "有"
    assert rows["确定为发展对象"][3] == zh_date(_iso(d["dates"]["candidate_on"]))
    # Nothing of a later stage is asked for yet.
    assert not any("支部大会" in name for name in rows)


def test_a_template_in_the_instance_folder_replaces_the_packaged_one(app, client, rt, org):
    d = dossier_in(client, rt, org, "applicant", name="韩替换")
    folder = app.instance_path + "/documents"
    os.makedirs(folder, exist_ok=True)
    doc = Document()
    doc.add_paragraph("本单位自定义材料清单：{{ person.name }}，共{{ items|length }}项")
    doc.save(folder + "/materials.docx")
    got = client.get(f"/api/v1/applicants/{d['id']}/documents/materials.docx",
                     headers=org.headers("branch"))
    # 入党申请书, and the talk, recommendation and contacts of the applicant stage.
    assert "本单位自定义材料清单：韩替换，共4项" in _text(got)
    shutil.rmtree(folder)


@pytest.mark.parametrize("path", [
    "/api/v1/documents/activist_filing.docx?from=2026-02-01&to=2026-01-01",
    "/api/v1/documents/activist_filing.docx?organization_id=999999",
    "/api/v1/documents/activist_filing.docx?from=notadate",
])
def test_bad_queries_are_named(client, org, path):
    got = client.get(path, headers=org.headers("committee"))
    assert got.status_code == 422, got.data[:200]
    assert got.json["error"] == "validation_error"


def test_unknown_document_and_no_token(client, org):
    assert client.get("/api/v1/documents/nothing.docx",
                      headers=org.headers("committee")).status_code == 404
    assert client.get("/api/v1/documents/activist_filing.docx").status_code == 401


def test_packaged_templates_are_the_built_ones():
    names = {p.stem for p in PACKAGED.glob("*.docx")}
    assert {"activist_filing", "candidate_filing", "probationary_filing",
            "admission_approval", "conversion_review", "publicity_admission",
            "publicity_conversion", "dossier_record", "materials"} <= names


def test_corrections_in_the_record_and_voided_records_in_the_materials(client, rt, org):
    d = dossier_in(client, rt, org, "activist", name="卫更正")
    url = f"/api/v1/applicants/{d['id']}"
    fixed = client.patch(url, json={"id_number": "11010119980504003X", "reason": "录入有误"},
                         headers=org.headers("branch"))
    assert fixed.status_code == 200, fixed.json
    talk = next(r for r in d["records"] if r["type"] == "talk")
    voided = client.post(f"{url}/records/{talk['id']}/void", json={"reason": "重复录入"},
                         headers=org.headers("branch"))
    assert voided.status_code == 200, voided.json
    moved = client.post(f"{url}/transfer", headers=org.headers("committee"),
                        json={"branch_id": org.other_branch, "reason": "工作调动",
                              "effective_date": rt.env.today().isoformat()})
    assert moved.status_code == 200, moved.json
    text = _text(client.get(f"{url}/documents/record.docx", headers=org.headers("committee")))
    assert "更正档案信息" in text and "11010119980504003X" in text and "原因：录入有误" in text
    assert "作废记录" in text and "（申请谈话）" in text and "原因：重复录入" in text
    assert "转入其他党支部" in text and "由一支部转入二支部" in text
    admin = _text(client.get(f"{url}/documents/record.docx", headers=org.headers("admin")))
    assert "身份证号已更正" in admin and "11010119980504" not in admin
    rows = {r[1]: r for r in _rows(client.get(f"{url}/documents/materials.docx",
                                             headers=org.headers("committee")))[1:]}
    assert rows["申请谈话"][4] == "未记录"
    assert rows["培养联系人"][4] == "有"
