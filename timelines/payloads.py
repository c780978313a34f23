"""The reconstruction as plain JSON-ready dicts, shared by the API, the page and exports.

Built by hand rather than through DRF serializers: a timeline may hold ten thousand
events, and this is the hot path of the timeline endpoint.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from operator import attrgetter
from typing import Any

import orjson

from timelines.cascade import CascadeWarning, EventRecord, ImpactWindow
from timelines.selectors import ServiceImpactWindow, Timeline
from timelines.wording import iso

__all__ = [
    "cascade_payload",
    "impact_windows_payload",
    "iso",
    "iso_many",
    "seconds",
    "timeline_payload",
]


def seconds(delta: timedelta | None) -> int | None:
    """Return a duration in whole seconds, or None."""
    return None if delta is None else int(delta.total_seconds())


_UTC_MOMENTS = orjson.OPT_UTC_Z | orjson.OPT_OMIT_MICROSECONDS
_zone = attrgetter("tzinfo")


def iso_many(moments: Sequence[datetime]) -> list[str]:
    """Return ``iso`` of every moment, written at once by orjson when all are in UTC.

    A timeline writes ten thousand event times, and ``isoformat`` one by one was a third
    of its events' payload. For aware UTC moments orjson writes exactly ``iso``'s text
    (seconds, "Z", four-digit years; ``tests/timelines/test_wording.py`` compares them);
    any other zone goes through ``iso`` itself.
    """
    if not moments or set(map(_zone, moments)) != {UTC}:
        return [iso(moment) for moment in moments]
    # A JSON array of strings that hold no quote: its items are between '","'.
    return orjson.dumps(moments, option=_UTC_MOMENTS)[2:-2].decode().split('","')


def _span(window: tuple[datetime, datetime | None]) -> dict[str, str | None]:
    return {"started_at": iso(window[0]), "ended_at": iso(window[1])}


def _warning(warning: CascadeWarning) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "code": warning.code,
        "message": warning.message,
        "event_ids": list(warning.event_ids),
        "service_ids": list(warning.service_ids),
        "impact_ids": list(warning.impact_ids),
    }
    if warning.record_window is not None and warning.events_window is not None:
        payload["record_window"] = _span(warning.record_window)
        payload["events_window"] = _span(warning.events_window)
    return payload


def _window_times(windows: Iterable[ImpactWindow]) -> dict[datetime | None, str | None]:
    """Return ``iso`` of every moment the windows and their segments name, keyed by it.

    Written at once by ``iso_many``: ten thousand events make a few thousand segments, and
    ``iso`` one by one was half of the cascade's payload. A moment's text depends only on
    the instant, so equal moments may share one entry; None stays None.
    """
    moments = {None}
    for window in windows:
        moments.add(window.started_at)
        moments.add(window.ended_at)
        for segment in window.segments:
            moments.add(segment.started_at)
            moments.add(segment.ended_at)
    moments.discard(None)
    known = list(moments)
    times: dict[datetime | None, str | None] = dict(zip(known, iso_many(known), strict=True))
    times[None] = None
    return times


def _window(window: ImpactWindow, times: dict[datetime | None, str | None]) -> dict[str, Any]:
    return {
        "started_at": times[window.started_at],
        "ended_at": times[window.ended_at],
        "level": window.level,
        "segments": [
            {"started_at": times[s.started_at], "ended_at": times[s.ended_at], "level": s.level}
            for s in window.segments
        ],
    }


def impact_windows_payload(rows: Iterable[ServiceImpactWindow]) -> list[dict[str, Any]]:
    """Return each impacted service's window as the incident record shows it.

    The window has the timeline's shape; ``source`` says whether the impact records, the
    events or both gave it, and ``warning`` is the timeline's ``impact_window_disagrees``
    warning when the records and the events disagree.
    """
    rows = list(rows)
    times = _window_times(row.window for row in rows)
    return [
        {
            "service": {"id": row.service.id, "name": row.service.name},
            "depth": row.depth,
            "source": row.window.source,
            "impact_ids": list(row.window.impact_ids),
            "event_ids": list(row.window.event_ids),
            "window": _window(row.window, times),
            "warning": None if row.disagreement is None else _warning(row.disagreement),
        }
        for row in rows
    ]


def _incident(timeline: Timeline) -> dict[str, Any]:
    incident = timeline.incident
    return {
        "slug": incident.slug,
        "title": incident.title,
        "started_at": iso(incident.started_at),
        "detected_at": iso(incident.detected_at),
        "mitigated_at": iso(incident.mitigated_at),
        "resolved_at": iso(incident.resolved_at),
    }


def _phases(timeline: Timeline) -> dict[str, Any]:
    phases = timeline.reconstruction.phases
    return {
        "trigger_at": iso(phases.trigger_at),
        "detected_at": iso(phases.detected_at),
        "mitigated_at": iso(phases.mitigated_at),
        "recovered_at": iso(phases.recovered_at),
        "time_to_detect": seconds(phases.time_to_detect),
        "time_to_mitigate": seconds(phases.time_to_mitigate),
        "time_to_recover": seconds(phases.time_to_recover),
    }


def cascade_payload(timeline: Timeline) -> dict[str, Any]:
    """Return how the failure spread: origins, propagation edges, depths and warnings."""
    rec = timeline.reconstruction
    name = {pk: node.name for pk, node in timeline.services.items()}
    times = _window_times(rec.windows)
    return {
        "incident": _incident(timeline),
        "start": iso(rec.start),
        "end": iso(rec.end),
        "roots": [{"id": pk, "name": name.get(pk, "")} for pk in rec.roots],
        "unexplained": [{"id": pk, "name": name.get(pk, "")} for pk in rec.unexplained],
        "services": [
            {
                "id": window.service_id,
                "name": name.get(window.service_id, ""),
                "depth": rec.depth.get(window.service_id, 0),
                "window": _window(window, times),
            }
            for window in rec.windows
        ],
        "edges": [
            {
                "upstream": {"id": edge.upstream_id, "name": name.get(edge.upstream_id, "")},
                "downstream": {"id": edge.downstream_id, "name": name.get(edge.downstream_id, "")},
                "lag_seconds": seconds(edge.lag),
                "path": list(edge.path),
                "hard": edge.hard,
            }
            for edge in rec.edges
        ],
        "blast_radius": list(rec.blast_radius),
        "critical_path": [{"id": pk, "name": name.get(pk, "")} for pk in rec.critical_path],
        "phases": _phases(timeline),
        "warnings": [_warning(w) for w in rec.warnings],
    }


def timeline_payload(timeline: Timeline) -> dict[str, Any]:
    """Return the cascade plus every accepted event with its offset, quote and source."""
    payload = cascade_payload(timeline)
    payload["source_timezone"] = timeline.source_timezone()
    payload["events"] = events_payload(timeline, timeline.events)
    return payload


class _ServiceRefs(dict[int, dict[str, Any]]):
    """Each service's ``{"id", "name"}`` once; one the timeline does not name is unnamed."""

    def __missing__(self, pk: int) -> dict[str, Any]:
        return {"id": pk, "name": ""}


def events_payload(timeline: Timeline, events: Iterable[EventRecord]) -> list[dict[str, Any]]:
    """Return events as the timeline payload writes them, with services and source."""
    # One dict per service and per source, shared by every event that names it: the JSON
    # is the same, and ten thousand events allocate a third of the objects. A plain loop
    # with the lookups bound once: this runs for every event of the incident.
    service_refs = _ServiceRefs(
        (pk, {"id": pk, "name": node.name}) for pk, node in timeline.services.items()
    )
    source_refs = {
        pk: {
            "id": pk,
            "title": s.title,
            "url": s.url,
            "publisher": s.publisher,
            "language": s.language,
        }
        for pk, s in timeline.sources.items()
    }
    source_ref, service_ref = source_refs.get, service_refs.__getitem__
    offsets, details = timeline.reconstruction.offsets, timeline.details
    events = tuple(events)
    out = []
    append = out.append
    # Records unpacked as the tuples they are (EventRecord's and EventDetail's field
    # order): one C step per event where reading each field by name was seven lookups.
    for (pk, _, kind, service_ids, title, source_id, precision), at in zip(
        events, iso_many([event.at for event in events]), strict=True
    ):
        description, quote, source_timezone = details[pk]
        append(
            {
                "id": pk,
                "at": at,
                "offset": offsets.get(pk),
                "precision": precision,
                "kind": kind,
                "title": title,
                "description": description,
                "quote": quote,
                "source_timezone": source_timezone,
                "services": list(map(service_ref, service_ids)),
                # None is no source's key: an event without a source gets None.
                "source": source_ref(source_id),
            }
        )
    return out
