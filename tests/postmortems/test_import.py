"""The article import pipeline: submission, the run, exactly-once, broker outages, API, review, dry run.

Tasks run in-process here (eager), also when REDIS_URL is set: the real worker is the
business of tests/integration/test_import_worker.py.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db.models import F
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from config.celery import app as celery_app
from postmortems.ingest import articles, decoding, selectors, services
from postmortems.ingest.highlight import highlighted_pieces
from postmortems.ingest.markup import markdown_to_text
from postmortems.ingest.proposals import group_proposals
from postmortems.ingest.selectors import review_groups
from postmortems.ingest.services import (
    proposal_accept,
    proposal_conflict_resolve,
    proposal_edit,
    proposal_reject,
    proposals_accept_all,
    source_import_submit,
)
from postmortems.models import (
    Event,
    Incident,
    Precision,
    ReviewState,
    Service,
    Source,
    SourceImport,
    SourceStatus,
)
from postmortems.services import content_hash
from tests.factories import EventFactory, IncidentFactory, ServiceFactory, SourceFactory

GERMAN_ARTICLE = (
    Path(__file__).resolve().parents[2] / "postmortems/demo_data/aws-us-east-1-outage-de.txt"
).read_text(encoding="utf-8")
RECOVERY_UTC = datetime(2025, 10, 20, 9, 35, tzinfo=UTC)
TRIGGER_2021_UTC = datetime(2021, 12, 7, 11, 35, tzinfo=UTC)
OUTAGE_START = datetime(2025, 10, 20, 6, 48, tzinfo=UTC)
ENGLISH_HTML = b"""<!doctype html><html><head><title>DynamoDB outage in us-east-1</title></head><body>
<nav><a href="/">Home</a> | <a href="/about">About</a> | <a href="/subscribe">Subscribe</a></nav>
<article><h1>DynamoDB outage in us-east-1</h1>
<p>On October 20, 2025 at 06:48 UTC, DynamoDB started returning DNS resolution errors in the
US-EAST-1 Region, and customers could not reach the service endpoint.</p>
<p>Engineers identified the empty DNS record at 07:26 UTC and began working on a fix for the
automation that had removed it.</p>
<p>DynamoDB fully recovered at 09:40 UTC after the DNS record was restored by hand.</p>
</article><footer>Copyright 2025 Example News. All rights reserved.</footer></body></html>"""


# --- fixtures -------------------------------------------------------------------------


def _reset_broker_pools() -> None:
    # Celery caches its connection and producer pools; a test that swaps the broker URL
    # must drop them so the next send connects to the new one.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture(autouse=True)
def eager_tasks(settings) -> Iterator[None]:
    """Run tasks in-process, whatever broker the environment names.

    Not propagating, as in development: an eager retry is then run again in-process
    instead of surfacing as an exception (results still raise on ``.get()``).
    """
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    settings.CELERY_BROKER_URL = "memory://"
    _reset_broker_pools()
    yield
    _reset_broker_pools()


@pytest.fixture
def broker_down(settings) -> Iterator[None]:
    """A real broker that refuses connections: Redis URL on a closed port, tasks not eager."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_CONNECTION_TIMEOUT = 1
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
    _reset_broker_pools()
    yield
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_BROKER_URL = "memory://"
    _reset_broker_pools()


@pytest.fixture
def catalogue(db: None) -> dict[str, Service]:
    """The services the articles name, with aliases."""
    return {
        "DynamoDB": ServiceFactory(
            name="DynamoDB", provider="AWS", aliases=["Amazon DynamoDB", "DDB"]
        ),
        "EC2": ServiceFactory(name="EC2", provider="AWS", aliases=["Amazon EC2"]),
    }


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks) -> Callable[..., object]:
    """Call a function and run the on-commit callbacks it registered (the dispatch), as a commit would."""

    def call(function: Callable[..., object], /, **kwargs: object) -> object:
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return call


@pytest.fixture
def submit(on_commit) -> Callable[..., SourceImport]:
    def call(**kwargs: object) -> SourceImport:
        source_import, _ = on_commit(source_import_submit, **kwargs)
        source_import.refresh_from_db()
        return source_import

    return call


class _ArticleServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ArticleHandler)
        self.hits: list[str] = []

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class _ArticleHandler(BaseHTTPRequestHandler):
    server: _ArticleServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.server.hits.append(self.path)
        if self.path == "/article":
            self._send(200, ENGLISH_HTML, "text/html; charset=utf-8")
        elif self.path == "/german.txt":
            self._send(200, GERMAN_ARTICLE.encode("utf-8"), "text/plain; charset=utf-8")
        elif self.path == "/to-private":
            self.send_response(302)
            self.send_header("Location", "http://10.0.0.1/article")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/image":
            self._send(200, b"\x89PNG\r\n", "image/png")
        else:
            self._send(404, b"not found", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)


@pytest.fixture
def article_server(settings) -> Iterator[_ArticleServer]:
    """A local web server the fetcher is allowed to reach."""
    server = _ArticleServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CASCADE_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


# --- 1. the pipeline: submit pasted text, URL, upload ---------------------------------


def test_pasted_german_article_is_stored_with_its_recovery_proposed_and_warnings(
    submit, catalogue, editor
) -> None:
    source_import = submit(kind="text", payload=GERMAN_ARTICLE, user=editor)

    assert source_import.status == SourceStatus.DONE
    assert source_import.progress == 100
    assert source_import.error == ""
    assert source_import.finished_at is not None
    source = source_import.source
    assert source.text == GERMAN_ARTICLE.strip()
    assert source.content_hash == content_hash(source.text)
    assert source.language == "de"
    assert source_import.incident.title == "Wenn DNS-Ausfälle durch Cloud-Infrastruktur kaskadieren"
    assert source_import.incident.is_draft
    assert source.incidents.filter(pk=source_import.incident_id).exists()

    events = Event.objects.filter(source=source)
    recovery = events.get(occurred_at=RECOVERY_UTC)
    assert recovery.kind == "recovery"
    assert recovery.review_state == ReviewState.PROPOSED
    assert source.text[recovery.quote_start : recovery.quote_end] == recovery.quote
    assert "09:35 UTC" in recovery.quote
    assert events.filter(
        occurred_at=datetime(2021, 12, 7, 11, 35, tzinfo=UTC), services=catalogue["DynamoDB"]
    ).exists()
    assert source_import.events_proposed == events.count() == 2
    codes = {warning["code"] for warning in source_import.warnings}
    assert {"multiple_incidents", "contradictory_times"} <= codes


def test_progress_moves_through_fetching_and_extracting_to_done(
    submit, catalogue, monkeypatch
) -> None:
    seen: list[tuple[str, int]] = []
    original = services._progress

    def record(import_id: int, status: str, progress: int) -> None:
        original(import_id, status, progress)
        seen.append(tuple(SourceImport.objects.values_list("status", "progress").get(pk=import_id)))

    monkeypatch.setattr(services, "_progress", record)
    source_import = submit(kind="text", payload=GERMAN_ARTICLE)

    assert seen == [("extracting", 50), ("extracting", 80)]
    assert (source_import.status, source_import.progress, source_import.attempts) == (
        "done",
        100,
        1,
    )


def test_same_content_submitted_again_makes_no_second_source_or_import_or_events(
    submit, catalogue
) -> None:
    first = submit(kind="text", payload=GERMAN_ARTICLE)
    second = submit(kind="text", payload=GERMAN_ARTICLE)

    assert second.pk == first.pk
    assert SourceImport.objects.count() == 1
    assert Source.objects.count() == 1
    assert Incident.objects.count() == 1
    assert Event.objects.count() == first.events_proposed == 2


def test_same_content_for_a_second_incident_lands_on_the_first_import(submit, catalogue) -> None:
    first = submit(kind="text", payload=GERMAN_ARTICLE)
    other_incident = IncidentFactory()
    second = submit(
        kind="upload", filename="artikel.txt", payload=GERMAN_ARTICLE, incident=other_incident
    )

    assert second.pk == first.pk
    assert SourceImport.objects.count() == Source.objects.count() == 1
    assert Event.objects.filter(incident=other_incident).count() == 0
    assert Event.objects.count() == first.events_proposed


def test_running_a_finished_import_again_writes_nothing(submit, catalogue) -> None:
    from postmortems.tasks import import_run_task

    source_import = submit(kind="text", payload=GERMAN_ARTICLE)
    before = (Source.objects.count(), Event.objects.count())

    assert import_run_task.delay(source_import.pk).get() == "skipped"
    assert services.source_import_run(import_id=source_import.pk).status == SourceStatus.DONE
    assert (Source.objects.count(), Event.objects.count()) == before


def test_a_rerun_after_a_crash_mid_way_completes_without_duplicates(submit, catalogue) -> None:
    """A worker that died after claiming leaves the import 'fetching'; the redelivered task finishes it."""
    from postmortems.tasks import import_run_task

    incident = IncidentFactory()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "source_import_dispatch", lambda import_id: False)
        source_import = submit(kind="text", payload=GERMAN_ARTICLE, incident=incident)
    assert services.source_import_claim(import_id=source_import.pk)  # the run that died

    assert import_run_task.delay(source_import.pk).get() == "done"
    source_import.refresh_from_db()
    assert (source_import.status, source_import.attempts) == ("done", 2)
    assert Event.objects.filter(incident=incident).count() == 2


def test_same_url_submitted_twice_is_one_import_and_one_source(
    submit, catalogue, article_server
) -> None:
    url = article_server.url("/article")
    first = submit(kind="url", url=url)
    second = submit(kind="url", url=url + "#top")

    assert first.status == SourceStatus.DONE, first.error
    assert second.pk == first.pk
    assert Source.objects.count() == 1
    assert article_server.hits == ["/article"]
    source = first.source
    assert source.url == url
    assert source.title == "DynamoDB outage in us-east-1"
    assert "Subscribe" not in source.text  # navigation is not article text
    assert "Copyright" not in source.text
    assert source.raw_content.startswith("<!doctype html>")
    assert source.language == "en"
    kinds = set(Event.objects.filter(source=source).values_list("kind", flat=True))
    assert "recovery" in kinds


def test_same_url_for_another_incident_lands_on_the_first_import_without_fetching(
    submit, catalogue, article_server
):
    url = article_server.url("/article")
    first = submit(kind="url", url=url)
    other_incident = IncidentFactory()
    second = submit(kind="url", url=url + "#again", incident=other_incident)

    assert second.pk == first.pk
    assert article_server.hits == ["/article"]
    assert not Event.objects.filter(incident=other_incident).exists()


@pytest.mark.parametrize(
    ("path_or_url", "message"),
    [
        (
            "http://10.0.0.1/article",
            "Refused to fetch http://10.0.0.1/article: 10.0.0.1 is a private address",
        ),
        ("/to-private", "10.0.0.1"),
        ("/image", "image/png"),
    ],
)
def test_refused_url_fails_with_the_fetchers_message_and_writes_nothing(
    submit, catalogue, article_server, path_or_url: str, message: str
) -> None:
    url = path_or_url if path_or_url.startswith("http") else article_server.url(path_or_url)
    source_import = submit(kind="url", url=url)

    assert source_import.status == SourceStatus.FAILED
    assert message in source_import.error
    assert source_import.finished_at is not None
    assert source_import.source is None
    assert Source.objects.count() == 0
    assert Event.objects.count() == 0


def test_failure_inside_extraction_leaves_nothing_half_written(
    submit, catalogue, monkeypatch
) -> None:
    original = services._proposals_create

    def create_then_explode(**kwargs: object) -> int:
        original(**kwargs)  # the source and every event are written by now...
        raise RuntimeError("disk on fire")  # ...and must all be rolled back

    monkeypatch.setattr(services, "_proposals_create", create_then_explode)
    source_import = submit(kind="text", payload=GERMAN_ARTICLE, incident=IncidentFactory())

    assert source_import.status == SourceStatus.FAILED
    assert "disk on fire" in source_import.error
    assert Source.objects.count() == 0
    assert Event.objects.count() == 0
    assert source_import.events_proposed == 0


def test_resubmitting_a_failed_import_runs_it_again(submit, catalogue, monkeypatch) -> None:
    monkeypatch.setattr(
        articles, "extract_timeline", lambda *a, **k: (_ for _ in ()).throw(ValueError("boom"))
    )
    failed = submit(kind="text", payload=GERMAN_ARTICLE)
    assert failed.status == SourceStatus.FAILED
    monkeypatch.undo()

    again = submit(kind="text", payload=GERMAN_ARTICLE)

    assert again.pk == failed.pk
    assert again.status == SourceStatus.DONE
    assert again.error == ""


def test_transient_fetch_errors_are_retried_then_recorded(submit, catalogue, monkeypatch) -> None:
    from postmortems.ingest.fetching import FetchError

    calls: list[str] = []

    def flaky(url: str, **kwargs: object) -> object:
        calls.append(url)
        raise FetchError("timeout", f"Timed out fetching {url}.", transient=True)

    monkeypatch.setattr(articles, "fetch_document", flaky)
    source_import = submit(kind="url", url="https://status.example.com/incident")

    assert len(calls) == 6  # the first try and five retries
    assert source_import.status == SourceStatus.FAILED
    assert (
        source_import.error
        == "Timed out fetching https://status.example.com/incident. Gave up after 6 attempts."
    )
    assert source_import.attempts == 6


def test_retry_backoff_grows_exponentially_and_is_capped() -> None:
    from postmortems.tasks import RETRY_CAP_SECONDS, retry_countdown

    waits = [retry_countdown(retries) for retries in range(8)]
    assert 10 <= waits[0] <= 12
    assert 20 <= waits[1] <= 25
    assert 80 <= waits[3] <= 100
    assert all(wait <= RETRY_CAP_SECONDS * 1.25 for wait in waits)


def test_markdown_upload_is_stripped_to_text(submit, catalogue) -> None:
    markdown = (
        "# Post-incident review\n\n"
        "**Impact:** [DynamoDB](https://aws.amazon.com/dynamodb/) was down.\n\n"
        "* On October 20, 2025 at 06:48 UTC DynamoDB *started* failing.\n"
        "* At 09:40 UTC DynamoDB recovered.\n"
    )
    source_import = submit(kind="upload", filename="review.md", payload=markdown)

    assert source_import.status == SourceStatus.DONE, source_import.error
    text = source_import.source.text
    assert text.startswith("Post-incident review\n\nImpact: DynamoDB was down.")
    assert "**" not in text
    assert "](" not in text
    assert "#" not in text
    assert source_import.source.title == "Post-incident review"
    assert Event.objects.filter(source=source_import.source, kind="recovery").exists()


def test_markdown_to_text_keeps_words_inside_snake_case_and_lists() -> None:
    assert markdown_to_text(
        "Use `dns_record_v2` and __bold__ or _em_ [x][1]\n\n[1]: http://a\n+ item"
    ) == ("Use dns_record_v2 and bold or em x\n\n- item")


def test_pasted_html_goes_through_the_article_extractor(submit, catalogue) -> None:
    source_import = submit(kind="text", payload=ENGLISH_HTML.decode())

    assert source_import.status == SourceStatus.DONE
    assert "<p>" not in source_import.source.text
    assert "Subscribe" not in source_import.source.text


def test_upload_decoding_survives_bad_bytes_and_nul() -> None:
    assert decoding.decode_upload("Zürich".encode("cp1252")) == "Zürich"
    assert decoding.decode_upload(b"\xef\xbb\xbfa\x00b") == "ab"
    assert decoding.decode_upload("Größe".encode("utf-16")) == "Größe"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "url", "url": "ftp://example.com/a"}, "url"),
        ({"kind": "url", "url": ""}, "url"),
        ({"kind": "text", "payload": "   "}, "payload"),
        ({"kind": "upload", "payload": "x", "filename": "report.pdf"}, "filename"),
        ({"kind": "text", "payload": "x", "language_hint": "fr"}, "language_hint"),
        ({"kind": "text", "payload": "x", "timezone_hint": "Mars/Olympus"}, "timezone_hint"),
    ],
)
def test_invalid_submissions_are_refused_before_anything_is_stored(
    kwargs: dict, field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        source_import_submit(**kwargs)
    assert field in raised.value.message_dict
    assert SourceImport.objects.count() == 0
    assert Incident.objects.count() == 0


def test_timezone_and_language_hints_reach_the_extractor(submit, catalogue) -> None:
    text = "On 20 October 2025 at 08:00 DynamoDB recovered fully after the DNS fix."
    source_import = submit(
        kind="text", payload=text, timezone_hint="America/New_York", language_hint="en"
    )

    event = Event.objects.get(source=source_import.source)
    assert event.occurred_at == datetime(2025, 10, 20, 12, 0, tzinfo=UTC)
    assert source_import.source.language == "en"


def test_incident_start_is_the_reference_date_for_undated_times(submit, catalogue) -> None:
    incident = IncidentFactory(started_at=datetime(2025, 10, 20, 6, 0, tzinfo=UTC))
    source_import = submit(
        kind="text", payload="DynamoDB recovered at 09:40 UTC.", incident=incident
    )

    assert Event.objects.get(source=source_import.source).occurred_at == datetime(
        2025, 10, 20, 9, 40, tzinfo=UTC
    )


# --- 1./4. the broker may be down -----------------------------------------------------


def test_submitting_while_the_broker_is_down_succeeds_and_stays_queued(
    submit, catalogue, broker_down
) -> None:
    started = time.monotonic()
    source_import = submit(kind="text", payload=GERMAN_ARTICLE)

    assert time.monotonic() - started < 5
    assert source_import.status == SourceStatus.QUEUED
    assert source_import.dispatched_at is None
    assert Source.objects.count() == 0


def test_dispatch_imports_completes_what_was_queued_while_the_broker_was_down(
    submit, catalogue, broker_down, settings
) -> None:
    source_import = submit(kind="text", payload=GERMAN_ARTICLE)
    call_command("dispatch_imports")  # still down: nothing changes, nothing raises
    source_import.refresh_from_db()
    assert (source_import.status, source_import.dispatched_at) == ("queued", None)

    settings.CELERY_TASK_ALWAYS_EAGER = True  # the broker is back
    _reset_broker_pools()
    call_command("dispatch_imports")

    source_import.refresh_from_db()
    assert source_import.status == SourceStatus.DONE
    assert source_import.dispatched_at is not None
    assert Event.objects.filter(source=source_import.source).count() == 2


def test_sweep_picks_missing_stale_and_stuck_dispatches_only(db, settings) -> None:
    now = timezone.now()
    incident = IncidentFactory()

    def make(
        key: str, status: str, dispatched_at: datetime | None, updated_at: datetime | None = None
    ) -> int:
        row = SourceImport.objects.create(
            kind="text",
            payload=key,
            dedupe_key=key,
            incident=incident,
            status=status,
            dispatched_at=dispatched_at,
        )
        if updated_at:
            SourceImport.objects.filter(pk=row.pk).update(updated_at=updated_at)
        return row.pk

    never = make("never", "queued", None)
    stale = make("stale", "queued", now - timedelta(hours=1))
    stuck = make("stuck", "fetching", now - timedelta(hours=1), now - timedelta(hours=1))
    make("fresh", "queued", now - timedelta(seconds=5))
    make("working", "extracting", now - timedelta(seconds=5), now - timedelta(seconds=5))
    make("done", "done", None)
    make("failed", "failed", None)

    candidates = selectors.source_import_sweep_candidates(
        now=now,
        stale_after=articles.DISPATCH_STALE_AFTER,
        stuck_before=now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT),
    )

    assert sorted(candidates) == sorted([never, stale, stuck])


def test_beat_schedule_runs_the_sweep(settings) -> None:
    from postmortems.tasks import import_sweep_task

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert import_sweep_task.name in tasks


# --- 1. the API -----------------------------------------------------------------------


@pytest.fixture
def editor_api(editor) -> APIClient:
    client = APIClient()
    client.force_authenticate(editor)
    return client


@pytest.fixture
def viewer_api(viewer) -> APIClient:
    client = APIClient()
    client.force_authenticate(viewer)
    return client


def test_api_editor_submits_text_and_gets_201_then_200_for_the_same_text(
    editor_api, catalogue, django_capture_on_commit_callbacks
) -> None:
    # In a test the request's commit is the end of the block, so the eager task runs there.
    with django_capture_on_commit_callbacks(execute=True):
        created = editor_api.post(
            "/api/v1/imports/", {"text": GERMAN_ARTICLE, "language": "de"}, format="json"
        )
    again = editor_api.post("/api/v1/imports/", {"text": GERMAN_ARTICLE}, format="json")

    assert created.status_code == 201, created.content
    assert created.json()["status"] == "queued"
    assert again.status_code == 200
    body = again.json()
    assert body["id"] == created.json()["id"]
    assert body["status"] == "done"
    assert body["progress"] == 100
    assert body["events_proposed"] == 2
    assert body["source"]["language"] == "de"
    assert body["incident"].startswith("draft-")
    assert {warning["code"] for warning in body["warnings"]} >= {"multiple_incidents"}
    assert SourceImport.objects.count() == 1


def test_api_upload_with_incident_and_hints(
    editor_api, catalogue, django_capture_on_commit_callbacks
) -> None:
    incident = IncidentFactory()
    upload = SimpleUploadedFile(
        "artikel.txt", GERMAN_ARTICLE.encode("utf-8"), content_type="text/plain"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_api.post(
            "/api/v1/imports/",
            {"file": upload, "incident": incident.slug, "timezone": "Europe/Berlin"},
            format="multipart",
        )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["filename"], body["incident"]) == (
        "upload",
        "artikel.txt",
        incident.slug,
    )
    assert body["timezone_hint"] == "Europe/Berlin"
    assert editor_api.get(f"/api/v1/imports/{body['id']}/").json()["status"] == "done"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "non_field_errors"),
        ({"url": "https://example.com/a", "text": "both"}, "non_field_errors"),
        ({"text": "x", "timezone": "Mars/Olympus"}, "timezone"),
        ({"text": "x", "incident": "no-such-incident"}, "incident"),
        ({"url": "ftp://example.com/a"}, "url"),
    ],
)
def test_api_rejects_bad_submissions_with_400(editor_api, data: dict, field: str) -> None:
    response = editor_api.post("/api/v1/imports/", data, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    if field == "non_field_errors":  # a whole-request error is the envelope's message
        assert error["message"] == "Give exactly one of url, file or text."
    else:
        assert field in error["fields"]
    assert SourceImport.objects.count() == 0


def test_api_refuses_uploads_that_are_not_articles(editor_api) -> None:
    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.7", content_type="application/pdf")
    response = editor_api.post("/api/v1/imports/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()["error"]["fields"]


def test_api_viewer_gets_403_and_anonymous_401_on_submit(viewer_api) -> None:
    assert viewer_api.post("/api/v1/imports/", {"text": "x"}, format="json").status_code == 403
    assert APIClient().post("/api/v1/imports/", {"text": "x"}, format="json").status_code == 401
    assert APIClient().get("/api/v1/imports/").status_code == 401
    assert SourceImport.objects.count() == 0


def test_api_shows_status_progress_and_error_to_viewers(viewer_api, submit, catalogue) -> None:
    failed = submit(kind="url", url="http://10.0.0.1/article")
    queued = SourceImport.objects.create(
        kind="text", payload="later", dedupe_key="k", incident=IncidentFactory(), progress=0
    )

    listing = viewer_api.get("/api/v1/imports/")
    detail = viewer_api.get(f"/api/v1/imports/{failed.pk}/")

    assert listing.status_code == 200
    assert {row["id"]: row["status"] for row in listing.json()["results"]} == {
        failed.pk: "failed",
        queued.pk: "queued",
    }
    body = detail.json()
    assert (body["status"], body["progress"], body["source"]) == ("failed", 10, None)
    assert "private address" in body["error"]
    assert viewer_api.get("/api/v1/imports/?status=queued").json()["count"] == 1


def test_api_submit_while_the_broker_is_down_answers_201_queued(
    editor_api, broker_down, catalogue
) -> None:
    response = editor_api.post("/api/v1/imports/", {"text": GERMAN_ARTICLE}, format="json")
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["dispatched_at"]) == ("queued", None)


# --- 3. the import pages --------------------------------------------------------------


def test_import_form_submits_pasted_text_and_redirects_to_the_status_page(
    editor_client: Client, catalogue, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            "/imports/new/", {"text": GERMAN_ARTICLE, "language": "", "timezone": ""}
        )

    source_import = SourceImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/imports/{source_import.pk}/"
    assert source_import.status == SourceStatus.DONE


def test_import_form_uploads_a_markdown_file(
    editor_client: Client, catalogue, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile(
        "pir.md", b"# PIR\n\nAt 09:40 UTC on 20 October 2025 DynamoDB recovered.\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post("/imports/new/", {"file": upload})

    assert response.status_code == 302
    source_import = SourceImport.objects.get()
    assert (source_import.kind, source_import.filename, source_import.status) == (
        "upload",
        "pir.md",
        "done",
    )


def test_import_form_shows_errors_and_stores_nothing(editor_client: Client) -> None:
    response = editor_client.post("/imports/new/", {"text": "x", "timezone": "Mars/Olympus"})
    assert response.status_code == 400
    assert "not a known time zone" in response.content.decode()
    response = editor_client.post("/imports/new/", {"file": SimpleUploadedFile("a.exe", b"MZ")})
    assert response.status_code == 400
    assert SourceImport.objects.count() == 0


def test_import_form_works_while_the_broker_is_down(
    editor_client: Client, broker_down, catalogue
) -> None:
    response = editor_client.post("/imports/new/", {"text": GERMAN_ARTICLE})
    assert response.status_code == 302
    assert SourceImport.objects.get().status == SourceStatus.QUEUED
    page = editor_client.get(response["Location"])
    assert page.status_code == 200
    assert "Queued" in page.content.decode()


def test_import_form_is_for_editors_only(viewer_client: Client) -> None:
    assert viewer_client.get("/imports/new/").status_code == 403
    assert viewer_client.post("/imports/new/", {"text": "x"}).status_code == 403


def test_status_panel_polls_while_running_and_stops_when_finished(
    viewer_client: Client, submit, catalogue
) -> None:
    running = SourceImport.objects.create(
        kind="text",
        payload="x",
        dedupe_key="running",
        incident=IncidentFactory(),
        status="extracting",
        progress=50,
    )
    done = submit(kind="text", payload=GERMAN_ARTICLE)

    page = viewer_client.get(f"/imports/{running.pk}/").content.decode()
    partial = viewer_client.get(f"/imports/{running.pk}/status/").content.decode()
    finished = viewer_client.get(
        f"/imports/{done.pk}/status/", HTTP_HX_REQUEST="true"
    ).content.decode()

    assert f'hx-get="/imports/{running.pk}/status/"' in page
    assert 'hx-trigger="every 2s"' in partial
    assert '<progress class="import-progress" max="100" value="50"' in partial
    assert "<html" not in partial
    assert "hx-trigger" not in finished
    assert "Done" in finished
    assert "multiple_incidents" in finished
    assert f"/imports/{done.pk}/review/" in finished


def test_status_panel_shows_the_error_of_a_failed_import(viewer_client: Client, submit) -> None:
    failed = submit(kind="url", url="http://10.0.0.1/article")
    content = viewer_client.get(f"/imports/{failed.pk}/").content.decode()
    assert "Refused to fetch http://10.0.0.1/article" in content
    assert "hx-trigger" not in content


def test_import_list_shows_every_import_in_a_fixed_number_of_queries(
    viewer_client: Client, django_assert_max_num_queries
) -> None:
    for number in range(12):
        SourceImport.objects.create(
            kind="url",
            url=f"https://example.com/{number}",
            dedupe_key=str(number),
            incident=IncidentFactory(),
        )
    with django_assert_max_num_queries(8):
        response = viewer_client.get("/imports/")
    assert response.status_code == 200
    assert response.content.decode().count("https://example.com/") >= 12


# --- 7. review ------------------------------------------------------------------------


@pytest.fixture
def reviewed(submit, catalogue) -> SourceImport:
    """The German article imported for an incident, its two proposals waiting."""
    return submit(
        kind="text",
        payload=GERMAN_ARTICLE,
        incident=IncidentFactory(slug="aws-2025", started_at=OUTAGE_START),
    )


def _proposal(source_import: SourceImport, at: datetime) -> Event:
    return Event.objects.get(
        source=source_import.source, incident=source_import.incident, occurred_at=at
    )


def test_review_page_highlights_each_quote_by_its_offsets_and_escapes_the_rest(
    editor_client: Client, reviewed
):
    recovery = _proposal(reviewed, RECOVERY_UTC)
    source = reviewed.source
    source.text = "<script>alert(1)</script> " + source.text  # hostile text around the quotes...
    source.save()
    Event.objects.filter(source=source).update(
        quote_start=F("quote_start") + 26, quote_end=F("quote_end") + 26
    )

    response = editor_client.get(f"/imports/{reviewed.pk}/review/", follow=True)
    content = response.content.decode()

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/incidents/aws-2025/review/?source={source.pk}"
    assert (
        f'<mark id="quote-{recovery.pk}" class="quote review-proposed">{recovery.quote}</mark>'
        in content
    )
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_highlighting_skips_offsets_outside_the_text_and_overlaps() -> None:
    text = "0123456789"
    events = [
        Event(pk=1, quote_start=2, quote_end=5, review_state="proposed"),
        Event(pk=2, quote_start=4, quote_end=6, review_state="proposed"),  # overlaps the first
        Event(pk=3, quote_start=8, quote_end=40, review_state="proposed"),  # beyond the text
    ]
    pieces = highlighted_pieces(text, events)
    assert [(piece.text, piece.event_id) for piece in pieces] == [
        ("01", None),
        ("234", 1),
        ("56789", None),
    ]


def test_accepting_one_proposal_with_htmx_puts_it_on_the_timeline(
    editor_client: Client, editor, reviewed
) -> None:
    recovery = _proposal(reviewed, RECOVERY_UTC)
    response = editor_client.post(f"/proposals/{recovery.pk}/accept/", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert '<div id="review"' in response.content.decode()
    assert "<html" not in response.content.decode()  # a partial: no reload
    recovery.refresh_from_db()
    assert (recovery.review_state, recovery.added_by) == (ReviewState.ACCEPTED, editor)
    detail = editor_client.get("/incidents/aws-2025/").content.decode()
    assert recovery.title in detail.split("Under review or rejected")[0]


def test_rejecting_one_proposal_keeps_it_rejected(editor_client: Client, reviewed) -> None:
    recovery = _proposal(reviewed, RECOVERY_UTC)
    response = editor_client.post(f"/proposals/{recovery.pk}/reject/", {"note": "wrong incident"})

    assert response.status_code == 302
    recovery.refresh_from_db()
    assert (recovery.review_state, recovery.review_note) == (ReviewState.REJECTED, "wrong incident")


def test_editing_a_proposal_changes_time_kind_title_services_and_accepts_it(
    editor_client: Client, reviewed, catalogue
) -> None:
    recovery = _proposal(reviewed, RECOVERY_UTC)
    form = editor_client.get(f"/proposals/{recovery.pk}/edit/", HTTP_HX_REQUEST="true")
    assert 'name="occurred_at"' in form.content.decode()
    assert 'value="2025-10-20T09:35"' in form.content.decode()

    response = editor_client.post(
        f"/proposals/{recovery.pk}/edit/",
        {
            "occurred_at": "2025-10-20T09:40",
            "precision": "minute",
            "kind": "mitigation",
            "title": "Services restored by hand",
            "services": [catalogue["DynamoDB"].pk, catalogue["EC2"].pk],
        },
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    recovery.refresh_from_db()
    assert recovery.occurred_at == datetime(2025, 10, 20, 9, 40, tzinfo=UTC)
    assert (recovery.kind, recovery.title, recovery.review_state) == (
        "mitigation",
        "Services restored by hand",
        "accepted",
    )
    assert set(recovery.services.all()) == {catalogue["DynamoDB"], catalogue["EC2"]}


def test_editing_with_a_bad_time_shows_the_form_again_in_the_card(
    editor_client: Client, reviewed
) -> None:
    recovery = _proposal(reviewed, RECOVERY_UTC)
    response = editor_client.post(
        f"/proposals/{recovery.pk}/edit/",
        {"occurred_at": "yesterday", "precision": "minute", "kind": "recovery", "title": "x"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#proposal-{recovery.pk}"
    recovery.refresh_from_db()
    assert (recovery.occurred_at, recovery.review_state) == (RECOVERY_UTC, ReviewState.PROPOSED)


def test_accept_all_accepts_every_proposal_except_another_incidents_moments(
    editor_client: Client, reviewed
) -> None:
    response = editor_client.post("/incidents/aws-2025/review/accept-all/", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    states = dict(
        Event.objects.filter(incident=reviewed.incident).values_list("occurred_at", "review_state")
    )
    assert states[RECOVERY_UTC] == ReviewState.ACCEPTED
    assert states[TRIGGER_2021_UTC] == ReviewState.PROPOSED
    assert 'class="primary">Accept all' not in response.content.decode()
    assert "1 moment from another incident" in response.content.decode()


def test_review_is_for_editors_only(viewer_client: Client, reviewed) -> None:
    recovery = _proposal(reviewed, RECOVERY_UTC)
    assert viewer_client.get("/incidents/aws-2025/review/").status_code == 403
    assert viewer_client.get(f"/imports/{reviewed.pk}/review/").status_code == 403
    for action in ("accept", "reject", "keep", "edit"):
        assert viewer_client.post(f"/proposals/{recovery.pk}/{action}/").status_code == 403
    assert viewer_client.post("/incidents/aws-2025/review/accept-all/").status_code == 403
    recovery.refresh_from_db()
    assert recovery.review_state == ReviewState.PROPOSED


def _moment(
    incident: Incident,
    source: Source,
    at: datetime,
    *,
    services=(),
    precision="minute",
    state="proposed",
):
    return EventFactory(
        incident=incident,
        source=source,
        occurred_at=at,
        kind="detection",
        precision=precision,
        review_state=state,
        services=list(services),
    )


def test_same_moment_from_two_sources_is_one_group_without_conflict(db, catalogue) -> None:
    incident, first, second = IncidentFactory(), SourceFactory(), SourceFactory()
    at = datetime(2025, 10, 20, 7, 11, tzinfo=UTC)
    a = _moment(incident, first, at, services=[catalogue["DynamoDB"]])
    b = _moment(incident, second, at + timedelta(minutes=1), services=[catalogue["DynamoDB"]])

    groups = review_groups(incident)

    assert [[event.pk for event in group.events] for group in groups] == [[a.pk, b.pk]]
    assert not groups[0].conflict
    assert groups[0].source_count == 2


def test_disagreeing_times_for_the_same_moment_are_a_conflict(db, catalogue) -> None:
    incident, first, second = IncidentFactory(), SourceFactory(), SourceFactory()
    at = datetime(2025, 10, 20, 7, 11, tzinfo=UTC)
    a = _moment(incident, first, at, services=[catalogue["DynamoDB"]])
    b = _moment(incident, second, at + timedelta(minutes=15), services=[catalogue["DynamoDB"]])

    [group] = review_groups(incident)

    assert {event.pk for event in group.events} == {a.pk, b.pk}
    assert group.conflict


def test_different_moments_are_not_grouped(db, catalogue) -> None:
    incident, source = IncidentFactory(), SourceFactory()
    at = datetime(2025, 10, 20, 7, 11, tzinfo=UTC)
    _moment(incident, source, at, services=[catalogue["DynamoDB"]])
    _moment(incident, source, at, services=[catalogue["EC2"]])  # another service
    _moment(
        incident, source, at + timedelta(hours=5), services=[catalogue["DynamoDB"]]
    )  # hours later
    other_kind = _moment(incident, source, at, services=[catalogue["DynamoDB"]])
    Event.objects.filter(pk=other_kind.pk).update(kind="recovery")

    assert len(review_groups(incident)) == 4


def test_coarse_precision_widens_what_counts_as_agreement(db) -> None:
    incident, first, second = IncidentFactory(), SourceFactory(), SourceFactory()
    at = datetime(2025, 10, 20, 7, 0, tzinfo=UTC)
    _moment(incident, first, at, precision=Precision.HOUR)
    _moment(incident, second, at + timedelta(minutes=40))

    [group] = group_proposals(Event.objects.prefetch_related("services"))
    assert not group.conflict


def test_keeping_one_side_of_a_conflict_accepts_it_and_rejects_the_other(
    editor_client: Client, db, catalogue
):
    incident, first, second = (
        IncidentFactory(slug="conflicted", started_at=OUTAGE_START),
        SourceFactory(),
        SourceFactory(),
    )
    first.incidents.add(incident)
    second.incidents.add(incident)
    at = datetime(2025, 10, 20, 7, 11, tzinfo=UTC)
    keep = _moment(incident, first, at, services=[catalogue["DynamoDB"]])
    other = _moment(incident, second, at + timedelta(minutes=15), services=[catalogue["DynamoDB"]])

    page = editor_client.get("/incidents/conflicted/review/").content.decode()
    assert "Conflict:" in page
    assert f"/proposals/{keep.pk}/keep/" in page

    response = editor_client.post(f"/proposals/{keep.pk}/keep/", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    keep.refresh_from_db()
    other.refresh_from_db()
    assert (keep.review_state, other.review_state) == (ReviewState.ACCEPTED, ReviewState.REJECTED)
    assert "Conflict" not in response.content.decode()


def test_accept_all_leaves_conflicts_for_the_reviewer(db, editor, catalogue) -> None:
    incident, first, second = (
        IncidentFactory(started_at=OUTAGE_START),
        SourceFactory(),
        SourceFactory(),
    )
    at = datetime(2025, 10, 20, 7, 11, tzinfo=UTC)
    a = _moment(incident, first, at, services=[catalogue["DynamoDB"]])
    b = _moment(incident, second, at + timedelta(minutes=15), services=[catalogue["DynamoDB"]])
    clear = _moment(incident, first, at + timedelta(hours=6))

    assert proposals_accept_all(incident=incident, user=editor) == 1
    assert set(
        Event.objects.filter(pk__in=[a.pk, b.pk]).values_list("review_state", flat=True)
    ) == {"proposed"}
    clear.refresh_from_db()
    assert clear.review_state == ReviewState.ACCEPTED


def test_a_new_proposal_disagreeing_with_the_accepted_timeline_is_a_conflict(
    db, editor, catalogue
) -> None:
    incident, first, second = IncidentFactory(), SourceFactory(), SourceFactory()
    at = datetime(2025, 10, 20, 7, 11, tzinfo=UTC)
    accepted = _moment(incident, first, at, state="accepted")
    newcomer = _moment(incident, second, at + timedelta(minutes=30))

    [group] = review_groups(incident)
    assert group.conflict
    rejected = proposal_conflict_resolve(keep=accepted, user=editor)
    assert [event.pk for event in rejected] == [newcomer.pk]


def test_review_services_refuse_edits_that_collide_with_another_proposal(db, editor) -> None:
    incident, source = IncidentFactory(), SourceFactory(text="x" * 100)
    at = datetime(2025, 10, 20, 7, 11, tzinfo=UTC)
    first = EventFactory(
        incident=incident,
        source=source,
        occurred_at=at,
        kind="detection",
        quote_start=0,
        quote_end=5,
    )
    second = EventFactory(
        incident=incident,
        source=source,
        occurred_at=at + timedelta(hours=1),
        kind="detection",
        quote_start=0,
        quote_end=5,
    )
    with pytest.raises(ValidationError):
        proposal_edit(
            event=second, user=editor, occurred_at=at, kind="detection", title="dup", services=[]
        )
    proposal_reject(event=first, user=editor)
    proposal_accept(event=second, user=editor)
    second.refresh_from_db()
    assert (second.occurred_at, second.review_state) == (
        at + timedelta(hours=1),
        ReviewState.ACCEPTED,
    )


def test_review_page_queries_do_not_grow_with_proposals(
    editor_client: Client, db, django_assert_max_num_queries
):
    incident, source = IncidentFactory(slug="many"), SourceFactory(text="word " * 400)
    source.incidents.add(incident)
    services = [ServiceFactory() for _ in range(3)]
    for number in range(30):
        EventFactory(
            incident=incident,
            source=source,
            occurred_at=datetime(2025, 10, 20, tzinfo=UTC) + timedelta(hours=number),
            kind="impact",
            review_state="proposed",
            quote_start=number * 10,
            quote_end=number * 10 + 4,
            services=services,
        )
    with django_assert_max_num_queries(12):
        response = editor_client.get("/incidents/many/review/")
    assert response.content.decode().count('class="quote review-proposed"') == 30


# --- 6. the dry run -------------------------------------------------------------------


def _row_counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Source, SourceImport, Event, Incident, Service)
    )


def test_extract_timeline_prints_exactly_the_import_json_and_writes_nothing(
    tmp_path, capsys, catalogue, django_assert_max_num_queries
) -> None:
    path = tmp_path / "artikel.txt"
    path.write_text(GERMAN_ARTICLE, encoding="utf-8")
    before = _row_counts()

    with django_assert_max_num_queries(1):  # the catalogue, read once
        call_command("extract_timeline", str(path), "--lang", "de")
    output = json.loads(capsys.readouterr().out)

    assert _row_counts() == before
    assert set(output) == {"language", "events", "warnings"}
    assert output["language"] == "de"
    for event in output["events"]:
        # The agreed keys keep their meaning; the extractor may add keys (the evidence).
        assert set(event) >= {
            "at",
            "precision",
            "kind",
            "services",
            "quote",
            "start",
            "end",
            "confidence",
        }
        assert GERMAN_ARTICLE.strip()[event["start"] : event["end"]] == event["quote"]
    for warning in output["warnings"]:
        assert set(warning) == {"code", "message"}
    recovery = next(event for event in output["events"] if event["at"] == "2025-10-20T09:35:00Z")
    assert recovery["kind"] == "recovery"
    trigger = next(event for event in output["events"] if event["at"] == "2021-12-07T11:35:00Z")
    assert trigger["services"] == ["DynamoDB"]  # named from the catalogue in the database


def test_extract_timeline_json_matches_what_an_import_proposes(
    tmp_path, capsys, submit, catalogue
) -> None:
    path = tmp_path / "artikel.txt"
    path.write_text(GERMAN_ARTICLE, encoding="utf-8")
    call_command("extract_timeline", str(path))
    printed = json.loads(capsys.readouterr().out)

    source_import = submit(kind="text", payload=GERMAN_ARTICLE)
    stored = Event.objects.filter(source=source_import.source).order_by("quote_start")
    assert [(e["at"], e["kind"], e["start"], e["end"]) for e in printed["events"]] == [
        (e.occurred_at.strftime("%Y-%m-%dT%H:%M:%SZ"), e.kind, e.quote_start, e.quote_end)
        for e in stored
    ]
    assert [w["code"] for w in printed["warnings"]] == [w["code"] for w in source_import.warnings]


def test_extract_timeline_fetches_urls_and_prints_a_table(
    capsys, catalogue, article_server
) -> None:
    before = _row_counts()
    call_command(
        "extract_timeline", article_server.url("/article"), "--format", "table", "--timezone", "UTC"
    )
    output = capsys.readouterr().out

    assert output.startswith("Language: en")
    assert "2025-10-20T09:40:00Z" in output
    assert "recovery" in output
    assert _row_counts() == before


def test_extract_timeline_reference_date_dates_undated_times(tmp_path, capsys, db) -> None:
    path = tmp_path / "log.md"
    path.write_text("## Update\n\n**09:40 UTC** The service recovered.\n", encoding="utf-8")
    call_command("extract_timeline", str(path), "--reference-date", "2025-10-20")
    events = json.loads(capsys.readouterr().out)["events"]
    assert [event["at"] for event in events] == ["2025-10-20T09:40:00Z"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["/no/such/file.txt"], "No such file: /no/such/file.txt"),
        (
            ["{article}", "--reference-date", "20.10.2025"],
            "--reference-date must be a date as YYYY-MM-DD",
        ),
        (["{article}", "--timezone", "Mars/Olympus"], "Unknown time zone 'Mars/Olympus'"),
        (["http://10.0.0.1/"], "Refused to fetch http://10.0.0.1/: 10.0.0.1 is a private address"),
        (["file:///etc/passwd"], "No such file: file:///etc/passwd"),
        (["{article}", "--lang", "fr"], "invalid choice: 'fr'"),
    ],
)
def test_extract_timeline_bad_input_is_a_clear_command_error(
    tmp_path, db, arguments: list[str], message: str
):
    article = tmp_path / "a.txt"
    article.write_text("At 09:35 UTC on 20 October 2025 it recovered.", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command(
            "extract_timeline", *[argument.format(article=article) for argument in arguments]
        )
    assert message in str(raised.value)


def test_import_form_page_offers_url_upload_text_incident_and_hints(editor_client: Client) -> None:
    incident = IncidentFactory(slug="chosen")
    content = editor_client.get(f"/imports/new/?incident={incident.slug}").content.decode()
    assert 'enctype="multipart/form-data"' in content
    for name in ("url", "file", "text", "incident", "language", "timezone"):
        assert f'name="{name}"' in content
    assert "Create a draft incident" in content
    assert '<option value="chosen" selected>' in content
