"""Days read wrong in the ninth round: a relative day that only glosses the date written
before it ("June 27th (yesterday)"), and advice "not to travel until at least 20:00" taken
as a moment, so that the morning's clock went a day on.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from postmortems.ingest.extraction import Extraction, extract_timeline


def moments(extraction: Extraction) -> set[datetime]:
    return {e.at for e in extraction.events if not e.date_only}


# ------------------------------------------------------ a relative day glossing a written date


def test_a_written_date_glossed_as_yesterday_keeps_its_day() -> None:
    text = (
        "# Example Chat status\n\n"
        "## Friday March 8, 2024\n\n"
        "On March 8th (yesterday) between 7:10 a.m. and 8:25 a.m. PST messages could not "
        "be sent.\n"
    )
    found = moments(extract_timeline(text))
    assert datetime(2024, 3, 8, 15, 10, tzinfo=UTC) in found
    assert datetime(2024, 3, 7, 15, 10, tzinfo=UTC) not in found


def test_yesterday_after_a_date_in_another_sentence_still_counts_back() -> None:
    text = (
        "# Example Chat status\n\n"
        "## Friday March 8, 2024\n\n"
        "We posted a notice on March 8th. Yesterday at 7:10 a.m. PST messages could not "
        "be sent.\n"
    )
    assert datetime(2024, 3, 7, 15, 10, tzinfo=UTC) in moments(extract_timeline(text))


# ------------------------------------------- advice "until" a time is no moment of the story


def test_advice_not_to_travel_until_a_time_does_not_push_the_next_clock_a_day_on() -> None:
    text = (
        "Signal fault at Example Central\n\n"
        "A signal fault at Example Central caused heavy disruption on Monday, and the "
        "operator advised passengers not to travel until at least 20:00 UTC.\n\n"
        "The fault, which began at around 06:10, affected every route into the station.\n"
    )
    found = moments(extract_timeline(text, reference_date=date(2024, 5, 13)))
    assert datetime(2024, 5, 13, 6, 10, tzinfo=UTC) in found
    assert datetime(2024, 5, 13, 20, 0, tzinfo=UTC) not in found
