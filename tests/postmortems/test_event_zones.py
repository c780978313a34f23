"""The event form's time zone: the user's zone and the incident's source zones first,
then every zone in a list the browser searches as one types."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from postmortems.models import Event
from tests.factories import EventFactory, IncidentFactory

pytestmark = pytest.mark.django_db


def _datalist(html: str) -> list[str]:
    match = re.search(r'id="id_source_timezone"[^>]*list="(zones-\d+)"', html)
    assert match, "the zone field names its datalist"
    block = re.search(rf'<datalist id="{match.group(1)}">(.*?)</datalist>', html, re.S)
    return re.findall(r'<option value="([^"]+)"', block.group(1))


def test_the_users_zone_then_the_sources_zones_come_first(editor_client: Client) -> None:
    incident = IncidentFactory(slug="tz")
    EventFactory(incident=incident, source_timezone="Europe/Berlin")
    EventFactory(incident=incident, source_timezone="Europe/Berlin")
    EventFactory(incident=incident, source_timezone="America/Los_Angeles")
    editor_client.cookies["cascade_tz"] = "Asia%2FTokyo"
    html = editor_client.get("/incidents/tz/").content.decode()
    zones = _datalist(html)
    assert zones[:4] == ["Asia/Tokyo", "Europe/Berlin", "America/Los_Angeles", "UTC"]
    assert 'label="Asia/Tokyo · your zone"' in html
    assert 'label="Europe/Berlin · used by this incident&#x27;s sources"' in html
    assert len(zones) > 400
    assert "Pacific/Auckland" in zones


def test_a_cookie_that_is_not_a_zone_is_ignored(editor_client: Client) -> None:
    IncidentFactory(slug="tz")
    editor_client.cookies["cascade_tz"] = "<script>"
    html = editor_client.get("/incidents/tz/").content.decode()
    assert _datalist(html)[0] == "UTC"
    assert "&lt;script" not in html
    assert "<script>" not in html.split("<datalist", 1)[1][:200]


def _post_event(client: Client, zone: str) -> object:
    return client.post(
        "/incidents/tz/events/new/",
        {
            "occurred_at": "2025-10-20T08:48",
            "source_timezone": zone,
            "precision": "minute",
            "kind": "impact",
            "title": "Typed zone",
        },
    )


def test_a_zone_typed_in_any_case_is_the_zone(editor_client: Client) -> None:
    IncidentFactory(slug="tz")
    _post_event(editor_client, " europe/berlin ")
    event = Event.objects.get(title="Typed zone")
    assert event.source_timezone == "Europe/Berlin"
    assert event.occurred_at.isoformat() == "2025-10-20T06:48:00+00:00"


def test_an_unknown_zone_is_refused_with_an_example(editor_client: Client) -> None:
    IncidentFactory(slug="tz")
    response = _post_event(editor_client, "Mars/Olympus")
    assert response.status_code == 400
    assert "Mars/Olympus is not a time zone name" in response.content.decode()
    assert not Event.objects.filter(title="Typed zone").exists()
