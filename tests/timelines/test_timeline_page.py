from __future__ import annotations

import json
import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from postmortems.models import Dependency
from tests.factories import EventFactory, ImpactFactory, IncidentFactory, ServiceFactory

DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"
SVG = "{http://www.w3.org/2000/svg}svg"


def _svgs(body: str) -> list[str]:
    chunks = []
    start = body.find("<svg")
    while start != -1:
        end = body.index("</svg>", start) + len("</svg>")
        chunks.append(body[start:end])
        start = body.find("<svg", end)
    return chunks


def test_timeline_page_draws_swimlanes_and_the_cascade_graph(
    viewer_client: Client, demo: dict[str, int]
) -> None:
    response = viewer_client.get(f"/incidents/{DEMO_SLUG}/timeline/")
    assert response.status_code == 200
    body = response.content.decode()
    pictures = [ElementTree.fromstring(chunk) for chunk in _svgs(body)]
    assert len(pictures) == 2
    assert all(picture.tag == SVG for picture in pictures)
    assert 'data-utc="2025-10-20T09:35:00Z"' in body
    assert "Services restored (as the German article reports)" in body
    assert "DynamoDB DNS automation" in body
    assert "Time to detect" in body
    assert 'name="tz" value="source" data-zone="America/Los_Angeles"' in body


def test_timeline_table_lists_every_accepted_event_in_order(
    viewer_client: Client, demo: dict[str, int]
) -> None:
    body = viewer_client.get(f"/incidents/{DEMO_SLUG}/timeline/").content.decode()
    table = body[body.index('class="grid timeline-table') :]
    assert (
        table.index("2025-10-20 06:48 UTC")
        < table.index("2025-10-20 09:35 UTC")
        < table.index("2025-10-20 22:01")
    )
    assert "7. Dezember 2021" not in table  # the rejected proposal stays off the timeline


def test_timeline_page_lists_warnings(viewer_client: Client, db: None) -> None:
    incident = IncidentFactory(slug="warned")
    upstream, downstream = ServiceFactory(name="Upstream"), ServiceFactory(name="Downstream")
    Dependency.objects.create(downstream=downstream, upstream=upstream)
    ImpactFactory(incident=incident, service=downstream, started_at=incident.started_at)
    ImpactFactory(
        incident=incident, service=upstream, started_at=incident.started_at + timedelta(minutes=30)
    )
    body = viewer_client.get("/incidents/warned/timeline/").content.decode()
    assert 'data-code="impact_without_cause"' in body
    assert "Downstream" in body


def test_timeline_page_runs_a_fixed_number_of_queries(viewer_client: Client, db: None) -> None:
    incident = IncidentFactory(slug="busy")
    services = [ServiceFactory() for _ in range(4)]

    def grow(first: int, count: int) -> None:
        for offset in range(first, first + count):
            service = services[offset % 4]
            moment = incident.started_at + timedelta(minutes=offset)
            ImpactFactory(incident=incident, service=service, started_at=moment)
            EventFactory(incident=incident, services=[service], occurred_at=moment)

    grow(0, 2)
    with CaptureQueriesContext(connection) as small:
        assert viewer_client.get("/incidents/busy/timeline/").status_code == 200
    grow(2, 30)
    with CaptureQueriesContext(connection) as large:
        assert viewer_client.get("/incidents/busy/timeline/").status_code == 200
    assert len(small) == len(large) <= 12


@pytest.mark.django_db
def test_unknown_incident_timeline_page_is_a_404(viewer_client: Client) -> None:
    assert viewer_client.get("/incidents/nope/timeline/").status_code == 404


def test_past_the_lane_limit_the_page_groups_lanes_and_links_to_every_lane(
    viewer_client: Client, demo: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from timelines import exports

    monkeypatch.setattr(exports, "PICTURE_LANES", 2)
    url = f"/incidents/{DEMO_SLUG}/timeline/"

    grouped = viewer_client.get(url, {"view": "whole"}).content.decode()
    every = viewer_client.get(url, {"view": "whole", "lanes": "all"}).content.decode()
    picture = viewer_client.get(f"/incidents/{DEMO_SLUG}/timeline.svg").content.decode()
    whole_picture = viewer_client.get(
        f"/incidents/{DEMO_SLUG}/timeline.svg", {"lanes": "all"}
    ).content.decode()

    def service_lanes(svg: str) -> int:
        return len(re.findall(r'<g class="lane[^"]*" data-service-id=', svg))

    swimlanes = _svgs(grouped)[0]
    assert service_lanes(swimlanes) == 2
    assert 'class="lane summary"' in swimlanes
    assert "The first 2 services in cascade order have a lane each" in grouped
    assert "?view=whole&amp;lanes=all#swimlanes" in grouped
    assert f"/incidents/{DEMO_SLUG}/timeline.svg?lanes=all" in grouped
    assert 'class="lane summary"' not in _svgs(every)[0]
    assert service_lanes(_svgs(every)[0]) > 2
    assert "lanes=all" in every  # the preset links keep every lane
    assert service_lanes(picture) == 2
    assert service_lanes(whole_picture) == service_lanes(_svgs(every)[0])


def test_the_page_hands_its_script_each_service_without_its_segments(
    viewer_client: Client, demo: dict[str, int]
) -> None:
    body = viewer_client.get(f"/incidents/{DEMO_SLUG}/timeline/").content.decode()
    data = json.loads(
        body[body.index('id="timeline-data"') :].split(">", 1)[1].split("</script>")[0]
    )

    assert data["services"]
    assert all(set(service) == {"id", "name", "depth", "window"} for service in data["services"])
    assert all(
        set(service["window"]) == {"started_at", "ended_at", "level"}
        for service in data["services"]
    )
