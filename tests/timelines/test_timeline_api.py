from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from postmortems.models import Dependency, Impact, Incident
from tests.factories import EventFactory, ImpactFactory, IncidentFactory, ServiceFactory

DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"


@pytest.fixture
def api(viewer: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(viewer)
    return client


def _ancestors(edges: list[dict], name: str) -> list[str]:
    """Walk the propagation tree upward from one service to its origin."""
    parent = {edge["downstream"]["name"]: edge["upstream"]["name"] for edge in edges}
    chain = []
    while name in parent:
        name = parent[name]
        chain.append(name)
    return chain


def test_demo_cascade_starts_at_dynamodb_dns_and_reaches_compute_lb_and_serverless(
    api: APIClient, demo: dict[str, int]
) -> None:
    body = api.get(f"/api/v1/incidents/{DEMO_SLUG}/cascade/").json()
    assert [root["name"] for root in body["roots"]] == ["DynamoDB DNS automation"]
    depth = {service["name"]: service["depth"] for service in body["services"]}
    assert depth["DynamoDB DNS automation"] == 0
    assert depth["DynamoDB"] == 1
    for downstream in ("EC2", "Network Load Balancer", "Lambda"):
        assert "DynamoDB" in _ancestors(body["edges"], downstream), downstream
        assert depth[downstream] > depth["DynamoDB"]
    for app in ("Slack", "Snapchat", "Fortnite", "Starbucks app", "Banking apps"):
        assert "DynamoDB" in _ancestors(body["edges"], app), app
        assert depth[app] > depth["DynamoDB"]
    nlb = next(
        edge for edge in body["edges"] if edge["downstream"]["name"] == "Network Load Balancer"
    )
    assert nlb["lag_seconds"] == int(timedelta(hours=5, minutes=42).total_seconds())
    assert body["unexplained"] == []
    assert sum(body["blast_radius"]) == len(body["services"])


def test_demo_timeline_holds_the_0935_recovery_with_its_quote_and_offset(
    api: APIClient, demo: dict[str, int]
) -> None:
    body = api.get(f"/api/v1/incidents/{DEMO_SLUG}/timeline/").json()
    recovery = next(event for event in body["events"] if event["at"] == "2025-10-20T09:35:00Z")
    assert recovery["kind"] == "recovery"
    assert recovery["offset"] == "T+02:47"
    assert "09:35 UTC" in recovery["quote"]
    assert recovery["source"]["language"] == "de"
    assert body["phases"]["time_to_detect"] == 23 * 60
    assert body["source_timezone"] == "America/Los_Angeles"
    assert [event["at"] for event in body["events"]] == sorted(
        event["at"] for event in body["events"]
    )


def test_unknown_incident_timeline_is_a_404_in_json(api: APIClient, db: None) -> None:
    response = api.get("/api/v1/incidents/nope/timeline/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_timeline_endpoints_need_authentication(demo: dict[str, int]) -> None:
    assert APIClient().get(f"/api/v1/incidents/{DEMO_SLUG}/timeline/").status_code == 401


def test_conflicting_sources_and_cycles_show_up_as_warnings(api: APIClient, db: None) -> None:
    incident = IncidentFactory(slug="conflict")
    a, b = ServiceFactory(name="A"), ServiceFactory(name="B")
    Dependency.objects.create(downstream=a, upstream=b)
    Dependency.objects.create(downstream=b, upstream=a)
    ImpactFactory(incident=incident, service=a, started_at=incident.started_at)
    EventFactory(
        incident=incident,
        kind="recovery",
        services=[a],
        occurred_at=incident.started_at + timedelta(hours=1),
    )
    EventFactory(
        incident=incident,
        kind="recovery",
        services=[a],
        occurred_at=incident.started_at + timedelta(hours=2),
    )
    codes = {w["code"] for w in api.get("/api/v1/incidents/conflict/cascade/").json()["warnings"]}
    assert {"conflicting_times", "dependency_cycle"} <= codes


def _grow(incident: Incident, events: int) -> None:
    services = [ServiceFactory() for _ in range(5)]
    for index, service in enumerate(services[1:], start=1):
        Dependency.objects.create(downstream=service, upstream=services[index - 1])
    for offset in range(events):
        service = services[offset % len(services)]
        ImpactFactory(
            incident=incident,
            service=service,
            started_at=incident.started_at + timedelta(minutes=offset),
        )
        EventFactory(
            incident=incident,
            services=[service, services[0]],
            occurred_at=incident.started_at + timedelta(minutes=offset),
        )


@pytest.mark.parametrize("endpoint", ["timeline", "cascade"])
def test_timeline_endpoints_run_a_fixed_number_of_queries(
    api: APIClient, db: None, endpoint: str
) -> None:
    incident = IncidentFactory(slug="grows")
    _grow(incident, 3)
    with CaptureQueriesContext(connection) as small:
        assert api.get(f"/api/v1/incidents/grows/{endpoint}/").status_code == 200
    _grow(incident, 40)
    with CaptureQueriesContext(connection) as large:
        body = api.get(f"/api/v1/incidents/grows/{endpoint}/").json()
    assert len(small) == len(large) <= 9
    assert (
        len(body["services"])
        == Impact.objects.filter(incident=incident).values("service").distinct().count()
    )


def test_incident_record_shows_the_windows_in_a_fixed_number_of_queries(
    api: APIClient, db: None
) -> None:
    incident = IncidentFactory(slug="grows")
    _grow(incident, 3)
    with CaptureQueriesContext(connection) as small:
        assert api.get("/api/v1/incidents/grows/").status_code == 200
    _grow(incident, 40)
    with CaptureQueriesContext(connection) as large:
        body = api.get("/api/v1/incidents/grows/").json()
    assert len(small) == len(large) <= 11
    assert len(body["impacts"]) == 43
    assert [w["service"]["id"] for w in body["impact_windows"]] == [
        s["id"] for s in api.get("/api/v1/incidents/grows/cascade/").json()["services"]
    ]


def test_incident_record_windows_are_described_in_the_openapi_schema(
    api: APIClient, db: None
) -> None:
    schemas = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()[
        "components"
    ]["schemas"]
    detail = schemas["IncidentDetail"]["properties"]
    assert "impacts" in detail
    assert detail["impact_windows"]["type"] == "array"
    assert detail["impact_windows"]["readOnly"] is True
    item = schemas[detail["impact_windows"]["items"]["$ref"].rsplit("/", 1)[1]]
    assert set(item["properties"]) == {
        "service",
        "depth",
        "source",
        "impact_ids",
        "event_ids",
        "window",
        "warning",
    }
    assert item["properties"]["warning"]["nullable"] is True
    warning = schemas["CascadeWarning"]["properties"]
    assert {"record_window", "events_window"} <= set(warning)


def test_timeline_is_described_in_the_openapi_schema(api: APIClient, db: None) -> None:
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert "/api/v1/incidents/{slug}/timeline/" in schema["paths"]
    assert "/api/v1/incidents/{slug}/cascade/" in schema["paths"]
    assert "Timeline" in schema["components"]["schemas"]
