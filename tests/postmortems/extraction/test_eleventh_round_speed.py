"""Faster machinery that changes no result: the scanner's three-letter check, the collector.

A word the two-letter index lets through is now checked on its first three letters before
the engine runs there. The plain pattern, run by the engine over the text, is the reference.
Python's cycle collector rests while a text is extracted, and only then.
"""

from __future__ import annotations

import gc
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postmortems.ingest.extraction import (
    context,
    core,
    dates,
    events,
    extract_timeline,
    kinds,
    products,
    scanning,
)
from postmortems.ingest.extraction import text as text_module
from postmortems.ingest.extraction.scanning import FastPattern, WordIndex

# Words that share two letters and part ways at the third, in several cases, cut short
# and run on, so the check meets words it must keep and words it may skip.
WORDS = [
    "restored", "Resolved", "RESOLVED", "rebooted", "region", "reading", "re", "r", "rest",
    "recovered", "Recovery", "reported", "outage", "Outages", "out", "ou", "impact", "imp",
    "investigating", "identified", "began", "begann", "beg", "Störung", "störung", "stö",
    "fix", "fixed", "Fixes", "mitigated", "mitig", "we're", "we’re", "Oct", "October 20",
    "Monday", "Mon", "Mo", "the", "noon", "Mitternacht", "AWS", "Lambda", "Azure Front Door",
    "expect", "will be", "similar outage", "é", "ß", "-", "_", "\n", " ", ",", ".", "5",
]  # fmt: skip
# Letters the engine equates with ASCII ones stay out, as in the cue dispatch's own test:
# the dispatch looks a word up by its letters as written.
texts = st.lists(
    st.one_of(
        st.sampled_from(WORDS),
        st.text(alphabet="reoRsutdgviacmp’' -.\n", max_size=6),
    ),
    max_size=40,
).map(" ".join)
windows = st.tuples(
    st.integers(min_value=0, max_value=300), st.integers(min_value=0, max_value=300)
)

PATTERNS = (
    kinds._CUE_RE,
    dates._MONTH_FIRST_RE,
    dates._DAY_FIRST_RE,
    dates._LONE_WEEKDAY_RE,
    dates._NOON_RE,
    dates._MIDNIGHT_RE,
    products._VOCABULARY_RE,
    products._PROVIDER_PHRASE_RE,
    events._FUTURE_RE,
    context._MONTH_DAY_RE,
)
FAST_PATTERNS = [(kinds._CUE_RE, kinds._FAST_CUES)] + [
    (regex, FastPattern(regex)) for regex in PATTERNS
]


def _spans(matches: object) -> list[tuple[int, int, str | None]]:
    return [(m.start(), m.end(), m.lastgroup) for m in matches]  # type: ignore[attr-defined]


def _window(text: str, bounds: tuple[int, int]) -> tuple[int, int]:
    low, high = sorted(min(bound, len(text)) for bound in bounds)
    return low, high


@settings(max_examples=200, deadline=None)
@given(texts, windows)
def test_the_three_letter_check_finds_what_the_engine_finds(
    text: str, bounds: tuple[int, int]
) -> None:
    # In any window: a word cut by the window's end is tried by the engine as before.
    start, end = _window(text, bounds)
    words = WordIndex(text)
    # Each fast pattern keeps what it learnt of earlier texts (what to try per three
    # letters), as the extractor's own do from paste to paste.
    for regex, fast in FAST_PATTERNS:
        expected = _spans(regex.finditer(text, start, end))
        assert _spans(fast.finditer(text, words, start, end)) == expected, regex.pattern[:60]


def test_a_cue_word_is_tried_only_where_a_cue_opens_with_its_three_letters() -> None:
    cues = kinds._FAST_CUES
    assert cues._fine_regex("rep") is cues._dispatch["re"]  # "reported"
    assert cues._fine_regex("reb") is None  # "rebooted": no cue opens "reb…"


def test_a_word_no_alternative_opens_like_is_not_tried() -> None:
    fast = FastPattern(re.compile(r"\b(?:restored|resolved)\b", re.IGNORECASE))
    assert fast._fine_regex("reb") is None
    assert fast._fine_regex("res") is fast.regex
    text = "Rebooted, then RESTORED and resolved."
    found = [m.group() for m in fast.finditer(text, WordIndex(text))]
    assert found == ["RESTORED", "resolved"]


def test_a_pattern_with_a_letter_the_engine_folds_keeps_the_two_letter_check() -> None:
    # "ſ" matches "s" case-insensitively; lowering "st" would never give it, so the
    # check by three letters is not used for such a pattern.
    assert FastPattern(re.compile(r"\bſtart\w*", re.IGNORECASE))._fine is None
    assert FastPattern(re.compile(r"\bstart\w*", re.IGNORECASE))._fine is not None


def test_a_word_cut_by_the_window_end_is_left_to_the_engine() -> None:
    # "on" ends the window inside "once": the engine sees "on" there, and so must we.
    fast = FastPattern(re.compile(r"\bon\b", re.IGNORECASE))
    text = "once more"
    assert [m.span() for m in fast.finditer(text, WordIndex(text), 0, 2)] == [(0, 2)]


def test_the_cycle_collector_rests_during_an_extraction_and_is_back_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[bool] = []
    prepare = core.prepare_text

    def watched(text: str) -> text_module.PreparedText:
        seen.append(gc.isenabled())
        return prepare(text)

    monkeypatch.setattr(core, "prepare_text", watched)
    assert gc.isenabled()
    extract_timeline("The site went down at 10:00 UTC on 3 May 2024.")
    assert seen == [False]
    assert gc.isenabled()


def test_the_cycle_collector_is_back_after_a_failed_extraction() -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        extract_timeline("text", language="fr")
    with pytest.raises(ValueError, match="unknown time zone"):
        extract_timeline("text", default_timezone="Nowhere/Town")
    assert gc.isenabled()


def test_a_caller_that_keeps_the_collector_off_keeps_it_off() -> None:
    gc.disable()
    try:
        extract_timeline("The site went down at 10:00 UTC on 3 May 2024.")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_letters_the_engine_equates_with_ascii_ones_are_the_folded_ones() -> None:
    # What the three-letter check relies on: outside these, no letter matches an ASCII
    # letter or digit case-insensitively ("ß" and "ä" do not), so lowering an ASCII word
    # misses no match.
    ascii_word = re.compile(r"[a-z0-9_]", re.IGNORECASE)
    equated = {chr(code) for code in range(128, 0x110000) if ascii_word.fullmatch(chr(code))}
    assert equated == {letter for letter, _ in scanning._FOLDED}
    assert FastPattern(re.compile(r"\baußer\b", re.IGNORECASE))._fine is not None
