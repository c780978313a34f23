"""A write-up imported on its own, with no incident day: the text's own dates must frame it.

A page saved as text may open with its date above the headline ("2023-01-26", "Date:
2022-07-18"): its weekdays count back from that date. A weekday told before any date counts
from the next date the story tells. Where a yearless date takes the first year the text
writes, which may date something else, the reviewer is told.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import date

import pytest

from postmortems.ingest.extraction import Extraction, extract_timeline


def days(extraction: Extraction) -> set[date]:
    return {e.at.date() for e in extraction.events if e.date_only}


def codes(extraction: Extraction) -> set[str]:
    return {w.code for w in extraction.warnings}


PAGE_DATES = [
    pytest.param(
        "2023-01-26\n\nExchange blames a manual error\n\nOfficials said Wednesday that the "
        "trading halts on Tuesday were caused by a manual error.",
        {date(2023, 1, 24), date(2023, 1, 25)},
        id="date-alone-above-the-headline",
    ),
    pytest.param(
        "Date: 2022-07-18\n\nGovernment sites go dark\n\nA statement on Monday said a "
        "cyberattack had started on Friday and knocked every public site offline.",
        {date(2022, 7, 15), date(2022, 7, 18)},
        id="date-with-its-label",
    ),
]


@pytest.mark.parametrize(("text", "expected"), PAGE_DATES)
def test_weekdays_count_back_from_the_page_date(text: str, expected: set[date]) -> None:
    extraction = extract_timeline(text)
    assert expected <= days(extraction)


def test_a_dated_sentence_on_the_first_line_is_no_page_date() -> None:
    # The headline tells the story's day in words: it dates nothing by itself being first.
    text = (
        "Outage hit the exchange on 2023-01-24 and again later\n\n"
        "Officials said on Friday that trading had resumed."
    )
    extraction = extract_timeline(text)
    assert date(2023, 1, 27) not in days(extraction)


def test_a_weekday_before_any_date_counts_from_the_next_date_told() -> None:
    text = (
        "Cloud region down\n\nLightning struck a transformer on Sunday evening and a fire "
        "took the data centre offline.\n\nOn 9 August 2011 the provider said most "
        "services were restored."
    )
    assert date(2011, 8, 7) in days(extract_timeline(text))


def test_the_incident_day_still_decides_a_weekday_when_given() -> None:
    text = (
        "2023-01-26\n\nExchange blames a manual error\n\nOfficials said the trading "
        "halts on Tuesday were caused by a manual error."
    )
    # The incident day given with the import frames the text; the page date is a date of it.
    extraction = extract_timeline(text, reference_date=date(2023, 1, 24))
    assert date(2023, 1, 24) in days(extraction)


def test_a_year_taken_from_elsewhere_in_the_text_is_flagged() -> None:
    text = (
        "Subsea cable cut\n\nThe cable entered service in 2016 and was cut on November 18, "
        "the operator said."
    )
    extraction = extract_timeline(text)
    assert date(2016, 11, 18) in days(extraction)
    assert "year_inferred" in codes(extraction)


def test_a_year_from_the_dates_own_context_is_not_flagged() -> None:
    text = "Subsea cable cut\n\nThe cable was cut on November 18, 2024, the operator said."
    assert "year_inferred" not in codes(extract_timeline(text))
