"""Turn raw article text into a same-length scan string and sentence segments.

Every later stage works on offsets into the scan string, and the scan string has exactly
the length of the input, so an offset found there is an offset into the caller's text.
That is what keeps `quote == text[start:end]` true without any bookkeeping.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .scanning import WordIndex

# Its first letter is a set of its own, so the engine skips in C to an "h" or a "w" instead
# of trying both openings at every position.
_URL_RE = re.compile(r"[hw](?:(?<=h)ttps?://|(?<=w)ww\.)[^\s<>\"'\])]+", re.IGNORECASE)
_HTML_HINT_RE = re.compile(
    r"<(?:p|div|br|li|ul|ol|h[1-6]|span|a|table|tr|td|article|section|html|body|time)\b[^>]*>",
    re.IGNORECASE,
)
_HIDDEN_ELEMENT_RE = re.compile(
    r"<(script|style|noscript)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL
)
_TAG_RE = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>|<!--.*?-->", re.DOTALL)
_ENTITY_RE = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
# fmt: off
_BLOCK_TAGS = frozenset((
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
    "table", "article", "section", "header", "footer", "blockquote", "pre", "hr", "dt", "dd",
))
# fmt: on

# Abbreviations whose trailing dot does not end a sentence ("Oct. 20", "z.B.", "ca. 9 Uhr").
# fmt: off
_ABBREVIATIONS = frozenset((
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon",
    "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "mr", "mrs", "ms", "dr",
    "st", "vs", "approx", "ca", "etc", "inc", "corp", "ltd", "co", "no", "nr", "bzw", "ggf",
    "usw", "vgl", "inkl", "jr", "sr", "mio", "mrd", "jän", "mär", "okt", "dez", "mo", "di",
    "mi", "do", "fr", "sa", "so", "u.s", "e.g", "i.e", "z.b", "d.h", "u.a", "o.ä",
    # titles before a name: "Gov. Ige tweeted", "State Adjutant Maj. Gen. Logan"
    "gov", "sen", "rep", "gen", "maj", "lt", "col", "capt", "sgt", "supt", "prof", "adm",
))
# fmt: on
_MERIDIEM_TOKENS = frozenset({"a.m", "p.m"})
# fmt: off
_MONTH_WORDS = frozenset((
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "januar", "jänner", "februar", "märz", "mai", "juni",
    "juli", "oktober", "dezember", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "okt", "dez",
))
# fmt: on
# "am Morgen des 30. Dezembers": the German genitive month, after an ordinal day only.
# fmt: off
GENITIVE_MONTH_WORDS = frozenset((
    "januars", "februars", "aprils", "junis", "julis", "augusts", "septembers", "oktobers",
    "novembers", "dezembers",
))
# fmt: on
_DAY_AFTER_CLOCK_WORDS = _MONTH_WORDS | frozenset(
    (
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "eastern",
        "pacific",
        "central",
        "mountain",
    )
)
# Zone abbreviations that may follow "a.m." without starting a new sentence.
# fmt: off
_ZONE_WORDS = frozenset((
    "UTC", "GMT", "PT", "PDT", "PST", "ET", "EDT", "EST", "CT", "CDT", "CST", "MT", "MDT",
    "MST", "BST", "CET", "CEST", "MEZ", "MESZ", "IST", "SAST", "EEST", "EET", "JST", "SGT",
    "AEST", "AEDT", "HKT", "KST", "WEST", "WET",
))
# fmt: on
_SENTENCE_END_RE = re.compile(r"[.!?…]+[\"'”“»)\]]*(?=\s)")
_LEADING_MARKER_RE = re.compile(r"[\s\-*•>#_|]+")
# What `_is_sentence_end` reads around a full stop: the next word, the token before it, and
# what that token is (a clock with "a.m", a day number, an initial).
_NEXT_WORD_RE = re.compile(r"[^\s,;:.!?()]*")
_LAST_TOKEN_RE = re.compile(r"(\S+)$")
_MERIDIEM_CLOCK_RE = re.compile(r"\d{1,2}(?:[:.]\d{2})?[ap]\.m")
_DAY_NUMBER_RE = re.compile(r"\d{1,2}")
_INITIALS_RE = re.compile(r"[a-zäöü]|(?:[a-zäöü]\.)+[a-zäöü]")
_NOT_NEWLINE_RE = re.compile(r"[^\n]")


@dataclass(frozen=True)
class Segment:
    """A sentence (or a list item, heading or log line) of the text."""

    start: int
    end: int
    paragraph: int  # lines joined by wrapping; a new one after any hard line break
    block: int  # paragraphs between blank lines; a status-page entry is one block


@dataclass(frozen=True)
class PreparedText:
    scan: str  # same length as the input; markup blanked, URLs replaced by "_"
    urls: tuple[tuple[int, int], ...]
    segments: tuple[Segment, ...]
    _starts: tuple[int, ...] = field(default=(), repr=False, compare=False)
    words: WordIndex = field(default=None, repr=False, compare=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(segment.start for segment in self.segments))
        if self.words is None:
            object.__setattr__(self, "words", WordIndex(self.scan))

    def segment_of(self, position: int) -> int | None:
        """Return the index of the segment holding `position`, or None between segments."""
        index = bisect.bisect_right(self._starts, position) - 1
        if index >= 0 and position < self.segments[index].end:
            return index
        return None


def prepare_text(text: str) -> PreparedText:
    """Return the scan string, URL spans and sentence segments of `text`."""
    scan = _blank_markup(text) if _HTML_HINT_RE.search(text) else text
    urls = tuple((m.start(), m.end()) for m in _URL_RE.finditer(scan))
    if urls:
        chars = list(scan)
        for start, end in urls:
            chars[start:end] = "_" * (end - start)
        scan = "".join(chars)
    return PreparedText(scan=scan, urls=urls, segments=tuple(_segment(scan)))


def _blank_markup(text: str) -> str:
    """Replace tags by spaces (block tags by a newline) keeping every offset."""

    def spaces(match: re.Match[str]) -> str:
        return _NOT_NEWLINE_RE.sub(" ", match.group(0))

    def tag(match: re.Match[str]) -> str:
        blank = spaces(match)
        name = (match.group(1) or "").lower()
        return "\n" + blank[1:] if name in _BLOCK_TAGS else blank

    scan = _HIDDEN_ELEMENT_RE.sub(spaces, text)
    scan = _TAG_RE.sub(tag, scan)
    return _ENTITY_RE.sub(lambda m: " " * len(m.group(0)), scan)


def _lines(scan: str) -> list[tuple[int, int]]:
    lines: list[tuple[int, int]] = []
    position = 0
    for raw in scan.splitlines(keepends=True):
        content = raw.rstrip("\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85")
        lines.append((position, position + len(content)))
        position += len(raw)
    return lines


def _segment(scan: str) -> list[Segment]:
    segments: list[Segment] = []
    paragraph = block = -1
    previous_blank = True
    paragraph_lines: list[tuple[int, int]] = []

    def flush() -> None:
        if paragraph_lines:
            start, end = paragraph_lines[0][0], paragraph_lines[-1][1]
            for s_start, s_end in _split_sentences(scan, start, end):
                segments.append(Segment(s_start, s_end, paragraph, block))
            paragraph_lines.clear()

    for start, end in _lines(scan):
        stripped = scan[start:end].strip()
        if not stripped:
            flush()
            previous_blank = True
            continue
        # A line that starts in lower case continues a hard-wrapped sentence; anything
        # else (capital, digit, bullet) is a new paragraph, which is right for headings,
        # list items and status-page lines.
        continues = (
            not previous_blank
            and paragraph_lines
            and stripped[0].islower()
            and not scan[paragraph_lines[-1][0] : paragraph_lines[-1][1]].rstrip().endswith(":")
        )
        if not continues:
            flush()
            paragraph += 1
            if previous_blank:
                block += 1
        paragraph_lines.append((start, end))
        previous_blank = False
    flush()
    return segments


def _split_sentences(scan: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    cursor = start
    for match in _SENTENCE_END_RE.finditer(scan, start, end):
        if _is_sentence_end(scan, match, end):
            pieces.append((cursor, match.end()))
            cursor = match.end()
    pieces.append((cursor, end))
    result: list[tuple[int, int]] = []
    for piece_start, piece_end in pieces:
        marker = _LEADING_MARKER_RE.match(scan, piece_start, piece_end)
        if marker:
            piece_start = marker.end()
        while piece_end > piece_start and scan[piece_end - 1].isspace():
            piece_end -= 1
        if piece_end > piece_start:
            result.append((piece_start, piece_end))
    return result


def _is_sentence_end(scan: str, match: re.Match[str], limit: int) -> bool:
    following = scan[match.end() : min(limit, match.end() + 40)].lstrip()
    if not following:
        return False
    next_word = _NEXT_WORD_RE.match(following)
    next_token = next_word.group(0) if next_word else ""
    if following[0].islower():
        return False
    punctuation = match.group(0)
    if not punctuation.startswith(".") or punctuation.startswith(".."):
        return True
    token_match = _LAST_TOKEN_RE.search(scan, max(0, match.start() - 30), match.start())
    token = token_match.group(1).lower() if token_match else ""
    token = token.lstrip("(\"'„“")
    if token in _MERIDIEM_TOKENS or _MERIDIEM_CLOCK_RE.fullmatch(token):
        # "7:15 a.m. (0715 GMT) and …", "8 p.m. EDT", "7:44a.m. EST": the sentence goes on;
        # so it does in the wire style that writes the day after the clock ("5 p.m.
        # Thursday", "9 a.m. Jan. 11", "8 a.m. Eastern time").
        return (
            next_token[:1].isupper()
            and next_token not in _ZONE_WORDS
            and next_token.lower() not in _DAY_AFTER_CLOCK_WORDS
        )
    if token in _ABBREVIATIONS:
        return False
    if _DAY_NUMBER_RE.fullmatch(token):
        # German ordinal day: "am 7. Dezember" is one sentence.
        month = next_token.lower().rstrip(".")
        return month not in _MONTH_WORDS and month not in GENITIVE_MONTH_WORDS
    # Initials and dotted abbreviations ("J. Smith", "u.a.") do not end a sentence.
    return not _INITIALS_RE.fullmatch(token)
