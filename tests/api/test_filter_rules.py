"""The API's list filters take the values its answers show, and refuse names they do not know."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(viewer) -> APIClient:
    client = APIClient()
    client.force_authenticate(viewer)
    return client


@pytest.fixture
def incidents(db: None) -> None:
    IncidentFactory(slug="one", title="DNS storm", severity=1)
    IncidentFactory(slug="two", title="Disk full", severity=2)
    IncidentFactory(slug="three", title="Cert expiry", severity=3)


def _slugs(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return sorted(item["slug"] for item in response.json()["results"])


@pytest.mark.parametrize("value", ["1", "SEV1", "sev1"])
def test_severity_is_accepted_as_the_number_or_as_answers_write_it(
    api: APIClient, incidents: None, value: str
) -> None:
    response = api.get("/api/v1/incidents/", {"severity": value})
    assert _slugs(response) == ["one"]


def test_severity_written_as_answered_round_trips(api: APIClient, incidents: None) -> None:
    shown = api.get("/api/v1/incidents/one/").json()["severity"]
    assert shown == "SEV1"
    assert _slugs(api.get(f"/api/v1/incidents/?severity={shown}&severity=SEV2")) == ["one", "two"]


def test_an_unknown_severity_names_the_valid_ones(api: APIClient, incidents: None) -> None:
    response = api.get("/api/v1/incidents/", {"severity": "SEV9"})
    assert response.status_code == 400
    assert "SEV9" in str(response.json()["error"]["fields"]["severity"])


def test_an_unknown_parameter_is_refused_with_the_valid_ones(
    api: APIClient, incidents: None
) -> None:
    response = api.get("/api/v1/incidents/", {"search": "DNS"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "unknown_parameter"
    assert error["unknown"] == ["search"]
    assert {"q", "severity", "page", "page_size", "ordering"} <= set(error["valid"])
    assert "Unknown query parameter: search. Valid here: " in error["message"]
    assert _slugs(api.get("/api/v1/incidents/", {"q": "DNS"})) == ["one"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/services/",
        "/api/v1/events/",
        "/api/v1/impacts/",
        "/api/v1/action-items/",
        "/api/v1/sources/",
        "/api/v1/dependencies/",
        "/api/v1/imports/",
    ],
)
def test_every_list_refuses_an_unknown_parameter(api: APIClient, db: None, path: str) -> None:
    response = api.get(path, {"nonsense": "1"})
    assert response.status_code == 400
    assert response.json()["error"]["unknown"] == ["nonsense"]


def test_paging_ordering_and_format_are_always_understood(api: APIClient, incidents: None) -> None:
    response = api.get(
        "/api/v1/incidents/",
        {"page": 1, "page_size": 2, "ordering": "severity", "format": "json"},
    )
    assert response.status_code == 200
    assert [item["slug"] for item in response.json()["results"]] == ["one", "two"]


def test_a_single_record_is_not_refused_for_extra_parameters(
    api: APIClient, incidents: None
) -> None:
    # Only lists filter: a detail link with tracking parameters still opens.
    assert api.get("/api/v1/incidents/one/", {"utm_source": "mail"}).status_code == 200


def test_the_schema_lists_both_spellings_of_severity(api: APIClient) -> None:
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    parameters = schema["paths"]["/api/v1/incidents/"]["get"]["parameters"]
    severity = next(p for p in parameters if p["name"] == "severity")
    assert {"1", "SEV1"} <= set(severity["schema"]["items"]["enum"])
    assert "search" not in {p["name"] for p in parameters}


def test_every_documented_query_parameter_of_a_list_is_understood(api: APIClient) -> None:
    """The schema and the 400 for unknown parameters agree on every list endpoint."""
    from django.urls import resolve
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from postmortems.api.filtering import StrictDjangoFilterBackend, known_parameters

    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    checked = 0
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if get is None or "{" in path:
            continue
        match = resolve(path)
        view_class = getattr(match.func, "cls", None)
        actions = getattr(match.func, "actions", None) or {}
        if view_class is None or actions.get("get") != "list":
            continue
        view = view_class(action="list", kwargs={}, format_kwarg=None)
        view.request = Request(APIRequestFactory().get(path))
        if StrictDjangoFilterBackend not in view.filter_backends:
            continue
        documented = {p["name"] for p in get.get("parameters", []) if p["in"] == "query"}
        assert documented <= known_parameters(view), path
        checked += 1
    assert checked >= 8
