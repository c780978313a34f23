"""Steps 4-5, events: quotes, kinds, catalogue services and proposed new services."""

from __future__ import annotations

from datetime import UTC, datetime

from postmortems.ingest.extraction import CatalogueEntry, extract_timeline
from postmortems.ingest.extraction.kinds import choose_kind, find_cues
from postmortems.ingest.extraction.products import (
    ServiceMatcher,
    document_providers,
    propose_services,
)
from postmortems.ingest.extraction.scanning import WordIndex


def proposals(
    sentence: str, catalogue: tuple[CatalogueEntry, ...] = (), language: str = "en"
) -> list[tuple[str, str]]:
    words = WordIndex(sentence)
    matcher = ServiceMatcher(catalogue)
    found = propose_services(
        sentence,
        0,
        len(sentence),
        matcher=matcher,
        known=matcher.services_in(sentence, 0, len(sentence), words),
        language=language,
        words=words,
        providers=document_providers(sentence, words),
    )
    return [(p.name, p.provider) for p in found]


def test_vocabulary_products_are_proposed_with_their_provider() -> None:
    assert proposals("Cloud Run and BigQuery timed out.") == [
        ("Cloud Run", "Google Cloud"),
        ("BigQuery", "Google Cloud"),
    ]


def test_a_product_the_catalogue_knows_is_not_proposed() -> None:
    assert (
        proposals("Amazon DynamoDB failed.", (CatalogueEntry("DynamoDB", ("Amazon DynamoDB",)),))
        == []
    )


def test_ambiguous_product_names_need_their_provider_in_the_document() -> None:
    assert proposals("Actions were taken to stop the bleeding.") == []
    assert proposals("GitHub Actions jobs were queued.") == [("GitHub Actions", "GitHub")]


def test_german_text_proposes_only_known_products() -> None:
    assert proposals("Bei AWS Lambda Und Den Kunden Gab Es Fehler.", language="de") == [
        ("Lambda", "AWS")
    ]


def test_region_codes_are_not_product_names() -> None:
    assert proposals("AWS US-EAST-1 was impaired.") == []


def test_the_nearest_strong_cue_decides_the_kind() -> None:
    sentence = "errors began at 10:00 and were resolved at 11:00"
    cues = find_cues(sentence, 0, len(sentence), WordIndex(sentence))
    first = sentence.index("10:00")
    second = sentence.index("11:00")
    assert choose_kind(cues, first, first + 5, [(second, second + 5)])[0] == "impact"
    assert choose_kind(cues, second, second + 5, [(first, first + 5)])[0] == "recovery"


def test_dated_status_heading_gives_a_date_only_event_for_the_entry_below() -> None:
    text = "**Update: April 18, 2022**\n\nAll affected customers have been restored."
    (event,) = extract_timeline(text).events
    assert (event.at, event.precision, event.kind) == (
        datetime(2022, 4, 18, tzinfo=UTC),
        "day",
        "recovery",
    )
    assert "heading" in event.date_evidence


def test_a_plan_is_not_an_event() -> None:
    assert extract_timeline("We expect all sites to be restored by April 19, 2022.").events == ()


def test_every_event_carries_readable_evidence() -> None:
    text = "All times UTC.\nOn May 3, 2024 at 10:00 the API failed. At 10:30 it recovered."
    for event in extract_timeline(text).events:
        assert event.date_basis
        assert event.date_evidence
        assert event.zone_basis == "declared"
        assert event.zone_evidence


def test_a_commitment_in_the_next_steps_is_not_an_event() -> None:
    text = "By March 31, 2024 we will have rolled out the new deployment safeguards."
    assert extract_timeline(text).events == ()


def test_a_recovery_told_only_by_its_day_follows_the_times_of_that_day() -> None:
    text = (
        "The ferry operator confirmed at 09:40 UTC on June 3, 2024 that its booking site had "
        "gone down. On Monday, June 3, the booking site was restored."
    )
    found = [(e.at, e.precision, e.kind) for e in extract_timeline(text).events]
    assert (datetime(2024, 6, 3, tzinfo=UTC), "day", "recovery") in found
    # A start told by its day alone repeats what the times of that day already say.
    text = (
        "The ferry operator's booking site went down at 09:40 UTC on June 3, 2024. "
        "On Monday, June 3, the booking site failed for every customer."
    )
    assert all(not e.date_only for e in extract_timeline(text).events)


def test_a_day_written_by_a_verb_of_speech_dates_the_statement() -> None:
    text = "Die Bank teilte am Sonntag mit, Kartenzahlungen seien für Tausende Kunden gestört."
    (event,) = extract_timeline(text, published_at=datetime(2024, 3, 4, tzinfo=UTC)).events
    assert (event.at, event.precision, event.kind) == (
        datetime(2024, 3, 3, tzinfo=UTC),
        "day",
        "communication",
    )
    # What was said is the moment when it is the recovery itself.
    text = "The bank said on March 3, 2024 that it had restored card payments for all customers."
    (event,) = extract_timeline(text).events
    assert event.kind == "recovery"


def test_work_on_the_fix_said_to_go_on_is_the_statement_of_its_day() -> None:
    published = datetime(2024, 3, 4, tzinfo=UTC)
    text = "On Sunday, the bank said it was working to restore card payments."
    (event,) = extract_timeline(text, published_at=published).events
    assert (event.at, event.precision, event.kind) == (
        datetime(2024, 3, 3, tzinfo=UTC),
        "day",
        "communication",
    )
    # A fix said to be in place that day stays the fix.
    text = "On Sunday, the bank said it had rolled back the faulty update."
    (event,) = extract_timeline(text, published_at=published).events
    assert event.kind == "mitigation"


def test_a_fix_told_only_by_its_day_follows_the_times_of_that_day() -> None:
    text = (
        "The ferry operator's booking site went down at 09:40 UTC on June 3, 2024. "
        "On June 3 the operator rolled back the faulty update."
    )
    found = [(e.at, e.precision, e.kind) for e in extract_timeline(text).events]
    assert (datetime(2024, 6, 3, tzinfo=UTC), "day", "mitigation") in found
