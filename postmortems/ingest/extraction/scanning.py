"""Run a large alternation only where it can match: linear and fast on megabyte pastes.

Python's regex engine tries every branch of a pattern at every position of the text. For
the cue, date and product grammars (dozens of branches, case-insensitive) that costs
microseconds per character, seconds per megabyte. The text's words are indexed once by
their first two letters (`WordIndex`); `FastPattern` works out from the pattern itself
which openings a match can have and tries it only at the words that open that way.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator

try:  # Python 3.11+
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

_WIDTH = 2
# A word that passes the index is checked on its first three letters before the engine
# tries the pattern there: two letters say too little about a large grammar ("re" opens
# "restored" and "reported" but also "rebooted", "region" and "reading").
_FINE_WIDTH = 3
# Above this many words a query reads the per-opening lists instead of every word.
_SMALL_REGION = 5000
# Letters the engine's case-insensitive matching equates with ASCII ones ("ſ" is "s").
_FOLDED = (("ſ", "s"), ("\u212a", "k"), ("İ", "i"), ("ı", "i"))
_ZERO_WIDTH = {sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT}


def _charset(items: list[tuple[object, object]]) -> set[str] | None:
    chars: set[str] = set()
    for op, value in items:
        if op is sre_constants.LITERAL:
            chars.add(chr(value).lower())  # type: ignore[arg-type]
        elif op is sre_constants.RANGE:
            low, high = value  # type: ignore[misc]
            if high - low > 64:
                return None
            chars.update(chr(code).lower() for code in range(low, high + 1))
        else:
            return None  # a negated set or a category (\d is any Unicode digit): anything
    return chars


def _openings(
    items: list[tuple[object, object]], prefix: str = "", width: int = _WIDTH
) -> set[str]:
    """Return the lower-case openings (up to `width` characters) a match can start with.

    A returned string shorter than `width` means "this, then anything".
    """
    if len(prefix) >= width:
        return {prefix[:width]}
    if not items:
        return {prefix}
    (op, value), rest = items[0], items[1:]
    if op in _ZERO_WIDTH:
        return _openings(rest, prefix, width)
    if op is sre_constants.LITERAL:
        return _openings(rest, prefix + chr(value).lower(), width)  # type: ignore[arg-type]
    if op is sre_constants.IN:
        chars = _charset(list(value))  # type: ignore[arg-type]
        if chars is None:
            return {prefix}
        found: set[str] = set()
        for char in chars:
            found |= _openings(rest, prefix + char, width)
        return found
    if op is sre_constants.SUBPATTERN:
        return _openings(list(value[-1]) + rest, prefix, width)  # type: ignore[index]
    if op is sre_constants.BRANCH:
        found = set()
        for branch in value[1]:  # type: ignore[index]
            found |= _openings(list(branch) + rest, prefix, width)
        return found
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
        low, high, item = value  # type: ignore[misc]
        found = set()
        if low == 0:
            found |= _openings(rest, prefix, width)
        # After one repetition the text may repeat it again or go on: cut the opening there
        # unless the item appears at most once.
        found |= _openings(list(item) + (rest if high == 1 else []), prefix, width)
        return found
    return {prefix}  # any character, a back-reference...: the opening ends here


# The first one or two characters of every word.
_OPENING_RE = re.compile(r"(?<!\w)\w\w?")
_WORD_CHARACTER = re.compile(r"\w")
# The first digit of every run of digits (a charset first: the engine skips to digits in C).
_DIGIT_RUN_RE = re.compile(r"\d(?<!\d\d)")


class WordIndex:
    """Where each word of a text starts, with its first two letters in lower case."""

    def __init__(self, text: str) -> None:
        # Two passes of the regex engine and C-level maps: a Python loop over every word
        # of a megabyte paste would cost more than the rest of the extraction.
        self._starts = list(map(re.Match.start, _OPENING_RE.finditer(text)))
        # The openings joined by a character no word holds are folded and lowered by a few
        # C calls; lowering each opening alone gives the same letters (the one context
        # lowering reads, a final sigma, stops at the separator).
        joined = "\0".join(_OPENING_RE.findall(text))
        for letter, folded in _FOLDED:
            if letter in joined:
                joined = joined.replace(letter, folded)
        self._openings = joined.lower().split("\0") if self._starts else []
        self._by_opening: dict[str, list[int]] | None = None
        self._text = text
        self._digit_runs: list[int] | None = None

    def digit_runs(self, start: int, end: int) -> list[int]:
        """Return, in order, the starts in [start, end) of runs of (Unicode) digits."""
        if self._digit_runs is None:
            self._digit_runs = list(map(re.Match.start, _DIGIT_RUN_RE.finditer(self._text)))
        runs = self._digit_runs
        return runs[bisect.bisect_left(runs, start) : bisect.bisect_left(runs, end)]

    def starts(
        self, openings: frozenset[str], firsts: frozenset[str], start: int, end: int
    ) -> list[int]:
        """Return, in order, the starts in [start, end) of words that open with `openings`
        or whose first character is in `firsts`.
        """
        low = bisect.bisect_left(self._starts, start)
        high = bisect.bisect_left(self._starts, end)
        if high - low > _SMALL_REGION:
            return self._starts_by_opening(openings, firsts, start, end)
        word_openings = self._openings
        if firsts:
            return [
                self._starts[index]
                for index in range(low, high)
                if word_openings[index] in openings or word_openings[index][:1] in firsts
            ]
        return [
            self._starts[index] for index in range(low, high) if word_openings[index] in openings
        ]

    def _starts_by_opening(
        self, openings: frozenset[str], firsts: frozenset[str], start: int, end: int
    ) -> list[int]:
        # A whole-text query reads only the words that open the right way.
        if self._by_opening is None:
            by_opening: dict[str, list[int]] = {}
            for position, opening in zip(self._starts, self._openings, strict=True):
                by_opening.setdefault(opening, []).append(position)
            self._by_opening = by_opening
        keys = [
            key for key in self._by_opening if key in openings or (firsts and key[:1] in firsts)
        ]
        found: list[int] = []
        for key in keys:
            positions = self._by_opening[key]
            found.extend(
                positions[bisect.bisect_left(positions, start) : bisect.bisect_left(positions, end)]
            )
        found.sort()
        return found


def _structure(pattern: str) -> Iterator[tuple[int, str, int]]:
    """Yield each bracket and "|" of a pattern with its group depth, outside sets and escapes."""
    depth = 0
    index = 0
    in_set = False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_set:
            in_set = char != "]"
        elif char == "[":
            in_set = True
            # A "]" right after "[" or "[^" is a character of the set.
            index += pattern.startswith("^", index + 1)
            index += pattern.startswith("]", index + 1)
        elif char == "(":
            depth += 1
            yield index, char, depth
        elif char == ")":
            depth -= 1
            yield index, char, depth
        elif char == "|":
            yield index, char, depth
        index += 1


def _alternatives(pattern: str) -> list[str]:
    """Return the alternatives of a pattern: its text cut at each top-level "|"."""
    cuts = [index for index, char, depth in _structure(pattern) if char == "|" and depth == 0]
    bounds = [-1, *cuts, len(pattern)]
    return [pattern[low + 1 : high] for low, high in itertools.pairwise(bounds)]


def _fine_check_holds(openings: set[str]) -> bool:
    """Return True when the three-letter check of ASCII words may use these openings.

    A word of ASCII letters is lowered to compare it; a pattern letter outside ASCII that
    the engine equates with an ASCII one ("ſ" with "s": the letters of _FOLDED, "İ" lowered
    as "i" and a combining dot) would be missed, so a pattern holding one keeps the
    two-letter check alone. Other letters ("ß", "ä") match no ASCII letter.
    """
    folded = {letter for letter, _ in _FOLDED} | {"\u0307"}
    return "" not in openings and not any(
        char in folded for opening in openings for char in opening
    )


class FastPattern:
    """A pattern that only ever matches at a word start, tried only where it can open.

    `finditer` gives exactly what `regex.finditer` gives for such a pattern. With
    `branches`, the pattern is `before(?:(?P<c0>b0)|(?P<c1>b1)|…)after` and each word is
    tried against only the branches that can open like it, which keeps a large cue grammar
    cheap.
    """

    def __init__(
        self,
        regex: re.Pattern[str],
        *,
        branches: tuple[str, ...] = (),
        before: str = "",
        after: str = "",
    ) -> None:
        self.regex = regex
        parsed = list(sre_parse.parse(regex.pattern, regex.flags))
        openings = _openings(parsed)
        self._always = "" in openings
        self._openings = frozenset(openings)
        # A word of one character ("1&1", "M&S", "a few") is indexed by that character
        # alone: an opening whose second character cannot go on a word is also looked up
        # by its first.
        self._indexed = self._openings | {
            opening[:1]
            for opening in openings
            if len(opening) == _WIDTH and not _WORD_CHARACTER.match(opening[1])
        }
        self._firsts = frozenset(opening for opening in openings if len(opening) < _WIDTH)
        self._dispatch: dict[str, re.Pattern[str]] = {}
        # The three-letter openings: a word the index lets through is checked on its first
        # three letters before the engine runs there.
        fine = _openings(parsed, width=_FINE_WIDTH)
        self._fine = frozenset(fine) if _fine_check_holds(fine) else None
        # By a word's first three letters (ASCII, lowered): the pattern to try there, None
        # where nothing can match. Filled as words come: a text holds few distinct ones.
        self._by_fine: dict[str, re.Pattern[str] | None] = {}
        if branches and not self._always:
            # Each branch is an alternation of its own ("restor(?:ed|e)|resolv(?:ed|ing)|…");
            # a word is tried against only the alternatives that can open like it. The
            # engine tries an alternation's alternatives one by one, so leaving out those
            # that cannot match where the word starts changes no match and saves most tries.
            per_branch = [
                [
                    (
                        alternative,
                        _openings(
                            list(sre_parse.parse(before + f"(?:{alternative})", regex.flags))
                        ),
                    )
                    for alternative in _alternatives(branch)
                ]
                for branch in branches
            ]
            for opening in self._openings:
                groups = []
                for index, alternatives in enumerate(per_branch):
                    wanted = [
                        alternative
                        for alternative, alternative_openings in alternatives
                        if any(
                            opening.startswith(o) or o.startswith(opening)
                            for o in alternative_openings
                        )
                    ]
                    if wanted:
                        groups.append(f"(?P<c{index}>{'|'.join(wanted)})")
                self._dispatch[opening] = re.compile(
                    before + "(?:" + "|".join(groups) + ")" + after, regex.flags
                )

    def _fine_regex(self, fine: str) -> re.Pattern[str] | None:
        """Return what to try at a word whose first three letters, lowered, are `fine`.

        A cue pattern cut down per three letters would try fewer alternatives, but building
        the few hundred of them costs more than a 2 MB paste saves: the two-letter one is
        tried.
        """
        assert self._fine is not None
        if fine not in self._fine and fine[:2] not in self._fine and fine[:1] not in self._fine:
            return None
        if not self._dispatch:
            return self.regex
        return self._dispatch.get(fine[:2]) or self._dispatch.get(fine[:1])

    def finditer(
        self, text: str, words: WordIndex, start: int = 0, end: int | None = None
    ) -> Iterator[re.Match[str]]:
        """Yield the matches in text[start:end], as `regex.finditer` would."""
        end = len(text) if end is None else end
        if self._always:
            yield from self.regex.finditer(text, start, end)
            return
        last_end = start
        fine, by_fine = self._fine, self._by_fine
        for position in words.starts(self._indexed, self._firsts, start, end):
            if position < last_end:
                continue
            if fine is not None and position + _FINE_WIDTH <= end:
                key = text[position : position + _FINE_WIDTH]
                # Only ASCII letters lower as the engine folds them, one for one.
                if key.isascii():
                    key = key.lower()
                    if key in by_fine:
                        regex = by_fine[key]
                    else:
                        regex = by_fine[key] = self._fine_regex(key)
                    if regex is None:
                        continue
                    found = regex.match(text, position, end)
                    if found is not None:
                        yield found
                        last_end = found.end()
                    continue
            if self._dispatch:
                opening = text[position : position + _WIDTH].lower()
                regex = self._dispatch.get(opening) or self._dispatch.get(opening[:1])
                if regex is None:
                    continue
                found = regex.match(text, position, end)
            else:
                found = self.regex.match(text, position, end)
            if found is not None:
                yield found
                last_end = found.end()

    def search(
        self, text: str, words: WordIndex, start: int = 0, end: int | None = None
    ) -> re.Match[str] | None:
        """Return the first match in text[start:end], as `regex.search` would."""
        return next(self.finditer(text, words, start, end), None)


def _digit_run_start(regex: re.Pattern[str]) -> bool:
    """Return True when `regex` can only match at the first digit of a run of digits.

    That is a pattern that opens with `(?=\\d)` and, among its leading zero-width checks, a
    lookbehind that refuses a digit (`(?<![\\d…])` or `(?<![\\w…])`).
    """
    if regex.flags & re.ASCII:
        return False  # its \\d would be narrower than the index's
    items = list(sre_parse.parse(regex.pattern, regex.flags))
    if not items or not (
        items[0][0] is sre_constants.ASSERT
        and items[0][1][0] == 1  # type: ignore[index]
        and _is_charset_of(items[0][1][1], sre_constants.CATEGORY_DIGIT)  # type: ignore[index]
    ):
        return False
    for op, value in items[1:]:
        if op not in _ZERO_WIDTH:
            return False
        if op is sre_constants.ASSERT_NOT and value[0] == -1:  # type: ignore[index]
            body = value[1]  # type: ignore[index]
            if _is_charset_of(body, sre_constants.CATEGORY_DIGIT) or _is_charset_of(
                body, sre_constants.CATEGORY_WORD
            ):
                return True
    return False


def _is_charset_of(items: object, category: object) -> bool:
    """Return True when a parsed pattern is one (not negated) set holding `category`."""
    items = list(items)  # type: ignore[call-overload]
    return (
        len(items) == 1
        and items[0][0] is sre_constants.IN
        and (sre_constants.CATEGORY, category) in items[0][1]
        and not any(op is sre_constants.NEGATE for op, _ in items[0][1])
    )


class DigitRunPattern:
    """A pattern that only ever matches at the first digit of a run of digits.

    Python's engine cannot skip ahead to such a pattern's opening (a lookahead for a digit
    and lookbehinds), so `finditer` would try it at every character of the text. Here it
    is tried at the starts of the text's runs of digits only, and gives exactly what
    `regex.finditer` gives.
    """

    def __init__(self, regex: re.Pattern[str]) -> None:
        if not _digit_run_start(regex):
            raise ValueError(f"not a pattern opened by a run of digits: {regex.pattern[:60]!r}")
        self.regex = regex

    def finditer(
        self, text: str, words: WordIndex, start: int = 0, end: int | None = None
    ) -> Iterator[re.Match[str]]:
        """Yield the matches in text[start:end], as `regex.finditer` would."""
        end = len(text) if end is None else end
        match = self.regex.match
        last_end = start
        for position in words.digit_runs(start, end):
            if position < last_end:
                continue
            found = match(text, position, end)
            if found is not None:
                yield found
                last_end = found.end()


class WindowSearch:
    """Whether a pattern `(?:a|b|…)tail` matches in a short window, tried word by word.

    A large alternation searched over a window is tried at every position of it. The
    alternatives that open a word (`\\b…`) are tried at the window's words only, through a
    `FastPattern`; the others stay with the engine. A match exists if either finds one,
    so `search` answers what `regex.search` answers, though not with the same match.
    """

    def __init__(self, regex: re.Pattern[str]) -> None:
        pattern = regex.pattern
        group_end = _group_end(pattern)
        inner, tail = pattern[3:group_end], pattern[group_end + 1 :]
        alternatives = _alternatives(inner)
        word = [a for a in alternatives if a.startswith("\\b")]
        other = [a for a in alternatives if not a.startswith("\\b")]
        self._words = FastPattern(re.compile(f"(?:{'|'.join(word)}){tail}", regex.flags))
        if self._words._always or not all(
            re.match(r"\w", opening) for opening in self._words._openings
        ):
            raise ValueError(f"an alternative after \\b opens no word: {pattern[:40]!r}")
        self._other = re.compile(f"(?:{'|'.join(other)}){tail}", regex.flags) if other else None

    def search(self, text: str, words: WordIndex, start: int, end: int) -> bool:
        """Return True when the pattern matches somewhere in text[start:end]."""
        if self._other is not None and self._other.search(text, start, end):
            return True
        return self._words.search(text, words, start, end) is not None


def _group_end(pattern: str) -> int:
    """Return where the group that opens `pattern` ("(?:…)") closes."""
    if not pattern.startswith("(?:"):
        raise ValueError(f"not a pattern opened by a group: {pattern[:40]!r}")
    return next(index for index, char, depth in _structure(pattern) if char == ")" and depth == 0)
