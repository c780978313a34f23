"""Date forms the extractor did not read at all in the ninth round: the German genitive month.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import date

from postmortems.ingest.extraction import Extraction, extract_timeline
from postmortems.ingest.extraction.dates import find_dates


def days(extraction: Extraction) -> set[date]:
    return {e.at.date() for e in extraction.events if e.date_only}


def read(text: str, language: str = "en") -> set[tuple[int | None, int, int]]:
    return {(d.year, d.month, d.day) for d in find_dates(text, language)}


# ------------------------------------------------------------- the German genitive month


def test_der_genitiv_des_monats_datiert_den_ausfall() -> None:
    # The ordinal day before a genitive month does not end the sentence either.
    text = "Am Abend des 12. Novembers 2022 waren die Server des Spiels nicht erreichbar.\n"
    assert read(text, "de") == {(2022, 11, 12)}
    extraction = extract_timeline(
        "Server eines Onlinespiels nicht erreichbar\n\n" + text,
        language="de",
        reference_date=date(2022, 11, 12),
    )
    assert date(2022, 11, 12) in days(extraction)


def test_ein_genitiv_ohne_tag_davor_bleibt_ein_wort() -> None:
    assert read("Die Ernte des Mais und die Julis der Familie", "de") == set()
