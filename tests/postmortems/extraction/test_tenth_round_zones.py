"""Clock times placed in the wrong zone before the tenth round: a dateline written in
capitals ("[SINGAPORE]", "SINGAPORE:", "SINGAPORE, Oct 14 —"), a zone written as a bare
lower-case adjective ("3:55 p.m. eastern"), a military clock before its zone ("10:30 Hours
EST"), "Philippine Standard Time", a day part before "(Lokalzeit)", and a text whose places
all lie in one country of several clocks without one of them standing out.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from postmortems.ingest.extraction import extract_timeline


def utc(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def timed(text: str) -> list[datetime]:
    return sorted(event.at for event in extract_timeline(text).events if not event.date_only)


# ------------------------------------------------------------- a dateline in capitals

CAPITAL_DATELINES = [
    pytest.param("[SINGAPORE] ", id="bracketed"),
    pytest.param("SINGAPORE: ", id="colon"),
    pytest.param("SINGAPORE, Mar 6 — ", id="date-and-dash"),
    pytest.param("06-03-2024 (SINGAPORE) ", id="date-then-bracketed"),
]


@pytest.mark.parametrize("dateline", CAPITAL_DATELINES)
def test_a_dateline_in_capitals_gives_its_clock_to_bare_times(dateline: str) -> None:
    text = (
        f"{dateline}Card payments at the Example Bank failed from 8.15pm on Wednesday, "
        "March 6, 2024, and were restored at 10.40pm.\n"
    )
    extraction = extract_timeline(text)
    assert timed(text) == [utc("2024-03-06T12:15"), utc("2024-03-06T14:40")]
    assert {event.zone_basis for event in extraction.events if not event.date_only} == {"dateline"}
    # Still a guess from the place, and the reviewer is told so.
    assert "zone_from_dateline" in extraction.warning_codes()


def test_a_word_in_capitals_that_is_no_place_is_no_dateline() -> None:
    text = (
        "UPDATE: Card payments at the Example Bank failed from 8.15pm on Wednesday, "
        "March 6, 2024.\n"
    )
    extraction = extract_timeline(text)
    assert timed(text) == [utc("2024-03-06T20:15")]
    assert "time_without_zone" in extraction.warning_codes()


# ------------------------------------------------------ a zone as a lower-case adjective


def test_a_bare_lower_case_eastern_after_a_time_is_new_york_time() -> None:
    text = (
        "Starting from 2:10 p.m. eastern on Tuesday, March 5, 2024, the store could not "
        "take orders. Everything worked again by 4:45 p.m. eastern.\n"
    )
    extraction = extract_timeline(text)
    assert timed(text) == [utc("2024-03-05T19:10"), utc("2024-03-05T21:45")]
    assert {event.zone_basis for event in extraction.events} == {"stated"}


def test_eastern_before_the_noun_it_qualifies_is_no_zone() -> None:
    text = "On March 5, 2024 at 9am eastern suburbs lost power for an hour.\n"
    assert utc("2024-03-05T14:00") not in timed(text)


def test_a_military_clock_before_its_zone_keeps_the_zone() -> None:
    text = "On May 12, 2024 at around 10:30 Hours EST the cable operator lost its links.\n"
    assert timed(text) == [utc("2024-05-12T15:30")]


def test_philippine_standard_time_is_manila_time() -> None:
    text = (
        "On January 3, 2024, at 9:20 a.m. Philippine Standard Time, the radar centre lost "
        "power. Service came back at 4:00 p.m. Philippine Time.\n"
    )
    assert timed(text) == [utc("2024-01-03T01:20"), utc("2024-01-03T08:00")]


# -------------------------------------------------------- a day part before "(Lokalzeit)"


def test_a_day_part_before_lokalzeit_still_reads_the_place_clock() -> None:
    text = (
        "Flugchaos in Japan\n\nAm 22. März 2016 um 8:20 Uhr morgens (Lokalzeit) fiel das "
        "Buchungssystem der Fluglinie aus.\n"
    )
    extraction = extract_timeline(text, language="de")
    assert [event.at for event in extraction.events if not event.date_only] == [
        utc("2016-03-21T23:20")
    ]
    assert all("Berlin" not in event.source_timezone for event in extraction.events)


# ------------------------------------- places of one country of several clocks, none ahead


def test_places_all_in_one_country_read_the_clock_most_of_its_people_keep() -> None:
    text = (
        "Flights out of Sydney, Brisbane and Melbourne were held on 4 March 2024 after the "
        "control system failed. Brisbane was hit hardest, then Sydney.\n\n"
        "The fault began at 6.10am and flights left again from 8.30am.\n"
    )
    extraction = extract_timeline(text)
    # Sydney's summer clock (UTC+11), not Brisbane's (UTC+10): a guess, warned about.
    assert timed(text) == [utc("2024-03-03T19:10"), utc("2024-03-03T21:30")]
    assert "zone_from_place" in extraction.warning_codes()
    timed_events = [event for event in extraction.events if not event.date_only]
    assert all("the clock most of its people keep" in e.zone_evidence for e in timed_events)


def test_places_in_two_countries_without_one_ahead_give_no_clock() -> None:
    text = (
        "Flights out of Sydney and Auckland were held on 4 March 2024 after the control "
        "system failed. Auckland was hit hardest, then Sydney.\n\n"
        "The fault began at 6.10am.\n"
    )
    assert timed(text) == [utc("2024-03-04T06:10")]


# ------------------------------------------------ a German agency dateline with a dash


def test_a_german_dateline_with_a_dash_gives_its_clock_to_bare_times() -> None:
    text = (
        "Panne an der Börse\n\n"
        "Tokio - Ein Fehler in der Handelssoftware hat den Aktienhandel am Dienstag, dem "
        "5. März 2024, lahmgelegt. Zur Börsenöffnung um 9.00 Uhr stand alles still.\n"
    )
    extraction = extract_timeline(text, language="de")
    assert [event.at for event in extraction.events if not event.date_only] == [
        utc("2024-03-05T00:00")
    ]
    assert "zone_from_dateline" in extraction.warning_codes()


def test_an_english_piece_opened_with_a_place_and_a_dash_keeps_its_story_clock() -> None:
    # Filed from London about Croatia: the dash alone makes no dateline in English.
    text = (
        "London - On Tuesday, March 5, 2024, Croatia's coast lost power. In Croatia the "
        "lights went out at 1 pm.\n"
    )
    assert timed(text) == [utc("2024-03-05T12:00")]


def test_pazifischer_zeit_is_the_us_west_coast_clock() -> None:
    text = "Der Dienst fiel am 28. Februar 2024 um 17.45 Uhr pazifischer Zeit aus.\n"
    extraction = extract_timeline(text, language="de")
    assert [event.at for event in extraction.events if not event.date_only] == [
        utc("2024-02-29T01:45")
    ]


# --------------------------------------- a bare time restated in a zone sets the clock


def test_a_bare_time_restated_in_gmt_carries_its_own_clock_not_gmt() -> None:
    text = (
        "The ride app broke down on 27 November 2023 around 10:30 p.m. local time "
        "(14:30 GMT). By 11:45 p.m. it was taking bookings again.\n"
    )
    extraction = extract_timeline(text)
    assert timed(text) == [utc("2023-11-27T14:30"), utc("2023-11-27T15:45")]
    carried = [event for event in extraction.events if event.zone_basis == "carried"]
    assert carried
    assert "UTC+8:00" in carried[0].zone_evidence


def test_a_bare_time_restated_as_the_same_utc_time_carries_utc() -> None:
    text = (
        "The ride app broke down on 27 November 2023 around 14:30 (14:30 GMT). By 15:45 it "
        "was taking bookings again.\n"
    )
    assert timed(text) == [utc("2023-11-27T14:30"), utc("2023-11-27T15:45")]
