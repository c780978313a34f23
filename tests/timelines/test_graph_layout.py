"""Geometry of the drawn cascade graph: edges never run through boxes, nor cross.

Read from the SVG itself, as a reader sees it: every node's rectangle and every edge's
polyline, for the demo incident and for generated cascades of up to 300 services.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from tests.timelines.test_svg import big_reconstruction
from timelines.svg import cascade_graph_svg

NS = "{http://www.w3.org/2000/svg}"
DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"

Point = tuple[float, float]
Segment = tuple[Point, Point]
Rect = tuple[float, float, float, float]  # left, top, right, bottom


def drawn(svg: str) -> tuple[dict[int, Rect], dict[tuple[int, int], list[Segment]]]:
    root = ET.fromstring(svg)
    boxes = {}
    for node in root.iter(f"{NS}g"):
        if "node" in node.get("class", "").split():
            rect = node.find(f"{NS}rect")
            assert rect is not None
            x, y = float(rect.get("x", 0)), float(rect.get("y", 0))
            w, h = float(rect.get("width", 0)), float(rect.get("height", 0))
            boxes[int(node.get("data-service-id", 0))] = (x, y, x + w, y + h)
    edges = {}
    for edge in root.iter(f"{NS}g"):
        if "edge" in edge.get("class", "").split():
            path = edge.find(f"{NS}path")
            assert path is not None
            numbers = [
                float(n)
                for n in path.get("d", "").replace("M", "").split("L")
                for n in n.split(",")
            ]
            points = list(zip(numbers[::2], numbers[1::2], strict=True))
            key = (int(edge.get("data-from", 0)), int(edge.get("data-to", 0)))
            edges[key] = list(itertools.pairwise(points))
    return boxes, edges


def passes_through(segment: Segment, rect: Rect) -> bool:
    """Return True when the segment enters the rectangle's interior (Liang-Barsky)."""
    (x1, y1), (x2, y2) = segment
    left, top, right, bottom = rect[0] + 0.5, rect[1] + 0.5, rect[2] - 0.5, rect[3] - 0.5
    dx, dy = x2 - x1, y2 - y1
    low, high = 0.0, 1.0
    for p, q in ((-dx, x1 - left), (dx, right - x1), (-dy, y1 - top), (dy, bottom - y1)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def _side(a: Point, b: Point, c: Point) -> float:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def cross(first: Segment, second: Segment) -> bool:
    """Return True when two segments cross at a point inside both (touching is not crossing)."""
    (a, b), (c, d) = first, second
    return _side(a, b, c) * _side(a, b, d) < 0 and _side(c, d, a) * _side(c, d, b) < 0


def edges_through_boxes(svg: str) -> list[tuple[tuple[int, int], int]]:
    boxes, edges = drawn(svg)
    return [
        (key, service_id)
        for key, segments in edges.items()
        for service_id, rect in boxes.items()
        if service_id not in key and any(passes_through(s, rect) for s in segments)
    ]


def crossings(svg: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    _, edges = drawn(svg)
    found = []
    for (one, one_segments), (other, other_segments) in itertools.combinations(edges.items(), 2):
        if one[0] == other[0]:
            continue  # siblings share their parent's trunk by design
        if any(cross(s, t) for s in one_segments for t in other_segments):
            found.append((one, other))
    return found


def test_the_checks_see_an_edge_through_a_box_and_a_crossing() -> None:
    assert passes_through(((0, 0), (100, 0)), (40, -5, 60, 5))
    assert not passes_through(((0, 10), (100, 10)), (40, -5, 60, 5))
    assert cross(((0, 0), (10, 10)), ((0, 10), (10, 0)))
    assert not cross(((0, 0), (10, 0)), ((10, 0), (10, 10)))


def test_the_demo_graph_has_no_edge_through_a_box_and_no_crossing(
    demo: dict[str, int], viewer_client: Client
) -> None:
    svg = viewer_client.get(f"/incidents/{DEMO_SLUG}/cascade.svg").content.decode()
    boxes, edges = drawn(svg)

    assert len(boxes) > 15
    assert len(edges) == len(boxes) - 1  # one origin; every other service explained
    assert edges_through_boxes(svg) == []
    assert crossings(svg) == []


@pytest.mark.parametrize("count", [5, 30, 120, 300])
def test_generated_graphs_have_no_edge_through_a_box_and_no_crossing(count: int) -> None:
    result, names = big_reconstruction(count, dependency_count=count * 3)
    svg = cascade_graph_svg(result, services=names)
    boxes, edges = drawn(svg)

    assert len(boxes) == count
    assert len(edges) == len(result.edges)
    assert edges_through_boxes(svg) == []
    assert crossings(svg) == []
