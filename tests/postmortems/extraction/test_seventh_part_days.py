"""Day-only moments the extractor missed on the seventh part once it joined the development
part: which days a text tells as moments, and with which kind.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import date

from postmortems.ingest.extraction import Extraction, extract_timeline


def day_events(extraction: Extraction) -> list[tuple[date, str]]:
    return [(e.at.date(), e.kind) for e in extraction.events if e.date_only]


# ------------------------------------------------- a date opening a line, with no list mark


def test_a_date_opening_a_line_with_a_colon_dates_the_whole_entry() -> None:
    text = (
        "How the ticket shop outage unfolded\n\n"
        "March 4: A contractor updates the payment plugin. The shop goes offline for most "
        "buyers.\n\n"
        "March 6: Payments work again for every buyer.\n"
    )
    events = day_events(extract_timeline(text, reference_date=date(2024, 3, 8)))
    assert (date(2024, 3, 4), "impact") in events
    assert (date(2024, 3, 6), "recovery") in events


# ----------------------------------------------- "today" told in the write-up's own words


def test_this_morning_in_the_writers_words_is_the_publication_day_shown_as_a_guess() -> None:
    text = (
        "Ferry bookings fail nationwide\n\n"
        "Example News, May 3, 2023\n\n"
        "The booking system of the ferry line crashed this morning, and travellers could not "
        "buy tickets.\n"
    )
    extraction = extract_timeline(text)
    days = [e for e in extraction.events if e.date_only and e.at.date() == date(2023, 5, 3)]
    assert days
    assert all(e.date_basis != "stated" for e in days)


def test_today_in_a_quoted_statement_is_the_speakers_day_not_a_moment() -> None:
    text = (
        "Ferry bookings fail nationwide\n\n"
        "Example News, May 3, 2023\n\n"
        "The ferry line said: \"We regret that today's outage of the booking system hit so "
        'many travellers."\n'
    )
    assert day_events(extract_timeline(text)) == []


# ------------------------------------ a weekday after the date told, in a piece written later


def test_a_weekday_after_the_date_told_is_counted_from_the_publication() -> None:
    # Published Tuesday 9 May; "Sunday" near "May 3" (a Wednesday) is 7 May, not 30 April.
    text = (
        "City restores its websites\n\n"
        "Example News, May 9, 2023\n\n"
        "The city says an inquiry into the ransomware attack of May 3 is going on.\n\n"
        "The city's websites were restored on Sunday, the city's IT chief told the council.\n"
    )
    events = [e for e in extract_timeline(text).events if e.date_only and e.kind == "recovery"]
    assert [e.at.date() for e in events] == [date(2023, 5, 7)]
    assert "publication" in events[0].date_evidence


# ------------------------------------------ the night after the publication day, told ahead


def test_the_night_to_the_day_after_publication_ends_on_that_day() -> None:
    # Published on Wednesday 3 April: the night to Thursday ends on 4 April, not 28 March.
    text = (
        "Messenger wieder erreichbar\n\n"
        "03.04.2024\n\n"
        "Der Messenger war am Mittwochabend gestört.\n\n"
        "Die Störung ist in der Nacht zum Donnerstag nach mehreren Stunden behoben worden.\n"
    )
    events = extract_timeline(text, language="de").events
    assert [e.at.date() for e in events if e.date_only and e.kind == "recovery"] == [
        date(2024, 4, 4)
    ]
