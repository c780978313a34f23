"""Page stamps read as moments: a handle's byline, a reading time, a clock-first line, a
repeated stamp and a date with its clock in brackets (ninth round, wave 2).

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from tests.postmortems.extraction.test_classes import hours

_DAY = date(2025, 3, 12)
_hours = partial(hours, reference=_DAY)


def test_a_user_s_handle_byline_with_its_clock_is_the_page_s_stamp() -> None:
    text = (
        "Backbone trouble in Nordheim\n\nnordblog.example - tag: network\n\n"
        "by nightowl on March 12th 2025, at 16:40\n\n"
        "Traffic across the exchange dropped to almost zero at 12:20 UTC, the graph shows.\n"
    )
    assert _hours(text) == [(12, 20)]


def test_a_stamp_with_its_reading_time_is_the_page_s_stamp() -> None:
    text = (
        "Hackerangriff auf die Hochschule\n\n"
        "Nordheim · 12.03.2025, 15:20 Uhr / Lesedauer: 2 min\n\n"
        "Die Systeme der Hochschule fielen am Mittwoch um 8.10 Uhr aus.\n"
    )
    assert _hours(text) == [(7, 10)]


def test_a_clock_first_zoned_line_alone_is_the_page_s_stamp() -> None:
    stamp = "Bank outage\n\n15:20 JST, March 12, 2025\n\nTransfers failed at 8:30 a.m. JST.\n"
    assert (6, 20) not in _hours(stamp)
    entry = "Bank outage\n\n15:20 JST, March 12, 2025 - transfers failed.\n"
    assert _hours(entry) == [(6, 20)]


def test_a_line_repeating_the_page_s_stamp_is_no_moment() -> None:
    text = (
        "Kaufhaus betroffen\n\nRadio Nord, Nachrichten\n\nStand: 12.03.2025 18:00 Uhr\n\n"
        "Die Kassen des Kaufhauses fielen am Mittwoch um 9.15 Uhr aus.\n\n"
        "| RNO 90,3: 12.03.2025 18:00 Uhr\n"
    )
    assert _hours(text) == [(8, 15)]


def test_a_date_and_clock_alone_in_brackets_is_a_stamp() -> None:
    agency = "Power cut\n\n( 2025-03-12 15:20) (Agencies)\n\nThe grid failed at 6.20pm UTC.\n"
    assert _hours(agency) == [(18, 20)]
    dateline = (
        "Nordheim (12.03.2025, 15:20 Uhr) - Die Züge standen still. Um 8.10 Uhr fiel der "
        "Strom aus.\n"
    )
    assert _hours(dateline) == [(7, 10)]
    caption = (
        "Netzausfall\n\nUm 8.10 Uhr fiel das Netz aus.\n\n"
        "[Bild: Karte der Meldungen. Quelle: Portal (12. März 2025, 15.20 Uhr)]\n"
    )
    assert _hours(caption) == [(7, 10)]


def test_a_date_and_clock_in_brackets_inside_a_sentence_stays_a_moment() -> None:
    text = "The network failed (12 March 2025, 12:30 UTC) and came back after a restart."
    assert _hours(text) == [(12, 30)]
