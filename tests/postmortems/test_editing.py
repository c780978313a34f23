from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from postmortems.models import ActionItem, Dependency, Event, Incident, Service
from tests.factories import IncidentFactory, ServiceFactory

DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_editor_creates_an_incident_with_regions_and_tags(editor_client: Client, db: None) -> None:
    response = editor_client.post(
        "/incidents/new/",
        {
            "title": "Payments API 5xx",
            "severity": 2,
            "status": "investigating",
            "root_cause_category": "unknown",
            "started_at": "2026-01-05T10:02",
            "regions_text": "eu-west-1, eu-west-1, us-east-1",
            "tags_text": "Payments, api",
        },
    )
    assert response.status_code == 302
    incident = Incident.objects.get(slug="payments-api-5xx")
    assert sorted(r.code for r in incident.regions.all()) == ["eu-west-1", "us-east-1"]
    assert sorted(t.name for t in incident.tags.all()) == ["api", "payments"]
    assert incident.started_at == datetime(2026, 1, 5, 10, 2, tzinfo=UTC)


def test_incident_form_errors_are_shown_in_place_and_nothing_is_saved(
    editor_client: Client, db: None
) -> None:
    IncidentFactory(slug="taken")
    response = editor_client.post("/incidents/new/", {"title": "x", "slug": "taken", "severity": 9})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The slug “taken” is taken by another incident." in page
    assert "Select a valid choice" in page
    assert Incident.objects.count() == 1


def test_event_added_inline_converts_the_source_zone_to_utc(
    editor_client: Client, demo: dict[str, int]
) -> None:
    dynamodb = Service.objects.get(name="DynamoDB")
    response = editor_client.post(
        f"/incidents/{DEMO_SLUG}/events/new/",
        {
            "occurred_at": "2025-10-19T23:48",
            "source_timezone": "America/Los_Angeles",
            "precision": "minute",
            "kind": "impact",
            "title": "Pager fires for DynamoDB errors",
            "services": [dynamodb.pk],
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert response.content.decode().startswith('<section id="timeline-events"')
    assert "Pager fires for DynamoDB errors" in response.content.decode()
    event = Event.objects.get(title="Pager fires for DynamoDB errors")
    assert event.occurred_at == datetime(2025, 10, 20, 6, 48, tzinfo=UTC)
    assert (event.review_state, event.source_timezone) == ("accepted", "America/Los_Angeles")


def test_inline_event_errors_come_back_in_the_partial(
    editor_client: Client, demo: dict[str, int]
) -> None:
    before = Event.objects.count()
    response = editor_client.post(
        f"/incidents/{DEMO_SLUG}/events/new/",
        {
            "occurred_at": "yesterday",
            "source_timezone": "Mars/Olympus",
            "kind": "impact",
            "title": "",
        },
        **HTMX,
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a date and time" in page
    assert "Mars/Olympus is not a time zone name; pick one from the list" in page
    assert Event.objects.count() == before


def test_event_edited_inline_shows_its_local_time_and_saves_back(
    editor_client: Client, demo: dict[str, int]
) -> None:
    event = Event.objects.get(title="Automatic NLB health-check failover disabled")
    form = editor_client.get(f"/events/{event.pk}/edit/", **HTMX).content.decode()
    assert 'value="2025-10-20T09:36"' in form  # 16:36 UTC shown in the source's Pacific time
    response = editor_client.post(
        f"/events/{event.pk}/edit/",
        {
            "occurred_at": "2025-10-20T09:37",
            "source_timezone": "America/Los_Angeles",
            "precision": "minute",
            "kind": "mitigation",
            "title": "NLB failover disabled (corrected)",
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert response.content.decode().startswith(
        f'<li class="event kind-mitigation" id="event-{event.pk}"'
    )
    event.refresh_from_db()
    assert event.occurred_at == datetime(2025, 10, 20, 16, 37, tzinfo=UTC)


def test_impact_cannot_end_before_it_starts(editor_client: Client, demo: dict[str, int]) -> None:
    service = Service.objects.get(name="EC2")
    response = editor_client.post(
        f"/incidents/{DEMO_SLUG}/impacts/new/",
        {
            "service": service.pk,
            "level": "outage",
            "role": "cascaded",
            "started_at": "2025-10-20T10:00",
            "ended_at": "2025-10-20T09:00",
        },
    )
    assert response.status_code == 400
    assert "The impact cannot end before it starts." in response.content.decode()


def test_admin_manages_the_catalogue_with_clear_duplicate_messages(db: None, admin_user) -> None:
    client = Client()
    client.force_login(admin_user)
    ServiceFactory(name="DynamoDB", provider="AWS")
    response = client.post(
        "/services/new/", {"name": "dynamodb", "provider": "aws", "category": "database"}
    )
    assert response.status_code == 400
    assert "already has a service called" in response.content.decode()
    response = client.post(
        "/services/new/",
        {
            "name": "Route 53",
            "provider": "AWS",
            "category": "dns",
            "aliases_text": "Amazon Route 53, Route53",
        },
    )
    route53 = Service.objects.get(name="Route 53")
    assert route53.aliases == ["Amazon Route 53", "Route53"]
    dynamodb = Service.objects.get(name="DynamoDB")
    form = client.get(f"/services/{dynamodb.pk}/dependencies/new/").content.decode()
    assert f'<option value="{dynamodb.pk}"' not in form  # a service cannot depend on itself
    client.post(
        f"/services/{dynamodb.pk}/dependencies/new/", {"upstream": route53.pk, "kind": "hard"}
    )
    again = client.post(
        f"/services/{dynamodb.pk}/dependencies/new/", {"upstream": route53.pk, "kind": "soft"}
    )
    assert "DynamoDB already depends on Route 53." in again.content.decode()
    assert Dependency.objects.filter(downstream=dynamodb).count() == 1


def test_action_item_overview_lists_open_items_and_flags_overdue(
    viewer_client: Client, db: None
) -> None:
    incident = IncidentFactory()
    ActionItem.objects.create(
        incident=incident, title="Overdue fix", due_date=timezone.localdate() - timedelta(days=3)
    )
    ActionItem.objects.create(
        incident=incident, title="Future fix", due_date=timezone.localdate() + timedelta(days=3)
    )
    ActionItem.objects.create(incident=incident, title="Finished fix", status="done")
    page = viewer_client.get("/actions/").content.decode()
    assert "Overdue fix" in page and "Future fix" in page  # noqa: PT018
    assert "Finished fix" not in page
    assert "1 overdue" in page
    overdue_only = viewer_client.get("/actions/", {"overdue": 1}).content.decode()
    assert "Future fix" not in overdue_only


@pytest.mark.parametrize(
    ("url", "pinned"),
    [("/actions/", 5), (f"/incidents/{DEMO_SLUG}/postmortem/edit/", 7)],
)
def test_editor_and_action_item_pages_run_a_fixed_number_of_queries(
    editor_client: Client, demo: dict[str, int], url: str, pinned: int
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(url).status_code == 200
        return len(queries)

    before = count()
    for index in range(12):
        incident = IncidentFactory()
        ActionItem.objects.create(
            incident=incident, title=f"Item {index}", due_date=timezone.localdate()
        )
    editor_client.post(
        f"/incidents/{DEMO_SLUG}/postmortem/edit/", {"body": "v2", "base_version": 1}
    )
    editor_client.post(
        f"/incidents/{DEMO_SLUG}/postmortem/edit/", {"body": "v3", "base_version": 2}
    )
    assert before == count() <= pinned


def test_users_page_lists_roles_in_a_fixed_number_of_queries(admin_user, db: None) -> None:
    from postmortems.services import user_create

    client = Client()
    client.force_login(admin_user)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/users/").status_code == 200
        return len(queries)

    user_create(username="first", password="pw-first-long", role="viewer")
    before = count()
    for index in range(10):
        user_create(username=f"user{index}", password="pw-long-enough", role="editor")
    assert before == count() <= 6
    page = client.get("/users/").content.decode()
    assert page.count('<option value="editor" selected>') == 10


def test_overdue_counts_days_of_the_site_not_of_the_server_process(
    editor_client, demo, monkeypatch
) -> None:
    # The site's clock says 1 January 2020 (UTC); an item due on the 5th is not overdue,
    # whatever the machine's own date and zone are.
    site_now = datetime(2020, 1, 1, 12, 0, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: site_now)
    incident = Incident.objects.first()
    ActionItem.objects.create(incident=incident, title="Due on the 5th", due_date=date(2020, 1, 5))
    page = editor_client.get("/actions/", {"overdue": "1"})
    assert "Due on the 5th" not in page.content.decode()
    assert page.context["today"] == date(2020, 1, 1)
