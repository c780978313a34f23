"""Writes of the timelines app: share links, settling impact windows with events, export jobs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from postmortems.models import Impact, Incident
from timelines.cascade import CascadeWarning
from timelines.models import (
    ExportJob,
    ExportJobStatus,
    ShareLink,
    ShareScope,
)
from timelines.selectors import incident_impact_windows
from timelines.sharing import token_hash, token_new


@dataclass(frozen=True)
class CreatedShareLink:
    link: ShareLink
    token: str  # the only time the plain token exists outside the recipient's hands


@transaction.atomic
def share_link_create(
    *,
    incident: Incident,
    created_by: AbstractBaseUser | None,
    scope: str = ShareScope.TIMELINE,
    label: str = "",
    expires_at: datetime | None = None,
    allow_embed: bool = False,
) -> CreatedShareLink:
    """Create a share link and return it with its plain token, which is not stored."""
    token = token_new()
    link = ShareLink.objects.create(
        incident=incident,
        token_hash=token_hash(token),
        scope=scope,
        label=label.strip(),
        expires_at=expires_at,
        allow_embed=allow_embed,
        created_by=created_by,
    )
    return CreatedShareLink(link=link, token=token)


@transaction.atomic
def share_link_revoke(*, link: ShareLink, now: datetime | None = None) -> ShareLink:
    """Revoke a link and delete the export files made through it; revoking again keeps the
    first revocation time."""
    ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )
    # Nobody can open them any more; a job still building finds its row gone and stops.
    ExportJob.objects.filter(share_link=link).delete()
    link.refresh_from_db(fields=["revoked_at"])
    return link


@transaction.atomic
def share_link_record_view(*, link: ShareLink, now: datetime | None = None) -> None:
    """Count one view of a link; an UPDATE with F() so simultaneous views all count."""
    ShareLink.objects.filter(pk=link.pk).update(
        view_count=F("view_count") + 1, last_viewed_at=now or timezone.now()
    )


@transaction.atomic
def impact_window_keep_record(*, incident: Incident, service_id: int) -> int:
    """Keep a service's impact record over the events' window; return records marked.

    The events' window kept over is stored with the records, so the warning comes back
    only when the events change. Does nothing when record and events already agree.
    """
    disagreement = _window_disagreement(incident=incident, service_id=service_id)
    if disagreement is None or disagreement.events_window is None:
        return 0
    started_at, ended_at = disagreement.events_window
    return Impact.objects.filter(pk__in=disagreement.impact_ids).update(
        kept_over_events_started_at=started_at, kept_over_events_ended_at=ended_at
    )


@transaction.atomic
def impact_window_adopt_events(*, incident: Incident, service_id: int) -> int:
    """Move a service's impact record to the window its events give; return records changed.

    The earliest record takes the events' start and the latest one their end, so a
    service recorded in two stretches keeps its gap. The window is recomputed here from
    the stored events, never taken from the request.
    """
    disagreement = _window_disagreement(incident=incident, service_id=service_id)
    if disagreement is None or disagreement.events_window is None:
        return 0
    started_at, ended_at = disagreement.events_window
    records = list(Impact.objects.filter(pk__in=disagreement.impact_ids).order_by("started_at"))
    first, last = records[0], records[-1]
    changed = Impact.objects.filter(pk=first.pk).update(started_at=started_at)
    if ended_at is not None:
        changed += Impact.objects.filter(pk=last.pk).update(ended_at=ended_at)
    Impact.objects.filter(pk__in=disagreement.impact_ids).update(
        kept_over_events_started_at=None, kept_over_events_ended_at=None
    )
    return changed


def _window_disagreement(*, incident: Incident, service_id: int) -> CascadeWarning | None:
    for row in incident_impact_windows(incident):
        if row.service.id == service_id:
            return row.disagreement
    return None


# ---------------------------------------------------------------------- export jobs


@transaction.atomic
def export_job_create(
    *,
    incident: Incident,
    fmt: str,
    requested_by: AbstractBaseUser | None,
    share_link: ShareLink | None = None,
) -> ExportJob:
    """Record a queued export; the caller enqueues ``export_job_run_task`` after commit."""
    if share_link is not None and share_link.incident_id != incident.pk:
        raise ValueError("A share link's export is of the link's own incident.")
    return ExportJob.objects.create(
        incident=incident,
        fmt=fmt,
        requested_by=requested_by,
        share_link=share_link,
        stage="Waiting for a worker",
    )


@transaction.atomic
def export_job_claim(*, job_id: int) -> bool:
    """Mark a queued job running; False if another delivery of the task already has it."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJobStatus.QUEUED).update(
        status=ExportJobStatus.RUNNING, started_at=timezone.now(), progress=5, stage="Starting"
    )
    return claimed == 1


@transaction.atomic
def export_job_progress(*, job_id: int, progress: int, stage: str) -> None:
    """Record how far a running job has got, for the page that follows it."""
    ExportJob.objects.filter(pk=job_id, status=ExportJobStatus.RUNNING).update(
        progress=progress, stage=stage
    )


@transaction.atomic
def export_job_finish(*, job_id: int, content: bytes, content_type: str, filename: str) -> None:
    """Store a finished job's file; a job the sweep has failed meanwhile stays failed."""
    ExportJob.objects.filter(pk=job_id, status=ExportJobStatus.RUNNING).update(
        status=ExportJobStatus.DONE,
        progress=100,
        stage="Done",
        content=content,
        content_type=content_type,
        filename=filename,
        finished_at=timezone.now(),
    )


@transaction.atomic
def export_job_fail(*, job_id: int, error: str) -> None:
    """Record why a job could not produce its file."""
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportJobStatus.FAILED, stage="Failed", error=error, finished_at=timezone.now()
    )


@dataclass(frozen=True)
class ExpiredJobs:
    deleted: int  # finished or failed longer ago than EXPORT_JOB_RETENTION, file and all
    failed: int  # queued or running longer than EXPORT_JOB_TIMEOUT


STUCK_QUEUED = (
    "No worker took this export in time; try again, or ask an admin to check the workers."
)
STUCK_RUNNING = "The export stopped before it finished (its worker was lost); try again."


@transaction.atomic
def export_jobs_expire(*, now: datetime | None = None) -> ExpiredJobs:
    """Fail the jobs stuck unfinished past the timeout; delete those finished past retention.

    Safe to run at any time and twice at once: each statement only moves rows on (a
    running job's claim, finish and progress all filter on its status).
    """
    now = now or timezone.now()
    stuck_since = now - settings.EXPORT_JOB_TIMEOUT
    failed = 0
    for status, since, error in (
        (ExportJobStatus.QUEUED, {"created_at__lt": stuck_since}, STUCK_QUEUED),
        (ExportJobStatus.RUNNING, {"started_at__lt": stuck_since}, STUCK_RUNNING),
    ):
        failed += ExportJob.objects.filter(status=status, **since).update(
            status=ExportJobStatus.FAILED, stage="Failed", error=error, finished_at=now
        )
    deleted, _ = ExportJob.objects.filter(
        status__in=[ExportJobStatus.DONE, ExportJobStatus.FAILED],
        finished_at__lt=now - settings.EXPORT_JOB_RETENTION,
    ).delete()
    return ExpiredJobs(deleted=deleted, failed=failed)
