"""Running it like production: health, failing cleanly, periodic upkeep."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import UTC, date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from postmortems.maintenance import action_items_overdue, source_links_check
from postmortems.models import ActionItem, LinkStatus, Source
from tests.factories import IncidentFactory


def test_health_reports_database_and_broker_separately(client: Client, db: None, settings) -> None:
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "not configured (tasks run in-process)",
    }


def test_health_says_when_the_broker_is_unreachable(client: Client, db: None, settings) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    with mock.patch("config.celery.app.connection_for_write") as connect:
        connect.return_value.__enter__.return_value.ensure_connection.side_effect = (
            ConnectionRefusedError()
        )
        body = client.get("/healthz").json()
    assert body["database"] == "ok"
    assert body["broker"] == "error: ConnectionRefusedError"
    assert body["status"] == "ok"  # the app still serves; imports wait for the broker


def test_health_is_503_when_the_database_is_down(client: Client, db: None) -> None:
    with mock.patch("config.views._database_status", return_value="error: OperationalError"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "degraded"


def test_a_database_outage_is_a_clean_503_page_not_a_500(viewer_client: Client) -> None:
    viewer_client.raise_request_exception = False
    with mock.patch(
        "postmortems.selectors.incident_list",
        side_effect=OperationalError("server closed the connection"),
    ):
        response = viewer_client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "The database is unavailable right now" in response.content.decode()


def test_a_database_outage_is_a_json_503_in_the_api(viewer: object, db: None) -> None:
    from rest_framework.test import APIClient

    api = APIClient(raise_request_exception=False)
    api.force_authenticate(viewer)
    with mock.patch(
        "postmortems.api.views.EventViewSet.get_queryset",
        side_effect=OperationalError("connection refused"),
    ):
        response = api.get("/api/v1/events/")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "unavailable"


def test_other_errors_stay_500(viewer_client: Client) -> None:
    viewer_client.raise_request_exception = False
    with mock.patch("postmortems.selectors.incident_list", side_effect=RuntimeError("bug")):
        response = viewer_client.get("/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status = {"/alive": 200, "/gone": 404, "/flaky": 503}.get(self.path, 404)
        body = b"<html><body>article</body></html>"
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def article_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_link_check_marks_dead_links_and_keeps_their_text(
    db: None, settings, article_server: str
) -> None:
    settings.CASCADE_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    alive = Source.objects.create(url=f"{article_server}/alive", text="kept")
    gone = Source.objects.create(url=f"{article_server}/gone", text="kept too")
    flaky = Source.objects.create(
        url=f"{article_server}/flaky", text="kept as well", link_status=LinkStatus.ALIVE
    )
    pasted = Source.objects.create(text="no url")
    result = source_links_check()
    assert (result.checked, result.alive, result.dead, result.unchanged) == (3, 1, 1, 1)
    for source in (alive, gone, flaky, pasted):
        source.refresh_from_db()
    assert alive.link_status == LinkStatus.ALIVE
    assert gone.link_status == LinkStatus.DEAD
    assert "404" in gone.link_error
    assert gone.text == "kept too"
    assert flaky.link_status == LinkStatus.ALIVE  # a 503 is a bad minute, not a dead link
    assert pasted.link_checked_at is None
    assert source_links_check().checked == 0  # nothing is due again until a week has passed


def test_overdue_action_items_are_found_and_logged(
    db: None, caplog: pytest.LogCaptureFixture
) -> None:
    incident = IncidentFactory()
    today = date(2026, 1, 10)
    late = ActionItem.objects.create(
        incident=incident, title="late", owner="sre", due_date=today - timedelta(days=2)
    )
    ActionItem.objects.create(incident=incident, title="on time", due_date=today)
    ActionItem.objects.create(
        incident=incident, title="done", due_date=today - timedelta(days=9), status="done"
    )
    with caplog.at_level(logging.WARNING, logger="postmortems.maintenance"):
        assert action_items_overdue(today=today) == [late]
    assert caplog.records[0].days_overdue == 2


def test_a_source_page_shows_the_kept_text_of_a_dead_link(viewer_client: Client) -> None:
    source = Source.objects.create(
        url="https://gone.example/article",
        title="Vendor write-up",
        text="At 06:48 UTC the record went empty.",
        link_status=LinkStatus.DEAD,
        link_error="HTTP 404",
    )
    page = viewer_client.get(source.get_absolute_url()).content.decode()
    assert "At 06:48 UTC the record went empty." in page
    assert "the original is gone (HTTP 404)" in page


def test_idempotency_keys_expire_after_a_day(viewer: object) -> None:
    from datetime import datetime as dt

    from postmortems.maintenance import idempotency_keys_expire
    from postmortems.models import IdempotencyKey

    now = dt(2026, 1, 10, 12, 0, tzinfo=UTC)
    old = IdempotencyKey.objects.create(
        user=viewer,
        key="old",
        method="POST",
        path="/api/v1/incidents/",
        request_hash="a" * 64,
        response_status=201,
    )
    fresh = IdempotencyKey.objects.create(
        user=viewer,
        key="fresh",
        method="POST",
        path="/api/v1/incidents/",
        request_hash="b" * 64,
        response_status=201,
    )
    IdempotencyKey.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=1, seconds=1))
    IdempotencyKey.objects.filter(pk=fresh.pk).update(created_at=now - timedelta(hours=23))
    assert idempotency_keys_expire(now=now) == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]
