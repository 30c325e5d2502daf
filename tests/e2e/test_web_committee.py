"""The committee's pages of the web interface: 组织员待办 (queues, 上一条/下一条) and
公示管理 — scoped like the API, refused to other roles."""

from __future__ import annotations

from datetime import date

from tests.helpers import dossier_in, record
from tests.integration.test_queue import just_arrived
from tests.web import csrf_of, sign_in

TODAY = date(2025, 6, 2)


def signed_in(app, rt, org, who: str):
    client = app.test_client()
    assert sign_in(client, rt, org, who).status_code == 302
    return client


def text(response) -> str:
    return response.get_data(as_text=True)


def test_the_queues_page(app, client, rt, org, clock):
    clock.set_today(TODAY)
    first = dossier_in(client, rt, org, "training", name="王<script>一")
    second = dossier_in(client, rt, org, "training", name="赵二")
    approval = just_arrived(client, rt, org, "approval")
    committee = signed_in(app, rt, org, "committee")

    page = committee.get("/queues")
    assert page.status_code == 200
    html = text(page)
    # The first queue with work in it is open; every tab says how many wait.
    assert "报上级党委备案" in html and "组织员待办" in html
    assert "王&lt;script&gt;一" in html and "<script>一" not in html
    assert f"/dossiers/{first['id']}?queue=complete_training" in html
    html = text(committee.get("/queues?tab=approve"))
    assert "（审批）期间党委委员或组织员的谈话记录" in html and "0/1" in html
    assert f"/dossiers/{approval['id']}?queue=approve" in html
    assert "2025年" in html

    # 上一条/下一条: to the neighbour's page within the queue, back to the queue at the end.
    step = committee.get(f"/queues/complete_training/next/{first['id']}")
    assert step.status_code == 302
    assert step.headers["Location"].endswith(
        f"/dossiers/{second['id']}?queue=complete_training")
    end = committee.get(f"/queues/complete_training/next/{second['id']}")
    assert "/queues?tab=complete_training&end=next" in end.headers["Location"]
    assert committee.get(f"/queues/no_such_queue/next/{first['id']}").status_code == 404

    # The dossier page opened from the queue: back to it, and its neighbours in it, kept
    # through the page's forms.
    html = text(committee.get(f"/dossiers/{second['id']}?queue=complete_training"))
    assert "返回待办" in html and "/queues?tab=complete_training" in html
    assert f"/queues/complete_training/previous/{second['id']}" in html
    assert f"/dossiers/{second['id']}/" in html and "queue=complete_training" in html.split(
        f"/dossiers/{second['id']}/", 1)[1].split('"', 1)[0]
    # Filed from the filing queue: back on the dossier's page, still in its queue.
    activist = just_arrived(client, rt, org, "activist")
    url = f"/dossiers/{activist['id']}"
    token = csrf_of(text(committee.get(url + "?queue=filing")))
    filed = committee.post(url + "/records?queue=filing", data={
        "name": "filing", "date": TODAY.isoformat(), "stage": "activist", "csrf_token": token})
    assert filed.status_code == 303 and filed.headers["Location"].endswith(
        url + "?queue=filing")
    following = committee.get(f"/queues/filing/next/{activist['id']}")
    assert following.headers["Location"].endswith("/queues?tab=filing&end=next")
    # Opened from the roster, the roster's pager, and no queue for a branch.
    assert "返回待办" not in text(committee.get(f"/dossiers/{second['id']}"))
    branch = signed_in(app, rt, org, "branch")
    assert "返回待办" not in text(branch.get(f"/dossiers/{second['id']}?queue=approve"))


def test_the_committee_pages_are_refused_to_others(app, rt, org):
    for who in ("branch", "auditor"):
        client = signed_in(app, rt, org, who)
        for path in ("/queues", "/publicity-desk", "/queues/approve/next/1"):
            assert client.get(path).status_code == 403, (who, path)
    # Signed out: to the sign-in page.
    assert app.test_client().get("/queues").status_code == 302


def test_the_publicity_desk_page(app, client, rt, org, clock):
    clock.set_today(TODAY)
    running = dossier_in(client, rt, org, "publicity", finished_by=TODAY, name="钱三")
    dossier_in(client, rt, org, "publicity", finished_by=date(2025, 5, 1), name="孙四")
    assert record(client, org, running["id"], "objection", TODAY, "branch",
                  summary="反映<b>问题</b>").status_code == 201
    committee = signed_in(app, rt, org, "committee")
    html = text(committee.get("/publicity-desk"))
    assert "公示中" in html and "钱三" in html and "孙四" in html
    assert "反映&lt;b&gt;问题&lt;/b&gt;" in html and "待核查" in html
    assert "2025年6月2日" in html
    assert "尚未设置受理公示期间反映问题的联系方式" in html
    assert f"/publicity/print?committee={org.committee}" in html
    assert f"/dossiers/{running['id']}?queue=close_publicity" in html

    far = signed_in(app, rt, org, "far_committee")
    html = text(far.get("/publicity-desk"))
    assert "钱三" not in html and "孙四" not in html
