from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import log_in
from tests.xss import seed_incident


def test_pages_holding_every_payload_fire_no_dialog_and_run_no_script(
    live_server: Any, editor: User, context: BrowserContext, page: Page
) -> None:
    incident = seed_incident()
    log_in(context, live_server, editor)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    # Any payload that ran would most likely call alert/confirm/prompt or write to the page;
    # record both before the page's own scripts load.
    page.add_init_script(
        "window.__xss = [];"
        "for (const name of ['alert', 'confirm', 'prompt']) {"
        "  const original = window[name];"
        "  window[name] = function (...args) { window.__xss.push(name + ':' + args.join(',')); return original.apply(this, args); };"
        "}"
    )
    # The harness itself must notice a payload that runs.
    page.set_content("<img src=x onerror=\"alert('control')\">")
    page.wait_for_timeout(300)
    assert dialogs == ["control"]
    dialogs.clear()
    for path in (
        f"/incidents/{incident.slug}/",
        f"/incidents/{incident.slug}/timeline/",
        f"/incidents/{incident.slug}/postmortem/",
        f"/incidents/{incident.slug}/postmortem/edit/",
    ):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        page.mouse.move(200, 300)
        page.mouse.move(600, 600)
        for marker in page.locator("#swimlanes .marker").all()[:5]:
            marker.hover()
        assert page.evaluate("window.__xss") == [], path
    expect(page.locator("#preview")).to_contain_text("Payload 0")
    assert dialogs == []
