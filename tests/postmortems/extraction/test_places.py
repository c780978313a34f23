"""The place gazetteer, and the clock a bare time takes from the place a text names.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

import pytest

from postmortems.ingest.extraction import extract_timeline
from postmortems.ingest.extraction.places import SEVERAL_ZONES, find_places, zone_of_name
from postmortems.ingest.extraction.scanning import WordIndex
from tests.postmortems.extraction.test_classes import instants, utc

# --------------------------------------------------------------------------- the gazetteer


@pytest.mark.parametrize(
    ("name", "zone"),
    [
        ("Singapore", "Asia/Singapore"),
        ("Singapur", "Asia/Singapore"),
        ("Tokio", "Asia/Tokyo"),
        ("Südafrika", "Africa/Johannesburg"),
        ("South Africa", "Africa/Johannesburg"),
        ("Neuseeland", "Pacific/Auckland"),  # the Chatham Islands do not count
        ("Spain", "Europe/Madrid"),  # nor do the Canaries
        ("Ukraine", "Europe/Kyiv"),  # "most of Ukraine" in the tz database
        ("Kiev", "Europe/Kyiv"),  # a zone's old name
        ("Sao Paulo", "America/Sao_Paulo"),
        ("SYDNEY", "Australia/Sydney"),
        ("Seoul", "Asia/Seoul"),
    ],
)
def test_a_country_or_city_gives_its_clock(name: str, zone: str) -> None:
    assert zone_of_name(name) == zone


@pytest.mark.parametrize(
    "name",
    ["United States", "USA", "Australia", "Australien", "Canada", "Russia", "Brazil", "Mexico"],
)
def test_a_country_of_several_zones_gives_no_clock(name: str) -> None:
    assert zone_of_name(name) == SEVERAL_ZONES


@pytest.mark.parametrize(
    "text",
    [
        "Reading the logs took an hour.",
        "Nice work by the on-call team.",
        "T-Mobile and Mobile carriers were fine.",
        "Split brain followed. Bath time. Police were called.",
        "Essen und Halle: der Hof war leer.",
        "The outage hit New Jersey and Georgia.",
        "Charles Darwin and Queen Victoria were not involved.",
    ],
)
def test_words_that_are_also_towns_are_no_places(text: str) -> None:
    assert [place.written for place in find_places(text, WordIndex(text))] == []


def test_a_city_s_german_adjective_and_genitive_are_the_city() -> None:
    text = "Die Londoner Börse und Singapurs Banken, dazu die Sydney-based ASX."
    assert [(place.written, place.zone) for place in find_places(text, WordIndex(text))] == [
        ("London", "Europe/London"),
        ("Singapur", "Asia/Singapore"),
        ("Sydney", "Australia/Sydney"),
    ]


# --------------------------------------------------------------------------- the text's place


def test_a_text_mostly_about_one_place_reads_bare_times_in_its_clock() -> None:
    text = (
        "Card payments failed across the UK on Saturday 8 June 2024. The fault began at "
        "2.10pm. UK banks said travellers in Egypt were hit too. Most UK shops coped.\n"
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2024-06-08T13:10")]
    assert {event.zone_basis for event in extraction.events} == {"place"}
