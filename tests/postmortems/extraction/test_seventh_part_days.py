"""Day-only moments the extractor missed on the seventh part once it joined the development
part: which days a text tells as moments, and with which kind.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import date

from postmortems.ingest.extraction import Extraction, extract_timeline


def day_events(extraction: Extraction) -> list[tuple[date, str]]:
    return [(e.at.date(), e.kind) for e in extraction.events if e.date_only]


# ------------------------------------------------- a date opening a line, with no list mark


def test_a_date_opening_a_line_with_a_colon_dates_the_whole_entry() -> None:
    text = (
        "How the ticket shop outage unfolded\n\n"
        "March 4: A contractor updates the payment plugin. The shop goes offline for most "
        "buyers.\n\n"
        "March 6: Payments work again for every buyer.\n"
    )
    events = day_events(extract_timeline(text, reference_date=date(2024, 3, 8)))
    assert (date(2024, 3, 4), "impact") in events
    assert (date(2024, 3, 6), "recovery") in events
