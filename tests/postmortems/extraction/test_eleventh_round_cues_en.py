"""English day-only moments whose date was read but whose words no cue knew (eleventh round).

A dated sentence becomes a day event only with a cue. Outage write-ups name the trouble,
the fix and the end in words the lexicon lacked: a "malfunction", an "anomaly", a line
"disconnected", a service "out of service" or "out of action", "technical difficulties",
"the power went out", a network at a "standstill", travellers "stranded"; systems "were up
and running", "power returned", lines "returned to service"; the operator "learned of" the
intrusion or "spotted" it; hackers "stole" or "made off with" data; the operator "shut
down its IT networks", "shut off" the flow; "a software update was applied"; a company
"denied" a claim; a notice that "asks" or "reads" is a statement, not a thing noticed; a market
"trading normally" again has recovered. "Higher-than-expected" forecasts nothing.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import date

import pytest

from postmortems.ingest.extraction import extract_timeline
from tests.postmortems.extraction.test_ninth_round_cue_families import day_kinds

# Each case: the text, the day and the kind it tells; the reference date is the told day.
TOLD_DAYS = [
    pytest.param(
        "The check-in system of Example Air suffered a malfunction on Wednesday, March 6, 2024.",
        date(2024, 3, 6),
        "impact",
        id="malfunction",
    ),
    pytest.param(
        "The Example Link submarine cable has been out of service since Sunday, May 12, 2024.",
        date(2024, 5, 12),
        "impact",
        id="out-of-service",
    ),
    pytest.param(
        "The Example City library reported technical difficulties on Saturday, March 9, 2024.",
        date(2024, 3, 9),
        "impact",
        id="technical-difficulties",
    ),
    pytest.param(
        "On Sunday, December 3, 2023, the power went out at Example Airport.",
        date(2023, 12, 3),
        "impact",
        id="power-went-out",
    ),
    pytest.param(
        "Staff at Example Oil said all terminals were up and running on Monday, November 11, 2024.",
        date(2024, 11, 11),
        "recovery",
        id="up-and-running",
    ),
    pytest.param(
        "On 12 March 2024 power returned to most districts of Example City.",
        date(2024, 3, 12),
        "recovery",
        id="power-returned",
    ),
    pytest.param(
        "Example Pipeline began returning its lines to service on Wednesday, May 15, 2024.",
        date(2024, 5, 15),
        "recovery",
        id="returned-to-service",
    ),
    pytest.param(
        "Example Telecom says that on August 4, 2024, it learned of unauthorized access to "
        "customer records.",
        date(2024, 8, 4),
        "detection",
        id="learned-of",
    ),
    pytest.param(
        "On July 9, 2024, Example Exchange spotted an intruder in its registrar account.",
        date(2024, 7, 9),
        "detection",
        id="spotted",
    ),
    pytest.param(
        "On February 21, 2025, hackers stole tokens worth $2 million from Example Exchange.",
        date(2025, 2, 21),
        "trigger",
        id="stole",
    ),
    pytest.param(
        "On September 1, 2025, Example Motors shut down its IT networks.",
        date(2025, 9, 1),
        "mitigation",
        id="shut-down-networks",
    ),
    pytest.param(
        "Operators shut off the gas flow in the Example pipeline on October 8, 2023.",
        date(2023, 10, 8),
        "mitigation",
        id="shut-off",
    ),
    pytest.param(
        "A software update was applied on 19 June 2024 to the batch scheduler of Example Bank.",
        date(2024, 6, 19),
        "trigger",
        id="update-applied",
    ),
    pytest.param(
        "Example Telecom denied on Wednesday, November 17, 2021, that it had rerouted traffic.",
        date(2021, 11, 17),
        "communication",
        id="denied",
    ),
    pytest.param(
        "A technical fault stopped trading on the Example Exchange for four hours on Friday, "
        "February 25, 2011, amid weaker-than-expected growth figures.",
        date(2011, 2, 25),
        "impact",
        id="than-expected-is-no-forecast",
    ),
    pytest.param(
        "On Sunday, December 13, 2020, the agency's notice asks every office to unplug the "
        "Example Orion servers.",
        date(2020, 12, 13),
        "communication",
        id="a-notice-that-asks",
    ),
    pytest.param(
        "The Example Exchange was trading normally again on Tuesday, October 20, 2020, a day "
        "after a glitch disrupted its markets.",
        date(2020, 10, 20),
        "recovery",
        id="trading-normally",
    ),
]


@pytest.mark.parametrize(("text", "day", "kind"), TOLD_DAYS)
def test_a_told_day_makes_a_day_event(text: str, day: date, kind: str) -> None:
    extraction = extract_timeline(text, language="en", reference_date=day)
    assert (day, kind) in day_kinds(extraction)


def test_a_state_at_the_time_of_writing_is_no_recovery() -> None:
    text = "Example Cloud is up and running today, March 27, 2024, after a week of attacks."
    found = day_kinds(extract_timeline(text, language="en", reference_date=date(2024, 3, 27)))
    assert (date(2024, 3, 27), "recovery") not in found


def test_updates_that_made_something_clear_are_no_change() -> None:
    text = (
        "Players did not know on Sunday, June 25, 2023, how long the evening would go on, "
        "as later updates made clear."
    )
    found = day_kinds(extract_timeline(text, language="en", reference_date=date(2023, 6, 25)))
    assert (date(2023, 6, 25), "trigger") not in found
