"""Classes of misses found on the sixth sealed part once it joined the development part:
how news pieces and outlets write the day and the clock of a moment.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

import pytest

from postmortems.ingest.extraction import Extraction, extract_timeline
from tests.postmortems.extraction.test_classes import utc


def timed(extraction: Extraction) -> list[object]:
    return [event.at for event in extraction.events if not event.date_only]


# ------------------------------------------------ "yesterday" under a date line, with a clock


@pytest.mark.parametrize(
    ("sentence", "at"),
    [
        # the relative day after its clock time
        ("The operator said at about 7pm last night that the fault was fixed.", "2024-03-04T19:00"),
        ("The bank posted its first notice at 9.20am UTC yesterday.", "2024-03-04T09:20"),
        # elsewhere in the clock's sentence
        (
            "Checkouts first failed yesterday morning and stayed down until 11am UTC.",
            "2024-03-04T11:00",
        ),
    ],
)
def test_a_day_before_the_date_line_told_with_a_clock_dates_that_clock(
    sentence: str, at: str
) -> None:
    text = f"Card payments restored after long outage\n\n5 March 2024\n\n{sentence}\n"
    assert timed(extract_timeline(text)) == [utc(at)]


def test_today_beside_a_clock_under_a_date_line_is_not_taken_for_the_date_line_s_day() -> None:
    # A quoted "today" is the speaker's day; the weekday the piece names dates the story.
    text = (
        "Mail service restored\n\n"
        "June 7, 2024\n\n"
        "Mail stopped on Thursday for an hour.\n\n"
        '"At 14:05 UTC today, a change broke delivery," the provider said later.\n'
    )
    assert timed(extract_timeline(text)) == [utc("2024-06-06T14:05")]


# ------------------------------------------- a numeric date in the order of the text's dates


def test_english_text_that_writes_its_dates_day_first_writes_numbers_day_first() -> None:
    text = (
        "Logins to the bank's app failed on Monday 6th March. The bank said on Twitter on "
        "Tuesday (7/3/2023) that the service was back.\n"
    )
    days = [event.at.date().isoformat() for event in extract_timeline(text).events]
    assert "2023-03-07" in days
    assert "2023-07-03" not in days


def test_english_text_that_writes_its_dates_month_first_keeps_numbers_month_first() -> None:
    text = "Logins failed on March 6. The bank said on 7/3/2023 that the service was back.\n"
    days = [event.at.date().isoformat() for event in extract_timeline(text).events]
    assert "2023-07-03" in days


# ------------------------------------- a state or city settles a country of several clocks


@pytest.mark.parametrize(
    ("text", "at"),
    [
        (
            "Vote counting in Iowa stalled on 4 February 2020. The app failed at 7 p.m.\n\n"
            "Iowa officials blamed a coding error.\n",
            "2020-02-05T01:00",
        ),
        (
            "The carrier's network failed across the US on 27 December 2018.\n\n"
            "At 5:40 p.m. a spokeswoman in Omaha said engineers were working on it.\n",
            "2018-12-27T23:40",
        ),
        (
            "Trains stopped across Queensland on 3 March 2024. The signals failed at 8.10am.\n",
            "2024-03-02T22:10",
        ),
        # large British cities no zone is named after
        (
            "Broadband customers lost service on 9 May 2023 from about 3am.\n\n"
            "Customers in Manchester, Leeds and Glasgow reported the most trouble; a sister "
            "company in the US was not affected.\n",
            "2023-05-09T02:00",
        ),
    ],
)
def test_a_state_or_city_gives_the_clock_of_its_country_s_part(text: str, at: str) -> None:
    extraction = extract_timeline(text)
    assert timed(extraction) == [utc(at)]
    assert "zone_from_place" in extraction.warning_codes()


def test_an_airline_named_after_a_state_is_no_place() -> None:
    text = "Alaska Airlines grounded its flights on 17 April 2024 at 10:30 a.m.\n"
    extraction = extract_timeline(text)
    assert timed(extraction) == [utc("2024-04-17T10:30")]
    assert "time_without_zone" in extraction.warning_codes()


# ------------------------------------------------------- the outlet's country by its address


def test_an_outlet_s_country_code_domain_gives_a_bare_time_its_clock() -> None:
    text = (
        "Payroll software outage hits councils\n\n"
        "The payroll service failed on 14 June 2022 from 6.15am until late morning.\n\n"
        "Source: https://www.example-news.co.uk/news/payroll-outage\n"
    )
    extraction = extract_timeline(text)
    assert timed(extraction) == [utc("2022-06-14T05:15")]
    assert "zone_from_place" in extraction.warning_codes()


def test_a_domain_sold_as_a_word_names_no_country() -> None:
    text = (
        "The payroll service failed on 14 June 2022 from 6.15am until late morning.\n\n"
        "Source: payroll-status.io\n"
    )
    assert timed(extract_timeline(text)) == [utc("2022-06-14T06:15")]
