"""Time the timeline API on a large incident against one raw SQL query for the same rows.

Run from anywhere (PostgreSQL; SQLite only with --allow-sqlite):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cascade_bench .venv/bin/python bench/timeline_bench.py

Builds, once and with a fixed seed, one incident of 10,000 accepted events over 300
services and 1,000 dependency edges (plus impacts, sources and some proposed events the
timeline must skip), then prints the median and p95 of:

1. reconstruction: the pure ``reconstruct`` call on inputs already loaded;
2. the API: ``GET /api/v1/incidents/<slug>/timeline/`` through Django's test Client,
   token-authenticated, until the JSON bytes exist: as served (the answer of an
   unchanged incident comes from the "timelines" cache, ``postmortems.generation``) and
   with that cache emptied before each request (every answer built from the rows);
   and the first request after a write, once the rebuild the write queues
   (``timelines.refresh``, a worker's job with Redis) has run, with that rebuild's time;
3. the floor: one raw SQL query for the same events (their service ids and source
   joined in) encoded with orjson, the practical minimum for these bytes;
4. API / floor for both, the number of SQL queries the API made, the CPU time of this
   process, where the uncached API's time goes, and what gzip would cost and save.

Targets (issue 15): reconstruction under 200 ms, API at most 2x the floor measured in
the same run. Prints figures; asserts nothing. ``--profile`` adds a cProfile of one
uncached API request.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import gzip
import io
import json
import math
import os
import pstats
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

# Runnable from anywhere without installing the project.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

import orjson  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from postmortems import generation  # noqa: E402
from postmortems.api.renderers import FastJSONRenderer  # noqa: E402
from postmortems.fastpath import _c_timestamptz_loader  # noqa: E402
from postmortems.models import (  # noqa: E402
    Dependency,
    DependencyKind,
    Event,
    EventKind,
    Impact,
    ImpactLevel,
    Incident,
    Precision,
    ReviewState,
    Service,
    ServiceCategory,
    Source,
)
from timelines import payloads, refresh, selectors  # noqa: E402
from timelines.cascade import reconstruct  # noqa: E402

SEED = 20240301
SLUG = "bench-timeline-10k"
PROVIDER = "cascade-bench"
SERVICE_COUNT = 300
DEPENDENCY_COUNT = 1_000
CYCLE_EDGES = 8
EVENT_COUNT = 10_000
# Not on the timeline: they make the review-state filter do real work.
PROPOSED_EVENT_COUNT = 1_000
IMPACT_COUNT = 2_000
SOURCE_COUNT = 40
INCIDENT_START = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
INCIDENT_LENGTH = timedelta(hours=6)
# Stored in the incident's summary: a different shape means the rows are rebuilt.
FINGERPRINT = (
    f"timeline bench seed={SEED} services={SERVICE_COUNT} dependencies={DEPENDENCY_COUNT} "
    f"events={EVENT_COUNT}+{PROPOSED_EVENT_COUNT} impacts={IMPACT_COUNT} sources={SOURCE_COUNT}"
)
USERNAME = "timeline-bench"
RECONSTRUCTION_TARGET_MS = 200
RATIO_TARGET = 2
KINDS = [kind.value for kind in EventKind]
PRECISIONS = [Precision.MINUTE] * 3 + [Precision.HOUR, Precision.DAY, Precision.APPROXIMATE]
ZONES = ("UTC", "America/Los_Angeles", "Europe/Berlin", "Asia/Tokyo")
CATEGORIES = [category.value for category in ServiceCategory]
SYMPTOMS = (
    "elevated error rates",
    "increased latency",
    "failed DNS resolution",
    "connection timeouts",
    "throttled API calls",
    "a growing backlog of queued work",
)


# ------------------------------------------------------------------------------ data


def ensure_incident(slug: str = SLUG, events: int = EVENT_COUNT) -> Incident:
    """Return a bench incident, building its rows first unless they already match.

    The 10,000-event incident by default; ``events`` scales events, proposed events and
    impacts together (bench/pages_bench.py also builds one of 1,000 events). Every bench
    incident shares the same 300 services and 1,000 dependencies.
    """
    fingerprint = _fingerprint(events)
    incident = Incident.objects.filter(slug=slug, summary=fingerprint).first()
    if incident is None or not _has_expected_rows(incident, events):
        began = time.perf_counter()
        incident = _build_incident(slug, events)
        print(f"built {slug} in {time.perf_counter() - began:.1f} s")
    if connection.vendor == "postgresql":
        # Fresh bulk inserts have no planner statistics until autovacuum gets round to
        # them; without them PostgreSQL plans for one row and sorts on disk.
        models = (Event, Event.services.through, Impact, Dependency, Service, Source, Incident)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(model._meta.db_table for model in models)}")
    return incident


def _fingerprint(events: int) -> str:
    # The 10k incident keeps the fingerprint earlier runs stored.
    if events == EVENT_COUNT:
        return FINGERPRINT
    return FINGERPRINT.replace(
        f"events={EVENT_COUNT}+{PROPOSED_EVENT_COUNT} impacts={IMPACT_COUNT}",
        f"events={events}+{_proposed(events)} impacts={_impacts(events)}",
    )


def _proposed(events: int) -> int:
    return events * PROPOSED_EVENT_COUNT // EVENT_COUNT


def _impacts(events: int) -> int:
    return events * IMPACT_COUNT // EVENT_COUNT


def _has_expected_rows(incident: Incident, events: int = EVENT_COUNT) -> bool:
    return (
        Event.objects.filter(incident=incident, review_state=ReviewState.ACCEPTED).count() == events
        and Impact.objects.filter(incident=incident).count() == _impacts(events)
        and Dependency.objects.filter(downstream__provider=PROVIDER).count() == DEPENDENCY_COUNT
    )


def _shared_rows(rng: random.Random) -> tuple[list[Service], list[Source]]:
    """Return the bench's services (with their dependencies) and sources, made once."""
    services = list(Service.objects.filter(provider=PROVIDER).order_by("name"))
    sources = list(
        Source.objects.filter(url__startswith=f"https://{PROVIDER}.example/").order_by("id")
    )
    if (
        len(services) == SERVICE_COUNT
        and len(sources) == SOURCE_COUNT
        and Dependency.objects.filter(downstream__provider=PROVIDER).count() == DEPENDENCY_COUNT
    ):
        return services, sources
    # Impacts protect services: the incidents that use them go first.
    Incident.objects.filter(provider=PROVIDER).delete()
    Service.objects.filter(provider=PROVIDER).delete()
    Source.objects.filter(url__startswith=f"https://{PROVIDER}.example/").delete()
    services = Service.objects.bulk_create(
        Service(
            name=f"bench-service-{number:03d}",
            provider=PROVIDER,
            category=rng.choice(CATEGORIES),
            description=f"Synthetic service {number} of the timeline bench.",
        )
        for number in range(SERVICE_COUNT)
    )
    service_ids = [service.pk for service in services]

    # As in bench/cascade_core_bench.py: mostly layered (a lower index is upstream of a
    # higher one), with a few edges against the grain closing cycles.
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < DEPENDENCY_COUNT - CYCLE_EDGES:
        upstream, downstream = sorted(rng.sample(range(SERVICE_COUNT), 2))
        pairs.add((upstream, downstream))
    while len(pairs) < DEPENDENCY_COUNT:
        downstream, upstream = sorted(rng.sample(range(SERVICE_COUNT), 2))
        pairs.add((upstream, downstream))
    Dependency.objects.bulk_create(
        Dependency(
            downstream_id=service_ids[down],
            upstream_id=service_ids[up],
            kind=DependencyKind.HARD if rng.random() < 0.8 else DependencyKind.SOFT,
        )
        for up, down in sorted(pairs)
    )

    sources = Source.objects.bulk_create(
        Source(
            url=f"https://{PROVIDER}.example/report-{number}",
            title=f"Status report {number}: service disruption",
            publisher=rng.choice(("Status page", "The Register", "heise online", "Hacker News")),
            language=rng.choice(("en", "en", "de", "fr")),
            published_at=INCIDENT_START + timedelta(hours=number % 12),
        )
        for number in range(SOURCE_COUNT)
    )
    return services, sources


@transaction.atomic
def _build_incident(slug: str = SLUG, event_count: int = EVENT_COUNT) -> Incident:
    rng = random.Random(SEED)
    services, sources = _shared_rows(rng)
    # Clear anything a half-finished or older run left.
    Incident.objects.filter(slug=slug).delete()
    incident = Incident.objects.create(
        slug=slug,
        title=f"Timeline bench: {event_count:,} events over {SERVICE_COUNT} services",
        summary=_fingerprint(event_count),
        provider=PROVIDER,
        started_at=INCIDENT_START + timedelta(minutes=5),
        detected_at=INCIDENT_START + timedelta(minutes=25),
        mitigated_at=INCIDENT_START + timedelta(hours=4),
        resolved_at=INCIDENT_START + INCIDENT_LENGTH - timedelta(minutes=5),
    )
    service_ids = [service.pk for service in services]
    name_of = {service.pk: service.name for service in services}
    Source.incidents.through.objects.bulk_create(
        Source.incidents.through(source_id=source.pk, incident_id=incident.pk) for source in sources
    )

    impact_keys: set[tuple[int, datetime]] = set()
    impacts = []
    while len(impacts) < _impacts(event_count):
        service_id = rng.choice(service_ids)
        started_at = _random_moment(rng)
        if (service_id, started_at) in impact_keys:
            continue
        impact_keys.add((service_id, started_at))
        ended_at = started_at + timedelta(minutes=rng.randint(1, 90))
        impacts.append(
            Impact(
                incident=incident,
                service_id=service_id,
                level=rng.choice((ImpactLevel.OUTAGE, ImpactLevel.DEGRADED)),
                started_at=started_at,
                ended_at=None if rng.random() < 0.05 else ended_at,
            )
        )
    Impact.objects.bulk_create(impacts, batch_size=2_000)

    events = []
    services_of_event = []
    for number in range(event_count + _proposed(event_count)):
        at = _random_moment(rng)
        kind = rng.choice(KINDS)
        named = rng.sample(service_ids, rng.randint(1, 3))
        names = " and ".join(name_of[pk] for pk in named)
        symptom = rng.choice(SYMPTOMS)
        source = rng.choice(sources) if rng.random() < 0.9 else None
        events.append(
            Event(
                incident=incident,
                occurred_at=at,
                precision=rng.choice(PRECISIONS),
                source_timezone=rng.choice(ZONES),
                kind=kind,
                title=f"{kind.capitalize()}: {symptom} in {names}",
                description=f"Engineers saw {symptom} in {names} and opened an investigation (entry {number}).",
                source=source,
                quote=(
                    f"At {at:%H:%M} UTC we began seeing {symptom} affecting {names}; "
                    "customers may experience errors while we work to restore service."
                ),
                review_state=(
                    ReviewState.ACCEPTED if number < event_count else ReviewState.PROPOSED
                ),
            )
        )
        services_of_event.append(named)
    Event.objects.bulk_create(events, batch_size=2_000)
    through = Event.services.through
    through.objects.bulk_create(
        (
            through(event_id=event.pk, service_id=service_id)
            for event, named in zip(events, services_of_event, strict=True)
            for service_id in named
        ),
        batch_size=5_000,
    )
    return incident


def _random_moment(rng: random.Random) -> datetime:
    return INCIDENT_START + timedelta(seconds=rng.randrange(int(INCIDENT_LENGTH.total_seconds())))


def api_client() -> Client:
    user, _ = User.objects.get_or_create(username=USERNAME)
    token, _ = Token.objects.get_or_create(user=user)
    return Client(headers={"Authorization": f"Token {token.key}"})


# ------------------------------------------------------------------------- the timers


def baseline_sql() -> str:
    """Return the one query the API is compared with: the same events, services and sources."""
    event, source = Event._meta.db_table, Source._meta.db_table
    incident, through = Incident._meta.db_table, Event.services.through._meta.db_table
    # A subquery per event rather than GROUP BY over the join: no sort of wide rows.
    if connection.vendor == "postgresql":
        service_ids = f"ARRAY(SELECT es.service_id FROM {through} es WHERE es.event_id = e.id)"
    else:
        service_ids = (
            f"(SELECT group_concat(es.service_id) FROM {through} es WHERE es.event_id = e.id)"
        )
    return f"""
        SELECT e.id, e.occurred_at, e.precision, e.kind, e.title, e.description, e.quote,
               e.source_timezone, {service_ids},
               s.id, s.title, s.url, s.publisher, s.language
        FROM {event} e
        JOIN {incident} i ON i.id = e.incident_id
        LEFT JOIN {source} s ON s.id = e.source_id
        WHERE i.slug = %s AND e.review_state = %s
        ORDER BY e.occurred_at, e.id
    """


def baseline(sql: str, *, c_timestamps: bool = True) -> bytes:
    """Return the floor's bytes: the rows of ``sql``, fetched and encoded as fast as we can.

    With ``c_timestamps`` the cursor loads timestamps with psycopg's C loader, as the
    timeline's selector does (``postmortems.fastpath``); without, through Django's own
    Python loader, as any other Django query does.
    """
    loader = _c_timestamptz_loader() if c_timestamps else None
    with connection.cursor() as cursor:
        if loader is not None and connection.vendor == "postgresql":
            cursor.cursor.adapters.register_loader("timestamptz", loader)
        cursor.execute(sql, [SLUG, ReviewState.ACCEPTED])
        rows = cursor.fetchall()
    # Compact UTF-8, as the API writes its answer.
    return orjson.dumps(rows)


def timed(
    calls: dict[str, Callable[[], Any]],
    runs: int,
    warmup: int,
    before: dict[str, Callable[[], Any]] | None = None,
) -> dict[str, list[float]]:
    """Return the wall time of each call's runs in milliseconds, after the warm-up rounds.

    The calls take turns within each round, so a busy spell on the machine slows all of
    them rather than skewing the ratio between two of them. The CPU time of this process
    is kept too, under "<name> cpu" (the database server's is not in it). ``before`` names
    an untimed step to run before a call (emptying a cache).
    """
    timings: dict[str, list[float]] = {}
    for name in calls:
        timings[name], timings[f"{name} cpu"] = [], []
    for round_number in range(warmup + runs):
        for name, call in calls.items():
            if before and name in before:
                before[name]()
            gc.collect()  # a collection owed by the previous call is not this call's cost
            began, began_cpu = time.perf_counter(), time.process_time()
            call()
            elapsed = (time.perf_counter() - began) * 1000
            elapsed_cpu = (time.process_time() - began_cpu) * 1000
            if round_number >= warmup:
                timings[name].append(elapsed)
                timings[f"{name} cpu"].append(elapsed_cpu)
    return timings


def p95(timings: list[float]) -> float:
    """Return the nearest-rank 95th percentile."""
    ordered = sorted(timings)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def report(label: str, timings: list[float], note: str = "") -> float:
    median = statistics.median(timings)
    print(f"{label:<34} p50 {median:7.1f} ms   p95 {p95(timings):7.1f} ms{note}")
    return median


def profile_request(client: Client, url: str) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(url)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(20)
    stats.sort_stats("cumulative").print_stats(30)
    print(out.getvalue())


# ------------------------------------------------------------------------------- main


def time_reconstruction(incident: Incident, runs: int, warmup: int) -> list[float]:
    """Return the timings of the pure core on the exact inputs the selector hands it."""
    empty_answer_cache()  # a cached reconstruction would not call the core at all
    with mock.patch.object(selectors, "reconstruct", wraps=reconstruct) as spy:
        selectors.timeline_for(incident)
    inputs = spy.call_args.kwargs
    return timed({"core": lambda: reconstruct(**inputs)}, runs, warmup)["core"]


def time_api_steps(api: Callable[[], bytes], runs: int) -> dict[str, float]:
    """Return the median milliseconds of each step inside one uncached API request.

    The view's collaborators are wrapped with timers for these runs only, so the steps add
    up to the request they were measured in; "gc" is the time the cyclic garbage collector
    ran during the request, already counted inside the steps it interrupted.
    """
    clock: dict[str, float] = defaultdict(float)

    def timing(name: str, call: Callable[..., Any]) -> Callable[..., Any]:
        def timed_call(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return call(*args, **kwargs)
            finally:
                clock[name] += time.perf_counter() - began

        return timed_call

    gc_began = 0.0

    def gc_timer(phase: str, info: dict[str, int]) -> None:
        nonlocal gc_began
        if phase == "start":
            gc_began = time.perf_counter()
        else:
            clock["gc"] += time.perf_counter() - gc_began

    steps: dict[str, list[float]] = defaultdict(list)
    with (
        mock.patch.object(
            selectors, "incident_timeline", timing("load", selectors.incident_timeline)
        ),
        mock.patch.object(selectors, "reconstruct", timing("reconstruct", reconstruct)),
        mock.patch.object(
            payloads, "timeline_payload", timing("payload", payloads.timeline_payload)
        ),
        mock.patch.object(FastJSONRenderer, "render", timing("render", FastJSONRenderer.render)),
    ):
        gc.callbacks.append(gc_timer)
        try:
            for _ in range(runs):
                empty_answer_cache()
                gc.collect()
                clock.clear()
                began = time.perf_counter()
                api()
                total = time.perf_counter() - began
                steps["load rows"].append(clock["load"] - clock["reconstruct"])
                steps["reconstruct"].append(clock["reconstruct"])
                steps["payload"].append(clock["payload"])
                steps["JSON render"].append(clock["render"])
                steps["request/other"].append(
                    total - clock["load"] - clock["payload"] - clock["render"]
                )
                steps["gc"].append(clock["gc"])
        finally:
            gc.callbacks.remove(gc_timer)
    return {name: statistics.median(values) * 1000 for name, values in steps.items()}


def empty_answer_cache() -> None:
    """Drop the timeline API's cached answers and the cached reconstructions (both live in
    the "timelines" cache), so the next request builds its answer as after a write."""
    caches["timelines"].clear()


def report_gzip(body: bytes) -> None:
    """Print what compressing the answer would cost in server time and save in bytes."""
    for level in (1, 6):  # 6 is what Django's GZipMiddleware uses
        times = []
        for _ in range(3):
            began = time.perf_counter()
            compressed = gzip.compress(body, compresslevel=level, mtime=0)
            times.append((time.perf_counter() - began) * 1000)
        print(
            f"gzip level {level}: {statistics.median(times):.0f} ms of server time, "
            f"{len(body) / 1e6:.1f} MB -> {len(compressed) / 1e6:.2f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs per figure (default 15)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs first (default 3)")
    parser.add_argument(
        "--allow-sqlite", action="store_true", help="run on SQLite anyway (figures mean little)"
    )
    parser.add_argument(
        "--profile", action="store_true", help="also print a cProfile of one API request"
    )
    args = parser.parse_args()

    if connection.vendor == "sqlite" and not args.allow_sqlite:
        sys.exit(
            "timeline_bench: refusing to run on SQLite; the targets are for PostgreSQL.\n"
            "  createdb -h 127.0.0.1 -U postgres cascade_bench\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/cascade_bench "
            ".venv/bin/python bench/timeline_bench.py\n"
            "or pass --allow-sqlite."
        )
    setup_test_environment()  # lets the test Client's "testserver" host through ALLOWED_HOSTS
    call_command("migrate", verbosity=0, interactive=False)
    incident = ensure_incident()
    client = api_client()
    url = f"/api/v1/incidents/{SLUG}/timeline/"
    sql = baseline_sql()

    def api() -> bytes:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(
                f"timeline_bench: {url} answered {response.status_code}: {response.content[:300]!r}"
            )
        return response.content

    empty_answer_cache()
    with CaptureQueriesContext(connection) as queries:
        uncached_body = api()
    # Counted now: the next request's request_started signal empties the query log.
    uncached_query_count = len(queries)
    with CaptureQueriesContext(connection) as queries:
        cached_body = api()
    query_count = len(queries)
    if cached_body != uncached_body:
        raise SystemExit("timeline_bench: the cached answer differs from the one built")
    api_bytes, baseline_bytes = len(cached_body), len(baseline(sql))
    events_in_answer = len(json.loads(cached_body)["events"])
    del uncached_body, cached_body
    print(
        f"{connection.vendor}: {SERVICE_COUNT} services, {DEPENDENCY_COUNT} dependencies, "
        f"{events_in_answer:,} accepted events in the answer, {IMPACT_COUNT:,} impacts; "
        f"{args.runs} runs after {args.warmup} warm-up"
    )

    # One phase at a time, holding nothing big between them: every object the bench keeps
    # alive is walked by each full garbage collection, and the API, which allocates the
    # most, would pay for that more than the baseline.
    reconstruction_ms = report(
        "reconstruction (pure core)", time_reconstruction(incident, args.runs, args.warmup)
    )
    gc.collect()
    rebuilds: list[float] = []
    touched = Service.objects.values_list("pk", flat=True).first()

    def write_then_rebuild() -> None:
        """A write, then the rebuild it queues, as a worker runs it (timed on its own)."""
        Service.objects.filter(pk=touched).update(name=F("name"))
        refresh.forget_notes()  # the reader's note, which "api uncached" emptied with the cache
        refresh.note_read(SLUG, refresh.JSON)
        began = time.perf_counter()
        if refresh.refresh(generation.current()) != 1:
            raise SystemExit("timeline_bench: the refresh after a write rebuilt nothing")
        rebuilds.append((time.perf_counter() - began) * 1000)

    timings = timed(
        {
            "api": api,
            "api uncached": api,
            "api refreshed": api,
            "floor": lambda: baseline(sql),
            "django floor": lambda: baseline(sql, c_timestamps=False),
        },
        args.runs,
        args.warmup,
        before={"api uncached": empty_answer_cache, "api refreshed": write_then_rebuild},
    )

    def cpu(name: str) -> str:
        return f", cpu p50 {statistics.median(timings[f'{name} cpu']):.0f} ms"

    api_ms = report(
        "timeline API (GET, JSON bytes)",
        timings["api"],
        f"   {query_count} SQL queries, {api_bytes / 1e6:.1f} MB, cached answer{cpu('api')}",
    )
    uncached_ms = report(
        "  same, answer cache emptied",
        timings["api uncached"],
        f"   {uncached_query_count} SQL queries, built from the rows{cpu('api uncached')}",
    )
    refreshed_ms = report(
        "  after a write, rebuilt ahead",
        timings["api refreshed"],
        f"   the write's rebuild ran first (a worker's job): p50 "
        f"{statistics.median(rebuilds[args.warmup :]):.0f} ms{cpu('api refreshed')}",
    )
    baseline_ms = report(
        "floor (1 SQL query + orjson)",
        timings["floor"],
        f"   {baseline_bytes / 1e6:.1f} MB, timestamps loaded in C{cpu('floor')}",
    )
    report(
        "  same through Django's cursor",
        timings["django floor"],
        "   timestamps through Django's Python loader (the issue's 108 ms floor)",
    )

    # Where the API's time goes, step by step inside the same requests.
    steps = time_api_steps(api, args.runs)
    gc_ms = steps.pop("gc")
    print(
        "uncached API p50 by step: "
        + " + ".join(f"{name} {ms:.0f} ms" for name, ms in steps.items())
        + f" (garbage collection {gc_ms:.0f} ms of it)"
    )

    report_gzip(api())

    def api_gzip() -> bytes:
        return client.get(url, HTTP_ACCEPT_ENCODING="gzip").content

    compressed = api_gzip()  # compressed once, then kept beside the answer
    gzip_timings = timed({"gzip": api_gzip}, args.runs, 0)
    report(
        "  API, client accepting gzip",
        gzip_timings["gzip"],
        f"   {len(compressed) / 1e6:.2f} MB, compressed once per generation"
        f", cpu p50 {statistics.median(gzip_timings['gzip cpu']):.0f} ms",
    )

    if args.profile:
        empty_answer_cache()  # the request that builds its answer is the one worth reading
        profile_request(client, url)

    ratio = api_ms / baseline_ms
    print(
        f"reconstruction p50 {reconstruction_ms:.0f} ms (target < {RECONSTRUCTION_TARGET_MS}) | "
        f"API p50 {api_ms:.0f} ms | floor p50 {baseline_ms:.0f} ms | "
        f"ratio {ratio:.2f} (target <= {RATIO_TARGET}) | {query_count} queries | "
        f"uncached API p50 {uncached_ms:.0f} ms, ratio {uncached_ms / baseline_ms:.2f}, "
        f"{uncached_query_count} queries | first after a write, rebuilt ahead: "
        f"p50 {refreshed_ms:.0f} ms, ratio {refreshed_ms / baseline_ms:.2f}"
    )


if __name__ == "__main__":
    main()
