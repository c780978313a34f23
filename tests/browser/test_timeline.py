from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import log_in, screenshot

DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"


def test_timeline_renders_svg_switches_zones_and_shows_a_quote(
    live_server: Any, demo: dict[str, int], viewer: User, context: BrowserContext, page: Page
) -> None:
    log_in(context, live_server, viewer)
    page.goto(f"{live_server.url}/incidents/{DEMO_SLUG}/timeline/")
    expect(page.locator("#swimlanes svg")).to_be_visible()
    expect(page.locator("#cascade-graph svg")).to_be_visible()

    start = page.locator(".keytimes time.t").first
    expect(start).to_have_text("2025-10-20 06:48 UTC")
    page.get_by_label("Source zone (America/Los_Angeles)").check()
    expect(start).to_contain_text("2025-10-19 23:48")
    expect(page.locator("svg .tz").first).to_have_text("Times in America/Los_Angeles")
    page.get_by_label("T+ from start").check()
    expect(start).to_have_text("T+00:00")
    page.get_by_label("UTC", exact=True).check()
    expect(start).to_have_text("2025-10-20 06:48 UTC")

    recovery_row = page.locator("tr", has=page.locator('time[data-utc="2025-10-20T09:35:00Z"]'))
    event_id = recovery_row.get_attribute("data-event-id")
    marker = page.locator(f'#swimlanes .marker[data-event-id="{event_id}"]').first
    marker.click()
    detail = page.locator("#event-detail")
    expect(detail).to_contain_text("stellten die Dienste schließlich um 09:35 UTC wieder her")
    expect(detail.get_by_role("heading")).to_have_text(
        "Services restored (as the German article reports)"
    )
    assert screenshot(page, "timeline-demo").stat().st_size > 10_000


def test_choosing_a_graph_node_highlights_its_lane_and_lists_its_events(
    live_server: Any, demo: dict[str, int], viewer: User, context: BrowserContext, page: Page
) -> None:
    log_in(context, live_server, viewer)
    page.goto(f"{live_server.url}/incidents/{DEMO_SLUG}/timeline/")
    node = page.locator("#cascade-graph .node", has_text="Signal")
    service_id = node.get_attribute("data-service-id")

    node.click()

    lane = page.locator(f'#swimlanes .lane-bg[data-service-id="{service_id}"]')
    expect(lane).to_have_class(re.compile(r"\bchosen\b"))
    expect(node).to_have_class(re.compile(r"\bchosen\b"))
    detail = page.locator("#event-detail")
    expect(detail.get_by_role("heading")).to_have_text("Signal")
    expect(detail.locator(".service-events")).to_contain_text("Most customer apps back")
    # Keyboard users get the same by moving focus onto another node.
    other = page.locator("#cascade-graph .node", has_text="Venmo")
    other.focus()
    expect(detail.get_by_role("heading")).to_have_text("Venmo")
    expect(lane).not_to_have_class(re.compile(r"\bchosen\b"))
    # The graph keeps its size and scrolls inside its frame instead of shrinking.
    frame = page.locator("#cascade-graph")
    assert frame.evaluate("el => el.scrollWidth > el.clientWidth")
