"""Pictures and exports answer for any date the database can hold.

The web forms once let 0001-01-01 and 9999-12-31 through; whatever the forms accept
now, such rows may already be stored, and they must not take the incident down.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client

from postmortems.models import Event, EventKind, Impact, Incident, ReviewState, Service
from timelines import services

DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"
EARLIEST = datetime(1, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)


@pytest.fixture
def token(demo: dict[str, int], editor: User) -> str:
    incident = Incident.objects.get(slug=DEMO_SLUG)
    signal = Service.objects.get(name="Signal")
    for moment, kind in ((EARLIEST, EventKind.IMPACT), (LATEST, EventKind.RECOVERY)):
        event = Event.objects.create(
            incident=incident,
            occurred_at=moment,
            kind=kind,
            title=f"Mistyped year {moment.year}",
            review_state=ReviewState.ACCEPTED,
        )
        event.services.add(signal)
    Impact.objects.create(
        incident=incident,
        service=Service.objects.get(name="Venmo"),
        started_at=EARLIEST,
        ended_at=LATEST,
    )
    return services.share_link_create(incident=incident, created_by=editor, allow_embed=True).token


PATHS = (
    f"/incidents/{DEMO_SLUG}/",
    f"/incidents/{DEMO_SLUG}/timeline/",
    f"/incidents/{DEMO_SLUG}/timeline.svg",
    f"/incidents/{DEMO_SLUG}/cascade.svg",
    f"/incidents/{DEMO_SLUG}/export.html",
    f"/incidents/{DEMO_SLUG}/export.md",
    f"/incidents/{DEMO_SLUG}/export.json",
    f"/incidents/{DEMO_SLUG}/export.csv",
    "/s/{token}/",
    "/s/{token}/embed/",
    "/s/{token}/timeline.svg",
    "/s/{token}/cascade.svg",
    "/s/{token}/export.html",
)


@pytest.mark.parametrize("path", PATHS)
def test_every_picture_and_export_answers_on_the_calendar_edges(
    token: str, viewer_client: Client, path: str
) -> None:
    response = viewer_client.get(path.format(token=token))

    assert response.status_code == 200
    if path.endswith(("timeline.svg", "/timeline/")):
        assert "9999-12-31T23:59:00Z" in response.content.decode()
        assert "0001-01-01T00:00:00Z" in response.content.decode()


@pytest.mark.pdf
@pytest.mark.parametrize("path", [f"/incidents/{DEMO_SLUG}/export.pdf", "/s/{token}/export.pdf"])
def test_the_pdf_answers_on_the_calendar_edges(
    token: str, viewer_client: Client, path: str
) -> None:
    response = viewer_client.get(path.format(token=token))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
