"""Classes of proposed moments and kinds found on the seventh held-out part once it joined the
development part: mastheads that carry the page's clock, the trouble told as fixed.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

import pytest

from postmortems.ingest.extraction import extract_timeline
from tests.postmortems.extraction.test_classes import utc

# ------------------------------------------------------------- the page's clock on a masthead


@pytest.mark.parametrize(
    "masthead",
    [
        "Harbour.example Newswire | 3/7/2024, 3:37 p.m.",
        "Coast Radio — By Jane Doe\nPosted March 7, 2024 10:12 am. Last Updated March 7, 2024 11:36 am.",
        "Coast Radio, 7 March 2024, 10:14. By Jane Doe",
        "The Harbour Times, Money – Jane Doe, Thursday 7 March 2024 07:47 GMT",
        "Harbour Times — Published: March 7, 2024 7:19:34 PM",
        "kiel.example, dpa-AFX | 07.03.2024 14:14",
        "Kieler Radio\nDo., 07.03.2024, 15:45 Uhr",
        "Erstmeldung vom 7. März 2024, 9.30 Uhr; letzte Aktualisierung 11.36 Uhr.",
    ],
)
def test_a_masthead_s_clock_is_when_the_piece_was_filed(masthead: str) -> None:
    text = (
        f"Ferry bookings fail\n\n{masthead}\n\n"
        "The booking site of the ferry line went down at 08:10 UTC on 7 March 2024.\n"
    )
    assert [event.at for event in extract_timeline(text).events] == [utc("2024-03-07 08:10")]


def test_a_line_with_a_sentence_and_a_clock_is_no_masthead() -> None:
    text = (
        "Ferry bookings fail\n\n"
        "Harbour Times | The booking site went down at 08:10 UTC on 7 March 2024.\n"
    )
    assert [event.at for event in extract_timeline(text).events] == [utc("2024-03-07 08:10")]


def test_a_status_entry_posted_with_its_zone_is_no_masthead() -> None:
    text = (
        "Ferry booking status\n\n"
        "Resolved - The booking site is working again.\n"
        "Posted Mar 7, 2024 - 09:12 UTC\n"
    )
    events = extract_timeline(text).events
    assert [(event.at, event.kind) for event in events] == [(utc("2024-03-07 09:12"), "recovery")]


# ------------------------------------------------------------------- the trouble fixed


@pytest.mark.parametrize(
    "text",
    [
        "On 7 March 2024 the ticket shop failed at 08:10 UTC and was fixed by 09:40 UTC.",
        "On 7 March 2024 the ticket shop failed at 08:10 UTC; the vendor said the fault had been "
        "fixed at 09:40 UTC.",
        "Am 7. März 2024 fiel der Ticketshop um 08:10 Uhr UTC aus. Um 09:40 Uhr UTC sei sie "
        "von der Technik behoben worden.",
    ],
)
def test_the_trouble_told_as_fixed_is_the_recovery(text: str) -> None:
    assert [event.kind for event in extract_timeline(text).events] == ["impact", "recovery"]


def test_a_fix_put_in_is_still_the_mitigation() -> None:
    text = (
        "On 7 March 2024 the ticket shop failed at 08:10 UTC. At 09:10 UTC engineers rolled back "
        "the release, and the shop was working normally again at 09:40 UTC."
    )
    assert [event.kind for event in extract_timeline(text).events] == [
        "impact",
        "mitigation",
        "recovery",
    ]


def test_the_operator_shutting_its_service_down_by_name_is_the_mitigation() -> None:
    text = (
        "The ticket shop failed on 7 March 2024. The vendor shut TicketShop down on "
        "8 March 2024 to deal with the bug."
    )
    events = extract_timeline(text).events
    assert [(event.at.day, event.kind) for event in events] == [(7, "impact"), (8, "mitigation")]


# ------------------------------------------------------------- a time inside what was said


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        (
            'On 7 March 2024, in a statement posted on its blog, the ferry line wrote: "At 08:10 '
            'UTC our booking site went down."',
            ["impact"],
        ),
        (
            "On 7 March 2024 a ferry line spokesperson apologised that between 08:10 and 09:40 "
            "UTC some customers could not book tickets.",
            ["impact", "recovery"],
        ),
    ],
)
def test_a_time_inside_what_a_statement_says_is_what_it_says(text: str, kinds: list[str]) -> None:
    assert [event.kind for event in extract_timeline(text).events] == kinds


def test_a_statement_timed_before_what_it_says_stays_the_statement() -> None:
    text = (
        "On 7 March 2024 the booking site went down at 08:10 UTC. The ferry line posted at "
        "08:40 UTC that it was looking into the problem."
    )
    assert [event.kind for event in extract_timeline(text).events] == ["impact", "communication"]


# ------------------------------------------------------------------ another incident's day


@pytest.mark.parametrize(
    "aside",
    [
        "It follows a major outage at another ferry line that started on 1 March 2024.",
        "On 1 March 2024 a rival ferry line had suffered a similar outage.",
        "In March last year, on 1 March 2023, bookings failed for a day.",
        "Schon am 1. März 2024 hatte die Buchungsseite einer anderen Reederei nicht funktioniert.",
    ],
)
def test_a_day_of_another_incident_told_for_comparison_is_no_moment(aside: str) -> None:
    text = f"The booking site of the ferry line went down on 7 March 2024. {aside}"
    events = extract_timeline(text).events
    assert [(event.at.day, event.kind) for event in events] == [(7, "impact")]


# ------------------------------------------------------------------- German kind cues


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Seit 09:40 Uhr sind alle Systeme wieder ohne Einschränkung verfügbar.", "recovery"),
        ("Ab 09:40 Uhr laufe wieder der normale Betrieb.", "recovery"),
        (
            "Die Reederei nimmt am heutigen Donnerstag, 7. März 2024, ab 9:40 Uhr den Betrieb wieder auf.",
            "recovery",
        ),
        ("Gegen 09:40 Uhr meldete die Reederei, die Lage beruhige sich wieder.", "recovery"),
        (
            "Gegen 09:40 Uhr brachte die Reederei einen Großteil der Server wieder ans Netz.",
            "recovery",
        ),
        (
            "Die Reederei hat um 09:40 Uhr vorsorglich ihre Internetverbindung gekappt.",
            "mitigation",
        ),
    ],
)
def test_german_words_for_the_service_back_and_the_link_cut(sentence: str, kind: str) -> None:
    text = f"Am 7. März 2024 fiel die Buchungsseite der Reederei um 08:10 Uhr aus. {sentence}"
    assert [event.kind for event in extract_timeline(text).events] == ["impact", kind]


def test_a_german_fault_that_appeared_is_the_impact_though_it_was_fixed_later() -> None:
    text = (
        "Am 7. März 2024 trat der Fehler laut der Reederei gegen 08:10 Uhr auf und war "
        "anderthalb Stunden später behoben."
    )
    assert [event.kind for event in extract_timeline(text).events][:1] == ["impact"]


# ------------------------------------------------------ schedules, plans and deadlines


@pytest.mark.parametrize(
    "aside",
    [
        "The booking service normally runs from 06:00 to 22:00 UTC.",
        "Sales were meant to restart at 11:00 UTC, but the shop stayed shut.",
        "The port had planned work on the ticket machines from 02:30 to 04:30 UTC.",
        "The ferry line is extending its opening times until 23:00 UTC.",
        "Many tried to book before the 23:00 UTC cut-off.",
        "Die Reederei rechnete auf ihrer Website mit einer Unterbrechung bis 11:00 Uhr UTC.",
    ],
)
def test_a_schedule_a_plan_or_a_deadline_is_no_moment(aside: str) -> None:
    text = f"On 7 March 2024 the booking site of the ferry line went down at 08:10 UTC. {aside}"
    assert [event.at for event in extract_timeline(text).events] == [utc("2024-03-07 08:10")]


# ------------------------------------------------------------ the trouble lasting until


@pytest.mark.parametrize(
    "sentence",
    [
        "The ground stop that followed lasted until 09:40 UTC.",
        "Some customers were affected until around 09:40 UTC.",
    ],
)
def test_the_trouble_lasting_until_a_time_ends_then(sentence: str) -> None:
    text = f"On 7 March 2024 the booking site of the ferry line went down at 08:10 UTC. {sentence}"
    assert [event.kind for event in extract_timeline(text).events] == ["impact", "recovery"]


def test_a_start_before_lasted_until_stays_the_impact() -> None:
    text = (
        "On 7 March 2024 the outage began about 08:10 UTC on Thursday and lasted until about "
        "09:40 UTC on Thursday."
    )
    assert [event.kind for event in extract_timeline(text).events] == ["impact", "recovery"]


# --------------------------------------------------------- the trouble without a failing verb


@pytest.mark.parametrize(
    "text",
    [
        "On 7 March 2024 the first reports of slow bookings came in at about 08:10 UTC.",
        "On 7 March 2024 the first reports of declined cards came at around 08:10 UTC.",
        "On 7 March 2024, shortly before 08:10 UTC, the harbour controllers lost communications "
        "with the ferries.",
        "On 7 March 2024 at 08:10 UTC the ferry line's domain dropped off the internet.",
        "Am 7. März 2024 um 08:10 Uhr UTC erloschen im Hafen die Lichter.",
        "Am 7. März 2024, Punkt 08:10 Uhr UTC: Tausende Funkgeräte verstummen.",
    ],
)
def test_the_trouble_told_without_a_verb_of_failing_is_the_impact(text: str) -> None:
    assert [event.kind for event in extract_timeline(text).events] == ["impact"]
