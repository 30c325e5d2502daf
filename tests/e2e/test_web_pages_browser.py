"""The committee's, auditor's and admin's pages in a real browser (Debian's Chromium driven by
Playwright) against one live server with the demo loaded: every page at desktop and phone
width without console errors or sideways scrolling on the phone, the charts drawn, the
calendar feed issued and the log verified through htmx. Screenshots are saved under
RECRUITFLOW_TEST_ARTIFACTS (default tests/artifacts)."""

from __future__ import annotations

import re

import pytest

from tests.live import ARTIFACTS, live_demo, playwright

playwright()

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}
# Each role's pages, and the screenshot each is saved as.
PAGES = {
    "committee": [("/queues", "queues"), ("/queues?tab=approve", "queue-approve"),
                  ("/publicity-desk", "publicity-desk"), ("/agenda", "agenda"),
                  ("/stats?from=2000-01-01", "stats")],
    "auditor": [("/audit", "audit"), ("/audit/compliance", "compliance")],
    "admin": [("/admin", "admin-orgs"), ("/admin?tab=users", "admin-users"),
              ("/admin?tab=members", "admin-members"), ("/admin?tab=contacts", "admin-contacts"),
              ("/admin?tab=holidays", "admin-holidays")],
}


@pytest.fixture
def demo(app, database_url, tmp_path):
    """A live server on the test database with the demo loaded: its port and the logins."""
    with live_demo(database_url, tmp_path / "live", workers=1, threads=4) as found:
        yield found


def _signed_in(browser, port: int, credentials: tuple[str, str], **options):
    page = browser.new_page(locale="zh-CN", **options)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"{m.text} {m.location.get('url')}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"http://127.0.0.1:{port}/login")
    page.fill("input[name=login]", credentials[0])
    page.fill("input[name=password]", credentials[1])
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/$"))
    return page, errors


def test_the_pages_in_a_browser(demo, browser, database_url):
    port, logins = demo
    suffix = database_url.split(":", 1)[0].split("+")[0]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    base = f"http://127.0.0.1:{port}"
    for who, pages in PAGES.items():
        for width, options in (("desktop", DESKTOP), ("phone", PHONE)):
            page, errors = _signed_in(browser, port, logins[who], **options)
            for path, name in pages:
                response = page.goto(base + path)
                assert response.status == 200, (who, path)
                assert page.locator("html").get_attribute("lang") == "zh-CN"
                if width == "phone":
                    assert page.evaluate(
                        "document.documentElement.scrollWidth <= window.innerWidth"), \
                        (who, path, "scrolls sideways on a phone")
                if name == "stats":
                    page.wait_for_selector("#chart-states canvas")
                page.screenshot(path=ARTIFACTS / f"web-{name}-{width}-{suffix}.png",
                                full_page=True)
            assert errors == [], (who, width, errors)
            page.close()

    # The committee's queue opens the dossiers one after another.
    page, errors = _signed_in(browser, port, logins["committee"], **DESKTOP)
    page.goto(base + "/queues")
    tab = page.locator(".tabs a.on").inner_text()
    assert "/" in tab
    first = page.locator("table.list tbody tr td a").first
    href = first.get_attribute("href")
    assert re.search(r"/dossiers/\d+\?queue=\w+", href)

    # The calendar feed, issued through htmx: its URL shown on the page, once.
    page.goto(base + "/agenda")
    page.get_by_role("button", name="生成日历订阅地址").click()
    url = page.locator("#feed-url").inner_text()
    assert re.match(r"http://127\.0\.0\.1:\d+/calendar/\S+\.ics$", url)
    page.screenshot(path=ARTIFACTS / f"web-agenda-feed-desktop-{suffix}.png", full_page=True)
    assert errors == []

    # The auditor verifies the log through htmx.
    page, errors = _signed_in(browser, port, logins["auditor"], **DESKTOP)
    page.goto(base + "/audit")
    page.get_by_role("button", name="开始校验").click()
    page.wait_for_selector("#verify-result .notice")
    assert "校验通过" in page.locator("#verify-result").inner_text()
    assert errors == []
