"""A name whose first word is one character before a sign: "1&1", "M&S", "M-PESA", "a few".

The word index keys each word by its first two characters; a one-character word ("1" in
"1&1") is keyed by that character alone. A pattern opening with a literal sign after one
character ("1&") was never tried there, so the catalogue's "1&1" or "M&S" named no service
in any sentence. The plain engine, run over the text, is the reference.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from postmortems.ingest.extraction import extract_timeline
from postmortems.ingest.extraction.model import CatalogueEntry
from postmortems.ingest.extraction.scanning import FastPattern, WordIndex

TEXT = (
    "Customers of 1&1 and shoppers at M&S could not pay; M-PESA and the E-Card failed too, "
    "and 1.1.1.1 answered nothing for a few minutes. A 1 & 1 or an M & S is another matter."
)


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?<![^\W_])(?:1&1|M&S|M-PESA|E-Card|1\.1\.1\.1)(?![^\W_])",
        r"\b(?:a few|an M)\b",
        r"\b(?:M-PESA|Mastercard|Maestro)\b",
    ],
)
def test_a_pattern_opening_with_one_character_and_a_sign_finds_what_the_engine_finds(
    pattern: str,
) -> None:
    regex = re.compile(pattern, re.IGNORECASE)
    expected = [match.span() for match in regex.finditer(TEXT)]
    found = [match.span() for match in FastPattern(regex).finditer(TEXT, WordIndex(TEXT))]
    assert expected
    assert found == expected


def test_a_catalogue_service_named_with_a_sign_after_its_first_character_is_found() -> None:
    extraction = extract_timeline(
        "On 3 May 2024 at 09:10 UTC, 1&1 customers lost mobile service. "
        "At 11:40 UTC M&S said card payments were working again.",
        catalogue=[CatalogueEntry("1&1"), CatalogueEntry("Marks & Spencer", ("M&S",))],
        reference_date=date(2024, 5, 3),
    )
    services = {event.at.hour: event.services for event in extraction.events}
    assert services[9] == ("1&1",)
    assert services[11] == ("Marks & Spencer",)
