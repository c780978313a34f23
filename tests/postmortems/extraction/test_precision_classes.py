"""Classes of spurious events found on the development part: times proposed twice, or not
moments of the incident at all.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import date

import pytest

from postmortems.ingest.extraction import extract_timeline
from tests.postmortems.extraction.test_classes import instants, utc

# --------------------------------------------------------------------------- one moment twice


def test_a_range_end_told_again_as_approximate_is_one_recovery() -> None:
    text = (
        "On May 6, 2024 from 08:10 UTC to 08:52 UTC, some users could not upload files.\n\n"
        "By around 08:52 UTC, error rates had dropped and the impact had fully subsided.\n"
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2024-05-06T08:10"), utc("2024-05-06T08:52")]
    assert [e.kind for e in extraction.events] == ["impact", "recovery"]


def test_an_exact_change_beside_a_vague_outage_start_stays_its_own_moment() -> None:
    text = (
        "Between 14:00 UTC (approx) on May 6, 2024 and 16:30 UTC, sign-ins failed.\n\n"
        "Once the new certificate was deployed at 14:00 UTC on 6 May 2024, clients began "
        "to reject the tokens.\n"
    )
    extraction = extract_timeline(text)
    assert instants(extraction).count(utc("2024-05-06T14:00")) == 2


def test_a_span_that_opens_where_the_last_one_closed_adds_only_its_end() -> None:
    text = (
        "Between 09:05 and 09:40 UTC on 3 June 2024, most checkouts failed.\n\n"
        "From 09:40 to 11:15 UTC, a smaller set of shops kept seeing slow pages.\n"
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [
        utc("2024-06-03T09:05"),
        utc("2024-06-03T09:40"),
        utc("2024-06-03T11:15"),
    ]
    assert [e.kind for e in extraction.events] == ["impact", "recovery", "recovery"]


# --------------------------------------------------------------------------- wrong day


def test_a_weekday_after_a_told_date_is_that_week_s_not_the_publication_s() -> None:
    text = (
        "Three weeks ago, on Monday 4th and Tuesday 5th March, our build queue stalled. "
        "Between 16:20 UTC on Monday and 08:05 UTC on Tuesday, most jobs were delayed.\n"
    )
    extraction = extract_timeline(text, reference_date=date(2024, 3, 26))
    assert instants(extraction) == [utc("2024-03-04T16:20"), utc("2024-03-05T08:05")]
    assert "nearest" in extraction.events[0].date_evidence


def test_a_weekday_with_no_told_date_still_counts_back_from_publication() -> None:
    text = "Card payments failed at 9:10 UTC on Monday, the bank said.\n"
    extraction = extract_timeline(text, published_at=date(2024, 3, 27))
    assert instants(extraction) == [utc("2024-03-25T09:10")]


# --------------------------------------------------------------------------- page edits


def test_an_editorial_update_note_is_the_page_s_stamp_not_a_moment() -> None:
    text = (
        "The video service failed at 9:15 a.m. ET on March 4, 2024 and was back by 10:05 "
        "a.m. ET.\n\n"
        "*Update, March 4th 3:30PM ET: Added the company's statement that the fix is live.*\n"
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2024-03-04T14:15"), utc("2024-03-04T15:05")]


def test_an_update_heading_with_vom_stamps_the_entry_below() -> None:
    text = (
        "Am 4. März 2024 fiel der Videodienst gegen 15:10 Uhr aus.\n\n"
        "Nachtrag vom 5. März 2024, 8:40 Uhr\n\n"
        "Nach Angaben des Anbieters war ein fehlerhaftes Update die Ursache.\n"
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2024-03-04T14:10")]


# --------------------------------------------------------------------------- not moments


def test_the_clock_a_count_was_read_at_is_no_moment() -> None:
    text = (
        "The booking system failed at 6:10 a.m. EST on Jan. 9, 2024. One carrier alone "
        "cancelled 240 flights that morning (current as of 9:30 a.m. EST).\n"
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2024-01-09T11:10")]


def test_an_order_s_deadline_is_no_moment() -> None:
    text = (
        "The booking system failed at 6:10 a.m. EST on Jan. 9, 2024. At 7:05 a.m. EST the "
        "regulator ordered carriers to hold all departures until 10 a.m. EST.\n"
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2024-01-09T11:10"), utc("2024-01-09T12:05")]


# --------------------------------------------------------------------------- last night


def test_last_night_s_evening_hours_fall_on_the_day_before_the_date_line() -> None:
    text = (
        "Bezahldienst über Nacht gestört\n\n"
        "12.03.2024\n\n"
        "In der vergangenen Nacht ist der Bezahldienst ausgefallen. Der Ausfall begann gegen "
        "22 Uhr und wurde gegen 3:15 Uhr behoben.\n"
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2024-03-11T21:00"), utc("2024-03-12T02:15")]
    assert [e.kind for e in extraction.events] == ["impact", "recovery"]


@pytest.mark.parametrize("night", ["Seit der vergangenen Nacht", "Während der letzten Nacht"])
def test_last_night_without_in_der_is_the_same_night(night: str) -> None:
    # Every form the relative-day pattern accepts has an offset: "der vergangenen Nacht"
    # without "in" once raised a KeyError on a plain German paste.
    text = (
        "Bezahldienst über Nacht gestört\n\n"
        "12.03.2024\n\n"
        f"{night} ist der Bezahldienst gestört. Der Ausfall begann gegen 22 Uhr und wurde "
        "gegen 3:15 Uhr behoben.\n"
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2024-03-11T21:00"), utc("2024-03-12T02:15")]


def test_a_bracketed_weekday_between_a_date_and_its_time_keeps_that_date() -> None:
    text = (
        "The outage began on March 9, 2024.\n\n"
        "Affected time | From March 9 (Sat) 2:10 am (JST) to March 11 (Mon) 4:00 pm (JST)\n"
    )
    extraction = extract_timeline(text)
    assert utc("2024-03-08T17:10") in instants(extraction)
    assert utc("2024-03-10T17:10") not in instants(extraction)


def test_a_page_date_then_its_stamp_on_one_line_is_the_page_s() -> None:
    text = (
        "Störung bei Kartenzahlungen\n\n"
        "12.03.2024 | Stand 12.03.2024, 9:41 Uhr\n\n"
        "Am Montag fielen die Kartenterminals gegen 18:20 Uhr aus.\n"
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2024-03-11T17:20")]


def test_a_deadline_someone_set_is_no_moment() -> None:
    text = (
        "Card payments failed from 2:40pm to 7:05pm UTC on 4 March 2024. The committee chair "
        "wrote to the firm and wanted answers by 5pm on Friday 15 March.\n"
    )
    extraction = extract_timeline(text)
    assert utc("2024-03-15T17:00") not in instants(extraction)
    assert instants(extraction)[:2] == [utc("2024-03-04T14:40"), utc("2024-03-04T19:05")]
