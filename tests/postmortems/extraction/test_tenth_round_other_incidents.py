"""Days of another incident, told for comparison (tenth round): "a separate issue", "not its
first glitch", "a comparable attack", "years ago", "Erst am vergangenen Freitag hatte".

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import date

from postmortems.ingest.extraction import extract_timeline

_DAY = date(2025, 3, 12)


def _days(text: str, language: str | None = None) -> set[date]:
    extraction = extract_timeline(text, reference_date=_DAY, language=language)
    return {event.at.date() for event in extraction.events if event.date_only}


def test_a_separate_issue_on_another_day_is_another_incident() -> None:
    text = (
        "The carrier's dispatch system failed on Wednesday, March 12, grounding its fleet.\n\n"
        "On February 3, it grounded its planes for an hour when the system had a separate "
        "issue.\n"
    )
    assert _days(text) == {date(2025, 3, 12)}


def test_not_the_first_glitch_dates_an_earlier_one() -> None:
    text = (
        "The exchange's trading engine failed on Wednesday, March 12.\n\n"
        "It is not the exchange's first technical glitch this year: on January 9, its price "
        "feed was interrupted for an hour.\n"
    )
    assert _days(text) == {date(2025, 3, 12)}


def test_years_ago_and_a_comparable_attack_are_history() -> None:
    years = (
        "The islands lost their internet link on Wednesday, March 12, after a cable failure.\n\n"
        "Three years ago (on 5 June 2022), a ship's anchor cut the same cable.\n"
    )
    assert _days(years) == {date(2025, 3, 12)}
    comparable = (
        "A ransomware attack hit the hospital on Wednesday, March 12.\n\n"
        "On October 11, 2023, a comparable attack hit a university nearby.\n"
    )
    assert _days(comparable) == {date(2025, 3, 12)}


def test_a_german_earlier_attack_with_two_words_before_hatte_is_history() -> None:
    text = (
        "Am Mittwoch, 12. März, wurde der Vergleichsdienst von Hackern angegriffen.\n\n"
        "Erst am vergangenen Freitag hatte ein grosser Angriff Hunderte Firmen lahmgelegt.\n"
    )
    assert _days(text, "de") == {date(2025, 3, 12)}
