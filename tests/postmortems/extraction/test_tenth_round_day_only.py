"""Day-only moments the extractor read but dropped in the tenth round.

A date alone on its line with a colon ("4 March 2024:") heads the paragraphs below it, as a
bare heading does, not an empty list item. An attack told from its target's side ("wurde
Ziel eines Angriffs", "verschafften sich Zugang", "the attackers got into its network") is
how the incident began; trouble told as had or gone down ("gab es massive Probleme", "ran
into major technical trouble", "was down for hours") is the impact, where the words
"problems" or "down" alone are too weak to make a day event; and making it known ("disclosed
that", "machte den Vorfall öffentlich") is a statement of that day.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import date

import pytest

from postmortems.ingest.extraction import Extraction, extract_timeline


def day_kinds(extraction: Extraction) -> set[tuple[date, str]]:
    return {(e.at.date(), e.kind) for e in extraction.events if e.date_only}


def test_a_date_alone_on_its_line_heads_the_paragraph_below() -> None:
    text = (
        "How the portal outage unfolded\n\n"
        "4 March 2024:\n\n"
        "Example Health restored access to its patient portal after engineers replaced the "
        "failed storage array.\n\n"
        "6 March 2024:\n\n"
        "The insurer apologised to its members in a letter.\n"
    )
    found = day_kinds(extract_timeline(text, reference_date=date(2024, 3, 4)))
    assert (date(2024, 3, 4), "recovery") in found
    assert (date(2024, 3, 6), "communication") in found


# Each case: the language, the text, the day and the kind it tells. The reference date is
# the told day, as the incident day the importer passes.
TOLD_DAYS = [
    pytest.param(
        "en",
        "Unknown attackers got into the council's network on Tuesday, March 5, and "
        "copied files from a file server.",
        date(2024, 3, 5),
        "trigger",
        id="attackers-got-into",
    ),
    pytest.param(
        "de",
        "Die Stadtverwaltung von Beispielstadt wurde am Dienstag, 5. März, Ziel eines "
        "Angriffs aus dem Netz.",
        date(2024, 3, 5),
        "trigger",
        id="ziel-eines-angriffs",
    ),
    pytest.param(
        "de",
        "Unbekannte verschafften sich am 5. März 2024 Zugang zu den Servern der Stadtwerke.",
        date(2024, 3, 5),
        "trigger",
        id="zugang-verschafft",
    ),
    pytest.param(
        "en",
        "Shoppers at Example Mart ran into major technical trouble on Saturday, March 9, "
        "when the checkout page stopped loading.",
        date(2024, 3, 9),
        "impact",
        id="ran-into-trouble",
    ),
    pytest.param(
        "de",
        "Am 4. März 2024 gab es bei der Beispielbank massive Probleme mit der Kartenzahlung.",
        date(2024, 3, 4),
        "impact",
        id="gab-es-probleme",
    ),
    pytest.param(
        "en",
        "On Friday, March 8, Example Cloud disclosed that a storage bug had deleted "
        "customer snapshots.",
        date(2024, 3, 8),
        "communication",
        id="disclosed",
    ),
    pytest.param(
        "de",
        "Der Versorger machte den Vorfall am Montag, 11. März, öffentlich.",
        date(2024, 3, 11),
        "communication",
        id="machte-oeffentlich",
    ),
]


@pytest.mark.parametrize(("language", "text", "day", "kind"), TOLD_DAYS)
def test_a_told_day_makes_a_day_event(language: str, text: str, day: date, kind: str) -> None:
    extraction = extract_timeline(text, language=language, reference_date=day)
    assert (day, kind) in day_kinds(extraction)


def test_critics_attacking_a_bank_is_no_attack() -> None:
    text = "Consumer groups attacked the bank on Monday, March 4, over its new account fees."
    found = day_kinds(extract_timeline(text, reference_date=date(2024, 3, 4)))
    assert (date(2024, 3, 4), "trigger") not in found
