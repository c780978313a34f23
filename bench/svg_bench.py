"""Time the SVG pictures on a big cascade; prints figures, asserts nothing.

Run from the project root: PYTHONPATH=. .venv/bin/python bench/svg_bench.py [services] [dependencies] [events]
"""

from __future__ import annotations

import random
import sys
import time
from datetime import UTC, datetime, timedelta

from timelines.cascade import (
    DependencyEdge,
    EventRecord,
    ImpactRecord,
    IncidentTimes,
    ServiceNode,
    reconstruct,
)
from timelines.svg import MARKER_KINDS, cascade_graph_svg, swimlanes_svg

START = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def main(service_count: int = 300, dependency_count: int = 1000, event_count: int = 600) -> None:
    rng = random.Random(1)
    services = {sid: ServiceNode(sid, f"service-{sid}") for sid in range(1, service_count + 1)}
    pairs = {(sid, rng.randint(max(1, sid - 40), sid - 1)) for sid in range(2, service_count + 1)}
    while len(pairs) < dependency_count:
        downstream, upstream = rng.sample(range(1, service_count + 1), 2)
        pairs.add((downstream, upstream))
    impacts = [
        ImpactRecord(
            id=sid,
            service_id=sid,
            level=rng.choice(["outage", "degraded"]),
            started_at=START + timedelta(minutes=sid * 0.5 + rng.random()),
            ended_at=None if rng.random() < 0.1 else START + timedelta(minutes=sid + 90),
        )
        for sid in services
    ]
    events = [
        EventRecord(
            id=event_id,
            at=START + timedelta(minutes=rng.uniform(0, 400)),
            kind=rng.choice(MARKER_KINDS),
            service_ids=tuple(rng.sample(range(1, service_count + 1), rng.randint(0, 3))),
            title=f"event {event_id}",
        )
        for event_id in range(event_count)
    ]
    reconstruction = reconstruct(
        incident=IncidentTimes(started_at=None),
        services=list(services.values()),
        dependencies=[
            DependencyEdge(down, up, hard=rng.random() < 0.8) for down, up in sorted(pairs)
        ],
        impacts=impacts,
        events=events,
    )
    for label, render in (
        ("swimlanes_svg", lambda: swimlanes_svg(reconstruction, services=services, events=events)),
        ("cascade_graph_svg", lambda: cascade_graph_svg(reconstruction, services=services)),
    ):
        began = time.perf_counter()
        rounds = 5
        for _ in range(rounds):
            svg = render()
        elapsed = (time.perf_counter() - began) / rounds
        print(f"{label:18} {elapsed * 1000:7.1f} ms  {len(svg) / 1024:7.0f} KiB")
    print(
        f"{len(reconstruction.windows)} windows, {len(reconstruction.edges)} edges, {len(events)} events"
    )


if __name__ == "__main__":
    main(*(int(argument) for argument in sys.argv[1:]))
