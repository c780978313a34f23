"""The incident list page at scale: text search by the search index on PostgreSQL, a
search's count stopped at a limit, days compared as moments, a fixed query count."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from postmortems.views import incidents as incident_views
from tests.factories import ImpactFactory, IncidentFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    return [incident.title for incident in response.context["page"]]


def test_a_search_counts_its_matches_up_to_the_limit(
    viewer_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(incident_views, "SEARCH_COUNT_LIMIT", 3)
    monkeypatch.setattr(incident_views, "PAGE_SIZE", 2)
    for number in range(5):
        IncidentFactory(title=f"Pelican outage {number}")
    IncidentFactory(title="Heron outage")

    response = viewer_client.get("/", {"q": "pelican"})
    body = response.content.decode()
    assert "More than 3 incidents match" in body
    assert "(of the first 3 matches)" in body
    # Pages go as far as the counted matches: four of them, two to a page.
    assert response.context["page"].paginator.num_pages == 2

    response = viewer_client.get("/", {"q": "heron"})
    assert "1 incident<" in response.content.decode()
    assert _titles(response) == ["Heron outage"]
    # Without a search every incident is counted.
    assert "6 incidents" in viewer_client.get("/").content.decode()


def test_days_are_whole_utc_days(viewer_client: Client) -> None:
    IncidentFactory(title="Before", started_at=datetime(2025, 3, 4, 23, 59, tzinfo=UTC))
    IncidentFactory(title="First minute", started_at=datetime(2025, 3, 5, 0, 0, tzinfo=UTC))
    IncidentFactory(title="Last minute", started_at=datetime(2025, 3, 6, 23, 59, tzinfo=UTC))
    IncidentFactory(title="After", started_at=datetime(2025, 3, 7, 0, 0, tzinfo=UTC))
    response = viewer_client.get("/", {"date_from": "2025-03-05", "date_to": "2025-03-06"})
    assert _titles(response) == ["Last minute", "First minute"]
    # The last day there is still a valid filter, matching up to the end of time.
    response = viewer_client.get("/", {"date_to": "9999-12-31"})
    assert response.status_code == 200


def _many(count: int) -> None:
    service = ServiceFactory()
    for number in range(count):
        ImpactFactory(incident=IncidentFactory(title=f"Kestrel outage {number}"), service=service)


@pytest.mark.parametrize("rows", [2, 30])
def test_a_searched_and_filtered_list_makes_a_fixed_number_of_queries(
    viewer_client: Client, django_assert_max_num_queries, rows: int
) -> None:
    _many(rows)
    # Session, user and the user's groups, the service choices, the count, the page,
    # its regions and its tags.
    with django_assert_max_num_queries(8):
        response = viewer_client.get("/", {"q": "kestrel", "severity": "2", "provider": "ACME"})
    assert len(_titles(response)) == min(rows, incident_views.PAGE_SIZE)


@pytest.mark.postgres
def test_postgres_list_search_finds_words_through_the_search_index(viewer_client: Client) -> None:
    IncidentFactory(title="Storage throttling", summary="Requests were throttled.")
    IncidentFactory(title="Network partition", summary="Throttling of the storage API.")
    IncidentFactory(title="Disk full", summary="Nothing about it.")
    response = viewer_client.get("/", {"q": "throttling"})
    assert sorted(_titles(response)) == ["Network partition", "Storage throttling"]
    # Web-search syntax, as on the search page.
    assert _titles(viewer_client.get("/", {"q": "throttling -network"})) == ["Storage throttling"]
    with CaptureQueriesContext(connection) as queries:
        viewer_client.get("/", {"q": "throttling"})
    assert any("@@" in query["sql"] for query in queries.captured_queries)
