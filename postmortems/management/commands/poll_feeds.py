"""Poll the status feeds that are due, in this process (no broker needed)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from postmortems.ingest.feeds.polling import PollResult, feed_poll, feeds_poll_due


class Command(BaseCommand):
    help = (
        "Poll every feed that is due and ingest what changed; with --once, one round and exit, "
        "otherwise keep polling (what Celery beat does with workers, without Redis)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="One round, then exit.")
        parser.add_argument(
            "--feed", type=int, action="append", help="Poll this feed now, due or not (repeatable)."
        )
        parser.add_argument(
            "--every", type=float, default=30.0, help="Seconds between rounds (default 30)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            if options["feed"]:
                results = [feed_poll(feed_id=feed_id) for feed_id in options["feed"]]
            else:
                results = feeds_poll_due()
            for result in results:
                self.stdout.write(_describe(result))
            if options["once"] or options["feed"]:
                failed = sum(result.outcome == "failed" for result in results)
                self.stdout.write(f"Polled {len(results)} feed(s), {failed} failed.")
                return
            time.sleep(options["every"])


def _describe(result: PollResult) -> str:
    if result.outcome == "fetched":
        line = (
            f"Feed {result.feed_id}: {result.created} new, {result.updated} updated, "
            f"{result.unchanged} unchanged"
        )
        return line + (f" ({result.error})" if result.error else ".")
    if result.outcome == "failed":
        return f"Feed {result.feed_id}: failed: {result.error}"
    return f"Feed {result.feed_id}: {result.outcome.replace('_', ' ')}."
