"""Swagger UI at /api/docs in a real browser (Debian's Chromium driven by Playwright), served
by a live server from its committed copy: "Authorize" takes a token and "Try it out" sends it."""

from __future__ import annotations

import subprocess
import sys

from tests.live import ARTIFACTS, live_server, playwright, server_env

playwright()


def test_try_it_out_sends_the_token(app, database_url, tmp_path, browser):
    instance = tmp_path / "live"
    created = subprocess.run([sys.executable, "-m", "api.cli", "create-admin", "文档管理员"],
                             env=server_env(database_url, instance), capture_output=True,
                             text=True, timeout=120)
    assert created.returncode == 0, created.stderr[-2000:]
    token = created.stdout.strip().splitlines()[-1]
    with live_server(database_url, instance, workers=1, threads=2) as port:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        outside: list[str] = []
        page.on("request", lambda r: None if r.url.startswith(f"http://127.0.0.1:{port}/")
                else outside.append(r.url))
        # Its set-up is a static file: an inline one would be refused (a console error).
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"http://127.0.0.1:{port}/api/docs")
        page.get_by_role("button", name="Authorize").first.click()
        page.locator(".modal-ux input[type=text], .modal-ux input[type=password]").first \
            .fill(token)
        page.locator(".modal-ux button.modal-btn.authorize").click()
        page.locator(".modal-ux button.modal-btn.btn-done").click()

        operation = page.locator(".opblock-get", has=page.locator(
            "[data-path='/api/v1/me']"))
        operation.locator(".opblock-summary").first.click()
        operation.get_by_role("button", name="Try it out").click()
        with page.expect_request(lambda r: r.url.endswith("/api/v1/me")) as sent:
            operation.get_by_role("button", name="Execute").click()
        assert sent.value.headers.get("authorization") == f"Bearer {token}"
        body = operation.locator(".responses-wrapper .live-responses-table .microlight").first
        body.wait_for()
        assert "文档管理员" in body.inner_text()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "swagger-ui.png"))
        assert not outside, outside
        assert errors == [], errors
