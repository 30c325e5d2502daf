"""议程 in the web interface: the agenda with its filters, and the calendar feed issued (shown
once) and revoked from the page."""

from __future__ import annotations

import re
from datetime import date

from tests.e2e.test_web_committee import signed_in, text
from tests.helpers import create_applicant
from tests.web import csrf_of

TODAY = date(2025, 6, 2)


def test_the_agenda_page_and_its_filters(app, client, rt, org, clock):
    clock.set_today(TODAY)
    # Applied a month ago without a talk: the talk is due now, overdue tomorrow.
    create_applicant(client, org, applied_on=date(2025, 5, 5), name="周五")
    create_applicant(client, org, applied_on=date(2025, 3, 1), name="吴六")
    create_applicant(client, org, applied_on=date(2025, 5, 30), name="郑七",
                     branch_id=org.other_branch, who="other_branch")
    committee = signed_in(app, rt, org, "committee")
    html = text(committee.get("/agenda"))
    assert "周五" in html and "吴六" in html and "郑七" in html
    assert "2025年6月5日" in html and "逾期" in html
    html = text(committee.get(f"/agenda?organization_id={org.other_branch}&horizon=all"))
    assert "郑七" in html and "周五" not in html
    # Within 7 days: the overdue always, the talk due on 2025-06-30 not.
    html = text(committee.get("/agenda?horizon=7"))
    assert "吴六" in html and "周五" in html and "郑七" not in html
    bad = committee.get("/agenda?horizon=-3&organization_id=x")
    assert bad.status_code == 200 and "筛选条件无效" in text(bad)
    # Another committee's branch is no filter of this user's.
    far = committee.get(f"/agenda?organization_id={org.other_committee_branch}")
    assert "筛选条件无效" in text(far) and "周五" in text(far)

    branch = signed_in(app, rt, org, "branch")
    html = text(branch.get("/agenda?horizon=all"))
    assert "周五" in html and "郑七" not in html


def test_the_calendar_feed_from_the_page(app, rt, org, clock):
    clock.set_today(TODAY)
    branch = signed_in(app, rt, org, "branch")
    token = csrf_of(text(branch.get("/agenda")))
    assert branch.post("/agenda/feed").status_code == 400  # no CSRF token
    issued = branch.post("/agenda/feed", data={"csrf_token": token},
                         headers={"HX-Request": "true"})
    assert issued.status_code == 200
    url = re.search(r'id="feed-url">([^<]+)<', text(issued)).group(1)
    assert "只显示这一次" in text(issued) and "<html" not in text(issued)
    path = url.split("localhost", 1)[1]
    assert app.test_client().get(path).status_code == 200
    # Not shown again on the page.
    assert url not in text(branch.get("/agenda"))
    revoked = branch.post("/agenda/feed/revoke", data={"csrf_token": token})
    assert revoked.status_code == 200 and "已停用" in text(revoked)
    assert app.test_client().get(path).status_code == 404
    again = branch.post("/agenda/feed/revoke", data={"csrf_token": token})
    assert again.status_code == 404


def test_the_agenda_is_not_the_admins(app, rt, org):
    admin = signed_in(app, rt, org, "admin")
    assert admin.get("/agenda").status_code == 403
