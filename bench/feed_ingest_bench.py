"""Ingest a 5,000-entry Statuspage feed from a local server: time and memory.

Run from the project root:

    .venv/bin/python bench/feed_ingest_bench.py                 # SQLite file in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cascade_feed_bench \\
        .venv/bin/python bench/feed_ingest_bench.py --entries 5000

Serves a recorded-shape ``/api/v2/incidents.json`` of ``--entries`` incidents (four
updates and two components each) from a local HTTP server with ETags, and polls it
through the same code the beat task runs:

1. parse alone (pure): seconds, and the peak Python memory it allocates (tracemalloc);
2. the first poll (fetch, parse, one transaction per entry): seconds, entries per second,
   SQL queries, and the process's peak resident memory;
3. a second poll answered 304: seconds (nothing is read or written);
4. a poll after one entry was edited: seconds (the other 4,999 are skipped by hash).

Targets (issue 17): bounded time and memory. Time: a fixed number of SQL queries per
new entry (so a first poll is linear in entries), under 5 minutes of this process's CPU
for 5,000 entries on SQLite; the 304 poll under 1 s; the one-edit poll under 15 s.
Memory: peak resident memory under 400 MB (the document is capped at 32 MB). Wall time
is printed too, with the load average, as the machine is shared. Prints figures;
asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import sys
import tempfile
import threading
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
_TEMP = tempfile.mkdtemp(prefix="feed-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_TEMP}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from postmortems.ingest.feeds.models import Feed, FeedEntry  # noqa: E402
from postmortems.ingest.feeds.parsing import parse_feed  # noqa: E402
from postmortems.ingest.feeds.polling import feed_poll  # noqa: E402
from postmortems.ingest.feeds.services import feed_create  # noqa: E402
from postmortems.models import Event, Service  # noqa: E402


def feed_body(entries: int, *, edited: int | None = None) -> bytes:
    incidents = []
    for number in range(entries):
        day = f"2025-{1 + number % 12:02d}-{1 + number % 28:02d}"
        updates = [
            (
                f"u{number}-{step}",
                state,
                f"{day}T{7 + step:02d}:{(number * 7) % 60:02d}:{number % 60:02d}.000Z",
            )
            for step, state in enumerate(("investigating", "identified", "monitoring", "resolved"))
        ]
        text = "Delivery is back." if number != edited else "Delivery is back; a backlog drained."
        incidents.append(
            {
                "id": f"bench-{number}",
                "name": f"Incident {number}: messages fail to send",
                "impact": "major" if number % 3 else "minor",
                "shortlink": f"https://stspg.example/bench-{number}",
                "components": [{"name": "Messaging"}, {"name": f"Region {number % 5}"}],
                "incident_updates": [
                    {
                        "id": uid,
                        "status": state,
                        "body": f"{state.title()}: {text} (#{number})",
                        "display_at": at,
                    }
                    for uid, state, at in updates
                ],
            }
        )
    return json.dumps({"page": {"id": "bench"}, "incidents": incidents}).encode()


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.body = b""


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        etag = '"' + hashlib.sha256(self.server.body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.server.body)))
        self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(self.server.body)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=5000)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    settings.CASCADE_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    Feed.objects.all().delete()
    Service.objects.get_or_create(name="Bench Chat", provider="Bench Chat", category="customer_app")

    server = Server()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.body = feed_body(args.entries)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"database: {connection.vendor}; feed: {args.entries} incidents, {len(server.body) / 1e6:.1f} MB"
    )

    started = time.perf_counter()
    parsed = parse_feed("statuspage", server.body)
    parse_seconds = time.perf_counter() - started
    del parsed
    tracemalloc.start()  # a second parse for memory: tracemalloc slows what it watches
    parsed = parse_feed("statuspage", server.body)
    _, parse_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"parse: {parse_seconds:.2f} s, {len(parsed.incidents)} incidents, peak {parse_peak / 1e6:.0f} MB allocated"
    )
    del parsed

    url = f"http://127.0.0.1:{server.server_address[1]}/api/v2/incidents.json"
    feed = feed_create(url=url, provider="Bench Chat", kind="statuspage")
    rss_before = peak_rss_mb()
    queries: list[int] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = feed_poll(feed_id=feed.pk)
        first = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
    print(
        f"first poll: {first:.1f} s wall, {cpu:.1f} s CPU of this process "
        f"({result.created / first:.0f} entries/s wall), {result.created} created, "
        f"{len(queries)} queries ({len(queries) / max(result.created, 1):.1f} per entry), "
        f"{Event.objects.count()} events; peak RSS {peak_rss_mb():.0f} MB (before the poll {rss_before:.0f} MB)"
    )
    if result.error:
        print(f"  error: {result.error}")

    started = time.perf_counter()
    result = feed_poll(feed_id=feed.pk)
    print(f"second poll: {result.outcome} in {time.perf_counter() - started:.3f} s")

    server.body = feed_body(args.entries, edited=args.entries // 2)
    started = time.perf_counter()
    result = feed_poll(feed_id=feed.pk)
    print(
        f"poll after one edit: {time.perf_counter() - started:.1f} s, {result.updated} updated, "
        f"{result.unchanged} unchanged; entries stored: {FeedEntry.objects.count()}"
    )
    server.shutdown()


if __name__ == "__main__":
    main()
