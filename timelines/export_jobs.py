"""Which exports a worker builds, and the jobs that build them: one rule for every door.

The signed-in incident page, the stakeholder share page and the API's export endpoint all
ask ``runs_in_background`` whether to answer with the file or with a job, and start the
job with ``export_job_start``. Small incidents get their file in the request; a large one
gets a job and a page (or, in the API, a resource) that follows it, so no request spends
seconds of CPU rendering a document.

Who may follow a job: a share link's job only through that link (``jobs_of_link``); any
other job only by the person who asked for it (``jobs_of_user``). A job of one incident is
never reachable through another incident's link.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import QuerySet

from postmortems.models import Event, Impact, Incident, ReviewState
from timelines import exports, services
from timelines.models import ExportJob, ExportJobStatus, ShareLink
from timelines.tasks import export_job_run_task

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Threshold:
    events: int  # accepted events
    services: int  # impacted services: each is a lane and a node of the pictures


# Past either number, a format's export is built by a worker. A PDF lays out its pages in
# WeasyPrint, seconds at a few hundred events or a few dozen lanes (60 is also where the
# PDF leaves its pictures out, exports.PDF_PICTURE_LANES); HTML is a template and two SVGs,
# seconds only at thousands of events or a hundred-odd lanes. Other formats are plain text
# written in one pass, answered in the request at any size.
BACKGROUND_AFTER: dict[str, Threshold] = {
    "pdf": Threshold(events=300, services=60),
    "html": Threshold(events=3_000, services=150),
}


def runs_in_background(incident: Incident, fmt: str) -> bool:
    """Return whether the export of ``incident`` as ``fmt`` is built by a worker."""
    limit = BACKGROUND_AFTER.get(fmt)
    if limit is None:
        return False
    services_impacted = (
        Impact.objects.filter(incident=incident).values("service_id").distinct().count()
    )
    if services_impacted > limit.services:
        return True
    events = Event.objects.filter(incident=incident, review_state=ReviewState.ACCEPTED)
    return events.count() > limit.events


def export_job_start(
    *,
    incident: Incident,
    fmt: str,
    requested_by: AbstractBaseUser | AnonymousUser | None = None,
    share_link: ShareLink | None = None,
) -> ExportJob:
    """Return the job building this export: one already under way for the same requester
    (or link) and format, else a new one, handed to a worker once the request commits.

    Reusing the job under way means a hundred stakeholders clicking "PDF" on one link keep
    one worker busy, not a hundred. Jobs past their time are swept first, here as well as
    by beat: without Redis no beat runs, and every new job is a moment to tidy.
    """
    user = requested_by if isinstance(requested_by, AbstractBaseUser) else None
    if user is None and share_link is None:
        raise ValueError("An export job is a signed-in person's or a share link's.")
    services.export_jobs_expire()
    owner = jobs_of_link(share_link) if share_link is not None else jobs_of_user(user)
    under_way = (
        owner.filter(
            incident=incident,
            fmt=fmt,
            status__in=[ExportJobStatus.QUEUED, ExportJobStatus.RUNNING],
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if under_way is not None:
        return under_way
    job = services.export_job_create(
        incident=incident, fmt=fmt, requested_by=user, share_link=share_link
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    try:
        export_job_run_task.delay(job_id)
    except Exception:  # the broker is down: say so on the job's page rather than a 500
        logger.exception("could not queue export job %s", job_id)
        services.export_job_fail(
            job_id=job_id, error="The export queue is unavailable; try again in a minute."
        )


def _jobs() -> QuerySet[ExportJob]:
    # The file stays in the database until a download asks for it (job_file).
    return ExportJob.objects.select_related("incident").defer("content")


def jobs_of_user(user: AbstractBaseUser | AnonymousUser | None) -> QuerySet[ExportJob]:
    """Return the jobs a signed-in person asked for: a job may hold what only they could export."""
    if not isinstance(user, AbstractBaseUser):
        return ExportJob.objects.none()
    return _jobs().filter(requested_by_id=user.pk, share_link__isnull=True)


def jobs_of_link(link: ShareLink) -> QuerySet[ExportJob]:
    """Return the jobs asked for through one share link: the only ones it opens."""
    return _jobs().filter(share_link=link, incident_id=link.incident_id)


def job_file(job: ExportJob) -> exports.ExportFile:
    """Return a finished job's file (read only now: it can be megabytes)."""
    content = ExportJob.objects.values_list("content", flat=True).get(pk=job.pk)
    return exports.ExportFile(
        content=bytes(content or b""), content_type=job.content_type, filename=job.filename
    )
