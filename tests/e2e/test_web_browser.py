"""The staff's interface in a real browser (Debian's Chromium driven by Playwright) against a
live server with the demo loaded: a new applicant taken from creation to full member by
clicking, signed in as the branch secretary and the committee's organiser in turn; the pages
at desktop and phone width, without console errors or sideways scrolling on the phone.
Screenshots are saved under RECRUITFLOW_TEST_ARTIFACTS (default tests/artifacts)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from api.zh import chinese_date
from tests.live import ARTIFACTS, live_demo, playwright
from workflow.domain.roles import Role
from workflow.usecases.demo import Act, applied_on_for, plan

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
DAY = timedelta(days=1)

sync_api = playwright()


@pytest.fixture
def demo(app, database_url, tmp_path):
    """A live server on the test database with the demo loaded; yields its base URL and the
    demo's logins by role (`app` empties the database afterwards)."""
    with live_demo(database_url, tmp_path / "live") as (port, logins):
        yield f"http://127.0.0.1:{port}", logins


class Staff:
    """One user's browser tab, signed in through the form, collecting console errors."""

    def __init__(self, browser, base: str, login: tuple[str, str], viewport: dict,
                 errors: list[str]) -> None:
        options = {"viewport": viewport, "locale": "zh-CN"}
        if viewport is PHONE:
            options.update(device_scale_factor=2, is_mobile=True, has_touch=True)
        self.page = browser.new_page(**options)
        self.base = base
        self.page.on("console", lambda m: errors.append(f"{m.type}: {m.text}")
                     if m.type == "error" else None)
        self.page.on("pageerror", lambda e: errors.append(str(e)))
        self.page.goto(base + "/")
        assert "/login" in self.page.url
        self.page.fill("input[name=login]", login[0])
        self.page.fill("input[name=password]", login[1])
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="登录").click()
        assert self.page.url == base + "/"

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)

    def no_sideways_scroll(self) -> bool:
        return self.page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth")

    def shot(self, name: str) -> None:
        self.page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def _fill(form, values: dict) -> None:
    for name, value in values.items():
        field = form.locator(f"[name={name}]")
        tag = field.evaluate("e => e.tagName + ':' + (e.type || '')")
        if tag.startswith("SELECT"):
            field.select_option(str(value))
        elif tag.endswith("checkbox"):
            field.set_checked(bool(value))
        else:
            field.fill(str(value))


def _open(page, form) -> None:
    if form.count() == 0:
        page.screenshot(path=ARTIFACTS / "web-missing-form.png", full_page=True)
        pytest.fail(f"no {form} on {page.url}")
    if not form.is_visible():
        form.locator("xpath=ancestor::details[1]/summary").click()


def _submit(page, form, *, succeeds: bool = True) -> None:
    button = form.locator("button[type=submit]")
    if not succeeds:
        button.click()
        return
    try:
        with page.expect_navigation(timeout=10_000):
            button.click()
    except sync_api.TimeoutError:
        pytest.fail("refused: " + page.locator("[role=alert]").all_inner_texts().__str__())


def act(staff: Staff, dossier_url: str, step, *, day: date | None = None,
        succeeds: bool = True):
    """Do one act of the walk on the dossier's page: open its form, fill it, submit."""
    page = staff.page
    staff.go(dossier_url)  # as the other user may have changed it meanwhile
    kind, name = ("record", step.record) if step.record else ("fire", step.trigger)
    form = page.locator(f"#form-{kind}-{name}")
    _open(page, form)
    date_name = "date" if step.record else "effective_date"
    _fill(form, {date_name: (day or step.on).isoformat(), **step.data})
    _submit(page, form, succeeds=succeeds)
    if succeeds:
        notice = page.locator("p.notice").first.inner_text()
        assert notice.startswith("已登记" if step.record else "已办理"), notice
    return page.locator(f"#form-{kind}-{name}")


def test_a_new_applicant_becomes_a_full_member_by_clicking(demo, browser, app,
                                                          database_url):
    base, logins = demo
    suffix = database_url.split(":", 1)[0].split("+")[0]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    env = app.extensions["recruitflow"].env
    today = env.today()
    rulebook = env.rulebook_on(today)
    applied = applied_on_for(target="full_member", finished_by=today - DAY, rulebook=rulebook,
                             calendar=env.calendar)
    errors: list[str] = []
    branch = Staff(browser, base, logins["branch1"], DESKTOP, errors)
    committee = Staff(browser, base, logins["committee"], DESKTOP, errors)
    branch.shot(f"web-home-desktop-{suffix}")

    # Creation, through the navigation and the generated profile form.
    page = branch.page
    page.get_by_role("link", name="发展名册").click()
    page.get_by_role("link", name="新建档案").click()
    form = page.locator("#form-create")
    _fill(form, {"name": "韩梅梅", "gender": "female", "birth_date": "1995-05-04",
                 "applied_on": applied.isoformat(), "ethnicity": "汉族", "education": "本科",
                 "id_number": "11010119950504002X"})
    _submit(page, form)
    dossier_url = re.sub(r"^https?://[^/]+", "", page.url).split("?")[0]
    assert re.fullmatch(r"/dossiers/\d+", dossier_url)
    assert page.locator("h1").inner_text().startswith("韩梅梅")

    # Contacts and sponsors are picked by name from the branch's registry.
    options = page.locator("#form-record-contact select[name=member_id] option",
                           has_text="正式党员")
    members = [options.nth(i).get_attribute("value") for i in range(3)]
    acts = plan(applied_on=applied, target="full_member", rulebook=rulebook,
                calendar=env.calendar, contacts=members[:1], sponsors=members[1:])
    # A record entered by mistake is voided, with its reason; it stays, struck through.
    act(branch, dossier_url, Act(applied + DAY, Role.BRANCH, record="talk",
                                 data={"by": "误录的谈话人"}))
    row = page.locator("table.records tr", has_text="误录的谈话人")
    row.locator("summary", has_text="作废").click()
    row.locator("textarea[name=reason]").fill("谈话人登记错误")
    _submit(page, row.locator("form"))
    row = page.locator("table.records tr", has_text="误录的谈话人")
    assert row.get_attribute("class") == "voided" and "已作废" in row.inner_text()
    assert "作废记录（谈话人登记错误）" in page.locator("#log").inner_text()

    staff = {Role.BRANCH: branch, Role.COMMITTEE: committee}
    for step in acts:
        who = staff[step.by]
        if step.trigger == "designate_candidate":
            _batch_a_day_early_then_on_the_day(branch, step.on, suffix)
            continue
        if step.trigger == "close_publicity":
            # A day early: refused in place, with the rule's reason and the day it clears.
            refused = act(who, dossier_url, step, day=step.on - DAY, succeeds=False)
            alert = refused.locator("[role=alert]")
            alert.wait_for()
            assert "公示" in alert.inner_text()
            assert f"{chinese_date(step.on)}起可办理" in alert.inner_text()
            who.shot(f"web-dossier-refused-{suffix}")
        act(who, dossier_url, step)
    page = committee.page
    assert "正式党员" in page.locator("h1 small").inner_text()
    bar = page.locator(".stepbar li.current").inner_text()
    assert "正式党员" in bar and chinese_date(acts[-1].on) in bar
    committee.shot(f"web-dossier-desktop-{suffix}")

    # The pages at phone width: readable without sideways scrolling.
    phone = Staff(browser, base, logins["branch1"], PHONE, errors)
    for name, path in [("home", "/"), ("roster", "/dossiers?state=activist"),
                       ("dossier", dossier_url)]:
        phone.go(path)
        assert phone.no_sideways_scroll(), path
        phone.shot(f"web-{name}-phone-{suffix}")
    branch.go("/dossiers?state=activist")
    branch.shot(f"web-roster-desktop-{suffix}")
    assert errors == []


def _batch_a_day_early_then_on_the_day(branch: Staff, ready: date, suffix: str) -> None:
    """designate_candidate as a batch on the activists' tab: a day early the row says which
    rule failed; on the day it is applied."""
    page = branch.page
    branch.go("/dossiers?state=activist")
    for day, expected in ((ready - DAY, "未办理"), (ready, "已办理")):
        page.get_by_label("选择韩梅梅").check()
        with page.expect_response(lambda r: "/dossiers/batch/fields" in r.url):
            page.locator("#batch select[name=trigger]").select_option("designate_candidate")
        page.locator("#batch-fields input[name=effective_date]").fill(day.isoformat())
        page.get_by_role("button", name="批量办理").click()
        row = page.locator("#batch-result tr", has_text="韩梅梅")
        row.wait_for()
        assert expected in row.inner_text()
        if day < ready:
            assert "培养教育考察期满" in row.inner_text()
            branch.shot(f"web-batch-desktop-{suffix}")
            branch.go("/dossiers?state=activist")
