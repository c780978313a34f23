"""Spurious events (eleventh round): a date that only bounds a forecast, a plan or an order
("might be without power until Friday"), and one instant said again in another zone's words
("at 23:53 GMT, or 3:53 p.m. Pacific Time").

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from postmortems.ingest.extraction import extract_timeline
from tests.postmortems.extraction.test_classes import date_only_days, hours

_DAY = date(2024, 3, 4)
_days = partial(date_only_days, reference=_DAY)
_hours = partial(hours, reference=_DAY)


def test_a_forecast_s_end_date_is_no_moment() -> None:
    text = (
        "A storm cut power to a coastal town on Monday, March 4, 2024. The utility said some "
        "households might be without power until Friday, March 8, 2024.\n"
    )
    assert date(2024, 3, 8) not in _days(text)


def test_an_order_s_end_date_is_no_moment() -> None:
    text = (
        "A security incident disrupted the court's filing system on Monday, March 4, 2024. "
        "The next day the court issued an order declaring its offices inaccessible until "
        "Sunday, March 10, because of the incident.\n"
    )
    assert _days(text) == {date(2024, 3, 4)}


def test_a_plan_s_end_date_is_no_moment() -> None:
    text = (
        "The carmaker will keep its plants closed until at least March 20 after a cyberattack "
        "last month crippled its systems.\n"
    )
    assert date(2024, 3, 20) not in _days(text)


def test_an_outage_that_lasted_until_a_day_ends_that_day() -> None:
    text = (
        "The attacker's access began on Monday, March 4, 2024 and lasted until Friday, "
        "March 8, 2024, the investigation found.\n"
    )
    assert date(2024, 3, 8) in _days(text)


def test_a_service_not_back_until_a_day_comes_back_that_day() -> None:
    text = (
        "The airline's systems failed on Monday, March 4, 2024, and it was unable to resume "
        "a full schedule until Wednesday, March 6, 2024.\n"
    )
    assert date(2024, 3, 6) in _days(text)


def test_an_instant_restated_after_or_in_another_zone_is_one_moment() -> None:
    text = "The exchange halted trading at 11:30 pm GMT, or 10:30 am AEDT.\n"
    assert _hours(text) == [(23, 30)]


def test_an_instant_restated_after_which_is_is_one_moment() -> None:
    text = "Users started reporting errors from around 9:12 pm EST, which is 1:12 pm AEDT.\n"
    assert _hours(text) == [(2, 12)]


def test_two_times_joined_by_and_stay_two_moments() -> None:
    text = "On March 4, 2024 the service failed at 9:12 UTC and recovered at 10:40 UTC.\n"
    assert _hours(text) == [(9, 12), (10, 40)]


def test_hours_a_desk_answers_the_phone_are_no_moments() -> None:
    text = (
        "Nach dem Cyberangriff meldete die Stadt, das Bürgerbüro sei wieder zwischen 8 und "
        "16 Uhr telefonisch erreichbar.\n"
    )
    assert _hours(text) == []


def test_opening_hours_by_weekdays_are_no_moments() -> None:
    text = (
        "After the retailer's website failed, shoppers were told to call its customer care "
        "line (Monday – Saturday, 7:00 a.m. – 9:00 p.m.) for help with orders.\n"
    )
    assert _hours(text) == []


def test_an_outage_window_on_a_day_stays_a_span() -> None:
    text = "The website was down on Monday, March 4, 2024 between 8 and 10 a.m. UTC.\n"
    assert _hours(text) == [(8, 0), (10, 0)]


def test_a_statement_about_a_desk_s_hours_keeps_its_day() -> None:
    text = (
        "Am Montag, 4. März 2024, meldete die Stadt, das Bürgerbüro sei wieder zwischen 8 und "
        "16 Uhr telefonisch erreichbar.\n"
    )
    assert _days(text) == {date(2024, 3, 4)}


def test_an_end_told_twice_once_vaguely_is_one_moment() -> None:
    text = (
        "The airline's check-in systems failed on Monday, March 4, 2024. The carrier said "
        "service was back to normal around 11:30 a.m. PT. Later it said it had mitigated the "
        "issue at 11:30 a.m. PT.\n"
    )
    extraction = extract_timeline(text, reference_date=_DAY)
    assert [e.kind for e in extraction.events if not e.date_only] == ["recovery"]
