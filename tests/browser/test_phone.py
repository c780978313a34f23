"""Every page fits a 390 px phone without sideways scrolling of the page itself.

Wide things (the cascade graph, a long table) may scroll inside their own frame; the
page may not. Screenshots of the timeline and the dashboard at both widths are saved
for a person to judge.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page

from postmortems.models import Incident
from tests.browser.conftest import log_in, screenshot
from timelines import services

DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Browser) -> Any:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    yield context
    context.close()


def _page_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def _widest(page: Page) -> str:
    """Name the elements that stick out of the viewport, for a useful failure."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
          .filter(el => (el.getBoundingClientRect().right > 391 || el.scrollWidth > el.clientWidth + 1)
            && !(el.parentElement.closest('.svgwrap, nav, .scrollx')))
          .slice(-6)
          .map(el => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right))
          .join(' | ')"""
    )


def test_every_page_fits_a_390_px_phone(
    live_server: Any, demo: dict[str, int], editor: User, phone: Any
) -> None:
    incident = Incident.objects.get(slug=DEMO_SLUG)
    token = services.share_link_create(incident=incident, created_by=editor).token
    log_in(phone, live_server, editor)
    page = phone.new_page()
    page.set_default_timeout(15_000)
    for path in (
        "/",
        f"/incidents/{DEMO_SLUG}/",
        f"/incidents/{DEMO_SLUG}/timeline/",
        f"/incidents/{DEMO_SLUG}/postmortem/",
        f"/s/{token}/",
        "/dashboard/",
    ):
        page.goto(f"{live_server.url}{path}")
        if _page_width(page) > 390:
            screenshot(page, "phone-failure")
        assert _page_width(page) <= 390, f"{path}: {_page_width(page)} px; {_widest(page)}"
        # The main menu wraps: no link hides past the right edge ("Impor" cut off).
        hidden = page.evaluate(
            "() => [...document.querySelectorAll('.mainnav a')]"
            ".filter(a => a.getBoundingClientRect().right > 390).map(a => a.textContent)"
        )
        assert hidden == [], f"{path}: {hidden}"
    page.goto(f"{live_server.url}/incidents/{DEMO_SLUG}/timeline/")
    screenshot(page, "timeline-demo-390")
    page.goto(f"{live_server.url}/dashboard/")
    screenshot(page, "dashboard-390")


def test_dashboard_and_timeline_screenshots_at_1400_px(
    live_server: Any, demo: dict[str, int], viewer: User, context: Any, page: Page
) -> None:
    log_in(context, live_server, viewer)
    page.goto(f"{live_server.url}/dashboard/")
    chart = page.locator("#chart-severity-title").locator("xpath=..")
    box = chart.bounding_box()
    card = page.locator(".chartcard").first.bounding_box()
    assert box is not None
    assert card is not None
    # The chart fills its card rather than a corner of it.
    assert box["width"] >= card["width"] * 0.8
    screenshot(page, "dashboard-1400")


# Every chart card at this width: which drawings show, how wide each is against its card
# and frame, and the smallest text of the shown drawing as it lands on screen.
_CHART_GEOMETRY = """() => [...document.querySelectorAll('.chartcard')].map(card => {
  const frame = card.querySelector('.svgwrap');
  const shown = [...card.querySelectorAll('svg.chart')].filter(svg => svg.getClientRects().length);
  const svg = shown[0];
  const box = svg.getBoundingClientRect();
  const scale = svg.getScreenCTM().a;
  const texts = [...svg.querySelectorAll('text')].map(text => {
    const r = text.getBoundingClientRect();
    return {size: parseFloat(getComputedStyle(text).fontSize) * scale, left: r.left, right: r.right, text: text.textContent};
  });
  return {
    heading: card.querySelector('h2').textContent,
    shown: shown.map(s => s.getAttribute('class')),
    width: box.width, left: box.left, right: box.right,
    cardLeft: card.getBoundingClientRect().left, cardRight: card.getBoundingClientRect().right,
    frameScroll: frame.scrollWidth, frameClient: frame.clientWidth,
    smallest: Math.min(...texts.map(t => t.size)),
    outside: texts.filter(t => t.left < box.left - 1 || t.right > box.right + 1).map(t => t.text),
  };
})"""


def test_dashboard_charts_are_redrawn_to_fit_a_390_px_phone(
    live_server: Any, demo: dict[str, int], viewer: User, phone: Any, context: Any
) -> None:
    log_in(phone, live_server, viewer)
    page = phone.new_page()
    page.goto(f"{live_server.url}/dashboard/")
    charts = page.evaluate(_CHART_GEOMETRY)

    assert len(charts) == 4
    for chart in charts:
        assert chart["shown"] == ["chart chart-narrow"], chart
        # The drawing fits its card and its frame: nothing scrolls or is cut off inside.
        assert chart["cardLeft"] - 0.5 <= chart["left"], chart
        assert chart["right"] <= chart["cardRight"] + 0.5, chart
        assert chart["frameScroll"] <= chart["frameClient"], chart
        assert chart["width"] >= 300, chart  # and fills it, rather than a corner
        assert chart["smallest"] >= 9, chart
        assert not chart["outside"], chart
    screenshot(page, "dashboard-390")

    log_in(context, live_server, viewer)
    desktop = context.new_page()
    desktop.goto(f"{live_server.url}/dashboard/")
    for chart in desktop.evaluate(_CHART_GEOMETRY):
        assert chart["shown"] == ["chart chart-wide"], chart
        assert chart["frameScroll"] <= chart["frameClient"], chart
        assert chart["smallest"] >= 9, chart
        assert not chart["outside"], chart
    screenshot(desktop, "dashboard-1400")


# Each label of the cascade graph and the swimlanes against the room it has: a node's name
# against its box, a lane's name against the lane gutter (the first bar's left edge).
_LABELS_OUTSIDE = """() => {
  const outside = [];
  for (const node of document.querySelectorAll('#cascade-graph .node')) {
    const box = node.querySelector('rect').getBoundingClientRect();
    const name = node.querySelector('.node-name').getBoundingClientRect();
    if (name.left < box.left - 0.5 || name.right > box.right + 0.5) {
      outside.push(node.querySelector('.node-name').textContent);
    }
  }
  for (const label of document.querySelectorAll('.lane-name')) {
    const svg = label.ownerSVGElement.getBoundingClientRect();
    if (label.getBoundingClientRect().left < svg.left - 0.5) outside.push(label.textContent);
  }
  return {outside, nodes: document.querySelectorAll('#cascade-graph .node').length};
}"""


def test_graph_node_names_stay_inside_their_boxes_at_both_widths(
    live_server: Any, demo: dict[str, int], viewer: User, phone: Any, context: Any
) -> None:
    # "DynamoDB DNS automation" in bold capitals ran past its box when names were cut by
    # an average letter width alone.
    for browser_context, width in ((phone, 390), (context, 1400)):
        log_in(browser_context, live_server, viewer)
        page = browser_context.new_page()
        page.goto(f"{live_server.url}/incidents/{DEMO_SLUG}/timeline/")
        found = page.evaluate(_LABELS_OUTSIDE)
        assert found["nodes"] >= 10
        assert found["outside"] == [], (width, found)
        screenshot(page, f"timeline-graph-{width}")
