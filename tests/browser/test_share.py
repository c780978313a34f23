from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import log_in, screenshot
from timelines.models import ShareLink

DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"
TITLE = "AWS us-east-1: DynamoDB DNS record emptied, cascading outage"


def test_editor_shares_a_link_a_stranger_opens_it_and_after_revoking_it_is_gone(
    live_server: Any,
    demo: dict[str, int],
    editor: User,
    browser: Browser,
    context: BrowserContext,
    page: Page,
) -> None:
    log_in(context, live_server, editor)
    page.goto(f"{live_server.url}/incidents/{DEMO_SLUG}/share/")
    page.get_by_label("Label").fill("customers")
    page.get_by_label("Timeline and the published postmortem").check()
    page.get_by_role("button", name="Create link").click()
    share_url = page.locator("#share-url")
    expect(page.locator(".share-created")).to_contain_text("shown only once")
    url = share_url.input_value()
    assert url.startswith(f"{live_server.url}/s/")
    expect(page.locator("table.share-links tbody tr")).to_have_count(1)
    expect(page.locator("table.share-links")).to_contain_text("customers")
    screenshot(page, "share-created")

    # A stranger: a fresh browser context, no session cookie.
    stranger = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        assert stranger.cookies() == []
        visit = stranger.new_page()
        visit.set_default_timeout(15_000)
        response = visit.goto(url)
        assert response is not None
        assert response.status == 200
        assert response.headers["x-robots-tag"] == "noindex, nofollow"
        expect(visit.locator("h1")).to_have_text(TITLE)
        expect(visit.locator("#share-swimlanes svg.cz-timeline")).to_be_visible()
        expect(visit.locator("#share-cascade svg.cz-cascade")).to_be_visible()
        expect(visit.get_by_role("link", name="Log out")).to_have_count(0)
        assert screenshot(visit, "share-stakeholder-view").stat().st_size > 10_000

        # The editor revokes it in one click (and confirms the dialog).
        page.reload()
        row = page.locator("table.share-links tbody tr").first
        expect(row.locator(".share-views")).to_have_text("1")
        page.once("dialog", lambda dialog: dialog.accept())
        row.get_by_role("button", name="Revoke").click()
        expect(page.locator("table.share-links tbody tr").first).to_contain_text("revoked")
        assert ShareLink.objects.get().revoked_at is not None

        gone = visit.reload()
        assert gone is not None
        assert gone.status == 410
        html = visit.content()
        expect(visit.locator("h1")).to_have_text("No longer available")
        for leak in (TITLE, "DynamoDB", "<svg", DEMO_SLUG, "og:title"):
            assert leak not in html, leak
        screenshot(visit, "share-revoked")
    finally:
        stranger.close()
