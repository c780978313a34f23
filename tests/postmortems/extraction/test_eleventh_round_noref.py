"""Texts read with no reference date: what in the text itself dates their moments.

A page saved as text often keeps its date on a short line near the top that none of the
stricter readings (a "Published" stamp, a date alone under the headline, a byline) knows:
"Examplenews.de — 14.03.2023", "Example Daily, 9 May 2022 ku Bonn". With no other date to
count from, "on Tuesday" is the last Tuesday on or before that date; that the line is the
page's date is a guess, so a `date_inferred` warning says which line was read so.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import date

from postmortems.ingest.extraction import Extraction, extract_timeline


def days_of(extraction: Extraction) -> set[date]:
    return {e.at.date() for e in extraction.events}


def test_a_masthead_date_near_the_top_dates_a_weekday() -> None:
    text = (
        "Payment terminals down across the region\n\n"
        "Examplenews.de — 16.03.2023 ku Bonn\n\n"
        "On Tuesday card terminals at hundreds of shops stopped working at 9:40 UTC. "
        "The operator restored the service at 11:15 UTC.\n"
    )
    extraction = extract_timeline(text)
    assert date(2023, 3, 14) in days_of(extraction)
    assert "date_inferred" in extraction.warning_codes()


def test_a_date_inside_a_sentence_is_no_page_date() -> None:
    text = (
        "Payment terminals down across the region\n\n"
        "The operator, founded on 3 May 2010 in Bonn, runs the terminals of the region.\n\n"
        "On Tuesday card terminals at hundreds of shops stopped working at 9:40 UTC.\n"
    )
    assert "date_inferred" not in extract_timeline(text).warning_codes()


def test_a_reference_date_still_decides_over_the_head_line() -> None:
    text = (
        "Payment terminals down across the region\n\n"
        "Examplenews.de — 16.03.2023 ku Bonn\n\n"
        "On Tuesday card terminals at hundreds of shops stopped working at 9:40 UTC.\n"
    )
    extraction = extract_timeline(text, reference_date=date(2023, 3, 14))
    assert "date_inferred" not in extraction.warning_codes()


def test_a_caption_that_writes_its_weekday_tells_a_day_of_the_story() -> None:
    text = (
        "Bank app down for hours\n\n"
        "Photo caption: A closed branch of Example Bank in Bonn on Friday, March 3, 2023.\n\n"
        "The bank's app failed again on Saturday at 9:40 UTC and came back at 11:15 UTC.\n"
    )
    assert date(2023, 3, 4) in days_of(extract_timeline(text))


def test_an_archive_caption_without_a_weekday_dates_nothing() -> None:
    text = (
        "Bank app down for hours\n\n"
        "Photo caption: A branch of Example Bank in Bonn, Nov. 2, 2009.\n\n"
        "The bank's app failed again on Saturday at 9:40 UTC and came back at 11:15 UTC.\n"
    )
    assert not {d for d in days_of(extract_timeline(text)) if d.year == 2009}


def test_a_cited_address_dates_a_weekday_in_a_text_without_dates() -> None:
    text = (
        "Hospital group hit by ransomware\n\n"
        "The attack hit the group's hospitals on Sunday at 14:00 UTC, staff said.\n\n"
        "More information: https://news.example.com/2020/09/28/hospital-ransomware/\n"
    )
    extraction = extract_timeline(text)
    assert date(2020, 9, 27) in days_of(extraction)
    assert "date_inferred" in extraction.warning_codes()


def test_a_dated_line_further_down_tells_a_day_of_the_story() -> None:
    filler = " ".join(f"Office {n} stayed closed." for n in range(1, 10))
    text = (
        "Council systems hit by ransomware\n\n"
        f"{filler}\n\n"
        "Staff could not log in on Thursday at 8:30 UTC, the council said.\n\n"
        "— Example Council (@ExampleCouncil) February 10, 2023\n"
    )
    assert date(2023, 2, 9) in days_of(extract_timeline(text))
