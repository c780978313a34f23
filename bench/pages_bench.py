"""Time the web pages and exports of large incidents: 10,000 events and 1,000 events.

Run from the project root (PostgreSQL, the same database as timeline_bench.py):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cascade_bench .venv/bin/python bench/pages_bench.py

Builds (once, fixed seed, through bench/timeline_bench.py) the 10,000-event incident and
one of 1,000 events over the same 300 services, then fetches each page through Django's
test Client as a signed-in editor and prints the median and p95 server time until the
bytes exist, the size of the answer and its number of SQL queries:

- 10,000 events: the incident page and the timeline page (targets: under 1 s and
  1.5 MB each), the two SVG pictures (the timeline picture under 1 MB);
- 1,000 events: every page that shows the incident, and the lists around it (target:
  under 300 ms each); the review page also for an import of four long articles that
  proposed 1,000 events, each quoted in its article's text, beside 1,000 accepted ones;
- with ``--exports``: the HTML and PDF exports of the 10,000-event incident (target:
  under 10 s, bounded size), timed once each.

Prints figures; asserts nothing. Absolute times on a busy machine mean little; the
load average is printed first.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import timeline_bench
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment

from postmortems.models import Event, Incident, ReviewState, Service, Source
from postmortems.services import roles_ensure

BIG, BIG_EVENTS = timeline_bench.SLUG, timeline_bench.EVENT_COUNT
SMALL, SMALL_EVENTS = "bench-timeline-1k", 1_000
USERNAME = "pages-bench"
REVIEW, REVIEW_PROPOSALS, REVIEW_SOURCES = "bench-review-1k", 1_000, 4


def ensure_review_incident() -> None:
    """Build (once) an incident whose imports proposed 1,000 events beside 1,000 accepted ones.

    The proposals come from four articles whose text is the proposals' sentences, so the
    review page highlights every quote; their times and services are drawn as the
    timeline bench draws them, so some tell a moment the timeline already has.
    """
    summary = f"review bench proposals={REVIEW_PROPOSALS} sources={REVIEW_SOURCES} v1"
    incident = Incident.objects.filter(slug=REVIEW, summary=summary).first()
    if incident is not None and (
        Event.objects.filter(incident=incident, review_state=ReviewState.PROPOSED).count()
        == REVIEW_PROPOSALS
    ):
        return
    with transaction.atomic():
        _build_review_incident(summary)


def _build_review_incident(summary: str) -> None:
    rng = random.Random(timeline_bench.SEED + 1)
    Incident.objects.filter(slug=REVIEW).delete()
    Source.objects.filter(
        url__startswith=f"https://{timeline_bench.PROVIDER}.example/review-"
    ).delete()
    services, _ = timeline_bench._shared_rows(random.Random(timeline_bench.SEED))
    incident = Incident.objects.create(
        slug=REVIEW,
        title=f"Review bench: {REVIEW_PROPOSALS:,} proposals from {REVIEW_SOURCES} articles",
        summary=summary,
        provider=timeline_bench.PROVIDER,
        started_at=timeline_bench.INCIDENT_START + timedelta(minutes=5),
        resolved_at=timeline_bench.INCIDENT_START + timeline_bench.INCIDENT_LENGTH,
    )
    rows: list[tuple[Event, list[int]]] = []
    for number in range(SMALL_EVENTS):
        at = timeline_bench._random_moment(rng)
        kind = rng.choice(timeline_bench.KINDS)
        named = [service.pk for service in rng.sample(services, rng.randint(1, 3))]
        rows.append(
            (
                Event(
                    incident=incident,
                    occurred_at=at,
                    kind=kind,
                    title=f"{kind.capitalize()} {number} on the timeline",
                    review_state=ReviewState.ACCEPTED,
                ),
                named,
            )
        )
    per_source = REVIEW_PROPOSALS // REVIEW_SOURCES
    for number in range(REVIEW_SOURCES):
        sentences, proposed = [], []
        position = 0
        for line in range(per_source):
            at = timeline_bench._random_moment(rng)
            kind = rng.choice(timeline_bench.KINDS)
            chosen = rng.sample(services, rng.randint(1, 3))
            names = " and ".join(service.name for service in chosen)
            symptom = rng.choice(timeline_bench.SYMPTOMS)
            sentence = f"At {at:%H:%M} UTC we saw {symptom} affecting {names}."
            filler = "Engineers kept working on it while customers waited for an update. "
            sentences.append(sentence + " " + filler)
            proposed.append(
                (
                    Event(
                        incident=incident,
                        occurred_at=at,
                        precision=rng.choice(timeline_bench.PRECISIONS),
                        kind=kind,
                        title=f"{kind.capitalize()}: {symptom} in {names}",
                        quote=sentence,
                        quote_start=position,
                        quote_end=position + len(sentence),
                        review_state=ReviewState.PROPOSED,
                        proposal_details={"date_evidence": f"line {line}"},
                    ),
                    [service.pk for service in chosen],
                )
            )
            position += len(sentence) + 1 + len(filler)
        source = Source.objects.create(
            url=f"https://{timeline_bench.PROVIDER}.example/review-{number}",
            title=f"Article {number}: a long account of the outage",
            text="".join(sentences),
        )
        source.incidents.add(incident)
        for event, _ in proposed:
            event.source = source
        rows.extend(proposed)
    Event.objects.bulk_create([event for event, _ in rows], batch_size=2_000)
    through = Event.services.through
    through.objects.bulk_create(
        (through(event_id=event.pk, service_id=pk) for event, named in rows for pk in named),
        batch_size=5_000,
    )


def editor_client() -> Client:
    user = User.objects.filter(username=USERNAME).first()
    if user is None:
        user = User.objects.create_user(username=USERNAME)
        user.groups.add(roles_ensure()["editor"])
    client = Client()
    client.force_login(user)
    return client


def p95(timings: list[float]) -> float:
    ordered = sorted(timings)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def measure(client: Client, url: str, runs: int) -> tuple[list[float], list[float], int, int, int]:
    """Return the wall and CPU timings in ms, the size in bytes, the query count and the status.

    CPU is this process's own time (Django's work, not the database's): on a machine
    shared with others it moves far less than the wall clock does.
    """
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    size = len(response.content)
    count = len(queries)
    wall, cpu = [], []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        _ = response.content
        wall.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    return wall, cpu, size, count, response.status_code


def report(
    label: str,
    wall: list[float],
    cpu: list[float],
    size: int,
    queries: int,
    status: int,
    target_ms: float,
) -> None:
    verdict = "ok" if p95(wall) < target_ms and status == 200 else "OVER TARGET"
    if status != 200:
        verdict = f"HTTP {status}"
    print(
        f"  {label:<26} p50 {statistics.median(wall):6.0f} ms  p95 {p95(wall):6.0f} ms  "
        f"cpu p50 {statistics.median(cpu):6.0f} ms  {size / 1e6:6.2f} MB  {queries:3d} queries  "
        f"(< {target_ms:,.0f} ms: {verdict})"
    )


def section(
    client: Client,
    title: str,
    pages: list[tuple[str, str]],
    runs: int,
    target_ms: float,
    only: str = "",
) -> None:
    pages = [(label, url) for label, url in pages if only in label]
    if not pages:
        return
    print(title)
    for label, url in pages:
        report(label, *measure(client, url, runs), target_ms=target_ms)


def export_once(client: Client, url: str) -> tuple[float, float, int, str]:
    """Return the wall and CPU ms until an export's bytes exist, their size, and how it was built.

    A large export answers with a redirect to its background job; without REDIS_URL the
    job runs in-process before that answer, so both times cover the whole build (with a
    worker, CPU covers only this process's part).
    """
    began, began_cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    how = "in the request"
    if response.status_code == 302:
        response = client.get(f"{response['Location']}download/")
        how = "as a background job"
    body = response.content
    wall, cpu = time.perf_counter() - began, time.process_time() - began_cpu
    return wall * 1000, cpu * 1000, len(body), how


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per page (default 5)")
    parser.add_argument(
        "--exports", action="store_true", help="also time the HTML and PDF exports of 10k events"
    )
    parser.add_argument(
        "--only",
        default="",
        help="time only the pages whose label contains this text (e.g. 'review page')",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("pages_bench: run on PostgreSQL (DATABASE_URL=postgres://...cascade_bench).")
    setup_test_environment()
    call_command("migrate", verbosity=0, interactive=False)
    timeline_bench.ensure_incident(BIG, BIG_EVENTS)
    timeline_bench.ensure_incident(SMALL, SMALL_EVENTS)
    ensure_review_incident()
    client = editor_client()
    service = Service.objects.filter(provider=timeline_bench.PROVIDER).order_by("name").first()
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
        f"{args.runs} runs per page after one untimed"
    )

    section(
        client,
        f"{BIG_EVENTS:,} events (targets: pages < 1 s and < 1.5 MB; timeline SVG < 1 MB)",
        [
            ("incident page", f"/incidents/{BIG}/"),
            ("incident page, last page", f"/incidents/{BIG}/?page=last"),
            ("timeline page", f"/incidents/{BIG}/timeline/"),
            ("timeline.svg", f"/incidents/{BIG}/timeline.svg"),
            ("cascade.svg", f"/incidents/{BIG}/cascade.svg"),
        ],
        args.runs,
        1_000,
        args.only,
    )
    section(
        client,
        f"{SMALL_EVENTS:,} events (target: every page < 300 ms)",
        [
            ("incident list", "/"),
            ("incident page", f"/incidents/{SMALL}/"),
            ("timeline page", f"/incidents/{SMALL}/timeline/"),
            ("timeline.svg", f"/incidents/{SMALL}/timeline.svg"),
            ("cascade.svg", f"/incidents/{SMALL}/cascade.svg"),
            ("postmortem page", f"/incidents/{SMALL}/postmortem/"),
            ("review page", f"/incidents/{SMALL}/review/"),
            (f"review page, {REVIEW_PROPOSALS:,} proposals", f"/incidents/{REVIEW}/review/"),
            ("service page", f"/services/{service.pk}/"),
            ("dashboard", "/dashboard/"),
            ("search", "/search/?q=latency"),
            ("timeline API", f"/api/v1/incidents/{SMALL}/timeline/"),
            ("export.md", f"/incidents/{SMALL}/export.md"),
            ("export.csv", f"/incidents/{SMALL}/export.csv"),
            ("export.json", f"/incidents/{SMALL}/export.json"),
            ("export.html", f"/incidents/{SMALL}/export.html"),
        ],
        args.runs,
        300,
        args.only,
    )
    if args.exports:
        print(f"exports of {BIG_EVENTS:,} events, timed once (target: < 10 s, bounded size)")
        for fmt in ("html", "pdf"):
            ms, cpu_ms, size, how = export_once(client, f"/incidents/{BIG}/export.{fmt}")
            verdict = "ok" if ms < 10_000 else "OVER TARGET"
            print(
                f"  export.{fmt:<20} {ms:9.0f} ms  cpu {cpu_ms:6.0f} ms  {size / 1e6:6.2f} MB  "
                f"{how}  (< 10,000 ms: {verdict})"
            )


if __name__ == "__main__":
    main()
