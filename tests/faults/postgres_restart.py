"""Fault: PostgreSQL restarts while gunicorn serves. Run by ``.ci/faults``, not by pytest.

Restarting the machine's PostgreSQL would break a running pytest process, so this runs on
its own after the suites: a database of its own, the demo, gunicorn with two workers on a
spare port, and a few threads of logged-in users hammering pages and the API while the
cluster restarts. It passes when

- every answer is 200, 302 or 503 (never a 500, never a connection error or a hang);
- the 503s carry the "database is unavailable" message (if the restart was too quick to
  catch any, it says so rather than failing);
- within 10 s after PostgreSQL is back, every request succeeds again, with the same
  gunicorn workers (no restart of the app).

Usage: ``.venv/bin/python -m tests.faults.postgres_restart`` (exits non-zero on failure).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg
import requests

from tests.faults.live import (
    PASSWORD,
    ApiClient,
    Browser,
    Gunicorn,
    collectstatic,
    manage,
    production_env,
)

DATABASE = "cascade_faults"
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"
UNAVAILABLE = "database is unavailable"
RECOVERY_SECONDS = 10.0
CLIENT_TIMEOUT = 35.0  # above gunicorn's 30 s worker timeout: a hang would show as an error


@dataclass(frozen=True)
class Outcome:
    at: float
    path: str
    status: int | None  # None: no HTTP answer at all
    detail: str


def _cluster_version() -> str:
    versions = sorted(os.listdir("/etc/postgresql"))
    if not versions:
        raise SystemExit("no PostgreSQL cluster under /etc/postgresql")
    return versions[-1]


def _pg(action: str) -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", _cluster_version(), "main", action],
        check=True,
    )


def _pg_ready() -> bool:
    return (
        subprocess.run(
            ["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], check=False
        ).returncode
        == 0
    )


def _recreate_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')


def _drop_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def _hammer(
    make_call: Callable[[str], requests.Response],
    paths: list[str],
    stop: threading.Event,
    outcomes: list[Outcome],
) -> None:
    index = 0
    while not stop.is_set():
        path = paths[index % len(paths)]
        index += 1
        try:
            response = make_call(path)
        except requests.RequestException as error:
            outcomes.append(Outcome(time.monotonic(), path, None, repr(error)[:200]))
            continue
        detail = response.text[:2000] if response.status_code >= 500 else ""
        outcomes.append(Outcome(time.monotonic(), path, response.status_code, detail))
        time.sleep(0.02)


def run(workdir: Path, *, threads: int, before: float, after: float) -> int:
    _recreate_database()
    env = production_env(
        f"postgres://postgres@127.0.0.1:5432/{DATABASE}", DATABASE_CONN_MAX_AGE="60"
    )
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("load_demo", env=env)
    token = manage("drf_create_token", "demo", env=env).split()[2]
    collectstatic(env)

    server = Gunicorn(env, workdir / "gunicorn.log", workers=2)
    server.start()
    try:
        pids_before = _worker_pids(server)
        browser = Browser(server.base_url, timeout=CLIENT_TIMEOUT).login("demo", PASSWORD)
        pages = [
            "/",
            f"/incidents/{DEMO_SLUG}/",
            f"/incidents/{DEMO_SLUG}/timeline/",
            "/search/?q=dns",
        ]
        api_paths = ["/api/v1/incidents/", "/api/v1/events/?ordering=occurred_at"]
        outcomes: list[Outcome] = []
        stop = threading.Event()
        workers = []
        for number in range(threads):
            if number % 2:
                client = ApiClient(server.base_url, token, timeout=CLIENT_TIMEOUT)
                call, paths = client.get, api_paths
            else:
                client = Browser(server.base_url, timeout=CLIENT_TIMEOUT)
                client.session.cookies.update(browser.session.cookies)
                call, paths = client.get, pages
            thread = threading.Thread(target=_hammer, args=(call, paths, stop, outcomes))
            thread.start()
            workers.append(thread)

        time.sleep(before)
        print(f"Restarting PostgreSQL {_cluster_version()}/main while {threads} clients browse")
        restart_started = time.monotonic()
        try:
            _pg("restart")
        finally:
            if not _pg_ready():
                for _ in range(30):
                    if _pg_ready():
                        break
                    time.sleep(1)
        restart_done = time.monotonic()
        time.sleep(after)
        stop.set()
        for thread in workers:
            thread.join(timeout=CLIENT_TIMEOUT + 5)
        pids_after = _worker_pids(server)
    finally:
        server.stop()
    return _report(outcomes, restart_started, restart_done, pids_before, pids_after, server)


def _worker_pids(server: Gunicorn) -> set[int]:
    """Return gunicorn's worker pids (the children of the master)."""
    assert server.process is not None
    result = subprocess.run(
        ["pgrep", "-P", str(server.process.pid)], capture_output=True, text=True, check=False
    )
    return {int(pid) for pid in result.stdout.split()}


def _report(
    outcomes: list[Outcome],
    restart_started: float,
    restart_done: float,
    pids_before: set[int],
    pids_after: set[int],
    server: Gunicorn,
) -> int:
    failures: list[str] = []
    statuses = Counter(outcome.status for outcome in outcomes)
    during = [o for o in outcomes if restart_started <= o.at <= restart_done + RECOVERY_SECONDS]
    unavailable = [o for o in outcomes if o.status == 503]
    with_message = [o for o in unavailable if UNAVAILABLE in o.detail]
    settled = [o for o in outcomes if o.at > restart_done + RECOVERY_SECONDS]
    bad = [o for o in outcomes if o.status not in (200, 302, 503)]
    not_ok_after = [o for o in settled if o.status not in (200, 302)]
    last_failure = max(
        (o.at for o in outcomes if o.status not in (200, 302) and o.at >= restart_started),
        default=None,
    )

    print(f"Requests: {len(outcomes)}  statuses: {dict(sorted(statuses.items(), key=str))}")
    print(f"PostgreSQL restart took {restart_done - restart_started:.1f} s")
    print(f"Requests during the restart and the {RECOVERY_SECONDS:.0f} s after: {len(during)}")
    print(f"503 answers: {len(unavailable)}, with the database message: {len(with_message)}")
    if last_failure is not None:
        print(f"Last failed request: {last_failure - restart_done:+.1f} s after PostgreSQL was up")
    print(f"Gunicorn workers before/after: {sorted(pids_before)} / {sorted(pids_after)}")

    for outcome in bad[:5]:
        failures.append(f"{outcome.path} answered {outcome.status}: {outcome.detail[:300]}")
    if bad:
        failures.append(f"{len(bad)} answers were neither 200, 302 nor 503")
    if unavailable and len(with_message) != len(unavailable):
        failures.append(f"{len(unavailable) - len(with_message)} 503s lacked the message")
    if not unavailable:
        print(
            "NOTE: the restart was too quick to catch a request while the database was away; "
            "no 503 was observed (not a failure)."
        )
    if not settled:
        failures.append("no requests after the recovery window: the clients stalled")
    if not_ok_after:
        failures.append(
            f"{len(not_ok_after)} requests failed more than {RECOVERY_SECONDS:.0f} s after "
            f"PostgreSQL was back, e.g. {not_ok_after[0].path} -> {not_ok_after[0].status}"
        )
    if pids_before != pids_after:
        print("NOTE: gunicorn replaced workers during the run (a worker timed out or recycled)")

    if failures:
        print("FAILED: PostgreSQL restart")
        for failure in failures:
            print(f"  - {failure}")
        print("--- gunicorn log (last lines) ---")
        print(server.tail())
        return 1
    print(
        f"OK: PostgreSQL restart: requests failed cleanly (503) while it was away and all "
        f"{len(settled)} requests after the first {RECOVERY_SECONDS:.0f} s succeeded, "
        "without restarting the app."
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=6)
    parser.add_argument("--before", type=float, default=4.0, help="seconds before the restart")
    parser.add_argument("--after", type=float, default=15.0, help="seconds after the restart")
    parser.add_argument("--keep-database", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cascade-faults-") as directory:
        try:
            return run(Path(directory), threads=args.threads, before=args.before, after=args.after)
        finally:
            if not _pg_ready():
                _pg("start")
            if not args.keep_database:
                _drop_database()


if __name__ == "__main__":
    sys.exit(main())
