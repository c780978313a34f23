"""Plans, timetables and deadlines read as moments (ninth round, wave 2).

Each test uses a short text written for it; none is taken from the labelled articles. Each
has a guard: a real moment written in the same shape stays.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from tests.postmortems.extraction.test_classes import hours

_DAY = date(2025, 3, 12)
_hours = partial(hours, reference=_DAY)


def test_what_will_or_must_happen_at_a_clock_is_no_moment() -> None:
    text = (
        "The registry's zone pushes failed at 1:10 pm UTC. It said zone pushes will pause "
        "from 2:30 pm to 4:30 pm UTC while staff check the records. Agencies must disconnect "
        "the tool by 5:00 pm UTC."
    )
    assert _hours(text) == [(13, 10)]


def test_a_guess_at_what_happened_stays_a_moment() -> None:
    text = "The fault must have begun at 9:10 UTC, the operator said, and will have cost a day."
    assert _hours(text) == [(9, 10)]


def test_a_timetable_time_is_no_moment_but_the_delayed_departure_is() -> None:
    text = (
        "The booking system failed at 4:40 pm UTC. The ferry to Nordheim, due to leave at "
        "5:05 pm UTC, left only at 6:12 pm UTC. The next left at 6:25 pm UTC instead of the "
        "scheduled 5:30 pm UTC. Trading was due to start at 9:00 UTC the next day."
    )
    hours = _hours(text)
    assert (17, 5) not in hours
    assert (17, 30) not in hours
    assert (9, 0) not in hours
    assert (16, 40) in hours
    assert (18, 25) in hours


def test_a_deadline_named_with_its_clock_is_no_moment() -> None:
    text = (
        "The authority set a noon deadline for the banks. To finish before the deadline of "
        "2025-03-13 03:00 UTC, we plan to start the rollback at 2025-03-12 20:00 UTC. The bank "
        "posted an update at 11:20 UTC."
    )
    assert _hours(text) == [(11, 20)]


def test_twelve_o_clock_noon_is_one_time_a_plan_can_govern() -> None:
    planned = "The operator said all trains would stay halted until 12:00 noon on 12 March 2025."
    assert _hours(planned) == []
    told = "The signal box failed, and all trains stopped at 12:00 noon UTC on 12 March 2025."
    assert _hours(told) == [(12, 0)]


def test_a_clock_with_a_dot_does_not_end_the_clause_of_a_plan() -> None:
    text = "At 10:54 UTC the exchange said it would reopen at 11.10 UTC and trade from 11.30 UTC."
    assert _hours(text) == [(10, 54)]


def test_a_german_plan_told_after_its_clock_or_an_original_time_is_no_moment() -> None:
    text = (
        "Am 12. März 2025 fiel um 7.40 Uhr das Stellwerk aus. Für den Vormittag war ab neun "
        "Uhr eine Übertragung aus dem Studio geplant. Die Ankunft in Nordheim war "
        "ursprünglich um elf Uhr. Um 10 Uhr begann die geplante Reparatur."
    )
    assert _hours(text) == [(6, 40), (9, 0)]
