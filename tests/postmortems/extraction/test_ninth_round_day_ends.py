"""A paragraph that tells an outage on a day and then its end on that same day: the end is
a day-only moment of its own, found on the development part in the ninth round.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import date

import pytest

from postmortems.ingest.extraction import extract_timeline
from tests.postmortems.extraction.test_fifth_round_classes import day_events


@pytest.mark.parametrize(
    "paragraph",
    [
        "The booking site of the ferry line went down on 4 May 2024. Bookings came back "
        "later on 4 May 2024, after the line moved the site to a new server.",
        "Die Buchungsseite der Fährlinie fiel am 4. Mai 2024 aus. Am Abend des 4. Mai 2024 "
        "funktionierte die Seite wieder.",
    ],
)
def test_a_paragraph_keeps_the_end_of_the_outage_it_dated(paragraph: str) -> None:
    text = f"Ferry bookings fail\n\n{paragraph}\n"
    assert day_events(extract_timeline(text)) == [
        (date(2024, 5, 4), "impact"),
        (date(2024, 5, 4), "recovery"),
    ]


def test_a_paragraph_that_tells_a_second_failure_that_day_keeps_one_event() -> None:
    text = (
        "Ferry bookings fail\n\n"
        "The booking site of the ferry line went down on 4 May 2024. The ticket machines at "
        "the port failed on 4 May 2024 as well.\n"
    )
    assert day_events(extract_timeline(text)) == [(date(2024, 5, 4), "impact")]


def test_a_statement_of_the_end_that_day_stays_one_event() -> None:
    text = (
        "Ferry bookings fail\n\n"
        "The booking site of the ferry line went down on 4 May 2024. The company said on "
        "4 May 2024 that bookings had been restored.\n"
    )
    assert len(day_events(extract_timeline(text))) == 1
