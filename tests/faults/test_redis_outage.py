"""Fault: Redis stops while users browse, edit and submit imports; nothing is lost.

The app runs under gunicorn with production settings against a redis-server of this
test's own, with a real Celery worker. While Redis is down every page and API call still
answers (no 5xx, no hang), /healthz names the broker as the trouble, saves land, and
imports are stored as queued. When Redis returns, the sweep beat runs every minute
(``dispatch_imports``) hands them to the worker and each completes once.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from postmortems.models import Event, PostmortemRevision, SourceImport, SourceStatus
from postmortems.services import postmortem_start
from tests.factories import IncidentFactory
from tests.faults.live import ApiClient, Browser, hidden_input, wait_for
from tests.integration.test_import_worker import (
    Worker,
    _database_url,
    _free_port,
    _redis_server,
)

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"
ARTICLE = (ROOT / "postmortems/demo_data/aws-us-east-1-outage-de.txt").read_text()
ANSWER_WITHIN = 10.0  # seconds; a page waiting on a dead broker would show here


def _answers(response, *, expected: tuple[int, ...], what: str) -> None:
    assert response.status_code in expected, f"{what}: {response.status_code} {response.text[:300]}"
    assert response.elapsed.total_seconds() < ANSWER_WITHIN, f"{what} took {response.elapsed}"


def _sweep(broker_url: str) -> None:
    """Run what beat runs every minute, as a process of its own against the test database."""
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": broker_url,
    }
    subprocess.run(
        [sys.executable, "manage.py", "dispatch_imports"], cwd=ROOT, env=env, check=True, timeout=60
    )


def _imports_done(*import_ids: int) -> bool:
    statuses = SourceImport.objects.filter(pk__in=import_ids).values_list("status", flat=True)
    return len(statuses) == len(import_ids) and all(s == SourceStatus.DONE for s in statuses)


def test_redis_outage_keeps_every_page_answering_and_imports_complete_after(
    live_app, demo_editor, tmp_path
) -> None:
    port = _free_port()
    broker_url = f"redis://127.0.0.1:{port}/0"
    incident = IncidentFactory(slug="redis-outage-drill", title="Redis outage drill")
    postmortem = postmortem_start(incident=incident, author=_demo_user())

    with _redis_server(port, tmp_path) as (stop_redis, start_redis):
        worker = Worker("celery", broker_url, tmp_path / "worker.log")
        try:
            server = live_app(redis_url=broker_url)
            browser = Browser(server.base_url).login(
                demo_editor["username"], demo_editor["password"]
            )
            api = ApiClient(server.base_url, demo_editor["token"])

            # With Redis up, an import goes straight through: the pipeline itself works.
            before = api.post("/api/v1/imports/", json={"text": ARTICLE, "incident": DEMO_SLUG})
            _answers(before, expected=(201, 202), what="import before the outage")
            wait_for(lambda: _imports_done(before.json()["id"]), "the first import", timeout=60)

            stop_redis()
            saved_body = postmortem.body + "\n\nWritten while the broker was down.\n"
            submitted = _browse_edit_and_submit(browser, api, incident.slug, saved_body)

            queued = SourceImport.objects.filter(pk__in=submitted)
            assert sorted(queued.values_list("status", flat=True)) == ["queued"] * len(submitted)
            assert set(queued.values_list("dispatched_at", flat=True)) == {None}

            start_redis()
            _sweep(broker_url)
            wait_for(lambda: _imports_done(*submitted), "imports submitted during the outage", 90)
        finally:
            worker.stop()
            print("--- worker log (last lines) ---")
            print("\n".join(worker.log.read_text(errors="replace").splitlines()[-15:]))

    # Nothing lost, nothing doubled.
    for source_import in SourceImport.objects.filter(pk__in=submitted):
        assert source_import.attempts == 1, source_import.error
        assert source_import.events_proposed > 0
    assert Event.objects.filter(title="Noted while Redis was down").count() == 1
    revision = PostmortemRevision.objects.get(postmortem=postmortem, version=2)
    assert revision.body.replace("\r\n", "\n") == saved_body
    keys = list(
        Event.objects.values_list("incident_id", "source_id", "quote_start", "occurred_at", "kind")
    )
    assert len(keys) == len(set(keys))


def _browse_edit_and_submit(browser: Browser, api: ApiClient, slug: str, body: str) -> list[int]:
    """Do what users do while Redis is down; return the ids of the imports submitted."""
    for path in [
        "/",
        f"/incidents/{DEMO_SLUG}/",
        f"/incidents/{DEMO_SLUG}/timeline/",
        "/search/?q=dns",
        "/dashboard/",
        "/imports/",
    ]:
        _answers(browser.get(path), expected=(200,), what=path)

    health = browser.get("/healthz")
    _answers(health, expected=(200,), what="/healthz")
    assert health.json()["database"] == "ok"
    assert health.json()["broker"].startswith("error"), health.json()

    editor = browser.get(f"/incidents/{slug}/postmortem/edit/")
    _answers(editor, expected=(200,), what="postmortem editor")
    saved = browser.post(
        f"/incidents/{slug}/postmortem/edit/",
        data={"body": body, "base_version": hidden_input(editor.text, "base_version")},
    )
    _answers(saved, expected=(302,), what="postmortem save")

    _answers(api.get("/api/v1/incidents/"), expected=(200,), what="API incident list")
    event = api.post(
        "/api/v1/events/",
        json={
            "incident": slug,
            "occurred_at": "2025-10-20T07:00:00Z",
            "kind": "note",
            "title": "Noted while Redis was down",
        },
    )
    _answers(event, expected=(201,), what="API event create")

    submitted = []
    for number, incident in enumerate([DEMO_SLUG, slug]):
        text = f"{ARTICLE}\n\nNachtrag {number}: Meldung während des Broker-Ausfalls."
        response = api.post("/api/v1/imports/", json={"text": text, "incident": incident})
        _answers(response, expected=(201, 202), what=f"API import {number} during the outage")
        submitted.append(response.json()["id"])
    return submitted


def _demo_user():
    from django.contrib.auth.models import User

    return User.objects.get(username="demo")
