"""Numbers that are no clock (tenth round): two years joined by "and" or a dash, and a
rate with its unit ("1.35 Tbps").

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import date

from postmortems.ingest.extraction import extract_timeline
from postmortems.ingest.extraction.dates import find_times
from tests.postmortems.extraction.test_classes import instants

_DAY = date(2025, 3, 14)


def _clocks(text: str) -> list[tuple[int, int]]:
    return [(time.hour, time.minute) for time in find_times(text, "en")]


def test_two_years_are_no_range_of_clock_times() -> None:
    assert _clocks("The bank had similar outages in 2015 and 2016.") == []
    assert _clocks("It was hit twice, 2009-2010, by the same fault.") == []


def test_a_range_of_military_times_with_its_zone_is_still_read() -> None:
    assert _clocks("Traffic was down from 2000-2200 UTC.") == [(20, 0), (22, 0)]
    assert _clocks("between 1418 and 1451 hours") == [(14, 18), (14, 51)]


def test_a_rate_is_no_clock_time() -> None:
    assert _clocks("The attack peaked at 1.35 Tbps.") == []
    assert _clocks("Inbound data peaked at 1.35 terabits per second.") == []
    assert _clocks("The link ran at 2.30 Gbit/s.") == []
    assert _clocks("Traffic dropped at 09.47 UTC.") == [(9, 47)]


def test_years_in_a_sentence_make_no_event() -> None:
    text = (
        "The exchange halted trading at 10:15 UTC on Friday.\n\n"
        "It compared the failure with others in 2015 and 2016.\n"
    )
    extraction = extract_timeline(text, reference_date=_DAY)
    assert [(m.hour, m.minute) for m in instants(extraction)] == [(10, 15)]
