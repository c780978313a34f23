from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, Page, expect

from postmortems.demo import demo_load
from postmortems.models import Event, Incident, ReviewState, SourceImport
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


def _review_an_import(
    page: Page,
    live_server: Any,
    context: BrowserContext,
    editor: User,
    incident: Incident,
    text: str,
) -> None:
    """Paste `text` into the incident's import form as `editor` and open its review page."""
    log_in(context, live_server, editor)
    page.goto(f"{live_server.url}/incidents/{incident.slug}/")
    page.get_by_role("link", name="Import an article into this timeline").click()
    page.locator("#id_text").fill(text)
    page.get_by_role("button", name=re.compile("Import")).click()
    page.get_by_role("link", name="Review the proposals →").click()


def _proposed_times(incident: Incident) -> list[datetime]:
    """Return the instants of the incident's proposals, earliest first."""
    return sorted(
        Event.objects.filter(incident=incident, review_state=ReviewState.PROPOSED).values_list(
            "occurred_at", flat=True
        )
    )


def _screenshots_at_both_widths(page: Page, name: str) -> None:
    """Save the page at 1400 px and at a phone's 390 px, where nothing may stick out."""
    screenshot(page, f"{name}-1400")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"{name}-390")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


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
    _review_an_import(page, live_server, context, editor, incident, SINGAPORE_ARTICLE)

    # The guess is a warning a person sees first, and each event says whose clock it read.
    expect(page.locator(".review-warnings")).to_contain_text('"Singapore" (Asia/Singapore)')
    expect(page.locator(".review-warnings")).to_contain_text("Check this guess")
    evidence = page.locator(".evidence")
    expect(evidence).to_have_count(2)
    expect(evidence.first.locator("dt")).to_have_text(["Date", "Zone"])
    expect(evidence.first.locator("dd").nth(1)).to_contain_text("no zone in the text: the clock of")
    expect(evidence.first.locator("dd").nth(1)).to_contain_text("Asia/Singapore")
    # No service named: the line under the title starts with the source, not a separator.
    assert page.locator(".strong + .meta").first.inner_text().startswith("DBS customers")
    assert _proposed_times(incident) == [
        datetime(2023, 10, 14, 7, 20, tzinfo=UTC),  # 3.20pm SGT
        datetime(2023, 10, 14, 15, 0, tzinfo=UTC),  # 11pm SGT
    ]

    _screenshots_at_both_widths(page, "import-review-place")


AUSTRALIA_ARTICLE = """Telstra outage leaves Australians unable to call triple zero

Telstra said its mobile network suffered a nationwide outage on Wednesday, 1 March 2023. \
Australians could not call emergency services from 9 am, the company said.

Calls were connecting again by 11.30am, Telstra said.
"""


def test_a_clock_read_in_a_country_of_several_zones_is_flagged_on_its_event(
    live_server: Any, context: BrowserContext, page: Page, editor: User
) -> None:
    incident = IncidentFactory(
        slug="telstra-2023-03-01",
        title="Telstra mobile outage",
        provider="Telstra",
        started_at=datetime(2023, 2, 28, 22, 0, tzinfo=UTC),
    )
    _review_an_import(page, live_server, context, editor, incident, AUSTRALIA_ARTICLE)

    # The warning says in a few words what kind of guess it is, then which zone.
    warning = page.locator(".review-warnings .warning-zone_from_place")
    expect(warning.locator(".warning-title")).to_have_text(re.compile("Zone guessed from a place"))
    expect(warning).to_contain_text("Australia/Sydney")
    # The event the warning points at says so; every event gives its date and zone on
    # labelled lines of their own.
    proposals = page.locator(".proposal")
    expect(proposals).to_have_count(2)
    expect(proposals.first.locator(".guesses")).to_contain_text("Zone guessed from a place")
    # The zone was not stated: the line under the title must not say it was.
    expect(proposals.first.locator(".strong + .meta")).to_contain_text(
        "read in Australia/Sydney time"
    )
    expect(proposals.first.locator(".strong + .meta")).not_to_contain_text("stated")
    for index in range(2):
        proposal = proposals.nth(index)
        # The warning points at the first time only, but both were read in the guessed
        # clock, so both are marked for checking.
        expect(proposal.locator(".guesses")).to_contain_text("Zone guessed from a place")
        expect(proposal.locator(".evidence dt")).to_have_text(["Date", "Zone"])
        expect(proposal.locator(".evidence dd").nth(1)).to_contain_text("Australia/Sydney")
    assert _proposed_times(incident) == [
        datetime(2023, 2, 28, 22, 0, tzinfo=UTC),  # 9 am AEDT
        datetime(2023, 3, 1, 0, 30, tzinfo=UTC),  # 11.30am AEDT
    ]

    _screenshots_at_both_widths(page, "import-review-country-zone")
    # At a phone's width the labelled lines still sit side by side with their label.
    label = proposals.first.locator(".evidence dt").first.bounding_box()
    value = proposals.first.locator(".evidence dd").first.bounding_box()
    assert label is not None
    assert value is not None
    assert label["x"] < value["x"]
    assert value["x"] + value["width"] <= 390
