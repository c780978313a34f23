"""Periodic upkeep of the knowledge base: dead source links and overdue action items."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from postmortems import services
from postmortems.ingest.fetching import FetchError, fetch_document
from postmortems.models import ActionItem, ActionItemStatus, IdempotencyKey, LinkStatus, Source

logger = logging.getLogger(__name__)

# Answers that mean the article is gone, as opposed to the site having a bad minute.
_GONE_CODES = frozenset({"dns_failure", "http_error", "blocked_address", "bad_url", "bad_scheme"})
RECHECK_AFTER = timedelta(days=7)


@dataclass(frozen=True)
class LinkCheckResult:
    checked: int
    alive: int
    dead: int
    unchanged: int


def source_links_check(*, limit: int = 50, now: datetime | None = None) -> LinkCheckResult:
    """Re-check the URLs of the sources checked longest ago and mark dead ones.

    A dead link costs nothing: the source's text is kept and always shown. A transient
    failure (a timeout, a 5xx) leaves the status as it was, to be tried again later.
    """
    now = now or timezone.now()
    due = (
        Source.objects.exclude(url="")
        .filter(Q(link_checked_at__isnull=True) | Q(link_checked_at__lt=now - RECHECK_AFTER))
        .order_by("link_checked_at", "id")[:limit]
    )
    alive = dead = unchanged = 0
    for source in due:
        status, error = _check(source.url)
        services.source_link_checked(source=source, at=now, status=status, error=error)
        if status is None:
            unchanged += 1
            continue
        if status == LinkStatus.DEAD:
            dead += 1
            logger.warning(
                "source link dead",
                extra={"source_id": source.pk, "url": source.url, "reason": error},
            )
        else:
            alive += 1
    return LinkCheckResult(
        checked=alive + dead + unchanged, alive=alive, dead=dead, unchanged=unchanged
    )


def _check(url: str) -> tuple[str | None, str]:
    try:
        fetch_document(
            url,
            allowed_hosts=settings.CASCADE_FETCH_ALLOWED_HOSTS,
            max_bytes=256 * 1024,
            connect_timeout=5,
            read_timeout=10,
            total_timeout=20,
        )
    except FetchError as error:
        if error.code in _GONE_CODES and not error.transient:
            return LinkStatus.DEAD, error.message
        if error.code == "too_large" or error.code == "bad_content_type":
            return LinkStatus.ALIVE, ""  # something is there, just not what we would import
        return None, error.message
    return LinkStatus.ALIVE, ""


def action_items_overdue(*, today: date | None = None) -> list[ActionItem]:
    """Return the open action items past their due date, and log each for the owners' dashboards."""
    today = today or timezone.localdate()
    overdue = list(
        ActionItem.objects.filter(
            status__in=[ActionItemStatus.OPEN, ActionItemStatus.IN_PROGRESS], due_date__lt=today
        )
        .select_related("incident", "assignee")
        .order_by("due_date", "id")
    )
    for item in overdue:
        logger.warning(
            "action item overdue",
            extra={
                "action_item_id": item.pk,
                "incident": item.incident.slug,
                "owner": item.owner_name(),
                "due_date": item.due_date.isoformat(),
                "days_overdue": (today - item.due_date).days,
            },
        )
    return overdue


def action_items_overdue_notify(*, items: list[ActionItem]) -> int:
    """E-mail the owner of each overdue action item, once per item; return how many went.

    Items owned by someone outside Cascade (free text) have nobody to mail; they are
    still logged by ``action_items_overdue``.
    """
    from postmortems.notifications import action_item_overdue
    from postmortems.services import action_item_overdue_claim

    sent = 0
    for item in items:
        if item.assignee is None or not item.assignee.email or item.overdue_notified_at:
            continue
        if action_item_overdue_claim(item=item):
            action_item_overdue(item=item)
            sent += 1
    return sent


IDEMPOTENCY_KEYS_KEPT = timedelta(days=1)


def idempotency_keys_expire(*, now: datetime | None = None) -> int:
    """Delete idempotency keys older than a day and return how many went.

    Clients retry within minutes; a day is far past any retry, and the table would
    otherwise grow with every POST that carried a key.
    """
    cutoff = (now or timezone.now()) - IDEMPOTENCY_KEYS_KEPT
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
