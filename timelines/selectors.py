"""Reads for timelines: load one incident's records into the pure reconstruction core.

Everything is read with ``values_list`` in a fixed number of queries, whatever the number
of events: an incident of ten thousand events must not cost ten thousand model instances.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import chain
from operator import attrgetter
from typing import Any, NamedTuple

from django.core.cache import caches
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from postmortems import generation
from postmortems.fastpath import fetch_rows
from postmortems.ingest.feeds.selectors import accepted_downstream_ids
from postmortems.models import (
    Dependency,
    DependencyKind,
    Event,
    Impact,
    Incident,
    ReviewState,
    Service,
    Source,
)
from timelines import refresh
from timelines.cascade import (
    CascadeWarning,
    DependencyEdge,
    EventRecord,
    ImpactRecord,
    ImpactWindow,
    IncidentTimes,
    Reconstruction,
    ServiceNode,
    reconstruct,
)


class EventDetail(NamedTuple):
    """What a reader sees of an event beyond what the reconstruction needs.

    A NamedTuple rather than a frozen dataclass: one is built per event, and a tuple
    costs a third of the time to build.
    """

    description: str
    quote: str
    source_timezone: str


_zone_of = attrgetter("source_timezone")
_service_ids_of = attrgetter("service_ids")


@dataclass(frozen=True)
class SourceRef:
    id: int
    title: str
    url: str
    publisher: str
    language: str


@dataclass(frozen=True)
class Timeline:
    incident: Incident
    reconstruction: Reconstruction
    services: dict[int, ServiceNode]
    events: tuple[EventRecord, ...]
    details: dict[int, EventDetail]
    sources: dict[int, SourceRef]

    def source_timezone(self) -> str:
        """Return the zone most of the events' sources stated their times in."""
        # Counted in C, the empty zone (not stated) with them and then dropped: the others
        # keep their order of first appearance, which breaks ties as before.
        zones = Counter(map(_zone_of, self.details.values()))
        zones.pop("", None)
        return zones.most_common(1)[0][0] if zones else "UTC"


IMPACT_COLUMNS = (
    "id",
    "service_id",
    "level",
    "started_at",
    "ended_at",
    "role",
    "kept_over_events_started_at",
    "kept_over_events_ended_at",
)
EVENT_COLUMNS = ("id", "occurred_at", "kind", "title", "source_id", "precision")
# EventDetail's fields are its columns' names, in order: the rows are cut into it unchecked.
DETAIL_COLUMNS = EventDetail._fields
# Builds the NamedTuple records of ten thousand rows (events, their details, impacts,
# dependencies) without a Python call per row: a NamedTuple is a tuple, and its
# constructor and ``_make`` are this plus a frame (and a length check). Every field is
# given, in the NamedTuple's order.
_new_tuple = tuple.__new__

# Part of the reconstruction cache's key: change it when what is cached changes shape
# (``Cascade``, ``Reconstruction`` or the records in them), so an entry pickled by the
# code before a deploy is never read by the code after it.
CASCADE_FORMAT = "cascade-1"
# Bounds how long an entry outlives a generation bump lost to a crash after a commit.
CASCADE_TTL_SECONDS = 3600


class _CurrentGeneration:
    """The default of ``stamp``: read ``generation.current()`` now."""


CURRENT = _CurrentGeneration()
Stamp = int | None | _CurrentGeneration


@dataclass(frozen=True)
class Cascade:
    """One incident's reconstruction and the services it names: what every surface's
    impact windows are made of, and what the "timelines" cache keeps between requests."""

    reconstruction: Reconstruction
    services: dict[int, ServiceNode]


def incident_timeline(slug: str, *, stamp: Stamp = CURRENT) -> Timeline:
    """Return the reconstructed timeline of one incident (accepted events only), or 404.

    ``stamp``: see ``timeline_for``.
    """
    incident = get_object_or_404(Incident, slug=slug)
    return timeline_for(incident, stamp=stamp)


def timeline_for(incident: Incident, *, stamp: Stamp = CURRENT) -> Timeline:
    """Return the reconstructed timeline of an incident already loaded.

    The reconstruction comes from ``incident_cascade``'s cache when it is current; the
    events are read either way. ``stamp`` is ``generation.current()`` if the caller has
    already taken it (before reading anything else), so it is not read twice.
    """
    if isinstance(stamp, _CurrentGeneration):
        stamp = generation.current()
    refresh.note_read(incident.slug, refresh.CASCADE)
    cached = _cached_cascade(incident, stamp)
    rows = fetch_rows(_accepted_events(incident).values_list(*EVENT_COLUMNS, *DETAIL_COLUMNS))
    events = _event_records(incident, rows)
    # The rows end with DETAIL_COLUMNS, EventDetail's fields in order.
    details_at = len(EVENT_COLUMNS)
    details = {row[0]: _new_tuple(EventDetail, row[details_at:]) for row in rows}
    sources = _sources({row[4] for row in rows} - {None})
    if cached is None:
        cached = _reconstructed(incident, events, sources)
        _store_cascade(incident, stamp, cached)
    return Timeline(
        incident=incident,
        reconstruction=cached.reconstruction,
        services=cached.services,
        events=events,
        details=details,
        sources=sources,
    )


def incident_cascade(incident: Incident, *, stamp: Stamp = CURRENT) -> Cascade:
    """Return an incident's reconstruction, from the "timelines" cache when it is current.

    The one reconstruction the incident page, the incident record API and the timeline
    (page and API) share: kept under ``postmortems.generation``'s number, so any write to
    a table it is built from retires it, and with Redis every process reads the same one.
    A hit reads no event at all; a miss reads what ``timeline_for`` reads but the events'
    texts. ``stamp``: see ``timeline_for``.
    """
    if isinstance(stamp, _CurrentGeneration):
        stamp = generation.current()  # before anything else is read
    refresh.note_read(incident.slug, refresh.CASCADE)
    cached = _cached_cascade(incident, stamp)
    if cached is None:
        events = _event_records(
            incident, fetch_rows(_accepted_events(incident).values_list(*EVENT_COLUMNS))
        )
        sources = _sources({event.source_id for event in events if event.source_id is not None})
        cached = _reconstructed(incident, events, sources)
        _store_cascade(incident, stamp, cached)
    return cached


def _incident_times(incident: Incident) -> IncidentTimes:
    return IncidentTimes(
        started_at=incident.started_at,
        detected_at=incident.detected_at,
        mitigated_at=incident.mitigated_at,
        resolved_at=incident.resolved_at,
    )


def _cache_key(incident: Incident) -> str:
    # One entry per incident, holding the generation it was built at: a newer one
    # replaces it rather than each write leaving one behind until it expires.
    return f"{CASCADE_FORMAT}:{incident.pk}"


def _cached_cascade(incident: Incident, stamp: int | None) -> Cascade | None:
    """Return the cached reconstruction if it was built at this generation from these times.

    The incident row itself may have been read before the caller took its stamp (the
    incident page loads it first), so the times it was built from are kept beside it and
    must be the ones the caller holds: an entry built from a stale row is not served to a
    reader holding the new one.
    """
    if stamp is None:
        return None
    entry = caches["timelines"].get(_cache_key(incident))
    if entry is None or entry[0] != stamp or entry[1] != _incident_times(incident):
        return None
    return entry[2]


def _store_cascade(incident: Incident, stamp: int | None, cascade: Cascade) -> None:
    if stamp is not None:
        caches["timelines"].set(
            _cache_key(incident),
            (stamp, _incident_times(incident), cascade),
            CASCADE_TTL_SECONDS,
        )


def _accepted_events(incident: Incident) -> QuerySet[Event]:
    return Event.objects.filter(incident=incident, review_state=ReviewState.ACCEPTED).order_by(
        "occurred_at", "id"
    )


def _event_records(incident: Incident, rows: list[tuple[Any, ...]]) -> tuple[EventRecord, ...]:
    """Return the accepted events, rows led by ``EVENT_COLUMNS``, with their services."""
    services_of: dict[int, tuple[int, ...]] = {}
    for event_id, service_id in fetch_rows(
        Event.services.through.objects.filter(
            event__incident=incident, event__review_state=ReviewState.ACCEPTED
        ).values_list("event_id", "service_id")
    ):
        services_of[event_id] = (*services_of.get(event_id, ()), service_id)
    services = services_of.get
    # From the columns by position (EVENT_COLUMNS) into EventRecord's field order: unpacking
    # each row into names (``*_`` for the columns after them built a list per row) and the
    # NamedTuple's keyword-capable constructor were two thirds of ten thousand records' cost.
    return tuple(
        [
            _new_tuple(
                EventRecord, (row[0], row[1], row[2], services(row[0], ()), row[3], row[4], row[5])
            )
            for row in rows
        ]
    )


def _sources(source_ids: set[int]) -> dict[int, SourceRef]:
    return {
        pk: SourceRef(id=pk, title=title, url=url, publisher=publisher, language=language)
        for pk, title, url, publisher, language in Source.objects.filter(
            pk__in=source_ids
        ).values_list("id", "title", "url", "publisher", "language")
    }


def _reconstructed(
    incident: Incident, events: tuple[EventRecord, ...], sources: dict[int, SourceRef]
) -> Cascade:
    """Return the reconstruction of loaded events, reading the impacts and the graph."""
    impacts = tuple(
        _new_tuple(
            ImpactRecord,
            (
                pk,
                service_id,
                level,
                started,
                ended,
                role,
                None if kept_start is None else (kept_start, kept_end),
            ),
        )
        for pk, service_id, level, started, ended, role, kept_start, kept_end in fetch_rows(
            # An accepted cross-provider link makes the downstream provider's impact a lane
            # of this cascade (its lag then follows from the catalogue's dependencies).
            # UNION ALL rather than OR: each half uses the incident index, where the OR
            # made PostgreSQL scan every impact (80 ms at 250,000 impacts).
            Impact.objects.filter(incident=incident)
            .order_by()
            .values_list(*IMPACT_COLUMNS)
            .union(
                Impact.objects.filter(incident_id__in=accepted_downstream_ids(incident.pk))
                .exclude(incident=incident)
                .order_by()
                .values_list(*IMPACT_COLUMNS),
                all=True,
            )
            .order_by("started_at", "id")
        )
    )
    # The whole graph, not only the impacted services: a failure may pass through
    # services whose own impact nobody recorded.
    dependencies = tuple(
        _new_tuple(DependencyEdge, (down, up, kind == DependencyKind.HARD))
        for down, up, kind in Dependency.objects.order_by().values_list(
            "downstream_id", "upstream_id", "kind"
        )
    )
    involved = {impact.service_id for impact in impacts}
    involved.update(chain.from_iterable(map(_service_ids_of, events)))
    services = {
        pk: ServiceNode(id=pk, name=name, category=category)
        for pk, name, category in Service.objects.filter(pk__in=involved).values_list(
            "id", "name", "category"
        )
    }
    reconstruction = reconstruct(
        incident=_incident_times(incident),
        services=list(services.values()),
        dependencies=dependencies,
        impacts=impacts,
        events=events,
        source_names={pk: source.title or source.publisher for pk, source in sources.items()},
    )
    return Cascade(reconstruction=reconstruction, services=services)


@dataclass(frozen=True)
class ServiceImpactWindow:
    """One impacted service as every surface shows it: the window and what backs it."""

    service: ServiceNode
    window: ImpactWindow
    depth: int
    impact_ids: tuple[int, ...]
    # Set when the impact record and the events disagree: the warning naming both windows.
    disagreement: CascadeWarning | None
    # The impacted service that carried the failure here, and how much later it arrived.
    upstream: ServiceNode | None = None
    lag: timedelta | None = None

    @property
    def events_window(self) -> tuple[datetime, datetime | None] | None:
        """Return the window the events give, when it differs from the record's."""
        return None if self.disagreement is None else self.disagreement.events_window


def impact_windows(timeline: Timeline | Cascade) -> list[ServiceImpactWindow]:
    """Return each impacted service's window, in cascade order: the one source of truth.

    The incident page, the timeline, the share view, the API and the exports all read
    windows from here (through the reconstruction), so no surface recomputes them.
    """
    rec = timeline.reconstruction
    disagreements = {
        warning.service_ids[0]: warning
        for warning in rec.warnings
        if warning.code == "impact_window_disagrees" and warning.service_ids
    }

    def node(service_id: int) -> ServiceNode:
        return timeline.services.get(service_id) or ServiceNode(
            id=service_id, name=f"Service {service_id}"
        )

    edges = {edge.downstream_id: edge for edge in rec.edges}
    return [
        ServiceImpactWindow(
            service=node(window.service_id),
            window=window,
            depth=rec.depth.get(window.service_id, 0),
            impact_ids=window.impact_ids,
            disagreement=disagreements.get(window.service_id),
            upstream=node(edges[window.service_id].upstream_id)
            if window.service_id in edges
            else None,
            lag=edges[window.service_id].lag if window.service_id in edges else None,
        )
        for window in rec.windows
    ]


def incident_impact_windows(incident: Incident) -> list[ServiceImpactWindow]:
    """Return each impacted service's window for an incident (e.g. to prefill a postmortem).

    From the shared cached reconstruction (``incident_cascade``): the incident page, the
    incident record API and the timeline read the same one.
    """
    return impact_windows(incident_cascade(incident))
