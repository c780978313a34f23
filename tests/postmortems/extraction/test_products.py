"""Step 5b, services: catalogue names that are also everyday words."""

from __future__ import annotations

import pytest

from postmortems.ingest.extraction import CatalogueEntry
from postmortems.ingest.extraction.products import ServiceMatcher
from tests.postmortems.extraction.test_events import proposals

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


@pytest.mark.parametrize(
    "sentence",
    [
        "Fastly Engineering rolled back the change.",
        "IBM Cloud Twitter posted an update.",
        "Please contact Google Cloud Product Support if you are still affected.",
    ],
)
def test_a_team_or_channel_after_a_provider_is_no_product(sentence: str) -> None:
    assert proposals(sentence) == []


def test_a_product_after_a_provider_is_still_proposed() -> None:
    assert proposals("Fastly Image Optimizer returned errors.") == [
        ("Fastly Image Optimizer", "Fastly")
    ]
