"""Step 3, placement: each time on a date and in a zone, with the evidence that decided."""

from __future__ import annotations

from datetime import UTC, date, datetime

from postmortems.ingest.extraction import extract_timeline
from postmortems.ingest.extraction.context import DocumentMetadata, read_context
from postmortems.ingest.extraction.mentions import find_mentions
from postmortems.ingest.extraction.placement import Placement, place_moments
from postmortems.ingest.extraction.text import prepare_text
from postmortems.ingest.extraction.zones import spec_from_label


def place(
    text: str,
    *,
    language: str = "en",
    reference: date | None = None,
    default_zone: str | None = None,
    metadata: DocumentMetadata | None = None,
) -> Placement:
    prepared = prepare_text(text)
    context = read_context(text, prepared, language, metadata or DocumentMetadata(), reference)
    mentions = find_mentions(prepared, context, language)
    zone = spec_from_label(default_zone) if default_zone else None
    return place_moments(
        text,
        prepared,
        context,
        mentions,
        default_zone=zone,
        language=language,
        reference_date=reference,
    )


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_a_date_written_with_the_time_is_stated_and_quoted() -> None:
    (moment,) = place("At 09:35 UTC on Oct 20, 2025 it recovered.").moments
    assert (moment.at, moment.date_basis) == (utc("2025-10-20T09:35"), "stated")
    assert moment.date_evidence == 'date written with the time: "Oct 20, 2025"'
    assert (moment.zone_basis, moment.zone_evidence) == (
        "stated",
        "zone written with the time: UTC",
    )


def test_each_zone_basis_names_its_source() -> None:
    declared = place("All times PDT.\nOn May 3, 2024 at 9:00 it failed.").moments[0]
    default = place("On May 3, 2024 at 9:00 it failed.", default_zone="CET").moments[0]
    german = place("Am 3. Mai 2024 um 9:00 Uhr fiel es aus.", language="de").moments[0]
    fallback = place("On May 3, 2024 at 9:00 it failed.").moments[0]
    assert (declared.zone_basis, declared.zone.name) == ("declared", "America/Los_Angeles")
    assert declared.zone_evidence.startswith("zone from the preamble: PDT")
    assert (default.zone_basis, default.zone.name) == ("default", "Europe/Berlin")
    assert (german.zone_basis, german.zone.name) == ("language", "Europe/Berlin")
    assert (fallback.zone_basis, fallback.zone.name) == ("fallback", "UTC")


def test_midnight_crossing_in_one_zone_moves_to_the_next_day() -> None:
    text = "On May 3, 2024:\n23:49 UTC errors.\n02:24 UTC fix.\n09:38 UTC recovered."
    moments = place(text).moments
    assert [m.at for m in moments] == [
        utc("2024-05-03T23:49"),
        utc("2024-05-04T02:24"),
        utc("2024-05-04T09:38"),
    ]
    assert [m.date_basis for m in moments] == ["carried", "rollover", "carried"]
    assert "past midnight" in moments[1].date_evidence


def test_reference_date_is_used_only_when_the_text_has_no_date() -> None:
    (moment,) = place("At 09:35 UTC it recovered.", reference=date(2025, 10, 20)).moments
    assert (moment.date_basis, moment.at) == ("reference", utc("2025-10-20T09:35"))
    assert "reference date" in moment.date_evidence
    (stated,) = place(
        "On May 3, 2024 at 09:35 UTC it recovered.", reference=date(2025, 10, 20)
    ).moments
    assert stated.at == utc("2024-05-03T09:35")


def test_title_date_frames_times_before_any_date_in_the_text() -> None:
    metadata = DocumentMetadata(title="Outage of 3 May 2024")
    (moment,) = place("At 09:35 UTC it recovered.", metadata=metadata).moments
    assert moment.at == utc("2024-05-03T09:35")
    assert moment.date_evidence == 'date from the title: "3 May 2024"'


def test_a_bare_time_repeating_a_dated_time_takes_its_date() -> None:
    text = (
        "On April 5, 2022, starting at 7:38 UTC, sites went down; all were restored on April 18.\n\n"
        "Timeline\n\n- 07:38 UTC: the script ran.\n- 08:24 UTC: an incident was declared."
    )
    moments = place(text).moments
    assert [m.at for m in moments] == [
        utc("2022-04-05T07:38"),
        utc("2022-04-05T07:38"),
        utc("2022-04-05T08:24"),
    ]
    assert "stated earlier with its date" in moments[1].date_evidence


def test_time_without_any_date_is_a_warning_not_a_moment() -> None:
    placement = place("At 09:35 UTC it recovered.")
    assert placement.moments == ()
    assert [w.code for w in placement.warnings] == ["time_without_date"]


def test_relative_phrase_after_a_range_counts_from_its_start() -> None:
    text = "On May 3, 2024 the outage began at 10:00 UTC and lasted until 15:00 UTC. An hour later it worsened."
    moments = place(text).moments
    assert moments[-1].at == utc("2024-05-03T11:00")
    assert moments[-1].date_basis == "relative"


def test_a_zoneless_time_before_the_first_stated_zone_borrows_it() -> None:
    text = "On May 3, 2024 we posted an alert at 3.14pm.\n\nMay 3, 2024, 3:14 PM GMT\n"
    first = place(text).moments[0]
    assert (first.zone.name, first.zone_basis) == ("UTC", "carried")
    assert first.zone_evidence.startswith("zone of the next time that states one")
    assert "time_without_zone" not in extract_timeline(text).warning_codes()


def test_a_day_stated_in_its_own_paragraph_keeps_a_repeated_clock_time() -> None:
    text = (
        "On May 3, 2024 at 09:00 UTC the first deploy failed.\n\n"
        "On May 4, 2024 the team tried again.\n\n"
        "At 09:00 UTC the second deploy succeeded."
    )
    moments = place(text).moments
    assert [m.at for m in moments] == [utc("2024-05-03T09:00"), utc("2024-05-04T09:00")]
