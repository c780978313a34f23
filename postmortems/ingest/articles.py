"""The article import pipeline: submit, dispatch, run, review.

Writes are services (``source_import_submit``, ``source_import_run``, ``proposal_accept``...),
reads are selectors (``source_import_list``, ``review_groups``...). The Celery task in
``postmortems.tasks`` only claims an import and calls ``source_import_run``.

Exactly once is held by the database, not by checks: ``SourceImport.dedupe_key`` makes a
submission one import, ``Source``'s unique url and content hash make an article one
source, and ``event_unique_per_source_moment`` makes a proposal one event. The run does
all its reading and extracting first and writes in one transaction at the end, under a
lock on the import row, so a run killed half-way leaves nothing behind and a second run
of a finished import writes nothing.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify

from postmortems.ingest.extraction import (
    CatalogueEntry,
    Extraction,
    detect_language,
    extract_timeline,
)
from postmortems.ingest.fetching import FetchError, fetch_document
from postmortems.models import (
    Event,
    EventKind,
    ImportKind,
    Incident,
    Precision,
    ReviewState,
    Service,
    Source,
    SourceImport,
    SourceStatus,
)
from postmortems.services import content_hash

logger = logging.getLogger(__name__)

LANGUAGES = ("de", "en")
MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # the same cap the fetcher puts on a download
MAX_PASTE_CHARS = 2_000_000
# A dispatch older than this with the import still queued is assumed lost (the broker
# restarted without persistence, a message was purged...). It must outlast the longest
# retry countdown, or the sweep would race the retry it is waiting for.
DISPATCH_STALE_AFTER = timedelta(minutes=10)
UNFINISHED = (SourceStatus.QUEUED, SourceStatus.FETCHING, SourceStatus.EXTRACTING)
FINISHED = (SourceStatus.DONE, SourceStatus.FAILED)
TITLE_LENGTH = 120

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
TEXT_SUFFIXES = frozenset({".txt", ".text", ""})
UPLOAD_SUFFIXES = HTML_SUFFIXES | MARKDOWN_SUFFIXES | TEXT_SUFFIXES

_HTML_SNIFF_RE = re.compile(
    r"^\s*(?:<!doctype\s+html|<html\b|<head\b|<body\b|<article\b)", re.IGNORECASE
)


# --- submission -----------------------------------------------------------------------


def import_dedupe_key(*, url: str = "", payload: str = "", incident_id: int | None = None) -> str:
    """Return the key that makes one URL or one content, for one incident, one import."""
    what = f"url:{normalise_url(url)}" if url else f"content:{content_hash(payload)}"
    target = f"incident:{incident_id}" if incident_id else "incident:new"
    return hashlib.sha256(f"{target}\n{what}".encode()).hexdigest()


def normalise_url(url: str) -> str:
    """Return the URL as a source is keyed by: trimmed, without its fragment."""
    return url.strip().split("#", 1)[0]


def decode_upload(data: bytes) -> str:
    """Return uploaded bytes as text: BOM first, then UTF-8, then Windows-1252 with replacements."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _clean(data.decode(encoding, errors="replace"))
    try:
        return _clean(data.decode("utf-8"))
    except UnicodeDecodeError:
        return _clean(data.decode("cp1252", errors="replace"))


def read_upload(upload: UploadedFile) -> tuple[str, str]:
    """Return an uploaded article's file name and text; refuse wrong types and oversized files."""
    filename = PurePosixPath((upload.name or "upload.txt").replace("\\", "/")).name[:255]
    if PurePosixPath(filename.lower()).suffix not in UPLOAD_SUFFIXES:
        raise ValidationError(
            {"file": "Upload an HTML, Markdown or plain-text file (.html, .md, .txt)."}
        )
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {"file": f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."}
        )
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {"file": f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."}
        )
    if b"\x00" in data[:8192] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ValidationError({"file": "This looks like a binary file, not an article."})
    return filename, decode_upload(data)


def _clean(text: str) -> str:
    # PostgreSQL text columns refuse NUL; nothing in an article needs one.
    return text.replace("\x00", "").lstrip("\ufeff")


def _validate_submission(
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


@transaction.atomic
def source_import_submit(
    *,
    kind: str,
    url: str = "",
    payload: str = "",
    filename: str = "",
    incident: Incident | None = None,
    language_hint: str = "",
    timezone_hint: str = "",
    user: AbstractBaseUser | None = None,
) -> tuple[SourceImport, bool]:
    """Store an import and hand it to the broker after commit; return it and whether it is new.

    Without an incident a draft incident is created for the import. Submitting the same
    URL or content for the same incident again returns the existing import (a failed one
    is queued again). Never fails because the broker is down: see ``source_import_dispatch``.
    """
    url = normalise_url(url) if kind == ImportKind.URL else ""
    payload = _clean(payload) if kind != ImportKind.URL else ""
    _validate_submission(
        kind=kind,
        url=url,
        payload=payload,
        filename=filename,
        language_hint=language_hint,
        timezone_hint=timezone_hint,
    )
    dedupe_key = import_dedupe_key(
        url=url, payload=payload, incident_id=incident.pk if incident else None
    )

    existing = SourceImport.objects.filter(dedupe_key=dedupe_key).first()
    if existing is None:
        try:
            # A savepoint: losing the race to a simultaneous submission must not poison
            # the caller's transaction, and must not leave our draft incident behind.
            with transaction.atomic():
                source_import = SourceImport.objects.create(
                    kind=kind,
                    url=url,
                    filename=filename[:255],
                    payload=payload,
                    dedupe_key=dedupe_key,
                    incident=incident
                    or _draft_incident_create(url=url, filename=filename, payload=payload),
                    language_hint=language_hint,
                    timezone_hint=timezone_hint,
                    created_by=user,
                )
        except IntegrityError:
            existing = SourceImport.objects.get(dedupe_key=dedupe_key)
        else:
            _dispatch_after_commit(source_import.pk)
            return source_import, True

    # Sending a failed import again is how a user retries it.
    requeued = SourceImport.objects.filter(pk=existing.pk, status=SourceStatus.FAILED).update(
        status=SourceStatus.QUEUED,
        progress=0,
        error="",
        attempts=0,
        dispatched_at=None,
        finished_at=None,
    )
    if requeued:
        _dispatch_after_commit(existing.pk)
        existing.refresh_from_db()
    return existing, False


def _draft_incident_create(*, url: str, filename: str, payload: str) -> Incident:
    label = url or filename or _first_line(payload) or "pasted text"
    title = f"Draft: {label}"[:200]
    slug = f"draft-{slugify(label)[:60].strip('-') or 'import'}-{secrets.token_hex(4)}"
    return Incident.objects.create(
        slug=slug, title=title, summary="Created by an article import; review and rename."
    )


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:100]
    return ""


def _dispatch_after_commit(import_id: int) -> None:
    transaction.on_commit(lambda: source_import_dispatch(import_id=import_id))


def source_import_dispatch(*, import_id: int) -> bool:
    """Hand an import to the broker; return False, logged, when the broker is unreachable.

    Not atomic on purpose: it runs after the submission committed, and a broker outage
    must leave the import queued with ``dispatched_at`` empty for the sweep to find.
    """
    from kombu.exceptions import KombuError

    from postmortems.tasks import import_run_task

    # Marked before sending: an eager or very fast worker may finish the import before
    # apply_async returns, and the sweep must not see a dispatched import as undispatched.
    dispatched_at = timezone.now()
    SourceImport.objects.filter(pk=import_id, status=SourceStatus.QUEUED).update(
        dispatched_at=dispatched_at
    )
    try:
        import_run_task.apply_async(
            args=[import_id],
            # Give up quickly: a web request waits on this, and the sweep will try again.
            retry=True,
            retry_policy={
                "max_retries": 1,
                "interval_start": 0,
                "interval_step": 0.5,
                "interval_max": 0.5,
            },
        )
    except (KombuError, OSError) as error:
        logger.warning("Import %s stays queued: the broker is unreachable (%s)", import_id, error)
        SourceImport.objects.filter(pk=import_id, dispatched_at=dispatched_at).update(
            dispatched_at=None
        )
        return False
    return True


def source_imports_sweep(
    *, now: datetime | None = None, stale_after: timedelta = DISPATCH_STALE_AFTER
) -> list[int]:
    """Dispatch again every import whose dispatch is missing or stale; return their ids.

    That is: queued and never handed to the broker, queued and handed over long ago, or
    fetching/extracting for longer than a task may run (its worker died and the broker
    did not hand the message on).
    """
    now = now or timezone.now()
    stuck_before = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 30)
    candidates = source_import_sweep_candidates(
        now=now, stale_after=stale_after, stuck_before=stuck_before
    )
    dispatched = []
    for import_id in candidates:
        # Stuck mid-way: put it back in the queue, unless it moved on since we looked.
        SourceImport.objects.filter(
            pk=import_id,
            status__in=[SourceStatus.FETCHING, SourceStatus.EXTRACTING],
            updated_at__lt=stuck_before,
        ).update(status=SourceStatus.QUEUED, dispatched_at=None, updated_at=now)
        if source_import_dispatch(import_id=import_id):
            dispatched.append(import_id)
    return dispatched


# --- selectors ------------------------------------------------------------------------


def source_import_sweep_candidates(
    *, now: datetime, stale_after: timedelta, stuck_before: datetime
) -> list[int]:
    """Return ids of imports the sweep must dispatch again, oldest first."""
    return list(
        SourceImport.objects.filter(
            Q(status=SourceStatus.QUEUED, dispatched_at__isnull=True)
            | Q(status=SourceStatus.QUEUED, dispatched_at__lt=now - stale_after)
            | Q(
                status__in=[SourceStatus.FETCHING, SourceStatus.EXTRACTING],
                updated_at__lt=stuck_before,
            )
        )
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )


def source_import_list() -> QuerySet[SourceImport]:
    """Return imports for the list page and API, newest first, with incident and source."""
    return SourceImport.objects.select_related("incident", "source", "created_by").order_by(
        "-created_at", "-id"
    )


def source_import_detail(pk: int) -> SourceImport:
    """Return one import with its incident and source, or 404."""
    return get_object_or_404(source_import_list(), pk=pk)


def service_catalogue() -> list[CatalogueEntry]:
    """Return every service as the extractor's catalogue; services sharing a name share aliases."""
    aliases: dict[str, list[str]] = {}
    for name, service_aliases in Service.objects.order_by("name", "id").values_list(
        "name", "aliases"
    ):
        entry = aliases.setdefault(name, [])
        entry.extend(
            alias
            for alias in service_aliases or []
            if isinstance(alias, str) and alias not in entry
        )
    return [CatalogueEntry(name=name, aliases=tuple(values)) for name, values in aliases.items()]


# --- the run --------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleText:
    """What an import reads: the raw content kept for the record and its main text."""

    raw_content: str
    text: str
    title: str = ""
    final_url: str = ""


def source_import_claim(*, import_id: int) -> bool:
    """Mark an unfinished import as being fetched; return False if it is finished or gone.

    Deliberately not exclusive: a message the broker redelivers after its worker died
    must be able to take over. Two runs at once are harmless, because only the first to
    reach the final transaction writes (see ``_store_result``).
    """
    return bool(
        SourceImport.objects.filter(pk=import_id, status__in=UNFINISHED).update(
            status=SourceStatus.FETCHING,
            progress=10,
            attempts=F("attempts") + 1,
            updated_at=timezone.now(),
        )
    )


def source_import_run(*, import_id: int) -> SourceImport:
    """Fetch, extract and store one import's article and proposed events.

    Every failure is recorded on the import (status failed, a sentence in ``error``) and
    nothing else is written, except transient fetch errors: those are raised for the
    caller (the Celery task) to retry, and recorded by it when it gives up.
    """
    source_import = SourceImport.objects.select_related("incident").get(pk=import_id)
    if source_import.status in FINISHED:
        return source_import
    try:
        article = _read_article(source_import)
        _progress(import_id, SourceStatus.EXTRACTING, 50)
        if not article.text.strip():
            raise ImportFailed("No article text could be extracted from this content.")
        language = source_import.language_hint or detect_language(article.text)
        catalogue = service_catalogue()
        reference = _reference_date(source_import.incident)
        extraction = _extract(article.text, source_import, catalogue, language, reference)
        _progress(import_id, SourceStatus.EXTRACTING, 80)
        return _store_result(
            import_id=import_id,
            article=article,
            extraction=extraction,
            catalogue=catalogue,
            reference=reference,
        )
    except FetchError as error:
        if error.transient:
            raise
        return source_import_fail(import_id=import_id, error=error.message)
    except ImportFailed as error:
        return source_import_fail(import_id=import_id, error=str(error))
    except SoftTimeLimitExceeded:
        return source_import_fail(
            import_id=import_id,
            error=f"The import took longer than {settings.CELERY_TASK_SOFT_TIME_LIMIT} s and was stopped.",
        )
    except Exception as error:
        # A bug must not leave the import spinning forever; it is logged with its traceback.
        logger.exception("Import %s failed unexpectedly", import_id)
        return source_import_fail(
            import_id=import_id, error=f"Import failed unexpectedly: {error!r}"
        )


class ImportFailed(Exception):
    """A permanent failure of an import, with the message the user sees."""


def _progress(import_id: int, status: str, progress: int) -> None:
    SourceImport.objects.filter(pk=import_id, status__in=UNFINISHED).update(
        status=status, progress=progress, updated_at=timezone.now()
    )


@transaction.atomic
def source_import_fail(*, import_id: int, error: str) -> SourceImport:
    """Record that an import failed, unless another run finished it meanwhile."""
    SourceImport.objects.filter(pk=import_id, status__in=UNFINISHED).update(
        status=SourceStatus.FAILED,
        error=error[:5000],
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    return SourceImport.objects.get(pk=import_id)


@transaction.atomic
def source_import_retry_scheduled(*, import_id: int, error: str, countdown: int) -> None:
    """Record a transient failure and that the task will try again after ``countdown`` seconds."""
    SourceImport.objects.filter(pk=import_id, status__in=UNFINISHED).update(
        status=SourceStatus.QUEUED,
        progress=0,
        error=f"{error} Trying again in {countdown} s.",
        dispatched_at=timezone.now(),
        updated_at=timezone.now(),
    )


def _reference_date(incident: Incident | None) -> date | None:
    if incident is not None and incident.started_at is not None:
        return incident.started_at.astimezone(ZoneInfo("UTC")).date()
    return None


def _extract(
    text: str,
    source_import: SourceImport,
    catalogue: Sequence[CatalogueEntry],
    language: str,
    reference: date | None,
) -> Extraction:
    return extract_timeline(
        text,
        catalogue=catalogue,
        language=language,
        default_timezone=source_import.timezone_hint or None,
        reference_date=reference,
    )


def _read_article(source_import: SourceImport) -> ArticleText:
    if source_import.kind == ImportKind.URL:
        # A URL imported before (for another incident) is read from the stored copy: the
        # proposals' offsets must point into the text the source keeps.
        known = Source.objects.filter(url=source_import.url).exclude(text="").first()
        if known is not None:
            return ArticleText(raw_content=known.raw_content, text=known.text, title=known.title)
        document = fetch_document(
            source_import.url, allowed_hosts=settings.CASCADE_FETCH_ALLOWED_HOSTS
        )
        raw = decode_body(document.body, document.charset)
        return article_from_content(
            raw, content_type=document.content_type, final_url=document.final_url
        )
    suffix = PurePosixPath(source_import.filename.lower()).suffix
    pasted_html = source_import.kind == ImportKind.TEXT and _HTML_SNIFF_RE.match(
        source_import.payload
    )
    if suffix in HTML_SUFFIXES or pasted_html:
        content_type = "text/html"
    elif suffix in MARKDOWN_SUFFIXES:
        content_type = "text/markdown"
    else:
        content_type = "text/plain"
    return article_from_content(source_import.payload, content_type=content_type)


def decode_body(body: bytes, charset: str | None) -> str:
    """Return a downloaded body as text: its declared charset if known, else as an upload is decoded."""
    if charset:
        try:
            return _clean(body.decode(charset, errors="replace"))
        except LookupError:
            pass  # an unknown charset name: fall back to sniffing
    return decode_upload(body)


def article_from_content(raw: str, *, content_type: str, final_url: str = "") -> ArticleText:
    """Return the main text of a document: trafilatura for HTML, Markdown stripped, text as is."""
    if content_type in ("text/html", "application/xhtml+xml"):
        import trafilatura

        document = trafilatura.bare_extraction(
            raw,
            url=final_url or None,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
        )
        text = document.text if document is not None and document.text else ""
        title = (document.title or "") if document is not None else ""
        if not text.strip():
            # Pages too small for the boilerplate heuristics: keep every visible word.
            text = trafilatura.html2txt(raw) or ""
        return ArticleText(
            raw_content=raw, text=_clean(text).strip(), title=title[:300], final_url=final_url
        )
    if content_type in ("text/markdown", "text/x-markdown"):
        return ArticleText(
            raw_content=raw,
            text=markdown_to_text(raw),
            title=_markdown_title(raw),
            final_url=final_url,
        )
    return ArticleText(
        raw_content=raw, text=_clean(raw).strip(), title=_first_line(raw)[:300], final_url=final_url
    )


_MD_FENCE_RE = re.compile(r"^[ \t]*(```|~~~).*$", re.MULTILINE)
_MD_HEADING_RE = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", re.MULTILINE)
_MD_SETEXT_RE = re.compile(r"^[ \t]{0,3}(=+|-{3,})[ \t]*$", re.MULTILINE)
_MD_IMAGE_RE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK_RE = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_REF_LINK_RE = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_MD_REF_DEF_RE = re.compile(r"^[ \t]{0,3}\[[^\]]+\]:[ \t]+\S+.*$", re.MULTILINE)
_MD_BOLD_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_ITALIC_RE = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_MD_CODE_RE = re.compile(r"`([^`]*)`")
_MD_QUOTE_RE = re.compile(r"^[ \t]{0,3}>[ \t]?", re.MULTILINE)
_MD_BULLET_RE = re.compile(r"^([ \t]*)[*+][ \t]+", re.MULTILINE)
_MD_HTML_TAG_RE = re.compile(r"</?[a-zA-Z][^>\n]*>")
_BLANK_LINES_RE = re.compile(r"\n{3,}")


def markdown_to_text(markdown: str) -> str:
    """Return Markdown as plain text: markup removed, words, lines and paragraphs kept."""
    text = _clean(markdown).replace("\r\n", "\n")
    text = _MD_FENCE_RE.sub("", text)
    text = _MD_HEADING_RE.sub(r"\1", text)
    text = _MD_SETEXT_RE.sub("", text)
    text = _MD_REF_DEF_RE.sub("", text)
    text = _MD_IMAGE_RE.sub(r"\1", text)
    text = _MD_LINK_RE.sub(r"\1", text)
    text = _MD_REF_LINK_RE.sub(r"\1", text)
    text = _MD_BOLD_RE.sub(r"\2", text)
    text = _MD_ITALIC_RE.sub(r"\2", text)
    text = _MD_CODE_RE.sub(r"\1", text)
    text = _MD_QUOTE_RE.sub("", text)
    text = _MD_BULLET_RE.sub(r"\1- ", text)
    text = _MD_HTML_TAG_RE.sub("", text)
    return _BLANK_LINES_RE.sub("\n\n", text).strip()


def _markdown_title(markdown: str) -> str:
    match = _MD_HEADING_RE.search(markdown)
    return (match.group(1) if match else _first_line(markdown))[:300]


def _event_title(quote: str) -> str:
    """Return a short title from a quote: its first words, cut at a word boundary."""
    words = " ".join(quote.split())
    if len(words) <= TITLE_LENGTH:
        return words.rstrip(".")
    cut = words[:TITLE_LENGTH].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


@transaction.atomic
def _store_result(
    *,
    import_id: int,
    article: ArticleText,
    extraction: Extraction,
    catalogue: Sequence[CatalogueEntry],
    reference: date | None,
) -> SourceImport:
    # The lock serialises two runs of one import (a redelivered message racing the
    # original): the second waits here, then sees the import done and writes nothing.
    source_import = (
        SourceImport.objects.select_for_update(of=("self",))
        .select_related("incident")
        .get(pk=import_id)
    )
    if source_import.status in FINISHED:
        return source_import
    source = _source_get_or_create(source_import, article, extraction.language)
    if source.text != article.text:
        # Another run stored this article first, from a slightly different copy: the
        # offsets must point into the text that was kept.
        extraction = _extract(source.text, source_import, catalogue, source.language, reference)
    incident = source_import.incident
    proposed = 0
    if incident is not None:
        source.incidents.add(incident)
        proposed = _proposals_create(incident=incident, source=source, extraction=extraction)
    source_import.source = source
    source_import.status = SourceStatus.DONE
    source_import.progress = 100
    source_import.error = ""
    source_import.warnings = [
        {
            "code": warning.code,
            "message": warning.message,
            "start": warning.start,
            "end": warning.end,
        }
        for warning in extraction.warnings
    ]
    source_import.events_proposed = proposed
    source_import.finished_at = timezone.now()
    source_import.save()
    return source_import


def _source_get_or_create(
    source_import: SourceImport, article: ArticleText, language: str
) -> Source:
    digest = content_hash(article.text)
    lookups = [Q(url=source_import.url)] if source_import.url else []
    lookups.append(Q(content_hash=digest))

    def existing() -> Source | None:
        for lookup in lookups:
            found = Source.objects.filter(lookup).first()
            if found is not None:
                return found
        return None

    source = existing()
    if source is not None:
        return source
    try:
        with transaction.atomic():
            return Source.objects.create(
                url=source_import.url,
                title=article.title
                or (source_import.url or source_import.filename or _first_line(article.text))[:300],
                language=language,
                retrieved_at=timezone.now(),
                raw_content=article.raw_content,
                text=article.text,
                content_hash=digest,
                status=SourceStatus.DONE,
            )
    except IntegrityError:
        # A simultaneous import of the same URL or text committed first; theirs is ours.
        source = existing()
        if source is None:
            raise
        return source


def _proposals_create(*, incident: Incident, source: Source, extraction: Extraction) -> int:
    services_by_name: dict[str, list[Service]] = {}
    for service in Service.objects.all():
        services_by_name.setdefault(service.name, []).append(service)
    event_ids = set()
    for proposal in extraction.events:
        kind = proposal.kind if proposal.kind in EventKind.values else EventKind.NOTE
        # get_or_create stands on event_unique_per_source_moment: a proposal that exists
        # (a second import of this source for this incident) is found, not doubled.
        event, created = Event.objects.get_or_create(
            incident=incident,
            source=source,
            quote_start=proposal.start,
            occurred_at=proposal.at,
            kind=kind,
            defaults={
                "precision": proposal.precision
                if proposal.precision in Precision.values
                else Precision.APPROXIMATE,
                "source_timezone": (proposal.source_timezone or "UTC")[:64],
                "title": _event_title(proposal.quote),
                "quote": proposal.quote,
                "quote_end": proposal.end,
                "review_state": ReviewState.PROPOSED,
                "review_note": f"Proposed by the importer (confidence {proposal.confidence:.2f}).",
            },
        )
        if created:
            matched = [
                service
                for name in proposal.services
                for service in _pick_services(services_by_name.get(name, []), incident.provider)
            ]
            event.services.set(matched)
        event_ids.add(event.pk)
    return len(event_ids)


def _pick_services(candidates: list[Service], provider: str) -> list[Service]:
    # Two providers may both have a "Compute" service; the incident's provider wins.
    if len(candidates) > 1 and provider:
        preferred = [
            service for service in candidates if service.provider.lower() == provider.lower()
        ]
        if preferred:
            return preferred
    return candidates


# --- review ---------------------------------------------------------------------------

# Two proposals agree when their times differ by no more than the looser precision's tolerance.
AGREEMENT_TOLERANCE = {
    Precision.MINUTE: timedelta(minutes=2),
    Precision.HOUR: timedelta(hours=1),
    Precision.DAY: timedelta(days=1),
    Precision.APPROXIMATE: timedelta(hours=1),
}
# Proposals this much further apart than they may disagree are different moments (an
# incident has several recoveries), not one moment told differently.
SAME_MOMENT_SLACK = timedelta(hours=1)


@dataclass
class ProposalGroup:
    """Proposals (and accepted events) that describe one moment of an incident."""

    kind: str
    events: list[Event] = field(default_factory=list)

    @property
    def conflict(self) -> bool:
        """Return True when the group's times disagree beyond their precision."""
        return _disagree(self.events)

    @property
    def has_proposals(self) -> bool:
        """Return True while some event of the group still waits for review."""
        return any(event.review_state == ReviewState.PROPOSED for event in self.events)

    @property
    def source_count(self) -> int:
        """Return how many sources the group's events come from."""
        return len({event.source_id for event in self.events})

    @property
    def anchor(self) -> datetime:
        """Return the group's earliest time, for ordering."""
        return min(event.occurred_at for event in self.events)


def _tolerance(event: Event) -> timedelta:
    return AGREEMENT_TOLERANCE.get(event.precision, timedelta(hours=1))


def _service_ids(event: Event) -> set[int]:
    return {service.pk for service in event.services.all()}


def _same_moment(a: Event, b: Event) -> bool:
    if a.kind != b.kind:
        return False
    services_a, services_b = _service_ids(a), _service_ids(b)
    # An event naming no service may be about any of them.
    if services_a and services_b and not services_a & services_b:
        return False
    window = max(_tolerance(a), _tolerance(b)) + SAME_MOMENT_SLACK
    return abs(a.occurred_at - b.occurred_at) <= window


def _disagree(events: Sequence[Event]) -> bool:
    for index, a in enumerate(events):
        for b in events[index + 1 :]:
            if abs(a.occurred_at - b.occurred_at) > max(_tolerance(a), _tolerance(b)):
                return True
    return False


def group_proposals(events: Iterable[Event]) -> list[ProposalGroup]:
    """Group events that describe the same moment: same kind, overlapping services, close in time.

    Single linkage in time order, so a chain of close reports forms one group. Rejected
    events take no part. Pure over its input: services must be prefetched.
    """
    groups: list[ProposalGroup] = []
    ordered = sorted(
        (event for event in events if event.review_state != ReviewState.REJECTED),
        key=lambda event: (event.occurred_at, event.pk),
    )
    for event in ordered:
        home = next(
            (
                group
                for group in groups
                if any(_same_moment(event, other) for other in group.events)
            ),
            None,
        )
        if home is None:
            groups.append(ProposalGroup(kind=event.kind, events=[event]))
        else:
            home.events.append(event)
    return sorted(groups, key=lambda group: group.anchor)


def review_events(incident: Incident) -> QuerySet[Event]:
    """Return an incident's proposed and accepted events, with services and source."""
    return (
        incident.events.exclude(review_state=ReviewState.REJECTED)
        .select_related("source")
        .prefetch_related(Prefetch("services", queryset=Service.objects.order_by("name")))
        .order_by("occurred_at", "id")
    )


def review_groups(incident: Incident) -> list[ProposalGroup]:
    """Return the incident's events grouped by moment, only groups with something to review."""
    return [group for group in group_proposals(review_events(incident)) if group.has_proposals]


def review_sources(incident: Incident) -> QuerySet[Source]:
    """Return the incident's sources that proposed events, for the review page's source text."""
    return (
        incident.sources.filter(events__incident=incident).distinct().order_by("created_at", "id")
    )


@dataclass(frozen=True)
class TextPiece:
    """A run of source text, highlighted when it is a proposal's quote."""

    text: str
    event_id: int | None = None
    review_state: str = ""


def highlighted_pieces(text: str, events: Iterable[Event]) -> list[TextPiece]:
    """Cut a source text into plain runs and quotes (by their offsets), for escaping in a template.

    Overlapping quotes keep the first; offsets that do not match the text are skipped,
    never trusted.
    """
    spans = sorted(
        (event.quote_start, event.quote_end, event)
        for event in events
        if event.quote_start is not None
        and event.quote_end is not None
        and 0 <= event.quote_start < event.quote_end <= len(text)
    )
    pieces: list[TextPiece] = []
    position = 0
    for start, end, event in spans:
        if start < position:
            continue
        if start > position:
            pieces.append(TextPiece(text[position:start]))
        pieces.append(
            TextPiece(text[start:end], event_id=event.pk, review_state=event.review_state)
        )
        position = end
    if position < len(text):
        pieces.append(TextPiece(text[position:]))
    return pieces


def _event_for_review(event_id: int) -> Event:
    return Event.objects.select_for_update().get(pk=event_id)


@transaction.atomic
def proposal_accept(*, event: Event, user: AbstractBaseUser | None) -> Event:
    """Accept a proposed event: it joins the incident's timeline."""
    event = _event_for_review(event.pk)
    event.review_state = ReviewState.ACCEPTED
    event.added_by = user
    event.save(update_fields=["review_state", "added_by"])
    return event


@transaction.atomic
def proposal_reject(*, event: Event, user: AbstractBaseUser | None, note: str = "") -> Event:
    """Reject a proposed (or accepted) event; it stays, rejected, so a re-import does not propose it again."""
    event = _event_for_review(event.pk)
    event.review_state = ReviewState.REJECTED
    if note:
        event.review_note = note
    event.save(update_fields=["review_state", "review_note"])
    return event


@transaction.atomic
def proposal_edit(
    *,
    event: Event,
    user: AbstractBaseUser | None,
    occurred_at: datetime,
    kind: str,
    title: str,
    services: Sequence[Service],
    precision: str | None = None,
) -> Event:
    """Correct a proposal's time, kind, title and services, and accept it."""
    if timezone.is_naive(occurred_at):
        raise ValidationError(
            {"occurred_at": "Give the time with its zone (times are stored in UTC)."}
        )
    if kind not in EventKind.values:
        raise ValidationError({"kind": f"Unknown kind {kind!r}."})
    if not title.strip():
        raise ValidationError({"title": "The title cannot be empty."})
    event = _event_for_review(event.pk)
    event.occurred_at = occurred_at
    event.kind = kind
    event.title = title.strip()[:300]
    if precision:
        event.precision = precision
    event.review_state = ReviewState.ACCEPTED
    event.added_by = user
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:
        raise ValidationError(
            {"occurred_at": "The same sentence already gave an event of this kind at this time."}
        ) from None
    event.services.set(services)
    return event


@transaction.atomic
def proposals_accept_all(
    *, incident: Incident, user: AbstractBaseUser | None, source: Source | None = None
) -> int:
    """Accept every proposal of the incident (of one source, if given) that is not in a conflict.

    Conflicting proposals are left for the reviewer: accepting both sides of a
    disagreement would put the same moment twice on the timeline.
    """
    conflicted = {
        event.pk for group in review_groups(incident) if group.conflict for event in group.events
    }
    proposals = incident.events.filter(review_state=ReviewState.PROPOSED).exclude(pk__in=conflicted)
    if source is not None:
        proposals = proposals.filter(source=source)
    return proposals.update(review_state=ReviewState.ACCEPTED, added_by=user)


@transaction.atomic
def proposal_conflict_resolve(*, keep: Event, user: AbstractBaseUser | None) -> list[Event]:
    """Accept ``keep`` and reject the proposals of its group that disagree with it; return the rejected."""
    keep = proposal_accept(event=keep, user=user)
    group = next(
        (
            group
            for group in group_proposals(review_events(keep.incident))
            if keep.pk in {e.pk for e in group.events}
        ),
        None,
    )
    rejected = []
    for other in group.events if group else []:
        if (
            other.pk != keep.pk
            and other.review_state == ReviewState.PROPOSED
            and _disagree([keep, other])
        ):
            rejected.append(
                proposal_reject(
                    event=other, user=user, note=f"Conflict resolved in favour of event {keep.pk}."
                )
            )
    return rejected


def import_events(source_import: SourceImport) -> QuerySet[Event]:
    """Return the events an import proposed (its source's events for its incident)."""
    if source_import.source_id is None or source_import.incident_id is None:
        return Event.objects.none()
    return Event.objects.filter(
        incident_id=source_import.incident_id, source_id=source_import.source_id
    )


def warnings_for_display(warnings: Any) -> list[dict[str, Any]]:
    """Return stored warnings as a list of dicts with code and message, tolerating odd JSON."""
    return [
        warning for warning in warnings or [] if isinstance(warning, dict) and "message" in warning
    ]
