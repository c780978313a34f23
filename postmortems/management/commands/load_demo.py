from __future__ import annotations

import os
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from postmortems.demo import demo_load


class Command(BaseCommand):
    help = "Load the demo knowledge base (the AWS us-east-1 outages). Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_PASSWORD"),
            help="Password for a new demo account (default: 'demo', only allowed with DEBUG on).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = demo_load(password=options["password"])
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo knowledge base loaded: {summary}."))
