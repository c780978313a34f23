"""Every list endpoint: a pinned number of queries that does not grow with the page size."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from postmortems.models import ActionItem, Dependency, Region, Source, Tag
from tests.factories import EventFactory, ImpactFactory, IncidentFactory, ServiceFactory

SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"

# (url, the pinned number of queries: count + page + one per prefetched relation)
LISTS = [
    ("/api/v1/incidents/", 4),
    ("/api/v1/incidents/?severity=2&region=eu-west-9&tag=bulk&duration_min=60", 4),
    ("/api/v1/incidents/?q=incident", 4),
    ("/api/v1/events/", 3),
    (f"/api/v1/incidents/{SLUG}/events/", 4),
    ("/api/v1/services/", 2),
    ("/api/v1/dependencies/", 2),
    ("/api/v1/impacts/", 2),
    ("/api/v1/sources/", 3),
    ("/api/v1/action-items/", 2),
    (f"/api/v1/incidents/{SLUG}/postmortem/revisions/", 2),
]


@pytest.fixture
def many_records(demo: dict[str, int], editor: User) -> None:
    from postmortems.models import Incident
    from postmortems.services import postmortem_save, postmortem_start

    region, tag = Region.objects.create(code="eu-west-9"), Tag.objects.create(name="bulk")
    demo_incident = Incident.objects.get(slug=SLUG)
    for n in range(120):
        incident = IncidentFactory(regions=[region], tags=[tag])
        ImpactFactory(incident=incident)
        services = [ServiceFactory(), ServiceFactory()]
        EventFactory(incident=incident, services=services)
        EventFactory(incident=demo_incident, services=services)
        Dependency.objects.create(downstream=services[0], upstream=services[1])
        ActionItem.objects.create(incident=incident, title=f"Follow up {n}")
        Source.objects.get(pk=incident.events.get().source_id).incidents.add(incident)
    postmortem = postmortem_start(incident=demo_incident, author=editor)
    for version in range(1, 8):
        postmortem_save(
            postmortem=postmortem, body=f"v{version}", base_version=version, author=editor
        )


def _queries(api: APIClient, url: str, page_size: int) -> tuple[int, int]:
    joiner = "&" if "?" in url else "?"
    with CaptureQueriesContext(connection) as queries:
        response = api.get(f"{url}{joiner}page_size={page_size}")
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    rows = len(body["results"]) if isinstance(body, dict) else len(body)
    return len(queries), rows


@pytest.mark.parametrize(("url", "pinned"), LISTS)
def test_list_query_count_is_pinned_and_independent_of_page_size(
    many_records: None, viewer: User, url: str, pinned: int
) -> None:
    api = APIClient()
    api.force_authenticate(viewer)
    small, small_rows = _queries(api, url, 5)
    large, large_rows = _queries(api, url, 100)
    assert large_rows >= small_rows
    assert large_rows > 5
    assert small == large <= pinned, (small, large)
