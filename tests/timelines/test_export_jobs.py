"""Large exports are built by a worker, with a page that follows their progress.

Tasks run in-process here (eager), also when REDIS_URL is set: what is under test is the
job's life (queued, running with progress, done or failed), the pages around it, who may
follow a job (its requester, or the one share link it was asked through) and the sweep
that fails stuck jobs and deletes old ones.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from postmortems.models import ActionItem, Incident
from timelines import export_jobs, exports, services
from timelines.models import ExportJob, ExportJobStatus, ShareLink, ShareScope
from timelines.tasks import export_job_run_task, export_jobs_expire_task

DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"


@pytest.fixture
def eager_tasks(settings) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True


@pytest.fixture
def large(demo: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> Incident:
    """The demo incident, counted as large for HTML exports (more than 2 events)."""
    monkeypatch.setitem(export_jobs.BACKGROUND_AFTER, "html", export_jobs.Threshold(2, 1_000))
    return Incident.objects.get(slug=DEMO_SLUG)


def _export(client: Client, capture) -> ExportJob:
    with capture(execute=True):
        response = client.get(f"/incidents/{DEMO_SLUG}/export.html")
    assert response.status_code == 302
    job = ExportJob.objects.get(share_link=None)
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


def test_a_running_job_shows_its_progress_and_polls_for_more(
    viewer_client: Client, viewer: User, large: Incident
) -> None:
    job = services.export_job_create(incident=large, fmt="pdf", requested_by=viewer)
    assert services.export_job_claim(job_id=job.pk)
    services.export_job_progress(job_id=job.pk, progress=40, stage="Writing the PDF file")
    page = viewer_client.get(f"/exports/{job.pk}/").content.decode()
    assert f'hx-get="/exports/{job.pk}/" hx-trigger="every 2s"' in page
    assert '<noscript><meta http-equiv="refresh"' in page  # without scripts it reloads
    assert 'value="40"' in page
    assert "Writing the PDF file" in page
    # htmx's poll gets the status panel alone.
    panel = viewer_client.get(f"/exports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'id="export-job-status"' in panel
    assert 'value="40"' in panel
    assert "<html" not in panel
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


# ------------------------------------------------------------------- share links

PRIVATE_ITEM = "ZQXPRIVATEACTIONITEM"


@pytest.fixture
def token(large: Incident, editor: User) -> str:
    """A share link to the large incident, which has an action item stakeholders never see."""
    ActionItem.objects.create(incident=large, title=PRIVATE_ITEM, owner="sre", public=False)
    created = services.share_link_create(
        incident=large, created_by=editor, scope=ShareScope.POSTMORTEM
    )
    return created.token


def _link(token: str) -> ShareLink:
    from timelines.sharing import token_hash

    return ShareLink.objects.get(token_hash=token_hash(token))


def _other_incident(large: Incident) -> Incident:
    return Incident.objects.exclude(pk=large.pk).order_by("pk").first()


def test_a_small_share_export_is_answered_in_the_request(
    demo: dict[str, int], editor: User
) -> None:
    incident = Incident.objects.get(slug=DEMO_SLUG)
    created = services.share_link_create(incident=incident, created_by=editor)
    response = Client().get(f"/s/{created.token}/export.html")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert not ExportJob.objects.exists()


def test_a_large_share_export_runs_as_a_job_of_the_stakeholder_account(
    token: str,
    large: Incident,
    viewer_client: Client,
    eager_tasks: None,
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().get(f"/s/{token}/export.html")
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/s/{token}/exports/{job.pk}/"
    assert (job.share_link, job.requested_by, job.status) == (_link(token), None, "done")
    page = Client().get(response["Location"])
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    assert f'href="/s/{token}/exports/{job.pk}/download/"' in page.content.decode()
    download = Client().get(f"/s/{token}/exports/{job.pk}/download/")
    assert download.status_code == 200
    assert large.title.encode() in download.content
    assert PRIVATE_ITEM.encode() not in download.content
    # The same export signed in is the internal account, which has the item.
    mine = _export(viewer_client, django_capture_on_commit_callbacks)
    internal = viewer_client.get(f"/exports/{mine.pk}/download/")
    assert internal.status_code == 200
    assert PRIVATE_ITEM.encode() in internal.content


def test_a_running_share_job_polls_with_htmx_and_no_inline_script(
    token: str, large: Incident
) -> None:
    job = services.export_job_create(
        incident=large, fmt="pdf", requested_by=None, share_link=_link(token)
    )
    assert services.export_job_claim(job_id=job.pk)
    services.export_job_progress(job_id=job.pk, progress=40, stage="Writing the PDF file")
    response = Client().get(f"/s/{token}/exports/{job.pk}/")
    page = response.content.decode()
    assert f'hx-get="/s/{token}/exports/{job.pk}/" hx-trigger="every 2s"' in page
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts
    assert all(" src=" in tag for tag in scripts)
    assert "script-src 'self'" in response["Content-Security-Policy"]
    panel = Client().get(f"/s/{token}/exports/{job.pk}/", HTTP_HX_REQUEST="true")
    assert 'value="40"' in panel.content.decode()
    assert b"<html" not in panel.content
    # No file yet: the download leads back to the progress page.
    download = Client().get(f"/s/{token}/exports/{job.pk}/download/")
    assert download["Location"] == f"/s/{token}/exports/{job.pk}/"


def test_a_share_link_opens_only_its_own_jobs(
    token: str, large: Incident, editor: User, viewer: User, viewer_client: Client
) -> None:
    job = services.export_job_create(
        incident=large, fmt="html", requested_by=None, share_link=_link(token)
    )
    export_job_run_task(job.pk)
    other_incident = services.share_link_create(
        incident=_other_incident(large), created_by=editor
    ).token
    same_incident = services.share_link_create(incident=large, created_by=editor).token
    for stranger in (other_incident, same_incident):
        assert Client().get(f"/s/{stranger}/exports/{job.pk}/").status_code == 404
        assert Client().get(f"/s/{stranger}/exports/{job.pk}/download/").status_code == 404
    # A signed-in person's job is not reachable through a link, nor a link's job signed in.
    mine = services.export_job_create(incident=large, fmt="html", requested_by=viewer)
    assert Client().get(f"/s/{token}/exports/{mine.pk}/").status_code == 404
    assert viewer_client.get(f"/exports/{job.pk}/").status_code == 404
    assert viewer_client.get(f"/exports/{job.pk}/download/").status_code == 404
    assert Client().get(f"/s/{token}/exports/{job.pk}/download/").status_code == 200


def test_a_share_job_of_another_incident_is_refused_when_created(
    token: str, large: Incident
) -> None:
    with pytest.raises(ValueError, match="link's own incident"):
        services.export_job_create(
            incident=_other_incident(large), fmt="html", requested_by=None, share_link=_link(token)
        )


def test_a_revoked_link_stops_the_download_and_deletes_its_files(
    token: str, large: Incident
) -> None:
    job = services.export_job_create(
        incident=large, fmt="html", requested_by=None, share_link=_link(token)
    )
    export_job_run_task(job.pk)
    assert Client().get(f"/s/{token}/exports/{job.pk}/download/").status_code == 200
    services.share_link_revoke(link=_link(token))
    for path in (f"/s/{token}/exports/{job.pk}/", f"/s/{token}/exports/{job.pk}/download/"):
        response = Client().get(path)
        assert response.status_code == 410
        assert large.title.encode() not in response.content
    assert not ExportJob.objects.filter(pk=job.pk).exists()


def test_an_expired_link_stops_the_download(token: str, large: Incident) -> None:
    job = services.export_job_create(
        incident=large, fmt="html", requested_by=None, share_link=_link(token)
    )
    export_job_run_task(job.pk)
    ShareLink.objects.filter(pk=_link(token).pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert Client().get(f"/s/{token}/exports/{job.pk}/download/").status_code == 410


def test_many_clicks_on_one_link_share_the_job_under_way(
    token: str, large: Incident, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(export_jobs.BACKGROUND_AFTER, "pdf", export_jobs.Threshold(2, 1_000))
    # Callbacks not run: the first job stays queued while the others arrive.
    first = Client().get(f"/s/{token}/export.html")["Location"]
    assert all(Client().get(f"/s/{token}/export.html")["Location"] == first for _ in range(3))
    assert ExportJob.objects.count() == 1
    # Another format is another job.
    assert Client().get(f"/s/{token}/export.pdf")["Location"] != first


def test_the_share_job_page_runs_a_fixed_number_of_queries(
    token: str, large: Incident, django_assert_max_num_queries
) -> None:
    job = services.export_job_create(
        incident=large, fmt="html", requested_by=None, share_link=_link(token)
    )
    with django_assert_max_num_queries(2):  # the link, then the job with its incident
        assert Client().get(f"/s/{token}/exports/{job.pk}/").status_code == 200


# -------------------------------------------------------------------- the sweep


def _finished(incident: Incident, user: User, *, finished_at, status: str = "done") -> ExportJob:
    job = services.export_job_create(incident=incident, fmt="html", requested_by=user)
    services.export_job_claim(job_id=job.pk)
    if status == "done":
        services.export_job_finish(
            job_id=job.pk, content=b"<html></html>", content_type="text/html", filename="x.html"
        )
    else:
        services.export_job_fail(job_id=job.pk, error="broken")
    ExportJob.objects.filter(pk=job.pk).update(finished_at=finished_at)
    return job


def test_the_sweep_deletes_finished_and_failed_jobs_past_retention(
    large: Incident, viewer: User
) -> None:
    now = timezone.now()
    past = now - settings.EXPORT_JOB_RETENTION - timedelta(seconds=1)
    _finished(large, viewer, finished_at=past)
    _finished(large, viewer, finished_at=past, status="failed")
    recent = _finished(large, viewer, finished_at=now - timedelta(minutes=5))
    queued = services.export_job_create(incident=large, fmt="pdf", requested_by=viewer)
    expired = services.export_jobs_expire(now=now)
    assert (expired.deleted, expired.failed) == (2, 0)
    remaining = set(ExportJob.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, queued.pk}


def test_the_sweep_fails_jobs_stuck_running_or_queued_with_a_clear_error(
    large: Incident, viewer: User, viewer_client: Client
) -> None:
    stuck = services.export_job_create(incident=large, fmt="html", requested_by=viewer)
    services.export_job_claim(job_id=stuck.pk)
    lost = services.export_job_create(incident=large, fmt="pdf", requested_by=viewer)
    fresh = services.export_job_create(incident=large, fmt="html", requested_by=viewer)
    services.export_job_claim(job_id=fresh.pk)
    later = timezone.now() + settings.EXPORT_JOB_TIMEOUT + timedelta(seconds=1)
    ExportJob.objects.filter(pk=fresh.pk).update(started_at=later - timedelta(minutes=1))
    assert services.export_jobs_expire(now=later).failed == 2
    stuck.refresh_from_db()
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert (stuck.status, stuck.error) == ("failed", services.STUCK_RUNNING)
    assert (lost.status, lost.error) == ("failed", services.STUCK_QUEUED)
    assert fresh.status == "running"
    assert services.STUCK_RUNNING in viewer_client.get(f"/exports/{stuck.pk}/").content.decode()
    # A worker finishing after the sweep gave up does not turn the failure into a file,
    # and a late delivery of the lost job's task does nothing.
    services.export_job_finish(
        job_id=stuck.pk, content=b"late", content_type="text/html", filename="x.html"
    )
    stuck.refresh_from_db()
    assert stuck.status == "failed"
    assert export_job_run_task(lost.pk) == "skipped"


def test_beat_runs_the_sweep_every_few_minutes(large: Incident, viewer: User) -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["expire-export-jobs"]
    assert entry["task"] == export_jobs_expire_task.name
    assert entry["schedule"] < settings.EXPORT_JOB_TIMEOUT.total_seconds()
    _finished(large, viewer, finished_at=timezone.now() - settings.EXPORT_JOB_RETENTION * 2)
    assert export_jobs_expire_task() == {"deleted": 1, "failed": 0}
    assert not ExportJob.objects.exists()


def test_starting_an_export_sweeps_first_so_no_beat_is_needed(
    viewer_client: Client, large: Incident, viewer: User
) -> None:
    old = _finished(large, viewer, finished_at=timezone.now() - settings.EXPORT_JOB_RETENTION * 2)
    response = viewer_client.get(f"/incidents/{DEMO_SLUG}/export.html")
    assert response.status_code == 302
    assert not ExportJob.objects.filter(pk=old.pk).exists()
    assert ExportJob.objects.count() == 1


def test_one_rule_decides_by_events_or_impacted_services(
    demo: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    incident = Incident.objects.get(slug=DEMO_SLUG)
    impacted = incident.impacts.values("service_id").distinct().count()
    assert impacted > 1
    rule = export_jobs.BACKGROUND_AFTER
    monkeypatch.setitem(rule, "pdf", export_jobs.Threshold(events=10_000, services=impacted))
    assert not export_jobs.runs_in_background(incident, "pdf")  # at the limit: in the request
    monkeypatch.setitem(rule, "pdf", export_jobs.Threshold(events=10_000, services=impacted - 1))
    assert export_jobs.runs_in_background(incident, "pdf")
    monkeypatch.setitem(rule, "pdf", export_jobs.Threshold(events=1, services=10_000))
    assert export_jobs.runs_in_background(incident, "pdf")
    assert not any(export_jobs.runs_in_background(incident, fmt) for fmt in ("md", "json", "csv"))


def test_the_sweep_runs_from_the_command_line_too(large: Incident, viewer: User) -> None:
    from io import StringIO

    from django.core.management import call_command

    _finished(large, viewer, finished_at=timezone.now() - settings.EXPORT_JOB_RETENTION * 2)
    out = StringIO()
    call_command("expire_export_jobs", stdout=out)
    assert out.getvalue().strip() == "Deleted 1 export job(s); failed 0."
    assert not ExportJob.objects.exists()


def test_a_job_nobody_could_follow_is_refused(large: Incident) -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(ValueError, match="signed-in person's or a share link's"):
        export_jobs.export_job_start(incident=large, fmt="html", requested_by=AnonymousUser())
    assert not ExportJob.objects.exists()
