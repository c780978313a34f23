"""Layered layout of the cascade graph: layers, order, coordinates and edge routes.

A pure function of node ids and the propagation edges; no drawing here.

It is the Sugiyama scheme, simplified by what a cascade is. Every impacted service is
explained by at most one upstream, so the propagation edges form a forest:

- **Layers**: a service sits one layer below the service that carried the failure to
  it, so every edge joins two adjacent layers and no dummy nodes are needed.
- **Order**: a depth-first walk of the forest (roots, then children, by when they were
  hit). For a forest this is the fixed point barycentre sweeps converge to, and it has
  no crossings at all: every subtree owns one contiguous run of columns.
- **Coordinates**: each leaf takes the next column; a parent is centred over its
  children. Width grows with the number of leaves; the page scrolls the picture.
- **Routes**: orthogonal, from the bottom of the upstream box down to the middle of the
  gap below its layer, across, and down into the top of the downstream box. Vertical
  runs touch only their own two boxes and horizontal runs lie in the gap between
  layers, so no edge passes through a box; the runs of two parents cover disjoint
  column ranges, so edges do not cross.

Cycles cannot come out of the reconstruction, but a parent map that has one is broken at
the first repeat rather than followed forever.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

Point = tuple[float, float]


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    @property
    def centre_x(self) -> float:
        """Return the horizontal middle of the box."""
        return self.x + self.width / 2


@dataclass(frozen=True)
class Layout:
    boxes: dict[int, Box]
    # (upstream, downstream) -> the polyline from the upstream box to the downstream one
    routes: dict[tuple[int, int], tuple[Point, ...]]
    layer_of: dict[int, int]
    layer_tops: tuple[float, ...]
    width: float
    height: float


def layered_layout(
    nodes: Sequence[int],
    parent: Mapping[int, int],
    *,
    sort_key: Callable[[int], object],
    node_width: float,
    node_height: float,
    column_gap: float,
    layer_gap: float,
    left: float,
    top: float,
    right_margin: float = 16.0,
) -> Layout:
    """Return boxes and edge routes for ``nodes``; ``parent`` maps a node to its upstream."""
    present = set(nodes)
    parent = {child: up for child, up in parent.items() if child in present and up in present}
    layer_of = _layers(nodes, parent)
    # A child whose parent chain looped was made a root by _layers; drop that edge.
    parent = {child: up for child, up in parent.items() if layer_of[child] == layer_of[up] + 1}
    children: dict[int, list[int]] = defaultdict(list)
    for child, up in parent.items():
        children[up].append(child)
    for siblings in children.values():
        siblings.sort(key=sort_key)
    roots = sorted((node for node in nodes if node not in parent), key=sort_key)

    pitch = node_width + column_gap
    layer_pitch = node_height + layer_gap
    centre: dict[int, float] = {}
    next_column = 0

    # Post-order without recursion: a chain of three hundred services is a deep tree.
    for root in roots:
        stack: list[tuple[int, bool]] = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            if not expanded and children[node]:
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(children[node]))
                continue
            if children[node]:
                first, last = children[node][0], children[node][-1]
                centre[node] = (centre[first] + centre[last]) / 2
            else:
                centre[node] = left + next_column * pitch + node_width / 2
                next_column += 1

    boxes = {
        node: Box(
            centre[node] - node_width / 2,
            top + layer_of[node] * layer_pitch,
            node_width,
            node_height,
        )
        for node in nodes
    }
    routes = {}
    for child, up in parent.items():
        start, end = boxes[up], boxes[child]
        x1, y1 = start.centre_x, start.y + start.height
        x2, y2 = end.centre_x, end.y
        middle = y1 + layer_gap / 2
        routes[(up, child)] = ((x1, y1), (x1, middle), (x2, middle), (x2, y2))
    layers = max(layer_of.values(), default=-1) + 1
    width = left + max(next_column, 1) * pitch - column_gap + right_margin
    height = top + layers * layer_pitch - layer_gap
    return Layout(
        boxes=boxes,
        routes=routes,
        layer_of=layer_of,
        layer_tops=tuple(top + layer * layer_pitch for layer in range(layers)),
        width=width,
        height=height,
    )


def _layers(nodes: Sequence[int], parent: Mapping[int, int]) -> dict[int, int]:
    layer_of: dict[int, int] = {}
    for node in nodes:
        chain: list[int] = []
        seen: set[int] = set()
        current: int | None = node
        while current is not None and current not in layer_of and current not in seen:
            seen.add(current)
            chain.append(current)
            current = parent.get(current)
        # Either a known layer, the top of the forest, or a loop (treated as a root).
        base = layer_of[current] if current is not None and current in layer_of else -1
        for offset, member in enumerate(reversed(chain), start=1):
            layer_of[member] = base + offset
    return layer_of
