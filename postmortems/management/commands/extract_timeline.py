"""Dry run of an import: print the timeline an article would propose, write nothing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import OperationalError, ProgrammingError

from postmortems.ingest.articles import LANGUAGES, is_time_zone
from postmortems.ingest.decoding import (
    HTML_SUFFIXES,
    MARKDOWN_SUFFIXES,
    MAX_UPLOAD_BYTES,
    decode_body,
    decode_upload,
)
from postmortems.ingest.extraction import CatalogueEntry, extract_timeline, extraction_to_json
from postmortems.ingest.extraction.model import Extraction
from postmortems.ingest.fetching import FetchError, fetch_document
from postmortems.ingest.markup import ArticleText, article_from_content
from postmortems.ingest.selectors import service_catalogue


class Command(BaseCommand):
    help = (
        "Print the events and warnings an import of PATH_OR_URL would propose, without writing anything. "
        "Services are recognised from the catalogue in the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path_or_url", help="A file (.html, .md, .txt) or an http(s) URL.")
        parser.add_argument(
            "--lang", choices=LANGUAGES, help="The article's language (detected if not given)."
        )
        parser.add_argument(
            "--timezone", help="IANA zone for times the article states without one."
        )
        parser.add_argument(
            "--reference-date", help="YYYY-MM-DD: the date of times the article gives no date for."
        )
        parser.add_argument("--format", choices=["json", "table"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        timezone_name = options["timezone"]
        if timezone_name and not is_time_zone(timezone_name):
            raise CommandError(
                f"Unknown time zone {timezone_name!r}: use an IANA name such as Europe/Berlin."
            )
        reference = _parse_date(options["reference_date"])
        article = _read(options["path_or_url"])
        if not article.text.strip():
            raise CommandError("No article text could be extracted from this content.")
        extraction = extract_timeline(
            article.text,
            catalogue=_catalogue(),
            language=options["lang"],
            default_timezone=timezone_name or None,
            reference_date=reference,
            # What the page or file says about itself, as an import passes it.
            title=article.title,
            published_at=article.published,
            url=article.final_url,
        )
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(extraction_to_json(extraction), ensure_ascii=False, indent=2)
            )
        else:
            self.stdout.write(_table(extraction))


def _catalogue() -> list[CatalogueEntry]:
    """Return the service catalogue; an empty one is fine, a database without tables is not."""
    try:
        return service_catalogue()
    except (OperationalError, ProgrammingError) as error:
        # SQLite says "no such table", PostgreSQL "relation … does not exist": either way
        # the schema is missing, which a traceback would not tell a newcomer.
        raise CommandError(
            "The database has no tables yet, so the service catalogue cannot be read. "
            "Run `python manage.py migrate` first, then run this command again. "
            f"(Database error: {error})"
        ) from None


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--reference-date must be a date as YYYY-MM-DD, not {value!r}."
        ) from None


def _read(path_or_url: str) -> ArticleText:
    if path_or_url.lower().startswith(("http://", "https://")):
        try:
            document = fetch_document(
                path_or_url, allowed_hosts=settings.CASCADE_FETCH_ALLOWED_HOSTS
            )
        except FetchError as error:
            raise CommandError(error.message) from None
        raw = decode_body(document.body, document.charset)
        return article_from_content(
            raw, content_type=document.content_type, final_url=document.final_url
        )
    path = Path(path_or_url)
    if not path.is_file():
        raise CommandError(f"No such file: {path_or_url}")
    try:
        size = path.stat().st_size
        if size > MAX_UPLOAD_BYTES:
            raise CommandError(
                f"{path_or_url} is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."
            )
        raw = decode_upload(path.read_bytes())
    except OSError as error:
        raise CommandError(f"Cannot read {path_or_url}: {error.strerror or error}") from None
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        content_type = "text/html"
    elif suffix in MARKDOWN_SUFFIXES:
        content_type = "text/markdown"
    else:
        content_type = "text/plain"
    return article_from_content(raw, content_type=content_type)


def _table(extraction: Extraction) -> str:
    lines = [f"Language: {extraction.language}", ""]
    header = (
        f"{'at (UTC)':<20}  {'precision':<11}  {'kind':<13}  {'conf':>4}  {'services':<24}  quote"
    )
    lines += [header, "-" * len(header)]
    for event in extraction_to_json(extraction)["events"]:
        quote = " ".join(event["quote"].split())
        quote = quote if len(quote) <= 70 else quote[:69] + "…"
        services = ", ".join(event["services"])
        lines.append(
            f"{event['at']:<20}  {event['precision']:<11}  {event['kind']:<13}  "
            f"{event['confidence']:>4.2f}  {services:<24}  {quote}"
        )
        lines.append(f"{'':<22}{event['date_evidence']}; {event['zone_evidence']}")
        if event["new_services"]:
            proposed = ", ".join(
                f"{service['name']} ({service['provider']})" for service in event["new_services"]
            )
            lines.append(f"{'':<22}new services: {proposed}")
    if not extraction.events:
        lines.append("(no events)")
    lines += ["", f"Warnings ({len(extraction.warnings)}):"]
    lines += [f"  [{warning.code}] {warning.message}" for warning in extraction.warnings]
    return "\n".join(lines)
