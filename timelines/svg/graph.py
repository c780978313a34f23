"""The cascade graph: which service carried the failure to which, and how late."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

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
    _fitted_text,
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
from timelines.svg.layout import Box, layered_layout

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
.node{cursor:pointer}
.node:focus{outline:none}
.node:hover rect{stroke-dasharray:none;filter:brightness(.97)}
.node:focus rect,.node.chosen rect{stroke:#1565c0;stroke-width:3;stroke-dasharray:6 3}
.node.chosen .node-name{fill:#0d47a1}
.node-name{font-weight:600}
.node-time{font-size:11px;fill:#546e7a}
.open-flag{fill:#c62828;font-size:9px;font-weight:700;letter-spacing:.04em}
.edge path,.legend-line{fill:none;stroke:#78909c;stroke-width:1.5}
.edge.soft path,.legend-line.soft{stroke-dasharray:5 4}
.edge.critical path{stroke:#212121;stroke-width:2.5}
.lag{font-size:11px;fill:#37474f;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
.layer-label{font-size:11px;fill:#78909c}
.legend-label{font-size:11px;fill:#455a64}
.empty{font-size:13px;fill:#78909c}
"""


# Box and gap sizes of the graph; the picture is as wide as its widest layer needs.
_NODE_WIDTH = 150.0
_NODE_HEIGHT = 42.0
_COLUMN_GAP = 18.0
_LAYER_GAP = 58.0
_LEFT = 84.0
_TOP = 16.0


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

    parent = {
        edge.downstream_id: edge.upstream_id
        for edge in reconstruction.edges
        if edge.downstream_id in windows
    }
    layout = layered_layout(
        [window.service_id for window in reconstruction.windows],
        parent,
        sort_key=lambda sid: (_utc(windows[sid].started_at), _service_name(services, sid), sid),
        node_width=_NODE_WIDTH,
        node_height=_NODE_HEIGHT,
        column_gap=_COLUMN_GAP,
        layer_gap=_LAYER_GAP,
        left=_LEFT,
        top=_TOP,
    )
    # The legend wraps within the asked width, so it stays in view while the graph scrolls.
    legend_right = width - 16
    width = max(width, math.ceil(layout.width))
    section_parts = [
        _el(
            "text",
            {"class": "layer-label", "x": 8, "y": layer_top + _NODE_HEIGHT / 2 + 4},
            _text("Origin" if layer == 0 else f"Depth {layer}"),
        )
        for layer, layer_top in enumerate(layout.layer_tops)
    ]
    graph_bottom = layout.height

    critical = set(reconstruction.critical_path)
    critical_links = set(
        zip(reconstruction.critical_path, reconstruction.critical_path[1:], strict=False)
    )
    edge_parts = [
        _edge_markup(
            edge,
            layout.routes[(edge.upstream_id, edge.downstream_id)],
            services,
            ids,
            (edge.upstream_id, edge.downstream_id) in critical_links,
        )
        for edge in reconstruction.edges
        if (edge.upstream_id, edge.downstream_id) in layout.routes
    ]
    unexplained = set(reconstruction.unexplained)
    node_parts = [
        _node_markup(
            windows[service_id],
            layout.boxes[service_id],
            services,
            clock,
            service_id in critical,
            service_id in unexplained,
            reconstruction.depth.get(service_id, 0),
        )
        for service_id in layout.boxes
    ]
    legend, legend_height = _legend(
        _graph_legend_items(), left=_LEFT, top=graph_bottom + 18, right=legend_right
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


def _edge_markup(
    edge: PropagationEdge,
    route: Sequence[tuple[float, float]],
    services: Mapping[int, ServiceNode],
    ids: str,
    on_critical_path: bool,
) -> str:
    *_, (x2, y2) = route
    d = "M" + " L".join(f"{_num(x)},{_num(y)}" for x, y in route)
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
            # Beside the last run, which belongs to this edge alone.
            {"class": "lag", "x": x2 + 5, "y": y2 - 8},
            _text(lag),
        ),
    )


def _node_markup(
    window: ImpactWindow,
    box: Box,
    services: Mapping[int, ServiceNode],
    clock: _Clock,
    on_critical_path: bool,
    unexplained: bool,
    depth: int,
) -> str:
    x, y = box.x, box.y
    name = _service_name(services, window.service_id)
    level = "outage" if window.level == OUTAGE else "degraded"
    classes = ["node", level]
    if on_critical_path:
        classes.append("critical")
    if unexplained:
        classes.append("unexplained")
    if window.is_open:
        classes.append("open")
    size = 12.0 if box.width >= 140 else 11.0
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
            "x": x + box.width / 2,
            "y": y + box.height - 9,
            "text-anchor": "middle",
        }
    )
    return _el(
        "g",
        {"class": " ".join(classes), "data-service-id": window.service_id, "tabindex": 0},
        clock.title(start, before=f"{name}: {level} from ", after=after),
        _el(
            "rect",
            {"x": x, "y": y, "width": box.width, "height": box.height, "rx": 6},
        ),
        _fitted_text(
            {
                "class": "node-name",
                "x": x + box.width / 2,
                "y": y + 16,
                "text-anchor": "middle",
                "font-size": size,
            },
            name,
            box.width - 12,
            size,
        ),
        _el("text", time_attributes, _text(_format(start, clock.fmt))),
        _el(
            "text",
            {
                "class": "open-flag",
                "x": x + box.width - 5,
                "y": y + box.height - 5,
                "text-anchor": "end",
            },
            "OPEN",
        )
        if window.is_open
        else "",
    )


def _outlined_swatch(kind: str, *, stroke: str | None = None, dashes: str | None = None) -> str:
    box = {"x": 1, "y": -6, "width": 14, "height": 12, "rx": 3, "fill": "#fff"}
    return _el(
        "rect", {"class": f"swatch {kind}", **box, "stroke": stroke, "stroke-dasharray": dashes}
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
        _LegendItem(_outlined_swatch("critical"), "Critical path"),
        _LegendItem(
            _outlined_swatch("unexplained", stroke="#90a4ae", dashes="4 3"),
            "Unexplained (no impacted upstream)",
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
