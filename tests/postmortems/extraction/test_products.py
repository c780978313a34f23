"""Step 5b, services: catalogue names that are also everyday words."""

from __future__ import annotations

import pytest

from postmortems.ingest.extraction import CatalogueEntry
from postmortems.ingest.extraction.products import ServiceMatcher

CATALOGUE = (
    CatalogueEntry("Windows"),
    CatalogueEntry("Microsoft Teams", ("Teams",)),
    CatalogueEntry("S3", ("Amazon S3",)),
    CatalogueEntry("Workers KV"),
)


def services(sentence: str) -> tuple[str, ...]:
    return ServiceMatcher(CATALOGUE).services_in(sentence, 0, len(sentence))


@pytest.mark.parametrize(
    "sentence",
    [
        "Most uploads in those two windows failed.",
        "Support teams worked through the night.",
    ],
)
def test_a_capitalised_one_word_name_written_in_lower_case_is_the_everyday_word(
    sentence: str,
) -> None:
    assert services(sentence) == ()


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Windows hosts crashed.", ("Windows",)),
        ("Calls in Teams dropped.", ("Microsoft Teams",)),
        ("Reads from s3 timed out.", ("S3",)),
        ("Writes to workers kv failed.", ("Workers KV",)),
    ],
)
def test_names_with_capitals_digits_or_several_words_match_in_any_case(
    sentence: str, expected: tuple[str, ...]
) -> None:
    assert services(sentence) == expected
