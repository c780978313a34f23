"""Turn an outage write-up into proposed timeline events: a pipeline of small pure steps.

1. `text.prepare_text`: blank markup and URLs (keeping offsets), cut sentences.
2. `context.read_context`: the document's frame: its dates (years resolved), declared
   zones and their scope, publication date, title and URL hints.
3. `mentions.find_mentions`: clock times, ranges and relative phrases.
4. `placement.place_moments`: each time on a date and in a zone, with the evidence.
5. `events.build_events`: moments become events; `kinds` and `products` give their kind
   and services.
6. `checks`: warnings over the whole result.

Every step takes and returns frozen values. Nothing is invented: a time that cannot be
tied to a date becomes a warning, not an event, and a guess always comes with a warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from postmortems.collector import gc_paused

from .checks import check_incidents, check_order, check_sources, check_zones
from .context import DocumentMetadata, read_context
from .events import EventSettings, build_events
from .language import detect_language
from .mentions import find_mentions
from .model import CatalogueEntry, Extraction
from .placement import place_moments
from .products import ServiceMatcher, document_providers
from .text import prepare_text
from .zones import UTC, ZoneSpec, spec_from_label

_LANGUAGE_SAMPLE = 200_000


def _zone_from_name(name: str) -> ZoneSpec:
    spec = spec_from_label(name)
    if spec is not None:
        return spec
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone: {name!r}") from error
    return ZoneSpec(name, None, name)


# The extraction builds large lists (every word of a 2 MB paste, its sentences and
# matches) and no cycles: the collector rests while it runs (`postmortems.collector`).
@gc_paused()
def extract_timeline(
    text: str,
    *,
    catalogue: Sequence[CatalogueEntry] = (),
    language: str | None = None,
    default_timezone: str | None = None,
    reference_date: date | None = None,
    title: str = "",
    published_at: date | datetime | None = None,
    url: str = "",
) -> Extraction:
    """Return the events and warnings a reviewer should see for an outage write-up.

    `language` ("de"/"en") skips detection. `default_timezone` (IANA name or an
    abbreviation such as "PT") applies to times with no zone when the text declares none.
    `reference_date` dates times in a text that states no date at all.

    Document metadata, when the page or file has it: `title` (the page title, whose date
    or year frames the text), `published_at` (the publication date from the page's
    metadata; dates "on Tuesday" and yearless dates) and `url` (its year or date helps
    yearless dates). None of them overrides a date the text states.
    """
    if language not in (None, "de", "en"):
        raise ValueError(f"unsupported language: {language!r}")
    default_zone = _zone_from_name(default_timezone) if default_timezone else None
    if isinstance(published_at, datetime):
        published_at = published_at.date()
    prepared = prepare_text(text)
    # A sample decides the language of a long paste as well as the whole would.
    language = language or detect_language(prepared.scan[:_LANGUAGE_SAMPLE])
    metadata = DocumentMetadata(title=title or "", published_at=published_at, url=url or "")
    context = read_context(text, prepared, language, metadata, reference_date)
    mentions = find_mentions(prepared, context, language)
    placement = place_moments(
        text,
        prepared,
        context,
        mentions,
        default_zone=default_zone,
        language=language,
        reference_date=reference_date,
    )
    settings = EventSettings(
        matcher=ServiceMatcher(catalogue),
        language=language,
        providers=document_providers(prepared.scan, prepared.words),
        words=prepared.words,
        reference=reference_date,
    )
    events, kinds = build_events(text, prepared, context, mentions, placement.moments, settings)
    warnings = [
        *context.warnings,
        *placement.warnings,
        *check_zones(text, placement.moments),
        *check_incidents(text, placement.moments, kinds),
        *check_order(text, placement.moments, kinds),
        *check_sources(text, placement.moments, context),
    ]
    warnings.sort(key=lambda w: (w.start if w.start is not None else -1, w.code))
    return Extraction(language=language, events=events, warnings=tuple(warnings))


def extraction_to_json(extraction: Extraction) -> dict[str, object]:
    """Return the dry-run JSON form of an extraction (what the import command prints)."""
    return {
        "language": extraction.language,
        "events": [
            {
                "at": event.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "precision": event.precision,
                "kind": event.kind,
                "services": list(event.services),
                "quote": event.quote,
                "start": event.start,
                "end": event.end,
                "confidence": event.confidence,
                "source_timezone": event.source_timezone,
                "date_basis": event.date_basis,
                "date_evidence": event.date_evidence,
                "zone_basis": event.zone_basis,
                "zone_evidence": event.zone_evidence,
                "new_services": [
                    {"name": service.name, "provider": service.provider}
                    for service in event.new_services
                ],
            }
            for event in extraction.events
        ],
        "warnings": [
            {"code": warning.code, "message": warning.message} for warning in extraction.warnings
        ],
    }
