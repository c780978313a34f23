"""The labelled article set itself: every label is well-formed and the split holds.

These tests read labels only. They never run the extractor, so the sealed part cannot
become something a test tunes against.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from postmortems.ingest.extraction.model import KINDS

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"
SEALED = ARTICLES / "sealed"
# Unseen probes: small sets written after a round's work and scored once at its end, each
# in a folder of its own (see "Unseen probes" in the articles' README).
PROBES = sorted(path for path in (ARTICLES / "probes").glob("*") if path.is_dir())
SUFFIXES = {".txt", ".md", ".html"}
CATALOGUE_NAMES = {
    entry["name"] for entry in json.loads((ARTICLES / "catalogue.json").read_text("utf-8"))
}


def _articles(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        path for path in folder.iterdir() if path.suffix in SUFFIXES and path.name != "README.md"
    )


def _label(article: Path) -> dict[str, object]:
    return json.loads(article.with_name(article.stem + ".expected.json").read_text("utf-8"))


ALL_ARTICLES = [path for folder in (ARTICLES, SEALED, *PROBES) for path in _articles(folder)]


@pytest.mark.parametrize(
    "article", ALL_ARTICLES, ids=lambda path: path.parent.name + "/" + path.name
)
def test_every_article_has_a_well_formed_label(article: Path) -> None:
    label = _label(article)
    assert label["language"] in ("de", "en")
    assert isinstance(label["incident"], str)
    assert label["incident"]
    assert isinstance(label["provider"], str)
    events = label["events"]
    assert isinstance(events, list)
    assert events
    for event in events:
        at = datetime.fromisoformat(event["at"].replace("Z", "+00:00"))
        assert at.utcoffset() is not None
        assert not at.utcoffset()
        assert event["kind"] in KINDS
        assert set(event["services"]) <= CATALOGUE_NAMES, event
        assert event.get("precision", "minute") in ("minute", "day")
        if event.get("precision") == "day":
            assert (at.hour, at.minute) == (0, 0)


def test_every_label_belongs_to_an_article() -> None:
    for folder in (ARTICLES, SEALED, *PROBES):
        for label in folder.glob("*.expected.json"):
            stem = label.name.removesuffix(".expected.json")
            assert any((folder / (stem + suffix)).exists() for suffix in SUFFIXES), label


def test_no_incident_is_on_both_sides_of_the_split() -> None:
    development = {_label(path)["incident"] for path in _articles(ARTICLES)}
    sealed = {_label(path)["incident"] for path in _articles(SEALED)}
    assert not development & sealed


@pytest.mark.parametrize("probe", PROBES, ids=lambda path: path.name)
def test_a_probe_holds_only_incidents_the_rest_of_the_set_lacks(probe: Path) -> None:
    elsewhere = {
        _label(path)["incident"]
        for folder in (ARTICLES, SEALED, *PROBES)
        if folder != probe
        for path in _articles(folder)
    }
    incidents = {_label(path)["incident"] for path in _articles(probe)}
    assert incidents
    assert not incidents & elsewhere


def test_the_set_has_the_breadth_issue_11_asks_for() -> None:
    development = [_label(path) for path in _articles(ARTICLES)]
    sealed = [_label(path) for path in _articles(SEALED)]
    labels = development + sealed
    assert len(labels) >= 40
    assert len({label["provider"] for label in labels}) >= 15
    assert 3 * len(sealed) >= len(labels)
    assert sum(label["language"] == "de" for label in labels) >= 8
    assert any(label["language"] == "de" for label in sealed)
