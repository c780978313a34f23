"""The database settings, from a URL; SQLite is set up for a threaded server.

SQLite is the embedded default (``make run``), and runserver and gunicorn serve requests
on several threads, each with its own connection. Out of the box two of them writing at
once fail with ``OperationalError: database is locked``: a transaction that read first and
then writes cannot wait for a writer that began meanwhile (SQLite would deadlock, so it
gives up at once, whatever the timeout). So:

- ``transaction_mode: IMMEDIATE`` (Django 5.1+): every ``atomic()`` block takes the write
  lock when it begins, so writers queue instead of deadlocking;
- ``timeout``: a connection waits up to this many seconds for the lock (the busy timeout)
  instead of failing at once;
- WAL journal: readers read the last committed state while a writer writes, so pages are
  not blocked by a long import; ``synchronous=NORMAL`` is WAL's documented safe pairing.

PostgreSQL: no server-side cursors. Django opens one for every ``QuerySet.iterator()``,
and forms iterate their model choices that way (the incident list's service filter, the
event form's services): DECLARE ... WITH HOLD, FETCH and CLOSE, three round trips and a
result the server materialises, for 30 rows. No code of ours streams a large result
through ``iterator()``; they also break behind a transaction-pooling PgBouncer.
"""

from __future__ import annotations

from typing import Any

import dj_database_url

SQLITE_BUSY_TIMEOUT_SECONDS = 20
SQLITE_INIT = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"


def database_settings(url: str, *, conn_max_age: int = 0) -> dict[str, Any]:
    """Return Django's settings for the database at ``url``."""
    config: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
            "init_command": SQLITE_INIT,
            **config.get("OPTIONS", {}),
        }
    if config["ENGINE"] == "django.db.backends.postgresql":
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
    return config
