"""Weekdays ("in a statement Monday") in texts written days after the incident began.

The caller's reference date is the incident's first day; the text's own date, where it has
one, decides a weekday, and a disagreement between the two is a warning. Each test uses a
short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import date

from postmortems.ingest.extraction import extract_timeline

# A Thursday: the incident's first day, as the importer passes it.
INCIDENT_DAY = date(2024, 5, 16)

STATEMENT = (
    "Ransomware forces a grocery chain to close its tills\n\n"
    "In a statement Monday, the grocery chain said its tills were still closed.\n"
)


def test_a_weekday_without_the_text_s_own_date_is_counted_on_from_the_reference() -> None:
    extraction = extract_timeline(STATEMENT, reference_date=INCIDENT_DAY)
    days = {e.at.date() for e in extraction.events if e.date_only}
    # The Monday after the incident began, not the one three days before it.
    assert date(2024, 5, 20) in days
    assert date(2024, 5, 13) not in days


def test_the_day_before_the_reference_is_still_its_weekday() -> None:
    text = "Ferry bookings fail\n\nThe booking site went down on Wednesday.\n"
    (event,) = extract_timeline(text, reference_date=INCIDENT_DAY).events
    assert event.at.date() == date(2024, 5, 15)


def test_the_text_s_own_date_decides_a_weekday_and_a_disagreement_is_warned() -> None:
    # Published a fortnight on: "Monday" is the Monday before publication, whatever the
    # reference date would make of it, and the reader is told the two disagree.
    text = "Grocery tills back\n\nPublished June 4, 2024\n\n" + STATEMENT.split("\n\n")[1]
    extraction = extract_timeline(text, reference_date=INCIDENT_DAY)
    assert date(2024, 6, 3) in {e.at.date() for e in extraction.events if e.date_only}
    (warning,) = [w for w in extraction.warnings if w.code == "weekday_reference_conflict"]
    assert "2024-06-03" in warning.message
    assert "2024-05-20" in warning.message


def test_a_text_date_that_agrees_with_the_reference_gives_no_warning() -> None:
    text = "Grocery tills back\n\nPublished May 21, 2024\n\n" + STATEMENT.split("\n\n")[1]
    extraction = extract_timeline(text, reference_date=INCIDENT_DAY)
    assert date(2024, 5, 20) in {e.at.date() for e in extraction.events if e.date_only}
    assert "weekday_reference_conflict" not in extraction.warning_codes()


def test_the_weekday_of_a_statement_about_an_earlier_date_is_on_or_after_it() -> None:
    # May 16 is a Thursday: the Monday the chain spoke is May 20, not May 13.
    text = (
        "Ransomware forces a grocery chain to close its tills\n\n"
        "In a statement Monday, the grocery chain said the attack began on May 16.\n"
    )
    extraction = extract_timeline(text, reference_date=date(2024, 5, 23))
    days = {e.at.date() for e in extraction.events if e.date_only}
    assert date(2024, 5, 20) in days
    assert date(2024, 5, 13) not in days
