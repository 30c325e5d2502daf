"""The staff's pages through the Flask test client: 工作台, 发展名册 with its batch action, 档案
with the forms generated from the procedure's declarations — scoped like the API."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from api.web.views import home
from api.zh import chinese_date
from tests.helpers import create_applicant, walk
from tests.web import page_csrf, sign_in
from workflow.usecases import roster

DAY = timedelta(days=1)
HX = {"HX-Request": "true"}


def _text(response) -> str:
    return response.get_data(as_text=True)


def _refused(response, status: int = 422) -> bool:
    """A refusal answered to htmx: shown in place, its status in a header."""
    return (response.status_code == 200
            and response.headers.get("X-Recruitflow-Refused") == str(status))


def test_home_counts_states_and_lists_what_is_due(client, rt, org, clock):
    walk(client, rt, org, clock, applied_on=date(2024, 3, 1), target="activist",
         today=date(2025, 4, 10))
    clock.set_today(date(2025, 9, 10))  # the next evaluation falls due on 2025-09-26
    sign_in(client, rt, org, "branch")
    home = _text(client.get("/"))
    assert "各阶段人数" in home and "入党积极分子" in home
    assert "半年考察" in home  # the agenda: an evaluation falls due
    assert "可推进" in home
    # An administrator fires no step: neither the agenda nor 可推进 on its home page.
    sign_in(client, rt, org, "admin")
    home = _text(client.get("/"))
    assert "各阶段人数" in home and "可推进" not in home and "已逾期" not in home


def test_a_dossier_of_another_branch_or_committee_is_not_found(client, rt, org):
    mine = create_applicant(client, org)
    theirs = create_applicant(client, org, who="other_branch", branch_id=org.other_branch)
    sign_in(client, rt, org, "branch")
    assert client.get(f"/dossiers/{mine['id']}").status_code == 200
    refused = client.get(f"/dossiers/{theirs['id']}")
    assert refused.status_code == 404 and "不在您的管理范围内" in _text(refused)
    assert client.get("/dossiers/99999").status_code == 404
    token = page_csrf(client)
    posted = client.post(f"/dossiers/{theirs['id']}/records",
                         data={"name": "talk", "date": date.today().isoformat(), "by": "x",
                               "csrf_token": token})
    assert posted.status_code == 404
    # The committee sees both, the far committee neither.
    sign_in(client, rt, org, "committee")
    assert client.get(f"/dossiers/{theirs['id']}").status_code == 200
    sign_in(client, rt, org, "far_committee")
    assert client.get(f"/dossiers/{mine['id']}").status_code == 404


def test_names_with_markup_are_shown_as_text(client, rt, org):
    evil = "<script>alert(1)</script>"
    created = create_applicant(client, org, name=evil)
    sign_in(client, rt, org, "branch")
    for path in (f"/dossiers/{created['id']}", "/dossiers", "/dossiers?state=applicant"):
        page = _text(client.get(path))
        assert evil not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_id_number_is_masked_for_those_who_may_not_see_it(client, rt, org):
    created = create_applicant(client, org)
    sign_in(client, rt, org, "branch")
    assert "11010119980504002X" in _text(client.get(f"/dossiers/{created['id']}"))
    sign_in(client, rt, org, "admin")
    page = _text(client.get(f"/dossiers/{created['id']}"))
    assert "11010119980504002X" not in page and "（无权查看）" in page


def test_forms_are_generated_from_the_procedures_declarations(client, rt, org, clock):
    dossier = walk(client, rt, org, clock, applied_on=date(2023, 3, 1), target="vote",
                   today=date(2024, 6, 7))
    procedure = rt.env.procedure
    sign_in(client, rt, org, "branch")
    page = _text(client.get(f"/dossiers/{dossier['id']}"))
    for transition in procedure.transitions_from("vote"):
        assert transition.summary_zh.rstrip("。") in page
        if "branch" in transition.roles:
            form = re.search(rf'id="form-fire-{transition.trigger}".*?</form>', page, re.S)
            assert form, transition.trigger
            for param in transition.params:
                assert f'name="{param.name}"' in form.group(0), (transition.trigger, param)
    for kind in procedure.records:
        if "vote" in kind.states and "branch" in kind.roles:
            form = re.search(rf'id="form-record-{kind.name}".*?</form>', page, re.S)
            assert form and all(f'name="{p.name}"' in form.group(0) for p in kind.params)


def test_a_record_with_a_member_picked_by_name(client, rt, org, clock):
    clock.set_today(date(2025, 3, 20))
    created = create_applicant(client, org, applied_on=date(2025, 3, 1))
    sign_in(client, rt, org, "branch")
    url = f"/dossiers/{created['id']}"
    page = _text(client.get(url))
    picker = re.search(r'id="form-record-contact".*?</form>', page, re.S).group(0)
    assert "党员0（正式党员，一支部）" in picker and f'value="{org.full_members[0]}"' in picker
    token = page_csrf(client, url)
    done = client.post(url + "/records", data={
        "name": "contact", "date": "2025-03-10", "member_id": str(org.full_members[0]),
        "csrf_token": token})
    assert done.status_code == 303
    page = _text(client.get(url))
    assert "已登记：培养联系人（2025年3月10日）" in page
    assert "党员：党员0" in page and "登记：培养联系人" in page


def test_refusals_are_shown_inline_in_chinese(client, rt, org, clock):
    clock.set_today(date(2025, 3, 20))
    created = create_applicant(client, org, applied_on=date(2025, 3, 1))
    sign_in(client, rt, org, "branch")
    url = f"/dossiers/{created['id']}"
    token = page_csrf(client, url)
    future = client.post(url + "/records", headers=HX, data={
        "name": "talk", "date": "2025-03-21", "by": "书记", "csrf_token": token})
    assert _refused(future) and "晚于今天" in _text(future)
    assert "<html" not in _text(future)  # a partial for htmx, not a page
    missing = client.post(url + "/records", data={"name": "talk", "date": "2025-03-10",
                                                  "csrf_token": token})
    assert missing.status_code == 422 and "必填" in _text(missing)
    assert "<html" in _text(missing)  # without htmx: the whole page, the form in place
    bad = client.post(url + "/records", headers=HX, data={
        "name": "contact", "date": "2025-03-10", "member_id": "abc", "csrf_token": token})
    assert _refused(bad) and "请从列表中选择" in _text(bad)
    stranger = client.post(url + "/records", headers=HX, data={
        "name": "contact", "date": "2025-03-10", "member_id": "99999", "csrf_token": token})
    assert _refused(stranger) and "请检查填写的内容" in _text(stranger)


def test_a_blocked_step_names_every_failing_rule_and_the_day_it_clears(client, rt, org,
                                                                        clock):
    applied = date(2024, 3, 1) - 30 * DAY  # an activist from 2024-03-01
    dossier = walk(client, rt, org, clock, applied_on=applied, target="activist",
                   today=date(2025, 2, 28))
    sign_in(client, rt, org, "branch")
    url = f"/dossiers/{dossier['id']}"
    page = _text(client.get(url))
    step = re.search(r'<div class="step blocked">\s*<button type="button" disabled>'
                     r'确定为发展对象</button>.*?</div>', page, re.S)
    assert step, "designate_candidate is shown disabled"
    activist_on = date.fromisoformat(dossier["dates"]["activist_on"])
    ready = date(activist_on.year + 1, activist_on.month, activist_on.day)
    clears = f"{ready.year}年{ready.month}月{ready.day}日起可办理"
    assert "培养教育考察期满" in step.group(0) and clears in step.group(0)
    # The rule's own message writes its dates in Chinese on the page too.
    since = f"自{activist_on.year}年{activist_on.month}月{activist_on.day}日确定为入党积极分子"
    assert since in step.group(0)
    reasons = re.search(r'<ul class="rea.*?</ul>', step.group(0), re.S)
    assert reasons and not re.search(r"\d{4}-\d\d-\d\d", reasons.group(0))
    token = page_csrf(client, url)
    refused = client.post(url + "/fire", headers=HX, data={
        "name": "designate_candidate", "effective_date": "2025-02-28", "csrf_token": token})
    assert _refused(refused)
    assert "培养教育考察期满" in _text(refused) and clears in _text(refused)


def test_the_roster_tabs_search_and_paging(client, rt, org, clock):
    for index in range(23):
        create_applicant(client, org, name=f"申请人{index:02d}")
    create_applicant(client, org, name="王小明")
    sign_in(client, rt, org, "branch")
    page = _text(client.get("/dossiers?state=applicant"))
    assert re.search(r'aria-current="page"[^>]*>入党申请人 <span class="n">24</span>', page)
    assert page.count('name="ids"') == 20 and "第 1 / 2 页" in page
    second = _text(client.get("/dossiers?state=applicant&page=2"))
    assert second.count('name="ids"') == 4
    found = _text(client.get("/dossiers?q=小明"))
    assert "王小明" in found and "申请人01" not in found
    assert client.get("/dossiers?state=nonsense").status_code == 404
    # 上一条/下一条 follow the list the dossier was opened from.
    link = re.search(r'href="(/dossiers/\d+\?from=[^"]+)"', second).group(1)
    opened = _text(client.get(link.replace("&amp;", "&")))
    assert 'rel="prev"' in opened and "返回名册" in opened


def test_a_batch_applies_to_each_dossier_or_says_which_rules_failed(client, rt, org, clock):
    early = walk(client, rt, org, clock, applied_on=date(2024, 4, 1) - 30 * DAY,
                 target="activist", today=date(2025, 4, 1))
    ready = walk(client, rt, org, clock, applied_on=date(2024, 3, 1) - 30 * DAY,
                 target="activist", today=date(2025, 3, 1))
    sign_in(client, rt, org, "branch")
    page = _text(client.get("/dossiers?state=activist"))
    assert '<option value="designate_candidate">确定为发展对象</option>' in page
    fields = _text(client.get("/dossiers/batch/fields?state=activist&trigger=reject"))
    assert 'name="reason"' in fields and 'name="effective_date"' in fields
    token = page_csrf(client, "/dossiers?state=activist")
    result = client.post("/dossiers/batch", headers=HX, data={
        "csrf_token": token, "state": "activist", "trigger": "designate_candidate",
        "effective_date": "2025-03-01", "ids": [str(ready["id"]), str(early["id"])]})
    assert result.status_code == 200
    text = _text(result)
    assert "1 份已办理，1 份未办理" in text
    rows = re.findall(r"<tr class=\"(late)?\">(.*?)</tr>", text, re.S)
    assert len(rows) == 2
    assert "已办理" in rows[0][1] and "培养教育考察期满" in rows[1][1]
    # Each dossier its own transition and audit entry.
    log = client.get(f"/api/v1/applicants/{ready['id']}/log", headers=org.headers("branch"))
    assert log.json["entries"][-1]["action"] == "designate_candidate"
    log = client.get(f"/api/v1/applicants/{early['id']}/log", headers=org.headers("branch"))
    assert log.json["entries"][-1]["action"] != "designate_candidate"
    nothing = client.post("/dossiers/batch", headers=HX, data={
        "csrf_token": token, "state": "activist", "trigger": "designate_candidate",
        "effective_date": "2025-03-01"})
    assert _refused(nothing) and "请先勾选档案" in _text(nothing)


def test_a_branch_creates_a_dossier_from_the_generated_profile_form(client, rt, org, clock):
    clock.set_today(date(2025, 3, 20))
    sign_in(client, rt, org, "branch")
    form = _text(client.get("/dossiers/new"))
    for name in ("name", "gender", "birth_date", "applied_on", "id_number", "branch_id"):
        assert f'name="{name}"' in form
    token = page_csrf(client, "/dossiers/new")
    profile = {"csrf_token": token, "branch_id": str(org.branch), "name": "赵敏",
               "gender": "female", "birth_date": "1999-05-04", "applied_on": "2025-03-01"}
    bad = client.post("/dossiers/new", data={**profile, "id_number": "123"})
    assert bad.status_code == 422 and "格式不正确" in _text(bad) and 'value="赵敏"' in _text(bad)
    young = client.post("/dossiers/new", data={**profile, "birth_date": "2010-01-01"})
    assert young.status_code == 422 and "18" in _text(young)
    done = client.post("/dossiers/new", data=profile)
    assert done.status_code == 303
    page = _text(client.get(done.headers["Location"]))
    assert "赵敏" in page and "入党申请人" in page
    sign_in(client, rt, org, "committee")
    assert client.get("/dossiers/new").status_code == 404


def test_a_mistyped_address_gets_a_chinese_page_the_api_its_json(client, rt, org):
    sign_in(client, rt, org, "branch")
    html = {"Accept": "text/html,application/xhtml+xml"}
    page = client.get("/dossiers/abc", headers=html)
    assert page.status_code == 404 and "页面不存在" in _text(page)
    assert "Traceback" not in _text(page)
    api = client.get("/api/v1/nothing", headers=html)
    assert api.status_code == 404 and api.json["error"] == "not_found"


def test_a_trigger_and_a_record_added_to_the_procedure_appear_with_their_forms(
        app, client, rt, org, clock):
    """The forms come from the declarations: a new trigger and a new record type, with
    fields of every kind, appear on the dossier page and work, with no template change."""
    from dataclasses import replace

    from states.fields import MEMBER
    from workflow.domain.procedure import RecordType, TransitionDef
    from workflow.domain.roles import BRANCH
    from workflow.domain.rules import Param

    procedure = rt.env.procedure
    probe = TransitionDef(
        "web_probe", ("applicant",), "applicant", BRANCH,
        params=(Param("remark", "text"), Param("copies", "int", minimum=1, maximum=9),
                Param("urgent", "bool"), Param("channel", "choice", choices=("mail", "desk"))),
        summary_zh="登记补充材料。")
    note = RecordType("web_note", "谈心谈话", "Heart-to-heart talk", BRANCH, ("applicant",),
                      (MEMBER, Param("remark", "text", required=False)))
    extended = replace(procedure, transitions=(*procedure.transitions, probe),
                       records=(*procedure.records, note))
    app.extensions["recruitflow"] = replace(rt, env=replace(rt.env, procedure=extended))
    clock.set_today(date(2025, 3, 20))
    created = create_applicant(client, org, applied_on=date(2025, 3, 1))
    sign_in(client, rt, org, "branch")
    url = f"/dossiers/{created['id']}"
    page = _text(client.get(url))
    form = re.search(r'id="form-fire-web_probe".*?</form>', page, re.S).group(0)
    assert "登记补充材料" in page
    for html in ('<textarea name="remark"', 'type="number" name="copies"', 'min="1"',
                 'type="checkbox" name="urgent"', '<select name="channel"',
                 'name="effective_date"'):
        assert html in form, html
    record = re.search(r'id="form-record-web_note".*?</form>', page, re.S).group(0)
    assert "谈心谈话" in page and "党员0（正式党员，一支部）" in record
    token = page_csrf(client, url)
    wrong = client.post(url + "/fire", headers=HX, data={
        "csrf_token": token, "name": "web_probe", "effective_date": "2025-03-10",
        "remark": "身份证复印件", "copies": "12", "channel": "desk"})
    assert _refused(wrong) and "请填写1至9之间的整数" in _text(wrong)
    done = client.post(url + "/fire", data={
        "csrf_token": token, "name": "web_probe", "effective_date": "2025-03-10",
        "remark": "身份证复印件", "copies": "2", "urgent": "1", "channel": "desk"})
    assert done.status_code == 303
    noted = client.post(url + "/records", data={
        "csrf_token": token, "name": "web_note", "date": "2025-03-12",
        "member_id": str(org.full_members[1])})
    assert noted.status_code == 303
    page = _text(client.get(url))
    assert "已登记：谈心谈话" in page and "党员：党员1" in page and "登记补充材料" in page
    log = client.get(f"/api/v1/applicants/{created['id']}/log", headers=org.headers("branch"))
    probe_entry = next(e for e in log.json["entries"] if e["action"] == "web_probe")
    assert probe_entry["payload"] == {"remark": "身份证复印件", "copies": 2, "urgent": True,
                                      "channel": "desk"}


def test_a_record_is_voided_with_a_reason_and_stays_in_view(client, rt, org, clock):
    clock.set_today(date(2025, 3, 20))
    created = create_applicant(client, org, applied_on=date(2025, 3, 1))
    sign_in(client, rt, org, "branch")
    url = f"/dossiers/{created['id']}"
    token = page_csrf(client, url)
    client.post(url + "/records", data={"name": "talk", "date": "2025-03-08", "by": "书记",
                                        "csrf_token": token})
    record_id = client.get(f"/api/v1/applicants/{created['id']}",
                           headers=org.headers("branch")).json["records"][0]["id"]
    page = _text(client.get(url))
    assert f'action="{url}/records/{record_id}/void"' in page
    void = f"{url}/records/{record_id}/void"
    empty = client.post(void, headers=HX, data={"csrf_token": token, "reason": " "})
    assert _refused(empty) and "请写明作废原因" in _text(empty)
    done = client.post(void, headers=HX, data={"csrf_token": token, "reason": "日期记错"})
    assert done.status_code == 204 and done.headers["HX-Redirect"] == url
    page = _text(client.get(url))
    assert '<tr class="voided">' in page and "（已作废）" in page
    assert "作废记录（日期记错）" in page and f'{url}/records/{record_id}/void"' not in page
    again = client.post(void, headers=HX, data={"csrf_token": token, "reason": "再次"})
    assert _refused(again) and "该记录已作废" in _text(again)
    # A committee organiser may not void the branch's talk: no button, and refused.
    sign_in(client, rt, org, "committee")
    assert "/void" not in _text(client.get(url))


def test_the_profile_is_corrected_with_a_reason(client, rt, org, clock):
    clock.set_today(date(2025, 3, 20))
    created = create_applicant(client, org, applied_on=date(2025, 3, 1))
    sign_in(client, rt, org, "branch")
    url = f"/dossiers/{created['id']}"
    page = _text(client.get(url))
    form = re.search(r'id="form-profile-profile".*?</form>', page, re.S).group(0)
    assert 'name="name" value="李明"' in form and 'name="reason"' in form
    token = page_csrf(client, url)
    current = {"csrf_token": token, "name": "李明", "gender": "female",
               "birth_date": "1998-05-04", "applied_on": "2025-03-01",
               "id_number": "11010119980504002X", "phone": "13800138000"}
    same = client.post(url + "/profile", headers=HX, data={**current, "reason": "核对"})
    assert _refused(same) and "没有需要更正的内容" in _text(same)
    bad = client.post(url + "/profile", headers=HX,
                      data={**current, "id_number": "12", "reason": "核对"})
    assert _refused(bad) and "格式不正确" in _text(bad)
    done = client.post(url + "/profile", data={**current, "name": "李敏",
                                               "reason": "户口本为准"})
    assert done.status_code == 303
    page = _text(client.get(url))
    assert "<h1>李敏" in page and "更正基本信息（户口本为准）" in page


def test_the_committee_transfers_a_dossier_to_another_branch(client, rt, org, clock):
    clock.set_today(date(2025, 3, 20))
    created = create_applicant(client, org, applied_on=date(2025, 3, 1))
    url = f"/dossiers/{created['id']}"
    sign_in(client, rt, org, "branch")
    assert 'id="form-transfer-transfer"' not in _text(client.get(url))
    sign_in(client, rt, org, "committee")
    page = _text(client.get(url))
    form = re.search(r'id="form-transfer-transfer".*?</form>', page, re.S).group(0)
    assert ">二支部</option>" in form and ">一支部</option>" not in form
    token = page_csrf(client, url)
    no_reason = client.post(url + "/transfer", headers=HX, data={
        "csrf_token": token, "branch_id": str(org.other_branch),
        "effective_date": "2025-03-20"})
    assert _refused(no_reason) and "必填" in _text(no_reason)
    done = client.post(url + "/transfer", data={
        "csrf_token": token, "branch_id": str(org.other_branch),
        "effective_date": "2025-03-20", "reason": "工作调动"})
    assert done.status_code == 303
    assert "二支部" in _text(client.get(url)) and "转接党支部（工作调动）" in _text(client.get(url))
    sign_in(client, rt, org, "branch")
    assert client.get(url).status_code == 404
    sign_in(client, rt, org, "other_branch")
    assert client.get(url).status_code == 200


def test_the_header_date_and_todays_steps_read_one_clock(client, rt, org, clock):
    """发展名册's date and its 今日可办 come from the service's clock in its timezone: at
    23:30 in Beijing the close of a publicity due tomorrow is not yet 今日可办; at 00:30 it
    is, and the heading says the new day, while UTC is still on the day before both times."""
    d = walk(client, rt, org, clock, applied_on=date(2023, 3, 1), target="publicity",
             today=date(2026, 11, 30))
    log = client.get(f"/api/v1/applicants/{d['id']}/log", headers=org.headers("committee")).json
    started = date.fromisoformat(next(e["effective_date"] for e in log["entries"]
                                      if e["action"] == "start_publicity"))
    clock.set_today(started)
    close = next(n for n in client.get(f"/api/v1/applicants/{d['id']}",
                                       headers=org.headers("committee")).json["next"]
                 if n["trigger"] == "close_publicity")
    due = date.fromisoformat(max(r["earliest_date"] for r in close["reasons"]))
    eve = due - DAY
    for moment, shown, allowed in ((time(15, 30), eve, False), (time(16, 30), due, True)):
        clock.moment = datetime.combine(eve, moment, tzinfo=UTC)
        sign_in(client, rt, org, "committee")
        page = _text(client.get("/dossiers?state=publicity"))
        assert f"<small>{chinese_date(shown)}</small>" in page
        assert ("今日可办" in page) is allowed, (moment, page)


def test_home_names_the_most_urgent_and_links_the_rest(client, rt, org, clock, monkeypatch):
    """A large committee has a thousand overdue items: the home page names the most urgent
    (SHOWN of each list) and links 议程 for all of them."""
    for applied in (date(2024, 3, 1), date(2024, 3, 8)):
        walk(client, rt, org, clock, applied_on=applied, target="activist",
             today=date(2025, 4, 10))
    clock.set_today(date(2026, 6, 1))  # both dossiers' evaluations are long overdue
    sign_in(client, rt, org, "branch")
    monkeypatch.setattr(home, "SHOWN", 1)
    page = _text(client.get("/"))
    overdue = page.split("<h2>已逾期")[1].split("</section>")[0]
    assert overdue.count('data-label="姓名"') == 1
    assert "以上是逾期最久的1项" in overdue and "/agenda?horizon=30" in overdue
    total = int(re.search(r"<small>(\d+) 项</small>", overdue).group(1))
    assert f"在议程中查看全部{total}项" in overdue and total >= 2
    monkeypatch.setattr(home, "SHOWN", 20)
    page = _text(client.get("/"))
    overdue = page.split("<h2>已逾期")[1].split("</section>")[0]
    assert overdue.count('data-label="姓名"') == total and "在议程中查看全部" not in overdue


def test_member_pickers_list_the_own_branch_in_full_and_cap_the_others(client, rt, org,
                                                                       monkeypatch):
    admin = org.headers("admin")
    for name in ("甲", "乙"):
        assert client.post("/api/v1/members", headers=admin, json={
            "name": f"二支部党员{name}", "branch_id": org.other_branch, "status": "full",
            "joined_on": "2010-07-01"}).status_code == 201
    created = create_applicant(client, org)
    sign_in(client, rt, org, "branch")

    def contact_options() -> tuple[list[str], str]:
        page = _text(client.get(f"/dossiers/{created['id']}"))
        form = page.split('id="form-record-contact"')[1].split("</label>", 2)[1]
        return re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', form), form

    shown, form = contact_options()
    # The dossier's own branch first, then the committee's other branches, each by name.
    assert [s.split("（")[0] for s in shown] == [
        "党员0", "党员1", "党员2", "党员3", "预备党员", "二支部党员乙", "二支部党员甲"]
    assert "只列出前" not in form
    monkeypatch.setattr(roster, "OTHERS_SHOWN", 1)
    monkeypatch.setattr("api.web.forms.OTHERS_SHOWN", 1)
    shown, form = contact_options()
    assert sum("一支部" in s for s in shown) == 5 and sum("二支部" in s for s in shown) == 1
    assert "本支部党员全部列出；本党委其他支部党员较多，只列出前1名" in form


def test_roster_rows_name_the_contacts_and_sponsors(client, rt, org, clock):
    """Each row names, from the registry, the members its records name (read for the whole
    page at once: Repository.dossiers)."""
    walk(client, rt, org, clock, applied_on=date(2023, 3, 1), target="training",
         today=date(2024, 6, 7))
    sign_in(client, rt, org, "branch")
    page = _text(client.get("/dossiers?state=training"))
    row = page.split('data-label="联系人/介绍人">')[1].split("</td>")[0]
    assert "培养联系人：党员0" in row
    assert "入党介绍人：党员1" in row and "入党介绍人：党员2" in row
