"""Classes of missed day-only moments ("the attack on Saturday", "am Mittwoch wieder
erreichbar", "yesterday") and German misses, found on the fifth sealed part once it joined the
development part.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import date

import pytest

from postmortems.ingest.extraction import extract_timeline
from tests.postmortems.extraction.test_fifth_round_classes import day_events

# ------------------------------------------------------------- several things on one day


def test_a_day_keeps_one_event_for_each_kind_of_thing_it_tells() -> None:
    text = (
        "Ferry bookings fail\n\n"
        "The booking site of the ferry line went down on 4 May 2024.\n\n"
        "Engineers restored the booking site on 4 May 2024 in the evening.\n"
    )
    assert day_events(extract_timeline(text)) == [
        (date(2024, 5, 4), "impact"),
        (date(2024, 5, 4), "recovery"),
    ]


def test_a_day_told_twice_with_one_kind_is_one_event() -> None:
    text = (
        "Ferry bookings fail\n\n"
        "The booking site of the ferry line went down on 4 May 2024.\n\n"
        "On 4 May 2024 the ticket machines at the port failed as well.\n"
    )
    assert day_events(extract_timeline(text)) == [(date(2024, 5, 4), "impact")]


def test_a_paragraph_that_tells_one_day_gives_it_one_event() -> None:
    text = (
        "Ferry bookings fail\n\n"
        "The booking site of the ferry line went down on 4 May 2024. The company said on "
        "4 May 2024 that it was sorry.\n"
    )
    assert day_events(extract_timeline(text)) == [(date(2024, 5, 4), "impact")]


# ------------------------------------------------------- the page's date on a masthead line


@pytest.mark.parametrize(
    "masthead",
    [
        "Berlin (dpa) – 07.03.2024",
        "HAMBURG, March 7, 2024",
        "Ferry News | March 7, 2024",
        "March 7, 2024 / 3:11 PM",
        "Kiel · Veröffentlicht: Donnerstag, 07.03.2024 13:42",
    ],
)
def test_a_masthead_date_is_the_page_s_date_and_dates_the_weekdays(masthead: str) -> None:
    text = f"Ferry bookings fail\n\n{masthead}\n\nOn Wednesday the booking site went down.\n"
    events = extract_timeline(text).events
    assert [(e.at.date(), e.precision, e.date_basis) for e in events] == [
        (date(2024, 3, 6), "day", "weekday")
    ]
    assert "Wednesday" in events[0].date_evidence


def test_a_german_masthead_dates_am_mittwoch() -> None:
    text = (
        "Fährbuchung gestört\n\nKiel (dpa) – 07.03.2024\n\n"
        "Am Mittwoch fiel die Buchungsseite der Reederei aus.\n"
    )
    assert day_events(extract_timeline(text)) == [(date(2024, 3, 6), "impact")]


def test_a_status_entry_stamped_with_its_zone_is_no_masthead() -> None:
    text = (
        "Ferry booking status\n\n"
        "Resolved - The booking site is working again.\n"
        "Mar 7, 2024 - 09:12 UTC\n"
    )
    events = extract_timeline(text).events
    assert [(e.precision, e.kind) for e in events] == [("minute", "recovery")]


# ---------------------------------------------------------------- a day before the piece


@pytest.mark.parametrize(
    ("sentence", "language"),
    [
        ("The booking site of the ferry line went down yesterday.", "en"),
        ("Die Buchungsseite der Reederei fiel gestern aus.", "de"),
    ],
)
def test_yesterday_dates_what_happened_from_the_publication(sentence: str, language: str) -> None:
    text = f"Ferry bookings fail\n\nPublished 7 March 2024\n\n{sentence}\n"
    events = extract_timeline(text, language=language).events
    assert [(e.at.date(), e.precision, e.date_basis) for e in events] == [
        (date(2024, 3, 6), "day", "weekday")
    ]


def test_today_in_a_review_is_the_day_it_is_published_not_a_moment() -> None:
    text = (
        "Ferry bookings review\n\nPublished 7 March 2024\n\n"
        "Today we publish this review of the booking outage.\n"
    )
    assert day_events(extract_timeline(text)) == []


# ------------------------------------------------------------------ an attack is a moment


@pytest.mark.parametrize(
    ("sentence", "language"),
    [
        ("The ferry line was hit by a ransomware attack on 4 May 2024.", "en"),
        ("On 4 May 2024 attackers encrypted the booking servers of the ferry line.", "en"),
        ("Am 4. Mai 2024 wurde die Reederei Opfer eines Cyberangriffs.", "de"),
        ("The intrusion began with a phishing email sent on 4 May 2024.", "en"),
        ("Am 4. Mai 2024 waren die Server der Reederei mit Schadsoftware infiziert.", "de"),
    ],
)
def test_the_day_of_an_attack_is_the_trigger(sentence: str, language: str) -> None:
    text = f"Ferry line attacked\n\n{sentence}\n"
    assert day_events(extract_timeline(text, language=language)) == [(date(2024, 5, 4), "trigger")]


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("The ferry line shut down all its booking servers on 4 May 2024.", "mitigation"),
        ("Am 4. Mai 2024 musste die Reederei ihre Server herunterfahren.", "mitigation"),
        ("Eine Notabschaltung am 4. Mai 2024 hielt den Angriff auf.", "mitigation"),
        ("On 4 May 2024 the booking site of the ferry line was knocked offline.", "impact"),
        (
            "Am 4. Mai 2024 konnten viele Kunden in ganz Europa ihre Tickets rund sieben "
            "Stunden lang nicht buchen.",
            "impact",
        ),
        ("Am 4. Mai 2024 ging die Buchungsseite der Reederei in die Knie.", "impact"),
        ("Am 4. Mai 2024 ließen sich die Apps der Reederei nicht öffnen.", "impact"),
        (
            "Am 4. Mai 2024 öffneten in einzelnen Häfen die Schalter der Reederei wieder.",
            "recovery",
        ),
        (
            "Am 4. Mai 2024 lief zunächst an zwölf der vierzehn Häfen der Verkauf wieder an.",
            "recovery",
        ),
    ],
)
def test_words_for_taking_systems_off_going_down_and_reopening(sentence: str, kind: str) -> None:
    text = f"Ferry line attacked\n\n{sentence}\n"
    assert day_events(extract_timeline(text)) == [(date(2024, 5, 4), kind)]


# ------------------------------------------------------------ the night from one day to the next


def test_the_night_from_sunday_to_monday_is_one_moment_named_by_the_monday() -> None:
    text = (
        "Reederei angegriffen\n\n12.03.2024\n\n"
        "Die Reederei wurde in der Nacht von Sonntag auf Montag Opfer eines Cyberangriffs.\n"
    )
    assert day_events(extract_timeline(text)) == [(date(2024, 3, 11), "trigger")]


def test_a_dateline_agency_with_a_slash_dates_the_piece_not_the_attack() -> None:
    text = (
        "Reederei angegriffen\n\n"
        "Kiel, 12. März 2024 (dpa/lno) - Ein Hackerangriff legt die Reederei lahm. "
        "Gestern bestätigte die Reederei den Angriff.\n"
    )
    assert day_events(extract_timeline(text)) == [(date(2024, 3, 11), "communication")]
