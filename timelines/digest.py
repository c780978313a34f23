"""What a document shows of an incident's events: all of them, or a bounded summary.

The share page, the HTML and PDF files and the Markdown file list every event up to
``DOCUMENT_EVENT_LIMIT``. Past it a document would run to thousands of pages (a
10,000-event incident made a PDF of over 1,360), so it summarises instead: it counts
every event per time window and kind, and lists the events that tell the story
(triggers, detections, escalations, mitigations, recoveries), evenly spread over the
incident if there are still too many. It says so in a note; the JSON and CSV exports
stay the complete record. Pure: plain values in and out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from timelines.cascade import EventRecord

DOCUMENT_EVENT_LIMIT = 500
SUMMARY_WINDOWS = 24
# The kinds a summary lists one by one, in the order a reader meets them.
KEY_KINDS = ("trigger", "detection", "escalation", "mitigation", "recovery")
KIND_ORDER = (*KEY_KINDS, "impact", "communication", "note")


@dataclass(frozen=True)
class WindowCount:
    started_at: datetime
    ended_at: datetime
    count: int
    kinds: tuple[tuple[str, int], ...]  # (kind, events of it), most common first


@dataclass(frozen=True)
class EventDigest:
    listed: tuple[EventRecord, ...]  # in time order
    total: int
    windows: tuple[WindowCount, ...]  # empty when every event is listed
    limit: int

    @property
    def summarised(self) -> bool:
        """Return whether the document lists fewer events than the incident has."""
        return len(self.listed) < self.total

    @property
    def note(self) -> str:
        """Return the sentence that tells a reader what the document leaves out, or ""."""
        if not self.summarised:
            return ""
        return (
            f"This incident has {self.total:,} accepted events, more than the "
            f"{self.limit:,} a document lists. Listed: {len(self.listed):,} events that mark "
            f"its course ({', '.join(KEY_KINDS)}), spread over the incident; the table "
            "before them counts every event by time and kind. The JSON and CSV exports "
            "hold every event."
        )


def event_digest(events: Sequence[EventRecord], *, limit: int | None = None) -> EventDigest:
    """Return every event if there are at most ``limit``; else counts and a spread of key ones.

    ``limit`` defaults to ``DOCUMENT_EVENT_LIMIT``.
    """
    limit = limit or DOCUMENT_EVENT_LIMIT
    if len(events) <= limit:
        return EventDigest(listed=tuple(events), total=len(events), windows=(), limit=limit)
    key = [event for event in events if event.kind in KEY_KINDS]
    step = math.ceil(len(key) / limit) if key else 1
    return EventDigest(
        listed=tuple(key[::step]),
        total=len(events),
        windows=_windows(events),
        limit=limit,
    )


def _windows(events: Sequence[EventRecord]) -> tuple[WindowCount, ...]:
    first, last = min(e.at for e in events), max(e.at for e in events)
    span = (last - first) / SUMMARY_WINDOWS
    counts: list[dict[str, int]] = [{} for _ in range(SUMMARY_WINDOWS)]
    for event in events:
        index = SUMMARY_WINDOWS - 1 if not span else int((event.at - first) / span)
        bucket = counts[min(index, SUMMARY_WINDOWS - 1)]
        bucket[event.kind] = bucket.get(event.kind, 0) + 1
    rank = {kind: n for n, kind in enumerate(KIND_ORDER)}
    return tuple(
        WindowCount(
            started_at=first + span * n,
            ended_at=last if n == SUMMARY_WINDOWS - 1 else first + span * (n + 1),
            count=sum(bucket.values()),
            kinds=tuple(sorted(bucket.items(), key=lambda item: (-item[1], rank.get(item[0], 99)))),
        )
        for n, bucket in enumerate(counts)
        if bucket
    )
