"""Rosters as xlsx: the list's filters, the columns of the states shown, the registry, and the
eligibility lists computed from each dossier's own `next` (boundaries: the day before and the
day of)."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from tests.helpers import create_applicant, dossier_in, fire, record


def _sheet(response) -> list[list]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    return [[v.date() if isinstance(v, datetime) else v for v in r] for r in rows]


def _dicts(response) -> list[dict]:
    rows = _sheet(response)
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_dossiers_roster_filters_and_shows_the_dates_of_the_state(client, rt, org):
    d = dossier_in(client, rt, org, "activist", name="甲积极", education="大专")
    dossier_in(client, rt, org, "applicant", name="乙申请")
    got = client.get("/api/v1/rosters/dossiers.xlsx?state=activist",
                     headers=org.headers("committee"))
    rows = _dicts(got)
    assert [r["姓名"] for r in rows] == ["甲积极"]
    row = rows[0]
    assert row["确定为入党积极分子时间"] == date.fromisoformat(d["dates"]["activist_on"])
    assert row["当前阶段"] == "入党积极分子" and row["学历"] == "大专"
    assert row["身份证号"] == "11010119980504002X" and row["培养联系人"] == "党员0"
    assert "确定为发展对象时间" not in row  # no dossier shown has reached it
    everyone = _dicts(client.get("/api/v1/rosters/dossiers.xlsx?q=乙",
                                 headers=org.headers("admin")))
    assert [r["姓名"] for r in everyone] == ["乙申请"]
    assert "身份证号" not in everyone[0]
    other = _dicts(client.get("/api/v1/rosters/dossiers.xlsx",
                              headers=org.headers("other_branch")))
    assert other == []


def test_registry_roster(client, org):
    rows = _dicts(client.get("/api/v1/rosters/members.xlsx?status=probationary",
                             headers=org.headers("committee")))
    assert [(r["姓名"], r["状态"]) for r in rows] == [("预备党员", "预备党员")]
    everyone = _dicts(client.get("/api/v1/rosters/members.xlsx",
                                 headers=org.headers("branch")))
    assert len(everyone) == 5 and everyone[0]["支部"] == "一支部"


def _activist_ready_on(client, org, clock) -> tuple[int, date]:
    """An activist whose only missing condition is the year of cultivation (ends 2026-02-01)."""
    clock.set_today(date(2025, 9, 1))
    d = create_applicant(client, org, applied_on=date(2025, 1, 1), name="丙候选")["id"]
    full = org.full_members
    assert record(client, org, d, "talk", "2025-01-10", "branch", by="书记").status_code == 201
    assert record(client, org, d, "recommendation", "2025-01-15", "branch",
                  method="party_members").status_code == 201
    assert record(client, org, d, "contact", "2025-01-15", "branch",
                  member_id=full[0]).status_code == 201
    assert fire(client, org, d, "designate_activist", "2025-02-01", "branch").status_code == 200
    assert record(client, org, d, "filing", "2025-02-05", "committee",
                  stage="activist").status_code == 201
    assert record(client, org, d, "evaluation", "2025-08-01", "branch",
                  summary="良好").status_code == 201
    for member in full[1:3]:
        assert record(client, org, d, "sponsor", "2025-08-01", "branch",
                      member_id=member).status_code == 201
    # The committee's acknowledgement of the candidacy's filing (Art. 13), ahead of it.
    assert record(client, org, d, "filing", "2025-08-05", "committee",
                  stage="candidate").status_code == 201
    return d, date(2026, 2, 1)


@pytest.mark.parametrize(("within", "listed"), [(11, False), (12, True)])
def test_candidate_eligibility_uses_the_rules_earliest_date(client, org, clock, within, listed):
    d, ready = _activist_ready_on(client, org, clock)
    clock.set_today(date(2026, 1, 20))
    rows = _dicts(client.get(f"/api/v1/rosters/eligible-candidate.xlsx?within={within}",
                             headers=org.headers("branch")))
    assert [r["编号"] for r in rows] == ([d] if listed else [])
    if listed:
        assert rows[0]["最早可办理日期"] == ready and rows[0]["距今天数"] == 12
    # What the dossier's `next` says, the list says.
    step = next(s for s in client.get(f"/api/v1/applicants/{d}",
                                      headers=org.headers("branch")).json["next"]
                if s["trigger"] == "designate_candidate")
    assert [r["earliest_date"] for r in step["reasons"]] == [ready.isoformat()]


def test_a_step_blocked_without_a_date_is_not_eligible(client, org, clock):
    clock.set_today(date(2025, 3, 1))
    create_applicant(client, org, applied_on=date(2025, 1, 1), name="丁无谈话")
    rows = _dicts(client.get("/api/v1/rosters/eligible-activist.xlsx?within=365",
                             headers=org.headers("branch")))
    assert rows == []


def test_talk_list_with_its_deadline(client, org, clock):
    clock.set_today(date(2026, 1, 20))
    waiting = create_applicant(client, org, applied_on=date(2026, 1, 1), name="戊待谈")["id"]
    late = create_applicant(client, org, applied_on=date(2025, 11, 1), name="己逾期")["id"]
    talked = create_applicant(client, org, applied_on=date(2026, 1, 2), name="庚已谈")["id"]
    assert record(client, org, talked, "talk", "2026-01-05", "branch",
                  by="书记").status_code == 201
    rows = _dicts(client.get("/api/v1/rosters/eligible-talk.xlsx",
                             headers=org.headers("committee")))
    assert [(r["编号"], r["谈话期限"], r["剩余天数"], r["备注"]) for r in rows] == [
        (late, date(2025, 12, 1), -50, "已逾期"), (waiting, date(2026, 2, 1), 12, None)]
    soon = _dicts(client.get("/api/v1/rosters/eligible-talk.xlsx?within=11",
                             headers=org.headers("committee")))
    assert [r["编号"] for r in soon] == [late]


def test_bad_roster_queries(client, org):
    for path in ("/api/v1/rosters/dossiers.xlsx?state=nowhere",
                 "/api/v1/rosters/members.xlsx?status=ghost",
                 "/api/v1/rosters/eligible-activist.xlsx?within=-1",
                 "/api/v1/rosters/eligible-activist.xlsx?organization_id=99999"):
        got = client.get(path, headers=org.headers("committee"))
        assert got.status_code == 422, path
    assert client.get("/api/v1/rosters/eligible-nobody.xlsx",
                      headers=org.headers("committee")).status_code == 404


def test_admission_eligibility_once_the_approval_talk_is_held(client, rt, org):
    d = dossier_in(client, rt, org, "approval", name="辛审批")
    rows = _dicts(client.get("/api/v1/rosters/eligible-admission.xlsx",
                             headers=org.headers("committee")))
    assert [(r["编号"], r["当前阶段"]) for r in rows] == [(d["id"], "党委审批")]


def test_conversion_eligibility_the_day_before_and_the_day_probation_ends(client, rt, org):
    d = dossier_in(client, rt, org, "probationary", name="壬转正")
    step = next(s for s in d["next"] if s["trigger"] == "start_conversion_publicity")
    today = rt.env.today()
    ends = date.fromisoformat(step["reasons"][0]["earliest_date"]) if step["reasons"] else today
    days = (ends - today).days

    def listed(within: int) -> list:
        return [r["编号"] for r in _dicts(client.get(
            f"/api/v1/rosters/eligible-conversion.xlsx?within={within}",
            headers=org.headers("branch")))]

    assert listed(days) == [d["id"]]
    if days > 0:
        assert listed(days - 1) == []
