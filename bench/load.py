"""Load: 50 clients browse incident lists, incident pages, timelines and the API for 60 s.

    .venv/bin/python bench/load.py                      # sets everything up itself
    .venv/bin/python bench/load.py --duration 30 --clients 20
    .venv/bin/python bench/load.py --url https://cascade.example.com --username u --password p --token t

Without ``--url`` it creates a PostgreSQL database (``cascade_load``), migrates, loads the
demo plus generated incidents (200 by default, each with events and impacts), and starts
gunicorn with ``config/gunicorn.py`` and production settings on a spare port of 127.0.0.1.

The load comes from wrk (Debian package ``wrk``): C, event-driven, so the load generator
takes little of the two cores the app needs. One wrk process per endpoint group runs at
the same time, each with its share of the connections, requesting random pages of its
group with a logged-in session (pages) or a token (API). A client pauses like a reader
between pages (``--think-ms``, 1 s on average; wrk's ``delay()``); ``--think-ms 0`` hammers
without pause and measures capacity instead. Each wrk process writes its latency
histogram from Lua, so the figures per group and overall are exact percentiles, not
averages of percentiles. Target: zero errors, p95 under 300 ms.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.faults.live import (  # noqa: E402 - the shared live-app helpers
    PASSWORD,
    ApiClient,
    Browser,
    Gunicorn,
    collectstatic,
    manage,
    production_env,
)

DATABASE = "cascade_load"  # the default; --database names another
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"

GENERATE = """
import random
from datetime import UTC, datetime, timedelta
from postmortems.models import Event, Impact, Incident, Service, ReviewState
random.seed(8)
services = list(Service.objects.all())
kinds = ["trigger", "detection", "impact", "escalation", "mitigation", "recovery", "note"]
start = datetime(2024, 1, 1, tzinfo=UTC)
for number in range({count}):
    began = start + timedelta(days=number, hours=random.randint(0, 23))
    incident, created = Incident.objects.get_or_create(
        slug=f"load-incident-{{number:03d}}",
        defaults=dict(
            title=f"Generated incident {{number}}: {{random.choice(services).name}} degraded",
            provider="ACME", severity=random.randint(1, 4), status="resolved",
            started_at=began, resolved_at=began + timedelta(hours=random.randint(1, 9)),
            summary="A generated incident for the load test.",
        ),
    )
    if not created:
        continue
    hit = random.sample(services, k=min(len(services), random.randint(2, 6)))
    for offset, service in enumerate(hit):
        Impact.objects.create(
            incident=incident, service=service, started_at=began + timedelta(minutes=10 * offset)
        )
    for offset in range(random.randint(8, 25)):
        event = Event.objects.create(
            incident=incident, occurred_at=began + timedelta(minutes=7 * offset),
            kind=random.choice(kinds), title=f"Step {{offset}} of incident {{number}}",
            description="Generated.", review_state=ReviewState.ACCEPTED,
        )
        event.services.set(random.sample(hit, k=min(len(hit), 2)))
print(Incident.objects.count())
"""

LUA = """
local paths = {paths}
local headers = {headers}
local out = "{out}"
local counter = 0
local think_ms = {think_ms}

function setup(thread)
  thread:set("id", tostring(math.random(1, 1000000)))
end

function init(args)
  math.randomseed(os.time() + tonumber(id or "0"))
  for name, value in pairs(headers) do wrk.headers[name] = value end
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[math.random(1, #paths)])
end

-- A person reads a page before the next click: 0.5 to 1.5 times the think time.
function delay()
  if think_ms <= 0 then return 0 end
  return math.random(math.floor(think_ms / 2), math.floor(think_ms * 3 / 2))
end

function done(summary, latency, requests)
  local file = io.open(out, "w")
  file:write("{{\\"requests\\": ", summary.requests, ", \\"duration_us\\": ", summary.duration,
    ", \\"bytes\\": ", summary.bytes,
    ", \\"errors\\": {{\\"connect\\": ", summary.errors.connect, ", \\"read\\": ", summary.errors.read,
    ", \\"write\\": ", summary.errors.write, ", \\"status\\": ", summary.errors.status,
    ", \\"timeout\\": ", summary.errors.timeout, "}}, \\"latency\\": [")
  for i = 1, #latency do
    local value, count = latency(i)
    if i > 1 then file:write(",") end
    file:write("[", value, ",", count, "]")
  end
  file:write("]}}")
  file:close()
end
"""


@dataclass
class Group:
    name: str
    paths: list[str]
    headers: dict[str, str]
    share: float


@dataclass
class Result:
    requests: int
    seconds: float
    errors: dict[str, int]
    latency_us: list[tuple[int, int]]  # (value, count)

    def percentile(self, fraction: float) -> float:
        """Return the latency in ms below which ``fraction`` of the requests finished."""
        total = sum(count for _, count in self.latency_us)
        if not total:
            return float("nan")
        wanted, seen = fraction * total, 0
        for value, count in sorted(self.latency_us):
            seen += count
            if seen >= wanted:
                return value / 1000
        return sorted(self.latency_us)[-1][0] / 1000


def _psql(statement: str, url: str = ADMIN_URL) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statement)


def database_url(database: str) -> str:
    """Return the URL of the load test's own database."""
    return f"postgres://postgres@127.0.0.1:5432/{database}"


def create_database(database: str, incidents: int, redis_url: str = "") -> dict[str, str]:
    """(Re)create ``database`` with the demo and ``incidents`` generated ones; return the env."""
    _psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    _psql(f'CREATE DATABASE "{database}"')
    env = production_env(database_url(database), redis_url, LOG_LEVEL="WARNING")
    print(f"Setting up {database}: migrate, demo, {incidents} generated incidents, static files")
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("load_demo", env=env)
    total = manage("shell", "-c", GENERATE.format(count=incidents), env=env).split()[-1]
    print(f"  {total} incidents in the knowledge base")
    # What one does after a bulk load: statistics for the planner on the tables just
    # written. Otherwise it plans on guesses until autovacuum gathers them, which on a
    # server where it is on happens a minute in, while the clients measure (here it is off).
    _psql("VACUUM ANALYZE", database_url(database))
    collectstatic(env)
    return env


def _set_up(
    database: str,
    incidents: int,
    redis_url: str,
    workdir: Path,
    workers: int | None,
    threads: int | None,
) -> Gunicorn:
    env = create_database(database, incidents, redis_url)
    defaults = {}
    if workers:
        defaults["workers"] = workers
    if threads:
        defaults["threads"] = threads
    server = Gunicorn(env, workdir / "gunicorn.log", **_gunicorn_defaults(defaults))
    return server.start()


def _gunicorn_defaults(given: dict[str, int]) -> dict[str, int]:
    """Return the worker and thread counts config/gunicorn.py would choose, unless given."""
    from config.gunicorn import DEFAULT_THREADS, default_workers

    return {
        "workers": given.get("workers", default_workers()),
        "threads": given.get("threads", DEFAULT_THREADS),
    }


def _groups(base_url: str, username: str, password: str, token: str | None) -> list[Group]:
    browser = Browser(base_url).login(username, password)
    cookie = "; ".join(f"{c.name}={c.value}" for c in browser.session.cookies)
    page_headers = {"Cookie": cookie, "X-Forwarded-Proto": "https"}
    api_headers = {"X-Forwarded-Proto": "https"}
    if token:
        api_headers["Authorization"] = f"Token {token}"
        lister = ApiClient(base_url, token)
    else:  # the API takes the session too
        api_headers["Cookie"] = cookie
        lister = browser
    slugs: list[str] = []
    url: str | None = "/api/v1/incidents/?page_size=100"
    while url:
        response = lister.get(url)
        response.raise_for_status()
        body = response.json()
        slugs += [item["slug"] for item in body["results"]]
        url = body.get("next")
        if url:
            url = url[url.index("/api/") :]
    return [
        Group(name, paths, api_headers if is_api else page_headers, 0.25)
        for name, paths, is_api in group_paths(slugs)
    ]


def group_paths(slugs: list[str]) -> list[tuple[str, list[str], bool]]:
    """Return each group's name, the paths its clients pick from, and whether it is the API."""
    list_pages = max(1, len(slugs) // 25)
    return [
        (
            "incident lists",
            ["/"]
            + [f"/?page={page}" for page in range(2, min(list_pages, 8) + 1)]
            + ["/?severity=1", "/services/"],
            False,
        ),
        ("incident pages", [f"/incidents/{slug}/" for slug in slugs], False),
        ("timelines", [f"/incidents/{slug}/timeline/" for slug in slugs], False),
        (
            "API",
            ["/api/v1/incidents/", "/api/v1/services/"]
            + [f"/api/v1/incidents/{slug}/" for slug in slugs]
            + [f"/api/v1/events/?incident={slug}" for slug in slugs[:50]],
            True,
        ),
    ]


def _lua_table(values: list[str] | dict[str, str]) -> str:
    if isinstance(values, dict):
        return (
            "{" + ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in values.items()) + "}"
        )
    return "{" + ", ".join(json.dumps(value) for value in values) + "}"


def _run_wrk(
    base_url: str,
    groups: list[Group],
    clients: int,
    duration: int,
    think_ms: int,
    workdir: Path,
) -> dict[str, Result]:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    shares = [max(1, round(clients * group.share)) for group in groups]
    shares[-1] = max(1, clients - sum(shares[:-1]))
    processes = []
    for group, connections in zip(groups, shares, strict=True):
        out = workdir / f"{group.name.replace(' ', '-')}.json"
        script = workdir / f"{group.name.replace(' ', '-')}.lua"
        script.write_text(
            LUA.format(
                paths=_lua_table(group.paths),
                headers=_lua_table(group.headers),
                out=str(out),
                think_ms=think_ms,
            )
        )
        command = [
            wrk,
            "--threads",
            "1",
            "--connections",
            str(connections),
            "--duration",
            f"{duration}s",
            "--timeout",
            "10s",
            "--script",
            str(script),
            base_url,
        ]
        processes.append(
            (group, connections, out, subprocess.Popen(command, stdout=subprocess.PIPE, text=True))
        )
    print(
        f"Running {clients} clients for {duration} s, thinking {think_ms} ms between pages "
        "(0.5-1.5x): "
        + ", ".join(f"{group.name} {connections}" for group, connections, *_ in processes)
    )
    results = {}
    for group, _, out, process in processes:
        process.communicate(timeout=duration + 60)
        raw = json.loads(out.read_text())
        results[group.name] = Result(
            requests=raw["requests"],
            seconds=raw["duration_us"] / 1e6,
            errors=raw["errors"],
            latency_us=[(int(value), int(count)) for value, count in raw["latency"]],
        )
    return results


def _report(results: dict[str, Result]) -> bool:
    overall = Result(
        requests=sum(r.requests for r in results.values()),
        seconds=max(r.seconds for r in results.values()),
        errors={
            kind: sum(r.errors[kind] for r in results.values())
            for kind in next(iter(results.values())).errors
        },
        latency_us=[item for r in results.values() for item in r.latency_us],
    )
    header = (
        f"{'group':<16}{'requests':>9}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}  errors"
    )
    print(header)
    print("-" * len(header))
    for name, result in [*results.items(), ("overall", overall)]:
        errors = sum(result.errors.values())
        detail = ", ".join(f"{k} {v}" for k, v in result.errors.items() if v) or "0"
        print(
            f"{name:<16}{result.requests:>9}{result.requests / result.seconds:>8.1f}"
            f"{result.percentile(0.50):>8.0f}{result.percentile(0.95):>8.0f}"
            f"{result.percentile(0.99):>8.0f}  {detail if errors else 0}"
        )
    errors = sum(overall.errors.values())
    p95 = overall.percentile(0.95)
    met = errors == 0 and p95 < 300
    print(
        f"Target (zero errors, p95 < 300 ms): {'met' if met else 'MISSED'} "
        f"({errors} errors, p95 {p95:.0f} ms)"
    )
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="Load an app that is already running at this URL.")
    parser.add_argument("--username", default="demo")
    parser.add_argument("--password", default=None, help="Default: the generated demo password.")
    parser.add_argument("--token", default=None, help="API token (default: made for --username).")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument(
        "--think-ms",
        type=int,
        default=1000,
        help="a client's pause between pages, as a reader's (0: hammer, for capacity)",
    )
    parser.add_argument("--incidents", type=int, default=200, help="generated incidents")
    parser.add_argument("--workers", type=int, help="gunicorn processes (default as deployed)")
    parser.add_argument("--threads", type=int, help="threads per gunicorn process")
    parser.add_argument(
        "--database", default=DATABASE, help="PostgreSQL database to (re)create and drop"
    )
    parser.add_argument(
        "--redis-url", default="", help="REDIS_URL for the app (its cache); default: none"
    )
    parser.add_argument("--keep-database", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="cascade-load-") as directory:
        workdir = Path(directory)
        server = None
        try:
            if args.url:
                base_url, token = args.url.rstrip("/"), args.token
                password = args.password or ""
            else:
                server = _set_up(
                    args.database,
                    args.incidents,
                    args.redis_url,
                    workdir,
                    args.workers,
                    args.threads,
                )
                base_url, password = server.base_url, args.password or PASSWORD
                env = server.env
                token = args.token or manage("drf_create_token", args.username, env=env).split()[2]
                print(
                    f"gunicorn at {base_url}: {server.env['WEB_CONCURRENCY']} processes x "
                    f"{server.env['GUNICORN_THREADS']} threads"
                )
            groups = _groups(base_url, args.username, password, token)
            started = time.monotonic()
            results = _run_wrk(
                base_url, groups, args.clients, args.duration, args.think_ms, workdir
            )
            print(f"Finished in {time.monotonic() - started:.0f} s")
            met = _report(results)
        finally:
            if server is not None:
                server.stop()
                print("--- gunicorn log (last lines) ---")
                print(server.tail(5))
            if not args.url and not args.keep_database:
                _psql(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
