"""The public publicity page and its print view (HTML through the app), and the committee's
objection contact that they show."""

from __future__ import annotations

import re
from datetime import date, timedelta

from tests.helpers import dossier_in
from workflow.domain.calendar import WorkingDayCalendar

CONTACT = {"objection_phone": "010-6512 3456", "objection_email": "jubao@example.cn",
           "objection_address": "北京市东城区示范街1号党委办公室"}


def set_contact(client, org, organization_id: int, body: dict, who: str = "admin"):
    return client.patch(f"/api/v1/organizations/{organization_id}", json=body,
                        headers=org.headers(who))


def text_of(html: str) -> str:
    """The visible text, roughly: tags dropped, whitespace squeezed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_objection_contact_is_set_by_an_admin(client, org):
    response = set_contact(client, org, org.committee, CONTACT)
    assert response.status_code == 200
    assert response.json == {"id": org.committee, "name": "党委", "kind": "committee",
                             "parent_id": None, **CONTACT}
    cleared = set_contact(client, org, org.committee, {"objection_email": None})
    assert cleared.json["objection_email"] is None
    assert cleared.json["objection_phone"] == CONTACT["objection_phone"]
    assert set_contact(client, org, org.committee, CONTACT, who="committee").status_code == 403
    assert set_contact(client, org, 999, CONTACT).status_code == 404
    branch = set_contact(client, org, org.branch, CONTACT)
    assert branch.status_code == 422 and "kind" in branch.json["fields"]
    bad = set_contact(client, org, org.committee, {"objection_email": "nobody",
                                                   "objection_phone": "call me", "x": 1})
    assert bad.status_code == 422
    assert set(bad.json["fields"]) == {"objection_email", "objection_phone", "x"}


def test_the_page_shows_the_notices_and_nothing_more(client, rt, org, clock):
    clock.set_today(date(2025, 9, 30))
    dossier = dossier_in(client, rt, org, "publicity", finished_by=date(2025, 9, 26))
    set_contact(client, org, org.committee, CONTACT)
    publicity = dossier["publicity"]
    first, last = (date.fromisoformat(publicity[k]) for k in ("first_day", "last_day"))
    # Standing on the publicity's second day: the first has passed.
    clock.set_today(first + timedelta(days=1))
    left = WorkingDayCalendar().working_days_left(last, first + timedelta(days=1))
    assert 0 < left < 5
    response = client.get("/publicity")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<html lang="zh-CN">' in html
    text = text_of(html)
    for shown in ("李明", "接收预备党员公示", "女", "1998年5月", "一支部", "党委",
                  f"{first.year}年{first.month}月{first.day}日",
                  f"{last.year}年{last.month}月{last.day}日", f"剩余 {left} 个工作日",
                  CONTACT["objection_phone"], CONTACT["objection_email"],
                  CONTACT["objection_address"]):
        assert shown in text, shown
    # Never the ID number, the phone, the birth day or anything from the records.
    for hidden in ("11010119980504002X", "13800138000", "1998-05-04", "5月4日", "支部书记",
                   "表现良好", "同意", "组织员"):
        assert hidden not in html, hidden

    clock.set_today(last + timedelta(days=1))
    assert "公示期已满" in text_of(client.get("/publicity").get_data(as_text=True))


def test_the_filter_by_committee(client, rt, org, clock):
    clock.set_today(date(2025, 9, 30))
    dossier_in(client, rt, org, "publicity", finished_by=date(2025, 9, 26))
    assert "李明" in client.get(f"/publicity?committee={org.committee}").get_data(as_text=True)
    for missing in (9999, org.branch):  # none, or not a committee: a wrong address
        other = client.get(f"/publicity?committee={missing}")
        assert other.status_code == 404 and other.mimetype == "text/html"
        assert "没有这个党委" in other.get_data(as_text=True)
        assert client.get(f"/publicity/print?committee={missing}").status_code == 404
    far = client.get(f"/api/v1/organizations/{org.other_committee_branch}",
                     headers=org.headers("admin")).json["parent_id"]
    quiet = text_of(client.get(f"/publicity?committee={far}").get_data(as_text=True))
    assert "李明" not in quiet and "目前没有正在进行的公示" in quiet
    assert "以下同志正在公示中" not in quiet
    # A malformed filter is ignored, not an error.
    assert "李明" in client.get("/publicity?committee=abc").get_data(as_text=True)


def test_the_print_view_is_the_conventional_notice(client, rt, org, clock):
    clock.set_today(date(2025, 9, 30))
    dossier_in(client, rt, org, "publicity", finished_by=date(2025, 9, 26))
    set_contact(client, org, org.committee, CONTACT)
    response = client.get(f"/publicity/print?committee={org.committee}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "size: A4" in html
    text = text_of(html)
    assert "关于拟发展李明同志为中共预备党员的公示" in text
    assert "经党支部委员会审查、党委预审" in text
    assert f"联系电话：{CONTACT['objection_phone']}" in text
    assert "中共党委 2025年9月30日" in text
    assert "11010119980504002X" not in html and "13800138000" not in html


def test_an_empty_board(client):
    response = client.get("/publicity")
    assert response.status_code == 200
    text = text_of(response.get_data(as_text=True))
    assert "目前没有正在进行的公示" in text and "以下同志正在公示中" not in text
    assert client.get("/publicity/print").status_code == 200


def test_the_printed_notice_offers_only_the_channels_that_exist(client, rt, org, clock):
    clock.set_today(date(2025, 9, 30))
    dossier_in(client, rt, org, "publicity", finished_by=date(2025, 9, 26))
    url = f"/publicity/print?committee={org.committee}"
    html = client.get(url).get_data(as_text=True)
    text = text_of(html)
    # No contact set: no channel is promised, and the committee is told before it prints.
    assert "来电" not in text and "来信" not in text and "可向党委反映" in text
    warning = re.search(r'<p class="screen warning" role="alert">(.*?)</p>', html, re.S)
    assert warning and "尚未设置" in warning[1]
    set_contact(client, org, org.committee, {"objection_phone": "010-12345678"})
    text = text_of(client.get(url).get_data(as_text=True))
    assert "可通过来电方式向党委反映" in text and "来信" not in text and "尚未设置" not in text
    set_contact(client, org, org.committee, CONTACT)
    text = text_of(client.get(url).get_data(as_text=True))
    assert "可通过来电、来信、来访、电子邮件方式向党委反映" in text


def test_a_year_without_a_table_is_flagged_on_the_page(client, rt, org, clock):
    unknown = max(WorkingDayCalendar().known_years()) + 1
    clock.set_today(date(unknown, 3, 20))
    dossier_in(client, rt, org, "publicity", finished_by=date(unknown, 3, 16))
    text = text_of(client.get("/publicity").get_data(as_text=True))
    assert "节假日安排尚未载入" in text and str(unknown) in text
