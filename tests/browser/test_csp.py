"""Pages, htmx swaps and the API docs work under the Content-Security-Policy.

The ``page`` fixture fails any browser test on a CSP violation; this one walks the pages
that have the most to lose: pictures with their own styles, htmx edits, the docs apps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.browser.conftest import log_in

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from playwright.sync_api import BrowserContext, Page

DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"


def test_pages_and_htmx_work_under_the_policy(
    live_server: Any, demo: dict[str, int], editor: User, context: BrowserContext, page: Page
) -> None:
    log_in(context, live_server, editor)
    for path in ["/", f"/incidents/{DEMO_SLUG}/", "/dashboard/", "/search/?q=dns", "/actions/"]:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None
        assert "script-src 'self'" in response.headers["content-security-policy"]
    # The timeline's pictures keep their styles (a nonce): a lane label is not black serif.
    page.goto(f"{live_server.url}/incidents/{DEMO_SLUG}/timeline/")
    page.wait_for_selector("#swimlanes svg")
    family = page.eval_on_selector("#swimlanes svg text", "e => getComputedStyle(e).fontFamily")
    assert "serif" not in family.replace("sans-serif", "")
    # An htmx swap: edit an event inline and cancel.
    page.goto(f"{live_server.url}/incidents/{DEMO_SLUG}/")
    page.locator("li.event button", has_text="Edit").first.click()
    page.wait_for_selector("li.event.editing form")
    page.locator("li.event.editing button", has_text="Cancel").click()
    page.wait_for_selector("li.event.editing", state="detached")
    # The share panel's fields select themselves on focus (a handler in a static file).
    page.goto(f"{live_server.url}/incidents/{DEMO_SLUG}/share/")
    page.get_by_role("button", name="Create link").click()
    field = page.locator("#share-url")
    field.wait_for()
    field.focus()
    length = page.evaluate(
        "() => document.activeElement.selectionEnd - document.activeElement.selectionStart"
    )
    assert length == len(field.input_value())


def test_the_api_docs_work_under_their_policy(
    live_server: Any, demo: dict[str, int], editor: User, context: BrowserContext
) -> None:
    # Its own page: Redoc asks for Google fonts and its logo from a CDN, which the policy
    # rightly refuses (the docs are served offline); anything else blocked fails the test.
    log_in(context, live_server, editor)
    page = context.new_page()
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text)
            if "Content Security Policy" in message.text and "'https://" not in message.text
            else None
        ),
    )
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
    page.goto(f"{live_server.url}/api/v1/docs/redoc/")
    page.wait_for_selector(".api-content", timeout=30_000)
    assert not blocked
