"""Classes of missed moments found on the seventh sealed part once it joined the development
part: clock forms, days and zones the extractor did not read.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

import pytest

from postmortems.ingest.extraction import extract_timeline
from tests.postmortems.extraction.test_classes import utc


def timed(text: str) -> list[object]:
    return [event.at for event in extract_timeline(text).events if not event.date_only]


# ------------------------------------------------------ clocks without colon, "Uhr" or "am"


@pytest.mark.parametrize(
    ("sentence", "at"),
    [
        # a dotted clock with its zone, or after a word of time
        ("Pages failed to load between 14.05 UTC and 15.10 UTC.", ["T14:05", "T15:10"]),
        ("Trading was halted at 9.48 CET on all segments.", ["T08:48"]),
        (
            "The gateway went down at around 14.20 UTC and came back from 16.00.",
            ["T14:20", "T16:00"],
        ),
        # military hours
        ("Members were disconnected at 1418 hours UTC.", ["T14:18"]),
        # an hour with its part of the day
        ("The payment system failed at 7 in the evening UTC.", ["T19:00"]),
        ("Checkouts failed since 7 in the morning UTC.", ["T07:00"]),
    ],
)
def test_a_clock_written_without_colon_or_meridiem_is_read(sentence: str, at: list[str]) -> None:
    text = f"On March 4, 2024 the exchange had an outage. {sentence}\n"
    assert timed(text) == [utc("2024-03-04" + a) for a in at]


@pytest.mark.parametrize(
    "sentence",
    [
        "Shares fell 2.4 percent to $19.51 at the close.",
        "Affected were macOS 10.11 and older.",
        "The cluster was upgraded from Kubernetes 1.23 to 1.24 during the window.",
        "The fix took 1000 hours of testing.",
        "Only 81.84% of customers had power.",
    ],
)
def test_a_price_a_share_or_a_version_is_no_clock(sentence: str) -> None:
    text = f"On March 4, 2024 the exchange had an outage. {sentence}\n"
    assert timed(text) == []


@pytest.mark.parametrize(
    ("sentence", "at"),
    [
        ("Seit 12.15 ist die Störung behoben.", "T11:15"),
        ("Um 8 Uhr abends fiel das Netz aus.", "T19:00"),
        ("Gegen halb vier Uhr fiel das Netz aus.", "T02:30"),
    ],
)
def test_german_clock_forms_are_read_at_their_hour(sentence: str, at: str) -> None:
    text = f"Am 4. März 2024 gab es eine Störung beim Netzbetreiber. {sentence}\n"
    assert timed(text) == [utc("2024-03-04" + at)]


# ------------------------------- a country of several zones with none of its cities named


def test_a_text_about_a_country_of_several_zones_reads_the_clock_most_of_its_people_keep() -> None:
    text = (
        "Millions of Australians could not make calls on March 4, 2024. The telco said the "
        "fault began at 6 p.m. and that Australia's network was back by 10 p.m.\n"
    )
    extraction = extract_timeline(text)
    # Sydney's summer clock (UTC+11); a guess the reviewer is warned about.
    assert timed(text) == [utc("2024-03-04T07:00"), utc("2024-03-04T11:00")]
    assert "zone_from_place" in extraction.warning_codes()
    assert all(event.zone_basis == "place" for event in extraction.events)
    # The quote is what the text wrote; why that clock stands beside it, not inside it.
    readings = [w.message for w in extraction.warnings if w.code == "zone_from_place"]
    readings += [event.zone_evidence for event in extraction.events]
    assert all(
        '"Australian" (Australia/Sydney, the clock most of its people keep)' in reading
        for reading in readings
    )


def test_a_bank_named_like_a_town_is_no_place() -> None:
    text = "On 3 February 2025 customers of Lloyds and Halifax could not log in from 7 am.\n"
    assert all("Halifax" not in event.source_timezone for event in extract_timeline(text).events)


def test_a_german_number_before_the_preposition_am_is_no_glued_clock() -> None:
    # "die 112 am Mittwoch": the emergency number, not 1:12 am.
    text = "Am 29. September 2021 war die 112 am Mittwoch in vielen Orten gestört.\n"
    extraction = extract_timeline(text)
    assert timed(text) == []
    assert [event.at for event in extraction.events] == [utc("2021-09-29T00:00")]


# ------------------------------------------------- a day counted from the day told last


def days(text: str) -> list[tuple[object, str]]:
    return [(event.at, event.kind) for event in extract_timeline(text).events if event.date_only]


@pytest.mark.parametrize(
    ("sentence", "day"),
    [
        ("By the following day the service was fully restored.", "2023-03-30"),
        ("Service was back the next morning.", "2023-03-30"),
        ("Payments worked again later that day.", "2023-03-29"),
    ],
)
def test_the_end_of_an_outage_counted_from_the_day_told_last_is_dated(
    sentence: str, day: str
) -> None:
    text = f"The payment network went down on March 29, 2023.\n\n{sentence}\n"
    found = days(text)
    assert (utc(day + "T00:00"), "recovery") in found
    event = next(e for e in extract_timeline(text).events if e.kind == "recovery")
    assert event.date_basis == "carried"
    assert "March 29, 2023" in event.date_evidence


def test_german_am_folgetag_counts_from_the_day_told_last() -> None:
    text = "Am 29. März 2023 fiel das Netz aus.\n\nAm Folgetag war der Dienst wiederhergestellt.\n"
    assert (utc("2023-03-30T00:00"), "recovery") in days(text)


def test_a_statement_the_next_day_is_not_dated_by_the_count() -> None:
    # What was said "the next day" is as often an aside: the count dates only the end.
    text = (
        "The payment network went down on March 29, 2023.\n\n"
        "The next day, the company said in a statement that it regretted the outage.\n"
    )
    assert all(day != utc("2023-03-30T00:00") for day, _ in days(text))


# --------------------------------------------------- a day of the month, its month carried


def test_a_day_of_the_month_alone_is_read_in_the_month_told_last() -> None:
    text = (
        "The records network failed on November 28, 2023.\n\n"
        "Engineers replaced a switch, and at 1 p.m. UTC on the 29th the network failed again. "
        "As of the morning of the 2nd, the network was fully restored.\n"
    )
    events = extract_timeline(text).events
    assert utc("2023-11-29T13:00") in [event.at for event in events]
    restored = next(event for event in events if event.kind == "recovery")
    assert restored.at == utc("2023-12-02T00:00")
    assert restored.date_basis == "carried"
    assert "November 28, 2023" in restored.date_evidence


def test_an_ordinal_that_is_no_day_of_the_month_stays_a_word() -> None:
    text = (
        "The records network failed on November 28, 2023.\n\n"
        "It was the worst outage of the 20th century, said staff on the 21st floor.\n"
    )
    assert [event.at for event in extract_timeline(text).events] == [utc("2023-11-28T00:00")]


# --------------------------------------------- a night told after the clock in its sentence


def test_an_evening_clock_before_the_night_it_belongs_to_is_that_evening() -> None:
    text = (
        "Am 9. April 2018 wurde der Fehler gemeldet. Ein Stromausfall um kurz vor 22 Uhr "
        "sorgte in der Nacht von Montag auf Dienstag für Störungen.\n\n"
        "Um 6.30 Uhr lief alles wieder.\n"
    )
    assert timed(text) == [utc("2018-04-09T20:00"), utc("2018-04-10T04:30")]


def test_a_clock_on_the_day_before_the_day_told_is_on_that_day() -> None:
    text = (
        "Am 4. Juni 2018 lief der Betrieb am Flughafen wieder an.\n\n"
        "Ab 10 Uhr am Vortag waren weder Starts noch Landungen möglich.\n"
    )
    event = next(e for e in extract_timeline(text).events if not e.date_only)
    assert event.at == utc("2018-06-03T08:00")
    assert "4. Juni 2018" in event.date_evidence


# ------------------------------------------------------------ the zone of the page's stamp


def test_a_zone_written_on_the_byline_is_the_clock_of_the_bare_times_below_it() -> None:
    text = (
        "Mobile network down across the state\n\n"
        "By Jane Citizen, 8 November 2023 10:15am AEDT\n\n"
        "Customers lost mobile service at 4.05am, the company said. "
        "Service was restored by 2pm.\n"
    )
    extraction = extract_timeline(text)
    # The stamp itself is no moment; its zone carries to the times the body leaves bare.
    assert timed(text) == [utc("2023-11-07T17:05"), utc("2023-11-08T03:00")]
    assert {event.zone_basis for event in extraction.events} == {"carried"}
    assert "AEDT" in extraction.events[0].zone_evidence
    assert "time_without_zone" not in extraction.warning_codes()
