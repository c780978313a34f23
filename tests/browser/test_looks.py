"""Every main page, as the demo editor sees it on the demo data, at 1400 px and at 390 px.

Each page is checked for what a person would notice first: its main heading shows, the
page does not scroll sideways, nothing sticks out of the viewport (wide pictures and tables
may scroll inside their own frame), and no text is smaller than 11 px or larger than the
heading. A full-page screenshot of each is saved as ``looks-<page>-<width>.png`` for a
person to open and judge.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from postmortems import demo
from postmortems.models import Service, SourceImport
from tests.browser.conftest import screenshot
from tests.postmortems.test_import import eager_tasks  # noqa: F401 (runs the import in-process)

DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"
ARTICLE = (
    Path(__file__).resolve().parents[1] / "data/articles/aws-us-east-1-outage-de.txt"
).read_text(encoding="utf-8")
WIDTHS: dict[int, ViewportSize] = {
    1400: {"width": 1400, "height": 1000},
    390: {"width": 390, "height": 844},
}

# Elements that stick out to the right of the viewport, outside the frames that are meant
# to scroll on their own (pictures, wide tables, the nav strip), plus the text sizes shown.
_LAYOUT = """() => {
  const width = document.documentElement.clientWidth;
  const framed = el => el.closest('.svgwrap, .scrollx, nav.mainnav, pre, .diff');
  const visible = el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden';
  const outside = [...document.querySelectorAll('body *')]
    .filter(el => visible(el) && !framed(el.parentElement || el))
    .filter(el => el.getBoundingClientRect().right > width + 1)
    .slice(0, 6)
    .map(el => el.tagName.toLowerCase() + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right));
  const sizes = [...document.querySelectorAll('main *')]
    .filter(el => visible(el) && !el.closest('svg') && [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
    .map(el => ({size: parseFloat(getComputedStyle(el).fontSize), text: el.textContent.trim().slice(0, 40)}));
  return {
    scrollWidth: document.documentElement.scrollWidth,
    width,
    outside,
    tiny: sizes.filter(s => s.size < 11).slice(0, 4),
    h1: parseFloat(getComputedStyle(document.querySelector('h1')).fontSize),
    huge: sizes.filter(s => s.size > parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)).slice(0, 4),
  };
}"""


# The on-screen size of every text of the dashboard's shown chart drawings.
_CHART_TEXT = """() => [...document.querySelectorAll('svg.chart')]
  .filter(svg => svg.getClientRects().length)
  .flatMap(svg => [...svg.querySelectorAll('text')]
    .map(text => parseFloat(getComputedStyle(text).fontSize) * svg.getScreenCTM().a))"""


def _check(page: Page, name: str, width: int, problems: list[str]) -> None:
    """Note what reads badly on the page at this width and save its screenshot.

    Problems are collected rather than raised, so one run names every page that needs work.
    """
    expect(page.locator("main h1").first).to_be_visible()
    layout = page.evaluate(_LAYOUT)
    screenshot(page, f"looks-{name}-{width}")
    if layout["scrollWidth"] > layout["width"]:
        problems.append(f"{name}@{width}: page scrolls sideways to {layout['scrollWidth']} px")
    if layout["outside"]:
        problems.append(f"{name}@{width}: sticks out: {layout['outside']}")
    if layout["tiny"]:
        problems.append(f"{name}@{width}: text under 11 px: {layout['tiny']}")
    if layout["huge"]:
        problems.append(f"{name}@{width}: text larger than the heading: {layout['huge']}")


@pytest.fixture
def demo_editor_context(browser: Browser, request: pytest.FixtureRequest) -> Any:
    contexts: list[BrowserContext] = []

    def make(width: int) -> BrowserContext:
        context = browser.new_context(
            viewport=WIDTHS[width], is_mobile=width < 500, device_scale_factor=1
        )
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", [1400, 390])
def test_every_main_page_reads_well_at_desktop_and_phone_width(
    live_server: Any, db: None, demo_editor_context: Any, width: int
) -> None:
    with override_settings(DEBUG=True):
        demo.demo_load()
    page = demo_editor_context(width).new_page()
    page.set_default_timeout(20_000)
    blocked: list[str] = []
    page.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    url = live_server.url
    problems: list[str] = []

    page.goto(f"{url}/login/")
    _check(page, "login", width, problems)
    page.get_by_label("Username").fill(demo.DEMO_USERNAME)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Incidents")).to_be_visible()
    _check(page, "incidents", width, problems)

    page.goto(f"{url}/?severity=1&provider=&q=dns")
    expect(page.locator("table.incidents tbody tr").first).to_be_visible()
    _check(page, "incidents-filtered", width, problems)
    page.goto(f"{url}/?q=no-such-incident-anywhere")
    _check(page, "incidents-empty", width, problems)

    pages = [
        ("incident", f"/incidents/{DEMO_SLUG}/"),
        ("timeline", f"/incidents/{DEMO_SLUG}/timeline/"),
        ("postmortem", f"/incidents/{DEMO_SLUG}/postmortem/"),
        ("dashboard", "/dashboard/"),
        ("search", "/search/?q=dns"),
        ("actions", "/actions/"),
        ("feeds", "/feeds/"),
        ("services", "/services/"),
        ("service", f"/services/{Service.objects.get(name__iexact='DynamoDB').pk}/"),
        ("share-manage", f"/incidents/{DEMO_SLUG}/share/"),
    ]
    for name, path in pages:
        page.goto(f"{url}{path}")
        _check(page, name, width, problems)

    # The form for a new event, opened under the timeline.
    page.goto(f"{url}/incidents/{DEMO_SLUG}/")
    page.locator("details.add-event summary").click()
    expect(page.locator("details.add-event form #id_title")).to_be_visible()
    _check(page, "incident-add-event", width, problems)

    # Chart text lands on screen near the page's own text, not half again as large.
    page.goto(f"{url}/dashboard/")
    sizes = page.evaluate(_CHART_TEXT)
    body = float(page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)"))
    if not (min(sizes) >= 10 and max(sizes) <= body):
        problems.append(f"dashboard@{width}: chart text {min(sizes):.1f}-{max(sizes):.1f} px")

    page.goto(f"{url}/incidents/{DEMO_SLUG}/postmortem/edit/")
    expect(page.locator("#preview")).not_to_be_empty()
    _check(page, "postmortem-editor", width, problems)

    page.goto(f"{url}/incidents/{DEMO_SLUG}/share/")
    page.get_by_role("button", name="Create link").click()
    share_url = page.locator("#share-url").input_value()
    page.goto(share_url)
    _check(page, "share-view", width, problems)

    page.goto(f"{url}/imports/new/")
    _check(page, "import-form", width, problems)
    page.locator("#id_text").fill(ARTICLE)
    page.get_by_role("button", name=re.compile("^Import")).click()
    page.get_by_role("link", name="Review the proposals →").click()
    expect(page.locator(".review-layout")).to_be_visible()
    assert SourceImport.objects.count() == 1
    _check(page, "import-review", width, problems)

    assert not blocked, blocked
    assert not problems, "\n".join(problems)
