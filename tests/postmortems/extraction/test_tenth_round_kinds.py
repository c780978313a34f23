"""Kinds of moments told by a statement: the statement's time, or what it reports.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import date

import pytest

from postmortems.ingest.extraction import extract_timeline

DAY = date(2024, 5, 6)


def _kinds(text: str) -> list[str]:
    return [event.kind for event in extract_timeline(text, reference_date=DAY).events]


@pytest.mark.parametrize(
    "text",
    [
        "The bank tweeted at 2:20 PM UTC that customers could not log in to the app.",
        "At 3:05 p.m. UTC, the retailer tweeted that shoppers could not pay in its stores.",
        "Gegen 12 Uhr meldete der Anbieter auf Facebook: Aktuell kommt es zu Störungen beim "
        "Festnetz.",
    ],
)
def test_a_post_dated_by_its_time_that_reports_the_trouble_is_the_post(text: str) -> None:
    assert _kinds(text) == ["communication"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # what was said is the fix or the recovery: the time is that moment
        (
            "In an update at 3.45pm UTC, the operator said all services had been restored.",
            "recovery",
        ),
        # the time stands inside what was said: the moment it reports
        ("Die Sprecherin sagte der Zeitung, um 13.53 Uhr sei das Netz ausgefallen.", "impact"),
        ("The company said the outage began at 9:12 UTC.", "impact"),
        # users reporting the trouble is the trouble
        ("At 9:40 UTC users reported that they could not log in.", "impact"),
    ],
)
def test_a_statement_whose_time_is_not_its_own_keeps_what_it_reports(text: str, kind: str) -> None:
    assert _kinds(text) == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "Um 16.58 Uhr teilte die Bahn mit, dass der Verkehr wieder anläuft.",
        "Um 23.40 Uhr meldete das Portal, der Dienst funktioniere für viele Nutzer wieder.",
    ],
)
def test_a_german_statement_that_service_runs_again_is_the_recovery(text: str) -> None:
    assert _kinds(text) == ["recovery"]
