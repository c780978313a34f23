"""Refresh ahead on a real Celery worker through a real Redis (broker and shared cache).

A reader opens an incident's timeline; someone writes; the worker rebuilds the answer at
the new generation before the reader comes back, so the next read is served, not built.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from postmortems import generation, services
from postmortems.models import Event, Service
from postmortems.tasks import dashboard_refresh_task
from tests.factories import EventFactory, ImpactFactory, IncidentFactory, ServiceFactory
from tests.integration.test_import_worker import Worker, _forget_queue, _wait_for, real_broker
from timelines import refresh
from timelines.api.views import ANSWER_FORMAT
from timelines.tasks import timeline_refresh_task

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]
__all__ = ["real_broker"]  # a fixture this module uses


@pytest.fixture
def refresh_queue(monkeypatch: pytest.MonkeyPatch) -> str:
    """A queue of this test's own for the tasks a write queues."""
    name = f"test-refresh-{uuid.uuid4().hex[:12]}"
    for task in (timeline_refresh_task, dashboard_refresh_task):
        original = task.apply_async

        def routed(*args: object, _original=original, **kwargs: object) -> object:
            kwargs.setdefault("queue", name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(task, "apply_async", routed)
    return name


@pytest.fixture
def worker(refresh_queue: str, tmp_path: Path, real_broker: Callable) -> Iterator[Worker]:
    started = Worker(refresh_queue, os.environ["REDIS_URL"], tmp_path / "worker.log")
    try:
        yield started
    finally:
        started.stop()
        _forget_queue(refresh_queue)


def test_a_worker_rebuilds_the_timeline_a_reader_has_open(
    worker: Worker, editor_api: APIClient
) -> None:
    slug = f"warm-{uuid.uuid4().hex[:8]}"
    refresh.forget_notes()
    incident = IncidentFactory(slug=slug)
    database, api = ServiceFactory(name=f"db-{slug}"), ServiceFactory(name=f"api-{slug}")
    ImpactFactory(incident=incident, service=database, started_at=incident.started_at)
    EventFactory(incident=incident, services=[database], kind="trigger")
    EventFactory(
        incident=incident,
        services=[api],
        occurred_at=incident.started_at + timedelta(minutes=5),
    )
    url = f"/api/v1/incidents/{slug}/timeline/"
    assert editor_api.get(url).status_code == 200

    services.service_save(data={"name": f"renamed-{slug}"}, service=Service.objects.get(pk=api.pk))
    after_write = generation.current()
    key = f"{ANSWER_FORMAT}:{slug}"
    _wait_for(
        lambda: (caches["timelines"].get(key) or (None,))[0] == after_write,
        "the worker to rebuild the answer at the write's generation",
    )

    with CaptureQueriesContext(connection) as queries:
        answer = editor_api.get(url)
    table = Event._meta.db_table
    assert [query for query in queries.captured_queries if table in query["sql"]] == []
    assert f"renamed-{slug}".encode() in answer.content
