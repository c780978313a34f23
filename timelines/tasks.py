"""Celery tasks of the timelines app: large exports, and timelines rebuilt after a write."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from timelines import exports, refresh, services
from timelines.models import ExportJob

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def export_job_run_task(job_id: int) -> str:
    """Build one export job's file, recording its progress; idempotent through the claim."""
    if not services.export_job_claim(job_id=job_id):
        return "skipped"  # finished by an earlier delivery, or deleted
    jobs = ExportJob.objects.select_related("incident", "share_link").defer("content")
    job = jobs.filter(pk=job_id).first()
    if job is None:
        return "skipped"  # deleted since the claim: its share link was revoked
    try:
        services.export_job_progress(job_id=job_id, progress=15, stage="Reading the incident")
        account = _account(job)
        services.export_job_progress(
            job_id=job_id, progress=40, stage=f"Writing the {job.fmt.upper()} file"
        )
        file = exports.export_file(account, job.fmt)
    except exports.ExportUnavailable as error:
        services.export_job_fail(job_id=job_id, error=str(error))
        return "failed"
    except Exception:
        # Logged for the admins; the person waiting sees a plain failure, not a hung job.
        logger.exception("export job %s failed", job_id)
        services.export_job_fail(
            job_id=job_id, error="The export failed on the server; try again or ask an admin."
        )
        return "failed"
    services.export_job_finish(
        job_id=job_id, content=file.content, content_type=file.content_type, filename=file.filename
    )
    return "done"


def _account(job: ExportJob) -> exports.Account:
    # A share link's job is the stakeholder account that link grants; any other, internal.
    if job.share_link is not None:
        return exports.account_for(
            job.incident,
            audience=exports.Audience.STAKEHOLDER,
            include_postmortem=job.share_link.includes_postmortem(),
        )
    return exports.account_for(job.incident, audience=exports.Audience.INTERNAL)


# Beat runs it every 5 minutes (CELERY_BEAT_SCHEDULE). Without a broker no beat runs:
# starting an export job runs the same sweep first (export_jobs.export_job_start), and
# `manage.py expire_export_jobs` runs it from cron.
@shared_task(acks_late=True, ignore_result=True)
def export_jobs_expire_task() -> dict[str, int]:
    """Fail export jobs stuck past their timeout; delete finished ones past retention."""
    expired = services.export_jobs_expire()
    return {"deleted": expired.deleted, "failed": expired.failed}


@shared_task(ignore_result=True)
def timeline_refresh_task(generation: int) -> str:
    """Rebuild the timelines read lately at ``generation``, unless a later write came."""
    return f"rebuilt {refresh.refresh(generation)}"
