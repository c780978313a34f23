"""Timed moments placed on the wrong day or missed in the eleventh round.

A date alone under a headline says when the piece was written. Bare times told after it
happened on the incident's day when the import names one a little before that date: news
of an evening outage is printed the next morning. The text wins whenever it states the day
again ("on Wednesday"), and an update's own stamp stays on the page's day. The move is a
guess, so it carries a `date_inferred` warning.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from postmortems.ingest.extraction import Extraction, extract_timeline


def instants(extraction: Extraction) -> set[datetime]:
    return {e.at.astimezone(UTC) for e in extraction.events if not e.date_only}


DATELINE_TEXT = (
    "Card payments fail across the country\n\n"
    "March 9, 2022\n\n"
    "Shoppers could not pay with their cards at many stores. The payment network had "
    "an outage starting at 6:10 pm UTC, and payments went through again from 7:25 pm UTC.\n"
)


def test_bare_times_under_a_date_line_go_on_the_incident_day() -> None:
    extraction = extract_timeline(DATELINE_TEXT, reference_date=date(2022, 3, 8))
    found = instants(extraction)
    assert datetime(2022, 3, 8, 18, 10, tzinfo=UTC) in found
    assert datetime(2022, 3, 8, 19, 25, tzinfo=UTC) in found
    assert "date_inferred" in {w.code for w in extraction.warnings}


def test_the_date_line_stays_when_no_incident_day_is_given() -> None:
    found = instants(extract_timeline(DATELINE_TEXT))
    assert datetime(2022, 3, 9, 18, 10, tzinfo=UTC) in found


def test_the_date_line_stays_when_the_incident_day_is_not_just_before_it() -> None:
    found = instants(extract_timeline(DATELINE_TEXT, reference_date=date(2022, 3, 9)))
    assert datetime(2022, 3, 9, 18, 10, tzinfo=UTC) in found


def test_a_day_the_text_states_again_wins_over_the_incident_day() -> None:
    text = (
        "Card payments fail across the country\n\n"
        "March 9, 2022\n\n"
        "The payment network went down early on Wednesday. Payments failed from 6:10 am UTC "
        "until 7:25 am UTC.\n"
    )
    found = instants(extract_timeline(text, reference_date=date(2022, 3, 8)))
    assert datetime(2022, 3, 9, 6, 10, tzinfo=UTC) in found


def test_an_update_stamp_stays_on_the_day_of_the_date_line() -> None:
    text = (
        "Code host loses a day of data\n\n"
        "March 9, 2022\n\n"
        "**Update 4:40pm UTC: the site is back online**\n\n"
        "Yesterday the code host lost a database; engineers restored it from a backup.\n"
    )
    found = instants(extract_timeline(text, reference_date=date(2022, 3, 8)))
    assert datetime(2022, 3, 9, 16, 40, tzinfo=UTC) in found


# "at 17h30", "by 8h31", "around 11h": the clock as French and Portuguese write it.


def test_an_hour_and_minute_joined_by_h_is_a_clock_after_a_word_of_time() -> None:
    text = (
        "On 3 May 2023 the regional grid failed at 9h12 UTC, and supply was back by 10h40 UTC "
        "across the region."
    )
    found = instants(extract_timeline(text))
    assert datetime(2023, 5, 3, 9, 12, tzinfo=UTC) in found
    assert datetime(2023, 5, 3, 10, 40, tzinfo=UTC) in found


def test_an_hour_alone_with_h_is_a_clock_after_a_word_of_time() -> None:
    text = "On 3 May 2023 customers could not pay from around 14h UTC until the evening."
    found = instants(extract_timeline(text))
    assert datetime(2023, 5, 3, 14, 0, tzinfo=UTC) in found


def test_brasilia_time_is_brazils_main_clock() -> None:
    text = "On 3 May 2023 the network failed at 8h15 (Brasília time) in several states."
    found = instants(extract_timeline(text))
    assert datetime(2023, 5, 3, 11, 15, tzinfo=UTC) in found


def test_durations_and_page_stamps_written_with_h_are_no_clocks() -> None:
    text = (
        "On 3 May 2023 the payment outage lasted 2h30 in total; a 12h backlog followed, and "
        "the first report came 1h after the start.\n"
        "Mis à jour le 4 mai 2023 à 08h15"
    )
    assert instants(extract_timeline(text)) == set()


def test_a_posted_line_above_the_story_is_a_page_date_too() -> None:
    text = (
        "Ferry bookings down across the islands\n\n"
        "Posted 2022/03/09\n\n"
        "The booking system of the ferry line failed at 6:10 pm UTC and came back at "
        "7:25 pm UTC, its operator said.\n"
    )
    extraction = extract_timeline(text, reference_date=date(2022, 3, 8))
    assert datetime(2022, 3, 8, 18, 10, tzinfo=UTC) in instants(extraction)
    assert "date_inferred" in {w.code for w in extraction.warnings}


def test_a_time_told_last_night_stays_counted_from_the_page_date() -> None:
    text = (
        "Ferry bookings down across the islands\n\n"
        "Posted 2022/03/09\n\n"
        "A coastguard boat circled the harbour. The booking system came back briefly last "
        "night just after 3.00am but failed again soon afterwards.\n"
    )
    found = instants(extract_timeline(text, reference_date=date(2022, 3, 8)))
    assert datetime(2022, 3, 9, 3, 0, tzinfo=UTC) in found
