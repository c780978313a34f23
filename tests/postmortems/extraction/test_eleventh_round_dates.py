"""Dates the extractor did not read before the eleventh round.

German writes a day and month in numbers without a year ("am 23.12.", "Gestern (15.10.)")
and may leave out the space after the day's full stop ("21.Oktober 2022"); English writes a
day and month in numbers after "on" ("On Monday, 8/11, ..."). A numbered list item opening
with an English date ("1. September 28, 2023: ...") is that date, not 1 September. Holidays
of a fixed date ("on Christmas Eve", "am Neujahrstag") are days, in the year of the date
told nearest before them. A full month name in lower case is still a month after "on" or
before a year; "Sunday (17.03.24)" is a date in English text too; "Last Friday, the 26th" is
the 26th of the month told.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import date

from postmortems.ingest.extraction import Extraction, extract_timeline
from postmortems.ingest.extraction.dates import find_dates


def day_events(extraction: Extraction) -> set[date]:
    return {e.at.date() for e in extraction.events if e.date_only}


def read(text: str, language: str) -> list[tuple[int, int, int | None]]:
    return [(d.month, d.day, d.year) for d in find_dates(text, language)]


def test_a_german_day_and_month_without_year_after_a_leading_word() -> None:
    text = (
        "Der Angriff auf die Stadtwerke Musterstadt begann am 12. März 2024.\n\n"
        "Am 14.03. stellte der Versorger das Kundenportal wieder her. Seit Freitag (15.03.) "
        "sind auch die Telefone wieder erreichbar."
    )
    found = day_events(extract_timeline(text, language="de"))
    assert date(2024, 3, 14) in found


def test_german_numbers_without_a_leading_word_stay_numbers() -> None:
    assert read("Siehe Abschnitt 3.2. und Tabelle 4.1. im Anhang.", "de") == []
    # English text does not write dates so.
    assert read("Section 3.2. lists the 14.03. changes.", "en") == []


def test_a_german_date_without_space_after_the_day() -> None:
    assert read("Der 21.Oktober 2022 geht in die Geschichte ein.", "de") == [(10, 21, 2022)]


def test_an_english_day_and_month_in_numbers_after_on() -> None:
    text = (
        "Example Freight outage, August 2008\n\n"
        "On Monday, 8/11, our monitors flagged a corruption of the shipping database. "
        "Only on 8/14 did engineers restore the database from a backup."
    )
    found = day_events(extract_timeline(text, reference_date=date(2008, 8, 11)))
    assert date(2008, 8, 14) in found


def test_shares_and_round_the_clock_are_no_dates() -> None:
    assert read("We run support 24/7 and on 3/4 of the servers the patch failed.", "en") == []


def test_a_numbered_list_item_opening_with_an_english_date() -> None:
    assert read("1. September 28, 2023: the vendor detects the intrusion.", "en") == [(9, 28, 2023)]
    # German writes the day with a full stop: "1. September" stays the first.
    assert read("Am 1. September 28 Server neu gestartet.", "de")[0][:2] == (9, 1)


def test_a_holiday_is_the_day_in_the_year_of_the_date_told() -> None:
    text = (
        "The ransomware attack on Example Retail began on December 23, 2019. Staff "
        "discovered the malware on Christmas Eve and shut the till systems down. "
        "Service was restored on New Year's Day."
    )
    extraction = extract_timeline(text)
    found = day_events(extraction)
    assert date(2019, 12, 24) in found
    assert date(2020, 1, 1) in found
    holiday = next(e for e in extraction.events if e.at.date() == date(2019, 12, 24))
    assert holiday.date_basis == "carried"


def test_a_german_holiday() -> None:
    text = (
        "Störung bei Musterpay im Januar 2017\n\n"
        "Am Neujahrstag fielen die Kartenterminals der Musterpay im ganzen Land aus."
    )
    found = day_events(extract_timeline(text, language="de", reference_date=date(2017, 1, 1)))
    assert date(2017, 1, 1) in found


def test_a_holiday_named_as_an_incident_is_no_day() -> None:
    text = (
        "Example Air ground stop lifted after Christmas Eve technical issue\n\n"
        "The airline said on December 26, 2024 that all flights were operating normally."
    )
    found = day_events(extract_timeline(text))
    assert date(2024, 12, 24) not in found


def test_a_month_in_lower_case_after_on_or_before_a_year() -> None:
    assert read("The breach was discovered on august 27, and certificates revoked.", "en") == [
        (8, 27, None)
    ]
    assert read("Example Host (@examplehost), 6 april 2022: our engineers fixed it.", "en") == [
        (4, 6, 2022)
    ]
    # "may" and "march" in lower case are verbs.
    assert read("Users on may 5 servers and on march 3 teams.", "en") == []


def test_a_dotted_date_in_brackets_after_a_weekday_in_english() -> None:
    assert read("The cheat appeared on Sunday (17.03.24), during the final.", "en") == [
        (3, 17, 2024)
    ]


def test_the_day_of_the_month_after_its_weekday() -> None:
    text = (
        "Example Ministry outage, August 2022\n\n"
        "The ministry's portals went dark on August 20, 2022. Last Friday, the 26th, the "
        "minister said on Twitter that most services had been restored."
    )
    found = day_events(extract_timeline(text))
    assert date(2022, 8, 26) in found
