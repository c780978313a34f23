from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, Page, expect

from postmortems.ingest.feeds.models import IncidentLink, LinkState
from postmortems.models import Incident
from tests.browser.conftest import log_in, screenshot

AWS_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"


def _no_page_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide"


def test_an_editor_accepts_a_proposed_link_and_both_incidents_show_it(
    live_server: Any, demo: dict[str, int], editor: User, context: BrowserContext, page: Page
) -> None:
    log_in(context, live_server, editor)
    signal = Incident.objects.get(provider="Signal Foundation")
    page.goto(f"{live_server.url}{signal.get_absolute_url()}")
    links = page.locator(".incident-link")
    expect(links.first).to_contain_text("Proposed")
    expect(page.locator(".pagehead")).to_contain_text("From a feed")
    screenshot(page, "feeds-incident-link-proposed")

    page.get_by_role("button", name="Accept: part of the cascade").click()
    expect(page.locator(".incident-link").first).to_contain_text("Accepted")
    assert IncidentLink.objects.get(downstream=signal).state == LinkState.ACCEPTED

    page.goto(f"{live_server.url}/incidents/{AWS_SLUG}/")
    expect(page.locator(".incident-link", has_text=signal.title)).to_contain_text("Accepted")
    assert screenshot(page, "feeds-aws-incident-links").stat().st_size > 10_000


def test_the_feeds_page_fits_a_phone_and_a_desktop(
    live_server: Any, demo: dict[str, int], admin_user: User, context: BrowserContext, page: Page
) -> None:
    log_in(context, live_server, admin_user)
    page.goto(f"{live_server.url}/feeds/")
    expect(page.locator(".feed")).to_have_count(3)
    expect(page.get_by_role("heading", name="Add a feed")).to_be_visible()
    _no_page_scroll(page)
    screenshot(page, "feeds-page-1400")
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{live_server.url}/feeds/")
    screenshot(page, "feeds-page-390")
    _no_page_scroll(page)
    signal = Incident.objects.get(provider="Signal Foundation")
    page.goto(f"{live_server.url}{signal.get_absolute_url()}")
    screenshot(page, "feeds-incident-390")
    # The link section wraps within its column. (At 390 px the incident page is wider
    # than the screen because of its key-times cards, which are not part of this.)
    overflow = page.locator(".links").evaluate("list => list.scrollWidth - list.clientWidth")
    assert overflow <= 0
