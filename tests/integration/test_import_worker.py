"""The import pipeline against a real Celery worker (prefork, a subprocess) and a real Redis.

Each test starts its own worker on a queue of its own, pointed at the test database, so
parallel runs do not steal each other's tasks. The worker gets a short visibility timeout
(and unacked keys of its own) so a task whose worker was killed is handed on within
seconds instead of the ten minutes production waits.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection, connections

from config.celery import app as celery_app
from postmortems.ingest.services import source_import_submit
from postmortems.models import Event, Source, SourceImport, SourceStatus
from postmortems.tasks import import_run_task
from tests.factories import IncidentFactory

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = (ROOT / "postmortems/demo_data/aws-us-east-1-outage-de.txt").read_bytes()
VISIBILITY_TIMEOUT = 6
WAIT_SECONDS = 40

WORKER_SCRIPT = """
import os, sys
import django
django.setup()
from config.celery import app
queue = sys.argv[1]
app.conf.broker_transport_options = {
    "visibility_timeout": int(os.environ["TEST_VISIBILITY_TIMEOUT"]),
    "unacked_key": "unacked-" + queue,
    "unacked_index_key": "unacked_index-" + queue,
    "unacked_mutex_key": "unacked_mutex-" + queue,
    # Look for abandoned messages every second (kombu's default sweep is far slower).
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
app.worker_main([
    "worker", "--pool=prefork", "--concurrency=2", "-Q", queue, "-n", queue + "@%h",
    "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
])
"""


# --- the article server ---------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.hits = 0
        self.lock = threading.Lock()
        self.slow_first = False
        self.release = threading.Event()

    def url(self, path: str = "/article") -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.hits += 1
            slow = self.server.slow_first and self.server.hits == 1
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(ARTICLE)))
            self.end_headers()
            if slow:
                # Half the body, then stall: the worker is mid-fetch until it is killed.
                self.wfile.write(ARTICLE[:100])
                self.wfile.flush()
                self.server.release.wait(20)
                return
            time.sleep(0.3)  # long enough for simultaneous imports to overlap
            self.wfile.write(ARTICLE)


@pytest.fixture
def article_server(settings) -> Iterator[_Server]:
    server = _Server()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CASCADE_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()


# --- the worker -----------------------------------------------------------------------


def _database_url() -> str:
    """Return a DATABASE_URL for the database this test runs in (pytest-django's test_<name>)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(db["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            pytest.skip(
                "a worker subprocess cannot share an in-memory SQLite database; use PostgreSQL"
            )
        return f"sqlite:///{name}"
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{credentials}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


class Worker:
    def __init__(self, queue: str, broker_url: str, log: Path) -> None:
        self.log = log
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": _database_url(),
            "DATABASE_CONN_MAX_AGE": "0",
            "REDIS_URL": broker_url,
            "CASCADE_FETCH_ALLOWED_HOSTS": "127.0.0.1",
            "TEST_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        }
        with log.open("ab") as output:
            # A session of its own, so the whole process group (parent and pool children) can be killed.
            self.process = subprocess.Popen(
                [sys.executable, "-c", WORKER_SCRIPT, queue],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()


@pytest.fixture
def queue(monkeypatch) -> str:
    """A queue of this test's own; the app's sends are routed to it."""
    name = f"test-imports-{uuid.uuid4().hex[:12]}"
    original = import_run_task.apply_async

    def routed(*args: object, **kwargs: object) -> object:
        kwargs.setdefault("queue", name)
        return original(*args, **kwargs)

    monkeypatch.setattr(import_run_task, "apply_async", routed)
    return name


@pytest.fixture
def real_broker(settings) -> Iterator[Callable[[str], None]]:
    """Send tasks to a real broker (not eagerly); call it with another URL to switch brokers."""

    def use(url: str) -> None:
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.CELERY_BROKER_URL = url
        settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
            "socket_connect_timeout": 1,
            "socket_timeout": 2,
        }
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    use(os.environ["REDIS_URL"])
    yield use
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def workers(queue: str, tmp_path: Path) -> Iterator[Callable[..., Worker]]:
    started: list[Worker] = []

    def start(broker_url: str | None = None) -> Worker:
        worker = Worker(
            queue, broker_url or os.environ["REDIS_URL"], tmp_path / f"worker-{len(started)}.log"
        )
        started.append(worker)
        return worker

    try:
        yield start
    finally:
        for worker in started:
            worker.stop()
        _forget_queue(queue)
        for log in sorted(tmp_path.glob("worker-*.log")):
            sys.stderr.write(f"--- {log.name} (last lines) ---\n")
            sys.stderr.write("\n".join(log.read_text(errors="replace").splitlines()[-15:]) + "\n")


def _forget_queue(queue: str) -> None:
    """Delete what a test queue left in the shared Redis: the queue, its bindings, its unacked keys."""
    import redis

    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    try:
        keys = [key for key in client.scan_iter(match=f"*{queue}*", count=1000)]
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = WAIT_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"Timed out after {timeout:.0f} s waiting for {what}")


def _finished(*import_ids: int) -> Callable[[], bool]:
    def check() -> bool:
        statuses = SourceImport.objects.filter(pk__in=import_ids).values_list("status", flat=True)
        return all(status in (SourceStatus.DONE, SourceStatus.FAILED) for status in statuses)

    return check


def _assert_no_duplicate_events() -> None:
    keys = list(
        Event.objects.values_list("incident_id", "source_id", "quote_start", "occurred_at", "kind")
    )
    assert len(keys) == len(set(keys))


# --- the tests ------------------------------------------------------------------------


def test_same_url_submitted_twice_at_once_gives_one_source(
    article_server, real_broker, workers
) -> None:
    workers()
    url = article_server.url()
    first_incident, second_incident = IncidentFactory(), IncidentFactory()
    # Two submissions per incident, all at the same moment, on two worker processes that
    # race for one source.
    targets = [first_incident, first_incident, second_incident, second_incident]
    barrier = threading.Barrier(len(targets))
    results: list[int] = []
    errors: list[BaseException] = []

    def submit(incident) -> None:
        try:
            barrier.wait(timeout=10)
            source_import, _ = source_import_submit(kind="url", url=url, incident=incident)
            results.append(source_import.pk)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(incident,)) for incident in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    # A URL's first import wins whatever incident it is sent for (see source_import_submit);
    # submissions racing before that import commits can make one per incident, no more:
    # the unique dedupe_key caps them. Either way the article is one source, read once.
    made = set(results)
    assert 1 <= len(made) <= 2
    _wait_for(_finished(*made), "the imports to finish")
    imports = list(SourceImport.objects.order_by("pk"))
    assert len(imports) == len(made)
    assert {item.status for item in imports} == {"done"}, [item.error for item in imports]
    assert Source.objects.count() == 1
    assert {item.source_id for item in imports} == {Source.objects.get().pk}
    for item in imports:
        assert Event.objects.filter(incident=item.incident).count() == item.events_proposed > 0
    _assert_no_duplicate_events()


def test_worker_killed_mid_import_loses_nothing_and_duplicates_nothing(
    article_server, real_broker, workers
) -> None:
    article_server.slow_first = True
    incident = IncidentFactory()
    first_worker = workers()
    source_import, _ = source_import_submit(kind="url", url=article_server.url(), incident=incident)

    _wait_for(
        lambda: (
            article_server.hits >= 1
            and SourceImport.objects.filter(
                pk=source_import.pk, status=SourceStatus.FETCHING
            ).exists()
        ),
        "the first worker to be mid-fetch",
    )
    first_worker.kill()  # SIGKILL to the parent and its pool: no chance to clean up or ack
    article_server.release.set()
    assert SourceImport.objects.get(pk=source_import.pk).status == SourceStatus.FETCHING
    assert Source.objects.count() == Event.objects.count() == 0  # nothing half-written

    workers()  # the broker hands the unacknowledged task to the new worker
    _wait_for(_finished(source_import.pk), "the redelivered import to finish")

    source_import.refresh_from_db()
    assert source_import.status == SourceStatus.DONE, source_import.error
    assert source_import.attempts == 2
    assert article_server.hits == 2
    assert Source.objects.count() == 1
    assert Event.objects.filter(incident=incident).count() == source_import.events_proposed > 0
    _assert_no_duplicate_events()
    # The redelivered message ran once: a late duplicate finds the import done and writes nothing.
    time.sleep(1)
    assert Event.objects.count() == source_import.events_proposed


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def _redis_server(port: int, directory: Path) -> Iterator[Callable[[], None]]:
    """Run a redis-server of our own on ``port``; yields a function that stops it."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("needs redis-server on PATH to stop and restart a broker")
    pidfile = directory / f"redis-{port}.pid"

    def start() -> None:
        options = ["--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        daemon = ["--daemonize", "yes", "--pidfile", str(pidfile), "--dir", str(directory)]
        subprocess.run([binary, *options, *daemon], check=True)
        _wait_for(lambda: _port_open(port), f"redis-server on port {port}", timeout=10)

    def stop() -> None:
        if pidfile.exists():
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pidfile.read_text().strip()), signal.SIGTERM)
        _wait_for(lambda: not _port_open(port), f"redis-server on port {port} to stop", timeout=10)

    start()
    try:
        yield stop, start
    finally:
        with contextlib.suppress(AssertionError):
            stop()


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_import_submitted_while_redis_is_stopped_completes_after_it_restarts(
    article_server, real_broker, workers, tmp_path
) -> None:
    port = _free_port()
    broker_url = f"redis://127.0.0.1:{port}/0"
    with _redis_server(port, tmp_path) as (stop_redis, start_redis):
        real_broker(broker_url)
        stop_redis()

        started = time.monotonic()
        source_import, created = source_import_submit(
            kind="url", url=article_server.url(), incident=IncidentFactory()
        )
        assert created
        assert time.monotonic() - started < 10
        source_import.refresh_from_db()
        assert (source_import.status, source_import.dispatched_at) == (SourceStatus.QUEUED, None)
        call_command("dispatch_imports")  # the sweep while Redis is still down changes nothing
        assert SourceImport.objects.get(pk=source_import.pk).dispatched_at is None

        start_redis()
        real_broker(broker_url)  # fresh connections to the restarted broker
        workers(broker_url)
        call_command("dispatch_imports")  # what beat runs every minute

        _wait_for(_finished(source_import.pk), "the import to finish after Redis restarted")
        source_import.refresh_from_db()
        assert source_import.status == SourceStatus.DONE, source_import.error
        assert source_import.dispatched_at is not None
        assert Source.objects.count() == 1
        assert Event.objects.count() == source_import.events_proposed > 0
