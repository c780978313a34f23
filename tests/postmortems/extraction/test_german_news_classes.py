"""Classes of how German news writes its moments: a part of the day the story told ("am
Abend", "gegen Mittag"), found by tallying the German development articles' misses.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import date

import pytest

from postmortems.ingest.extraction import extract_timeline
from tests.postmortems.extraction.test_fifth_round_classes import day_events

# ------------------------------------------------------------ a part of the day told


@pytest.mark.parametrize(
    "part",
    ["Am Abend", "Am frühen Nachmittag", "Noch am späten Vormittag", "Gegen Mittag"],
)
def test_a_part_of_the_day_dates_its_sentence_to_the_day_told(part: str) -> None:
    text = (
        "Stellwerk ausgefallen\n\n"
        "Am 14. Mai 2024 fiel das Stellwerk im Hauptbahnhof von Musterstadt aus.\n\n"
        f"{part} war die Fahrplanauskunft nach Angaben der Bahn wieder erreichbar.\n"
    )
    assert day_events(extract_timeline(text, reference_date=date(2024, 5, 14))) == [
        (date(2024, 5, 14), "impact"),
        (date(2024, 5, 14), "recovery"),
    ]


def test_a_part_of_the_day_follows_the_weekday_told_before_it() -> None:
    text = (
        "Stellwerk ausgefallen\n\n"
        "Musterstadt, 16.05.2024\n\n"
        "Am Dienstag fiel das Stellwerk im Hauptbahnhof von Musterstadt aus.\n\n"
        "Am Abend war die Fahrplanauskunft der Bahn wieder erreichbar.\n"
    )
    assert day_events(extract_timeline(text)) == [
        (date(2024, 5, 14), "impact"),
        (date(2024, 5, 14), "recovery"),
    ]


def test_german_mittag_is_no_clock_time() -> None:
    text = (
        "Stellwerk ausgefallen\n\n"
        "Am 14. Mai 2024 fiel das Stellwerk im Hauptbahnhof von Musterstadt aus.\n\n"
        "Am Mittag war die Fahrplanauskunft der Bahn nicht zu erreichen.\n"
    )
    extraction = extract_timeline(text, reference_date=date(2024, 5, 14))
    assert all(event.date_only for event in extraction.events)


# --------------------------------------------------- a weekday of the week before


def test_last_weeks_weekday_is_counted_back_from_the_day_told() -> None:
    text = (
        "Stellwerk ausgefallen\n\n"
        "Am Dienstag, 14. Mai 2024, fiel das Stellwerk im Hauptbahnhof von Musterstadt aus. "
        "Am vergangenen Donnerstag war die Fahrplanauskunft der Bahn schon einmal ausgefallen.\n"
    )
    days = [day for day, _kind in day_events(extract_timeline(text))]
    assert date(2024, 5, 9) in days
    assert date(2024, 5, 16) not in days


# ------------------------------------------- a relative day with its part of the day


@pytest.mark.parametrize(
    "words",
    ["Am gestrigen Abend", "Im Verlauf des gestrigen Tages"],
)
def test_yesterday_with_a_part_of_the_day_is_the_day_before_the_date_line(words: str) -> None:
    text = (
        "Stellwerk ausgefallen\n\n"
        "Musterstadt, 16.05.2024\n\n"
        f"{words} fiel das Stellwerk im Hauptbahnhof von Musterstadt aus.\n"
    )
    days = {event.at.date() for event in extract_timeline(text).events}
    assert days == {date(2024, 5, 15)}
