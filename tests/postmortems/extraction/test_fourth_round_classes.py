"""Classes of text found on the 64 articles of the third sealed part, once scored.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import date

import pytest

from postmortems.ingest.extraction import extract_timeline
from tests.postmortems.extraction.test_classes import instants, utc

# --------------------------------------------------------------------------- dateline zone


def test_a_bare_time_under_a_dateline_is_the_clock_of_its_place() -> None:
    text = (
        "SEOUL, Feb. 9 (Yonhap) -- Card payments failed across the country at 7:10 a.m. on "
        "Feb. 8, 2024, the operator said.\n"
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2024-02-07T22:10")]
    event = extraction.events[0]
    assert (event.zone_basis, event.source_timezone) == ("dateline", "Asia/Seoul")
    assert "zone_from_dateline" in extraction.warning_codes()
    assert "time_without_zone" not in extraction.warning_codes()


def test_a_zone_the_text_states_wins_over_the_dateline() -> None:
    text = (
        "SEOUL, Feb. 9 (Yonhap) -- The cloud provider's console failed at 22:10 UTC on "
        "Feb. 7, 2024, and came back at 23:00.\n"
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2024-02-07T22:10"), utc("2024-02-07T23:00")]
    assert "zone_from_dateline" not in extraction.warning_codes()


# --------------------------------------------------------------------------- day after clock


def test_a_weekday_written_after_the_clock_dates_that_time() -> None:
    text = (
        "Published March 8, 2024\n\n"
        "The payment network failed at about 6 a.m. Tuesday and came back at 4:20 p.m. "
        "Wednesday, all times Eastern Time.\n"
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2024-03-05T11:00"), utc("2024-03-06T21:20")]


# --------------------------------------------------------------------------- page stamps


def test_a_stamp_line_with_a_bracketed_clock_is_the_page_s_not_a_moment() -> None:
    text = (
        "Ferry booking site back after outage\n\n"
        "Tuesday, Apr 9th, 2024 (3:45 pm)\n\n"
        "The booking site failed at 07:20 UTC on Monday, April 8, 2024.\n"
    )
    assert instants(extract_timeline(text)) == [utc("2024-04-08T07:20")]


def test_an_author_line_with_on_and_its_stamp_is_not_a_moment() -> None:
    text = (
        "Ferry booking site back after outage\n\n"
        "By Ada Quill on Apr 9, 2024 3:45PM\n\n"
        "The booking site failed at 07:20 UTC on Monday, April 8, 2024.\n"
    )
    assert instants(extract_timeline(text)) == [utc("2024-04-08T07:20")]


# --------------------------------------------------------------------------- zone names


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("6:40 AM eastern time", "2024-03-12T10:40"),
        ("6:40 AM US Eastern time", "2024-03-12T10:40"),
        ("6:40 AM pacific time", "2024-03-12T13:40"),
        ("6:40 AM U.S. Central Time", "2024-03-12T11:40"),
    ],
)
def test_a_us_zone_name_in_lower_case_or_with_us_before_it_is_a_zone(
    written: str, expected: str
) -> None:
    text = f"On March 12, 2024 the checkout page failed at {written}. It was back at 8:15 AM.\n"
    extraction = extract_timeline(text)
    assert instants(extraction)[0] == utc(expected)
    assert "time_without_zone" not in extraction.warning_codes()


# --------------------------------------------------------------------------- forecasts


@pytest.mark.parametrize(
    "forecast",
    [
        "The operator still expected full restoration by Friday, May 10, 2024, at 6:00 PM UTC.",
        "It expects recovery at 18:00 UTC on 10 May 2024.",
    ],
)
def test_a_forecast_recovery_time_is_not_a_moment(forecast: str) -> None:
    text = f"On 10 May 2024 the ticket office failed at 09:15 UTC. {forecast}\n"
    assert instants(extract_timeline(text)) == [utc("2024-05-10T09:15")]


# --------------------------------------------------------------------------- nights


def test_a_night_named_by_its_morning_puts_its_evening_on_the_day_before() -> None:
    text = (
        "In der Nacht auf Sonntag war das Buchungsportal der Fähre nicht erreichbar. Die "
        "meisten Fehlermeldungen kamen gegen 3 Uhr; begonnen hatte die Störung schon gegen "
        "22.40 Uhr (MEZ).\n"
    )
    extraction = extract_timeline(text, published_at=date(2024, 3, 11))
    assert sorted(instants(extraction)) == [utc("2024-03-09T21:40"), utc("2024-03-10T02:00")]
    evening = next(e for e in extraction.events if e.at == utc("2024-03-09T21:40"))
    assert "Nacht auf Sonntag" in evening.date_evidence
