"""Celery tasks: thin wrappers that take ids, call one service and own the retries."""

from __future__ import annotations

import random

from celery import shared_task
from celery.app.task import Task
from django.conf import settings

from postmortems.dashboard import dashboard_refresh
from postmortems.ingest.fetching import FetchError
from postmortems.ingest.services import (
    source_import_claim,
    source_import_fail,
    source_import_retry_scheduled,
    source_import_run,
    source_imports_sweep,
)

IMPORT_MAX_RETRIES = 5
RETRY_BASE_SECONDS = 10
RETRY_CAP_SECONDS = 300


def retry_countdown(retries: int) -> int:
    """Return the wait before retry number ``retries + 1``: exponential with jitter, capped."""
    base = min(RETRY_BASE_SECONDS * 2**retries, RETRY_CAP_SECONDS)
    return base + random.randint(0, base // 4)


@shared_task(
    bind=True,
    # Acknowledged only once finished: a worker killed mid-import leaves the message to
    # be delivered again, and the run is idempotent.
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=IMPORT_MAX_RETRIES,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def import_run_task(self: Task, import_id: int) -> str:
    """Run one article import; retry transient fetch failures with backoff."""
    if not source_import_claim(import_id=import_id):
        return "skipped"  # finished by an earlier delivery, or deleted
    try:
        source_import = source_import_run(import_id=import_id)
    except FetchError as error:  # only transient ones reach here
        attempts = self.request.retries + 1
        if self.request.retries >= self.max_retries:
            source_import_fail(
                import_id=import_id, error=f"{error.message} Gave up after {attempts} attempts."
            )
            return "failed"
        countdown = retry_countdown(self.request.retries)
        source_import_retry_scheduled(
            import_id=import_id, error=f"Attempt {attempts}: {error.message}", countdown=countdown
        )
        raise self.retry(exc=error, countdown=countdown) from None
    return source_import.status


@shared_task(acks_late=True, ignore_result=True)
def import_sweep_task() -> int:
    """Dispatch imports whose dispatch was lost or stale (the broker was down, a worker died)."""
    return len(source_imports_sweep())


# Periodic upkeep (see CELERY_BEAT_SCHEDULE). Both are safe to run twice: a second link
# check finds nothing due, and an overdue item's owner is mailed once (a claimed row).


# Up to 20 s a link when sites stall: a budget of its own, within the beat interval. Each
# link's result is written as it is checked, so a run cut short keeps what it learnt.
@shared_task(acks_late=True, ignore_result=True, soft_time_limit=500, time_limit=540)
def source_links_check_task(limit: int = 50) -> dict[str, int]:
    """Re-check the source links checked longest ago; mark dead ones (their text stays)."""
    import logging

    from celery.exceptions import SoftTimeLimitExceeded

    from postmortems.maintenance import source_links_check

    try:
        result = source_links_check(limit=limit)
    except SoftTimeLimitExceeded:
        logging.getLogger(__name__).warning(
            "source link check ran out of time; the next run carries on"
        )
        return {"checked": 0, "alive": 0, "dead": 0}
    return {"checked": result.checked, "alive": result.alive, "dead": result.dead}


@shared_task(acks_late=True, ignore_result=True)
def action_items_overdue_task() -> int:
    """Log every open action item past its due date, e-mail each owner once; return how many."""
    from postmortems.maintenance import action_items_overdue, action_items_overdue_notify

    overdue = action_items_overdue()
    action_items_overdue_notify(items=overdue)
    return len(overdue)


@shared_task(acks_late=True, ignore_result=True)
def idempotency_keys_expire_task() -> int:
    """Delete idempotency keys past any client's retry window."""
    from postmortems.maintenance import idempotency_keys_expire

    return idempotency_keys_expire()


# Feeds: beat runs the dispatcher every minute; it claims the due feeds (pushing each back
# by its interval) and hands each to a worker. A poll is idempotent entry by entry, so a
# redelivered poll (a worker killed mid-way) only finishes what the first one began.
@shared_task(acks_late=True, ignore_result=True, soft_time_limit=240, time_limit=300)
def feed_poll_task(feed_id: int) -> str:
    """Poll one feed and ingest what changed."""
    from postmortems.ingest.feeds.polling import feed_poll

    return feed_poll(feed_id=feed_id).outcome


@shared_task(acks_late=True, ignore_result=True)
def feeds_poll_due_task() -> int:
    """Hand every feed that is due to the workers; return how many."""
    from postmortems.ingest.feeds.polling import feeds_dispatch_due

    return len(feeds_dispatch_due())


@shared_task(ignore_result=True)
def dashboard_refresh_task(generation: int) -> str:
    """Compute the dashboard's figures over every incident, unless a later write came."""
    return "refreshed" if dashboard_refresh(generation=generation) else "skipped"
