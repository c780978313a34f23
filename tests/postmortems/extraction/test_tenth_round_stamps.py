"""Page stamps read as moments (tenth round): a date alone on a headline-less copy's first
line, stamp words the page writes ("First Published:", "Date Reported:", "Publiziert:"), an
agency before its "Updated:" stamp, and an author's line in capitals ("BY …").

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from tests.postmortems.extraction.test_classes import date_only_days, hours

_DAY = date(2025, 3, 14)
_days = partial(date_only_days, reference=_DAY)
_hours = partial(hours, reference=_DAY)


def test_a_first_line_date_over_a_story_of_another_day_is_the_page_s_date() -> None:
    text = (
        "2025-03-15\n\n"
        "On Friday, the tills of a bakery chain in several towns failed after a faulty update.\n\n"
        "The chain said the registers were working again by the evening.\n"
    )
    assert _days(text) == {date(2025, 3, 14)}


def test_a_first_line_date_over_a_story_of_its_own_day_still_heads_it() -> None:
    text = (
        "2025-03-14\n\n"
        "A bakery chain says its tills have started working again after an outage on Friday.\n"
    )
    assert date(2025, 3, 14) in _days(text)


def test_a_first_line_date_over_a_status_entry_heads_the_entry() -> None:
    text = "March 14, 2025\n\nResolved - The tills failed on Thursday and are working again.\n"
    assert date(2025, 3, 14) in _days(text)


def test_stamp_words_a_page_writes_are_no_moments() -> None:
    first = (
        "Grid failure\n\nThe grid failed at 2:05 p.m. UTC on Friday, the operator said.\n\n"
        "First Published: March 15 2025. 07:10 UTC\n"
    )
    assert _hours(first) == [(14, 5)]
    reported = (
        "Incident: chat replies garbled\nDate Occurred: Mar 14, 2025\n"
        "Date Reported: Mar 15, 2025\n\nReplies were garbled for hours, the provider said.\n"
    )
    assert date(2025, 3, 15) not in _days(reported)
    german = (
        "Börse steht still\n\nAb 11 Uhr stand der Handel still.\n\n"
        "Publiziert: 14.03.2025 um 13:05 Uhr\n"
    )
    assert (12, 5) not in _hours(german)


def test_an_agency_before_an_updated_stamp_is_the_stamp_s() -> None:
    text = (
        "Power cut\n\nThe grid failed at 3:40 p.m. UTC on Friday.\n\n"
        "Wire | Updated: 15-03-2025 09:17 UTC | Created: 15-03-2025 09:16 UTC\n"
    )
    assert _hours(text) == [(15, 40)]


def test_an_author_s_line_in_capitals_introduces_the_stamp() -> None:
    text = (
        "Streaming service apologises\n\nBY Jane Example\nMarch 15, 2025, 4:05 AM UTC\n\n"
        "The live show failed to start at 8 p.m. UTC on Friday.\n"
    )
    assert _hours(text) == [(20, 0)]
