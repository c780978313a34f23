"""Which state of the knowledge base a cached timeline answer was built from.

The timeline API keeps its JSON in the "timelines" cache tagged with the number of one
row, ``TimelineGeneration``, and serves it only while the number is the same; every
committed write to a table a timeline reads (incidents, events and their services,
impacts, services, dependencies, sources, incident links) moves that number on. So the cache needs no list of who writes what: an execute wrapper
on every database connection sees each INSERT, UPDATE, DELETE and TRUNCATE on those
tables, whatever code path sent it (a service, the admin, ``bulk_create``,
``QuerySet.update``), and schedules one bump for when its transaction commits.

Why after the commit and not inside the transaction: a bump inside it would hold the
row's lock until the commit, so every write of the knowledge base would queue behind
every other (and two could deadlock over it). After the commit the bump is a single
autocommit UPDATE. A reader takes the number *before* it reads anything else, so an
answer built while a write was committing is filed under the number from before that
write's bump and is never served after the bump; the writer's own request returns only
after its bump, so its next read sees its write.

Inside a transaction that has written one of those tables and not yet committed, the
cache is bypassed: the number has not moved yet, but the rows this transaction sees have.

A coarse key by design: any write invalidates every incident's cached answer. Answers
are rebuilt on the next read of each incident, which is what reads cost without a cache.
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
    """Return the tables a timeline is built from (see ``timelines.selectors``)."""
    global _watched
    if _watched is None:
        from postmortems.ingest.feeds.models import IncidentLink
        from postmortems.models import Dependency, Event, Impact, Incident, Service, Source

        models = (Incident, Event, Event.services.through, Impact, Service, Dependency, Source)
        _watched = frozenset(model._meta.db_table for model in (*models, IncidentLink))
    return _watched


def writes_watched_table(sql: str) -> bool:
    """Return True when a statement writes a table a timeline is built from."""
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
        from timelines.services import timeline_generation_bump

        _bumps[alias] = partial(timeline_generation_bump, using=alias)
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
            logger.exception("timeline generation not moved on after a write")
    elif not bump_pending(connection):
        connection.on_commit(bump, robust=True)  # robust: logged, as above


def _counting(connection: BaseDatabaseWrapper) -> bool:
    # Migrations write knowledge-base tables before the generation's own table exists;
    # until it does, nothing can have been cached under a generation either.
    if connection.alias not in _counted:
        from timelines.models import TimelineGeneration

        if TimelineGeneration._meta.db_table not in connection.introspection.table_names():
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
    from timelines.models import TimelineGeneration

    return (
        TimelineGeneration.objects.using(using).filter(pk=1).values_list("value", flat=True).first()
    )
