"""Time the REST API and the list pages on a large knowledge base: 100,000 incidents and
1,000,000 events.

    .venv/bin/python bench/api_bench.py                  # PostgreSQL database cascade_api_bench
    .venv/bin/python bench/api_bench.py --database NAME  # another one (or $API_BENCH_DATABASE)

Creates the database if it is missing, migrates it and, once, loads (with a fixed seed,
through COPY, in one transaction, then VACUUM ANALYZE) 200 services, 100,000 incidents
(1% of them feed drafts) with regions, tags and about 250,000 impacts, and 1,000,000
events with their services: about 70 s of loading on a quiet machine. A later run finds
the data and reuses it (``--reload`` loads it again).

Then prints the median and p95 server time (Django's test Client, in-process, until the
response bytes exist), the median CPU time of this process (Django's share; PostgreSQL's
is in its own process), and the number of SQL queries of:

1. the API's filtered list: every SEV1 in us-east-1 where DynamoDB was impacted, since 2021;
2. the API's text search ``?q=dynamodb throttling``, and its list with no filter;
3. an incident's timeline: ``/api/v1/incidents/<slug>/timeline/``;
4. the incident list page: no filter, filtered, searched, searched and filtered;
5. the dashboard page over every incident: from its stored figures, and recomputed after
   each write (issue 15: under 300 ms);

and, for each, the ``EXPLAIN ANALYZE`` of its slowest SQL query, to show index use
(``--no-plans`` leaves them out; ``--only TEXT`` runs the cases whose label has TEXT).
Targets: p95 under 100 ms for the API (issue 6), 300 ms for the pages. The load average
is printed before and after. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _database_name(argv: list[str]) -> str:
    """Return the database to use: ``--database NAME``, else $API_BENCH_DATABASE, else the default.

    Read before Django is set up, since the name goes into DATABASE_URL; several people
    sharing one PostgreSQL server each pass their own name.
    """
    for position, argument in enumerate(argv):
        if argument == "--database" and position + 1 < len(argv):
            return argv[position + 1]
        if argument.startswith("--database="):
            return argument.split("=", 1)[1]
    return os.environ.get("API_BENCH_DATABASE", "cascade_api_bench")


DATABASE = _database_name(sys.argv[1:])
if DATABASE != "cascade_api_bench" or "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import psycopg  # noqa: E402

SEED = 20261126
INCIDENTS = 100_000
EVENTS_PER_INCIDENT = 10
# Every hundredth incident is a draft from a feed: lists, search and the dashboard leave
# drafts out, so their queries carry NOT is_draft as they do in a real knowledge base.
DRAFT_EVERY = 100
RUNS = 40
PAGE_TARGET = 300  # ms, p95: the dashboard (issue 15) and, as every page, the incident list
PROVIDERS = ["AWS", "GCP", "Azure", "Cloudflare"]
REGIONS = [
    f"{area}-{n}"
    for area in ("us-east", "us-west", "eu-west", "ap-south", "sa-east")
    for n in (1, 2, 3, 4)
]
TAGS = [f"tag-{n}" for n in range(30)]
WORDS = [
    "dns",
    "outage",
    "latency",
    "throttling",
    "elevated",
    "errors",
    "capacity",
    "network",
    "partition",
    "config",
    "deploy",
    "rollback",
    "certificate",
    "expiry",
    "storage",
    "degraded",
    "replication",
    "lag",
    "api",
    "gateway",
    "authentication",
    "queue",
    "backlog",
    "cache",
    "stampede",
    "failover",
    "disk",
    "exhaustion",
    "memory",
    "leak",
    "load",
    "balancer",
]
SERVICE_NAMES = ["DynamoDB", "EC2", "Lambda", "S3", "Route 53", "IAM", "CloudWatch", "SQS"] + [
    f"svc-{n}" for n in range(192)
]


def ensure_database() -> None:
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
            print(f"created database {DATABASE}")


ensure_database()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from postmortems.models import Event, Incident  # noqa: E402
from postmortems.services import generation_raise, user_create  # noqa: E402


def _copy(cursor: psycopg.Cursor, table: str, columns: list[str], rows: list[tuple]) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def load() -> None:
    # One transaction: an interrupted load leaves nothing behind that looks loaded.
    with transaction.atomic():
        _load()
    # VACUUM as well: right after COPY the visibility map is empty, so an index-only scan
    # still visits every heap page. A database in service has had autovacuum do this.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _load() -> None:
    rng = random.Random(SEED)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    started = time.perf_counter()
    raw = connection.connection  # psycopg connection under Django
    with connection.cursor() as django_cursor:
        django_cursor.execute(
            "TRUNCATE postmortems_event_services, postmortems_event, postmortems_impact, "
            "postmortems_incident_regions, postmortems_incident_tags, postmortems_incident, "
            "postmortems_service, postmortems_region, postmortems_tag RESTART IDENTITY CASCADE"
        )
    with raw.cursor() as cursor:
        _copy(
            cursor,
            "postmortems_service",
            ["id", "name", "provider", "category", "aliases", "description"],
            [(i + 1, name, "AWS", "database", "[]", "") for i, name in enumerate(SERVICE_NAMES)],
        )
        _copy(
            cursor,
            "postmortems_region",
            ["id", "code", "name"],
            [(i + 1, c, "") for i, c in enumerate(REGIONS)],
        )
        _copy(cursor, "postmortems_tag", ["id", "name"], [(i + 1, t) for i, t in enumerate(TAGS)])

        incidents, regions, tags, impacts = [], [], [], []
        region_id = tag_id = impact_id = 0
        base = datetime(2015, 1, 1, tzinfo=UTC)
        span = (now - base).total_seconds()
        for n in range(1, INCIDENTS + 1):
            start = base + timedelta(seconds=rng.random() * span)
            detect = start + timedelta(minutes=rng.randint(1, 60))
            mitigate = detect + timedelta(minutes=rng.randint(5, 240))
            resolve = mitigate + timedelta(minutes=rng.randint(5, 600))
            title = " ".join(rng.choice(WORDS) for _ in range(4))
            summary = " ".join(rng.choice(WORDS) for _ in range(25))
            if rng.random() < 0.05:
                title = f"DynamoDB {title}"
            incidents.append(
                (
                    n,
                    f"bench-{n:06d}",
                    title.capitalize(),
                    summary,
                    rng.choice(PROVIDERS),
                    rng.randint(1, 5),
                    "resolved",
                    start,
                    detect,
                    mitigate,
                    resolve,
                    "unknown",
                    now,
                    now,
                    n % DRAFT_EVERY == 0,
                    "feed" if n % DRAFT_EVERY == 0 else "manual",
                    1,
                )
            )
            for code in rng.sample(range(1, len(REGIONS) + 1), rng.randint(1, 2)):
                region_id += 1
                regions.append((region_id, n, code))
            for tag in rng.sample(range(1, len(TAGS) + 1), rng.randint(1, 3)):
                tag_id += 1
                tags.append((tag_id, n, tag))
            services = rng.sample(range(1, len(SERVICE_NAMES) + 1), rng.randint(1, 4))
            if rng.random() < 0.05:
                services = [1, *[s for s in services if s != 1]]  # DynamoDB
            for position, service in enumerate(services):
                impact_id += 1
                impacts.append(
                    (
                        impact_id,
                        n,
                        service,
                        "outage",
                        "origin" if position == 0 else "cascaded",
                        # Within the incident: impacts may not end before they start.
                        min(start + timedelta(minutes=position * 7), resolve),
                        resolve,
                        "",
                    )
                )
        _copy(
            cursor,
            "postmortems_incident",
            [
                "id",
                "slug",
                "title",
                "summary",
                "provider",
                "severity",
                "status",
                "started_at",
                "detected_at",
                "mitigated_at",
                "resolved_at",
                "root_cause_category",
                "created_at",
                "updated_at",
                "is_draft",
                "origin",
                "version",
            ],
            incidents,
        )
        _copy(cursor, "postmortems_incident_regions", ["id", "incident_id", "region_id"], regions)
        _copy(cursor, "postmortems_incident_tags", ["id", "incident_id", "tag_id"], tags)
        _copy(
            cursor,
            "postmortems_impact",
            ["id", "incident_id", "service_id", "level", "role", "started_at", "ended_at", "note"],
            impacts,
        )
        print(
            f"  incidents, regions, tags, {len(impacts):,} impacts: {time.perf_counter() - started:.0f} s"
        )

        kinds = [
            "trigger",
            "detection",
            "impact",
            "escalation",
            "mitigation",
            "recovery",
            "communication",
            "note",
        ]
        event_id = 0
        columns = [
            "id",
            "incident_id",
            "occurred_at",
            "precision",
            "source_timezone",
            "kind",
            "title",
            "description",
            "quote",
            "review_state",
            "review_note",
            "created_at",
            "proposal_details",
            "version",
        ]
        with (
            cursor.copy(f"COPY postmortems_event ({', '.join(columns)}) FROM STDIN") as copy,
            io.StringIO(),
        ):
            for incident in incidents:
                n, start = incident[0], incident[7]
                for k in range(EVENTS_PER_INCIDENT):
                    event_id += 1
                    copy.write_row(
                        (
                            event_id,
                            n,
                            start + timedelta(minutes=k * 9),
                            "minute",
                            "UTC",
                            kinds[k % len(kinds)],
                            f"Event {k} of {n}",
                            "",
                            "",
                            "accepted" if rng.random() < 0.9 else "proposed",
                            "",
                            now,
                            "{}",
                            1,
                        )
                    )
        with cursor.copy(
            "COPY postmortems_event_services (id, event_id, service_id) FROM STDIN"
        ) as copy:
            for eid in range(1, event_id + 1):
                copy.write_row((eid, eid, rng.randint(1, len(SERVICE_NAMES))))
        for table in (
            "service",
            "region",
            "tag",
            "incident",
            "incident_regions",
            "incident_tags",
            "impact",
            "event",
            "event_services",
        ):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('postmortems_{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM postmortems_{table}))"
            )
    print(
        f"loaded {INCIDENTS:,} incidents and {event_id:,} events in {time.perf_counter() - started:.0f} s"
    )


def loaded() -> bool:
    return (
        Incident.objects.filter(slug=f"bench-{INCIDENTS:06d}").exists()
        and Incident.objects.count() >= INCIDENTS
        and Event.objects.filter(pk=INCIDENTS * EVENTS_PER_INCIDENT).exists()
    )


def after_a_write() -> None:
    """Do what the commit of a write of an incident does to the stored dashboard figures."""
    generation_raise()


def measure(
    client: Client, url: str, token: str, runs: int, prepare: Callable[[], None] | None = None
) -> tuple[list[float], list[float], list]:
    times, cpu = [], []
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if url.startswith("/api/") else {}
    for run in range(runs + 3):
        if prepare:
            prepare()
        begin, begin_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, **headers)
        body = response.content
        elapsed = (time.perf_counter() - begin) * 1000
        elapsed_cpu = (time.process_time() - begin_cpu) * 1000
        assert response.status_code == 200, body[:300]
        if run >= 3:
            times.append(elapsed)
            cpu.append(elapsed_cpu)
    if prepare:
        prepare()
    with CaptureQueriesContext(connection) as queries:
        client.get(url, **headers)
    return times, cpu, list(queries.captured_queries)


def explain(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}")
        return [row[0] for row in cursor.fetchall()]


def slowest(queries: list[dict]) -> dict:
    # Of the knowledge-base queries: the token lookup is not what is measured here.
    ours = [query for query in queries if "postmortems_" in query["sql"]] or queries
    return max(ours, key=lambda query: float(query["time"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reload", action="store_true", help="drop and load the data again")
    parser.add_argument("--runs", type=int, default=RUNS, help=f"timed runs per case ({RUNS})")
    parser.add_argument("--only", help="run only the cases whose label contains this text")
    parser.add_argument("--no-plans", action="store_true", help="leave out the EXPLAIN ANALYZE")
    parser.add_argument(
        "--database",
        default=DATABASE,
        help="PostgreSQL database to create and use (default cascade_api_bench, or $API_BENCH_DATABASE)",
    )
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "needs PostgreSQL"
    call_command("migrate", verbosity=0)
    if args.reload or not loaded():
        print(f"loading into {connection.settings_dict['NAME']} (fixed seed {SEED}) ...")
        load()
    else:
        print(f"data already loaded in {connection.settings_dict['NAME']}: skipping the load")
    setup_test_environment()
    from django.conf import settings

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None},
    }
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username="bench").first() or user_create(
        username="bench", password="bench-password-1", role="viewer"
    )
    token = Token.objects.get_or_create(user=user)[0].key
    client = Client()
    client.force_login(user)  # pages need a session; the API takes the token
    cases = [
        (
            "filtered list (SEV1, us-east-1, DynamoDB impacted, since 2021)",
            "/api/v1/incidents/?severity=1&region=us-east-1&service=DynamoDB"
            "&started_after=2021-01-01T00:00:00Z&ordering=-started_at",
            100,
        ),
        ("text search (q=dynamodb throttling)", "/api/v1/incidents/?q=dynamodb%20throttling", 100),
        ("incident list, no filter", "/api/v1/incidents/", 100),
        ("incident timeline (bench-050000)", "/api/v1/incidents/bench-050000/timeline/", 100),
        ("incident list page, no filter", "/", PAGE_TARGET),
        (
            "incident list page, filtered (SEV1, AWS, DynamoDB impacted, since 2021)",
            "/?severity=1&provider=AWS&service=1&date_from=2021-01-01",
            PAGE_TARGET,
        ),
        ("incident list page, search (q=throttling)", "/?q=throttling", PAGE_TARGET),
        (
            "incident list page, search and filter (q=dynamodb, SEV2)",
            "/?q=dynamodb&severity=2",
            PAGE_TARGET,
        ),
        ("dashboard page (every incident), stored figures", "/dashboard/", PAGE_TARGET),
        (
            "dashboard page (every incident), figures recomputed after a write",
            "/dashboard/",
            PAGE_TARGET,
            after_a_write,
        ),
    ]
    if args.only:
        cases = [case for case in cases if args.only.lower() in case[0].lower()]
    print(f"load average before: {_load_average()}")
    print(
        f"\n{args.runs} runs each after 3 warm-ups; server time until the response bytes exist"
        " (wall, and CPU time of this process: Django's share, not PostgreSQL's)\n"
    )
    for label, url, target, *prepare in cases:
        times, cpu, queries = measure(client, url, token, args.runs, *prepare)
        report(label, url, target, times, cpu, queries, plans=not args.no_plans)
    print(f"load average after: {_load_average()}")


def _load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]


def report(
    label: str,
    url: str,
    target: int,
    times: list[float],
    cpu: list[float],
    queries: list[dict],
    *,
    plans: bool,
) -> None:
    p95 = _p95(times)
    verdict = "ok" if p95 < target else "OVER TARGET"
    print(f"{label}\n  GET {url}")
    print(
        f"  median {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms   "
        f"cpu median {statistics.median(cpu):6.1f} ms   "
        f"({len(queries)} SQL queries)   target p95 < {target} ms: {verdict}"
    )
    if not plans:
        print()
        return
    query = slowest(queries)
    plan = explain(query["sql"])
    uses_index = any("Index" in line for line in plan)
    print(
        f"  EXPLAIN ANALYZE of its slowest query ({float(query['time']) * 1000:.1f} ms), "
        f"index used: {uses_index}"
    )
    for line in plan:
        print(f"    {line}")
    print()


if __name__ == "__main__":
    main()
