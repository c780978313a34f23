from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect

from postmortems.models import Event, Postmortem


def _log_in(page: Page, live_server: Any, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Incidents")).to_be_visible()


def test_editor_writes_a_postmortem_cannot_publish_it_alone_and_a_viewer_cannot_edit(
    live_server: Any, browser: Browser, editor: User, viewer: User, page: Page
) -> None:
    _log_in(page, live_server, editor.username, "pw-" + editor.username)

    page.get_by_role("link", name="+ Incident").click()
    page.get_by_label("Title").fill("Checkout latency after cache flush")
    page.get_by_label("Severity").select_option("2")
    page.get_by_label("Started at").fill("2026-03-02T14:05")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Checkout latency after cache flush")).to_be_visible()

    moments = [
        (
            "2026-03-02T15:05",
            "Europe/Berlin",
            "trigger",
            "Cache cluster flushed by a maintenance job",
        ),
        ("2026-03-02T14:12", "UTC", "detection", "Latency alert pages the on-call"),
        ("2026-03-02T14:40", "UTC", "recovery", "Cache warm again, latency normal"),
    ]
    for when, zone, kind, title in moments:
        if not page.locator("details.add-event[open]").count():
            page.locator("details.add-event summary").click()
        form = page.locator("details.add-event form")
        form.locator("#id_occurred_at").fill(when)
        form.locator("#id_source_timezone").fill(zone)
        form.locator("#id_kind").select_option(kind)
        form.locator("#id_title").fill(title)
        form.get_by_role("button", name="Add event").click()
        expect(page.locator("#event-list")).to_contain_text(title)
    events = Event.objects.filter(incident__slug="checkout-latency-after-cache-flush").order_by(
        "occurred_at"
    )
    assert [e.title for e in events] == [m[3] for m in moments]  # 15:05 Berlin is 14:05 UTC, first

    page.get_by_role("button", name="Start from the blameless template").click()
    body = page.locator("#id_body")
    expect(body).to_contain_text("## Root cause")
    expect(page.locator("#preview")).to_contain_text("Latency alert pages the on-call")
    body.fill(
        body.input_value().replace(
            "What set the failure off.", "A **maintenance job** flushed the cache."
        )
    )
    expect(page.locator("#preview strong", has_text="maintenance job")).to_have_count(1)
    page.get_by_role("button", name="Save version 2").click()
    expect(page.locator(".messages")).to_contain_text("Saved as version 2")
    page.get_by_role("button", name="Send to review").click()
    expect(page.locator("#pm-status")).to_have_text("In review")
    page.get_by_role("button", name="Publish").click()
    # Alone, with template sections unwritten: refused, and told why.
    expect(page.locator(".messages")).to_contain_text("You cannot publish your own postmortem")
    expect(page.locator(".messages")).to_contain_text("still unwritten: Summary, Impact")
    expect(page.locator("#pm-status")).to_have_text("In review")
    postmortem = Postmortem.objects.get(incident__slug="checkout-latency-after-cache-flush")
    assert "A **maintenance job** flushed the cache." in postmortem.body
    assert postmortem.published_body == ""

    viewer_context = browser.new_context()
    viewer_page = viewer_context.new_page()
    _log_in(viewer_page, live_server, viewer.username, "pw-" + viewer.username)
    viewer_page.goto(f"{live_server.url}/incidents/checkout-latency-after-cache-flush/")
    expect(viewer_page.get_by_text("Add an event")).to_have_count(0)
    viewer_page.goto(f"{live_server.url}/incidents/checkout-latency-after-cache-flush/postmortem/")
    expect(viewer_page.locator("article")).to_contain_text("flushed the cache")
    response = viewer_page.goto(
        f"{live_server.url}/incidents/checkout-latency-after-cache-flush/postmortem/edit/"
    )
    assert response is not None and response.status == 403  # noqa: PT018
    expect(viewer_page.get_by_role("heading", name="Not allowed")).to_be_visible()
    viewer_context.close()
