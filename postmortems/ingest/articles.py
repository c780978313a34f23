"""Article imports: what a submission must be, and how a run reads and extracts its article.

The writes (submit, dispatch, run, review) are in ``postmortems.ingest.services``, the reads
in ``postmortems.ingest.selectors``. Exactly once is held by the database, not by checks:
``SourceImport.dedupe_key`` makes a submission one import, ``Source``'s unique url and
content hash make an article one source, and ``event_unique_per_source_moment`` makes a
proposal one event.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError

from postmortems.ingest.decoding import (
    HTML_SNIFF_RE,
    HTML_SUFFIXES,
    MARKDOWN_SUFFIXES,
    UPLOAD_SUFFIXES,
    decode_body,
)
from postmortems.ingest.extraction import (
    CatalogueEntry,
    Extraction,
    extract_timeline,
)
from postmortems.ingest.fetching import fetch_document
from postmortems.ingest.markup import ArticleText, article_from_content
from postmortems.models import (
    ImportKind,
    Incident,
    Source,
    SourceImport,
    SourceStatus,
)
from postmortems.services import content_hash

LANGUAGES = ("de", "en")
MAX_PASTE_CHARS = 2_000_000
# A dispatch older than this with the import still queued is assumed lost (the broker
# restarted without persistence, a message was purged...). It must outlast the longest
# retry countdown, or the sweep would race the retry it is waiting for.
DISPATCH_STALE_AFTER = timedelta(minutes=10)
UNFINISHED = (SourceStatus.QUEUED, SourceStatus.FETCHING, SourceStatus.EXTRACTING)
FINISHED = (SourceStatus.DONE, SourceStatus.FAILED)


def _what(url: str, payload: str) -> str:
    return f"url:{normalise_url(url)}" if url else f"content:{content_hash(payload)}"


def import_dedupe_key(*, url: str = "", payload: str = "", incident_id: int | None = None) -> str:
    """Return the key that makes one URL or one content, for one incident, one import."""
    target = f"incident:{incident_id}" if incident_id else "incident:new"
    return hashlib.sha256(f"{target}\n{_what(url, payload)}".encode()).hexdigest()


def import_content_key(*, url: str = "", payload: str = "") -> str:
    """Return the key of one URL or one content whatever the incident: its first import wins."""
    return hashlib.sha256(_what(url, payload).encode()).hexdigest()


def normalise_url(url: str) -> str:
    """Return the URL as a source is keyed by: trimmed, without its fragment."""
    return url.strip().split("#", 1)[0]


def validate_submission(
    *, kind: str, url: str, payload: str, filename: str, language_hint: str, timezone_hint: str
) -> None:
    errors: dict[str, str] = {}
    if kind not in ImportKind.values:
        errors["kind"] = f"Unknown kind {kind!r}."
    if kind == ImportKind.URL:
        if not url.strip():
            errors["url"] = "Give the URL of the article."
        elif not url.strip().lower().startswith(("http://", "https://")):
            errors["url"] = "Only http:// and https:// URLs can be imported."
        elif len(url) > 2000:
            errors["url"] = "The URL is longer than 2000 characters."
    elif not payload.strip():
        errors["payload"] = "The article is empty."
    elif len(payload) > MAX_PASTE_CHARS:
        errors["payload"] = f"The article is longer than {MAX_PASTE_CHARS:,} characters."
    if kind == ImportKind.UPLOAD and PurePosixPath(filename.lower()).suffix not in UPLOAD_SUFFIXES:
        errors["filename"] = "Upload an HTML, Markdown or plain-text file (.html, .md, .txt)."
    if language_hint and language_hint not in LANGUAGES:
        errors["language_hint"] = f"Language must be one of {', '.join(LANGUAGES)}."
    if timezone_hint and not is_time_zone(timezone_hint):
        errors["timezone_hint"] = (
            f"{timezone_hint!r} is not a known time zone (use an IANA name such as Europe/Berlin)."
        )
    if errors:
        raise ValidationError(errors)


def is_time_zone(name: str) -> bool:
    """Return True when ``name`` is an IANA time zone this machine knows."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


class ImportFailed(Exception):
    """A permanent failure of an import, with the message the user sees."""


def reference_date(incident: Incident | None) -> date | None:
    if incident is not None and incident.started_at is not None:
        return incident.started_at.astimezone(ZoneInfo("UTC")).date()
    return None


def extract(
    text: str,
    source_import: SourceImport,
    catalogue: Sequence[CatalogueEntry],
    language: str,
    reference: date | None,
    article: ArticleText | None = None,
) -> Extraction:
    """Run the extraction core on an import's text, with what the page or file says about itself."""
    return extract_timeline(
        text,
        catalogue=catalogue,
        language=language,
        default_timezone=source_import.timezone_hint or None,
        reference_date=reference,
        # The headline, publication date and address help the extractor date the text.
        title=article.title if article else "",
        published_at=article.published if article else None,
        url=(article.final_url if article else "") or source_import.url,
    )


def read_article(source_import: SourceImport) -> ArticleText:
    if source_import.kind == ImportKind.URL:
        # A URL imported before (for another incident) is read from the stored copy: the
        # proposals' offsets must point into the text the source keeps.
        known = Source.objects.filter(url=source_import.url).exclude(text="").first()
        if known is not None:
            return ArticleText(
                raw_content=known.raw_content,
                text=known.text,
                title=known.title,
                published=known.published_at.date() if known.published_at else None,
            )
        document = fetch_document(
            source_import.url, allowed_hosts=settings.CASCADE_FETCH_ALLOWED_HOSTS
        )
        raw = decode_body(document.body, document.charset)
        return article_from_content(
            raw, content_type=document.content_type, final_url=document.final_url
        )
    suffix = PurePosixPath(source_import.filename.lower()).suffix
    pasted_html = source_import.kind == ImportKind.TEXT and HTML_SNIFF_RE.match(
        source_import.payload
    )
    if suffix in HTML_SUFFIXES or pasted_html:
        content_type = "text/html"
    elif suffix in MARKDOWN_SUFFIXES:
        content_type = "text/markdown"
    else:
        content_type = "text/plain"
    return article_from_content(source_import.payload, content_type=content_type)
