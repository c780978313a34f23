"""The timeline API's cached answers: the same bytes, and never one from before a write.

Most tests here use ``transactional_db``: the generation moves on when a transaction
commits, and the ``db`` fixture's transaction never does.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from postmortems import generation, services
from postmortems.models import (
    Dependency,
    Event,
    Generation,
    Impact,
    Incident,
    ReviewState,
    Service,
    Source,
)
from tests.factories import EventFactory, ImpactFactory, IncidentFactory, ServiceFactory
from timelines import cascade, selectors, wording
from timelines.api.views import ANSWER_FORMAT

URL = "/api/v1/incidents/cached/timeline/"


@pytest.fixture
def api(editor_api: APIClient) -> APIClient:
    return editor_api


@pytest.fixture
def incident(transactional_db: None) -> Incident:
    incident = IncidentFactory(slug="cached", title="Before")
    upstream, downstream = ServiceFactory(name="db"), ServiceFactory(name="api")
    Dependency.objects.create(downstream=downstream, upstream=upstream)
    ImpactFactory(incident=incident, service=upstream, started_at=incident.started_at)
    ImpactFactory(
        incident=incident,
        service=downstream,
        started_at=incident.started_at + timedelta(minutes=4),
        ended_at=incident.started_at + timedelta(hours=1),
    )
    EventFactory(incident=incident, services=[upstream], title="First", kind="trigger")
    EventFactory(
        incident=incident,
        services=[downstream],
        title="Second",
        occurred_at=incident.started_at + timedelta(minutes=5),
    )
    return incident


def _event_queries(queries: CaptureQueriesContext) -> list[str]:
    table = Event._meta.db_table
    return [query["sql"] for query in queries.captured_queries if table in query["sql"]]


@pytest.mark.parametrize(
    ("sql", "watched"),
    [
        ('INSERT INTO "postmortems_event" ("title") VALUES (%s)', True),
        ('INSERT OR IGNORE INTO "postmortems_event_services" ("event_id") VALUES (%s)', True),
        ('UPDATE "postmortems_service" SET "name" = %s WHERE "id" = %s', True),
        ('DELETE FROM "postmortems_dependency" WHERE "id" IN (%s)', True),
        ('TRUNCATE "postmortems_incident", "auth_user"', True),
        ('UPDATE "postmortems_apitoken" SET "last_used_at" = %s', False),
        ('SELECT "postmortems_event"."id" FROM "postmortems_event"', False),
        ('UPDATE "postmortems_generation" SET "value" = ("value" + 1)', False),
        ('INSERT INTO "postmortems_dashboardsnapshot" ("key") VALUES (%s)', False),
    ],
)
def test_writes_to_the_tables_a_timeline_reads_are_recognised(sql: str, watched: bool) -> None:
    assert generation.writes_watched_table(sql) is watched


def test_a_second_read_is_the_same_bytes_without_reading_events(
    api: APIClient, incident: Incident
) -> None:
    first = api.get(URL)
    with CaptureQueriesContext(connection) as queries:
        second = api.get(URL)
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == "application/json"
    assert _event_queries(queries) == []
    # The same answer DRF's own renderer writes from the same rows, indented or not.
    indented = api.get(URL, HTTP_ACCEPT="application/json; indent=2")
    assert indented.json() == second.json()


def test_a_client_accepting_gzip_gets_the_same_answer_compressed_once(
    api: APIClient, incident: Incident
) -> None:
    plain = api.get(URL)
    assert "Accept-Encoding" in plain["Vary"]
    assert "Content-Encoding" not in plain
    compressed = api.get(URL, HTTP_ACCEPT_ENCODING="br, gzip;q=0.8")
    assert compressed.status_code == 200
    assert compressed["Content-Encoding"] == "gzip"
    assert compressed["Content-Type"] == "application/json"
    assert "Accept-Encoding" in compressed["Vary"]
    assert gzip.decompress(compressed.content) == plain.content
    with CaptureQueriesContext(connection) as queries:
        again = api.get(URL, HTTP_ACCEPT_ENCODING="gzip")
    assert again.content == compressed.content
    assert _event_queries(queries) == []
    services.service_save(data={"name": "After"}, service=Service.objects.get(name="api"))
    after = api.get(URL, HTTP_ACCEPT_ENCODING="gzip")
    assert b"After" in gzip.decompress(after.content)


def _rename_incident(incident: Incident) -> str:
    services.incident_save(form_data={"title": "After"}, regions=[], tags=[], incident=incident)
    return "After"


def _edit_event(incident: Incident) -> str:
    event = Event.objects.get(incident=incident, title="Second")
    services.event_update(event=event, data={"title": "After"}, author=User.objects.first())
    return "After"


def _reject_event(incident: Incident) -> str:
    event = Event.objects.get(incident=incident, title="Second")
    services.event_review(event=event, state=ReviewState.REJECTED)
    return "Second"  # gone


def _rename_service(incident: Incident) -> str:
    services.service_save(data={"name": "After"}, service=Service.objects.get(name="api"))
    return "After"


def _rename_source(incident: Incident) -> str:
    source = Event.objects.get(incident=incident, title="First").source
    assert source is not None
    services.kb_record_apply(record=source, values={"title": "After"})
    return "After"


def _delete_dependency(incident: Incident) -> str:
    services.record_delete(record=Dependency.objects.get())
    return '"edges":[]'


def _move_impact(incident: Incident) -> str:
    impact = Impact.objects.get(incident=incident, service__name="api")
    services.impact_save(
        data={"started_at": incident.started_at + timedelta(minutes=30)}, impact=impact
    )
    return "00:30:00Z"


def _update_impacts_in_bulk(incident: Incident) -> str:
    # One queryset UPDATE, no model saved and no service named: the wrapper still sees it.
    with transaction.atomic():
        Impact.objects.filter(incident=incident).update(
            ended_at=incident.started_at + timedelta(minutes=50)
        )
    return "00:50:00Z"


@pytest.mark.parametrize(
    "write",
    [
        _rename_incident,
        _edit_event,
        _rename_service,
        _rename_source,
        _delete_dependency,
        _move_impact,
        _update_impacts_in_bulk,
    ],
)
def test_every_kind_of_write_is_in_the_next_answer(
    api: APIClient, incident: Incident, write: Callable[[Incident], str]
) -> None:
    before = api.get(URL)
    marker = write(incident)
    assert marker.encode() not in before.content
    after = api.get(URL)
    assert marker.encode() in after.content
    # Exactly what a reader with no cache at all gets.
    assert after.json() == api.get(URL, HTTP_ACCEPT="application/json; indent=2").json()


def test_a_newer_answer_replaces_the_older_one_in_the_cache(
    api: APIClient, incident: Incident
) -> None:
    key = f"{ANSWER_FORMAT}:cached"
    api.get(URL)
    first_stamp = caches["timelines"].get(key)[0]
    _rename_service(incident)
    api.get(URL)
    stamp, body = caches["timelines"].get(key)
    assert stamp == generation.current() != first_stamp
    assert b"After" in body


def test_an_event_rejected_leaves_the_next_answer(api: APIClient, incident: Incident) -> None:
    assert b"Second" in api.get(URL).content
    _reject_event(incident)
    assert b"Second" not in api.get(URL).content


def test_a_transaction_that_wrote_reads_its_own_writes(api: APIClient, incident: Incident) -> None:
    assert b"After" not in api.get(URL).content
    stamp = generation.current()
    with transaction.atomic():
        _rename_service(incident)
        # Not committed: the generation has not moved, and the cache is not used.
        assert Generation.objects.get().value == stamp
        assert generation.current() is None
        assert b"After" in api.get(URL).content
    assert generation.current() == stamp + 1


def test_a_rolled_back_write_moves_nothing(api: APIClient, incident: Incident) -> None:
    stamp = generation.current()

    def write_then_fail() -> None:
        with transaction.atomic():
            Source.objects.update(title="Never")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert generation.current() == stamp
    assert b"Never" not in api.get(URL).content


def test_one_bump_per_transaction_however_many_writes(incident: Incident) -> None:
    stamp = generation.current()
    assert stamp is not None
    with transaction.atomic():
        for number in range(5):
            ServiceFactory(name=f"extra-{number}")
    assert generation.current() == stamp + 1


def test_a_missing_generation_row_turns_the_cache_off_until_a_write(
    api: APIClient, incident: Incident
) -> None:
    Generation.objects.all().delete()
    assert generation.current() is None
    assert api.get(URL).status_code == 200
    ServiceFactory(name="later")
    assert generation.current() is not None


def test_unknown_incident_is_still_a_404(api: APIClient, transactional_db: None) -> None:
    assert api.get("/api/v1/incidents/nope/timeline/").status_code == 404


# ------------------------------------------------------- the shared reconstruction


@pytest.fixture
def reconstructions(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the reconstructions run (one entry per call of the pure core)."""
    calls: list[int] = []

    def counted(**inputs: object) -> object:
        calls.append(1)
        return cascade.reconstruct(**inputs)

    monkeypatch.setattr(selectors, "reconstruct", counted)
    return calls


def _surfaces(api: APIClient, page: Client) -> dict[str, list[tuple[int, str]]]:
    """Return each surface's impact windows in its order: (service id, window as worded)."""

    def worded(window: dict) -> str:
        started, ended = (window[key] for key in ("started_at", "ended_at"))
        return wording.window(
            datetime.fromisoformat(started), ended and datetime.fromisoformat(ended)
        )

    record = api.get("/api/v1/incidents/cached/").json()["impact_windows"]
    timeline = api.get(URL).json()["services"]
    html = page.get("/incidents/cached/").content.decode()
    rows = re.findall(r'<tr data-service-id="(\d+)">.*?class="mono window">([^<]*)<', html, re.S)
    return {
        "record API": [(row["service"]["id"], worded(row["window"])) for row in record],
        "timeline API": [(row["id"], worded(row["window"])) for row in timeline],
        "incident page": [(int(pk), unescape(text).strip()) for pk, text in rows],
    }


def test_the_three_surfaces_share_one_reconstruction_until_a_write(
    api: APIClient, editor_client: Client, incident: Incident, reconstructions: list[int]
) -> None:
    first = _surfaces(api, editor_client)
    assert len(first["record API"]) == 2
    assert first["record API"] == first["timeline API"] == first["incident page"]
    assert len(reconstructions) == 1  # built by the first surface, read by the other two
    assert _surfaces(api, editor_client) == first
    assert len(reconstructions) == 1

    _move_impact(incident)
    after = _surfaces(api, editor_client)
    assert len(reconstructions) == 2
    assert (
        after["record API"]
        == after["timeline API"]
        == after["incident page"]
        != first["record API"]
    )
    assert "00:30" in after["record API"][1][1]


def test_the_timeline_answer_rebuilt_reuses_the_current_reconstruction(
    api: APIClient, incident: Incident, reconstructions: list[int]
) -> None:
    first = api.get(URL).content
    caches["timelines"].delete(f"{ANSWER_FORMAT}:cached")  # only the answer, not the cascade
    assert api.get(URL).content == first
    assert len(reconstructions) == 1


def test_a_cached_reconstruction_reads_no_event_and_pins_the_record_api(
    api: APIClient, incident: Incident
) -> None:
    # The record API on a cold cache: the incident (with its relations), the generation,
    # then the six reads of the reconstruction; warm, the six are one cache read.
    caches["timelines"].clear()
    with CaptureQueriesContext(connection) as cold:
        assert api.get("/api/v1/incidents/cached/").status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert api.get("/api/v1/incidents/cached/").status_code == 200
    assert len(cold) - len(warm) == 6
    assert _event_queries(warm) == [] != _event_queries(cold)
    assert len(warm) <= 6


def test_a_reconstruction_from_other_incident_times_is_not_served(
    incident: Incident, reconstructions: list[int]
) -> None:
    selectors.incident_cascade(incident)
    selectors.incident_cascade(incident)
    assert len(reconstructions) == 1
    # A reader holding the incident row as a later write left it: the entry was built
    # from other times (say, read just before that write's generation bump).
    incident.started_at -= timedelta(hours=1)
    windows = selectors.incident_cascade(incident).reconstruction
    assert len(reconstructions) == 2
    assert windows.start == incident.started_at


def test_inside_a_transaction_that_wrote_the_reconstruction_is_not_cached(
    incident: Incident, reconstructions: list[int]
) -> None:
    with transaction.atomic():
        _rename_service(incident)
        selectors.incident_cascade(incident)
        selectors.incident_cascade(incident)
    assert len(reconstructions) == 2
    assert caches["timelines"].get(f"{selectors.CASCADE_FORMAT}:{incident.pk}") is None
