"""Feed polling with a real Celery beat, real workers and a real Redis.

Beat runs the schedule's ``poll-feeds`` entry (every second here instead of every minute);
the worker dispatches the due feed and polls it. A worker killed half-way through writing
a feed's entries leaves the poll to the next delivery, which finishes it without writing
any event twice. Workers and beat get a queue of their own through
``CELERY_TASK_DEFAULT_QUEUE``, so parallel runs on one Redis do not steal each other's tasks.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from config.celery import app as celery_app
from postmortems.ingest.feeds.models import Feed, FeedEntry, FeedState, FeedUpdate
from postmortems.ingest.feeds.services import feed_create
from postmortems.models import Event, Service
from postmortems.tasks import feed_poll_task
from tests.integration.test_import_worker import (
    ROOT,
    Worker,
    _database_url,
    _forget_queue,
    _wait_for,
)
from tests.postmortems.feeds import recorded
from tests.postmortems.feeds.server import FeedServer

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ENTRIES = 400
PATH = "/api/v2/incidents.json"

BEAT_SCRIPT = """
import os, sys
import django
django.setup()
from django.conf import settings
from config.celery import app
schedule_file = sys.argv[1]
entry = dict(settings.CELERY_BEAT_SCHEDULE["poll-feeds"])  # the production entry...
entry["schedule"] = 1.0  # ...every second instead of every minute
entry.pop("options", None)
app.conf.beat_schedule = {"poll-feeds": entry}
app.Beat(schedule=schedule_file, loglevel="INFO", max_interval=1).run()
"""


def _big_feed(entries: int) -> bytes:
    incidents = [recorded.statuspage_incident(incident_id=f"i{n}") for n in range(entries)]
    return recorded.statuspage_feed(*incidents)


@pytest.fixture
def queue(monkeypatch, settings) -> Iterator[str]:
    """A queue of this test's own, for this process's sends and the subprocesses' alike."""
    name = f"test-feeds-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("CELERY_TASK_DEFAULT_QUEUE", name)
    settings.CASCADE_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = os.environ["REDIS_URL"]
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield name
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    _forget_queue(name)


class Beat(Worker):
    """Celery beat in a session of its own, killed with its process group like a worker."""

    def __init__(self, log: Path, schedule_file: Path) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": os.environ["REDIS_URL"],
        }
        self.log = log
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-c", BEAT_SCRIPT, str(schedule_file)],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )


def _assert_no_duplicate_events() -> None:
    keys = list(Event.objects.values_list("incident_id", "source_id", "occurred_at", "kind"))
    assert len(keys) == len(set(keys))
    assert Event.objects.count() == FeedUpdate.objects.count()


def test_the_beat_schedule_polls_due_feeds_through_a_worker(
    workers, tmp_path, feed_server: FeedServer
) -> None:
    assert django_settings.CELERY_BEAT_SCHEDULE["poll-feeds"]["task"] in celery_app.tasks
    Service.objects.create(name="Example Chat", provider="Example Chat", category="customer_app")
    url = feed_server.serve(PATH, _big_feed(3))
    feed = feed_create(url=url, provider="Example Chat", kind="statuspage")
    workers()
    beat = Beat(tmp_path / "beat.log", tmp_path / "beat-schedule")
    try:
        _wait_for(
            lambda: Feed.objects.filter(pk=feed.pk, state=FeedState.OK).exists(),
            "beat to have the feed polled",
        )
    finally:
        beat.stop()
    assert FeedEntry.objects.filter(feed=feed).count() == 3
    assert Event.objects.count() == 12
    _assert_no_duplicate_events()


def test_a_worker_killed_mid_poll_leaves_no_duplicate_events(
    workers, queue: str, feed_server: FeedServer
) -> None:
    Service.objects.create(name="Example Chat", provider="Example Chat", category="customer_app")
    url = feed_server.serve(PATH, _big_feed(ENTRIES))
    feed = feed_create(url=url, provider="Example Chat", kind="statuspage")
    first = workers()
    feed_poll_task.apply_async(args=[feed.pk], queue=queue)
    _wait_for(
        lambda: FeedEntry.objects.filter(feed=feed).count() >= 20,
        "the first worker to be writing entries",
    )
    first.kill()  # SIGKILL mid-way: no ack, no cleanup
    written = FeedEntry.objects.filter(feed=feed).count()
    assert 0 < written < ENTRIES
    # Every entry written so far is whole: each has its four events, none half-done.
    assert Event.objects.count() == FeedUpdate.objects.count() == 4 * written
    assert Feed.objects.get(pk=feed.pk).etag == ""  # validators wait for a whole poll

    workers()  # the broker hands the unacknowledged poll to the new worker
    _wait_for(
        lambda: Feed.objects.filter(pk=feed.pk, state=FeedState.OK).exists(),
        "the redelivered poll to finish",
        timeout=120,
    )
    # The killed poll, its redelivery, and perhaps more: with the short visibility
    # timeout of these tests a long poll is handed out again while it runs. However
    # many run, each entry is written once.
    assert sum(path == PATH for path, _ in feed_server.requests) >= 2
    assert FeedEntry.objects.filter(feed=feed).count() == ENTRIES
    assert Event.objects.count() == 4 * ENTRIES
    _assert_no_duplicate_events()
