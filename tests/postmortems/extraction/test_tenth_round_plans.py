"""Guesses and hopes read as moments (tenth round): "mindestens bis", "rechnet damit",
"geht davon aus", "könnte", "might", "a fix was expected by".

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import date

from postmortems.ingest.extraction import extract_timeline
from tests.postmortems.extraction.test_classes import instants

_DAY = date(2025, 3, 12)


def _days(text: str, language: str | None = None) -> set[date]:
    extraction = extract_timeline(text, reference_date=_DAY, language=language)
    return {event.at.date() for event in extraction.events if event.date_only}


def _hours(text: str, language: str | None = None) -> list[tuple[int, int]]:
    extraction = extract_timeline(text, reference_date=_DAY, language=language)
    return [(moment.hour, moment.minute) for moment in instants(extraction)]


def test_a_german_forecast_of_a_day_is_no_moment() -> None:
    at_least = (
        "Die Stadtverwaltung wurde am Mittwoch, 12. März, von einem Angriff getroffen.\n\n"
        "Die Einschränkungen gelten noch mindestens bis zum 21.03.2025.\n"
    )
    assert date(2025, 3, 21) not in _days(at_least, "de")
    reckons = (
        "Am Mittwoch, 12. März, fiel im Süden der Stadt der Strom aus.\n\n"
        "Der Netzbetreiber rechnet damit, dass erst am Freitag, 14. März, alle Haushalte "
        "wieder versorgt sind.\n"
    )
    assert date(2025, 3, 14) not in _days(reckons, "de")
    assumes = (
        "Am Mittwoch, 12. März, fiel im Süden der Stadt der Strom aus.\n\n"
        "Der Netzbetreiber geht davon aus, dass die Störung am Freitag, 14. März, behoben ist.\n"
    )
    assert date(2025, 3, 14) not in _days(assumes, "de")


def test_a_guessed_clock_time_is_no_moment() -> None:
    german = (
        "Der Handel an der Börse stand am Mittwoch ab 11 Uhr still.\n\n"
        '"Der Handel könnte um 14 Uhr wieder aufgenommen werden", sagte ein Sprecher.\n'
    )
    assert _hours(german, "de") == [(10, 0)]
    expected = (
        "Calendar users could not load their agenda from 10:05 a.m. UTC on Wednesday.\n\n"
        "According to an update, a fix was expected by 1:40 p.m. UTC.\n"
    )
    assert _hours(expected) == [(10, 5)]
    hedge = (
        "Calendar users could not load their agenda from 10:05 a.m. UTC on Wednesday.\n\n"
        "The provider warned that delays might run on until 6 p.m. UTC.\n"
    )
    assert _hours(hedge) == [(10, 5)]


def test_a_reported_statement_in_the_subjunctive_still_dates_its_day() -> None:
    text = (
        "Die Hochschule ist seit Freitag, 7. März, offline.\n\n"
        "Online-Dienste seien nicht erreichbar und E-Mails könnten nicht bearbeitet werden, "
        "hieß es am Montag, 10. März.\n"
    )
    assert date(2025, 3, 10) in _days(text, "de")
