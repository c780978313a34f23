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
