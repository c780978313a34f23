"""The word-indexed scanner finds exactly what the regex engine finds, on any text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from postmortems.ingest.extraction import dates, kinds, products
from postmortems.ingest.extraction.scanning import FastPattern, WordIndex

PATTERNS = (
    kinds._CUE_RE,
    dates._MONTH_FIRST_RE,
    dates._DAY_FIRST_RE,
    dates._YEAR_FIRST_RE,
    dates._LONE_WEEKDAY_RE,
    products._VOCABULARY_RE,
    products._PROVIDER_PHRASE_RE,
)
WORDS = [
    "restored", "Recovery", "began to see recovery", "fully recovered", "Oct", "October 20",
    "20. Oktober", "2025", "Monday", "Dienstag", "AWS", "Azure Front Door", "Lambda", "the",
    "-", "_", "é", "İ", "ß", "\n", " ", ",", "5xx", "503", "identified", "behoben", "wieder",
]  # fmt: skip
texts = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), max_size=40).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(texts, st.integers(min_value=0, max_value=20))
def test_fast_patterns_find_what_finditer_finds(text: str, offset: int) -> None:
    words = WordIndex(text)
    start = min(offset, len(text))
    for regex in PATTERNS:
        expected = [(m.start(), m.end(), m.lastgroup) for m in regex.finditer(text, start)]
        found = [
            (m.start(), m.end(), m.lastgroup)
            for m in FastPattern(regex).finditer(text, words, start)
        ]
        assert found == expected, regex.pattern[:60]


def test_cue_dispatch_keeps_the_cue_group_names() -> None:
    text = "the service was fully recovered after we applied a fix"
    found = [(m.group(0), m.lastgroup) for m in kinds._FAST_CUES.finditer(text, WordIndex(text))]
    expected = [(m.group(0), m.lastgroup) for m in kinds._CUE_RE.finditer(text)]
    assert found == expected


def test_a_pattern_that_can_start_anywhere_falls_back_to_finditer() -> None:
    regex = re.compile(r".x")
    assert [m.start() for m in FastPattern(regex).finditer("abxcx", WordIndex("abxcx"))] == [1, 3]


def test_letters_the_engine_folds_case_insensitively_are_found() -> None:
    text = "the service was reſtored; ſtarted again; \u212aill switch; 5\u0663\u0663 errors"
    words = WordIndex(text)
    for regex in (kinds._CUE_RE,):
        expected = [m.span() for m in regex.finditer(text)]
        assert [m.span() for m in FastPattern(regex).finditer(text, words)] == expected
