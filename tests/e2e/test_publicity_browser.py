"""The publicity page in a real browser: Debian's Chromium driven by Playwright, against a
live server (gunicorn) with the demo loaded. Screenshots and the printed notice are saved as
test artifacts (RECRUITFLOW_TEST_ARTIFACTS, default tests/artifacts)."""

from __future__ import annotations

import http.client
import json
import re

import pytest

from tests.live import ARTIFACTS, live_demo, playwright
from workflow.usecases.demo import DEMO_CONTACT

playwright()


def _get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read()


@pytest.fixture
def demo_server(app, database_url, tmp_path):
    """A gunicorn server on the test database, with the demo loaded (`app` empties it after)."""
    with live_demo(database_url, tmp_path / "live") as (port, _):
        yield port


def test_the_publicity_page_in_a_browser(demo_server, browser, database_url):
    port, suffix = demo_server, database_url.split(":", 1)[0].split("+")[0]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    expected = json.loads(_get(port, "/api/v1/publicity")[1])["items"]
    assert expected, "the demo has publicities in progress"

    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    # A script the Content-Security-Policy refuses is a console error, as is any failure.
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"http://127.0.0.1:{port}/publicity")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("h1").inner_text() == "发展党员公示"
    notices = page.locator("article.notice")
    assert notices.count() == len(expected)
    shown = sorted(
        (notices.nth(i).locator("h3").inner_text().split("\n")[0].strip(),
         notices.nth(i).locator(".countdown").inner_text())
        for i in range(notices.count())
    )
    wanted = sorted(
        (item["name"] + ("接收预备党员公示" if item["kind"] == "admission" else "转正公示"),
         "公示期已满" if item["elapsed"] else f"剩余 {item['working_days_left']} 个工作日")
        for item in expected
    )
    assert shown == wanted
    text = page.locator("body").inner_text()
    assert all(v in text for v in DEMO_CONTACT.values())
    # Nothing but the public fields: no ID number, no phone number of an applicant.
    assert not re.search(r"\d{17}[\dX]", text) and not re.search(r"\b1[3-9]\d{9}\b", text)
    page.screenshot(path=ARTIFACTS / f"publicity-desktop-{suffix}.png", full_page=True)

    # The filter by committee keeps the notices of the chosen committee.
    committee = page.locator("#committee option").nth(1)
    page.select_option("#committee", committee.get_attribute("value"))
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(r"committee=\d+"))
    assert page.locator("article.notice").count() == len(expected)

    # The print view: the conventional notice, laid out for A4.
    page.get_by_role("link", name="打印公示（A4）").first.click()
    page.wait_for_url(re.compile(r"/publicity/print"))
    assert page.locator("h1").first.inner_text().startswith("关于")
    # 打印 opens the browser's print dialogue (counted here instead) from a static script.
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.get_by_role("button", name="打印").click()
    assert page.evaluate("window.printed") == 1
    assert errors == []
    page.pdf(path=ARTIFACTS / f"publicity-print-{suffix}.pdf", format="A4")

    # On a phone: readable without sideways scrolling.
    phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                             is_mobile=True, has_touch=True, locale="zh-CN")
    phone.goto(f"http://127.0.0.1:{port}/publicity")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert phone.locator("article.notice").count() == len(expected)
    # Each date on one line: "2026年12月" above "4日" is not a date one can read.
    broken = phone.evaluate("""[...document.querySelectorAll('time')]
        .filter(t => t.getClientRects().length !== 1).map(t => t.textContent)""")
    assert phone.locator("time").count() > 1 and broken == []
    phone.screenshot(path=ARTIFACTS / f"publicity-phone-{suffix}.png", full_page=True)
