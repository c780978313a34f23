from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from postmortems.models import Incident, Service
from tests.factories import EventFactory, ImpactFactory, IncidentFactory, ServiceFactory

DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"


def _query_count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/services/", f"/incidents/{DEMO_SLUG}/", "/services/1/"])
def test_anonymous_visitors_are_sent_to_the_login_page(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.django_db
def test_login_page_logs_the_demo_user_in(client: Client, demo: dict[str, int]) -> None:
    page = client.get("/login/")
    assert page.status_code == 200
    response = client.post("/login/", {"username": "demo", "password": "demo"})
    assert response.status_code == 302
    assert "Incidents" in client.get("/").content.decode()


@pytest.mark.django_db
def test_login_with_a_wrong_password_says_so(client: Client, demo: dict[str, int]) -> None:
    response = client.post("/login/", {"username": "demo", "password": "nope"})
    assert response.status_code == 200
    assert "didn't match" in response.content.decode()


def test_incident_list_shows_both_demo_incidents(
    viewer_client: Client, demo: dict[str, int]
) -> None:
    body = viewer_client.get("/").content.decode()
    assert "DynamoDB DNS record emptied" in body
    assert "internal network congestion" in body


def test_incident_list_filters_combine(viewer_client: Client, demo: dict[str, int]) -> None:
    dynamodb = Service.objects.get(name="DynamoDB")
    body = viewer_client.get(
        "/", {"service": dynamodb.pk, "severity": 1, "date_from": "2025-01-01"}
    ).content.decode()
    assert "DynamoDB DNS record emptied" in body
    assert "internal network congestion" not in body
    body = viewer_client.get("/", {"q": "congestion"}).content.decode()
    assert "internal network congestion" in body
    assert "DynamoDB DNS record emptied" not in body


def test_incident_list_reports_a_bad_date_instead_of_failing(
    viewer_client: Client, demo: dict[str, int]
) -> None:
    response = viewer_client.get("/", {"date_from": "not-a-date"})
    assert response.status_code == 200
    assert "Enter a valid date" in response.content.decode()


def test_incident_page_lists_events_in_time_order_with_sources(
    viewer_client: Client, demo: dict[str, int]
) -> None:
    body = viewer_client.get(f"/incidents/{DEMO_SLUG}/").content.decode()
    dns = body.index("DNS record for dynamodb.us-east-1.amazonaws.com left empty")
    restored = body.index("DynamoDB DNS records restored")
    recovery = body.index("Services restored (as the German article reports)")
    aftermath = body.index("All AWS services returned to normal operations")
    assert dns < restored < recovery < aftermath
    assert "09:35 UTC" in body
    assert "Wenn DNS-Ausfälle durch Cloud-Infrastruktur kaskadieren" in body


def test_unknown_incident_is_a_404(viewer_client: Client, db: None) -> None:
    assert viewer_client.get("/incidents/no-such-thing/").status_code == 404


def test_service_page_shows_dependencies_both_ways_and_incidents(
    viewer_client: Client, demo: dict[str, int]
) -> None:
    dynamodb = Service.objects.get(name="DynamoDB")
    body = viewer_client.get(dynamodb.get_absolute_url()).content.decode()
    assert "DynamoDB DNS automation" in body  # upstream
    assert "EC2 instance launches" in body  # downstream
    assert "DynamoDB DNS record emptied" in body  # an incident


def _grow(incidents: int) -> None:
    for _ in range(incidents):
        incident = IncidentFactory()
        ImpactFactory(incident=incident)
        EventFactory(incident=incident, services=[ServiceFactory()])


# The incident page reads its impact windows through the reconstruction (six reads of
# values, whatever the number of events), like the timeline and the exports.
@pytest.mark.parametrize(
    ("url", "pinned"),
    [("/", 8), ("/services/", 6), (f"/incidents/{DEMO_SLUG}/", 24)],
)
def test_page_query_count_is_pinned_and_does_not_grow(
    viewer_client: Client, demo: dict[str, int], url: str, pinned: int
) -> None:
    before = _query_count(viewer_client, url)
    _grow(15)
    after = _query_count(viewer_client, url)
    assert before == after <= pinned


def test_service_page_query_count_does_not_grow(
    viewer_client: Client, demo: dict[str, int]
) -> None:
    service = ServiceFactory()
    for _ in range(2):
        ImpactFactory(service=service)
    before = _query_count(viewer_client, service.get_absolute_url())
    for _ in range(10):
        ImpactFactory(service=service)
    assert _query_count(viewer_client, service.get_absolute_url()) == before <= 8


def test_incident_list_paginates(viewer_client: Client, db: None) -> None:
    IncidentFactory.create_batch(30)
    newest = Incident.objects.order_by("-started_at").first()
    oldest = Incident.objects.order_by("started_at").first()
    first = viewer_client.get("/").content.decode()
    second = viewer_client.get("/", {"page": 2}).content.decode()
    assert "Page 1 of 2" in first
    assert f">{newest.title}<" in first
    assert f">{newest.title}<" not in second
    assert f">{oldest.title}<" in second


def test_pages_are_usable_at_phone_width(viewer_client: Client, demo: dict[str, int]) -> None:
    body = viewer_client.get(reverse("postmortems:incident_list")).content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in body


def test_incident_page_lists_the_first_impacted_services_and_links_to_all(
    editor_client: Client, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import timedelta

    from postmortems.views import incidents

    monkeypatch.setattr(incidents, "IMPACTS_SHOWN", 3)
    incident = IncidentFactory(slug="wide")
    for minute in range(5):
        ImpactFactory(
            incident=incident,
            service=ServiceFactory(name=f"svc-{minute}"),
            started_at=incident.started_at + timedelta(minutes=minute),
        )
    first = incident.impacts.order_by("started_at").first()
    assert first is not None
    ImpactFactory(
        incident=incident,
        service=first.service,
        started_at=incident.started_at + timedelta(minutes=30),
    )
    url = "/incidents/wide/"

    windowed = editor_client.get(url).content.decode()
    table = windowed[windowed.index('id="impact-windows"') : windowed.index("</table>")]
    everything = editor_client.get(url, {"impacts": "all"}).content.decode()
    full_table = everything[everything.index('id="impact-windows"') :]

    assert [f"svc-{n}" in table for n in range(5)] == [True, True, True, False, False]
    assert table.count("/edit/") == 4
    assert "2 records: " in table  # a service's records share one line, numbered edit links
    assert "The first 3 of 5 in cascade order" in windowed
    assert "impacts=all#impact-windows" in windowed
    assert all(f"svc-{n}" in full_table for n in range(5))
    assert "The first 3 of 5" not in everything
    assert _query_count(editor_client, url) == _query_count(editor_client, f"{url}?impacts=all")
