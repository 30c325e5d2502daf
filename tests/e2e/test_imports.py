"""The import of dossiers in flight: template round trip, every kind of bad cell named with
its row and column, all or nothing, and a history that breaks a rule imported and reported."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from openpyxl import Workbook, load_workbook

from tests.helpers import create_applicant, dossier_in
from workflow.usecases.demo import applied_on_for, plan
from workflow.usecases.paperwork.cells import parse_date
from workflow.usecases.paperwork.import_sheet import template_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _template(client, org) -> Workbook:
    got = client.get("/api/v1/imports/template.xlsx", headers=org.headers("committee"))
    assert got.status_code == 200, got.data[:300]
    return load_workbook(io.BytesIO(got.data))


def _fill(book: Workbook, rows: list[dict]) -> bytes:
    sheet = book["导入"]
    headers = {c.value: c.column for c in sheet[1]}
    for r, values in enumerate(rows, 2):
        for header, value in values.items():
            sheet.cell(row=r, column=headers[header], value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(rows: list[dict]) -> bytes:
    """A sheet of our own making (not the template): headers of the rows, in their order."""
    headers = list(dict.fromkeys(h for r in rows for h in r))
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for r in rows:
        sheet.append([r.get(h) for h in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _post(client, org, data: bytes, *, dry_run: bool, who: str = "committee"):
    return client.post(f"/api/v1/imports?dry_run={int(dry_run)}", data=data,
                       headers=org.headers(who, **{"Content-Type": XLSX}))


def _history(rt, org, target: str, finished_by: date):
    rulebook = rt.env.rulebook_on(finished_by)
    applied = applied_on_for(target=target, finished_by=finished_by, rulebook=rulebook,
                             calendar=rt.env.calendar)
    acts = plan(applied_on=applied, target=target, rulebook=rulebook, calendar=rt.env.calendar,
                contacts=org.full_members[:1], sponsors=org.full_members[1:3])
    return applied, [(a.on, a.trigger or a.record, a.data) for a in acts]


NAMES = {i: f"党员{i - 1}" for i in range(1, 5)}
PROFILE = {"name": "李明", "gender": "female", "birth_date": date(1998, 5, 4),
           "id_number": "11010119980504002X", "phone": "13800138000"}


def _row(rt, org, target: str, finished_by: date, **profile) -> dict:
    applied, history = _history(rt, org, target, finished_by)
    names = {m: f"党员{i}" for i, m in enumerate(org.full_members)}
    row = template_row(rt.env.procedure, {**PROFILE, "applied_on": applied, **profile},
                       history, names)
    return {"党支部": "一支部", **row}


def _comparable(dossier: dict) -> dict:
    drop = {"id", "created_at", "updated_at", "next", "version", "publicity"}
    body = {k: v for k, v in dossier.items() if k not in drop}
    # The API took the acts in the plan's order, the import in date order: the same records.
    body["records"] = sorted((r["date"], r["type"], sorted(
        (k, v) for k, v in r["data"].items() if k != "imported")) for r in dossier["records"])
    return body


@pytest.mark.parametrize("target", ["activist", "approval", "full_member"])
def test_template_round_trip_equals_the_same_acts_through_the_api(client, rt, org, target):
    finished_by = rt.env.today() - timedelta(days=1)
    book = _template(client, org)
    assert book.sheetnames[:2] == ["导入", "示例"]
    headers = [c.value for c in book["导入"][1]]
    assert headers[:5] == ["党支部", "姓名", "性别", "出生日期", "申请入党时间"]
    assert "支部大会讨论通过，接收为预备党员·赞成" in headers and "入党介绍人" in headers
    assert book["导入"]["A1"].comment is not None
    validations = book["导入"].data_validations.dataValidation
    assert any("选项!" in v.formula1 for v in validations)
    example = dict(zip(headers, [c.value for c in book["示例"][2]], strict=True))
    assert example["姓名"] and example["党委审批，接收为预备党员时间"]

    imported_row = _row(rt, org, target, finished_by)
    data = _fill(book, [imported_row])
    dry = _post(client, org, data, dry_run=True)
    assert dry.status_code == 200, dry.json
    assert dry.json["ok"] and dry.json["problems"] == [] and dry.json["breaks"] == []
    assert [(c["row"], c["state"]) for c in dry.json["created"]] == [(2, target)]
    assert client.get("/api/v1/applicants", headers=org.headers("committee")).json["total"] == 0

    done = _post(client, org, data, dry_run=False)
    assert done.status_code == 201, done.json
    imported_id = done.json["created"][0]["dossier_id"]
    imported = client.get(f"/api/v1/applicants/{imported_id}", headers=org.headers("branch")).json
    made = dossier_in(client, rt, org, target, finished_by=finished_by, name="李明",
                      birth_date="1998-05-04")
    assert _comparable(imported) == _comparable(made)
    assert imported["version"] == made["version"]
    # Each entry is marked imported (file, row); the chain is intact.
    log = client.get(f"/api/v1/applicants/{imported_id}/log", headers=org.headers("branch"))
    entries = log.json["entries"] if isinstance(log.json, dict) else log.json
    assert all(e["payload"]["imported"] == {"file_sha256": done.json["file_sha256"], "row": 2}
               for e in entries)
    assert all(e["actor_name"] == "committee" for e in entries)
    verify = client.get("/api/v1/audit/verify", headers=org.headers("auditor"))
    assert verify.json["ok"], verify.json
    # Importing the same sheet again is refused: the dossier exists.
    again = _post(client, org, data, dry_run=True)
    assert not again.json["ok"]
    assert {p["header"] for p in again.json["problems"]} == {"身份证号", "姓名"}


def test_dates_in_every_spelling():
    assert parse_date("2025-03-01") == date(2025, 3, 1)
    assert parse_date("2025.3.1") == date(2025, 3, 1)
    assert parse_date("2025年3月1日") == date(2025, 3, 1)
    assert parse_date("2025/03/01") == date(2025, 3, 1)
    assert parse_date(45717) == date(2025, 3, 1)  # an Excel serial day
    for bad in ("2025-02-30", "3/1/2025", "去年", "20251301"):
        with pytest.raises(ValueError):
            parse_date(bad)


def test_every_kind_of_bad_cell_is_named_with_row_and_column(client, rt, org, clock):
    clock.set_today(date(2026, 6, 1))
    existing = create_applicant(client, org, applied_on=date(2026, 1, 1), name="旧档案",
                                birth_date="1990-01-01", id_number="110101199001010011")
    assert existing
    base = {"党支部": "一支部", "姓名": "新人", "性别": "男", "出生日期": "2000-01-01",
            "申请入党时间": "2026年1月5日"}
    rows = [
        {**base, "党支部": "不存在支部"},                                   # row 2
        {**base, "出生日期": "2000-13-01"},                                 # row 3
        {**base, "培养联系人": "查无此人", "培养联系人确定时间": "2026.1.10"},   # row 4
        {**base, "确定为发展对象时间": "2026-02-01",
         "确定为入党积极分子时间": "2026-03-01"},                           # row 5
        {**base, "身份证号": "110101199001010011"},                         # row 6
        {**base, "姓名": "旧档案", "出生日期": date(1990, 1, 1)},           # row 7
        {**base, "性别": "未知"},                                           # row 8
        {**base, "申请谈话时间": "2025-12-01"},                             # row 9
        {**base, "姓名": None},                                             # row 10
        {**base, "确定为入党积极分子时间": "2026-09-01"},                   # row 11
        {**base, "支部大会讨论通过，接收为预备党员·赞成": "很多"},          # row 12
    ]
    for n, row in enumerate(rows):
        if row["姓名"] == "新人":
            row["姓名"] = f"新人{n}"
    got = _post(client, org, _sheet(rows), dry_run=True)
    assert got.status_code == 200
    problems = {(p["row"], p["column"], p["header"]): p["message"] for p in got.json["problems"]}
    headers = list(dict.fromkeys(h for r in rows for h in r))

    def col(header: str) -> str:
        return "ABCDEFGHIJKLMNOP"[headers.index(header)]

    expected = {
        (2, col("党支部"), "党支部"): "没有名为“不存在支部”的党支部",
        (3, col("出生日期"), "出生日期"): "不存在的日期",
        (4, col("培养联系人"), "培养联系人"): "党员名册中没有“查无此人”",
        (5, col("确定为发展对象时间"), "确定为发展对象时间"): "日期顺序有误",
        (6, col("身份证号"), "身份证号"): "身份证号相同",
        (7, col("姓名"), "姓名"): "姓名和出生日期相同",
        (8, col("性别"), "性别"): "应填写“男”或“女”",
        (9, col("申请谈话时间"), "申请谈话时间"): "早于申请入党时间",
        (10, col("姓名"), "姓名"): "必须填写",
        (11, col("确定为入党积极分子时间"), "确定为入党积极分子时间"): "晚于今天",
        (12, col("支部大会讨论通过，接收为预备党员·赞成"),
         "支部大会讨论通过，接收为预备党员·赞成"): "应填写整数",
    }
    for key, words in expected.items():
        assert key in problems, (key, problems)
        assert words in problems[key], (key, problems[key])
    assert got.json["rows"] == len(rows) and got.json["created"] == []
    # The import itself writes nothing.
    rejected = _post(client, org, _sheet(rows), dry_run=False)
    assert rejected.status_code == 422 and rejected.json["error"] == "import_rejected"
    listed = client.get("/api/v1/applicants", headers=org.headers("committee")).json
    assert listed["total"] == 1


def test_unknown_and_missing_columns(client, org):
    got = _post(client, org, _sheet([{"姓名": "甲", "星座": "天秤"}]), dry_run=True)
    problems = {(p["row"], p["column"], p["header"]) for p in got.json["problems"]}
    assert (1, "B", "星座") in problems and (1, "", "党支部") in problems
    assert (1, "", "出生日期") in problems


def test_an_import_failing_on_its_last_row_writes_nothing(client, rt, org):
    today = rt.env.today()
    rows = [_row(rt, org, "activist", today - timedelta(days=1), name=f"好{i}",
                 id_number=f"11010119980504{i:03d}X") for i in range(3)]
    rows.append({**rows[0], "姓名": "坏行", "身份证号": None, "申请入党时间": "明年"})
    got = _post(client, org, _sheet(rows), dry_run=False)
    assert got.status_code == 422
    assert [(p["row"], p["header"]) for p in got.json["problems"]] == [(5, "申请入党时间")]
    assert client.get("/api/v1/applicants", headers=org.headers("committee")).json["total"] == 0
    assert client.get("/api/v1/rosters/members.xlsx",
                      headers=org.headers("committee")).status_code == 200
    # Without the bad row, all three go in.
    ok = _post(client, org, _sheet(rows[:3]), dry_run=False)
    assert ok.status_code == 201 and len(ok.json["created"]) == 3
    assert client.get("/api/v1/applicants", headers=org.headers("committee")).json["total"] == 3


def test_a_history_that_breaks_a_rule_is_imported_and_reported(client, rt, org, clock):
    clock.set_today(date(2026, 6, 1))
    row = {"党支部": "一支部", "姓名": "急进", "性别": "男", "出生日期": "1995-01-01",
           "申请入党时间": "2025-01-02", "申请谈话时间": "2025-01-10",
           "党员推荐/群团组织推优（党员推荐）时间": "2025-01-15",
           "培养联系人": "党员0", "培养联系人确定时间": "2025-01-15",
           "确定为入党积极分子时间": "2025-02-01",
           "报上级党委备案（确定入党积极分子）时间": "2025-02-05",
           "入党介绍人": "党员1、党员2", "入党介绍人确定时间": "2025-07-20",
           "半年考察时间": "2025-07-25",
           "报上级党委备案（确定发展对象）时间": "2025-07-28",
           # Six months of cultivation instead of twelve:
           "确定为发展对象时间": "2025-08-01"}
    dry = _post(client, org, _sheet([row]), dry_run=True)
    assert dry.json["ok"], dry.json["problems"]
    assert [(b["row"], b["rule"], b["header"]) for b in dry.json["breaks"]] == [
        (2, "cultivation_period", "确定为发展对象时间")]
    assert "培养教育考察期满" in dry.json["breaks"][0]["message"]
    assert dry.json["created"][0]["breaks"] == ["cultivation_period"]
    done = _post(client, org, _sheet([row]), dry_run=False)
    assert done.status_code == 201
    dossier_id = done.json["created"][0]["dossier_id"]
    dossier = client.get(f"/api/v1/applicants/{dossier_id}", headers=org.headers("branch")).json
    assert dossier["state"] == "training" and dossier["dates"]["candidate_on"] == "2025-08-01"
    report = client.get(f"/api/v1/audit/compliance?dossier_id={dossier_id}",
                        headers=org.headers("auditor")).json
    findings = report["items"]
    assert ("cultivation_period", "failed") in {(f["rule"], f["status"]) for f in findings}


def test_roles_and_the_command_line(client, runner, rt, org, tmp_path):
    data = _sheet([_row(rt, org, "applicant", rt.env.today() - timedelta(days=1))])
    for who in ("branch", "auditor"):
        assert _post(client, org, data, dry_run=True, who=who).status_code == 403
    assert client.get("/api/v1/imports/template.xlsx",
                      headers=org.headers("branch")).status_code == 403
    assert client.post("/api/v1/imports", headers=org.headers("committee")).status_code == 400
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(data)
    dry = runner.invoke(args=["import", str(path), "--dry-run"])
    assert dry.exit_code == 0 and "可导入 1 份档案" in dry.output
    assert client.get("/api/v1/applicants", headers=org.headers("committee")).json["total"] == 0
    done = runner.invoke(args=["import", str(path)])
    assert done.exit_code == 0, done.output
    again = runner.invoke(args=["import", str(path)])
    assert again.exit_code == 1 and "第2行" in again.output and "未写入任何数据" in again.output


def test_csv_in_utf8_with_bom(client, rt, org):
    row = _row(rt, org, "activist", rt.env.today() - timedelta(days=1))
    headers = list(row)
    lines = [",".join(headers),
             ",".join(str(row[h]).replace(",", "、") for h in headers)]
    data = ("\ufeff" + "\n".join(lines) + "\n").encode()
    got = client.post("/api/v1/imports?dry_run=1", data=data,
                      headers=org.headers("committee", **{"Content-Type": "text/csv"}))
    assert got.json["ok"], got.json["problems"]
    assert got.json["created"][0]["state"] == "activist"


def test_a_branch_name_two_committees_share_is_named_as_ambiguous(client, rt, org):
    far_committee = client.get(f"/api/v1/organizations/{org.other_committee_branch}",
                               headers=org.headers("admin")).json.get("parent_id")
    made = client.post("/api/v1/organizations", headers=org.headers("admin"),
                       json={"name": "一支部", "kind": "branch", "parent_id": far_committee})
    assert made.status_code == 201, made.json
    row = _row(rt, org, "applicant", rt.env.today() - timedelta(days=1))
    by_admin = _post(client, org, _sheet([row]), dry_run=True, who="admin")
    assert [(p["column"], p["message"]) for p in by_admin.json["problems"]] == [
        ("A", "有2个名为“一支部”的党支部：请由所属党委的用户导入")]
    by_committee = _post(client, org, _sheet([row]), dry_run=True)
    assert by_committee.json["ok"], by_committee.json["problems"]


def test_the_example_row_of_the_template_is_a_history_that_keeps_every_rule(client, org):
    book = _template(client, org)
    headers = [c.value for c in book["示例"][1]]
    example = dict(zip(headers, [c.value for c in book["示例"][2]], strict=True))
    assert example["党支部"] == "一支部"
    # Its contacts and sponsors are names for the example: take the registry's instead.
    example.update({"培养联系人": "党员0", "入党介绍人": "党员1、党员2"})
    got = _post(client, org, _fill(book, [{k: v for k, v in example.items() if v is not None}]),
                dry_run=True)
    assert got.json["ok"], got.json["problems"]
    assert got.json["breaks"] == []
    assert got.json["created"][0]["state"] == "probationary"


@pytest.mark.parametrize("data", [
    b"PK\x03\x04 not really a zip",
    b"\x00\x01\x02binary\x00",
    "党支部,姓名\n".encode(),
    b"",
])
def test_a_file_that_is_no_sheet_is_a_problem_not_a_crash(client, org, data):
    got = _post(client, org, data, dry_run=True) if data else client.post(
        "/api/v1/imports?dry_run=1", data=data, headers=org.headers("committee"))
    assert got.status_code in (200, 400), got.data[:300]
    if got.status_code == 200:
        assert not got.json["ok"] and got.json["problems"]
        assert got.json["problems"][0]["message"]


def test_several_records_in_one_cell_each_with_its_own_text(client, org, clock):
    clock.set_today(date(2026, 6, 1))
    row = {"党支部": "一支部", "姓名": "双考察", "性别": "女", "出生日期": "1995-01-01",
           "申请入党时间": "2025-01-02", "申请谈话时间": "2025-01-10",
           "申请谈话·谈话人": "书记；不会拆分", "培养联系人": "党员0",
           "培养联系人确定时间": "2025-01-15",
           "党员推荐/群团组织推优（党员推荐）时间": "2025-01-15",
           "确定为入党积极分子时间": "2025-02-01",
           "半年考察时间": "2025-07-25、2026-01-20", "半年考察·内容": "表现良好；\n表现优秀"}
    done = _post(client, org, _sheet([row]), dry_run=False)
    assert done.status_code == 201, done.json
    dossier = client.get(f"/api/v1/applicants/{done.json['created'][0]['dossier_id']}",
                         headers=org.headers("branch")).json
    records = [(r["type"], r["date"], r["data"].get("summary") or r["data"].get("by"))
               for r in dossier["records"]]
    assert ("evaluation", "2025-07-25", "表现良好") in records
    assert ("evaluation", "2026-01-20", "表现优秀") in records
    # One date: the text stands whole, separators and all.
    assert ("talk", "2025-01-10", "书记；不会拆分") in records
