"""A stakeholder follows a background export: htmx polls under the site's CSP, no reload."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from postmortems.models import Incident
from tests.browser.conftest import screenshot
from timelines import services

DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"


def test_the_share_job_page_shows_the_file_once_the_worker_is_done(
    live_server: Any, demo: dict[str, int], editor: User, page: Page
) -> None:
    incident = Incident.objects.get(slug=DEMO_SLUG)
    created = services.share_link_create(incident=incident, created_by=editor)
    job = services.export_job_create(
        incident=incident, fmt="pdf", requested_by=None, share_link=created.link
    )
    services.export_job_claim(job_id=job.pk)
    services.export_job_progress(job_id=job.pk, progress=40, stage="Writing the PDF file")

    page.goto(f"{live_server.url}/s/{created.token}/exports/{job.pk}/")
    status = page.locator("#export-job-status")
    expect(status).to_contain_text("Writing the PDF file")
    screenshot(page, "share-export-job-running")

    # The worker finishes: the panel the page polls for changes without a reload.
    page.evaluate("window.notReloaded = true")
    services.export_job_finish(
        job_id=job.pk,
        content=b"%PDF-1.7 test",
        content_type="application/pdf",
        filename=f"{DEMO_SLUG}-postmortem.pdf",
    )
    expect(status).to_contain_text("The file is ready", timeout=10_000)
    assert page.evaluate("window.notReloaded") is True
    link = page.get_by_role("link", name=f"Download {DEMO_SLUG}-postmortem.pdf")
    expect(link).to_have_attribute("href", f"/s/{created.token}/exports/{job.pk}/download/")
    screenshot(page, "share-export-job-done")
