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
