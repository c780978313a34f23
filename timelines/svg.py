"""Draw an incident's timeline and cascade as standalone SVG, on the server.

A pure core like ``timelines.cascade``: a ``Reconstruction`` plus plain values in, SVG
text out; no Django, no templates, stdlib only. The pictures work as a file, as an
``<img>``, in an export and inline in a page, so they carry their own ``<style>`` and
reference nothing outside themselves.

Safety: every piece of user text (service names, event titles) passes through
``_text`` or ``_attrs``, which drop characters XML cannot hold and escape the rest;
markup is only ever built from those two and from numbers.

Inline in a page, two rules keep pictures from disturbing each other or the page:
every ``id`` carries a per-picture prefix (``cz-<hash>-`` unless ``id_prefix`` is
given), and every CSS rule is scoped under the picture's root class (``cz-timeline``
or ``cz-cascade``), because a ``<style>`` inside inline SVG applies to the whole page.

Time labels: every element that shows a clock time has ``class="t"`` and

- ``data-utc``: the moment, ISO 8601 with ``Z``;
- ``data-fmt``: ``time`` (HH:MM), ``datetime`` (``1 Mar HH:MM``) or ``date`` (``1 Mar``);
- ``data-offset``: ``T+hh:mm`` from the incident start (absent when the start is unknown);
- ``data-src``: the same label in the source time zone, when one was given; the root
  then carries ``data-source-tz``;
- on ``<title>`` elements, ``data-before`` / ``data-after``: the text around the time.

So a script can set ``textContent = before + format(utc) + zone suffix + after``. The
default text is UTC: ``<title>`` labels end the time with " UTC"; axis ticks are bare and
the axis caption (``class="tz"``) says which zone they are in.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from timelines.cascade import (
    OUTAGE,
    EventRecord,
    ImpactWindow,
    Phases,
    PropagationEdge,
    Reconstruction,
    ServiceNode,
    format_offset,
)

__all__ = ["MARKER_KINDS", "cascade_graph_svg", "swimlanes_svg", "tick_step", "ticks"]

SVG_NS = "http://www.w3.org/2000/svg"

MARKER_KINDS = (
    "trigger",
    "detection",
    "impact",
    "escalation",
    "mitigation",
    "recovery",
    "communication",
    "note",
)

# ----------------------------------------------------------------------------- ticks

_TICK_LADDER = (
    *(timedelta(minutes=count) for count in (1, 2, 5, 10, 15, 30)),
    *(timedelta(hours=count) for count in (1, 2, 3, 6, 12)),
    *(timedelta(days=count) for count in (1, 2, 7)),
)
# Past a week the ladder doubles weeks, so a year-long incident still gets a handful of
# ticks and every tick stays on a Monday.
_LONG_STEPS = tuple(timedelta(weeks=2**power) for power in range(1, 12))
# A Monday midnight: sub-day steps divide a day, so they land on round clock times, and
# week steps land on Mondays.
_TICK_ANCHOR = datetime(1970, 1, 5, tzinfo=UTC)


def tick_step(span: timedelta, target: int = 8) -> timedelta:
    """Return the ladder step that cuts ``span`` into the number of ticks nearest ``target``.

    "Nearest" is by ratio, not difference: 12 ticks for a target of 8 is as far off as
    5.3, which is how crowded or sparse an axis looks.
    """
    if target < 1:
        raise ValueError(f"target must be at least 1, not {target}")
    if span <= timedelta(0):
        return _TICK_LADDER[0]

    def misfit(step: timedelta) -> float:
        return abs(math.log(span / step / target))

    # On a tie the longer step wins: fewer labels read better than more.
    return min((*_TICK_LADDER, *_LONG_STEPS), key=lambda step: (misfit(step), -step))


def ticks(start: datetime, end: datetime, target: int = 8) -> list[datetime]:
    """Return the aligned tick moments (UTC) between start and end, both included."""
    start, end = _utc(start), _utc(end)
    if end < start:
        start, end = end, start
    step = tick_step(end - start, target)
    # Integer division on timedeltas is exact; a float ceil would drift by microseconds
    # for dates far from the anchor.
    first = _TICK_ANCHOR - ((_TICK_ANCHOR - start) // step) * step
    moments = []
    moment = first
    while moment <= end:
        moments.append(moment)
        moment += step
    return moments


# ------------------------------------------------------------------------- text, XML

# XML 1.0 cannot hold C0 controls (other than tab and newlines), lone surrogates or the
# two non-characters; a title pasted from a terminal would otherwise break the picture.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ID_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_FONT = 'system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif'
# Average advance of system-ui text, in em. Rounded up: a label cut one letter early
# reads better than one running under its neighbour.
_CHAR_EM = 0.6


def _clean(value: str) -> str:
    return _NOT_XML.sub("", value)


def _text(value: str) -> str:
    """Return user or label text as escaped XML character data."""
    return escape(_clean(value), quote=False)


def _num(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _attrs(attributes: Mapping[str, object]) -> str:
    parts = []
    for name, value in attributes.items():
        if value is None or value is False:
            continue
        text = _num(value) if isinstance(value, float) else str(value)
        parts.append(f' {name}="{escape(_clean(text), quote=True)}"')
    return "".join(parts)


def _el(tag: str, attributes: Mapping[str, object] | None = None, *children: str) -> str:
    """Return one element; children must already be markup (from _el or _text)."""
    attribute_text = _attrs(attributes or {})
    if not children:
        return f"<{tag}{attribute_text}/>"
    return f"<{tag}{attribute_text}>{''.join(children)}</{tag}>"


def _text_width(text: str, size: float) -> float:
    return len(text) * size * _CHAR_EM


def _fit(text: str, width: float, size: float) -> str:
    """Return text cut with an ellipsis to fit width pixels at the given font size."""
    most = int(width // (size * _CHAR_EM))
    if len(text) <= most:
        return text
    if most <= 1:
        return "\u2026" if most == 1 else ""
    return text[: most - 1].rstrip() + "\u2026"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _service_name(services: Mapping[int, ServiceNode], service_id: int) -> str:
    node = services.get(service_id)
    name = " ".join(node.name.split()) if node is not None and node.name else ""
    return name or f"service #{service_id}"


def _ids(kind: str, id_prefix: str | None, *parts: object) -> str:
    if id_prefix is not None:
        if not _ID_PREFIX.match(id_prefix):
            raise ValueError(
                f"id_prefix must be letters, digits, - or _, starting with a letter: {id_prefix!r}"
            )
        return id_prefix
    # Derived from the content rather than random, so the same incident renders to the
    # same bytes (cacheable, diffable) while two different pictures on a page differ.
    digest = hashlib.blake2s(repr((kind, *parts)).encode(), digest_size=4).hexdigest()
    return f"cz-{digest}-"


def _empty_picture(
    *,
    root_class: str,
    ids: str,
    width: float,
    title: str,
    desc: str,
    message: str,
    style: str,
    extra: Mapping[str, object],
) -> str:
    """Return a small picture that says there is nothing to draw yet."""
    height = 80.0
    return _root(
        root_class=root_class,
        ids=ids,
        width=width,
        height=height,
        title=title,
        desc=desc,
        style=style,
        defs="",
        body=[
            _el("rect", {"class": "backdrop", "width": width, "height": height}),
            _el("text", {"class": "empty", "x": 16, "y": 44}, _text(message)),
        ],
        extra=extra,
    )


def _root(
    *,
    root_class: str,
    ids: str,
    width: float,
    height: float,
    title: str,
    desc: str,
    style: str,
    defs: str,
    body: Iterable[str],
    extra: Mapping[str, object] | None = None,
) -> str:
    attributes: dict[str, object] = {
        "xmlns": SVG_NS,
        "class": f"cz {root_class}",
        "viewBox": f"0 0 {_num(width)} {_num(height)}",
        "width": _num(width),
        "height": _num(height),
        "role": "img",
        "aria-labelledby": f"{ids}title {ids}desc",
        **(extra or {}),
    }
    return _el(
        "svg",
        attributes,
        _el("title", {"id": f"{ids}title"}, _text(title)),
        _el("desc", {"id": f"{ids}desc"}, _text(desc)),
        _el("style", None, style),
        _el("defs", None, defs) if defs else "",
        *body,
    )


def _scoped(root_class: str, rules: str) -> str:
    """Return CSS with every selector placed under the picture's root class."""
    scoped = []
    for rule in rules.strip().splitlines():
        selectors, _, body = rule.partition("{")
        prefixed = ",".join(
            f".{root_class} {selector.strip()}".rstrip() for selector in selectors.split(",")
        )
        scoped.append(f"{prefixed}{{{body}")
    return "".join(scoped)


# ---------------------------------------------------------------------------- times


def _utc(moment: datetime) -> datetime:
    # Naive datetimes are read as UTC, the convention of the reconstruction core.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _iso(moment: datetime) -> str:
    return _utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def _format(moment: datetime, fmt: str) -> str:
    day = f"{moment.day} {_MONTHS[moment.month - 1]}"
    if fmt == "date":
        return day
    if fmt == "datetime":
        return f"{day} {moment:%H:%M}"
    return f"{moment:%H:%M}"


def _duration(delta: timedelta) -> str:
    """Return "42m", "5h 42m", "2d 3h 5m"; whole minutes, towards zero."""
    total = abs(delta) // timedelta(minutes=1)
    days, rest = divmod(total, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [
        f"{value}{unit}" for value, unit in ((days, "d"), (hours, "h"), (minutes, "m")) if value
    ]
    text = " ".join(parts) or "0m"
    return f"-{text}" if delta < timedelta(0) and total else text


def _lag(delta: timedelta) -> str:
    text = _duration(delta)
    return text if text.startswith("-") else f"+{text}"


def _source_zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        # The zone comes from an imported record; a typo there should cost the
        # source-zone labels, not the whole picture.
        return None


@dataclass(frozen=True)
class _Clock:
    origin: datetime | None
    zone: ZoneInfo | None
    # The picture covers more than one UTC day, so a bare HH:MM would be ambiguous.
    dated: bool

    @property
    def fmt(self) -> str:
        return "datetime" if self.dated else "time"

    def attrs(
        self, moment: datetime, fmt: str, *, before: str = "", after: str = ""
    ) -> dict[str, object]:
        attributes: dict[str, object] = {"class": "t", "data-utc": _iso(moment), "data-fmt": fmt}
        if self.origin is not None:
            attributes["data-offset"] = format_offset(moment - self.origin)
        if self.zone is not None:
            attributes["data-src"] = _format(moment.astimezone(self.zone), fmt)
        if before:
            attributes["data-before"] = before
        if after:
            attributes["data-after"] = after
        return attributes

    def title(self, moment: datetime, *, before: str = "", after: str = "") -> str:
        label = f"{before}{_format(_utc(moment), self.fmt)} UTC{after}"
        return _el("title", self.attrs(moment, self.fmt, before=before, after=after), _text(label))


def _root_time_attrs(clock: _Clock, zone_name: str | None) -> dict[str, object]:
    return {
        "data-start": None if clock.origin is None else _iso(clock.origin),
        "data-source-tz": zone_name if clock.zone is not None else None,
    }


# --------------------------------------------------------------------------- legend


@dataclass(frozen=True)
class _LegendItem:
    icon: str  # markup drawn from x=0, centred on y=0
    label: str
    icon_width: float = 16.0


def _legend(
    items: Sequence[_LegendItem], *, left: float, top: float, right: float
) -> tuple[str, float]:
    """Return the legend markup, wrapped onto rows, and the height it takes."""
    size, row_height = 11.0, 20.0
    parts, x, y = [], left, top + row_height / 2
    for item in items:
        item_width = item.icon_width + 6 + _text_width(item.label, size) + 14
        if x > left and x + item_width > right:
            x, y = left, y + row_height
        parts.append(
            _el(
                "g",
                {"class": "legend-item", "transform": f"translate({_num(x)} {_num(y)})"},
                item.icon,
                _el(
                    "text",
                    {"class": "legend-label", "x": item.icon_width + 5, "y": 4},
                    _text(item.label),
                ),
            )
        )
        x += item_width
    return _el("g", {"class": "legend"}, *parts), y + row_height / 2 - top


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
.tick-label{font-size:11px;fill:#546e7a}
.tz{font-size:11px;fill:#78909c}
.bar.outage,.swatch.outage{fill:#d32f2f;stroke:#8e0000;stroke-width:1}
.bar.degraded,.swatch.degraded{stroke:#b26a00;stroke-width:1}
.open-end.outage{fill:#d32f2f}
.open-end.degraded{fill:#f9a825;stroke:#b26a00}
.marker,.legend-marker{fill:#607d8b}
.marker path{stroke:#fff;stroke-width:1.5}
.marker:focus{outline:none}
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
.empty{font-size:13px;fill:#78909c}
"""

_GUTTER_MAX, _GUTTER_MIN = 220.0, 130.0
_RIGHT_MARGIN = 28.0
_TOP = 8.0
_PHASE_STRIP = 20.0
_LANE_HEIGHT = 30.0
_BAR_HEIGHT = 12.0
_MIN_SPAN = timedelta(minutes=10)
_MIN_WIDTH = 360


@dataclass(frozen=True)
class _Lane:
    service_id: int | None  # None for the "Incident" lane of events naming no impacted service
    name: str
    depth: int | None
    unexplained: bool
    window: ImpactWindow | None


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


@dataclass(frozen=True)
class _PhaseBand:
    name: str
    begin: datetime
    end: datetime
    is_open: bool


def _lanes(
    reconstruction: Reconstruction,
    services: Mapping[int, ServiceNode],
    events: Sequence[EventRecord],
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
    impacted = {window.service_id for window in reconstruction.windows}
    if any(not impacted.intersection(event.service_ids) for event in events):
        lanes.insert(0, _Lane(None, "Incident", None, False, None))
    return lanes


def _phase_bands(phases: Phases, start: datetime | None, open_until: datetime) -> list[_PhaseBand]:
    bounds = [
        phases.trigger_at or start,
        phases.detected_at,
        phases.mitigated_at,
        phases.recovered_at,
    ]
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
        bands.append(_PhaseBand(name, _utc(begin), _utc(end), is_open))
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
    # The kind lands in a class attribute; anything but a plain word would add classes.
    kind = re.sub(r"[^a-z0-9-]", "", event.kind.lower())
    return kind or "note"


def swimlanes_svg(
    reconstruction: Reconstruction,
    *,
    services: Mapping[int, ServiceNode],
    events: Sequence[EventRecord],
    width: int = 1100,
    now: datetime | None = None,
    source_timezone: str | None = None,
    id_prefix: str | None = None,
) -> str:
    """Return the incident timeline: one lane per impacted service, bars, markers, phases.

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
    lanes = _lanes(reconstruction, services, events)
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
        first -= (_MIN_SPAN - span) / 2
        span = _MIN_SPAN
    padding = max(span * 0.03, timedelta(minutes=1))
    domain_start, domain_end = first - padding, first + span + padding

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
    legend, legend_height = _legend(
        _timeline_legend_items(ids, events),
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
        extra=_root_time_attrs(clock, source_timezone),
    )


def _lane_backgrounds(lanes: Sequence[_Lane], lanes_top: float, width: float) -> str:
    parts = []
    for position, _ in enumerate(lanes):
        y = lanes_top + position * _LANE_HEIGHT
        parts.append(
            _el(
                "rect",
                {
                    "class": "lane-bg alt" if position % 2 else "lane-bg",
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
        left, right = scale.x(band.begin), scale.x(band.end)
        band_width = max(right - left, 1.0)
        name = _PHASE_NAMES[band.name]
        duration = _duration(band.end - band.begin) + ("+" if band.is_open else "")
        summary = f"{name} phase: {duration}" + (", still under way" if band.is_open else "")
        label = next(
            (
                text
                for text in (f"{name} {duration}", name, name[0])
                if _text_width(text, 11) + 6 <= band_width
            ),
            "",
        )
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
    lane_events: dict[int | None, list[EventRecord]] = defaultdict(list)
    lane_ids = {lane.service_id for lane in lanes}
    for event in sorted(events, key=lambda event: (_utc(event.at), event.id)):
        targets = [
            service_id for service_id in dict.fromkeys(event.service_ids) if service_id in lane_ids
        ]
        for target in targets or [None]:
            lane_events[target].append(event)

    gutter = scale.left
    parts = []
    for position, lane in enumerate(lanes):
        top = lanes_top + position * _LANE_HEIGHT
        middle = top + _LANE_HEIGHT / 2
        children = [_lane_label(lane, middle, gutter)]
        if lane.window is not None:
            children.extend(_bars(lane, scale, clock, ids, middle, open_until))
        children.extend(_markers(lane_events.get(lane.service_id, []), lane, scale, clock, middle))
        classes = ["lane"]
        if lane.service_id is None:
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
                },
                *children,
            )
        )
        parts.append(
            _el("line", {"class": "lane-rule", "x1": 0, "x2": scale.right, "y1": top, "y2": top})
        )
    return _el("g", {"class": "lanes"}, *parts)


def _lane_label(lane: _Lane, middle: float, gutter: float) -> str:
    name_x = 32.0
    if lane.service_id is None:
        return _el(
            "text",
            {"class": "lane-name", "x": 12, "y": middle + 4},
            _text(_fit(lane.name, gutter - 20, 12)),
        )
    badge_text = "?" if lane.unexplained else str(lane.depth)
    badge_title = (
        "Unexplained: impacted before any impacted service it depends on"
        if lane.unexplained
        else f"Cascade depth {lane.depth}"
    )
    shown = _fit(lane.name, gutter - name_x - 10, 12)
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
        _el("text", {"class": "lane-name", "x": name_x, "y": middle + 4}, _text(shown)),
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
        left, right = scale.x(start), scale.x(end)
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
            "data-level": level,
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


def _markers(
    events: Sequence[EventRecord], lane: _Lane, scale: _Scale, clock: _Clock, middle: float
) -> list[str]:
    # Markers closer than their own width stack on up to three rows, so simultaneous
    # events stay individually hoverable instead of hiding each other.
    row_offsets = (0.0, -8.0, 8.0)
    row_ends = [-math.inf] * len(row_offsets)
    parts = []
    for event in events:
        x = scale.x(event.at)
        row = next((r for r, end in enumerate(row_ends) if x - end >= 11), None)
        if row is None:
            row = min(range(len(row_ends)), key=lambda r: row_ends[r])
        row_ends[row] = x
        kind = _kind_of(event)
        title = " ".join(event.title.split()) or f"Event {event.id}"
        where = "" if lane.service_id is None else f" [{lane.name}]"
        parts.append(
            _el(
                "g",
                {
                    "class": f"marker kind-{kind}",
                    "data-event-id": event.id,
                    "data-kind": kind,
                    "tabindex": 0,
                    "transform": f"translate({_num(x)} {_num(middle + row_offsets[row])})",
                },
                clock.title(event.at, after=f" \u2014 {kind}: {title}{where}"),
                _el("path", {"d": _MARKER_PATHS.get(kind, _MARKER_PATHS["note"])}),
            )
        )
    return parts


def _timeline_legend_items(ids: str, events: Sequence[EventRecord]) -> list[_LegendItem]:
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


# -------------------------------------------------------------------- cascade graph

_GRAPH_CSS = """
{font-family:FONT;font-size:12px}
text{fill:#263238}
.backdrop{fill:#fff}
.node rect{fill:#fff;stroke:#90a4ae;stroke-width:1.5}
.node.outage rect,.swatch.outage{fill:#ffebee;stroke:#d32f2f;stroke-width:1.5}
.node.degraded rect,.swatch.degraded{fill:#fff8e1;stroke:#f9a825;stroke-width:1.5}
.node.critical rect,.swatch.critical{stroke:#212121;stroke-width:3}
.node.unexplained rect{stroke-dasharray:4 3}
.node:focus{outline:none}
.node:focus rect,.node:hover rect{stroke:#000;stroke-width:3}
.node-name{font-weight:600}
.node-time{font-size:11px;fill:#546e7a}
.open-flag{fill:#c62828;font-size:9px;font-weight:700;letter-spacing:.04em}
.edge path,.legend-line{fill:none;stroke:#78909c;stroke-width:1.5}
.edge.soft path,.legend-line.soft{stroke-dasharray:5 4}
.edge.critical path{stroke:#212121;stroke-width:2.5}
.lag{font-size:11px;fill:#37474f;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
.layer-label{font-size:11px;fill:#78909c}
.group-box{fill:#fafafa;stroke:#b0bec5;stroke-dasharray:4 3}
.group-label{font-size:11px;font-weight:600;fill:#c62828}
.legend-label{font-size:11px;fill:#455a64}
.empty{font-size:13px;fill:#78909c}
"""


@dataclass(frozen=True)
class _Section:
    label: str
    service_ids: tuple[int, ...]
    boxed: bool = False  # the unexplained group, drawn in its own labelled box


@dataclass(frozen=True)
class _GraphGeometry:
    left: float
    right: float
    node_width: float
    node_height: float
    gap: float
    row_gap: float
    section_gap: float
    top: float

    @property
    def per_row(self) -> int:
        return max(1, int((self.right - self.left + self.gap) // (self.node_width + self.gap)))

    def rows(self, count: int) -> int:
        return max(1, math.ceil(count / self.per_row))

    def xs(self, order: Sequence[int]) -> dict[int, float]:
        """Return the left edge of each node of one section, laid out row by row, centred."""
        per_row = self.per_row
        xs = {}
        for index, service_id in enumerate(order):
            row, column = divmod(index, per_row)
            in_row = min(per_row, len(order) - row * per_row)
            row_width = in_row * self.node_width + (in_row - 1) * self.gap
            start = self.left + (self.right - self.left - row_width) / 2
            xs[service_id] = start + column * (self.node_width + self.gap)
        return xs


def _graph_sections(reconstruction: Reconstruction) -> list[_Section]:
    unexplained = set(reconstruction.unexplained)
    by_depth: dict[int, list[int]] = defaultdict(list)
    origins, lost = [], []
    for window in reconstruction.windows:
        service_id = window.service_id
        depth = reconstruction.depth.get(service_id, 0)
        if service_id in unexplained:
            lost.append(service_id)
        elif depth == 0:
            origins.append(service_id)
        else:
            by_depth[depth].append(service_id)
    sections = []
    if origins:
        sections.append(_Section("Origin", tuple(origins)))
    if lost:
        sections.append(_Section("Unexplained", tuple(lost), boxed=True))
    sections.extend(
        _Section(f"Depth {depth}", tuple(by_depth[depth])) for depth in sorted(by_depth)
    )
    return sections


def _order_sections(
    sections: list[_Section], parent: Mapping[int, int], geometry: _GraphGeometry
) -> list[_Section]:
    """Reorder nodes inside each section to cut edge crossings (barycenter heuristic).

    Each service has a single parent, so sweeping down sorts children under their
    parents; the sweep up then pulls parents over the middle of their children, and a
    last sweep down settles the children again.
    """
    children: dict[int, list[int]] = defaultdict(list)
    for child, upstream in parent.items():
        children[upstream].append(child)
    first_seen = {
        service_id: index
        for section in sections
        for index, service_id in enumerate(section.service_ids)
    }
    xs: dict[int, float] = {}
    for section in sections:
        xs.update(geometry.xs(section.service_ids))

    def resort(section: _Section, key: dict[int, float]) -> _Section:
        order = sorted(
            section.service_ids, key=lambda sid: (key.get(sid, math.inf), first_seen[sid])
        )
        xs.update(geometry.xs(order))
        return _Section(section.label, tuple(order), section.boxed)

    def sweep_down() -> None:
        for position, section in enumerate(sections):
            if any(sid in parent for sid in section.service_ids):
                sections[position] = resort(
                    section, {sid: xs[parent[sid]] for sid in section.service_ids if sid in parent}
                )

    def sweep_up() -> None:
        for position in range(len(sections) - 1, -1, -1):
            section = sections[position]
            key = {
                sid: sum(xs[child] for child in children[sid]) / len(children[sid])
                if children[sid]
                else xs[sid]
                for sid in section.service_ids
            }
            sections[position] = resort(section, key)

    sections = list(sections)
    sweep_down()
    sweep_up()
    sweep_down()
    return sections


def cascade_graph_svg(
    reconstruction: Reconstruction,
    *,
    services: Mapping[int, ServiceNode],
    width: int = 900,
    id_prefix: str | None = None,
) -> str:
    """Return the cascade as a layered graph: origins on top, one layer per depth below."""
    width = max(int(width), _MIN_WIDTH)
    ids = _ids(
        "cascade",
        id_prefix,
        reconstruction.start,
        [(w.service_id, w.started_at) for w in reconstruction.windows],
        [(e.upstream_id, e.downstream_id) for e in reconstruction.edges],
    )
    origin = None if reconstruction.start is None else _utc(reconstruction.start)
    windows = {window.service_id: window for window in reconstruction.windows}
    starts = [_utc(window.started_at) for window in reconstruction.windows]
    dated = bool(starts) and min(starts).date() != max(starts).date()
    clock = _Clock(origin, None, dated)
    style = _scoped("cz-cascade", _GRAPH_CSS.replace("FONT", _FONT))
    title = (
        f"Cascade graph: {_plural(len(windows), 'impacted service')}, "
        f"{_plural(len(reconstruction.edges), 'propagation edge')}"
    )

    if not windows:
        return _empty_picture(
            root_class="cz-cascade",
            ids=ids,
            width=width,
            title=title,
            desc="No service impact is recorded for this incident, so there is no cascade to draw.",
            message="No impacted services recorded yet.",
            style=style,
            extra=_root_time_attrs(clock, None),
        )

    geometry = _graph_geometry(width, _graph_sections(reconstruction))
    parent = {
        edge.downstream_id: edge.upstream_id
        for edge in reconstruction.edges
        if edge.downstream_id in windows
    }
    sections = _order_sections(_graph_sections(reconstruction), parent, geometry)

    positions: dict[int, tuple[float, float]] = {}
    section_parts: list[str] = []
    y = geometry.top
    for section in sections:
        rows = geometry.rows(len(section.service_ids))
        section_height = rows * geometry.node_height + (rows - 1) * geometry.row_gap
        for index, (service_id, x) in enumerate(geometry.xs(section.service_ids).items()):
            row = index // geometry.per_row
            positions[service_id] = (x, y + row * (geometry.node_height + geometry.row_gap))
        if section.boxed:
            section_parts.append(
                _el(
                    "rect",
                    {
                        "class": "group-box",
                        "x": geometry.left - 8,
                        "y": y - 20,
                        "width": geometry.right - geometry.left + 16,
                        "height": section_height + 28,
                        "rx": 6,
                    },
                )
            )
            section_parts.append(
                _el(
                    "text",
                    {"class": "group-label", "x": geometry.left, "y": y - 7},
                    _text("Unexplained: impacted before any impacted service they depend on"),
                )
            )
        section_parts.append(
            _el(
                "text",
                {"class": "layer-label", "x": 8, "y": y + geometry.node_height / 2 + 4},
                _text(section.label),
            )
        )
        y += section_height + geometry.section_gap + (28 if section.boxed else 0)
    graph_bottom = y - geometry.section_gap

    critical = set(reconstruction.critical_path)
    critical_links = set(
        zip(reconstruction.critical_path, reconstruction.critical_path[1:], strict=False)
    )
    edge_parts = [
        _edge_markup(
            edge,
            positions,
            geometry,
            services,
            ids,
            (edge.upstream_id, edge.downstream_id) in critical_links,
        )
        for edge in reconstruction.edges
        if edge.upstream_id in positions and edge.downstream_id in positions
    ]
    unexplained = set(reconstruction.unexplained)
    node_parts = [
        _node_markup(
            windows[service_id],
            positions[service_id],
            geometry,
            services,
            clock,
            service_id in critical,
            service_id in unexplained,
            reconstruction.depth.get(service_id, 0),
        )
        for section in sections
        for service_id in section.service_ids
    ]
    legend, legend_height = _legend(
        _graph_legend_items(), left=geometry.left, top=graph_bottom + 18, right=width - 16
    )
    height = graph_bottom + 18 + legend_height + 10

    defs = "".join(
        _el(
            "marker",
            {
                "id": f"{ids}{name}",
                "viewBox": "0 0 10 10",
                "refX": 10,
                "refY": 5,
                "markerWidth": size,
                "markerHeight": size,
                "markerUnits": "userSpaceOnUse",
                "orient": "auto",
            },
            _el("path", {"d": "M0,0L10,5L0,10Z", "fill": colour}),
        )
        for name, colour, size in (("arrow", "#78909c", 9), ("arrow-critical", "#212121", 11))
    )
    return _root(
        root_class="cz-cascade",
        ids=ids,
        width=width,
        height=height,
        title=title,
        desc=_graph_summary(reconstruction, services),
        style=style,
        defs=defs,
        body=[
            _el("rect", {"class": "backdrop", "width": width, "height": _num(height)}),
            _el("g", {"class": "sections"}, *section_parts),
            _el("g", {"class": "edges"}, *edge_parts),
            _el("g", {"class": "nodes"}, *node_parts),
            legend,
        ],
        extra=_root_time_attrs(clock, None),
    )


def _graph_geometry(width: float, sections: Sequence[_Section]) -> _GraphGeometry:
    left = 84.0 if width >= 560 else 64.0
    right = width - 16.0
    geometry = _GraphGeometry(
        left,
        right,
        150.0,
        42.0,
        18.0,
        14.0,
        58.0,
        40.0 if any(s.boxed for s in sections[:1]) else 16.0,
    )
    widest = max((len(section.service_ids) for section in sections), default=0)
    if geometry.rows(widest) > 3:
        # Big cascades: narrower nodes fit more to a row, so the picture grows less tall.
        geometry = _GraphGeometry(left, right, 112.0, 38.0, 12.0, 22.0, 52.0, geometry.top)
    if geometry.node_width > right - left:
        geometry = _GraphGeometry(left, right, right - left, 38.0, 12.0, 12.0, 52.0, geometry.top)
    return geometry


def _edge_markup(
    edge: PropagationEdge,
    positions: Mapping[int, tuple[float, float]],
    geometry: _GraphGeometry,
    services: Mapping[int, ServiceNode],
    ids: str,
    on_critical_path: bool,
) -> str:
    upstream_x, upstream_y = positions[edge.upstream_id]
    downstream_x, downstream_y = positions[edge.downstream_id]
    x1, y1 = upstream_x + geometry.node_width / 2, upstream_y + geometry.node_height
    x2, y2 = downstream_x + geometry.node_width / 2, downstream_y
    bend = max((y2 - y1) / 2, 20.0)
    d = f"M{_num(x1)},{_num(y1)}C{_num(x1)},{_num(y1 + bend)} {_num(x2)},{_num(y2 - bend)} {_num(x2)},{_num(y2)}"
    lag = _lag(edge.lag)
    via = [_service_name(services, hop) for hop in edge.path[1:-1]]
    kind = "hard" if edge.hard else "soft"
    summary = (
        f"{_service_name(services, edge.upstream_id)} \u2192 {_service_name(services, edge.downstream_id)}: "
        f"{lag} ({kind} dependency"
        + (f", via {', '.join(via)} (not impacted)" if via else "")
        + ")"
    )
    classes = ["edge", kind]
    if on_critical_path:
        classes.append("critical")
    path_attributes: dict[str, object] = {
        "d": d,
        "marker-end": f"url(#{ids}{'arrow-critical' if on_critical_path else 'arrow'})",
    }
    if not edge.hard:
        # Dashed even where the stylesheet is stripped (some export paths drop <style>).
        path_attributes["stroke-dasharray"] = "5 4"
    return _el(
        "g",
        {"class": " ".join(classes), "data-from": edge.upstream_id, "data-to": edge.downstream_id},
        _el("title", None, _text(summary)),
        _el("path", path_attributes),
        _el(
            "text",
            {"class": "lag", "x": (x1 + x2) / 2 + 4, "y": (y1 + y2) / 2 + 4},
            _text(lag),
        ),
    )


def _node_markup(
    window: ImpactWindow,
    position: tuple[float, float],
    geometry: _GraphGeometry,
    services: Mapping[int, ServiceNode],
    clock: _Clock,
    on_critical_path: bool,
    unexplained: bool,
    depth: int,
) -> str:
    x, y = position
    name = _service_name(services, window.service_id)
    level = "outage" if window.level == OUTAGE else "degraded"
    classes = ["node", level]
    if on_critical_path:
        classes.append("critical")
    if unexplained:
        classes.append("unexplained")
    if window.is_open:
        classes.append("open")
    size = 12.0 if geometry.node_width >= 140 else 11.0
    start = _utc(window.started_at)
    ended_at = window.ended_at
    after = ", not recovered" if ended_at is None else f" for {_duration(_utc(ended_at) - start)}"
    notes = []
    if on_critical_path:
        notes.append("on the critical path")
    if unexplained:
        notes.append("unexplained")
    after += f" (depth {depth}" + "".join(f", {note}" for note in notes) + ")"
    time_attributes = clock.attrs(start, clock.fmt)
    time_attributes.update(
        {
            "class": "node-time t",
            "x": x + geometry.node_width / 2,
            "y": y + geometry.node_height - 9,
            "text-anchor": "middle",
        }
    )
    return _el(
        "g",
        {"class": " ".join(classes), "data-service-id": window.service_id, "tabindex": 0},
        clock.title(start, before=f"{name}: {level} from ", after=after),
        _el(
            "rect",
            {"x": x, "y": y, "width": geometry.node_width, "height": geometry.node_height, "rx": 6},
        ),
        _el(
            "text",
            {
                "class": "node-name",
                "x": x + geometry.node_width / 2,
                "y": y + 16,
                "text-anchor": "middle",
                "font-size": size,
            },
            _text(_fit(name, geometry.node_width - 12, size)),
        ),
        _el("text", time_attributes, _text(_format(start, clock.fmt))),
        _el(
            "text",
            {
                "class": "open-flag",
                "x": x + geometry.node_width - 5,
                "y": y + geometry.node_height - 5,
                "text-anchor": "end",
            },
            "OPEN",
        )
        if window.is_open
        else "",
    )


def _graph_legend_items() -> list[_LegendItem]:
    return [
        _LegendItem(
            _el(
                "rect",
                {"class": "swatch outage", "x": 0, "y": -7, "width": 16, "height": 14, "rx": 3},
            ),
            "Outage",
        ),
        _LegendItem(
            _el(
                "rect",
                {"class": "swatch degraded", "x": 0, "y": -7, "width": 16, "height": 14, "rx": 3},
            ),
            "Degraded",
        ),
        _LegendItem(
            _el(
                "rect",
                {
                    "class": "swatch critical",
                    "x": 1,
                    "y": -6,
                    "width": 14,
                    "height": 12,
                    "rx": 3,
                    "fill": "#fff",
                },
            ),
            "Critical path",
        ),
        _LegendItem(
            _el("line", {"class": "legend-line", "x1": 0, "x2": 16, "y1": 0, "y2": 0}),
            "Hard dependency",
        ),
        _LegendItem(
            _el(
                "line",
                {
                    "class": "legend-line soft",
                    "x1": 0,
                    "x2": 16,
                    "y1": 0,
                    "y2": 0,
                    "stroke-dasharray": "5 4",
                },
            ),
            "Soft dependency",
        ),
        _LegendItem(
            _el("text", {"class": "lag", "x": 0, "y": 4}, "+3m"),
            "Lag after the upstream failed",
            icon_width=24.0,
        ),
    ]


def _graph_summary(reconstruction: Reconstruction, services: Mapping[int, ServiceNode]) -> str:
    names = [_service_name(services, service_id) for service_id in reconstruction.roots[:5]]
    sentences = []
    if names:
        more = "\u2026" if len(reconstruction.roots) > 5 else ""
        sentences.append(f"Origin: {', '.join(names)}{more}.")
    depth = max(reconstruction.depth.values(), default=0)
    sentences.append(
        f"{_plural(len(reconstruction.windows), 'impacted service')} in {_plural(depth + 1, 'layer')}; "
        f"blast radius per layer: {', '.join(str(count) for count in reconstruction.blast_radius)}."
    )
    if reconstruction.critical_path:
        path = [
            _service_name(services, service_id) for service_id in reconstruction.critical_path[:8]
        ]
        more = " \u2192 \u2026" if len(reconstruction.critical_path) > 8 else ""
        sentences.append("Critical path: " + " \u2192 ".join(path) + more + ".")
    if reconstruction.unexplained:
        sentences.append(
            f"{_plural(len(reconstruction.unexplained), 'service')} impacted without an impacted upstream."
        )
    return " ".join(sentences)
