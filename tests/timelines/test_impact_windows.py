"""One impact window per service, the same on every surface, with the disagreement shown.

The demo records Signal as down 07:00–09:50 UTC while an approximate event from the team
notes says the customer apps were back only at 10:30: the record is what every surface
draws, and every surface says the events disagree.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from postmortems.models import Impact, Incident, Service
from timelines import services
from timelines.selectors import incident_impact_windows

DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"
RECORD = "2025-10-20 07:00–09:50 UTC"
EVENTS = "2025-10-20 07:00–10:30 UTC"
WARNING = f"Signal: the impact record says {RECORD}, the events say {EVENTS}"


@pytest.fixture
def incident(demo: dict[str, int]) -> Incident:
    return Incident.objects.get(slug=DEMO_SLUG)


@pytest.fixture
def token(incident: Incident, editor: User) -> str:
    return services.share_link_create(incident=incident, created_by=editor).token


def _signal_row(html: str) -> str:
    start = html.index('data-service-id="{}"'.format(Service.objects.get(name="Signal").pk))
    return html[start : html.index("</tr>", start)]


def test_the_one_function_gives_the_record_window_and_names_both_sources(
    incident: Incident,
) -> None:
    rows = {row.service.name: row for row in incident_impact_windows(incident)}
    signal = rows["Signal"]

    assert (signal.window.started_at, signal.window.ended_at) == (
        datetime(2025, 10, 20, 7, 0, tzinfo=UTC),
        datetime(2025, 10, 20, 9, 50, tzinfo=UTC),
    )
    assert signal.disagreement is not None
    assert signal.events_window == (
        datetime(2025, 10, 20, 7, 0, tzinfo=UTC),
        datetime(2025, 10, 20, 10, 30, tzinfo=UTC),
    )
    assert "“Most customer apps back” at 10:30, approximate, from" in signal.disagreement.message
    # Atlassian's and the banking apps' records already end at 10:30: no dispute there.
    assert rows["Banking apps"].disagreement is None
    disputed = sorted(name for name, row in rows.items() if row.disagreement)
    assert disputed == [
        "Fortnite",
        "Roblox",
        "Signal",
        "Slack",
        "Snapchat",
        "Starbucks app",
        "Venmo",
    ]


def test_every_surface_shows_the_same_window_and_the_warning(
    incident: Incident, viewer_client: Client, viewer: User, token: str
) -> None:
    incident_page = viewer_client.get(f"/incidents/{DEMO_SLUG}/").content.decode()
    assert RECORD in _signal_row(incident_page)
    assert WARNING in incident_page

    timeline_page = viewer_client.get(f"/incidents/{DEMO_SLUG}/timeline/").content.decode()
    assert WARNING in timeline_page

    api = APIClient()
    api.force_authenticate(viewer)
    body = api.get(f"/api/v1/incidents/{DEMO_SLUG}/timeline/").json()
    record = api.get(f"/api/v1/incidents/{DEMO_SLUG}/").json()
    # The incident record keeps its raw impact records and adds the one window beside them,
    # the same the timeline API gives, with the same warning and where the window came from.
    [raw] = [i for i in record["impacts"] if i["service"]["name"] == "Signal"]
    resolved = next(w for w in record["impact_windows"] if w["service"]["name"] == "Signal")
    assert (resolved["source"], resolved["impact_ids"]) == ("record", [raw["id"]])
    assert [(w["service"]["id"], w["window"]) for w in record["impact_windows"]] == [
        (s["id"], s["window"]) for s in body["services"]
    ]
    disputes = [w["warning"] for w in record["impact_windows"] if w["warning"]]
    assert len(disputes) == 7
    assert sorted(disputes, key=str) == sorted(
        (w for w in body["warnings"] if w["code"] == "impact_window_disagrees"), key=str
    )
    exported = json.loads(viewer_client.get(f"/incidents/{DEMO_SLUG}/export.json").content)
    as_timeline = {
        "services": [{"name": w["service"]["name"], **w} for w in record["impact_windows"]],
        "warnings": [w["warning"] for w in record["impact_windows"] if w["warning"]],
    }
    for payload in (body, exported, as_timeline):
        window = next(s["window"] for s in payload["services"] if s["name"] == "Signal")
        assert (window["started_at"], window["ended_at"]) == (
            "2025-10-20T07:00:00Z",
            "2025-10-20T09:50:00Z",
        )
        [warning] = [
            w
            for w in payload["warnings"]
            if w["code"] == "impact_window_disagrees" and w["message"].startswith("Signal:")
        ]
        assert warning["record_window"]["ended_at"] == "2025-10-20T09:50:00Z"
        assert warning["events_window"]["ended_at"] == "2025-10-20T10:30:00Z"

    markdown = viewer_client.get(f"/incidents/{DEMO_SLUG}/export.md").content.decode()
    assert "| Signal | outage | 2025-10-20 07:00 UTC | 2025-10-20 09:50 UTC | 2h 50m |" in markdown
    assert WARNING in markdown

    for path in (f"/s/{token}/", f"/s/{token}/export.html", f"/incidents/{DEMO_SLUG}/export.html"):
        html = Client().get(path).content.decode() if path.startswith("/s/") else None
        html = html or viewer_client.get(path).content.decode()
        signal = html[html.index("Signal</th>") :]
        signal = signal[: signal.index("</tr>")]
        assert "2025-10-20 09:50 UTC" in signal, path
        assert "10:30" not in signal, path
        assert WARNING in html, path


def test_keeping_the_record_silences_the_warning_until_the_events_change(
    incident: Incident, editor_client: Client
) -> None:
    signal = Service.objects.get(name="Signal")
    response = editor_client.post(
        f"/incidents/{DEMO_SLUG}/impact-windows/{signal.pk}/", {"resolution": "keep"}
    )

    assert response.status_code == 302
    rows = {row.service.name: row for row in incident_impact_windows(incident)}
    assert rows["Signal"].disagreement is None
    assert rows["Signal"].window.ended_at == datetime(2025, 10, 20, 9, 50, tzinfo=UTC)
    assert rows["Venmo"].disagreement is not None
    page = editor_client.get(f"/incidents/{DEMO_SLUG}/").content.decode()
    assert WARNING not in page


def test_adopting_the_events_window_moves_the_record_everywhere(
    incident: Incident, editor_client: Client
) -> None:
    signal = Service.objects.get(name="Signal")
    editor_client.post(
        f"/incidents/{DEMO_SLUG}/impact-windows/{signal.pk}/", {"resolution": "adopt"}
    )

    record = Impact.objects.get(incident=incident, service=signal)
    assert record.ended_at == datetime(2025, 10, 20, 10, 30, tzinfo=UTC)
    row = next(r for r in incident_impact_windows(incident) if r.service.name == "Signal")
    assert (row.window.ended_at, row.disagreement) == (record.ended_at, None)
    page = editor_client.get(f"/incidents/{DEMO_SLUG}/").content.decode()
    assert EVENTS in _signal_row(page)
    body = editor_client.get(f"/api/v1/incidents/{DEMO_SLUG}/").json()
    resolved = next(w for w in body["impact_windows"] if w["service"]["id"] == signal.pk)
    assert resolved["window"]["ended_at"] == "2025-10-20T10:30:00Z"
    assert (resolved["source"], resolved["warning"]) == ("record", None)


def test_only_editors_settle_a_window_and_only_with_a_known_choice(
    viewer_client: Client, editor_client: Client, incident: Incident
) -> None:
    signal = Service.objects.get(name="Signal")
    url = f"/incidents/{DEMO_SLUG}/impact-windows/{signal.pk}/"

    assert viewer_client.post(url, {"resolution": "keep"}).status_code == 403
    assert editor_client.post(url, {"resolution": "both"}).status_code == 400
    assert editor_client.get(url).status_code == 405
    assert Impact.objects.get(incident=incident, service=signal).kept_over_events_started_at is None
