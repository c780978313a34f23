from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, Page, expect

from postmortems.demo import demo_load
from postmortems.models import Event, ReviewState, SourceImport
from tests.browser.conftest import log_in, screenshot
from tests.factories import IncidentFactory
from tests.postmortems.test_import import eager_tasks  # noqa: F401 (runs the import in-process)

GERMAN_ARTICLE = (
    Path(__file__).resolve().parents[2] / "postmortems/demo_data/aws-us-east-1-outage-de.txt"
).read_text(encoding="utf-8")
DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"
RECOVERY = datetime(2025, 10, 20, 9, 35, tzinfo=UTC)


def _paste_into_the_demo_incident(page: Page, live_server: Any) -> None:
    page.goto(f"{live_server.url}/incidents/{DEMO_SLUG}/")
    page.get_by_role("link", name="Import an article into this timeline").click()
    expect(page.locator("#id_incident")).to_have_value(DEMO_SLUG)
    page.locator("#id_text").fill(GERMAN_ARTICLE)
    page.get_by_role("button", name=re.compile("Import")).click()


def test_german_article_imported_into_the_demo_incident_from_page_to_timeline(
    live_server: Any, context: BrowserContext, page: Page, editor: User
) -> None:
    demo_load(password="demo-password-for-tests")
    log_in(context, live_server, editor)

    _paste_into_the_demo_incident(page, live_server)
    first = SourceImport.objects.get()
    assert first.incident.slug == DEMO_SLUG
    page.get_by_role("link", name="Review the proposals →").click()

    # The review page opens with the warnings: the text mixes two incidents.
    warnings = page.locator(".review-warnings")
    expect(warnings).to_contain_text("more than one incident")
    expect(warnings).to_contain_text("from another incident")
    first_box = warnings.bounding_box()
    proposals_box = page.locator(".review-layout").bounding_box()
    assert first_box is not None
    assert proposals_box is not None
    assert first_box["y"] < proposals_box["y"]
    screenshot(page, "import-review-1400")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "import-review-390")
    too_wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(0, 5).map(el => el.tagName + '.' + el.className)"""
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), too_wide
    page.set_viewport_size({"width": 1400, "height": 1000})

    page.get_by_role("button", name=re.compile(r"^Accept all")).click()
    expect(page.locator(".review-actions")).not_to_contain_text("Accept all")

    timeline = Event.objects.filter(incident__slug=DEMO_SLUG, review_state=ReviewState.ACCEPTED)
    recoveries = [
        event for event in timeline if event.occurred_at == RECOVERY and event.kind == "recovery"
    ]
    assert len(recoveries) == 1
    assert not [event for event in timeline if event.occurred_at.year == 2021]

    page.goto(f"{live_server.url}/incidents/{DEMO_SLUG}/")
    events = page.locator("#event-list")
    expect(events).to_contain_text("09:35")
    expect(events).not_to_contain_text("2021-12-07")

    # The same text again lands on the first import instead of proposing everything again.
    _paste_into_the_demo_incident(page, live_server)
    expect(page).to_have_url(f"{live_server.url}/imports/{first.pk}/")
    expect(page.locator(".messages")).to_contain_text("imported before")
    assert SourceImport.objects.count() == 1


SINGAPORE_ARTICLE = """DBS customers locked out of digital banking

Singapore's largest bank said its online and mobile banking services were disrupted on \
Saturday, 14 October 2023. Customers in Singapore could not log in from about 3.20pm, \
the bank said.

Services were restored at around 11pm, DBS said in a statement.
"""


def test_a_bare_time_read_in_the_clock_of_the_place_says_so_on_the_review_page(
    live_server: Any, context: BrowserContext, page: Page, editor: User
) -> None:
    incident = IncidentFactory(
        slug="dbs-2023-10-14",
        title="DBS digital banking outage",
        provider="DBS",
        started_at=datetime(2023, 10, 14, 7, 0, tzinfo=UTC),
    )
    log_in(context, live_server, editor)
    page.goto(f"{live_server.url}/incidents/{incident.slug}/")
    page.get_by_role("link", name="Import an article into this timeline").click()
    page.locator("#id_text").fill(SINGAPORE_ARTICLE)
    page.get_by_role("button", name=re.compile("Import")).click()
    page.get_by_role("link", name="Review the proposals →").click()

    # The guess is a warning a person sees first, and each event says whose clock it read.
    expect(page.locator(".review-warnings")).to_contain_text('"Singapore" (Asia/Singapore)')
    expect(page.locator(".review-warnings")).to_contain_text("Check this guess")
    evidence = page.locator(".evidence")
    expect(evidence).to_have_count(2)
    expect(evidence.first).to_contain_text("Zone: no zone in the text: the clock of")
    expect(evidence.first).to_contain_text("Asia/Singapore")
    # No service named: the line under the title starts with the source, not a separator.
    assert page.locator(".strong + .meta").first.inner_text().startswith("DBS customers")
    proposed = sorted(
        Event.objects.filter(incident=incident, review_state=ReviewState.PROPOSED).values_list(
            "occurred_at", flat=True
        )
    )
    assert proposed == [
        datetime(2023, 10, 14, 7, 20, tzinfo=UTC),  # 3.20pm SGT
        datetime(2023, 10, 14, 15, 0, tzinfo=UTC),  # 11pm SGT
    ]

    screenshot(page, "import-review-place-1400")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "import-review-place-390")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
