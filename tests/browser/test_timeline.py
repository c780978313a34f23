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
    page.goto(f"{live_server.url}/incidents/{DEMO_SLUG}/timeline/?view=whole")
    expect(page.locator("#swimlanes svg")).to_be_visible()
    expect(page.locator("#cascade-graph svg")).to_be_visible()

    start = page.locator(".keytimes time.t").first
    expect(start).to_have_text("2025-10-20 06:48 UTC")
    page.get_by_label("Source zone (America/Los_Angeles)").check()
    expect(start).to_contain_text("2025-10-19 23:48")
    expect(page.locator("svg .tz").first).to_have_text("Times in America/Los_Angeles")
    # A bar's tooltip keeps its words around the time in every mode.
    tooltip = page.locator("#swimlanes .bar title").first
    assert re.fullmatch(r".+: (outage|degraded) from \d\d:\d\d PDT.*", tooltip.text_content() or "")
    page.get_by_label("T+ from start").check()
    expect(start).to_have_text("T+00:00")
    assert re.fullmatch(
        r".+: (outage|degraded) from T[+-]\d\d:\d\d.*", tooltip.text_content() or ""
    )
    assert " UTC" not in (tooltip.text_content() or "")
    page.get_by_label("UTC", exact=True).check()
    expect(start).to_have_text("2025-10-20 06:48 UTC")
    assert re.fullmatch(r".+: (outage|degraded) from \d\d:\d\d UTC.*", tooltip.text_content() or "")

    # Eight minutes around the restoration: markers apart, or one group per minute.
    page.goto(
        f"{live_server.url}/incidents/{DEMO_SLUG}/timeline/"
        "?from=2025-10-20T09:31:00Z&to=2025-10-20T09:39:00Z"
    )
    recovery_row = page.locator("tr", has=page.locator('time[data-utc="2025-10-20T09:35:00Z"]'))
    event_id = recovery_row.get_attribute("data-event-id")
    marker = page.locator(
        f'#swimlanes .marker[data-event-id="{event_id}"], '
        f'#swimlanes .marker-group[data-event-ids~="{event_id}"]'
    ).first
    marker.click()
    if "marker-group" in (marker.get_attribute("class") or ""):
        # Several sources reported that minute: the group lists them.
        page.locator(f'#event-detail .select-event[data-event-id="{event_id}"]').click()
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


def test_the_timeline_opens_on_the_cascade_spread_and_zooms_by_dragging(
    live_server: Any, demo: dict[str, int], viewer: User, context: BrowserContext, page: Page
) -> None:
    log_in(context, live_server, viewer)
    page.goto(f"{live_server.url}/incidents/{DEMO_SLUG}/timeline/")
    svg = page.locator("#swimlanes svg")
    expect(svg).to_be_visible()

    shown = svg.evaluate(
        """el => {
          const start = Date.parse(el.dataset.viewStart), end = Date.parse(el.dataset.viewEnd);
          const spread = Date.parse("2025-10-20T07:15:00Z") - Date.parse("2025-10-20T06:48:00Z");
          const box = el.getBoundingClientRect();
          const scale = box.width / el.viewBox.baseVal.width;
          const axis = (Number(el.dataset.plotRight) - Number(el.dataset.plotLeft)) * scale;
          return {share: spread / (end - start), axis, spreadPx: axis * spread / (end - start)};
        }"""
    )
    assert shown["share"] >= 1 / 3
    assert shown["spreadPx"] >= shown["axis"] / 3
    expect(page.locator(".zoom [aria-current]")).to_have_text("Cascade spread")
    screenshot(page, "timeline-demo-1400")

    page.locator(".zoom a", has_text="Whole incident").click()
    expect(page.locator(".zoom [aria-current]")).to_have_text("Whole incident")
    whole = page.locator("#swimlanes svg").evaluate(
        "el => Date.parse(el.dataset.viewEnd) - Date.parse(el.dataset.viewStart)"
    )
    assert whole > 10 * 3600 * 1000

    box = page.locator("#swimlanes svg").bounding_box()
    assert box is not None
    y = box["y"] + box["height"] * 0.2
    page.mouse.move(box["x"] + box["width"] * 0.4, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, y, steps=5)
    page.mouse.up()
    page.wait_for_url("**from=*")
    expect(page.locator(".zoom [aria-current]")).to_have_text("Dragged window")
    dragged = page.locator("#swimlanes svg").evaluate(
        "el => Date.parse(el.dataset.viewEnd) - Date.parse(el.dataset.viewStart)"
    )
    assert dragged < whole / 5


def test_a_grouped_service_chosen_in_the_graph_highlights_its_depth_lane(
    live_server: Any,
    demo: dict[str, int],
    viewer: User,
    context: BrowserContext,
    page: Page,
    monkeypatch: Any,
) -> None:
    from timelines import exports

    monkeypatch.setattr(exports, "PICTURE_LANES", 2)
    log_in(context, live_server, viewer)
    page.goto(f"{live_server.url}/incidents/{DEMO_SLUG}/timeline/")
    expect(page.locator(".lanes-note")).to_contain_text("grouped by cascade depth")
    summary = page.locator("#swimlanes .lane.summary").first
    grouped = (summary.get_attribute("data-service-ids") or "").split()
    assert grouped

    page.locator(f'#cascade-graph .node[data-service-id="{grouped[0]}"]').click()

    expect(summary).to_have_class(re.compile(r"\bchosen\b"))
    band = page.locator(f'#swimlanes .lane-bg[data-service-ids~="{grouped[0]}"]')
    expect(band).to_have_class(re.compile(r"\bchosen\b"))
    screenshot(page, "timeline-demo-grouped-1400")
    page.locator(".lanes-note a", has_text="Draw all").click()
    page.wait_for_url("**lanes=all*")
    expect(page.locator("#swimlanes .lane.summary")).to_have_count(0)
    expect(page.locator(f'#swimlanes .lane[data-service-id="{grouped[0]}"]')).to_have_count(1)
