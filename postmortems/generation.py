"""Which state of the knowledge base a derived answer was built from.

Two things are kept between requests and must not outlive a write: the timeline API's
answers (the "timelines" cache, ``timelines.api.views``) and the dashboard's figures
(``DashboardSnapshot``, ``postmortems.dashboard``). Both are tagged with the number of one
row, ``Generation``, and used only while the number is the same; every committed write to a
table either is built from moves that number on. The tables are the union of the two
reads: incidents (drafts included: confirming one is an UPDATE of its row), impacts and
services, which the dashboard counts, plus events and their services, dependencies,
sources and incident links, which a timeline also shows. Events move the dashboard's
number too: one counter is cheaper to keep right than two lists of tables, and a
recomputed dashboard costs what a reader without a snapshot pays.

So nothing needs a list of who writes what: an execute wrapper on every database
connection sees each INSERT, UPDATE, DELETE and TRUNCATE on those tables, whatever code
path sent it (a service, the admin, ``bulk_create``, ``QuerySet.update``, a migration), and
schedules one raise (``services.generation_raise``) for when its transaction commits.
Only SQL sent through Django's cursors is seen: a raw driver connection (``COPY``) is not.

Why after the commit and not inside the transaction: a raise inside it would hold the
row's lock until the commit, so every write of the knowledge base would queue behind
every other (and two could deadlock over it). After the commit the raise is a single
autocommit UPDATE. A reader takes the number *before* it reads anything else, so an
answer built while a write was committing is filed under the number from before that
write's raise and is never served after the raise; the writer's own request returns only
after its raise, so its next read sees its write.

Inside a transaction that has written one of those tables and not yet committed, the
timeline cache is bypassed: the number has not moved yet, but the rows this transaction
sees have.

A coarse key by design: any write invalidates every incident's cached answer and every
stored dashboard. They are rebuilt on their next read (with a broker, a worker recomputes
the dashboard first), which is what reads cost without them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper

# A write statement and the table it writes, as Django's compilers write them.
_WRITE = re.compile(
    r'\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE
)
_TRUNCATE = re.compile(r"\s*TRUNCATE\b", re.IGNORECASE)
_watched: frozenset[str] | None = None
_bumps: dict[str, Callable[[], None]] = {}
_counted: set[str] = set()
logger = logging.getLogger(__name__)


def watched_tables() -> frozenset[str]:
    """Return the tables timelines and the dashboard are built from.

    ``timelines.selectors`` reads all of them; ``postmortems.dashboard`` reads incidents,
    impacts and services.
    """
    global _watched
    if _watched is None:
        from postmortems.ingest.feeds.models import IncidentLink
        from postmortems.models import Dependency, Event, Impact, Incident, Service, Source

        models = (Incident, Event, Event.services.through, Impact, Service, Dependency, Source)
        _watched = frozenset(model._meta.db_table for model in (*models, IncidentLink))
    return _watched


def writes_watched_table(sql: str) -> bool:
    """Return True when a statement writes a table a derived answer is built from."""
    if _TRUNCATE.match(sql):
        return True
    match = _WRITE.match(sql)
    return match is not None and match.group(1) in watched_tables()


def _watch(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict) -> Any:
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and writes_watched_table(sql):
        _schedule_bump(context["connection"])
    return result


def _bump_for(alias: str) -> Callable[[], None]:
    # One callable per database, so a transaction's pending bump can be recognised.
    if alias not in _bumps:
        from postmortems.services import generation_raise

        _bumps[alias] = partial(generation_raise, using=alias)
    return _bumps[alias]


def _schedule_bump(connection: BaseDatabaseWrapper) -> None:
    if not _counting(connection):
        return
    bump = _bump_for(connection.alias)
    if not connection.in_atomic_block:
        # Autocommit: the write is committed already. A bump that fails must not turn
        # a stored write into an error; the answers' expiry bounds what it leaves stale.
        try:
            bump()
        except DatabaseError:
            logger.exception("generation not moved on after a write")
    elif not bump_pending(connection):
        connection.on_commit(bump, robust=True)  # robust: logged, as above


def _counting(connection: BaseDatabaseWrapper) -> bool:
    # Migrations write knowledge-base tables before the generation's own table exists;
    # until it does, nothing can have been cached under a generation either.
    if connection.alias not in _counted:
        from postmortems.models import Generation

        if Generation._meta.db_table not in connection.introspection.table_names():
            return False
        _counted.add(connection.alias)
    return True


def bump_pending(connection: BaseDatabaseWrapper) -> bool:
    """Return True inside a transaction that wrote a watched table and has not committed."""
    if not connection.in_atomic_block:
        return False
    bump = _bump_for(connection.alias)
    # Django keeps (savepoint ids, callable, robust) per callback; a savepoint rolled back
    # takes its callbacks with it, so a later write schedules the bump again.
    return any(entry[1] is bump for entry in connection.run_on_commit)


def install(connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Watch a connection's writes (connected to ``connection_created``; idempotent)."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def current(using: str = "default") -> int | None:
    """Return the generation a reader may cache under, or None when it must not cache.

    Take it before reading anything the cached value is built from.
    """
    connection = connections[using]
    if bump_pending(connection):
        return None
    from postmortems.models import Generation

    return Generation.objects.using(using).filter(pk=1).values_list("value", flat=True).first()
