"""What one request of each load-test group costs the server: CPU ms, SQL queries, bytes.

    .venv/bin/python bench/request_cost.py                     # (re)creates cascade_load_cost
    .venv/bin/python bench/request_cost.py --reuse             # keeps the database as it is
    .venv/bin/python bench/request_cost.py --profile timelines # cProfile one group
    .venv/bin/python bench/request_cost.py --reuse --forms --form-renderer \
        django.forms.renderers.DjangoTemplates                 # another form renderer

``bench/load.py`` measures latency, which on a shared machine says more about the
neighbours than about the app. This script requests the same paths as load.py's groups
(the same database: the demo plus generated incidents) through Django's full request path
in this one process, with production settings and the headers the TLS proxy adds, as the
same signed-in user (pages) or token (API), and prints per group:

- CPU ms per request (this process's ``time.process_time()``: Django's work, middleware,
  session and auth included; the database's own work is not in it), median and mean;
- SQL queries per request (mean and maximum) and the bytes of the answer (mean);
- once: the CPU of importing ``config.wsgi`` (what gunicorn's master does before it forks
  the workers) and of the process's first request, which pays for whatever was left lazy;
- with ``--profile GROUP``: the functions taking the most cumulative time in that group;
- with ``--forms``: the CPU of rendering the incident list's filter form and the incident
  page's event form alone, as their pages do (``--form-renderer`` swaps FORM_RENDERER).

50 clients that think about 1 s between pages ask for about 50 requests a second; the
mean CPU ms across the groups (they share the load equally) times 50 is the share of one
core the app needs for it. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import load  # noqa: E402 - the load test's data and paths

from tests.faults.live import production_env  # noqa: E402

DATABASE = "cascade_load_cost"
HEADERS = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_HOST": "127.0.0.1"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--reuse", action="store_true", help="use the database as it is")
    parser.add_argument("--incidents", type=int, default=200, help="generated incidents")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per group")
    parser.add_argument("--redis-url", default="", help="REDIS_URL for the app's cache")
    parser.add_argument("--profile", metavar="GROUP", help="cProfile this group")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--forms", action="store_true", help="time the two forms alone")
    parser.add_argument("--form-renderer", help="FORM_RENDERER to use instead of the settings'")
    args = parser.parse_args()

    if not args.reuse:
        load.create_database(args.database, args.incidents, args.redis_url)
    os.environ.update(production_env(load.database_url(args.database), args.redis_url))
    began = time.process_time()
    # As gunicorn's master does before it forks the workers.
    import config.wsgi  # noqa: F401

    startup_ms = (time.process_time() - began) * 1000
    if args.form_renderer:
        from django.conf import settings
        from django.forms.renderers import get_default_renderer

        settings.FORM_RENDERER = args.form_renderer
        get_default_renderer.cache_clear()

    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework.authtoken.models import Token

    user = User.objects.get(username="demo")
    pages = Client(**HEADERS)
    pages.force_login(user)
    token, _ = Token.objects.get_or_create(user=user)
    api = Client(**HEADERS, HTTP_AUTHORIZATION=f"Token {token.key}")
    for client in (pages, api):  # gunicorn's workers have their middleware from the master
        client.handler.load_middleware()
    began = time.process_time()
    pages.get("/")
    first_ms = (time.process_time() - began) * 1000
    slugs: list[str] = []
    url: str | None = "/api/v1/incidents/?page_size=100"
    while url:  # the slugs load.py picks from: the API's list
        body = api.get(url).json()
        slugs += [item["slug"] for item in body["results"]]
        url = body.get("next")
        if url:
            url = url[url.index("/api/") :]
    groups = load.group_paths(slugs)
    print(
        f"{len(slugs)} incidents; {args.requests} requests per group, one process, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"Start-up (import config.wsgi): {startup_ms:.0f} ms CPU; the process's first "
        f"request (/): {first_ms:.0f} ms CPU"
    )
    header = (
        f"{'group':<16}{'cpu p50':>8}{'cpu mean':>9}{'queries':>8}{'max q':>6}{'KB mean':>8}"
        "  statuses"
    )
    print(header)
    print("-" * len(header))
    means = []
    for name, paths, is_api in groups:
        client = api if is_api else pages
        chosen = random.Random(args.seed).choices(paths, k=args.requests)
        # Warm: the first request of a kind compiles templates and imports code.
        for path in chosen[:10]:
            client.get(path)
        cpu, sizes, statuses = [], [], {}
        profiler = cProfile.Profile() if args.profile == name else None
        for path in chosen:
            began = time.process_time()
            if profiler:
                profiler.enable()
            response = client.get(path)
            body = response.content
            if profiler:
                profiler.disable()
            cpu.append((time.process_time() - began) * 1000)
            sizes.append(len(body))
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        queries = []
        for path in chosen[:50]:
            with CaptureQueriesContext(connection) as captured:
                client.get(path)
            queries.append(len(captured))
        means.append(statistics.fmean(cpu))
        print(
            f"{name:<16}{statistics.median(cpu):>8.1f}{statistics.fmean(cpu):>9.1f}"
            f"{statistics.fmean(queries):>8.1f}{max(queries):>6}"
            f"{statistics.fmean(sizes) / 1024:>8.1f}  "
            + ", ".join(f"{code}: {count}" for code, count in sorted(statuses.items()))
        )
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
            profile_text = out.getvalue()
    mean = statistics.fmean(means)
    print(
        f"Mean over the groups: {mean:.1f} ms CPU per request; 50 req/s need "
        f"{mean * 50 / 1000:.2f} cores of Python"
    )
    if args.profile:
        print(profile_text)
    if args.forms:
        _time_forms(args.requests)
    return 0


def _time_forms(rounds: int) -> None:
    from django.forms.renderers import get_default_renderer
    from django.template.loader import render_to_string

    from postmortems import selectors
    from postmortems.filters import IncidentFilter
    from postmortems.forms import EventForm
    from postmortems.models import Incident

    incident = Incident.objects.order_by("pk").first()
    zones = selectors.event_zone_suggestions(incident=incident, user_zone="Europe/Berlin")

    def filter_form() -> str:  # the widgets incident_list.html takes from it
        form = IncidentFilter({}).form
        return "".join(str(form[name]) for name in ("severity", "status", "provider", "service"))

    def event_form() -> str:
        form = EventForm(preferred_zones=zones)
        return render_to_string("postmortems/_form_fields.html", {"form": form})

    print(f"Forms alone, {type(get_default_renderer()).__name__}, {rounds} renders each:")
    for name, render in (("filter form", filter_form), ("event form", event_form)):
        for _ in range(10):
            render()
        cpu = []
        for _ in range(rounds):
            began = time.process_time()
            render()
            cpu.append((time.process_time() - began) * 1000)
        print(f"  {name:<12} {statistics.fmean(cpu):6.2f} ms CPU mean")


if __name__ == "__main__":
    sys.exit(main())
