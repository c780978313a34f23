"""Hand queued imports to the broker again: those never dispatched, stale or stuck mid-way."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from postmortems.ingest.articles import DISPATCH_STALE_AFTER
from postmortems.ingest.services import source_imports_sweep


class Command(BaseCommand):
    help = (
        "Dispatch imports that are queued without a dispatch (the broker was down), whose dispatch is "
        "stale, or that are stuck fetching/extracting beyond the task time limit. Safe to run any time."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--stale-after",
            type=int,
            default=int(DISPATCH_STALE_AFTER.total_seconds()),
            help="Seconds after which a queued import's dispatch counts as lost (default %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dispatched = source_imports_sweep(stale_after=timedelta(seconds=options["stale_after"]))
        self.stdout.write(f"Dispatched {len(dispatched)} import(s).")
