"""A viewer creates a personal API token in the browser, copies it once, and revokes it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from playwright.sync_api import Browser, expect
from rest_framework.test import APIClient

from tests.browser.conftest import log_in, screenshot


def test_a_viewer_creates_copies_and_revokes_a_token(
    live_server: Any, browser: Browser, viewer: User
) -> None:
    for width in (1400, 390):
        context = browser.new_context(viewport={"width": width, "height": 900})
        log_in(context, live_server, viewer)
        page = context.new_page()
        page.goto(live_server.url + "/")
        page.get_by_role("link", name="API tokens").click()
        page.get_by_label("Name").fill(f"laptop {width}")
        page.get_by_label("Expires").select_option("30")
        page.get_by_role("button", name="Create token").click()
        secret = page.locator("#new-token").inner_text()
        assert secret.startswith("csc_")
        expect(page.locator("tbody")).to_contain_text(f"laptop {width}")
        screenshot(page, f"api-tokens-{width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
        assert client.get("/api/v1/incidents/").status_code == 200
        page.reload()
        expect(page.locator("#new-token")).to_have_count(0)
        page.get_by_role("button", name=f"Revoke laptop {width}").click()
        expect(page.locator(".messages")).to_contain_text("revoked")
        assert client.get("/api/v1/incidents/").status_code == 401
        context.close()
