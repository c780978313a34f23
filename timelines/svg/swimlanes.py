"""The swimlanes: one lane per impacted service, its bars, event markers and phase bands."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence, Sized
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from itertools import accumulate

from timelines import wording
from timelines.cascade import (
    OUTAGE,
    EventRecord,
    ImpactWindow,
    Phases,
    Reconstruction,
    ServiceNode,
)
from timelines.svg.common import (
    _FONT,
    _MIN_WIDTH,
    MARKER_KINDS,
    _Clock,
    _duration,
    _el,
    _empty_picture,
    _fit,
    _fitted_text,
    _format,
    _ids,
    _iso,
    _legend,
    _LegendItem,
    _num,
    _plural,
    _root,
    _root_time_attrs,
    _scoped,
    _service_name,
    _shift,
    _source_zone,
    _text,
    _text_width,
    _utc,
    tick_step,
    ticks,
)
from timelines.zoom import group_by_position, views

# ------------------------------------------------------------------------ swimlanes

_MARKER_PATHS = {
    "trigger": "M0,-7L1.8,-2.2L6.7,-2.2L2.8,0.8L4.2,5.7L0,2.8L-4.2,5.7L-2.8,0.8L-6.7,-2.2L-1.8,-2.2Z",
    "detection": "M0,-6.5L6,5L-6,5Z",
    "impact": "M0,-6.5L6.5,0L0,6.5L-6.5,0Z",
    "escalation": "M0,-7L6,-1L2.2,-1L2.2,6L-2.2,6L-2.2,-1L-6,-1Z",
    "mitigation": "M-5,-5H5V5H-5Z",
    "recovery": "M-5.5,0A5.5,5.5 0 1,0 5.5,0A5.5,5.5 0 1,0 -5.5,0Z",
    "communication": "M-6.5,-5.5H6.5V3H-1L-4.5,6.5V3H-6.5Z",
    "note": "M-6,-5H6L0,6Z",
}
_PHASE_NAMES = {"detect": "Detect", "mitigate": "Mitigate", "recover": "Recover"}

_TIMELINE_CSS = """
{font-family:FONT;font-size:12px}
text{fill:#263238}
.backdrop{fill:#fff}
.lane-bg{fill:#fff}
.lane-bg.alt{fill:#f5f7f9}
.lane-bg.chosen{fill:#e3f2fd}
.lane.chosen .lane-name{font-weight:700;fill:#0d47a1}
.lane-rule{stroke:#eceff1}
.lane-name{font-size:12px}
.lane.incident .lane-name{font-weight:600}
.lane.unexplained .lane-name{font-style:italic}
.depth-badge{fill:#eceff1;stroke:#b0bec5}
.depth-text{font-size:10px;fill:#455a64}
.lane.unexplained .depth-badge{fill:#fff;stroke:#c62828;stroke-dasharray:2 2}
.lane.unexplained .depth-text{fill:#c62828;font-weight:700}
.phase{opacity:.5}
.phase-detect{fill:#ffe0b2}
.phase-mitigate{fill:#bbdefb}
.phase-recover{fill:#c8e6c9}
.phase-edge{stroke:#90a4ae;stroke-dasharray:3 3}
.phase-label{font-size:11px;font-weight:600;fill:#455a64}
.grid{stroke:#e0e4e8}
.axis-line{stroke:#90a4ae}
.tick-mark{stroke:#90a4ae}
.tick-label,.offset-label{font-size:11px;fill:#546e7a}
.tz{font-size:11px;fill:#78909c}
.bar.outage,.swatch.outage{fill:#d32f2f;stroke:#8e0000;stroke-width:1}
.bar.degraded,.swatch.degraded{stroke:#b26a00;stroke-width:1}
.open-end.outage{fill:#d32f2f}
.open-end.degraded{fill:#f9a825;stroke:#b26a00}
.marker,.legend-marker{fill:#607d8b}
.marker path{stroke:#fff;stroke-width:1.5}
.marker:focus,.marker-group:focus{outline:none}
.marker-group{cursor:zoom-in}
.marker-group circle{fill:#37474f;stroke:#fff;stroke-width:1.5}
.marker-group:focus circle,.marker-group:hover circle{stroke:#000;stroke-width:2}
.group-count{font-size:9px;font-weight:700;fill:#fff}
.continues{fill:none;stroke:#455a64;stroke-width:1.5}
.ticks-offset{display:none}
.marker:focus path,.marker:hover path{stroke:#000;stroke-width:2}
.kind-trigger{fill:#8e24aa}
.kind-detection{fill:#f57c00}
.kind-impact{fill:#c62828}
.kind-escalation{fill:#6d4c41}
.kind-mitigation{fill:#1976d2}
.kind-recovery{fill:#2e7d32}
.kind-communication{fill:#00838f}
.kind-note{fill:#78909c}
.legend-label{font-size:11px;fill:#455a64}
.lane.summary .lane-name{font-style:italic;fill:#455a64}
.lane.summary .depth-badge{fill:#fff}
.load-any{fill:#f9a825;opacity:.75}
.load-outage{fill:#d32f2f;opacity:.85}
.load-hit{fill:transparent}
.empty{font-size:13px;fill:#78909c}
"""

_GUTTER_MAX, _GUTTER_MIN = 220.0, 130.0
_RIGHT_MARGIN = 28.0
_TOP = 8.0
_PHASE_STRIP = 20.0
_LANE_HEIGHT = 30.0
_BAR_HEIGHT = 12.0
_MIN_SPAN = timedelta(minutes=10)


@dataclass(frozen=True)
class _Lane:
    # None for the "Incident" lane of events naming no impacted service, and for a
    # summary lane (which has members).
    service_id: int | None
    name: str
    depth: int | None
    unexplained: bool
    window: ImpactWindow | None
    # A summary lane stands for the impacted services of one cascade depth past the
    # picture's lane limit: their windows, drawn as how many were impacted at once.
    members: tuple[ImpactWindow, ...] = ()
    member_names: tuple[str, ...] = ()

    @property
    def is_summary(self) -> bool:
        """Return True for a lane that stands for several services."""
        return bool(self.members)


@dataclass(frozen=True)
class _Scale:
    start: datetime
    end: datetime
    left: float
    right: float

    def x(self, moment: datetime) -> float:
        return self.left + (_utc(moment) - self.start) / (self.end - self.start) * (
            self.right - self.left
        )

    def span_x(self, start: datetime, end: datetime) -> tuple[float, float] | None:
        """Return the on-axis part of a stretch of time, or None when it is out of view."""
        left, right = self.x(start), self.x(end)
        if right < self.left or left > self.right:
            return None
        return max(left, self.left), min(right, self.right)

    def shows(self, moment: datetime) -> bool:
        """Return True when the moment lies within the drawn axis."""
        return self.start <= _utc(moment) <= self.end

    def placer(self) -> tuple[float, float, Callable[[float], float]]:
        """Return the axis as POSIX seconds (first, last) and a function from them to x.

        For thousands of markers: float arithmetic instead of datetime arithmetic.
        """
        first, last = self.start.timestamp(), self.end.timestamp()
        per_second = (self.right - self.left) / ((last - first) or 1.0)
        left = self.left
        return first, last, lambda seconds: left + (seconds - first) * per_second


def _within(
    view: tuple[datetime, datetime], whole: tuple[datetime, datetime]
) -> tuple[datetime, datetime]:
    """Return the asked view cut to the incident's axis; the whole axis if nothing is left."""
    start, end = sorted((_utc(view[0]), _utc(view[1])))
    start, end = max(start, whole[0]), min(end, whole[1])
    if end - start < timedelta(minutes=1):
        return whole
    return start, end


@dataclass(frozen=True)
class _PhaseBand:
    name: str
    begin: datetime
    end: datetime
    is_open: bool
    # The figure the page's card shows for the moment this band ends (TTD, TTM, TTR):
    # the same number from the same reconstruction, so band and card cannot disagree.
    since_start: timedelta | None = None


_PHASE_METRICS = {"detect": "TTD", "mitigate": "TTM", "recover": "TTR"}


def _lanes(
    reconstruction: Reconstruction,
    services: Mapping[int, ServiceNode],
    events: Sequence[EventRecord],
    lane_limit: int | None = None,
) -> list[_Lane]:
    unexplained = set(reconstruction.unexplained)
    # Windows come in propagation order; a stable sort by depth keeps that order inside
    # each depth, so lanes read as the cascade spread.
    ordered = sorted(
        enumerate(reconstruction.windows),
        key=lambda item: (reconstruction.depth.get(item[1].service_id, 0), item[0]),
    )
    lanes = [
        _Lane(
            service_id=window.service_id,
            name=_service_name(services, window.service_id),
            depth=reconstruction.depth.get(window.service_id, 0),
            unexplained=window.service_id in unexplained,
            window=window,
        )
        for _, window in ordered
    ]
    if lane_limit is not None and len(lanes) > lane_limit:
        lanes = lanes[:lane_limit] + _summary_lanes(lanes[lane_limit:])
    impacted = {window.service_id for window in reconstruction.windows}
    if any(not impacted.intersection(event.service_ids) for event in events):
        lanes.insert(0, _Lane(None, "Incident", None, False, None))
    return lanes


# Past this many depths of lanes beyond the limit, the deepest share one summary lane.
_SUMMARY_LANES = 6


def _summary_lanes(rest: Sequence[_Lane]) -> list[_Lane]:
    """Return one lane per cascade depth for the lanes past the limit (the deepest merged).

    A depth with a single service past the limit keeps that service's own lane.
    """
    by_depth: dict[int, list[_Lane]] = defaultdict(list)
    for lane in rest:
        by_depth[lane.depth or 0].append(lane)
    depths = sorted(by_depth)
    groups = [(depth, depth, by_depth[depth]) for depth in depths[: _SUMMARY_LANES - 1]]
    if len(depths) >= _SUMMARY_LANES:
        deepest = [lane for depth in depths[_SUMMARY_LANES - 1 :] for lane in by_depth[depth]]
        groups.append((depths[_SUMMARY_LANES - 1], depths[-1], deepest))
    summaries = []
    for low, high, members in groups:
        if len(members) == 1:
            summaries.append(members[0])  # one service: its own lane says more than a count
            continue
        depth_text = str(low) if low == high else f"{low}\u2013{high}"
        summaries.append(
            _Lane(
                service_id=None,
                name=f"{_plural(len(members), 'more service')} at depth {depth_text}",
                depth=low,
                unexplained=False,
                window=None,
                members=tuple(lane.window for lane in members if lane.window is not None),
                member_names=tuple(lane.name for lane in members),
            )
        )
    return summaries


def _phase_bands(phases: Phases, start: datetime | None, open_until: datetime) -> list[_PhaseBand]:
    bounds = [
        phases.trigger_at or start,
        phases.detected_at,
        phases.mitigated_at,
        phases.recovered_at,
    ]
    metrics = (phases.time_to_detect, phases.time_to_mitigate, phases.time_to_recover)
    bands = []
    for position, name in enumerate(_PHASE_NAMES):
        begin, end = bounds[position], bounds[position + 1]
        if begin is None:
            continue
        is_open = False
        if end is None:
            # A missing boundary with a later one known is a gap in the record, not an
            # ongoing phase; only the last phase reached runs on to "now".
            if any(later is not None for later in bounds[position + 2 :]):
                continue
            end, is_open = max(open_until, begin), True
        if end < begin:
            continue
        since_start = None if is_open else metrics[position]
        bands.append(_PhaseBand(name, _utc(begin), _utc(end), is_open, since_start))
    return bands


def _known_moments(reconstruction: Reconstruction, events: Sequence[EventRecord]) -> list[datetime]:
    moments = [
        moment for moment in (reconstruction.start, reconstruction.end) if moment is not None
    ]
    for window in reconstruction.windows:
        for segment in window.segments:
            moments.append(segment.started_at)
            if segment.ended_at is not None:
                moments.append(segment.ended_at)
    moments.extend(event.at for event in events)
    phases = reconstruction.phases
    moments.extend(
        moment
        for moment in (
            phases.trigger_at,
            phases.detected_at,
            phases.mitigated_at,
            phases.recovered_at,
        )
        if moment is not None
    )
    return [_utc(moment) for moment in moments]


def _kind_of(event: EventRecord) -> str:
    return _class_word(event.kind)


@lru_cache(maxsize=256)
def _class_word(kind: str) -> str:
    # The kind lands in a class attribute; anything but a plain word would add classes.
    return re.sub(r"[^a-z0-9-]", "", kind.lower()) or "note"


def swimlanes_svg(
    reconstruction: Reconstruction,
    *,
    services: Mapping[int, ServiceNode],
    events: Sequence[EventRecord],
    width: int = 1100,
    now: datetime | None = None,
    source_timezone: str | None = None,
    id_prefix: str | None = None,
    view: str | tuple[datetime, datetime] | None = None,
    lane_limit: int | None = None,
) -> str:
    """Return the incident timeline: one lane per impacted service, bars, markers, phases.

    ``lane_limit`` draws at most that many services' lanes (in cascade order); the rest
    become one summary lane per cascade depth, which shows how many of its services were
    impacted at once and carries their events, so nothing drops out of the picture.

    ``view`` narrows the axis to a window of the incident, given as (start, end) or by
    the name of a preset of ``timelines.zoom.views`` ("spread", "mitigation", "whole");
    bars are cut at its edges, events outside it are left out and counted, and markers
    that would overlap at the view's scale are drawn as one group with a count.

    ``now`` ends open windows and the phase still under way; it only stretches the axis
    when something is open, so passing the current time for an old, closed incident does
    not squash it. By default open things end at the reconstruction's end, or else at the
    last known moment.
    """
    width = max(int(width), _MIN_WIDTH)
    ids = _ids(
        "timeline",
        id_prefix,
        reconstruction.start,
        [(w.service_id, w.started_at) for w in reconstruction.windows],
        [e.id for e in events],
    )
    lanes = _lanes(reconstruction, services, events, lane_limit)
    moments = _known_moments(reconstruction, events)
    origin = None if reconstruction.start is None else _utc(reconstruction.start)
    zone = _source_zone(source_timezone)
    style = _scoped("cz-timeline", _TIMELINE_CSS.replace("FONT", _FONT))
    impacted_count = len(reconstruction.windows)
    title = f"Incident timeline: {_plural(impacted_count, 'impacted service')}"

    if not moments:
        clock = _Clock(origin, zone, dated=False)
        return _empty_picture(
            root_class="cz-timeline",
            ids=ids,
            width=width,
            title=title,
            desc="No impact and no events are recorded for this incident.",
            message="No impact or events recorded yet.",
            style=style,
            extra=_root_time_attrs(clock, source_timezone),
        )

    anything_open = (
        any(window.is_open for window in reconstruction.windows)
        or reconstruction.phases.recovered_at is None
    )
    if now is not None:
        open_until = _utc(now)
    elif reconstruction.end is not None:
        open_until = _utc(reconstruction.end)
    else:
        open_until = max(moments)
    first, last = min(moments), max(moments)
    if anything_open:
        last = max(last, open_until)
    span = last - first
    if span < _MIN_SPAN:
        first = _shift(first, -(_MIN_SPAN - span) / 2)
        last = _shift(first, _MIN_SPAN)
        span = last - first
    padding = max(span * 0.03, timedelta(minutes=1))
    domain_start, domain_end = _shift(first, -padding), _shift(last, padding)
    whole = (domain_start, domain_end)
    if isinstance(view, str):
        view = views(reconstruction, whole).get(view)
    if view is not None:
        domain_start, domain_end = _within(view, whole)

    gutter = min(_GUTTER_MAX, max(_GUTTER_MIN, width * 0.18))
    scale = _Scale(domain_start, domain_end, gutter, width - _RIGHT_MARGIN)
    clock = _Clock(origin, zone, dated=domain_start.date() != domain_end.date())
    lanes_top = _TOP + _PHASE_STRIP + 4
    axis_y = lanes_top + len(lanes) * _LANE_HEIGHT

    body: list[str] = []
    body.append(_lane_backgrounds(lanes, lanes_top, width))
    body.append(
        _phases_markup(_phase_bands(reconstruction.phases, origin, open_until), scale, axis_y)
    )
    tick_moments = ticks(
        domain_start, domain_end, target=max(3, min(8, int((scale.right - scale.left) // 90)))
    )
    body.append(_grid(tick_moments, scale, lanes_top, axis_y))
    body.append(_lanes_markup(lanes, events, scale, clock, ids, lanes_top, open_until))
    body.append(_axis(tick_moments, scale, clock, axis_y, domain_start, domain_end))
    if origin is not None:
        body.append(_offset_axis(origin, scale, axis_y))
    hidden = sum(1 for event in events if not domain_start <= _utc(event.at) <= domain_end)
    legend, legend_height = _legend(
        _timeline_legend_items(ids, events, summarised=any(lane.is_summary for lane in lanes)),
        left=gutter,
        top=axis_y + 46,
        right=width - _RIGHT_MARGIN,
    )
    body.append(legend)
    height = axis_y + 46 + legend_height + 10

    defs = _el(
        "pattern",
        {
            "id": f"{ids}degraded",
            "width": 6,
            "height": 6,
            "patternUnits": "userSpaceOnUse",
            "patternTransform": "rotate(45)",
        },
        _el("rect", {"width": 6, "height": 6, "fill": "#f9a825"}),
        _el("rect", {"width": 2, "height": 6, "fill": "#c17900"}),
    ) + _el(
        "linearGradient",
        {"id": f"{ids}fade"},
        _el("stop", {"offset": 0, "stop-color": "#fff", "stop-opacity": 0}),
        _el("stop", {"offset": 1, "stop-color": "#fff", "stop-opacity": 0.85}),
    )
    # The backdrop goes first but needs the height, known only once the legend is laid out.
    body.insert(0, _el("rect", {"class": "backdrop", "width": width, "height": _num(height)}))
    return _root(
        root_class="cz-timeline",
        ids=ids,
        width=width,
        height=height,
        title=title,
        desc=_timeline_summary(reconstruction, services, events),
        style=style,
        defs=defs,
        body=body,
        extra={
            **_root_time_attrs(clock, source_timezone),
            # What the page's zoom needs to turn a drag into times.
            "data-whole-start": _iso(whole[0]),
            "data-whole-end": _iso(whole[1]),
            "data-view-start": _iso(domain_start),
            "data-view-end": _iso(domain_end),
            "data-plot-left": _num(scale.left),
            "data-plot-right": _num(scale.right),
            "data-hidden-events": hidden,
        },
    )


def _lane_backgrounds(lanes: Sequence[_Lane], lanes_top: float, width: float) -> str:
    parts = []
    for position, lane in enumerate(lanes):
        y = lanes_top + position * _LANE_HEIGHT
        parts.append(
            _el(
                "rect",
                {
                    "class": "lane-bg alt" if position % 2 else "lane-bg",
                    # The page's script highlights a lane when its graph node is chosen.
                    "data-service-id": lane.service_id,
                    "data-service-ids": " ".join(str(m.service_id) for m in lane.members) or None,
                    "x": 0,
                    "y": y,
                    "width": width,
                    "height": _LANE_HEIGHT,
                },
            )
        )
    return _el("g", {"class": "lane-bgs", "aria-hidden": "true"}, *parts)


def _phases_markup(bands: Sequence[_PhaseBand], scale: _Scale, axis_y: float) -> str:
    parts = []
    for band in bands:
        shown = scale.span_x(band.begin, band.end)
        if shown is None:
            continue
        left, right = shown
        band_width = max(right - left, 1.0)
        name = _PHASE_NAMES[band.name]
        duration = _duration(band.end - band.begin) + ("+" if band.is_open else "")
        summary = f"{name} phase: {duration}" + (", still under way" if band.is_open else "")
        candidates: tuple[str, ...] = (f"{name} {duration}", name, name[0])
        if band.since_start is not None:
            metric = f"{_PHASE_METRICS[band.name]} {_duration(band.since_start)}"
            summary += f"; {metric} from the start"
            candidates = (f"{name} · {metric}", metric, name, name[0])
        label = next((text for text in candidates if _text_width(text, 11) + 6 <= band_width), "")
        classes = f"phase phase-{band.name}" + (" open" if band.is_open else "")
        parts.append(
            _el(
                "g",
                {"class": "phase-band", "data-phase": band.name},
                _el(
                    "rect",
                    {
                        "class": classes,
                        "x": left,
                        "y": _TOP,
                        "width": band_width,
                        "height": axis_y - _TOP,
                    },
                    _el("title", None, _text(summary)),
                ),
                _el(
                    "line",
                    {"class": "phase-edge", "x1": left, "x2": left, "y1": _TOP, "y2": axis_y},
                ),
                _el("text", {"class": "phase-label", "x": left + 4, "y": _TOP + 14}, _text(label))
                if label
                else "",
            )
        )
    return _el("g", {"class": "phases"}, *parts)


def _grid(tick_moments: Sequence[datetime], scale: _Scale, lanes_top: float, axis_y: float) -> str:
    lines = [
        _el(
            "line",
            {
                "class": "grid",
                "x1": scale.x(moment),
                "x2": scale.x(moment),
                "y1": lanes_top,
                "y2": axis_y,
            },
        )
        for moment in tick_moments
    ]
    return _el("g", {"class": "grids", "aria-hidden": "true"}, *lines)


def _axis(
    tick_moments: Sequence[datetime],
    scale: _Scale,
    clock: _Clock,
    axis_y: float,
    domain_start: datetime,
    domain_end: datetime,
) -> str:
    daily = len(tick_moments) > 1 and tick_moments[1] - tick_moments[0] >= timedelta(days=1)
    parts = [
        _el(
            "line",
            {"class": "axis-line", "x1": scale.left, "x2": scale.right, "y1": axis_y, "y2": axis_y},
        )
    ]
    previous_day = None
    for moment in tick_moments:
        x = scale.x(moment)
        if daily:
            fmt = "date"
        elif moment.date() != previous_day:
            fmt = "datetime"
        else:
            fmt = "time"
        previous_day = moment.date()
        attributes = clock.attrs(moment, fmt)
        attributes.update(
            {"class": "tick-label t", "x": x, "y": axis_y + 17, "text-anchor": "middle"}
        )
        parts.append(
            _el("line", {"class": "tick-mark", "x1": x, "x2": x, "y1": axis_y, "y2": axis_y + 5})
        )
        parts.append(_el("text", attributes, _text(_format(moment, fmt))))
    years = sorted({domain_start.year, domain_end.year})
    caption = "Times in UTC, " + "\u2013".join(str(year) for year in years)
    parts.append(_el("text", {"class": "tz", "x": scale.left, "y": axis_y + 35}, _text(caption)))
    return _el("g", {"class": "axis"}, *parts)


def _lanes_markup(
    lanes: Sequence[_Lane],
    events: Sequence[EventRecord],
    scale: _Scale,
    clock: _Clock,
    ids: str,
    lanes_top: float,
    open_until: datetime,
) -> str:
    # Events by lane position: a lane per service, a summary lane for its members, and
    # the incident lane (first, when drawn) for events naming no impacted service.
    lane_of: dict[int, int] = {}
    for position, lane in enumerate(lanes):
        if lane.service_id is not None:
            lane_of[lane.service_id] = position
        for member in lane.members:
            lane_of[member.service_id] = position
    # Each event's moment as POSIX seconds, found once: a dense picture places thousands.
    lane_events: dict[int, list[tuple[float, EventRecord]]] = defaultdict(list)
    timed = sorted(
        ((_utc(event.at).timestamp(), event) for event in events), key=lambda p: (p[0], p[1].id)
    )
    for moment, event in timed:
        targets = dict.fromkeys(
            lane_of[service_id] for service_id in event.service_ids if service_id in lane_of
        )
        for target in targets or [0]:
            lane_events[target].append((moment, event))

    group_width = _group_width(lane_events, scale)
    gutter = scale.left
    parts = []
    for position, lane in enumerate(lanes):
        top = lanes_top + position * _LANE_HEIGHT
        middle = top + _LANE_HEIGHT / 2
        children = [_lane_label(lane, middle, gutter)]
        if lane.window is not None:
            children.extend(_bars(lane, scale, clock, ids, middle, open_until))
        if lane.is_summary:
            children.extend(_summary_areas(lane, scale, top, open_until))
        children.extend(
            _markers(lane_events.get(position, []), lane, scale, clock, middle, group_width)
        )
        classes = ["lane"]
        if lane.is_summary:
            classes.append("summary")
        elif lane.service_id is None:
            classes.append("incident")
        if lane.unexplained:
            classes.append("unexplained")
        parts.append(
            _el(
                "g",
                {
                    "class": " ".join(classes),
                    "data-service-id": lane.service_id,
                    "data-depth": lane.depth,
                    # The page's script highlights this lane for a chosen member service.
                    "data-service-ids": " ".join(str(m.service_id) for m in lane.members) or None,
                },
                *children,
            )
        )
        parts.append(
            _el("line", {"class": "lane-rule", "x1": 0, "x2": scale.right, "y1": top, "y2": top})
        )
    return _el("g", {"class": "lanes"}, *parts)


def _summary_areas(lane: _Lane, scale: _Scale, top: float, open_until: datetime) -> list[str]:
    """Return a summary lane's picture: how many of its services were impacted at once.

    Drawn per pixel column of the axis, as two step areas from the lane's floor (every
    impact, and the outages within it), scaled to the lane's busiest column.
    """
    columns = max(1, math.ceil(scale.right - scale.left))
    impacted, outage = [0] * (columns + 1), [0] * (columns + 1)
    for window in lane.members:
        for segment in window.segments:
            start = _utc(segment.started_at)
            end = max(open_until, start) if segment.ended_at is None else _utc(segment.ended_at)
            shown = scale.span_x(start, end)
            if shown is None:
                continue
            first = min(columns - 1, int(shown[0] - scale.left))
            last = min(columns - 1, max(first, int(shown[1] - scale.left)))
            for counts in (impacted, outage) if segment.level == OUTAGE else (impacted,):
                counts[first] += 1
                counts[last + 1] -= 1
    running_impacted, running_outage = list(accumulate(impacted)), list(accumulate(outage))
    peak = max(running_impacted[:columns], default=0)
    if peak == 0:
        return []
    floor, room = top + _LANE_HEIGHT - 4, _LANE_HEIGHT - 8
    parts = []
    for level, running in (("any", running_impacted), ("outage", running_outage)):
        path = [f"M{_num(scale.left)},{_num(floor)}"]
        previous = 0
        for column in range(columns):
            count = running[column]
            if count != previous:
                path.append(f"H{_num(scale.left + column)}V{_num(floor - room * count / peak)}")
                previous = count
        path.append(f"H{_num(scale.left + columns)}V{_num(floor)}Z")
        if len(path) > 2:
            parts.append(_el("path", {"class": f"load load-{level}", "d": "".join(path)}))
    busiest = running_impacted.index(peak)
    moment = scale.start + (scale.end - scale.start) * (busiest + 0.5) / columns
    parts.insert(
        0,
        _el(
            "rect",
            {
                "class": "load-hit",
                "x": scale.left,
                "y": top + 2,
                "width": scale.right - scale.left,
                "height": _LANE_HEIGHT - 4,
            },
            _el(
                "title",
                None,
                _text(
                    f"{lane.name}: at most {peak} impacted at once, around "
                    f"{_format(_utc(moment), 'datetime')} UTC. Draw every lane to see each."
                ),
            ),
        ),
    )
    return parts


def _lane_label(lane: _Lane, middle: float, gutter: float) -> str:
    name_x = 32.0
    if lane.is_summary:
        names = ", ".join(lane.member_names[:8])
        more = len(lane.member_names) - 8
        return _el(
            "g",
            {"class": "lane-label"},
            _el(
                "title",
                None,
                _text(f"{lane.name}: {names}" + (f" and {more} more" if more > 0 else "")),
            ),
            _el(
                "rect",
                {
                    "class": "depth-badge",
                    "x": 8,
                    "y": middle - 8,
                    "width": 20,
                    "height": 16,
                    "rx": 3,
                },
            ),
            _el(
                "text",
                {"class": "depth-text", "x": 18, "y": middle + 3.5, "text-anchor": "middle"},
                _text(_fit(str(lane.depth), 18, 10)),
            ),
            _fitted_text(
                {"class": "lane-name", "x": name_x, "y": middle + 4},
                _plural(len(lane.members), "more service"),
                gutter - name_x - 10,
                12,
            ),
        )
    if lane.service_id is None:
        return _fitted_text(
            {"class": "lane-name", "x": 12, "y": middle + 4}, lane.name, gutter - 20, 12
        )
    badge_text = "?" if lane.unexplained else str(lane.depth)
    badge_title = (
        "Unexplained: impacted before any impacted service it depends on"
        if lane.unexplained
        else f"Cascade depth {lane.depth}"
    )
    return _el(
        "g",
        {"class": "lane-label"},
        _el("title", None, _text(f"{lane.name} ({badge_title})")),
        _el("circle", {"class": "depth-badge", "cx": 18, "cy": middle, "r": 8}),
        _el(
            "text",
            {"class": "depth-text", "x": 18, "y": middle + 3.5, "text-anchor": "middle"},
            _text(_fit(badge_text, 16, 10) if len(badge_text) > 2 else badge_text),
        ),
        _fitted_text(
            {"class": "lane-name", "x": name_x, "y": middle + 4},
            lane.name,
            gutter - name_x - 10,
            12,
        ),
    )


def _bars(
    lane: _Lane, scale: _Scale, clock: _Clock, ids: str, middle: float, open_until: datetime
) -> list[str]:
    assert lane.window is not None
    parts = []
    top = middle - _BAR_HEIGHT / 2
    for segment in lane.window.segments:
        start = _utc(segment.started_at)
        is_open = segment.ended_at is None
        end = max(open_until, start) if is_open else _utc(segment.ended_at)
        shown = scale.span_x(start, end)
        if shown is None:
            continue
        left, right = shown
        bar_width = max(right - left, 2.0)
        level = "outage" if segment.level == OUTAGE else "degraded"
        after = f" for {_duration(end - start)}" + (" so far, still impacted" if is_open else "")
        attributes: dict[str, object] = {
            "class": f"bar {level}" + (" open" if is_open else ""),
            "x": left,
            "y": top,
            "width": bar_width,
            "height": _BAR_HEIGHT,
            "rx": 2,
        }
        if level == "degraded":
            attributes["fill"] = f"url(#{ids}degraded)"
        parts.append(
            _el(
                "rect",
                attributes,
                clock.title(start, before=f"{lane.name}: {level} from ", after=after),
            )
        )
        if not is_open and scale.x(end) > scale.right + 0.5:
            # The view cuts the bar: a chevron says it goes on past the edge.
            tip = left + bar_width
            parts.append(
                _el(
                    "path",
                    {
                        "class": "continues",
                        "d": f"M{_num(tip + 2)},{_num(top - 1)}L{_num(tip + 7)},{_num(middle)}"
                        f"L{_num(tip + 2)},{_num(top + _BAR_HEIGHT + 1)}",
                        "aria-hidden": "true",
                    },
                )
            )
        if is_open:
            fade_width = min(bar_width, 28.0)
            parts.append(
                _el(
                    "rect",
                    {
                        "class": "open-fade",
                        "x": left + bar_width - fade_width,
                        "y": top,
                        "width": fade_width,
                        "height": _BAR_HEIGHT,
                        "fill": f"url(#{ids}fade)",
                        "aria-hidden": "true",
                    },
                )
            )
            tip = left + bar_width
            parts.append(
                _el(
                    "path",
                    {
                        "class": f"open-end {level}",
                        "d": f"M{_num(tip)},{_num(top - 3)}L{_num(tip + 8)},{_num(middle)}"
                        f"L{_num(tip)},{_num(top + _BAR_HEIGHT + 3)}Z",
                        "aria-hidden": "true",
                    },
                )
            )
    return parts


# Markers nearer each other than this, at the drawn scale, become one group.
MARKER_GROUP_WIDTH = 12.0
# About the most markers and groups one picture draws. Past it (hundreds of lanes, tens
# of thousands of markers) markers group over a wider stretch, so that a 10,000-event
# incident is a picture of under 1 MB that its page can carry; zooming in shows each.
MARKER_BUDGET = 600


def _group_width(lane_events: Mapping[int, Sized], scale: _Scale) -> float:
    """Return how near markers must be to become one group: wider when the picture is dense."""
    if sum(len(events) for events in lane_events.values()) <= MARKER_BUDGET:
        return MARKER_GROUP_WIDTH
    busy_lanes = sum(1 for events in lane_events.values() if events)
    # Each busy lane then holds at most (plot width / group width) groups.
    return max(MARKER_GROUP_WIDTH, (scale.right - scale.left) * busy_lanes / MARKER_BUDGET)


def _markers(
    timed: Sequence[tuple[float, EventRecord]],
    lane: _Lane,
    scale: _Scale,
    clock: _Clock,
    middle: float,
    group_width: float = MARKER_GROUP_WIDTH,
) -> list[str]:
    """Return a lane's markers; ``timed`` holds (POSIX seconds, event) in time order."""
    first, last, x = scale.placer()
    shown = [(x(seconds), event) for seconds, event in timed if first <= seconds <= last]
    parts = []
    for group in group_by_position(shown, lambda placed: placed[0], group_width):
        if len(group) == 1:
            parts.append(_marker(group[0][1], lane, group[0][0], clock, middle))
        else:
            parts.append(_marker_group([event for _, event in group], lane, scale, clock, middle))
    return parts


def _marker(event: EventRecord, lane: _Lane, x: float, clock: _Clock, middle: float) -> str:
    kind = _kind_of(event)
    title = " ".join(event.title.split()) or f"Event {event.id}"
    where = "" if lane.service_id is None else f" [{lane.name}]"
    return _el(
        "g",
        {
            "class": f"marker kind-{kind}",
            "data-event-id": event.id,
            "data-kind": kind,
            "tabindex": 0,
            "transform": f"translate({_num(x)} {_num(middle)})",
        },
        clock.title(event.at, after=f" \u2014 {kind}: {title}{where}"),
        _el("path", {"d": _MARKER_PATHS.get(kind, _MARKER_PATHS["note"])}),
    )


def _marker_group(
    group: Sequence[EventRecord], lane: _Lane, scale: _Scale, clock: _Clock, middle: float
) -> str:
    """Return one badge for events too close to tell apart at this scale, with a count."""
    first, last = _utc(group[0].at), _utc(group[-1].at)
    x = (scale.x(first) + scale.x(last)) / 2
    if len(group) <= 6:
        listed = "; ".join(
            f"{_kind_of(event)}: {' '.join(event.title.split()) or f'Event {event.id}'}"
            for event in group
        )
    else:
        # A large group says what it holds by kind: six titles of hundreds say little,
        # and a dense picture would carry them thousands of times.
        kinds = Counter(_kind_of(event) for event in group)
        listed = ", ".join(f"{count} {kind}" for kind, count in kinds.most_common())
    where = "" if lane.service_id is None else f" [{lane.name}]"
    # Grouped lanes hold hundreds of events a badge: three digits get a wider badge.
    count = str(len(group)) if len(group) < 1000 else f"{len(group) // 1000}k"
    return _el(
        "g",
        {
            "class": "marker-group",
            "data-event-ids": " ".join(str(event.id) for event in group),
            "data-from": _iso(first),
            "data-to": _iso(last),
            "tabindex": 0,
            "transform": f"translate({_num(x)} {_num(middle)})",
        },
        clock.title(
            first,
            before=f"{len(group)} events from ",
            after=f" to {_format(last, clock.fmt)}{where}: {listed}. Zoom in to see each.",
        ),
        _el("circle", {"r": 8 if len(count) < 3 else 10}),
        _el("text", {"class": "group-count", "y": 3.5, "text-anchor": "middle"}, count),
    )


def _offset_axis(origin: datetime, scale: _Scale, axis_y: float) -> str:
    """Return ticks on round offsets from the start (T+00:30, T+01:00), shown in T+ mode.

    The clock ticks fall on round clock times, which from a 06:48 start are odd offsets;
    the page shows this set instead when times are read as T+.
    """
    span = scale.end - scale.start
    step = tick_step(span, target=max(3, min(8, int((scale.right - scale.left) // 90))))
    # Whole steps from the start; integer division on timedeltas is exact.
    first = origin + -((origin - scale.start) // step) * step
    parts = []
    moment = first
    while moment <= scale.end:
        x = scale.x(moment)
        parts.append(
            _el("line", {"class": "tick-mark", "x1": x, "x2": x, "y1": axis_y, "y2": axis_y + 5})
        )
        parts.append(
            _el(
                "text",
                {"class": "offset-label", "x": x, "y": axis_y + 17, "text-anchor": "middle"},
                _text(wording.offset(moment - origin)),
            )
        )
        following = _shift(moment, step)
        if following == moment:
            break
        moment = following
    return _el("g", {"class": "ticks-offset", "aria-hidden": "true"}, *parts)


def _timeline_legend_items(
    ids: str, events: Sequence[EventRecord], *, summarised: bool = False
) -> list[_LegendItem]:
    items = [
        _LegendItem(
            _el(
                "rect",
                {"class": "swatch outage", "x": 0, "y": -6, "width": 16, "height": 12, "rx": 2},
            ),
            "Outage",
        ),
        _LegendItem(
            _el(
                "rect",
                {
                    "class": "swatch degraded",
                    "x": 0,
                    "y": -6,
                    "width": 16,
                    "height": 12,
                    "rx": 2,
                    "fill": f"url(#{ids}degraded)",
                },
            ),
            "Degraded",
        ),
        _LegendItem(
            _el("rect", {"class": "swatch outage", "x": 0, "y": -6, "width": 10, "height": 12})
            + _el("path", {"class": "open-end outage", "d": "M10,-9L18,0L10,9Z"}),
            "Still impacted",
            icon_width=18.0,
        ),
        _LegendItem(
            _el("circle", {"class": "depth-badge", "cx": 8, "cy": 0, "r": 7})
            + _el("text", {"class": "depth-text", "x": 8, "y": 3.5, "text-anchor": "middle"}, "1"),
            "Cascade depth",
        ),
    ]
    if summarised:
        items.append(
            _LegendItem(
                _el("path", {"class": "load load-any", "d": "M0,6V0H5V-6H11V2H16V6Z"})
                + _el("path", {"class": "load load-outage", "d": "M0,6V3H5V-2H11V4H16V6Z"}),
                "Services impacted at once (grouped lanes)",
            )
        )
    # Kinds outside the known eight still get their own legend entry, drawn as notes.
    kinds = list(MARKER_KINDS)
    kinds.extend(sorted({_kind_of(event) for event in events} - set(MARKER_KINDS)))
    for kind in kinds:
        items.append(
            _LegendItem(
                _el(
                    "g",
                    {"class": f"legend-marker kind-{kind}", "transform": "translate(8 0)"},
                    _el("path", {"d": _MARKER_PATHS.get(kind, _MARKER_PATHS["note"])}),
                ),
                kind.capitalize(),
            )
        )
    return items


def _timeline_summary(
    reconstruction: Reconstruction,
    services: Mapping[int, ServiceNode],
    events: Sequence[EventRecord],
) -> str:
    windows = reconstruction.windows
    if not windows:
        return f"No service impact recorded; {_plural(len(events), 'event')} on the incident lane."
    first = windows[0]
    sentences = [
        f"{_service_name(services, first.service_id)} was impacted first, at "
        f"{_format(_utc(first.started_at), 'datetime')} UTC."
    ]
    depth = max(reconstruction.depth.values(), default=0)
    sentences.append(
        f"The failure reached {_plural(len(windows), 'service')} over {_plural(depth + 1, 'level')} of the cascade."
    )
    still_open = [w for w in windows if w.is_open]
    if still_open:
        sentences.append(f"{_plural(len(still_open), 'service')} had not recovered.")
    phases = reconstruction.phases
    for label, delta in (
        ("Time to detect", phases.time_to_detect),
        ("time to mitigate", phases.time_to_mitigate),
        ("time to recover", phases.time_to_recover),
    ):
        if delta is not None:
            sentences.append(f"{label[0].upper()}{label[1:]}: {_duration(delta)}.")
    if reconstruction.unexplained:
        names = [
            _service_name(services, service_id) for service_id in reconstruction.unexplained[:5]
        ]
        sentences.append(
            f"Unexplained impact: {', '.join(names)}"
            + ("\u2026" if len(reconstruction.unexplained) > 5 else "")
            + "."
        )
    sentences.append(f"{_plural(len(events), 'event')} marked.")
    return " ".join(sentences)
