"""Classes of text found on the 30 articles of the second sealed part, once scored.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

import pytest

from postmortems.ingest.extraction import extract_timeline
from tests.postmortems.extraction.test_classes import instants, utc

# --------------------------------------------------------------------------- zone names


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ("Australian Eastern Daylight Time", "2024-01-14T22:10"),
        ("Australian Eastern Standard Time", "2024-06-14T23:10"),
        ("Eastern European Time", "2024-01-15T07:10"),
        ("New Zealand Daylight Time", "2024-01-14T20:10"),
    ],
)
def test_a_zone_declared_by_its_long_name_applies_to_the_list(declared: str, expected: str) -> None:
    day = "15 January 2024" if "Standard" not in declared else "15 June 2024"
    text = f"All times are in {declared}.\n\n{day}\n\n9.10am: the billing queue stopped.\n"
    assert instants(extract_timeline(text)) == [utc(expected)]


# --------------------------------------------------------------------------- zone labels


def test_a_standard_time_label_in_summer_is_read_as_written() -> None:
    extraction = extract_timeline("On June 3, 2021 the portal failed at 6:05 PM EST.")
    assert instants(extraction) == [utc("2021-06-03T23:05")]
    assert "zone_label_mismatch" in extraction.warning_codes()


def test_a_time_restated_in_utc_is_placed_by_the_utc() -> None:
    extraction = extract_timeline("From 2 March 2024, 21:10 AEST (10:10 UTC), the API failed.")
    assert instants(extraction) == [utc("2024-03-02T10:10")]
    assert "contradictory_times" in extraction.warning_codes()


def test_a_consistent_restatement_is_one_moment_without_a_warning() -> None:
    extraction = extract_timeline("On 2 March 2024 at 21:10 AEDT (10:10 UTC) the API failed.")
    assert instants(extraction) == [utc("2024-03-02T10:10")]
    assert "contradictory_times" not in extraction.warning_codes()


# --------------------------------------------------------------------------- carried dates


def test_a_date_carried_into_another_zone_is_that_zone_s_date() -> None:
    text = (
        "On 12 March 2024 at 03:50 UTC the API recovered.\n\n"
        "The outage had begun at around 4 pm Pacific Time, engineers said."
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2024-03-12T03:50"), utc("2024-03-11T23:00")]
    assert "Pacific Time" in extraction.events[1].date_evidence


def test_a_later_date_owned_by_another_time_does_not_date_the_first() -> None:
    text = (
        "On Tuesday, 19 July 2022 the chillers failed at 06:33 PDT. The chillers were "
        "repaired at 14:13 PDT, and every service was back by 2022-07-20, 04:28 PDT."
    )
    assert instants(extract_timeline(text)) == [
        utc("2022-07-19T13:33"),
        utc("2022-07-19T21:13"),
        utc("2022-07-20T11:28"),
    ]


# --------------------------------------------------------------------------- clock forms


@pytest.mark.parametrize(("written", "expected"), [("230am", "09:30"), ("1145 p.m.", "06:45")])
def test_hour_and_minute_glued_before_a_meridiem(written: str, expected: str) -> None:
    text = f"On 4 September 2018 around {written} Pacific Time the chillers failed."
    (at,) = instants(extract_timeline(text))
    assert at.strftime("%H:%M") == expected


def test_a_glued_number_without_a_meridiem_is_no_time() -> None:
    events = extract_timeline("On 4 September 2018 we counted 1145 errors.").events
    assert [e.precision for e in events] == ["day"]


# --------------------------------------------------------------------------- promised updates


@pytest.mark.parametrize(
    "promise",
    [
        "The vendor said it would post an update on its progress by 10am PT.",
        "At 9:40am PT the vendor pushed back its next status update to 1pm PT.",
    ],
)
def test_a_promised_update_time_is_no_moment_but_keeps_its_zone(promise: str) -> None:
    text = f"On 4 May 2023 the portal failed. {promise} Update 11:05am: the portal was back."
    events = extract_timeline(text).events
    assert utc("2023-05-04T18:05") in [e.at for e in events]
    assert utc("2023-05-04T17:00") not in [e.at for e in events]
    assert utc("2023-05-04T20:00") not in [e.at for e in events]


# --------------------------------------------------------------------------- what is an event


def test_an_aside_about_an_earlier_outage_is_no_event() -> None:
    text = (
        "On 20 March 2023 at 14:02 UTC the queue service went down.\n\n"
        "It was the vendor's second outage this month: on March 9 its storage cluster went "
        "offline for an hour."
    )
    assert instants(extract_timeline(text)) == [utc("2023-03-20T14:02")]


def test_a_cause_shipped_weeks_before_is_still_an_event() -> None:
    text = (
        "On 20 March 2023 at 14:02 UTC the queue service went down.\n\n"
        "On March 1, a configuration change introduced the bug."
    )
    events = extract_timeline(text).events
    assert [(e.at, e.precision) for e in events] == [
        (utc("2023-03-20T14:02"), "minute"),
        (utc("2023-03-01T00:00"), "day"),
    ]


def test_a_first_date_that_opens_the_story_is_an_event() -> None:
    text = (
        "Starting on 2 May 2023 the ticket service failed for a few hundred customers.\n\n"
        "As of 16 May 2023, 21:40 UTC, every customer site was restored."
    )
    assert instants(extract_timeline(text)) == [utc("2023-05-02T00:00"), utc("2023-05-16T21:40")]


def test_after_an_aside_about_an_earlier_outage_the_story_resumes_with_a_warning() -> None:
    text = (
        "On 20 March 2023 at 07:02 PDT the queue service went down.\n\n"
        "It was the vendor's second outage this month, after the storage trouble of March 9.\n\n"
        "Later the vendor said that by 1:15 PM PDT most queues had drained."
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2023-03-20T14:02"), utc("2023-03-20T20:15")]
    assert "date_inferred" in extraction.warning_codes()


@pytest.mark.parametrize(
    "note", ["Updated to add: the vendor said that by 1:15 PM PDT most queues had drained."]
)
def test_an_update_note_in_the_prose_is_no_publication_line(note: str) -> None:
    text = f"On 20 March 2023 at 07:02 PDT the queue service went down.\n\n{note}"
    assert instants(extract_timeline(text)) == [utc("2023-03-20T14:02"), utc("2023-03-20T20:15")]


@pytest.mark.parametrize(
    "stamp",
    ["Updated: March 21, 2023", "Published on: March 21, 2023 | By: Desk", "Stand: 21.03.2023"],
)
def test_a_publication_line_with_its_stamp_stays_no_event(stamp: str) -> None:
    text = f"{stamp}\n\nOn 20 March 2023 at 07:02 PDT the queue service went down."
    assert instants(extract_timeline(text)) == [utc("2023-03-20T14:02")]


# --------------------------------------------------------------------------- local time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Netz ausgefallen\n\nSydney (dpa) - Am Mittwoch, 8. November 2023, fiel das Netz "
            "aus.\n\nUm 17:49 Uhr Ortszeit meldete der Anbieter, das Netz laufe wieder.",
            "2023-11-08T06:49",
        ),
        (
            "TOKYO, March 3, 2024 (Reuters) - On March 3, 2024 the card network failed at "
            "9:10 a.m. local time.",
            "2024-03-03T00:10",
        ),
    ],
)
def test_local_time_is_the_clock_of_the_dateline_place(text: str, expected: str) -> None:
    # The clock is what is pinned here; a day the text tells without a time ("fiel das Netz
    # aus" on a day whose time is the recovery) is an event of its own.
    timed = [e.at for e in extract_timeline(text).events if not e.date_only]
    assert timed == [utc(expected)]


def test_local_time_without_a_known_place_keeps_the_usual_zone() -> None:
    text = "Am 8. November 2023 um 17:49 Uhr Ortszeit lief das Netz wieder."
    assert instants(extract_timeline(text)) == [utc("2023-11-08T16:49")]


def test_an_estimate_of_restoration_is_no_moment() -> None:
    text = (
        "On 30 May 2015 at 01:10 UTC the site lost power. The utility first gave an ETR of "
        "04:30 UTC. The estimate was later moved to 05:00 UTC and then to 06:30 UTC. "
        "Power returned at 06:02 UTC."
    )
    assert instants(extract_timeline(text)) == [utc("2015-05-30T01:10"), utc("2015-05-30T06:02")]


# --------------------------------------------------------------------------- day crossing


def test_a_time_just_before_a_range_over_midnight_is_on_the_range_s_first_day() -> None:
    text = (
        "Stand: 12.02.2020\n\nIn der Nacht auf Mittwoch fiel das Netz aus: von 22.33 Uhr am "
        "Dienstagabend bis 00.10 Uhr am Mittwochmorgen ging nichts mehr.\n\n"
        "Die Störung habe gegen 22.30 Uhr begonnen, hiess es weiter."
    )
    assert instants(extract_timeline(text)) == [
        utc("2020-02-11T21:33"),
        utc("2020-02-11T23:10"),
        utc("2020-02-11T21:30"),
    ]


# --------------------------------------------------------------------------- relative days


def test_yesterday_with_a_time_counts_from_the_date_line() -> None:
    text = (
        "Bank-Panne dauert an\n\n5. Juni 2019\n\n"
        "Die Bank meldete am Montag um 16:10 Uhr, die Störung sei behoben. "
        "Gestern um 17:35 Uhr kam dieselbe Meldung noch einmal."
    )
    events = extract_timeline(text).events
    assert utc("2019-06-04T15:35") in [e.at for e in events]


# --------------------------------------------------------------------------- years


def test_a_weekday_picks_the_year_the_text_around_it_gets_wrong() -> None:
    text = (
        "Thursday, March 5th was a bad day for the queue service. The trouble began at "
        "21:40 UTC.\n\nOn March 5th 2019, a rival had a similar outage."
    )
    extraction = extract_timeline(text)
    assert instants(extraction)[0] == utc("2020-03-05T21:40")
    assert "date_inferred" in extraction.warning_codes()


def test_a_weekday_that_fits_the_year_changes_nothing() -> None:
    text = "On Tuesday, March 5th the queue failed at 21:40 UTC. Our 2019 review followed."
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2019-03-05T21:40")]
    assert "date_inferred" not in extraction.warning_codes()


# --------------------------------------------------------------------------- restatements


def test_a_bracket_that_names_the_zone_and_restates_the_time_is_one_moment() -> None:
    text = "Am 5. März 2024 fiel der Dienst gegen 9 Uhr morgens (EST, 15 Uhr MEZ) aus."
    assert instants(extract_timeline(text)) == [utc("2024-03-05T14:00")]


def test_an_evening_hour_before_its_zone_is_after_noon() -> None:
    text = "Am 5. März 2024 war der Dienst um 8 Uhr abends MEZ wieder erreichbar."
    assert instants(extract_timeline(text)) == [utc("2024-03-05T19:00")]


# --------------------------------------------------------------------------- stamps


def test_a_kicker_and_stamp_on_the_first_line_is_no_event() -> None:
    text = (
        "Netzausfall 08.11.2023, 11:15 Uhr\n\nTelefone stumm\n\n"
        "Am 8. November 2023 um 17:49 Uhr lief das Netz wieder."
    )
    assert instants(extract_timeline(text)) == [utc("2023-11-08T16:49")]


def test_an_update_stamp_dates_its_entry_but_is_no_moment() -> None:
    text = (
        "Am 17. November 2022 um 21:53 Uhr war die Störung großteils behoben.\n\n"
        "Update 18.11.2022, 06:24 Uhr\n\n"
        "Die Störung sei vollständig behoben, teilte der Anbieter mit."
    )
    events = extract_timeline(text).events
    assert [(e.at, e.precision) for e in events] == [
        (utc("2022-11-17T20:53"), "minute"),
        (utc("2022-11-18T00:00"), "day"),
    ]


def test_a_zone_after_a_bracketed_restatement_belongs_to_both_times() -> None:
    extraction = extract_timeline(
        "On 3 October 2016 around 14:12 (2:14 PM) PDT the migration of the registry started."
    )
    assert instants(extraction) == [utc("2016-10-03T21:12")]
    assert "contradictory_times" in extraction.warning_codes()


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("On Friday night around 7 o'clock PT", "2022-07-09T02:00"),
        ("At 9 o'clock PT", "2022-07-08T16:00"),
    ],
)
def test_an_hour_in_words_is_a_time(written: str, expected: str) -> None:
    text = f"On Friday, July 8, 2022 the network failed. {written}, service began to recover."
    assert instants(extract_timeline(text))[-1] == utc(expected)
