"""``manage.py export_kb [--incident SLUG] [-o FILE]``: the knowledge base as JSON."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from postmortems.exchange import kb_dumps, kb_export
from postmortems.models import Incident


class Command(BaseCommand):
    help = "Export the knowledge base, or one incident, as a cascade-kb JSON document."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--incident", metavar="SLUG", help="Export only this incident.")
        parser.add_argument("-o", "--output", metavar="FILE", help="Write here (default: stdout).")

    def handle(self, *args: Any, incident: str | None, output: str | None, **options: Any) -> None:
        try:
            text = kb_dumps(kb_export(incident_slug=incident))
        except Incident.DoesNotExist as error:
            raise CommandError(str(error)) from None
        if output:
            with open(output, "w", encoding="utf-8", newline="\n") as file:
                file.write(text)
            self.stderr.write(f"Wrote {output}")
        else:
            sys.stdout.write(text)
