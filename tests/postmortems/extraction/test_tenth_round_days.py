"""Timed moments the tenth round found on the wrong day, or missed although their clock and
its day were in the text: a picture caption's date taken for the story's, a status update's
numeric stamp ("Update 4/25 8:45 a.m. ET:") left unread, an update's own stamp read as the
story's latest time, and a day counted from the day told ("at 02:10 UTC the next day",
"8pm the evening before", "am Vorabend") left to the day carried, and clocks told
"yesterday" and "this morning" in a text with no date of its own both put on the
reference date.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from postmortems.ingest.extraction import Extraction, extract_timeline


def instants(extraction: Extraction) -> set[datetime]:
    return {e.at.astimezone(UTC) for e in extraction.events if not e.date_only}


def at(day: str, clock: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}:00+00:00")


# --------------------------------------------------------------------------- captions


def test_caption_date_does_not_date_the_weekday_of_the_story() -> None:
    text = (
        "Card payments fail across the country\n\n"
        "Photo: a card reader at a shop in Lisbon, March 3, 2011. EXAMPLE PRESS/AP-Jane Doe\n\n"
        "The processor said its outage began around 9 a.m. EDT Saturday and was resolved "
        "by 11 a.m. EDT."
    )
    found = instants(extract_timeline(text, reference_date=date(2024, 9, 21)))
    assert at("2024-09-21", "13:00") in found
    assert at("2024-09-21", "15:00") in found
    assert not any(moment.year == 2011 for moment in found)


def test_caption_with_a_credit_does_not_date_the_times_after_it() -> None:
    text = (
        "A bank sign at a mall in Ottawa on June 27. Jane Doe/The Example Press\n\n"
        "Customers could not see their deposits. Reports of problems began shortly after "
        "5 a.m. ET and the bank said at 1:30 p.m. ET that the issue was resolved."
    )
    found = instants(extract_timeline(text, reference_date=date(2024, 7, 26)))
    assert at("2024-07-26", "09:00") in found
    assert at("2024-07-26", "17:30") in found


def test_time_written_with_a_caption_date_keeps_it() -> None:
    text = (
        "Photo caption: All damaged cables were reconnected by 7.15am on Oct 11, 2013, "
        "said the operator.\n\nThe fault had cut phone lines across the island."
    )
    extraction = extract_timeline(text, default_timezone="UTC")
    assert at("2013-10-11", "07:15") in instants(extraction)


# --------------------------------------------------------------------------- update stamps


def test_numeric_update_stamp_dates_its_clock() -> None:
    text = (
        "Coffee chain stores close after register failure\n\n"
        "Update 4/24 10:05 p.m. ET: The chain has issued a statement.\n\n"
        "Update 4/25 8:45 a.m. ET: The chain confirms its registers are back online."
    )
    found = instants(extract_timeline(text, reference_date=date(2015, 4, 24)))
    assert at("2015-04-25", "02:05") in found
    assert at("2015-04-25", "12:45") in found


def test_numeric_update_stamp_with_a_short_year() -> None:
    text = "Update 3/6/13 11:33 PM PST: Here is a server status update from the publisher."
    found = instants(extract_timeline(text, reference_date=date(2013, 3, 5)))
    assert found == {at("2013-03-07", "07:33")}


def test_slashed_numbers_without_a_clock_are_no_date() -> None:
    text = "The support desk is open 24/7 and 3/4 of the calls were answered by 10:00 UTC."
    extraction = extract_timeline(text, reference_date=date(2024, 5, 2))
    assert instants(extraction) == {at("2024-05-02", "10:00")}


def test_update_stamp_is_no_clock_the_story_crosses_midnight_from() -> None:
    text = (
        "Update (6/6 9 am PT): A little after midnight PT, the game's login servers failed "
        "again. The publisher said at around 5 am that the problem was fixed."
    )
    found = instants(extract_timeline(text, reference_date=date(2023, 6, 5)))
    assert at("2023-06-06", "07:00") in found
    assert at("2023-06-06", "12:00") in found


# --------------------------------------------------------------------------- counted days


def test_next_day_after_a_clock_counts_from_the_one_day_told() -> None:
    text = (
        "On October 9, 2025 the edge service began failing around 07:38 UTC. Full recovery "
        "was not confirmed until 02:10 UTC the next day."
    )
    found = instants(extract_timeline(text))
    assert at("2025-10-09", "07:38") in found
    assert at("2025-10-10", "02:10") in found


def test_next_day_after_a_clock_keeps_the_carried_day_once_several_were_told() -> None:
    # After a timeline over two days, "the next day" may count from either: the clock keeps
    # the day carried, as before.
    text = (
        "On March 3, 2024 at 10:00 UTC the storage cluster failed. On March 4, 2024 at "
        "09:00 UTC a fix was deployed. Service was whole again by 02:25 UTC the next day."
    )
    found = instants(extract_timeline(text))
    assert at("2024-03-04", "02:25") in found
    assert at("2024-03-05", "02:25") not in found


def test_evening_before_dates_its_clock_from_the_day_of_its_sentence() -> None:
    text = (
        "When the newsletter went to press early on Tuesday, August 21, 2018, the bank had "
        "not posted an update since just before 8pm UTC the evening before."
    )
    found = instants(extract_timeline(text))
    assert at("2018-08-20", "20:00") in found


def test_german_vorabend_dates_its_clocks_the_day_before() -> None:
    text = (
        "Am Montag, 5. September 2016, fiel der Strom in der Innenstadt erneut aus. Am "
        "Vorabend war der Strom kurz nach 21 Uhr weg gewesen, und erst um 22.30 Uhr hatten "
        "die Stadtteile wieder Strom."
    )
    found = instants(extract_timeline(text, language="de"))
    assert at("2016-09-04", "19:00") in found
    assert at("2016-09-04", "20:30") in found


# --------------------------------------------------------------------------- the writing day


def test_yesterday_and_today_clocks_count_from_the_day_after_the_reference() -> None:
    text = (
        "The bank first said it was looking into a problem yesterday at 12.21pm BST.\n\n"
        "This morning, at 08:19am BST, it posted the same details again."
    )
    extraction = extract_timeline(text, reference_date=date(2022, 10, 4))
    found = instants(extraction)
    assert at("2022-10-04", "11:21") in found
    assert at("2022-10-05", "07:19") in found
    assert "date_inferred" in {w.code for w in extraction.warnings}


def test_today_alone_stays_on_the_reference_date() -> None:
    text = "The bank posted at 9am today that online banking was failing."
    found = instants(extract_timeline(text, reference_date=date(2016, 1, 4)))
    assert found == {at("2016-01-04", "09:00")}


def test_yesterday_and_today_in_a_dated_text_count_from_its_date() -> None:
    text = (
        "Posted on October 5, 2022\n\n"
        "The bank first said it was looking into a problem yesterday at 12.21pm UTC. "
        "This morning, at 08:19am UTC, it posted the same details again."
    )
    extraction = extract_timeline(text, reference_date=date(2022, 10, 1))
    assert at("2022-10-05", "08:19") in instants(extraction)


# --------------------------------------------------------------------------- weekdays


def test_weekday_after_an_older_story_is_the_incident_s() -> None:
    text = (
        "Example Bank's systems crashed again on August 19, 2021.\n\n"
        "Its troubles this year began on Feb. 28, when its ATMs swallowed cards.\n\n"
        "The latest fault struck around 9 p.m. UTC Thursday, and customers heard nothing "
        "until 8:30 a.m. UTC Friday."
    )
    extraction = extract_timeline(text, reference_date=date(2021, 8, 19))
    found = instants(extraction)
    assert at("2021-08-19", "21:00") in found
    assert at("2021-08-20", "08:30") in found
    assert "date_inferred" in {w.code for w in extraction.warnings}


def test_weekday_after_a_date_of_the_same_week_counts_from_it() -> None:
    text = (
        "The outage began on March 14, 2024, a Thursday.\n\n"
        "The operator restored service at 6 p.m. UTC on Saturday."
    )
    extraction = extract_timeline(text, reference_date=date(2024, 3, 1))
    assert at("2024-03-16", "18:00") in instants(extraction)


# --------------------------------------------------------------------------- sentence dates


def test_date_closing_the_sentence_dates_its_earlier_times() -> None:
    text = (
        "Our previous incident was on June 1, 2022.\n\n"
        "There was a first slowdown beginning at 12:41 UTC followed by a full outage beginning "
        "at 13:31 UTC on May 10, 2023."
    )
    found = instants(extract_timeline(text))
    assert at("2023-05-10", "12:41") in found
    assert at("2023-05-10", "13:31") in found


def test_date_closing_the_sentence_after_midnight_dates_the_evening_before() -> None:
    text = (
        "Our previous incident was on June 1, 2022.\n\n"
        "The storage layer failed at 22:10 UTC and was restored at 01:05 UTC on May 11, 2023."
    )
    found = instants(extract_timeline(text))
    assert at("2023-05-10", "22:10") in found
    assert at("2023-05-11", "01:05") in found


def test_date_leading_a_later_time_stays_that_time_s_own() -> None:
    text = (
        "On July 19, 2022 the link was repaired at 14:13 PDT, and traffic was restored by "
        "2022-07-20, 04:28 PDT."
    )
    found = instants(extract_timeline(text))
    assert at("2022-07-19", "21:13") in found


def test_date_after_a_comma_stays_the_later_time_s_own() -> None:
    text = (
        "Our previous incident was on June 1, 2022.\n\n"
        "Cooling was restored at 5:30 a.m. UTC, and the batteries had been removed by "
        "9:36 p.m. UTC on May 10, 2023."
    )
    found = instants(extract_timeline(text))
    assert at("2023-05-10", "21:36") in found
    assert at("2023-05-10", "05:30") not in found
