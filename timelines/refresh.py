"""Refresh ahead: rebuild the timelines people are reading once a write has retired them.

Any write to the knowledge base moves ``postmortems.generation``'s number on, and every
cached timeline answer and reconstruction with it (the key is coarse on purpose). Without
help, the first reader after a write builds the answer again: for 10,000 events about
2.5x what the database needs to hand over the rows (bench/README.md, issue 15). With a
broker, a worker does that instead: each write queues ``timeline_refresh_task`` for the
new number, which rebuilds, at that number, what was read in the last quarter of an hour,
so the reader finds it built. A later write makes the task skip: that write queued its
own, and a burst of writes costs one rebuild.

What was read is a hint, kept in the "timelines" cache (shared by every process with
Redis): the most recently read incidents, each with what was read of it (the API's JSON,
its gzipped copy, or only the reconstruction the incident page and record API show). Two
processes noting at once may lose one note; the cost is one reader building its answer,
as without the hint. A process notes the same read at most once a minute, so a served
answer costs no cache write; a rebuild by the task notes nothing, so an incident nobody
reads drops out of the hint after ``READ_SECONDS``.

Without a broker tasks run in the writer's request, and each process has a cache of its
own: nothing is queued then.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import caches
from django.http import Http404

READS_KEY = "timeline-reads-1"
# How many incidents, and for how long since their last read, the task keeps warm.
READ_LIMIT = 12
READ_SECONDS = 900
# A process notes one incident's read at most this often.
NOTE_EVERY_SECONDS = 60
# Seconds a worker waits after a write: writes in the same second cost one rebuild.
REFRESH_DELAY = 1

# What was read of an incident, in the order the task rebuilds it.
JSON, GZIP, CASCADE = "json", "gzip", "cascade"

_noted: dict[tuple[str, str], float] = {}
_refreshing: ContextVar[bool] = ContextVar("timeline_refreshing", default=False)


def note_read(slug: str, what: str) -> None:
    """Record that a reader asked for ``what`` (JSON, GZIP or CASCADE) of an incident."""
    if _refreshing.get():
        return
    now = time.time()
    if now - _noted.get((slug, what), 0.0) < NOTE_EVERY_SECONDS:
        return
    if len(_noted) > 10 * READ_LIMIT:
        _noted.clear()
    _noted[(slug, what)] = now
    cache = caches["timelines"]
    reads = _fresh(cache.get(READS_KEY) or {}, now)
    _, kinds = reads.get(slug, (now, frozenset()))
    reads[slug] = (now, kinds | {what})
    newest = sorted(reads.items(), key=lambda item: item[1][0], reverse=True)[:READ_LIMIT]
    cache.set(READS_KEY, dict(newest), READ_SECONDS)


def recent_reads() -> list[tuple[str, frozenset[str]]]:
    """Return the incidents read lately, newest first, with what was read of each."""
    reads = _fresh(caches["timelines"].get(READS_KEY) or {}, time.time())
    return [
        (slug, kinds)
        for slug, (_, kinds) in sorted(reads.items(), key=lambda item: item[1][0], reverse=True)
    ]


def _fresh(
    reads: dict[str, tuple[float, frozenset[str]]], now: float
) -> dict[str, tuple[float, frozenset[str]]]:
    return {slug: entry for slug, entry in reads.items() if now - entry[0] < READ_SECONDS}


def forget_notes() -> None:
    """Forget this process's record of what it noted (tests; a fresh process has none)."""
    _noted.clear()


@contextmanager
def _rebuilding() -> Iterator[None]:
    token = _refreshing.set(True)
    try:
        yield
    finally:
        _refreshing.reset(token)


def refresh(generation_value: int) -> int:
    """Rebuild, at ``generation_value``, what was read lately; return how many incidents.

    Stops as soon as the number has moved on: the write that moved it queued its own
    refresh, and an answer built now would be filed under a number nobody reads.
    """
    from postmortems import generation
    from postmortems.api.renderers import FastJSONRenderer
    from postmortems.collector import gc_paused
    from postmortems.models import Incident
    from timelines import selectors
    from timelines.api.views import timeline_json

    renderer = FastJSONRenderer()
    rebuilt = 0
    with _rebuilding(), gc_paused():
        for slug, kinds in recent_reads():
            stamp = generation.current()
            if stamp != generation_value:
                break
            try:
                if JSON in kinds or GZIP in kinds:
                    # Builds the reconstruction on the way, kept for the pages too.
                    timeline_json(slug, renderer, stamp)
                    if GZIP in kinds:
                        timeline_json(slug, renderer, stamp, gzipped=True)
                else:
                    incident = Incident.objects.filter(slug=slug).first()
                    if incident is None:
                        continue
                    selectors.incident_cascade(incident, stamp=stamp)
            except Http404:
                continue  # deleted since it was read
            rebuilt += 1
    return rebuilt
