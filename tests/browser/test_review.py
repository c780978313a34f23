"""Two editors and a viewer take a postmortem from an unsaved text to its publication."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core import mail
from playwright.sync_api import Browser, BrowserContext, Page, expect

from postmortems.models import Postmortem, PostmortemComment
from postmortems.services import postmortem_start
from tests.browser.conftest import log_in, screenshot
from tests.conftest import _user_with_role
from tests.factories import EventFactory, IncidentFactory

SLUG = "checkout-latency"
BASE = f"/incidents/{SLUG}/postmortem"
WRITTEN = """# Postmortem: Checkout latency

*Blameless. Times in UTC.*

## Summary

A maintenance job flushed the checkout cache; latency rose for 35 minutes.

## Impact

Checkout p99 latency above 4 s for 35 minutes; no orders lost.

## Root cause

The cache had no warm-up path, so every miss went to the database at once.

## Trigger

The weekly maintenance job flushed the whole cluster instead of one shard.

## Resolution

Traffic was shed until the cache was warm again.
"""


def _user(username: str, role: str) -> User:
    user = _user_with_role(username, role)
    user.email = f"{username}@example.com"
    user.save()
    return user


def _page(
    browser: Browser, live_server: Any, user: User, width: int = 1400
) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport={"width": width, "height": 1000})
    log_in(context, live_server, user)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _mails() -> list[tuple[str, str]]:
    return [(message.to[0], message.subject.removeprefix("[Cascade] ")) for message in mail.outbox]


def test_two_editors_review_and_publish_and_a_viewer_reads_the_result(
    live_server: Any, browser: Browser, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    author, reviewer, viewer = (
        _user("alice", "editor"),
        _user("bob", "editor"),
        _user("vic", "viewer"),
    )
    incident = IncidentFactory(slug=SLUG, title="Checkout latency")
    EventFactory(incident=incident, title="Latency alert pages the on-call", kind="detection")
    postmortem_start(incident=incident, author=author)
    mail.outbox.clear()

    # The author writes, does not save, and sends to review.
    author_context, author_page = _page(browser, live_server, author)
    author_page.goto(live_server.url + BASE + "/edit/")
    author_page.locator("#id_body").fill(WRITTEN)
    expect(author_page.locator("#autosave-status")).to_contain_text("Draft kept", timeout=20_000)
    author_page.get_by_role("button", name="Send to review").click()
    expect(author_page.locator("#pm-status")).to_have_text("In review")
    assert Postmortem.objects.get(incident=incident).body == WRITTEN
    assert _mails() == [("bob@example.com", "Review requested: Checkout latency")]

    # Publishing alone is refused, with the reason.
    author_page.get_by_role("button", name="Publish").click()
    expect(author_page.locator(".messages")).to_contain_text(
        "You cannot publish your own postmortem: another editor has to approve version 2 first."
    )
    expect(author_page.locator("#pm-status")).to_have_text("In review")

    # The reviewer reads what was on the author's screen and comments on a section.
    reviewer_context, reviewer_page = _page(browser, live_server, reviewer)
    reviewer_page.goto(live_server.url + BASE + "/review/")
    root_cause = reviewer_page.locator("#section-root-cause")
    expect(root_cause).to_contain_text("no warm-up path")
    root_cause.get_by_text("Comment on “Root cause”").click()
    root_cause.get_by_label("Comment on Root cause").fill("Why was there no warm-up path?")
    root_cause.get_by_role("button", name="Add comment").click()
    expect(root_cause.locator(".pmr-thread")).to_contain_text("Why was there no warm-up path?")
    expect(reviewer_page.locator("#review-status")).to_contain_text("1 unresolved comment")
    assert ("alice@example.com", "Comment on “Root cause”: Checkout latency") in _mails()

    # The author sees it listed, replies and resolves it in place.
    author_page.goto(live_server.url + BASE + "/review/")
    expect(author_page.locator("#review-status")).to_contain_text("Why was there no warm-up path?")
    screenshot(author_page, "postmortem-review-1400")
    phone_context, phone_page = _page(browser, live_server, author, width=390)
    phone_page.goto(live_server.url + BASE + "/review/")
    screenshot(phone_page, "postmortem-review-390")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    phone_context.close()
    thread = author_page.locator("#section-root-cause .pmr-thread")
    thread.locator("summary", has_text="Reply").click()
    thread.get_by_label("Your reply").fill("Added to action items.")
    thread.get_by_role("button", name="Send reply").click()
    expect(author_page.locator("#section-root-cause .pmr-reply")).to_contain_text(
        "Added to action items."
    )
    author_page.locator("#section-root-cause .pmr-thread").get_by_role(
        "button", name="Resolve"
    ).click()
    expect(author_page.locator("#section-root-cause .pmr-thread")).to_contain_text(
        "resolved by alice"
    )
    expect(author_page.locator("#review-status")).to_contain_text("No unresolved comments")
    assert PostmortemComment.objects.get(parent=None).resolved_by == author

    # The reviewer approves; the author publishes.
    reviewer_page.reload()
    reviewer_page.get_by_role("button", name="Approve version 2").click()
    expect(reviewer_page.locator("#review-status")).to_contain_text("Approved by bob")
    author_page.reload()
    author_page.get_by_role("button", name="Publish").click()
    expect(author_page.locator("#pm-status")).to_have_text("Published")
    postmortem = Postmortem.objects.get(incident=incident)
    assert postmortem.published_body == WRITTEN
    assert _mails() == [
        ("bob@example.com", "Review requested: Checkout latency"),
        ("alice@example.com", "Comment on “Root cause”: Checkout latency"),
        ("bob@example.com", "Comment on “Root cause”: Checkout latency"),  # the reply
        ("alice@example.com", "Approved: Checkout latency"),
        ("bob@example.com", "Published: Checkout latency"),
    ]
    author_context.close()
    reviewer_context.close()

    # The viewer reads the published text, with no control to change it.
    viewer_context, viewer_page = _page(browser, live_server, viewer)
    viewer_page.goto(live_server.url + BASE + "/")
    expect(viewer_page.locator("article")).to_contain_text("no warm-up path")
    expect(viewer_page.locator("main form")).to_have_count(0)
    expect(viewer_page.locator("main button")).to_have_count(0)
    expect(viewer_page.get_by_role("link", name="Edit")).to_have_count(0)
    response = viewer_page.goto(live_server.url + BASE + "/review/")
    assert response is not None and response.status == 403  # noqa: PT018
    viewer_context.close()
