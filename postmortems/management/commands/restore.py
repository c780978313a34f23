"""``manage.py restore FILE [--force]``: load a backup into an empty knowledge base, verified."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from postmortems.exchange import ExchangeError, kb_dumps, kb_export, kb_import, kb_loads
from postmortems.management.commands.backup import backup_read
from postmortems.models import Dependency, Event, Incident, Region, Service, Source, Tag

# What makes a knowledge base non-empty. Accounts are not part of a backup and may exist.
KNOWLEDGE_BASE = (Incident, Event, Service, Dependency, Source, Region, Tag)


class _Mismatch(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Restore a backup (from `backup` or export_kb) into an empty knowledge base, in one "
        "transaction, and check that exporting the result gives the backup back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore into a knowledge base that is not empty: the backup's records are "
            "made as the backup says, others are left alone.",
        )

    def handle(self, *args: Any, file: str, force: bool, **options: Any) -> None:
        try:
            text = backup_read(Path(file))
            document = kb_loads(text)
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        except ExchangeError as error:
            raise CommandError(f"{file}: {error}") from None

        try:
            with transaction.atomic():
                present = _records_present()
                if present and not force:
                    raise CommandError(
                        f"The knowledge base is not empty ({present}). Restore into an empty "
                        "database, or pass --force to merge the backup into this one."
                    )
                kb_import(document=document)
                _verify(document, text, merged=bool(present))
        except ExchangeError as error:
            raise CommandError(f"{file}: {error}. Nothing was restored.") from None
        except _Mismatch as error:
            raise CommandError(
                f"The restored knowledge base does not export as the backup ({error}). "
                "Nothing was restored."
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {file}: {len(document['incidents'])} incidents, "
                f"{len(document['services'])} services, {len(document['sources'])} sources; "
                "the export of the restored knowledge base matches the backup."
            )
        )


def _records_present() -> str:
    counts = {model._meta.verbose_name_plural: model.objects.count() for model in KNOWLEDGE_BASE}
    return ", ".join(f"{count} {name}" for name, count in counts.items() if count)


def _verify(document: dict[str, Any], text: str, *, merged: bool) -> None:
    """Raise _Mismatch (rolling the restore back) unless the database exports as the backup."""
    if not merged:
        restored = kb_dumps(kb_export())
        if restored != text:
            raise _Mismatch(_first_difference(text, restored))
        return
    # Merged into other records: each incident of the backup must export as it was.
    for item in document["incidents"]:
        exported = kb_export(incident_slug=item["slug"])["incidents"][0]
        if kb_dumps(exported) != kb_dumps(item):
            raise _Mismatch(f"incident {item['slug']!r} differs")


def _first_difference(expected: str, actual: str) -> str:
    for number, (want, got) in enumerate(
        zip(expected.splitlines(), actual.splitlines(), strict=False), 1
    ):
        if want != got:
            return f"line {number}: backup {want.strip()[:80]!r}, restored {got.strip()[:80]!r}"
    return f"backup has {len(expected.splitlines())} lines, restored {len(actual.splitlines())}"
