"""Import an article from the command line, into a given incident or a new draft."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser

from postmortems.ingest.articles import LANGUAGES
from postmortems.ingest.decoding import MAX_UPLOAD_BYTES, read_upload
from postmortems.ingest.services import source_import_submit
from postmortems.models import ImportKind, Incident


class Command(BaseCommand):
    help = (
        "Import PATH_OR_URL (an .html, .md or .txt file, or an http(s) URL) the way the web form "
        "does: into --incident SLUG, or into a new draft incident without it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path_or_url")
        parser.add_argument("--incident", help="The slug of the incident to import into.")
        parser.add_argument("--lang", choices=LANGUAGES, default="")
        parser.add_argument("--timezone", default="", help="IANA zone of times without one.")

    def handle(self, *args: Any, **options: Any) -> None:
        incident = None
        if options["incident"]:
            incident = Incident.objects.filter(slug=options["incident"]).first()
            if incident is None:
                raise CommandError(f"No incident has the slug {options['incident']!r}.")
        target = options["path_or_url"]
        try:
            if target.lower().startswith(("http://", "https://")):
                fields: dict[str, Any] = {"kind": ImportKind.URL, "url": target}
            else:
                filename, payload = read_upload(_file(target))
                fields = {"kind": ImportKind.UPLOAD, "filename": filename, "payload": payload}
            source_import, created = source_import_submit(
                **fields,
                incident=incident,
                language_hint=options["lang"],
                timezone_hint=options["timezone"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        source_import.refresh_from_db()
        verb = "Imported" if created else "Already imported as"
        self.stdout.write(
            f"{verb} import {source_import.pk} into “{source_import.incident}” "
            f"({source_import.incident.slug}): {source_import.get_status_display()}, "
            f"{source_import.events_proposed} event(s) proposed."
        )


def _file(path_name: str) -> SimpleUploadedFile:
    path = Path(path_name)
    if not path.is_file():
        raise CommandError(f"No such file: {path_name}")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_UPLOAD_BYTES + 1)
    except OSError as error:
        raise CommandError(f"Cannot read {path_name}: {error.strerror or error}") from None
    return SimpleUploadedFile(path.name, data)
