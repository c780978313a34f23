"""Refresh ahead: after a write, a worker rebuilds the timelines people are reading.

The rebuild is the task's body (``timelines.refresh.refresh``), called here as a worker
would call it; ``tests/integration/test_timeline_refresh_worker.py`` runs it on a real
worker through Redis. ``transactional_db``: the generation moves on only at a commit.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from postmortems import generation, services
from postmortems.models import Event, Generation, Incident, Service
from tests.factories import EventFactory, ImpactFactory, IncidentFactory, ServiceFactory
from timelines import refresh
from timelines.api.views import ANSWER_FORMAT
from timelines.tasks import timeline_refresh_task

URL = "/api/v1/incidents/warm/timeline/"


@pytest.fixture(autouse=True)
def _no_earlier_reads() -> Iterator[None]:
    refresh.forget_notes()
    # What other tests left under these slugs (not clear(): with Redis it empties the
    # database the broker's queues live in too).
    caches["timelines"].delete_many(
        [refresh.READS_KEY]
        + [f"{ANSWER_FORMAT}:{slug}{copy}" for slug in ("warm", "other") for copy in ("", ":gzip")]
    )
    yield
    refresh.forget_notes()


@pytest.fixture
def incident(transactional_db: None) -> Incident:
    incident = IncidentFactory(slug="warm", title="Warm")
    database, api = ServiceFactory(name="db"), ServiceFactory(name="api")
    ImpactFactory(incident=incident, service=database, started_at=incident.started_at)
    EventFactory(incident=incident, services=[database], title="First", kind="trigger")
    EventFactory(
        incident=incident,
        services=[api],
        title="Second",
        occurred_at=incident.started_at + timedelta(minutes=5),
    )
    return incident


def _event_reads(queries: CaptureQueriesContext) -> list[str]:
    table = Event._meta.db_table
    return [query["sql"] for query in queries.captured_queries if table in query["sql"]]


def _write(incident: Incident) -> None:
    services.service_save(data={"name": "api-renamed"}, service=Service.objects.get(name="api"))


def test_after_a_write_the_refresh_serves_the_next_reader_without_a_build(
    editor_api: APIClient, incident: Incident
) -> None:
    editor_api.get(URL)
    _write(incident)
    assert refresh.refresh(generation.current()) == 1
    with CaptureQueriesContext(connection) as queries:
        answer = editor_api.get(URL)
    assert _event_reads(queries) == []  # served, not built
    assert b"api-renamed" in answer.content
    caches["timelines"].delete(f"{ANSWER_FORMAT}:warm")  # what a reader building it gets
    assert editor_api.get(URL).content == answer.content


def test_without_a_refresh_the_first_reader_after_a_write_builds(
    editor_api: APIClient, incident: Incident
) -> None:
    editor_api.get(URL)
    _write(incident)
    with CaptureQueriesContext(connection) as queries:
        editor_api.get(URL)
    assert _event_reads(queries) != []


def test_a_client_that_read_it_gzipped_finds_the_compressed_copy_rebuilt(
    editor_api: APIClient, incident: Incident
) -> None:
    editor_api.get(URL, HTTP_ACCEPT_ENCODING="gzip")
    _write(incident)
    refresh.refresh(generation.current())
    with CaptureQueriesContext(connection) as queries:
        answer = editor_api.get(URL, HTTP_ACCEPT_ENCODING="gzip")
    assert answer["Content-Encoding"] == "gzip"
    assert b"api-renamed" in gzip.decompress(answer.content)
    assert _event_reads(queries) == []
    assert caches["timelines"].get(f"{ANSWER_FORMAT}:warm:gzip")[1] == answer.content


def test_the_incident_page_read_gets_its_reconstruction_rebuilt(
    editor_client: Client, editor_api: APIClient, incident: Incident
) -> None:
    assert editor_client.get("/incidents/warm/").status_code == 200
    assert refresh.recent_reads() == [("warm", frozenset({refresh.CASCADE}))]
    _write(incident)
    refresh.refresh(generation.current())
    with CaptureQueriesContext(connection) as queries:
        record = editor_api.get("/api/v1/incidents/warm/")
    assert record.status_code == 200
    assert _event_reads(queries) == []  # the record API's windows come from the rebuilt one
    assert caches["timelines"].get(f"{ANSWER_FORMAT}:warm") is None  # nobody read the JSON


def test_a_later_write_makes_the_refresh_of_an_earlier_one_stop(
    editor_api: APIClient, incident: Incident
) -> None:
    editor_api.get(URL)
    _write(incident)
    earlier = generation.current()
    services.service_save(data={"name": "db-renamed"}, service=Service.objects.get(name="db"))
    assert timeline_refresh_task(earlier) == "rebuilt 0"
    with CaptureQueriesContext(connection) as queries:
        editor_api.get(URL)
    assert _event_reads(queries) != []


def test_a_deleted_incident_is_skipped_and_the_others_rebuilt(
    editor_api: APIClient, incident: Incident
) -> None:
    other = IncidentFactory(slug="other")
    EventFactory(incident=other, title="Elsewhere")
    editor_api.get("/api/v1/incidents/other/timeline/")
    editor_api.get(URL)
    other.delete()
    assert refresh.refresh(generation.current()) == 1
    assert [slug for slug, _ in refresh.recent_reads()] == ["warm", "other"]


def test_only_readers_keep_an_incident_warm_and_only_for_a_while(
    editor_api: APIClient, incident: Incident, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1_000_000.0]
    monkeypatch.setattr(refresh.time, "time", lambda: clock[0])
    editor_api.get(URL)
    read_at = caches["timelines"].get(refresh.READS_KEY)["warm"][0]
    clock[0] += refresh.NOTE_EVERY_SECONDS + 1
    _write(incident)
    refresh.refresh(generation.current())  # the rebuild is not a read
    assert caches["timelines"].get(refresh.READS_KEY)["warm"][0] == read_at
    clock[0] = read_at + refresh.READ_SECONDS + 1
    assert refresh.recent_reads() == []
    assert refresh.refresh(generation.current()) == 0


def test_the_hint_keeps_the_most_recently_read_incidents(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1_000_000.0]
    monkeypatch.setattr(refresh.time, "time", lambda: clock[0])
    for number in range(refresh.READ_LIMIT + 3):
        clock[0] += 1
        refresh.note_read(f"incident-{number}", refresh.JSON)
    slugs = [slug for slug, _ in refresh.recent_reads()]
    assert len(slugs) == refresh.READ_LIMIT
    assert slugs[0] == f"incident-{refresh.READ_LIMIT + 2}"
    assert "incident-0" not in slugs


def test_with_a_broker_a_write_queues_the_refresh_after_its_commit(
    settings, monkeypatch: pytest.MonkeyPatch, incident: Incident
) -> None:
    from postmortems.tasks import dashboard_refresh_task

    settings.CELERY_TASK_ALWAYS_EAGER = False
    sent: list[tuple] = []
    monkeypatch.setattr(dashboard_refresh_task, "apply_async", lambda args, **options: None)
    monkeypatch.setattr(
        timeline_refresh_task, "apply_async", lambda args, **options: sent.append((args, options))
    )
    with transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(title="Renamed")
        assert sent == []  # not before the commit
    value = Generation.objects.get().value
    assert sent == [([value], {"countdown": refresh.REFRESH_DELAY, "retry": False})]


def test_a_broker_outage_costs_the_write_nothing(
    settings, monkeypatch: pytest.MonkeyPatch, incident: Incident
) -> None:
    from kombu.exceptions import OperationalError

    from postmortems.tasks import dashboard_refresh_task

    settings.CELERY_TASK_ALWAYS_EAGER = False

    def down(*args: object, **options: object) -> None:
        raise OperationalError("broker down")

    monkeypatch.setattr(dashboard_refresh_task, "apply_async", down)
    monkeypatch.setattr(timeline_refresh_task, "apply_async", down)
    before = Generation.objects.get().value
    Incident.objects.filter(pk=incident.pk).update(title="Renamed")
    assert Generation.objects.get().value == before + 1
    assert Incident.objects.get(pk=incident.pk).title == "Renamed"
