"""``manage.py import_kb FILE``: load a cascade-kb JSON document, all of it or nothing."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from postmortems.exchange import ExchangeError, kb_import, kb_loads


class Command(BaseCommand):
    help = "Import a knowledge-base export (from export_kb or the API). '-' reads stdin."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE")
        parser.add_argument(
            "--merge",
            action="store_true",
            help="Delete nothing: keep what the document's incidents hold beyond it (other "
            "events, impacts, action items) and postmortems that already exist.",
        )

    def handle(self, *args: Any, file: str, merge: bool = False, **options: Any) -> None:
        try:
            if file == "-":
                text = sys.stdin.read()
            else:
                with open(file, "rb") as handle:
                    text = handle.read()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        try:
            report = kb_import(document=kb_loads(text), merge=merge)
        except ExchangeError as error:
            raise CommandError(f"{file}: {error}") from None
        counts = report.as_dict()
        if not report.changed:
            self.stdout.write("Nothing changed: the knowledge base already holds this document.")
            return
        for what, by_kind in counts.items():
            if by_kind:
                listed = ", ".join(f"{count} {kind}" for kind, count in by_kind.items())
                self.stdout.write(f"{what.capitalize()}: {listed}")
