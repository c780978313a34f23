"""Step 2, mentions: the clock times, ranges and relative phrases a text writes."""

from __future__ import annotations

from datetime import date

from postmortems.ingest.extraction.context import DocumentMetadata, read_context
from postmortems.ingest.extraction.dates import find_times
from postmortems.ingest.extraction.mentions import find_mentions
from postmortems.ingest.extraction.text import prepare_text


def mentions_of(text: str, language: str = "en"):
    prepared = prepare_text(text)
    context = read_context(text, prepared, language, DocumentMetadata(), date(2024, 5, 3))
    return find_mentions(prepared, context, language)


def written(text: str, language: str = "en") -> list[str]:
    return [text[t.mention.start : t.mention.end] for t in mentions_of(text, language).times]


def test_four_digit_times_need_a_zone_or_hrs() -> None:
    assert written("At 1352 UTC it failed; 0935 hrs it recovered.") == ["1352 UTC", "0935 hrs"]
    assert written("In 2021 there were 1352 errors.") == []


def test_four_digit_range_takes_the_zone_of_its_end() -> None:
    times = mentions_of("Between 1352-1420 UTC errors rose.").times
    assert [(t.mention.hour, t.mention.minute, t.role) for t in times] == [
        (13, 52, "start"),
        (14, 20, "end"),
    ]


def test_a_time_restated_in_another_zone_is_one_mention() -> None:
    assert written("At 15:35 UTC (7:35 am PT) it recovered.") == ["15:35 UTC (7:35 am PT"]
    assert written("At 7:35 am (15:35 UTC) it recovered.") == ["7:35 am (15:35 UTC"]
    (ref,) = mentions_of("At 7:35 am PT (15:35 UTC) it recovered.").times
    assert (ref.mention.hour, ref.mention.zone and ref.mention.zone.name) == (15, "UTC")
    assert ref.mention.restated is not None
    assert ref.mention.restated.hour == 7


def test_meridiem_forms() -> None:
    times = find_times("at 8:00 p.m. EDT, at 9:37AM PST, at 3pm and at 3.14pm", "en")
    assert [(t.hour, t.minute) for t in times] == [(20, 0), (9, 37), (15, 0), (15, 14)]


def test_german_forms() -> None:
    times = find_times("gegen 9:35 Uhr MESZ, um 8.15 Uhr und gegen 10 Uhr", "de")
    assert [(t.hour, t.minute, t.precision) for t in times] == [
        (9, 35, "approximate"),
        (8, 15, "minute"),
        (10, 0, "approximate"),
    ]
    assert times[0].zone is not None
    assert times[0].zone.name == "Europe/Berlin"


def test_hedges_before_and_after_a_time_make_it_approximate() -> None:
    times = find_times("around 15:40 UTC and 19:00 UTC (approx) and at 16:00 UTC", "en")
    assert [t.precision for t in times] == ["approximate", "approximate", "minute"]


def test_ranges_pair_with_one_zone() -> None:
    times = mentions_of("On May 3, 17:51–18:23 IST, payments failed.").times
    assert [t.role for t in times] == ["start", "end"]
    assert times[0].partner == 1


def test_lasted_until_makes_a_range() -> None:
    times = mentions_of("The outage began around 10am EST and lasted until 3pm EST.").times
    assert [t.role for t in times] == ["start", "end"]


def test_recurring_windows_are_not_mentions() -> None:
    assert written("Updates run in the 06:00–07:00 UTC window in every region.") == []
    assert written("Backups run daily from 01:00 to 02:00 UTC.") == []


def test_times_inside_dates_and_publication_lines_are_not_mentions() -> None:
    assert written("Published: 2024-05-03 10:00\n\nOn 2024-05-03 the site was down.") == []


def test_relative_phrases_are_found_outside_timed_sentences() -> None:
    mentions = mentions_of("At 10:00 UTC it failed. Thirty minutes later it recovered.")
    assert len(mentions.relatives) == 1
