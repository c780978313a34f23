"""Faster forms of the extractor's patterns answer exactly what the slower ones answered.

Each pattern here was rewritten or moved to the word index so that a long paste is read
faster; the text it reads must not notice. The slower form is kept here as the reference.
"""

from __future__ import annotations

import re
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from postmortems.ingest.extraction import context, dates, events, extract_timeline, places
from postmortems.ingest.extraction import text as text_module
from postmortems.ingest.extraction.scanning import FastPattern, WordIndex

PHRASES = [
    "We expect", "will be", "ETA", "next Monday", "nächsten Freitag", "is due", "deadline",
    "a similar outage", "after a similar outage", "It follows an outage", "last year",
    "earlier this month", "Separately,", "damals", "Schon am Montag hatte", "schon",
    "Erst am Montag hatte", "on the 17th", "since the 3rd of May", "the 20th century",
    "8 Uhr", "acht Uhr", "Uhrzeit", "xUhr", "Uhr_", "https://example.com/a", "HTTP://x.de",
    "www.example.org", "Www.Beispiel.de", "ſ", "İ", "ß", "é", "\n", " ", ",", ".", "-", "_",
]  # fmt: skip
texts = st.lists(
    st.one_of(st.sampled_from(PHRASES), st.text(alphabet="aeSsUhrw.:/ -\n5", max_size=5)),
    max_size=30,
).map(" ".join)
windows = st.tuples(
    st.integers(min_value=0, max_value=200), st.integers(min_value=0, max_value=200)
)

# "^" without MULTILINE matches only where the text begins, wherever a search starts.
_OTHER_INCIDENT_BEFORE = re.compile(
    r"(?<!after\sa\s)\bsimilar\s+(?:outage|problem|failure|disruption|incident|glitch)|"
    r"\b(?:follows|comes\s+after|came\s+after)\s+(?:an?|the)\s+(?:\w+\s+){0,2}(?:outage|"
    r"failure|disruption|incident|glitch)|\blast\s+year\b|\bearlier\s+this\s+(?:year|month)|"
    r"\bdamals\b|\b(?-i:Bereits|Schon)\s+(?:\S+\s+){0,4}hatte\b|"
    r"\b(?-i:Erst)\s+am\s+\w+\s+hatte\b",
    re.IGNORECASE,
)


def _span(text: str, bounds: tuple[int, int]) -> tuple[int, int]:
    low, high = sorted(min(bound, len(text)) for bound in bounds)
    return low, high


@settings(max_examples=200, deadline=None)
@given(texts, windows)
def test_a_fast_search_finds_the_engine_s_first_match(text: str, bounds: tuple[int, int]) -> None:
    start, end = _span(text, bounds)
    words = WordIndex(text)
    for regex in (events._FUTURE_RE, events._OTHER_INCIDENT_RE, context._MONTH_DAY_RE):
        expected = regex.search(text, start, end)
        found = FastPattern(regex).search(text, words, start, end)
        assert (found and (found.span(), found.lastgroup)) == (
            expected and (expected.span(), expected.lastgroup)
        ), regex.pattern[:60]


@settings(max_examples=200, deadline=None)
@given(texts, windows)
def test_another_incident_is_told_as_before_the_split(text: str, bounds: tuple[int, int]) -> None:
    # The sentence check runs the word alternatives on the word index ("Separately" is
    # matched at the sentence's start on its own); they say what the plain pattern said.
    start, end = _span(text, bounds)
    found = bool(events._FAST_OTHER_INCIDENT.search(text, WordIndex(text), start, end))
    assert found == bool(_OTHER_INCIDENT_BEFORE.search(text, start, end))


def test_separately_counts_where_it_opens_a_sentence_anywhere_in_the_text() -> None:
    # It was anchored at the start of the whole text, so it never counted after that.
    text = (
        "Customers of Example Bank could not log in to its app on Monday, 3 March 2025, "
        "the bank said.\n\nSeparately, a rival lender's website went down on Wednesday, "
        "5 March 2025.\n"
    )

    days = {
        event.at.date() for event in extract_timeline(text, reference_date=date(2025, 3, 3)).events
    }

    assert days == {date(2025, 3, 3)}


@settings(max_examples=200, deadline=None)
@given(texts)
def test_literal_first_patterns_match_where_the_boundary_first_ones_did(text: str) -> None:
    pairs = (
        (dates._UHR_WORD_RE, re.compile(r"\bUhr\b")),
        (text_module._URL_RE, re.compile(r"(?:https?://|www\.)[^\s<>\"'\])]+", re.IGNORECASE)),
    )
    for faster, before in pairs:
        assert [m.span() for m in faster.finditer(text)] == [
            m.span() for m in before.finditer(text)
        ]


@settings(max_examples=200, deadline=None)
@given(texts, windows, st.sampled_from(["Uhr", "Separately", "S", "ETA"]))
def test_a_signer_s_name_is_found_as_a_whole_word_as_before(
    text: str, bounds: tuple[int, int], name: str
) -> None:
    start, end = _span(text, bounds)
    escaped = re.escape(name)
    before = re.compile(rf"(?<!\w){escaped}(?!\w)").search(text, start, end)
    # The form `events._signer_named_elsewhere` compiles: the name first.
    found = re.compile(rf"{escaped}(?!\w)(?<!\w{escaped})").search(text, start, end)
    assert (found and found.span()) == (before and before.span())


host_texts = st.lists(
    st.sampled_from(
        ["a", "b1", "-", ".", ":", "/", "http://", "https://", "www.", "co.uk", ".de", " ", "@",
         "A", "_", "é", "\n", "x.ai", "Ende. Dann"]
    ),
    max_size=20,
).map("".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(host_texts, windows)
def test_hosts_found_around_their_dots_are_the_engine_s(text: str, bounds: tuple[int, int]) -> None:
    start, end = _span(text, bounds)
    expected = [m.span("host") for m in places._HOST_RE.finditer(text, start, end)]
    assert [m.span("host") for m in places._hosts(text, start, end)] == expected
