"""Reconstruct how an incident's failure spread through the service dependency graph.

A pure core: plain values in, plain values out, no ORM and no Django. Callers load the
accepted events and impacts of one incident plus the dependency graph, and render what
comes back. All datetimes are timezone-aware UTC, and may be any the database holds
(0001-01-01, 9999-12-31): moments are compared through their difference, which always
exists, never shifted by a tolerance, which may leave the calendar.

Failure flows from an upstream service to the services that depend on it. An impacted
service is explained by the impacted upstream that most plausibly carried the failure to
it; the services in between may show no impact (their impact was simply not recorded),
but an impacted service in between is the carrier itself, never a pass-through.

Cost is O(n log n) in the events and impacts (one sort per service and per group of
events describing the same moment) plus O((S + D) log D) for S services and D
dependencies: propagation is a single ordered sweep over the graph in which every
un-impacted service relays at most two carriers, and cycles come from one iterative
Tarjan pass.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import chain, groupby
from operator import attrgetter, itemgetter
from typing import NamedTuple

from timelines import wording

OUTAGE = "outage"
DEGRADED = "degraded"

# Where a service's window comes from: its impact records alone, the events alone (no
# record), or records the events completed (an open record closed by a recovery, an
# impact event beyond what the records cover).
WINDOW_SOURCES = ("record", "events", "record_and_events")

# Kinds whose time is the moment something began or ended, so two sources reporting
# one of them for the same services are describing the same moment and must agree.
MOMENT_KINDS = ("trigger", "detection", "mitigation", "recovery")
WINDOW_START_KINDS = frozenset({"impact", "trigger"})

# How far apart two sources may put the same moment before we call it a conflict.
CONFLICT_TOLERANCE = {
    "minute": timedelta(minutes=5),
    "hour": timedelta(minutes=60),
    "day": timedelta(hours=24),
    "approximate": timedelta(hours=2),
}

# How far the events may put a service's impact beyond its impact record before the
# two count as disagreeing. Deliberately not widened by an event's precision: "between
# 09:50 and 10:30" against a record of 09:50 is exactly what a person must settle.
WINDOW_TOLERANCE = timedelta(minutes=5)

# How far a time of a given precision may be off. An event counts as outside the
# incident only when even this much slack cannot bring it inside: a day-precision
# event dated at midnight is not "before" an incident that began at 14:00.
PRECISION_SLACK = {
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(hours=24),
    "approximate": timedelta(hours=2),
}


# ---------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class ServiceNode:
    id: int
    name: str
    category: str = ""


class DependencyEdge(NamedTuple):
    """The downstream service depends on the upstream one; failure flows up -> down.

    NamedTuples, like EventRecord and ImpactRecord: the whole graph is read for every
    reconstruction, and a tuple is four times quicker to build than a frozen dataclass.
    """

    downstream_id: int
    upstream_id: int
    hard: bool = True


class ImpactRecord(NamedTuple):
    id: int
    service_id: int
    level: str
    started_at: datetime
    ended_at: datetime | None
    role: str = ""
    # The events' window an editor saw and chose to keep this record over; the warning
    # stays quiet only while the events still say exactly that.
    kept_over_events: tuple[datetime | None, datetime | None] | None = None


class EventRecord(NamedTuple):
    """One accepted event. A NamedTuple rather than a frozen dataclass: a timeline builds
    one per event, ten thousand of them, and a tuple is four times quicker to build."""

    id: int
    at: datetime
    kind: str
    service_ids: tuple[int, ...]
    title: str = ""
    source_id: int | None = None
    precision: str = "minute"


@dataclass(frozen=True)
class IncidentTimes:
    started_at: datetime | None
    detected_at: datetime | None = None
    mitigated_at: datetime | None = None
    resolved_at: datetime | None = None


# --------------------------------------------------------------------------- outputs


class Segment(NamedTuple):
    """One stretch of a window at one level; a NamedTuple so it compares equal to the
    plain (started_at, ended_at, level) tuples templates and tests build."""

    started_at: datetime
    ended_at: datetime | None
    level: str


@dataclass(frozen=True)
class ImpactWindow:
    service_id: int
    started_at: datetime
    ended_at: datetime | None
    level: str
    segments: tuple[Segment, ...]
    impact_ids: tuple[int, ...] = ()
    event_ids: tuple[int, ...] = ()
    source: str = "record"  # one of WINDOW_SOURCES

    @property
    def is_open(self) -> bool:
        """Return True when no recovery is known for this service."""
        return self.ended_at is None


@dataclass(frozen=True)
class PropagationEdge:
    upstream_id: int
    downstream_id: int
    lag: timedelta
    path: tuple[int, ...]
    hard: bool


@dataclass(frozen=True)
class Phases:
    trigger_at: datetime | None
    detected_at: datetime | None
    mitigated_at: datetime | None
    recovered_at: datetime | None
    time_to_detect: timedelta | None
    time_to_mitigate: timedelta | None
    time_to_recover: timedelta | None


@dataclass(frozen=True)
class CascadeWarning:
    code: str
    message: str
    event_ids: tuple[int, ...] = ()
    service_ids: tuple[int, ...] = ()
    impact_ids: tuple[int, ...] = ()
    # Only for "impact_window_disagrees": (start, end) by the record and by the events.
    record_window: tuple[datetime, datetime | None] | None = None
    events_window: tuple[datetime, datetime | None] | None = None


@dataclass(frozen=True)
class Reconstruction:
    start: datetime | None
    end: datetime | None
    windows: tuple[ImpactWindow, ...]
    edges: tuple[PropagationEdge, ...]
    roots: tuple[int, ...]
    unexplained: tuple[int, ...]
    depth: dict[int, int]
    blast_radius: tuple[int, ...]
    critical_path: tuple[int, ...]
    phases: Phases
    offsets: dict[int, str]
    warnings: tuple[CascadeWarning, ...]

    def window_for(self, service_id: int) -> ImpactWindow | None:
        """Return the impact window of one service, or None if it was not impacted."""
        return next((w for w in self.windows if w.service_id == service_id), None)

    def edge_into(self, service_id: int) -> PropagationEdge | None:
        """Return the edge that explains one service's impact, if any."""
        return next((e for e in self.edges if e.downstream_id == service_id), None)


# ------------------------------------------------------------------------ entry point


def reconstruct(
    *,
    incident: IncidentTimes,
    services: Sequence[ServiceNode],
    dependencies: Sequence[DependencyEdge],
    impacts: Sequence[ImpactRecord],
    events: Sequence[EventRecord],
    source_names: Mapping[int, str] | None = None,
) -> Reconstruction:
    """Return how the failure spread; ``source_names`` only words warnings."""
    names = _ServiceNames({service.id: service.name for service in services})
    warnings: list[CascadeWarning] = []

    graph = _DependencyGraph.build(services, dependencies, impacts, events)
    warnings.extend(_cycle_warnings(graph.components, graph.self_loops, names))

    windows = _build_windows(impacts, events, names, source_names or {}, warnings)
    start = _incident_start(incident, windows, events)

    propagation = _trace_propagation(graph, windows)
    warnings.extend(_conflicting_times(events, names))
    warnings.extend(_events_outside_incident(incident, events))
    warnings.extend(_unexplained_warnings(propagation, windows, names))

    phases = _phases(incident, start, windows, events)
    ordered_windows = tuple(windows[service_id] for service_id in propagation.order)
    return Reconstruction(
        start=start,
        end=incident.resolved_at or phases.recovered_at,
        windows=ordered_windows,
        edges=propagation.edges,
        roots=propagation.roots,
        unexplained=tuple(item.service_id for item in propagation.unexplained),
        depth=propagation.depth,
        blast_radius=_blast_radius(propagation.depth),
        critical_path=_critical_path(ordered_windows, propagation),
        phases=phases,
        offsets={} if start is None else _offsets(start, events),
        warnings=tuple(warnings),
    )


# One wording for pages, pictures and exports; kept under its old name for callers.
format_offset = wording.offset
_ONE_MINUTE = timedelta(minutes=1)


def _offsets(start: datetime, events: Sequence[EventRecord]) -> dict[int, str]:
    """Return each event's "T+hh:mm", worded once per minute rather than once per event.

    Ten thousand events of a few hours share a few hundred minutes; the same text object
    for each of them also makes the answer quicker to free and to pickle. The selectors
    hand events over in time order, so most fall in the same minute as the event before
    and take its text after two comparisons, without a difference from the start (any
    order gives the same texts).
    """
    offsets: dict[int, str] = {}
    by_minute: dict[int, str] = {}
    # [minute_start, minute_end): the minute after the start the last event fell in.
    minute_start = minute_end = start
    text = ""
    for event in events:
        at = event.at
        if minute_start <= at < minute_end:
            offsets[event.id] = text
            continue
        delta = at - start
        if delta.days < 0:  # before the start: rare, and its rounding is towards zero
            offsets[event.id] = format_offset(delta)
            continue
        minute = delta.days * 1440 + delta.seconds // 60
        known = by_minute.get(minute)
        if known is None:
            known = by_minute[minute] = format_offset(delta)
        text = offsets[event.id] = known
        minute_start = start + timedelta(minutes=minute)  # not after ``at``: it exists
        try:
            minute_end = minute_start + _ONE_MINUTE
        except OverflowError:  # the calendar's last minute: no shortcut
            minute_end = minute_start
    return offsets


# ----------------------------------------------------------------------------- names


class _ServiceNames:
    def __init__(self, names: dict[int, str]) -> None:
        self._names = names

    def __call__(self, service_id: int) -> str:
        return self._names.get(service_id) or f"service #{service_id}"

    def phrase(self, service_ids: Iterable[int]) -> str:
        """Return "A", "A and B" or "A, B and C"."""
        labels = [self(service_id) for service_id in service_ids]
        if len(labels) <= 1:
            return "".join(labels)
        return ", ".join(labels[:-1]) + " and " + labels[-1]


_clock = wording.utc
# Sort keys in C: the reconstruction sorts events, records and bars per service, and a
# lambda per item was a sixth of its time at ten thousand events.
_by_time = attrgetter("at", "id")
_by_start = attrgetter("started_at", "id")
_first = itemgetter(0)
_services_of = attrgetter("service_ids")


def _tolerance(table: dict[str, timedelta], precision: str) -> timedelta:
    # An unknown precision is read as the finest one: better a warning too many than a
    # conflict hidden behind a typo.
    return table.get(precision, table["minute"])


# ----------------------------------------------------------------------------- graph


@dataclass(frozen=True)
class _DependencyGraph:
    # Adjacency in the failure direction (upstream -> downstream) and back, each list
    # sorted so results do not depend on the order the caller loaded rows in.
    downstream: dict[int, list[tuple[int, bool]]]
    upstream: dict[int, list[tuple[int, bool]]]
    components: list[list[int]]
    self_loops: list[int]
    # Position of each service's strongly connected component in topological order;
    # ties between simultaneous impacts are broken upstream-first with it.
    topological_position: dict[int, int]

    @classmethod
    def build(
        cls,
        services: Sequence[ServiceNode],
        dependencies: Sequence[DependencyEdge],
        impacts: Sequence[ImpactRecord],
        events: Sequence[EventRecord],
    ) -> _DependencyGraph:
        downstream: dict[int, list[tuple[int, bool]]] = defaultdict(list)
        upstream: dict[int, list[tuple[int, bool]]] = defaultdict(list)
        self_loops: set[int] = set()
        for edge in dependencies:
            downstream[edge.upstream_id].append((edge.downstream_id, edge.hard))
            upstream[edge.downstream_id].append((edge.upstream_id, edge.hard))
            if edge.upstream_id == edge.downstream_id:
                self_loops.add(edge.upstream_id)
        for neighbours in (*downstream.values(), *upstream.values()):
            # Hard before soft for the same neighbour, so the preferred edge is met first.
            neighbours.sort(key=lambda neighbour: (neighbour[0], not neighbour[1]))

        nodes = {service.id for service in services}
        nodes.update(downstream, upstream)
        nodes.update(impact.service_id for impact in impacts)
        nodes.update(chain.from_iterable(map(_services_of, events)))

        components = _strongly_connected_components(sorted(nodes), downstream)
        # Tarjan emits components downstream-first; count from the end for upstream-first.
        topological_position = {
            service_id: len(components) - 1 - emitted
            for emitted, component in enumerate(components)
            for service_id in component
        }
        return cls(
            downstream=dict(downstream),
            upstream=dict(upstream),
            components=components,
            self_loops=sorted(self_loops),
            topological_position=topological_position,
        )


def _strongly_connected_components(
    nodes: list[int], downstream: dict[int, list[tuple[int, bool]]]
) -> list[list[int]]:
    """Return Tarjan's components in the order it emits them (reverse topological).

    Iterative, because a recursive Tarjan dies on Python's recursion limit on a long
    chain of a few thousand services.
    """
    index: dict[int, int] = {}
    lowlink: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    components: list[list[int]] = []

    for root in nodes:
        if root in index:
            continue
        index[root] = lowlink[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work: list[tuple[int, int]] = [(root, 0)]
        while work:
            node, position = work[-1]
            neighbours = downstream.get(node, ())
            if position < len(neighbours):
                work[-1] = (node, position + 1)
                neighbour = neighbours[position][0]
                if neighbour not in index:
                    index[neighbour] = lowlink[neighbour] = len(index)
                    stack.append(neighbour)
                    on_stack.add(neighbour)
                    work.append((neighbour, 0))
                elif neighbour in on_stack:
                    lowlink[node] = min(lowlink[node], index[neighbour])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                lowlink[parent] = min(lowlink[parent], lowlink[node])
            if lowlink[node] == index[node]:
                component: list[int] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components


def _cycle_warnings(
    components: list[list[int]], self_loops: list[int], names: _ServiceNames
) -> list[CascadeWarning]:
    warnings = []
    cycles = [component for component in components if len(component) > 1]
    cycles.extend([service_id] for service_id in self_loops)
    for cycle in sorted(cycles):
        if len(cycle) == 1:
            message = f"{names(cycle[0])} is listed as depending on itself."
        else:
            message = (
                f"{names.phrase(cycle)} depend on each other in a cycle; the cascade "
                "through them is reconstructed, but which one failed first is a guess "
                "from their impact times."
            )
        warnings.append(
            CascadeWarning(code="dependency_cycle", message=message, service_ids=tuple(cycle))
        )
    return warnings


# --------------------------------------------------------------------------- windows


def _build_windows(
    impacts: Sequence[ImpactRecord],
    events: Sequence[EventRecord],
    names: _ServiceNames,
    source_names: Mapping[int, str],
    warnings: list[CascadeWarning],
) -> dict[int, ImpactWindow]:
    records: dict[int, list[ImpactRecord]] = defaultdict(list)
    for impact in impacts:
        records[impact.service_id].append(impact)
    start_events: dict[int, list[EventRecord]] = defaultdict(list)
    recovery_events: dict[int, list[EventRecord]] = defaultdict(list)
    for event in events:
        kind = event.kind
        if kind in WINDOW_START_KINDS:
            by_service = start_events
        elif kind == "recovery":
            by_service = recovery_events
        else:
            continue
        service_ids = event.service_ids
        for service_id in set(service_ids) if len(service_ids) > 1 else service_ids:
            by_service[service_id].append(event)

    windows = {}
    # A recovery for a service with no recorded impact says nothing about the cascade,
    # so recoveries alone do not open a window.
    for service_id in sorted(records.keys() | start_events.keys()):
        windows[service_id] = _window_for_service(
            service_id,
            records.get(service_id, []),
            start_events.get(service_id, []),
            recovery_events.get(service_id, []),
            names,
            source_names,
            warnings,
        )
    return windows


def _window_for_service(
    service_id: int,
    records: list[ImpactRecord],
    start_events: list[EventRecord],
    recovery_events: list[EventRecord],
    names: _ServiceNames,
    source_names: Mapping[int, str],
    warnings: list[CascadeWarning],
) -> ImpactWindow:
    recoveries = sorted(recovery_events, key=_by_time)
    if records:
        # Where the events and the impact record disagree, the record (a person's
        # statement) is drawn and the difference becomes a warning, never a silent
        # stretch: the events beyond it are left out of the window until an editor
        # adopts them.
        disagreement = _WindowDisagreement.between(records, start_events, recoveries)
        if disagreement is not None:
            if not disagreement.kept:
                warnings.append(disagreement.warning(service_id, names, source_names))
            # By identity: the left-out events are these very objects, and comparing
            # dataclasses field by field was a tenth of the reconstruction at 10k events.
            early = {id(e) for e in disagreement.early_events}
            late = {id(e) for e in disagreement.late_events}
            start_events = [e for e in start_events if id(e) not in early]
            recoveries = [e for e in recoveries if id(e) not in late]
    recovery_times = [event.at for event in recoveries]

    def first_recovery_from(moment: datetime) -> datetime | None:
        position = bisect_left(recovery_times, moment)
        return recovery_times[position] if position < len(recovery_times) else None

    intervals: list[tuple[datetime, datetime | None, str]] = []
    for impact in sorted(records, key=_by_start):
        ended_at = impact.ended_at
        if ended_at is not None and ended_at < impact.started_at:
            warnings.append(
                CascadeWarning(
                    code="recovery_before_impact",
                    message=(
                        f"The impact on {names(service_id)} ends at {_clock(ended_at)}, "
                        f"before it starts at {_clock(impact.started_at)}; the end is "
                        "ignored."
                    ),
                    service_ids=(service_id,),
                    impact_ids=(impact.id,),
                )
            )
            # An end before the start is a typo we cannot repair; an unknown end lets a
            # recovery event close the impact instead of inventing a time.
            ended_at = None
        if ended_at is None:
            ended_at = first_recovery_from(impact.started_at)
        level = OUTAGE if impact.level == OUTAGE else DEGRADED
        intervals.append((impact.started_at, ended_at, level))

    intervals.extend(_intervals_from_start_events(intervals, start_events, first_recovery_from))

    window_start = min(started_at for started_at, _, _ in intervals)
    segments = _segments(intervals)
    window_end = None
    if all(ended_at is not None for _, ended_at, _ in intervals):
        window_end = max(ended_at for _, ended_at, _ in intervals if ended_at is not None)
        if recovery_times and recovery_times[-1] > window_end:
            # A recovery reported after the recorded impact end is the later-informed
            # statement of when the service was back; stretch the last bar to it.
            window_end = recovery_times[-1]
            segments[-1] = segments[-1]._replace(ended_at=window_end)

    for recovery in recoveries:
        if recovery.at >= window_start:
            break
        warnings.append(
            CascadeWarning(
                code="recovery_before_impact",
                message=(
                    f"{names(service_id)} is reported recovered at {_clock(recovery.at)}, "
                    f"before its impact began at {_clock(window_start)}."
                ),
                event_ids=(recovery.id,),
                service_ids=(service_id,),
            )
        )

    return ImpactWindow(
        service_id=service_id,
        started_at=window_start,
        ended_at=window_end,
        level=OUTAGE if any(segment.level == OUTAGE for segment in segments) else DEGRADED,
        segments=tuple(segments),
        impact_ids=tuple(sorted(record.id for record in records)),
        event_ids=tuple(sorted({event.id for event in (*start_events, *recovery_events)})),
        source=_window_source(records, window_start, window_end),
    )


def _window_source(
    records: Sequence[ImpactRecord], window_start: datetime, window_end: datetime | None
) -> str:
    """Return which of WINDOW_SOURCES gave a window: the records when they span it alone."""
    if not records:
        return "events"
    record_start = min(record.started_at for record in records)
    # An end before its start is ignored by the window (see above), so it counts as open.
    ends = [r.ended_at if r.ended_at and r.ended_at >= r.started_at else None for r in records]
    record_end = None if None in ends else max(end for end in ends if end is not None)
    if (record_start, record_end) == (window_start, window_end):
        return "record"
    return "record_and_events"


@dataclass(frozen=True)
class _WindowDisagreement:
    """An impact record and the events put one service's impact at different times."""

    record_window: tuple[datetime, datetime | None]
    events_window: tuple[datetime, datetime | None]
    impact_ids: tuple[int, ...]
    early_events: tuple[EventRecord, ...]  # start events before the record's start
    late_events: tuple[EventRecord, ...]  # recoveries after the record's end
    kept: bool

    @classmethod
    def between(
        cls,
        records: Sequence[ImpactRecord],
        start_events: Sequence[EventRecord],
        recoveries: Sequence[EventRecord],
    ) -> _WindowDisagreement | None:
        """Return how the events go beyond the records, or None when they agree."""
        record_start = min(record.started_at for record in records)
        ends = [record.ended_at for record in records]
        # An open record is not contradicted by a recovery: the recovery closes it.
        record_end = None if None in ends else max(end for end in ends if end is not None)
        early = tuple(e for e in start_events if record_start - e.at > WINDOW_TOLERANCE)
        late = ()
        if record_end is not None and record_end >= record_start:
            late = tuple(e for e in recoveries if e.at - record_end > WINDOW_TOLERANCE)
        if not early and not late:
            return None
        # Where the events are silent (no start, or no recovery) they do not contradict
        # the record, so its bound stands in the events' window too.
        events_start = min((e.at for e in start_events), default=record_start)
        events_end = max((e.at for e in recoveries), default=record_end)
        if record_end is not None and events_end is not None:
            events_end = max(events_end, record_end)
        events_window = (min(events_start, record_start), events_end)
        return cls(
            record_window=(record_start, record_end),
            events_window=events_window,
            impact_ids=tuple(sorted(record.id for record in records)),
            early_events=early,
            late_events=late,
            kept=any(record.kept_over_events == events_window for record in records),
        )

    def warning(
        self, service_id: int, names: _ServiceNames, source_names: Mapping[int, str]
    ) -> CascadeWarning:
        """Return the warning naming the service, both windows and who says each."""
        cited = sorted({*self.early_events, *self.late_events}, key=_by_time)
        said_by = "; ".join(_event_citation(event, source_names) for event in cited)
        records = "records say" if len(self.impact_ids) > 1 else "record says"
        return CascadeWarning(
            code="impact_window_disagrees",
            message=(
                f"{names(service_id)}: the impact {records} "
                f"{wording.window(*self.record_window)}, the events say "
                f"{wording.window(*self.events_window)} ({said_by}). The record is "
                "shown; keep it or adopt the events' window."
            ),
            event_ids=tuple(event.id for event in cited),
            service_ids=(service_id,),
            impact_ids=self.impact_ids,
            record_window=self.record_window,
            events_window=self.events_window,
        )


def _event_citation(event: EventRecord, source_names: Mapping[int, str]) -> str:
    precision = "" if event.precision == "minute" else f", {event.precision}"
    source = source_names.get(event.source_id) if event.source_id is not None else None
    where = f", from {source}" if source else ", with no source"
    return f"{event.kind} “{event.title}” at {wording.clock(event.at)}{precision}{where}"


def _intervals_from_start_events(
    record_intervals: list[tuple[datetime, datetime | None, str]],
    start_events: list[EventRecord],
    first_recovery_from: Callable[[datetime], datetime | None],
) -> list[tuple[datetime, datetime | None, str]]:
    """Return the impact an impact/trigger event reports beyond what records cover.

    An event inside a recorded impact adds nothing. One just before a record announces
    that record, so it runs into it at the record's level. Otherwise it lasts until the
    next recovery, and is only "degraded" because an event does not say how bad it was.
    """
    covered = _union(record_intervals)
    covered_starts = [started_at for started_at, _, _ in covered]
    intervals: list[tuple[datetime, datetime | None, str]] = []
    for event in start_events:
        position = bisect_right(covered_starts, event.at) - 1
        if position >= 0:
            covered_end = covered[position][1]
            if covered_end is None or event.at <= covered_end:
                continue
        recovered_at = first_recovery_from(event.at)
        if position + 1 < len(covered):
            next_start, _, next_level = covered[position + 1]
            if recovered_at is None or next_start <= recovered_at:
                intervals.append((event.at, next_start, next_level))
                continue
        intervals.append((event.at, recovered_at, DEGRADED))
    return intervals


def _union(
    intervals: list[tuple[datetime, datetime | None, str]],
) -> list[tuple[datetime, datetime | None, str]]:
    """Return the merged cover of intervals, each block labelled with its first level."""
    merged: list[tuple[datetime, datetime | None, str]] = []
    for started_at, ended_at, level in sorted(intervals, key=_first):
        if merged:
            block_start, block_end, block_level = merged[-1]
            if block_end is None or started_at <= block_end:
                if block_end is not None and (ended_at is None or ended_at > block_end):
                    merged[-1] = (block_start, ended_at, block_level)
                continue
        merged.append((started_at, ended_at, level))
    return merged


def _segments(intervals: list[tuple[datetime, datetime | None, str]]) -> list[Segment]:
    """Cut overlapping intervals into consecutive bars; an outage beats a degradation."""
    changes: list[tuple[datetime, str, int]] = []
    for started_at, ended_at, level in intervals:
        changes.append((started_at, level, 1))
        if ended_at is not None:
            changes.append((ended_at, level, -1))
    changes.sort(key=_first)

    active = {OUTAGE: 0, DEGRADED: 0}
    segments: list[Segment] = []
    current_level: str | None = None
    current_start: datetime | None = None
    # Apply every change at one moment together, so an impact that ends as another
    # begins does not leave a zero-length gap.
    for moment, at_once in groupby(changes, key=_first):
        for _, level, delta in at_once:
            active[level] += delta
        level_now = OUTAGE if active[OUTAGE] else DEGRADED if active[DEGRADED] else None
        if level_now == current_level:
            continue
        if current_level is not None and current_start is not None:
            segments.append(Segment(current_start, moment, current_level))
        current_level, current_start = level_now, moment
    if current_level is not None and current_start is not None:
        segments.append(Segment(current_start, None, current_level))
    if not segments:
        # Every interval was zero-length (recovered the moment it began): keep one
        # point-sized bar so the window still has something to draw.
        started_at, ended_at, level = min(intervals, key=_first)
        segments.append(Segment(started_at, ended_at, level))
    return segments


# ----------------------------------------------------------------------- propagation


@dataclass(frozen=True)
class _Unexplained:
    service_id: int
    earliest_ancestor_id: int


@dataclass(frozen=True)
class _Propagation:
    # Impacted services in sweep order: by start, then upstream-first, then id.
    order: tuple[int, ...]
    edges: tuple[PropagationEdge, ...]
    parent: dict[int, int]
    roots: tuple[int, ...]
    unexplained: list[_Unexplained]
    depth: dict[int, int]


@dataclass(frozen=True)
class _Offer:
    """One impacted upstream reaching an impacted service, as seen from one neighbour."""

    carrier_rank: int
    hops: int
    soft: bool
    via: int  # the in-neighbour it arrived through


def _trace_propagation(graph: _DependencyGraph, windows: dict[int, ImpactWindow]) -> _Propagation:
    """Choose, for every impacted service, the impacted upstream that carried its failure.

    Every impacted service is a carrier of its own failure. Un-impacted services relay
    carriers towards their dependents: each keeps the two earliest distinct carriers that
    reach it (a time-keyed Dijkstra sweep), the second only so that a service on a cycle
    can skip its own failure coming back round. An impacted service then looks at what
    each dependency offers it: an impacted dependency offers itself, an un-impacted one
    the earliest carrier it relays. So "latest upstream wins" is exact among impacted
    dependencies and between relays, while each relay passes on the first failure that
    reached it, which is what keeps the sweep near-linear.
    """
    ordered = sorted(
        windows.values(),
        key=lambda window: (
            window.started_at,
            graph.topological_position[window.service_id],
            window.service_id,
        ),
    )
    service_at_rank = [window.service_id for window in ordered]
    start_at_rank = [window.started_at for window in ordered]
    rank = {service_id: position for position, service_id in enumerate(service_at_rank)}

    relayed = _relay_carriers(graph, rank)

    edges: list[PropagationEdge] = []
    parent: dict[int, int] = {}
    roots: list[int] = []
    unexplained: list[_Unexplained] = []
    depth: dict[int, int] = {}
    for own_rank, service_id in enumerate(service_at_rank):
        offers = _offers_to(service_id, graph, rank, relayed)
        if not offers:
            roots.append(service_id)
            depth[service_id] = 0
            continue
        # Ranks order carriers by start time, and among simultaneous ones upstream-first,
        # so a lower rank is a carrier that may have caused this impact; requiring it
        # strictly keeps simultaneous failures around a cycle from causing each other.
        possible = [offer for offer in offers if offer.carrier_rank < own_rank]
        if not possible:
            earliest = min(offers, key=lambda offer: offer.carrier_rank)
            if start_at_rank[earliest.carrier_rank] == start_at_rank[own_rank]:
                # Only a simultaneous failure round a cycle precedes it, and the sweep
                # order made this one the origin.
                roots.append(service_id)
            else:
                unexplained.append(_Unexplained(service_id, service_at_rank[earliest.carrier_rank]))
            depth[service_id] = 0
            continue
        own_start = start_at_rank[own_rank]
        chosen = min(
            possible,
            key=lambda offer: (
                own_start - start_at_rank[offer.carrier_rank],
                offer.hops,
                offer.soft,
                service_at_rank[offer.carrier_rank],
                offer.via,
            ),
        )
        upstream_id = service_at_rank[chosen.carrier_rank]
        edges.append(
            PropagationEdge(
                upstream_id=upstream_id,
                downstream_id=service_id,
                lag=own_start - start_at_rank[chosen.carrier_rank],
                path=_path(upstream_id, chosen, service_id, relayed),
                hard=not chosen.soft,
            )
        )
        parent[service_id] = upstream_id
        # The carrier has a lower rank, so its depth is already known.
        depth[service_id] = depth[upstream_id] + 1

    return _Propagation(
        order=tuple(service_at_rank),
        edges=tuple(edges),
        parent=parent,
        roots=tuple(roots),
        unexplained=unexplained,
        depth=depth,
    )


# For each un-impacted service: carrier rank -> (hops from the carrier, soft, previous hop).
_Relayed = dict[int, dict[int, tuple[int, bool, int]]]


def _relay_carriers(graph: _DependencyGraph, rank: dict[int, int]) -> _Relayed:
    relayed: _Relayed = defaultdict(dict)
    # Keyed (carrier rank, hops, soft): the carrier stays the same along a path and
    # hops only grow, so the key is monotone and popping in order settles each service
    # with its earliest carriers, by the shortest (then all-hard) path from each.
    heap: list[tuple[int, int, bool, int, int]] = []
    for service_id, carrier_rank in rank.items():
        for dependent, hard in graph.downstream.get(service_id, ()):
            if dependent not in rank:
                heap.append((carrier_rank, 1, not hard, dependent, service_id))
    heapq.heapify(heap)
    while heap:
        carrier_rank, hops, soft, service_id, previous = heapq.heappop(heap)
        carriers = relayed[service_id]
        if carrier_rank in carriers or len(carriers) >= 2:
            continue
        carriers[carrier_rank] = (hops, soft, previous)
        for dependent, hard in graph.downstream.get(service_id, ()):
            if dependent in rank:
                continue
            settled = relayed.get(dependent)
            if settled is None or (len(settled) < 2 and carrier_rank not in settled):
                heapq.heappush(
                    heap, (carrier_rank, hops + 1, soft or not hard, dependent, service_id)
                )
    return relayed


def _offers_to(
    service_id: int, graph: _DependencyGraph, rank: dict[int, int], relayed: _Relayed
) -> list[_Offer]:
    offers = []
    for dependency, hard in graph.upstream.get(service_id, ()):
        if dependency == service_id:
            continue
        if dependency in rank:
            offers.append(_Offer(rank[dependency], 1, not hard, dependency))
            continue
        carriers = relayed.get(dependency)
        if not carriers:
            continue
        own_rank = rank[service_id]
        others = [carrier_rank for carrier_rank in carriers if carrier_rank != own_rank]
        if others:
            carrier_rank = min(others)
            hops, soft, _ = carriers[carrier_rank]
            offers.append(_Offer(carrier_rank, hops + 1, soft or not hard, dependency))
    return offers


def _path(
    upstream_id: int, offer: _Offer, downstream_id: int, relayed: _Relayed
) -> tuple[int, ...]:
    path = [downstream_id]
    hop = offer.via
    while hop != upstream_id:
        path.append(hop)
        hop = relayed[hop][offer.carrier_rank][2]
    path.append(upstream_id)
    return tuple(reversed(path))


def _unexplained_warnings(
    propagation: _Propagation, windows: dict[int, ImpactWindow], names: _ServiceNames
) -> list[CascadeWarning]:
    warnings = []
    for item in propagation.unexplained:
        window = windows[item.service_id]
        ancestor_window = windows[item.earliest_ancestor_id]
        warnings.append(
            CascadeWarning(
                code="impact_without_cause",
                message=(
                    f"{names(item.service_id)} was impacted at {_clock(window.started_at)}, "
                    f"before any impacted service it depends on; the earliest, "
                    f"{names(item.earliest_ancestor_id)}, was only impacted at "
                    f"{_clock(ancestor_window.started_at)}."
                ),
                event_ids=window.event_ids,
                service_ids=(item.service_id, item.earliest_ancestor_id),
                impact_ids=window.impact_ids,
            )
        )
    return warnings


def _blast_radius(depth: dict[int, int]) -> tuple[int, ...]:
    if not depth:
        return ()
    counts = [0] * (max(depth.values()) + 1)
    for level in depth.values():
        counts[level] += 1
    return tuple(counts)


def _critical_path(windows: tuple[ImpactWindow, ...], propagation: _Propagation) -> tuple[int, ...]:
    if not windows:
        return ()

    def recovers_last(window: ImpactWindow) -> tuple[object, ...]:
        # Open windows have not recovered, so they are last; ties go to the deeper
        # service (the longer chain explains more), then the later start, then low id.
        tie_break = (propagation.depth[window.service_id], window.started_at, -window.service_id)
        if window.ended_at is None:
            return (1, *tie_break)
        return (0, window.ended_at, *tie_break)

    last = max(windows, key=recovers_last).service_id
    path = [last]
    while path[-1] in propagation.parent:
        path.append(propagation.parent[path[-1]])
    return tuple(reversed(path))


# -------------------------------------------------------------------- times, phases


def _incident_start(
    incident: IncidentTimes, windows: dict[int, ImpactWindow], events: Sequence[EventRecord]
) -> datetime | None:
    if incident.started_at is not None:
        return incident.started_at
    moments = [window.started_at for window in windows.values()]
    moments.extend(event.at for event in events if event.kind == "trigger")
    return min(moments, default=None)


def _phases(
    incident: IncidentTimes,
    start: datetime | None,
    windows: dict[int, ImpactWindow],
    events: Sequence[EventRecord],
) -> Phases:
    first: dict[str, datetime] = {}
    last_recovery: datetime | None = None
    earliest = first.get
    for event in events:
        kind, at = event.kind, event.at
        known = earliest(kind)
        if known is None or at < known:
            first[kind] = at
        if kind == "recovery" and (last_recovery is None or at > last_recovery):
            last_recovery = at

    recovered_at = incident.resolved_at
    # While any service is still down the incident has not recovered, whatever other
    # services reported; so derive a recovery only once every window is closed.
    if recovered_at is None and all(w.ended_at is not None for w in windows.values()):
        ends = [w.ended_at for w in windows.values() if w.ended_at is not None]
        if last_recovery is not None:
            ends.append(last_recovery)
        recovered_at = max(ends, default=None)

    trigger_at = incident.started_at or first.get("trigger") or start
    detected_at = incident.detected_at or first.get("detection")
    mitigated_at = incident.mitigated_at or first.get("mitigation")

    def since_start(moment: datetime | None) -> timedelta | None:
        return None if moment is None or start is None else moment - start

    return Phases(
        trigger_at=trigger_at,
        detected_at=detected_at,
        mitigated_at=mitigated_at,
        recovered_at=recovered_at,
        time_to_detect=since_start(detected_at),
        time_to_mitigate=since_start(mitigated_at),
        time_to_recover=since_start(recovered_at),
    )


# -------------------------------------------------------------------- event checks


def _events_outside_incident(
    incident: IncidentTimes, events: Sequence[EventRecord]
) -> list[CascadeWarning]:
    # Only the incident's own times bound it: a start or end derived from these very
    # events would flag every pre-incident deploy note and post-incident message.
    warnings = []
    started_at, resolved_at = incident.started_at, incident.resolved_at
    if started_at is None and resolved_at is None:
        return warnings
    # The few events outside first, then sorted: sorting all ten thousand cost more.
    outside = []
    slack_of, finest = PRECISION_SLACK, _tolerance(PRECISION_SLACK, "")
    for event in events:
        at = event.at
        # Most events lie inside the incident's own times, where no slack matters.
        if (started_at is None or at >= started_at) and (resolved_at is None or at <= resolved_at):
            continue
        slack = slack_of.get(event.precision, finest)
        if started_at is not None and started_at - event.at > slack:
            outside.append((event, f"before the incident started at {_clock(started_at)}"))
        elif resolved_at is not None and event.at - resolved_at > slack:
            outside.append((event, f"after the incident was resolved at {_clock(resolved_at)}"))
    for event, where in sorted(outside, key=lambda pair: (pair[0].at, pair[0].id)):
        label = f'"{event.title}"' if event.title else f"Event {event.id}"
        warnings.append(
            CascadeWarning(
                code="event_outside_window",
                message=f"{label} ({event.kind}) at {_clock(event.at)} is {where}.",
                event_ids=(event.id,),
                service_ids=tuple(sorted(set(event.service_ids))),
            )
        )
    return warnings


def _conflicting_times(events: Sequence[EventRecord], names: _ServiceNames) -> list[CascadeWarning]:
    # Grouped by kind, then by the set of services (a frozenset is cheaper to build than
    # a sorted tuple); one table per kind, so no key is built for the other kinds' events.
    # A lone event cannot conflict, so only groups of two or more are sorted.
    groups_of: dict[str, dict[frozenset[int], list[EventRecord]]] = {
        kind: defaultdict(list) for kind in MOMENT_KINDS
    }
    for event in events:
        groups = groups_of.get(event.kind)
        if groups is not None:
            groups[frozenset(event.service_ids)].append(event)
    shared = sorted(
        ((kind_position, tuple(sorted(services))), group)
        for kind_position, kind in enumerate(MOMENT_KINDS)
        for services, group in groups_of[kind].items()
        if len(group) > 1
    )

    warnings = []
    for (kind_position, service_ids), group in shared:
        # The timeline's own hand-entered events (no source) count as one more source.
        if len({event.source_id for event in group}) < 2:
            continue
        conflicting = _events_in_conflict(group)
        if not conflicting:
            continue
        earliest, latest = conflicting[0], conflicting[-1]
        kind = MOMENT_KINDS[kind_position]
        subject = names.phrase(service_ids) if service_ids else "the incident"
        warnings.append(
            CascadeWarning(
                code="conflicting_times",
                message=(
                    f"Sources disagree on the {kind} time of {subject}: from "
                    f"{_clock(earliest.at)} to {_clock(latest.at)}, further apart than "
                    "their precision allows."
                ),
                event_ids=tuple(event.id for event in conflicting),
                service_ids=service_ids,
            )
        )
    return warnings


def _events_in_conflict(group: list[EventRecord]) -> list[EventRecord]:
    """Return the events that disagree with an event from another source, in time order.

    Two events conflict when they are further apart than the looser of their two
    tolerances. Rather than compare every pair, compare each event with the extremes of
    each precision class: the earliest and latest event from a source other than its
    own. Four classes, so linear after the sort.
    """
    timed = [
        (event, _tolerance(CONFLICT_TOLERANCE, event.precision))
        for event in sorted(group, key=_by_time)
    ]
    classes: dict[timedelta, list[EventRecord]] = defaultdict(list)
    for event, tolerance in timed:
        classes[tolerance].append(event)
    extremes = [
        (tolerance, *_two_sources(members), *_two_sources(reversed(members)))
        for tolerance, members in classes.items()
    ]

    conflicting = []
    # Each class's earliest (and latest) event from a source other than this event's is
    # its first one, or else the first from another source after it: picked without a
    # generator per event and class, which was most of the cost of a large group.
    for event, own_tolerance in timed:
        at, source_id = event.at, event.source_id
        for tolerance, earliest, next_earliest, latest, next_latest in extremes:
            allowed = max(own_tolerance, tolerance)
            other = earliest if earliest.source_id != source_id else next_earliest
            if other is not None and at - other.at > allowed:
                conflicting.append(event)
                break
            other = latest if latest.source_id != source_id else next_latest
            if other is not None and other.at - at > allowed:
                conflicting.append(event)
                break
    return conflicting


def _two_sources(events: Iterable[EventRecord]) -> tuple[EventRecord, EventRecord | None]:
    """Return the first event, and the first one from a different source after it."""
    iterator = iter(events)
    first = next(iterator)
    return first, next((event for event in iterator if event.source_id != first.source_id), None)
