"""A long import review in pages: move between pages, act with htmx, fit a phone."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, Page, expect

from postmortems.models import Event, ReviewState
from postmortems.views.imports import REVIEW_PAGE_SIZE
from tests.browser.conftest import log_in, screenshot
from tests.postmortems.test_review_pages import _incident_with_proposals


def test_a_long_review_pages_through_acts_in_place_and_fits_a_phone(
    live_server: Any, context: BrowserContext, page: Page, editor: User
) -> None:
    events = _incident_with_proposals("long-review", 2 * REVIEW_PAGE_SIZE + 5, accepted=20)
    log_in(context, live_server, editor)
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{live_server.url}/incidents/long-review/review/")

    pager = page.get_by_role("navigation", name="Pages of proposals", exact=True)
    expect(pager).to_contain_text(f"Moments 1–{REVIEW_PAGE_SIZE} of {2 * REVIEW_PAGE_SIZE + 5}")
    pager.get_by_role("link", name="2", exact=True).click()
    expect(page).to_have_url(re.compile(r"page=2$"))
    expect(page.locator(".proposal")).to_have_count(REVIEW_PAGE_SIZE)
    screenshot(page, "import-review-pages-1400")

    # Accepting with htmx swaps the review in place and stays on page 2.
    target = events[REVIEW_PAGE_SIZE]
    page.locator(f"#proposal-{target.pk}").get_by_role("button", name="Accept").click()
    expect(page.locator(f"#proposal-{target.pk}")).to_have_count(0)
    expect(pager).to_contain_text("page 2 of 3")
    assert Event.objects.get(pk=target.pk).review_state == ReviewState.ACCEPTED

    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "import-review-pages-390")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
