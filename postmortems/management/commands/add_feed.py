"""Add a provider's status feed to poll."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from postmortems.ingest.feeds.models import FeedKind
from postmortems.ingest.feeds.services import feed_create


class Command(BaseCommand):
    help = "Add a status feed: add_feed URL --provider NAME --kind statuspage|atom|rss|gcp"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url", help="The feed's URL (http or https).")
        parser.add_argument(
            "--provider", required=True, help="The provider, as the service catalogue names it."
        )
        parser.add_argument("--kind", required=True, choices=FeedKind.values)
        parser.add_argument(
            "--interval", type=int, default=300, help="Seconds between polls (default 300)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            feed = feed_create(
                url=options["url"],
                provider=options["provider"],
                kind=options["kind"],
                poll_interval=options["interval"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Added feed {feed.pk}: {feed.provider} ({feed.kind}) {feed.url}")
