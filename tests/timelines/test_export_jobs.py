"""Large exports are built by a worker, with a page that follows their progress.

Tasks run in-process here (eager), also when REDIS_URL is set: what is under test is the
job's life (queued, running with progress, done or failed) and the pages around it.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from postmortems.models import Incident
from timelines import exports, services
from timelines.models import ExportJob, ExportJobStatus
from timelines.tasks import export_job_run_task

DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"


@pytest.fixture
def eager_tasks(settings) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True


@pytest.fixture
def large(demo: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> Incident:
    """The demo incident, counted as large for HTML exports (more than 2 events)."""
    monkeypatch.setitem(exports.BACKGROUND_AFTER_EVENTS, "html", 2)
    return Incident.objects.get(slug=DEMO_SLUG)


def _export(client: Client, capture) -> ExportJob:
    with capture(execute=True):
        response = client.get(f"/incidents/{DEMO_SLUG}/export.html")
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert response["Location"] == f"/exports/{job.pk}/"
    return job


def test_small_export_is_answered_in_the_request(
    viewer_client: Client, demo: dict[str, int]
) -> None:
    response = viewer_client.get(f"/incidents/{DEMO_SLUG}/export.html")
    assert response.status_code == 200
    assert not ExportJob.objects.exists()


def test_large_export_runs_as_a_job_and_offers_its_file(
    viewer_client: Client,
    large: Incident,
    eager_tasks: None,
    django_capture_on_commit_callbacks,
) -> None:
    job = _export(viewer_client, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert (job.status, job.progress, job.fmt) == (ExportJobStatus.DONE, 100, "html")
    page = viewer_client.get(f"/exports/{job.pk}/").content.decode()
    assert "The file is ready" in page
    assert 'http-equiv="refresh"' not in page
    download = viewer_client.get(f"/exports/{job.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="{DEMO_SLUG}-postmortem.html"'
    assert large.title.encode() in download.content


def test_a_running_job_shows_its_progress_and_refreshes(
    viewer_client: Client, viewer: User, large: Incident
) -> None:
    job = services.export_job_create(incident=large, fmt="pdf", requested_by=viewer)
    assert services.export_job_claim(job_id=job.pk)
    services.export_job_progress(job_id=job.pk, progress=40, stage="Writing the PDF file")
    page = viewer_client.get(f"/exports/{job.pk}/").content.decode()
    assert 'http-equiv="refresh"' in page
    assert 'value="40"' in page
    assert "Writing the PDF file" in page
    # No file yet: the download link leads back to the progress page.
    assert viewer_client.get(f"/exports/{job.pk}/download/")["Location"] == f"/exports/{job.pk}/"


def test_a_job_runs_once_however_often_its_task_is_delivered(viewer: User, large: Incident) -> None:
    job = services.export_job_create(incident=large, fmt="html", requested_by=viewer)
    assert export_job_run_task(job.pk) == "done"
    assert export_job_run_task(job.pk) == "skipped"


def test_a_failing_export_is_a_failed_job_with_a_message_not_a_500(
    viewer_client: Client,
    large: Incident,
    eager_tasks: None,
    django_capture_on_commit_callbacks,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(account: exports.Account, fmt: str) -> exports.ExportFile:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(exports, "export_file", broken)
    job = _export(viewer_client, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == ExportJobStatus.FAILED
    page = viewer_client.get(f"/exports/{job.pk}/")
    assert page.status_code == 200
    assert "The export failed on the server" in page.content.decode()


def test_an_unreachable_queue_fails_the_job_with_a_message(
    viewer_client: Client,
    large: Incident,
    django_capture_on_commit_callbacks,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise ConnectionError("broker down")

    monkeypatch.setattr(export_job_run_task, "delay", refuse)
    job = _export(viewer_client, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == ExportJobStatus.FAILED
    assert "queue is unavailable" in job.error


def test_a_job_is_only_its_requesters(
    viewer_client: Client, editor_client: Client, viewer: User, large: Incident
) -> None:
    job = services.export_job_create(incident=large, fmt="html", requested_by=viewer)
    assert editor_client.get(f"/exports/{job.pk}/").status_code == 404
    assert editor_client.get(f"/exports/{job.pk}/download/").status_code == 404
    assert viewer_client.get(f"/exports/{job.pk}/").status_code == 200
