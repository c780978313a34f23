"""The cascade graph: which service carried the failure to which, and how late."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from timelines.cascade import (
    OUTAGE,
    ImpactWindow,
    PropagationEdge,
    Reconstruction,
    ServiceNode,
)
from timelines.svg.common import (
    _FONT,
    _MIN_WIDTH,
    _Clock,
    _duration,
    _el,
    _empty_picture,
    _fit,
    _format,
    _ids,
    _lag,
    _legend,
    _LegendItem,
    _num,
    _plural,
    _root,
    _root_time_attrs,
    _scoped,
    _service_name,
    _text,
    _utc,
)

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
