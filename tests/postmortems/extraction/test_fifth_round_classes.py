"""Classes of misses and spurious events found on the fourth sealed part once it joined the
development part: what did not generalise to write-ups nobody had read.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import date

import pytest

from postmortems.ingest.extraction import Extraction, extract_timeline
from tests.postmortems.extraction.test_classes import utc


def day_events(extraction: Extraction) -> list[tuple[date, str]]:
    return [(e.at.date(), e.kind) for e in extraction.events if e.date_only]


# ------------------------------------------------------------- a day beside its precise times


def test_a_day_told_by_its_start_keeps_it_when_its_times_tell_other_things() -> None:
    text = (
        "The card terminals of the chain stopped working on Thursday, 9 May 2024.\n\n"
        "At 14:20 UTC the chain posted a notice on its website, and at 16:05 UTC it posted "
        "a second one.\n"
    )
    extraction = extract_timeline(text)
    assert (date(2024, 5, 9), "impact") in day_events(extraction)


def test_a_day_whose_times_already_tell_the_start_gets_no_day_event() -> None:
    text = (
        "The card terminals of the chain stopped working on Thursday, 9 May 2024.\n\n"
        "The terminals went down at 14:20 UTC, and at 16:05 UTC the chain posted a notice.\n"
    )
    extraction = extract_timeline(text)
    assert day_events(extraction) == []
    assert [e.at for e in extraction.events] == [utc("2024-05-09T14:20"), utc("2024-05-09T16:05")]


# ------------------------------------------------------------------------- an embedded post


def test_a_post_signed_by_the_company_is_its_statement_of_that_day() -> None:
    text = (
        "Parcelpoint lockers refused to open for most of the week.\n\n"
        "We know many of you are waiting for your parcels. Thank you for your patience.\n"
        "— Parcelpoint (@parcelpoint) March 6, 2024\n"
    )
    extraction = extract_timeline(text)
    assert day_events(extraction) == [(date(2024, 3, 6), "communication")]


def test_a_post_signed_by_a_reader_is_no_statement() -> None:
    text = (
        "Parcelpoint lockers refused to open for most of the week.\n\n"
        "third day without my parcel, great\n"
        "— Kim Lau (@kimlau88) March 6, 2024\n"
    )
    assert day_events(extract_timeline(text)) == []


def test_a_post_that_tells_its_own_time_adds_no_day() -> None:
    text = (
        "Parcelpoint lockers refused to open.\n\n"
        "At 07:40 UTC today our lockers stopped opening; we are on it.\n"
        "— Parcelpoint (@parcelpoint) March 6, 2024\n"
    )
    extraction = extract_timeline(text)
    assert day_events(extraction) == []
    assert [e.at for e in extraction.events] == [utc("2024-03-06T07:40")]


# ---------------------------------------------------------------- the page's own stamp line


@pytest.mark.parametrize(
    "stamp",
    [
        "by Jane Roe on 8 March 2024, 17:12",
        "by Jane Roe on Friday, March 8, 2024 at 5:12pm",
        "*By Jane Roe and Sam Poe · Updated March 8, 2024 5:12 pm ET*",
        "8. März 2024, 17:12 Uhr | Lesezeit: 3 Minuten",
        "08.03.2024 | 17:12 Uhr",
    ],
)
def test_a_byline_stamp_is_the_page_s_date_not_a_moment(stamp: str) -> None:
    text = f"Ferry bookings fail\n\n{stamp}\n\nOn Wednesday the booking site went down.\n"
    extraction = extract_timeline(text)
    assert [(e.at, e.precision) for e in extraction.events] == [(utc("2024-03-06T00:00"), "day")]


# ------------------------------------------------------------- a statement that a state goes on


@pytest.mark.parametrize(
    "sentence",
    [
        'A notice went up at 09:12 UTC saying: "We\'re investigating failed logins."',
        "The shop's first response came at 09:12 UTC: \"We're looking into failed logins.\"",
        "A spokesman replied at 09:12 UTC that the team was investigating the failed logins.",
    ],
)
def test_a_statement_that_only_says_work_goes_on_is_the_communication(sentence: str) -> None:
    text = f"On 4 March 2024 logins failed at the ticket shop.\n\n{sentence}\n"
    extraction = extract_timeline(text)
    timed = [e for e in extraction.events if not e.date_only]
    assert [(e.at, e.kind) for e in timed] == [(utc("2024-03-04T09:12"), "communication")]


# ------------------------------------------------------------------ whole word families


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Am Montag, 4. März 2024, ließ sich das Portal nur eingeschränkt nutzen.", "impact"),
        (
            "Am Montag, 4. März 2024, gab der Betreiber bekannt, man arbeite an der Störung.",
            "communication",
        ),
    ],
)
def test_a_kind_word_is_known_in_all_its_forms(sentence: str, kind: str) -> None:
    assert day_events(extract_timeline(sentence)) == [(date(2024, 3, 4), kind)]


def test_a_start_told_by_the_perfect_of_anfangen_is_a_start() -> None:
    extraction = extract_timeline("Angefangen hatte es am 4. März 2024 um 09:12 Uhr UTC.")
    assert [(e.at, e.kind) for e in extraction.events] == [(utc("2024-03-04T09:12"), "trigger")]


# ------------------------------------------------------------------ a statement and its day


@pytest.mark.parametrize(
    "text",
    [
        "Am Sonntag, 3. März 2024, fielen die Kassen aus. Das teilte die Kette am Montag mit.",
        "On Sunday, March 3, 2024, the tills failed. The chain said so on Monday.",
    ],
)
def test_a_verb_of_speech_by_a_date_is_that_day_s_statement(text: str) -> None:
    assert day_events(extract_timeline(text)) == [
        (date(2024, 3, 3), "impact"),
        (date(2024, 3, 4), "communication"),
    ]


# ------------------------------------------------------------- local time without a dateline


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Das Kartennetz in Großbritannien war am 4. März 2024 ab 7 Uhr Ortszeit gestört.",
            "2024-03-04T07:00",
        ),
        (
            "On March 4, 2024, card payments in Spain failed at 9 a.m. local time.",
            "2024-03-04T08:00",
        ),
    ],
)
def test_local_time_is_the_clock_of_the_place_its_sentence_names(
    sentence: str, expected: str
) -> None:
    extraction = extract_timeline(f"Kartenzahlung gestört\n\n{sentence}\n")
    assert [e.at for e in extraction.events if not e.date_only] == [utc(expected)]


# ------------------------------------------------------------------- the writer's own clock


def test_bare_times_go_on_in_the_writer_s_clock_not_its_bracketed_conversion() -> None:
    text = (
        "Around 3:15 PM EDT (19:15 UTC) on July 24, 2025 the ferry app stopped loading. "
        "By 4:05 PM the operator said a fix was rolling out.\n"
    )
    extraction = extract_timeline(text)
    assert [e.at for e in extraction.events] == [utc("2025-07-24T19:15"), utc("2025-07-24T20:05")]


# ---------------------------------------------------------------------- a plan is no moment


@pytest.mark.parametrize(
    "sentence",
    [
        "The plan was to reopen the booking site around 2:45 p.m. UTC.",
        "Maintenance is planned for 9:00 AM UTC.",
        "Der Betreiber sagte, das Portal solle bis 14 Uhr wieder laufen.",
    ],
)
def test_a_time_a_plan_governs_is_no_moment(sentence: str) -> None:
    text = f"On 4 March 2024 the booking site failed.\n\n{sentence}\n"
    assert [e for e in extract_timeline(text).events if not e.date_only] == []


@pytest.mark.parametrize(
    "sentence",
    [
        "The operator expected bookings to be back within two hours.",
        "A notice went up, promising another update within two hours.",
    ],
)
def test_an_offset_a_plan_governs_is_no_moment(sentence: str) -> None:
    text = f"On 4 March 2024 at 08:00 UTC the booking site failed. {sentence}\n"
    timed = [e.at for e in extract_timeline(text).events if not e.date_only]
    assert timed == [utc("2024-03-04T08:00")]


def test_german_hearsay_with_soll_is_still_a_moment() -> None:
    text = "Am 4. März 2024 fiel das Portal aus. Der Ausfall soll um 9 Uhr UTC begonnen haben."
    timed = [e.at for e in extract_timeline(text).events if not e.date_only]
    assert timed == [utc("2024-03-04T09:00")]


# ------------------------------------------------------------- a date line with a short year


def test_a_date_line_with_a_two_digit_year_dates_the_story() -> None:
    text = "Portal gestört\n\n04.03.24\n\nAb 9.20 Uhr ließ sich das Portal nicht erreichen.\n"
    timed = [e.at for e in extract_timeline(text).events if not e.date_only]
    assert timed == [utc("2024-03-04T08:20")]


def test_a_version_number_in_running_text_is_no_date() -> None:
    text = "Release 1.2.16 went out at 09:20 UTC on 4 March 2024 and broke the portal.\n"
    assert [e.at for e in extract_timeline(text).events] == [utc("2024-03-04T09:20")]


# ------------------------------------------------------------------- a list item's date label


def test_a_date_opening_a_list_item_dates_the_cue_of_a_later_sentence() -> None:
    text = (
        "Timeline of the ticket shop outage\n\n"
        "- **March 4, 2024:** A contractor updates the payment plugin. The shop goes offline "
        "for most buyers.\n"
        "- **March 6, 2024:** Payments work again for every buyer.\n"
    )
    assert day_events(extract_timeline(text)) == [
        (date(2024, 3, 4), "impact"),
        (date(2024, 3, 6), "recovery"),
    ]
