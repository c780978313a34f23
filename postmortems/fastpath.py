"""Fast paths for reads of ten thousand rows: loading timestamps, and the garbage collector.

Two costs dominate a timeline of ten thousand events once the SQL itself is done, and
neither is the application's own work:

- **Timestamps.** Django loads every ``timestamptz`` through a Python subclass of
  psycopg's loader (to pin the zone), so each value is parsed in Python: on the bench
  incident that was two thirds of the time spent fetching the events. When the
  connection's zone is UTC, psycopg's own C loader returns exactly the same values
  (aware, ``datetime.timezone.utc``); ``fetch_rows`` uses it for one query's cursor.
- **The cyclic garbage collector.** Building the timeline allocates hundreds of
  thousands of small objects that all stay alive until the answer is written; every
  allocation burst triggers collections that walk everything alive and find nothing
  (70-95 ms of a 430 ms request). ``postmortems.collector.gc_paused`` holds the
  collector off while a request builds its answer.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from django.db import connections
from django.db.models import QuerySet


def fetch_rows(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """Return a ``values_list`` queryset's rows, loading timestamps in C on PostgreSQL.

    The same tuples ``list(queryset)`` returns; only for columns Django applies no
    converter to on PostgreSQL (numbers, text, timestamps), which is what the timeline
    reads. Anywhere else (SQLite, another zone, psycopg without its C extension) this is
    ``list(queryset)``.
    """
    connection = connections[queryset.db]
    loader = _c_timestamptz_loader() if connection.vendor == "postgresql" else None
    if loader is None or connection.timezone is not UTC:
        return list(queryset)
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        # The C loader reads the zone from the session, which Django set to UTC; check
        # rather than assume (a pooler could hand over a session in another zone).
        if raw.connection.info.timezone is not UTC:
            return list(queryset)
        raw.adapters.register_loader("timestamptz", loader)
        cursor.execute(sql, params)
        return cursor.fetchall()


def _c_timestamptz_loader() -> type | None:
    try:
        from psycopg import adapters, pq
    except ImportError:
        return None
    if pq.__impl__ == "python":
        return None
    return adapters.get_loader(adapters.types["timestamptz"].oid, pq.Format.TEXT)
