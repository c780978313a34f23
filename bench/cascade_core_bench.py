"""Time timelines.cascade.reconstruct on a large synthetic incident.

Run as `.venv/bin/python bench/cascade_core_bench.py`. Prints figures; asserts nothing.
The target is a median under 200 ms for 300 services, 1,000 dependencies and 10,000
events and impacts; the 10x row shows how the cost grows with the number of events.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

# Runnable from anywhere without installing the project.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timelines.cascade import (
    DependencyEdge,
    EventRecord,
    ImpactRecord,
    IncidentTimes,
    ServiceNode,
    reconstruct,
)

SEED = 20240301
SERVICE_COUNT = 300
DEPENDENCY_COUNT = 1_000
CYCLE_EDGES = 8
RUNS = 7
INCIDENT_START = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
INCIDENT_LENGTH = timedelta(hours=6)
KINDS = (
    "trigger",
    "detection",
    "impact",
    "escalation",
    "mitigation",
    "recovery",
    "communication",
    "note",
)
PRECISIONS = ("minute", "minute", "minute", "hour", "day", "approximate")


def build_graph(rng: random.Random) -> tuple[list[ServiceNode], list[DependencyEdge]]:
    services = [ServiceNode(id=i, name=f"service-{i}") for i in range(SERVICE_COUNT)]
    pairs: set[tuple[int, int]] = set()
    # Mostly a DAG: a lower id is upstream of a higher one, as in a layered architecture.
    while len(pairs) < DEPENDENCY_COUNT - CYCLE_EDGES:
        upstream, downstream = sorted(rng.sample(range(SERVICE_COUNT), 2))
        pairs.add((upstream, downstream))
    # A few edges against the grain close cycles.
    while len(pairs) < DEPENDENCY_COUNT:
        downstream, upstream = sorted(rng.sample(range(SERVICE_COUNT), 2))
        pairs.add((upstream, downstream))
    dependencies = [
        DependencyEdge(downstream_id=down, upstream_id=up, hard=rng.random() < 0.8)
        for up, down in sorted(pairs)
    ]
    return services, dependencies


def random_moment(rng: random.Random) -> datetime:
    return INCIDENT_START + timedelta(seconds=rng.uniform(0, INCIDENT_LENGTH.total_seconds()))


def build_records(
    rng: random.Random, event_count: int, impact_count: int
) -> tuple[list[ImpactRecord], list[EventRecord]]:
    impacts = []
    for impact_id in range(impact_count):
        started_at = random_moment(rng)
        ended_at = started_at + timedelta(minutes=rng.uniform(1, 90))
        impacts.append(
            ImpactRecord(
                id=impact_id,
                service_id=rng.randrange(SERVICE_COUNT),
                level=rng.choice(("outage", "degraded")),
                started_at=started_at,
                ended_at=None if rng.random() < 0.05 else ended_at,
            )
        )
    events = [
        EventRecord(
            id=event_id,
            at=random_moment(rng),
            kind=rng.choice(KINDS),
            service_ids=tuple(rng.sample(range(SERVICE_COUNT), rng.randint(0, 3))),
            source_id=rng.choice((None, 1, 2, 3, 4)),
            precision=rng.choice(PRECISIONS),
        )
        for event_id in range(event_count)
    ]
    return impacts, events


def time_reconstruct(event_count: int, impact_count: int) -> tuple[list[float], int, int]:
    rng = random.Random(SEED)
    services, dependencies = build_graph(rng)
    impacts, events = build_records(rng, event_count, impact_count)
    incident = IncidentTimes(
        started_at=INCIDENT_START + timedelta(minutes=5),
        resolved_at=INCIDENT_START + INCIDENT_LENGTH - timedelta(minutes=5),
    )
    timings = []
    result = None
    for _ in range(RUNS):
        began = time.perf_counter()
        result = reconstruct(
            incident=incident,
            services=services,
            dependencies=dependencies,
            impacts=impacts,
            events=events,
        )
        timings.append((time.perf_counter() - began) * 1000)
    assert result is not None
    return timings, len(result.edges), len(result.warnings)


def main() -> None:
    print(
        f"{SERVICE_COUNT} services, {DEPENDENCY_COUNT} dependencies "
        f"({CYCLE_EDGES} against the grain), {RUNS} runs each"
    )
    for event_count, impact_count in ((10_000, 2_000), (100_000, 20_000)):
        timings, edge_count, warning_count = time_reconstruct(event_count, impact_count)
        print(
            f"{event_count:>7,} events + {impact_count:>6,} impacts: "
            f"median {statistics.median(timings):7.1f} ms, max {max(timings):7.1f} ms "
            f"({edge_count} propagation edges, {warning_count} warnings)"
        )


if __name__ == "__main__":
    main()
