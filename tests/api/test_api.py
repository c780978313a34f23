from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from postmortems.models import Incident, Service
from tests.factories import EventFactory, ImpactFactory, IncidentFactory, ServiceFactory

DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"


@pytest.fixture
def api(viewer: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(viewer)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/incidents/", "/api/v1/services/", "/api/v1/events/"])
def test_anonymous_api_calls_get_401_in_json(url: str) -> None:
    response = APIClient().get(url)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


def test_token_from_the_management_command_authenticates(
    viewer: User, demo: dict[str, int], capsys
) -> None:
    call_command("drf_create_token", viewer.username)
    token = Token.objects.get(user=viewer).key
    assert token in capsys.readouterr().out
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get("/api/v1/incidents/")
    assert response.status_code == 200
    # The list holds the confirmed incidents; the demo's feed incidents arrive as drafts.
    assert response.json()["count"] == Incident.objects.confirmed().count() >= 2


def test_incident_is_looked_up_by_slug_with_its_impacts(
    api: APIClient, demo: dict[str, int]
) -> None:
    body = api.get(f"/api/v1/incidents/{DEMO_SLUG}/").json()
    assert body["severity"] == "SEV1"
    assert body["regions"] == ["us-east-1"]
    assert body["started_at"] == "2025-10-20T06:48:00Z"
    assert {impact["service"]["name"] for impact in body["impacts"]} >= {
        "DynamoDB",
        "EC2",
        "Lambda",
    }


def test_incident_filters(api: APIClient, demo: dict[str, int]) -> None:
    dynamodb = Service.objects.get(name="DynamoDB")
    slugs = [
        i["slug"] for i in api.get("/api/v1/incidents/", {"service": dynamodb.pk}).json()["results"]
    ]
    assert slugs == [DEMO_SLUG]
    slugs = [
        i["slug"]
        for i in api.get("/api/v1/incidents/", {"root_cause_category": "network"}).json()["results"]
    ]
    assert slugs == ["aws-us-east-1-network-congestion-2021-12-07"]
    assert api.get("/api/v1/incidents/", {"region": "eu-west-1"}).json()["count"] == 0


def test_bad_filter_value_is_a_400_with_the_field_named(
    api: APIClient, demo: dict[str, int]
) -> None:
    response = api.get("/api/v1/incidents/", {"started_after": "yesterday-ish"})
    assert response.status_code == 400
    assert "started_after" in response.json()["error"]["fields"]


def test_events_of_one_incident_in_time_order(api: APIClient, demo: dict[str, int]) -> None:
    body = api.get(
        "/api/v1/events/", {"incident": DEMO_SLUG, "review_state": "accepted", "page_size": 100}
    ).json()
    times = [event["occurred_at"] for event in body["results"]]
    assert times == sorted(times)
    assert times[0] == "2025-10-20T06:48:00Z"
    recovery = next(e for e in body["results"] if e["occurred_at"] == "2025-10-20T09:35:00Z")
    assert recovery["kind"] == "recovery"
    assert recovery["source"]["language"] == "de"


def test_ordering_is_stable_across_pages(api: APIClient, db: None) -> None:
    IncidentFactory.create_batch(7, title="Same title")
    seen = []
    for page in (1, 2, 3):
        body = api.get(
            "/api/v1/incidents/", {"ordering": "title", "page_size": 3, "page": page}
        ).json()
        seen += [row["slug"] for row in body["results"]]
    assert len(seen) == len(set(seen)) == 7


def test_schema_is_served_as_openapi_3(api: APIClient, db: None) -> None:
    response = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/incidents/{slug}/" in schema["paths"]


def _api_query_count(api: APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url, {"page_size": 500})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "pinned"),
    [("/api/v1/incidents/", 4), ("/api/v1/services/", 2), ("/api/v1/events/", 3)],
)
def test_api_list_query_count_is_pinned_and_does_not_grow(
    api: APIClient, demo: dict[str, int], url: str, pinned: int
) -> None:
    before = _api_query_count(api, url)
    for _ in range(20):
        incident = IncidentFactory()
        ImpactFactory(incident=incident)
        EventFactory(incident=incident, services=[ServiceFactory(), ServiceFactory()])
    after = _api_query_count(api, url)
    assert before == after <= pinned
