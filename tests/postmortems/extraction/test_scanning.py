"""The word-indexed scanner finds exactly what the regex engine finds, on any text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postmortems.ingest.extraction import dates, kinds, mentions, products
from postmortems.ingest.extraction.scanning import (
    DigitRunPattern,
    FastPattern,
    WindowSearch,
    WordIndex,
    _alternatives,
)

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


# The letters the engine folds ("ſ" is "s") are left out: the dispatch looks a word up
# by its letters as written, so it does not try "ſtarted" (as before this test).
plain_texts = st.lists(
    st.one_of(
        st.sampled_from([word for word in WORDS if word != "İ"]),
        st.text(alphabet=st.characters(blacklist_characters="ſ\u212aİı"), max_size=6),
    ),
    max_size=40,
).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(plain_texts, st.integers(min_value=0, max_value=20))
def test_the_cue_dispatch_finds_what_finditer_finds(text: str, offset: int) -> None:
    # Each word is tried against only the cue alternatives that can open like it.
    start = min(offset, len(text))
    expected = [(m.start(), m.end(), m.lastgroup) for m in kinds._CUE_RE.finditer(text, start)]
    found = kinds._FAST_CUES.finditer(text, WordIndex(text), start)
    assert [(m.start(), m.end(), m.lastgroup) for m in found] == expected


def test_a_branch_is_cut_into_its_top_level_alternatives() -> None:
    assert _alternatives(r"restor(?:ed|e)|[|]x|\|y|(a|b)c") == [
        "restor(?:ed|e)",
        "[|]x",
        r"\|y",
        "(a|b)c",
    ]
    assert _alternatives(r"[]|]|[^]|]") == ["[]|]", "[^]|]"]


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


DIGIT_PATTERNS = tuple(
    getattr(dates, name) for name in dir(dates) if isinstance(getattr(dates, name), DigitRunPattern)
)
DIGIT_WORDS = [
    "10:15", "9.30 Uhr", "1352 UTC", "230am", "7 p.m.", "2025-10-20T09:35", "v2:30", "A10:15",
    "19.01.2016", "5/1/2016", "2017/01/31", "15-Dec-2021", "\u0663\u0663:15", "between 10 and",
    "11 a.m.", "8 o'clock", "2.", "-", ":", "/", ".", " ", "\n", "T",
]  # fmt: skip
digit_texts = st.lists(
    st.one_of(
        st.sampled_from(DIGIT_WORDS), st.text(alphabet="0123456789:./-T \u0663a", max_size=6)
    ),
    max_size=30,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(digit_texts, st.integers(min_value=0, max_value=20))
def test_digit_run_patterns_find_what_finditer_finds(text: str, offset: int) -> None:
    words = WordIndex(text)
    start = min(offset, len(text))
    assert len(DIGIT_PATTERNS) >= 12
    for pattern in DIGIT_PATTERNS:
        expected = [m.span() for m in pattern.regex.finditer(text, start)]
        assert [m.span() for m in pattern.finditer(text, words, start)] == expected


def test_a_pattern_that_may_match_inside_a_run_of_digits_is_refused() -> None:
    with pytest.raises(ValueError, match="run of digits"):
        DigitRunPattern(re.compile(r"(?=\d)(?<![a-z])\d\d"))  # "12" inside "2024"
    with pytest.raises(ValueError, match="run of digits"):
        DigitRunPattern(re.compile(r"(?=\d)(?<![^\d])\d"))  # a negated set
    pattern = DigitRunPattern(re.compile(r"(?=\d)(?<![\d.])\d\d"))
    text = "in 2024 and 12"
    assert [m.span() for m in pattern.finditer(text, WordIndex(text))] == [(3, 5), (12, 14)]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ΑΣσςaΣʰİıſ\u212aé1 -_.\n", max_size=40) | st.text(max_size=40))
def test_the_openings_are_each_word_s_first_letters_folded_and_lowered(text: str) -> None:
    # Folded and lowered all at once, they must read as each word's alone ("ΑΣ" ends in a
    # final sigma on its own).
    words = WordIndex(text)
    expected = [
        opening.translate(str.maketrans({"ſ": "s", "\u212a": "k", "İ": "i", "ı": "i"})).lower()
        for opening in re.findall(r"(?<!\w)\w\w?", text)
    ]
    assert words._openings == expected
    assert len(words._starts) == len(expected)


PHRASES = [
    "data created at", "(as of", "(current as of", "5 % as of", "5%", "per cent at 50,005 as of",
    "percent as of", "would be unavailable between", "next update at", "(Stand:", "(updated",
    "last updated:", "scheduled for", "ETR of", "was", "the", "at", "(", ")", "9", " ", "\n",
    "Aktualisiert am 27.07.2020, Stand", "ordered airlines to pause until", "about",
]  # fmt: skip
window_texts = st.lists(
    st.one_of(st.sampled_from(PHRASES), st.text(alphabet="ab (5%.:\n", max_size=4)), max_size=25
).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(
    window_texts, st.integers(min_value=0, max_value=200), st.integers(min_value=0, max_value=120)
)
def test_a_window_search_answers_what_the_engine_answers(text: str, end: int, width: int) -> None:
    regex = mentions._NOT_A_MOMENT_BEFORE_RE
    end = min(end, len(text))
    start = max(0, end - width)
    found = mentions._NOT_A_MOMENT_BEFORE.search(text, WordIndex(text), start, end)
    assert found == bool(regex.search(text, start, end))


def test_a_window_search_needs_its_word_alternatives_to_open_a_word() -> None:
    with pytest.raises(ValueError, match="opens no word"):
        WindowSearch(re.compile(r"(?:\b\(x|\(y)$"))
