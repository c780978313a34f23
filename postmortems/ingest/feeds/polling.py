"""Poll a feed: conditional GET through the SSRF-safe fetcher, parse, ingest entry by entry.

The network and the parse happen outside any transaction; entries are then written in
batches of ``ENTRIES_PER_COMMIT``, each entry in a savepoint of its own
(``services.feed_entry_ingest``), so one bad entry rolls back alone. The feed's validators (ETag,
Last-Modified) are stored only once every entry is in: a poll cut short (a worker killed,
a database error) gets the whole document again next time instead of a 304 that would hide
the entries it never wrote.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from postmortems.ingest.feeds.models import Feed, FeedEntry, FeedKind, FeedState
from postmortems.ingest.feeds.parsing import FeedParseError, ParsedFeed, parse_feed
from postmortems.ingest.feeds.services import (
    Catalogue,
    feed_entry_ingest,
    feed_poll_failed,
    feed_poll_succeeded,
    feeds_claim_due,
)
from postmortems.ingest.fetching import FetchedDocument, FetchError, fetch_document

logger = logging.getLogger(__name__)

JSON_TYPES = frozenset({"application/json", "text/json", "text/plain"})
XML_TYPES = frozenset(
    {
        "application/atom+xml",
        "application/rss+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "text/plain",
    }
)
ACCEPT: dict[str, str] = {
    FeedKind.STATUSPAGE: "application/json",
    FeedKind.GCP: "application/json",
    FeedKind.ATOM: "application/atom+xml, application/xml;q=0.9, text/xml;q=0.8",
    FeedKind.RSS: "application/rss+xml, application/xml;q=0.9, text/xml;q=0.8",
}
# A Statuspage history of 5,000 incidents is about 10 MB of JSON.
MAX_FEED_BYTES = 32 * 1024 * 1024
ENTRIES_PER_COMMIT = 50

Fetch = Callable[..., FetchedDocument]


@dataclass(frozen=True)
class PollResult:
    feed_id: int
    outcome: str  # "fetched" | "not_modified" | "failed" | "paused" | "missing"
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error: str = ""


def feed_fetch(feed: Feed, *, fetch: Fetch = fetch_document) -> FetchedDocument:
    """Download a feed with a conditional GET; raise FetchError when it cannot be read."""
    json_kind = feed.kind in (FeedKind.STATUSPAGE, FeedKind.GCP)
    return fetch(
        feed.url,
        allowed_hosts=settings.CASCADE_FETCH_ALLOWED_HOSTS,
        max_bytes=MAX_FEED_BYTES,
        total_timeout=60.0,
        accepted_types=JSON_TYPES if json_kind else XML_TYPES,
        accept=ACCEPT.get(feed.kind, "*/*"),
        conditional_headers={
            "If-None-Match": feed.etag,
            "If-Modified-Since": feed.last_modified,
        },
    )


def feed_poll(*, feed_id: int, fetch: Fetch = fetch_document) -> PollResult:
    """Poll one feed now and record how it went (the error, if any, on the feed)."""
    feed = Feed.objects.filter(pk=feed_id).first()
    if feed is None:
        return PollResult(feed_id, "missing")
    if feed.state == FeedState.PAUSED:
        return PollResult(feed_id, "paused")
    now = timezone.now()
    try:
        document = feed_fetch(feed, fetch=fetch)
    except FetchError as error:
        feed_poll_failed(feed_id=feed_id, error=error.message, now=now)
        return PollResult(feed_id, "failed", error=error.message)
    if document.not_modified:
        feed_poll_succeeded(feed_id=feed_id, now=now)
        return PollResult(feed_id, "not_modified")
    try:
        parsed = parse_feed(feed.kind, document.body)
    except FeedParseError as error:
        message = f"Could not read {feed.url}: {error.message} Nothing stored was changed."
        feed_poll_failed(feed_id=feed_id, error=message, now=now)
        return PollResult(feed_id, "failed", error=message)
    result = feed_ingest(feed=feed, parsed=parsed)
    if result.error:
        feed_poll_failed(feed_id=feed_id, error=result.error, now=now)
        return result
    feed_poll_succeeded(
        feed_id=feed_id,
        now=now,
        etag=document.etag,
        last_modified=document.last_modified,
        entries_seen=len(parsed.incidents),
        warning=_skipped_warning(parsed),
    )
    return result


def feed_ingest(*, feed: Feed, parsed: ParsedFeed) -> PollResult:
    """Write every provider incident of a parsed feed; entries already stored as they are
    cost one read for the whole feed, not one per entry."""
    catalogue = Catalogue.for_provider(feed.provider)
    stored = dict(FeedEntry.objects.filter(feed=feed).values_list("entry_id", "content_hash"))
    created = updated = unchanged = 0
    failures: list[str] = []
    pending = []
    for record in parsed.incidents:
        if stored.get(record.entry_id) == record.content_hash():
            unchanged += 1
        else:
            pending.append(record)
    # One commit per batch, one savepoint per entry: an entry that fails rolls back alone,
    # and a first poll of thousands of entries does not pay a commit for each.
    for start in range(0, len(pending), ENTRIES_PER_COMMIT):
        with transaction.atomic():
            for record in pending[start : start + ENTRIES_PER_COMMIT]:
                try:
                    outcome = feed_entry_ingest(feed=feed, record=record, catalogue=catalogue)
                except Exception as error:  # one bad entry must not cost the others theirs
                    logger.exception("feed entry %r of %s failed", record.entry_id, feed.url)
                    failures.append(f"{record.entry_id}: {type(error).__name__}: {error}"[:300])
                    continue
                created += outcome.result == "created"
                updated += outcome.result == "updated"
                unchanged += outcome.result == "unchanged"
    message = ""
    if failures:
        message = (
            f"{len(failures)} of {len(parsed.incidents)} entries of {feed.url} could not be "
            f"stored (the others were): " + "; ".join(failures[:5])
        )
    return PollResult(
        feed.pk, "fetched", created=created, updated=updated, unchanged=unchanged, error=message
    )


def feeds_poll_due(*, fetch: Fetch = fetch_document) -> list[PollResult]:
    """Poll, in this process, every feed that is due (the command's way without a broker)."""
    return [
        feed_poll(feed_id=feed_id, fetch=fetch) for feed_id in feeds_claim_due(now=timezone.now())
    ]


def feeds_dispatch_due() -> list[int]:
    """Hand every due feed to the workers; a broker that is down leaves it for the next beat."""
    from postmortems.tasks import feed_poll_task

    dispatched = []
    for feed_id in feeds_claim_due(now=timezone.now()):
        try:
            feed_poll_task.delay(feed_id)
        except Exception:  # kombu's errors vary by transport; the claim expires on its own
            logger.warning("could not hand feed %s to the broker; it is polled later", feed_id)
            continue
        dispatched.append(feed_id)
    return dispatched


def _skipped_warning(parsed: ParsedFeed) -> str:
    if not parsed.skipped:
        return ""
    shown = "; ".join(parsed.skipped[:5])
    return f"{len(parsed.skipped)} entries could not be read and were left out: {shown}"
