"""Properties that hold for any text: the extractor never raises and never misquotes."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postmortems.ingest.extraction import CatalogueEntry, extract_timeline, extraction_to_json
from postmortems.ingest.extraction.model import KINDS, PRECISIONS

VOCABULARY = [
    "October 20, 2025", "Oct. 20", "20. Oktober 2025", "7. Dezember 2021", "2025-10-20",
    "20.10.2025", "22/10/2025", "Monday, Oct. 20", "am Montag, 20. Oktober", "Mai", "May 5",
    "11:48 PM PDT", "2:25 a.m. PT", "12:35 Uhr", "09:35 UTC", "14:30 MESZ", "at 3:01 PM",
    "17:45 GMT", "um 8:50 Uhr MEZ", "gegen 10 Uhr", "noon", "23:59", "00:00", "24:00",
    "between", "and", "from", "to", "zwischen", "und", "bis", "–", "-", "on", "am", "um",
    "30 minutes later", "eine Stunde später", "20 Minuten danach", "an hour later",
    "All times PDT", "Alle Zeiten in MEZ", "(alle Zeitangaben in UTC)", "Published",
    "began", "detected", "errors", "mitigated", "recovered", "posted", "wiederhergestellt",
    "stellten", "wieder her", "Ausfall", "Resolved -", "Update -", "DynamoDB-Abhängigkeit",
    "EC2-Instanzen", "Slacking", "https://example.com/october-20-2025", ".", ",", "\n",
    "\n\n", " ", "<p>", "</p>", "&nbsp;", "die", "der", "the", "UTC+14", "UTC-12", "Z",
]  # fmt: skip
CATALOGUE = (
    CatalogueEntry("DynamoDB", ("Amazon DynamoDB", "DDB")),
    CatalogueEntry("EC2", ("Amazon EC2", "EC2-Instanz")),
    CatalogueEntry("Slack"),
    CatalogueEntry("Network Load Balancer", ("NLB", "Load Balancer")),
)

vocabulary_text = st.lists(
    st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=8)), max_size=60
).map(" ".join)
any_text = st.one_of(st.text(max_size=400), vocabulary_text)


def _check_invariants(text: str) -> None:
    extraction = extract_timeline(text, catalogue=CATALOGUE)
    assert extraction.language in {"de", "en"}
    starts = [event.start for event in extraction.events]
    assert starts == sorted(starts)
    for event in extraction.events:
        assert text[event.start : event.end] == event.quote
        assert event.quote.strip()
        assert event.at.utcoffset() == timedelta(0)
        assert event.kind in KINDS
        assert event.precision in PRECISIONS
        assert 0.0 <= event.confidence <= 1.0
    for warning in extraction.warnings:
        assert warning.code
        assert warning.message
        if warning.start is not None and warning.end is not None:
            assert 0 <= warning.start <= warning.end <= len(text)
    extraction_to_json(extraction)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_text)
def test_extractor_never_raises_and_quotes_are_exact_slices(text: str) -> None:
    _check_invariants(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_arbitrary_unicode_including_line_separators_is_handled(text: str) -> None:
    _check_invariants(text)


@settings(max_examples=100, deadline=None)
@given(
    vocabulary_text, st.sampled_from(["de", "en"]), st.sampled_from([None, "PT", "Europe/Berlin"])
)
def test_explicit_language_and_default_zone_never_raise(
    text: str, language: str, default_timezone: str | None
) -> None:
    extraction = extract_timeline(text, language=language, default_timezone=default_timezone)
    assert extraction.language == language
    for event in extraction.events:
        assert text[event.start : event.end] == event.quote
