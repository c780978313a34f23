"""CPU the generation's execute wrapper adds to each SQL statement; prints figures, asserts nothing.

    .venv/bin/python bench/generation_hook_bench.py [statements]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/generation_hook_bench.py

``postmortems.generation`` wraps every statement sent through a Django cursor to see the
writes of the tables timelines and the dashboard are built from. This sends the same
statements with the wrapper installed and without it, alternating in rounds, and prints
the CPU time of this process (Django's share; the database's is elsewhere) per statement
for a SELECT and for an UPDATE of a table that is not watched, the difference, and the
cost of the check alone on a long SELECT (one regex match). A watched write also schedules
one raise per transaction: one autocommit UPDATE after the commit, not per statement.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import django

django.setup()

from django.db import connection  # noqa: E402

from postmortems import generation  # noqa: E402

ROUNDS = 7
LONG_SELECT = (
    'SELECT "postmortems_incident"."id", "postmortems_incident"."slug", '
    '"postmortems_incident"."title", "postmortems_incident"."severity" '
    'FROM "postmortems_incident" INNER JOIN "postmortems_impact" ON '
    '("postmortems_incident"."id" = "postmortems_impact"."incident_id") '
    'WHERE ("postmortems_incident"."is_draft" = false AND "postmortems_impact"."service_id" = 7) '
    'ORDER BY "postmortems_incident"."started_at" DESC LIMIT 21'
)


def _cpu_per_statement(sql: str, count: int) -> float:
    with connection.cursor() as cursor:
        started = time.process_time()
        for _ in range(count):
            cursor.execute(sql)
        return (time.process_time() - started) / count


def _measure(sql: str, count: int) -> tuple[float, float]:
    with_hook, without = [], []
    for _ in range(ROUNDS):
        generation.install(connection)
        with_hook.append(_cpu_per_statement(sql, count))
        connection.execute_wrappers.remove(generation._watch)
        without.append(_cpu_per_statement(sql, count))
    generation.install(connection)
    return statistics.median(with_hook), statistics.median(without)


def main(count: int = 5000) -> None:
    print(f"load average before: {os.getloadavg()}")
    print(f"database: {connection.vendor}; {ROUNDS} rounds of {count} statements each way\n")
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_scratch (id integer)")
        cursor.execute("INSERT INTO bench_scratch (id) VALUES (1)")
    for label, sql in [
        ("SELECT 1", "SELECT 1"),
        ("UPDATE of a table not watched", "UPDATE bench_scratch SET id = id"),
    ]:
        with_hook, without = _measure(sql, count)
        print(
            f"{label:32} with {with_hook * 1e6:7.2f} us  without {without * 1e6:7.2f} us"
            f"  added {(with_hook - without) * 1e6:+6.2f} us CPU per statement"
        )
    checks = 200_000
    started = time.process_time()
    for _ in range(checks):
        generation.writes_watched_table(LONG_SELECT)
    check = (time.process_time() - started) / checks
    print(f"\nthe check alone on a {len(LONG_SELECT)}-character SELECT: {check * 1e6:.2f} us")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:]))
