"""Times that cannot have happened are refused by every path: forms, the API, the import,
and the database itself; forms refuse the years the API refuses, with the same message."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from rest_framework.test import APIClient

from postmortems.exchange import kb_export
from postmortems.models import ActionItem, Event, Impact, Incident, Service

SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"
YEAR_MESSAGE = "Give a year between 1900 and 2999."


def _incident_form(**times: str) -> dict[str, str]:
    return {
        "title": "Resolved before it started",
        "slug": "",
        "severity": "2",
        "status": "resolved",
        "root_cause_category": "unknown",
        **times,
    }


def test_api_refuses_an_incident_resolved_before_it_started(editor_api: APIClient) -> None:
    response = editor_api.post(
        "/api/v1/incidents/",
        {
            "title": "Backwards",
            "started_at": "2025-10-20T08:00:00Z",
            "resolved_at": "2025-10-20T07:00:00Z",
        },
        format="json",
    )
    assert response.status_code == 400, response.content
    assert response.json()["error"]["fields"]["resolved_at"] == [
        "Resolution cannot come before the start."
    ]
    assert not Incident.objects.filter(title="Backwards").exists()


def test_api_patch_cannot_move_resolution_before_the_start(
    demo: dict[str, int], editor_api: APIClient
) -> None:
    incident = Incident.objects.get(slug=SLUG)
    response = editor_api.patch(
        f"/api/v1/incidents/{SLUG}/", {"resolved_at": "2025-10-19T00:00:00Z"}, format="json"
    )
    assert response.status_code == 400, response.content
    assert "resolved_at" in response.json()["error"]["fields"]
    incident.refresh_from_db()
    assert incident.resolved_at > incident.started_at


@pytest.mark.parametrize(
    ("later", "message"),
    [
        ("mitigated_at", "Mitigation cannot come before the start."),
        ("resolved_at", "Resolution cannot come before the start."),
    ],
)
def test_form_refuses_a_milestone_before_the_start(
    editor_client: Client, later: str, message: str
) -> None:
    response = editor_client.post(
        "/incidents/new/",
        _incident_form(started_at="2025-10-20T08:00", **{later: "2025-10-20T07:59"}),
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Incident.objects.exists()


def test_form_refuses_resolution_before_mitigation(editor_client: Client) -> None:
    response = editor_client.post(
        "/incidents/new/",
        _incident_form(
            started_at="2025-10-20T08:00",
            mitigated_at="2025-10-20T10:00",
            resolved_at="2025-10-20T09:00",
        ),
    )
    assert response.status_code == 400
    assert "Resolution cannot come before mitigation." in response.content.decode()


def test_detection_after_resolution_is_allowed(editor_client: Client) -> None:
    # An outage nobody noticed until later is real (so is an alarm before the impact);
    # only orders that cannot happen are refused.
    response = editor_client.post(
        "/incidents/new/",
        _incident_form(
            started_at="2025-10-20T08:00",
            resolved_at="2025-10-20T09:00",
            detected_at="2025-10-21T09:00",
        ),
    )
    assert response.status_code == 302
    assert Incident.objects.count() == 1


@pytest.mark.parametrize("year", ["0378", "1899", "3000"])
def test_incident_form_refuses_years_the_api_refuses(editor_client: Client, year: str) -> None:
    response = editor_client.post(
        "/incidents/new/", _incident_form(started_at=f"{year}-10-20T08:00")
    )
    assert response.status_code == 400
    assert YEAR_MESSAGE in response.content.decode()
    assert not Incident.objects.exists()


def test_event_form_refuses_a_year_the_api_refuses(
    demo: dict[str, int], editor_client: Client
) -> None:
    before = Event.objects.count()
    response = editor_client.post(
        f"/incidents/{SLUG}/events/new/",
        {
            "occurred_at": "0378-10-20T08:00",
            "source_timezone": "UTC",
            "precision": "minute",
            "kind": "note",
            "title": "Year typo",
        },
    )
    assert response.status_code == 400
    assert YEAR_MESSAGE in response.content.decode()
    assert Event.objects.count() == before


def test_impact_form_refuses_an_end_before_the_start_and_a_bad_year(
    demo: dict[str, int], editor_client: Client
) -> None:
    service = Service.objects.first()
    before = Impact.objects.count()
    for ended, message in [
        ("2025-10-20T07:00", "The impact cannot end before it starts."),
        ("3025-10-20T07:00", YEAR_MESSAGE),
    ]:
        response = editor_client.post(
            f"/incidents/{SLUG}/impacts/new/",
            {
                "service": service.pk,
                "level": "outage",
                "role": "cascaded",
                "started_at": "2025-10-20T08:00",
                "ended_at": ended,
            },
        )
        assert response.status_code == 400
        assert message in response.content.decode()
    assert Impact.objects.count() == before


def test_action_item_form_and_api_refuse_a_due_date_in_year_3000(
    demo: dict[str, int], editor_client: Client, editor_api: APIClient
) -> None:
    response = editor_client.post(
        f"/incidents/{SLUG}/actions/new/",
        {"title": "Far future", "priority": "p2", "status": "open", "due_date": "3000-01-01"},
    )
    assert response.status_code == 400
    assert YEAR_MESSAGE in response.content.decode()
    response = editor_api.post(
        "/api/v1/action-items/",
        {"incident": SLUG, "title": "Far future", "due_date": "3000-01-01"},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert response.json()["error"]["fields"]["due_date"] == [YEAR_MESSAGE]
    assert not ActionItem.objects.filter(title="Far future").exists()


def test_kb_import_refuses_an_incident_resolved_before_it_started(
    demo: dict[str, int], admin_api: APIClient
) -> None:
    document = kb_export()
    document["incidents"][0]["resolved_at"] = "1999-01-01T00:00:00Z"
    response = admin_api.post("/api/v1/kb/import/", document, format="json")
    assert response.status_code == 400, response.content
    assert not Incident.objects.filter(resolved_at__year=1999).exists()


def test_the_database_refuses_an_incident_resolved_before_it_started(db: None) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.create(
            slug="backwards",
            title="Backwards",
            started_at=datetime(2025, 10, 20, 8, tzinfo=UTC),
            resolved_at=datetime(2025, 10, 20, 7, tzinfo=UTC),
        )
