"""A small, strict grammar for the dates, times and relative phrases of outage write-ups.

Strict on purpose: a general date parser finds "dates" in ordinary words (German "die"
read as a weekday). Here a date needs a month name or a full numeric form, and a time
needs a colon, "Uhr", or a.m./p.m.; anything else is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TypeVar

from .scanning import DigitRunPattern, FastPattern, WordIndex
from .text import GENITIVE_MONTH_WORDS
from .zones import ZoneSpec, spec_from_label, zone_after

MONTHS: dict[str, int] = {
    **{
        name: number
        for number, names in enumerate(
            (
                ("january", "jan", "januar", "jänner", "jän"),
                ("february", "feb", "februar"),
                ("march", "mar", "märz", "mär"),
                ("april", "apr"),
                ("may", "mai"),
                ("june", "jun", "juni"),
                ("july", "jul", "juli"),
                ("august", "aug"),
                ("september", "sep", "sept"),
                ("october", "oct", "oktober", "okt"),
                ("november", "nov"),
                ("december", "dec", "dezember", "dez"),
            ),
            start=1,
        )
        for name in names
    }
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
# The German genitive month ("am Morgen des 30. Dezembers"): a month only after a day, since
# "Mais" alone is maize and "Augusts" a name.
_DAY_FIRST_ONLY_MONTHS = {name: MONTHS[name[:-1]] for name in GENITIVE_MONTH_WORDS}
MONTHS.update(_DAY_FIRST_ONLY_MONTHS)
_DAY_FIRST_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = (
    r"(?:Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)(?:day|nesday|rsday|urday)?\.?"
    r"|Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag"
)
_YEAR = r"(?:19|20)\d{2}"
_ORDINAL = r"(?:st|nd|rd|th)"

_MONTH_FIRST_RE = re.compile(
    rf"(?<!\w)(?:(?:{_WEEKDAY}),?[^\S\n]+)?(?P<month>{_MONTH})\.?[^\S\n]+(?P<day>\d{{1,2}}){_ORDINAL}?"
    rf"(?:[^\S\n]*(?:and|&|-|–|to|bis|und)[^\S\n]*(?P<day2>\d{{1,2}}){_ORDINAL}?)?"
    rf"(?:,?[^\S\n]+(?P<year>{_YEAR}))?(?![\d:.]\d)(?!\d)",
    re.IGNORECASE,
)
_DAY_FIRST_RE = re.compile(
    rf"(?<![\w.,:/\-])(?:(?:{_WEEKDAY}),?[^\S\n]+)?(?:(?:der|den|dem|the)[^\S\n]+)?"
    rf"(?:(?P<day0>[0-9]{{1,2}})(?:\.|{_ORDINAL})?[^\S\n]*(?:-|–|—|/|to|and|bis|und)[^\S\n]*)?"
    # "21.Oktober 2022": after the day's full stop the space may be left out.
    rf"(?P<day>[0-9]{{1,2}})(?P<dot>\.[^\S\n]*|{_ORDINAL}[^\S\n]+|[^\S\n]+)(?:of[^\S\n]+)?"
    rf"(?P<month>{_DAY_FIRST_MONTH})\.?"
    rf"(?:,?[^\S\n]+(?P<year>{_YEAR}))?(?![\w])",
    re.IGNORECASE,
)
# "2018 October 21 22:52 UTC" (GitHub's post-incident timelines).
_YEAR_FIRST_RE = re.compile(
    rf"(?<![\w.,:/-])(?P<year>{_YEAR})[^\S\n]+(?P<month>{_MONTH})\.?[^\S\n]+(?P<day>\d{{1,2}})"
    rf"{_ORDINAL}?(?![\w.]\d|\d)",
    re.IGNORECASE,
)
# "2021-Dec-15" and "15-Dec-2021" (status pages, logs, ticket systems): the month by name
# between hyphens. Whole or not at all: "Dec-15" alone stays a word.
_YEAR_DASHED_RE = re.compile(
    rf"(?<![\w.\-/])(?P<year>{_YEAR})-(?P<month>{_MONTH})-(?P<day>\d{{1,2}})(?![\w-])",
    re.IGNORECASE,
)
_DAY_DASHED_RE = re.compile(
    rf"(?<![\w.\-/])(?P<day>\d{{1,2}})-(?P<month>{_MONTH})-(?P<year>{_YEAR})(?![\w-])",
    re.IGNORECASE,
)
_ISO_RE = re.compile(rf"(?<![\d.\-/])(?P<year>{_YEAR})-(?P<month>\d{{2}})-(?P<day>\d{{2}})(?!\d)")
_DOTTED_RE = re.compile(
    rf"(?<![\d.])(?P<day>\d{{1,2}})\.(?P<month>\d{{1,2}})\."
    rf"[^\S\n]?(?P<year>{_YEAR})(?![\d.]\d|\d)"
)
# "19.01.16" alone on its line under a German headline: a date with a two-digit year. In
# running text the same shape may be a version number, so only a line of its own counts.
_SHORT_YEAR_LINE_RE = re.compile(
    r"^[^\S\n]*(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{2})[^\S\n]*$", re.MULTILINE
)
# "5/1/2016"; with a clock right after it, also "Update 3/6/13 11:33 PM PST" and "Update
# (6/6 9 am PT)": a status update's stamp, whose year the text around it gives.
_SLASHED_RE = re.compile(
    rf"(?<![\d/])(?P<a>\d{{1,2}})/(?P<b>\d{{1,2}})(?:/(?P<year>{_YEAR})(?!\d)"
    r"|(?:/(?P<short>\d{2}))?(?![\d/])(?=,?[^\S\n]+(?:at[^\S\n]+)?(?:\d{1,2}:\d{2}"
    r"|\d{1,2}(?:\.\d{2})?[^\S\n]?(?:[AaPp]\.?[Mm]\b|Uhr\b))))"
)
# "On Monday, 8/11, our monitors flagged …", "only on 12/7 did they say", "On 1/5/23": a day
# and month in numbers with no four-digit year, read as a date only after "on" or a weekday;
# "24/7" is a phrase, "on 3/4 of the servers" a share.
_SLASHED_ON_RE = re.compile(
    r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})(?:/(?P<short>\d{2}))?(?![\d/])(?!\s*(?:of\b|%))"
)
_SLASHED_LEAD_RE = re.compile(rf"(?<![\w])(?:on|{_WEEKDAY}),?[^\S\n]+$", re.IGNORECASE)
# "am 23.12.", "am Mittwoch 18.12.", "Gestern (15.10.)", "Update 11.7., 16.45 Uhr": German
# writes a day and month in numbers without a year. Alone "3.2." is as often a section or a
# version, so it is read only after a word that leads a date in, or an opening bracket.
_DOTTED_YEARLESS_RE = re.compile(
    r"(?<![\d.,/])(?P<day>[0-2]?\d|3[01])\.(?P<month>0?[1-9]|1[0-2])\."
    # "am 26.10.22": after such a word a two-digit year too.
    r"(?:(?P<short>\d{2})(?![\d.]))?(?!\d|[^\S\n]?(?:19|20)\d\d)"
)
_DOTTED_LEAD_RE = re.compile(
    rf"(?:(?<![\w])(?:am|vom|zum|bis|ab|seit|dem|den|Update|{_WEEKDAY})[^\S\n]*,?[^\S\n]*|\([^\S\n]*)$",
    re.IGNORECASE,
)
# "on Sunday (17.03.24)": in any language, a weekday and the date in brackets after it.
_WEEKDAY_BRACKET_LEAD_RE = re.compile(rf"(?<![\w])(?:{_WEEKDAY})[^\S\n]*\($", re.IGNORECASE)
_LEAD_REACH = 25
# "Sep 30 14:01:15 2021 GMT": the asctime form, whose year follows the clock time.
_ASCTIME_RE = re.compile(
    rf"(?<!\w)(?P<month>{_MONTH})[^\S\n]+(?P<day>\d{{1,2}})(?=[^\S\n]+\d{{1,2}}:\d{{2}}:\d{{2}}"
    rf"[^\S\n]+(?P<year>{_YEAR})(?!\d))",
    re.IGNORECASE,
)
# "2017/01/31" (log and incident-document style): year first, then month and day.
_YEAR_SLASHED_RE = re.compile(
    rf"(?<![\d/.-])(?P<year>{_YEAR})/(?P<month>\d{{1,2}})/(?P<day>\d{{1,2}})(?![\d/])"
)
_URL_MONTH_RE = re.compile(
    rf"(?P<month>{_MONTH})-(?P<day>\d{{1,2}}){_ORDINAL}?-(?P<year>{_YEAR})(?!\d)", re.IGNORECASE
)
_URL_NUMERIC_RE = re.compile(
    rf"(?<!\d)(?P<year>{_YEAR})[/-](?P<month>\d{{1,2}})[/-](?P<day>\d{{1,2}})(?!\d)"
)

# What may stand between a time and the date written with it ("09:35 UTC on Oct 20",
# "Oct 20, 2025 - 07:11 UTC", "am 20. Oktober um 11:35 Uhr").
AFTER_TIME_GAP_RE = re.compile(r"\s*,?\s*(?:on|am|vom|the|den|dem)?\s*(?:the\s+)?")
BEFORE_TIME_GAP_RE = re.compile(
    # "July 2 (Sat) 1:35 am": the weekday in brackets between the date and its time.
    r"(?:\s*\((?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|Mo|Di|Mi|Do|Fr|Sa|So)\w{0,7}\.?\))?"
    r"\s*(?:,|-|–|—|T|\||/|\(|at|um|·)?\s*(?:(?:at|um|gegen|around|about|ca\.)\s+)?"
)

# "- 07.33 to 8.50: BT tried to switch …": dotted times that label a list item, the start
# of such a range or its end before the colon.
_DOTTED_LABEL = (
    r"\s*(?:to|until|till|-|–|—)\s*(?:[01]?\d|2[0-3])[.:][0-5]\d\s*:(?!\d)"
    r"|(?:(?<=to\s\d\.\d\d)|(?<=to\s\d\d\.\d\d)|(?<=until\s\d\.\d\d)|(?<=until\s\d\d\.\d\d)"
    r"|(?<=-\d\.\d\d)|(?<=-\d\d\.\d\d)|(?<=–\d\.\d\d)|(?<=–\d\d\.\d\d))\s*:(?!\d)"
)
_TIME_RE = re.compile(
    # Not the offset of "IST (UTC+5:30)".
    r"(?<![\d:.,/+−])(?<!(?:UTC|GMT)-)(?P<hour>[01]?\d|2[0-3])"
    r"(?::(?P<minute>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?"
    r"|\.(?P<dotminute>[0-5]\d)(?=\s?(?:Uhr\b|[AaPp]\.?\s?[Mm]\b\.?)|" + _DOTTED_LABEL + r"))"
    # "- 06:24 to 07:33: a configuration error …": a list item labelled by its times.
    r"(?!\d|:\d)"
)
# "1352 UTC", "0935 hrs": military style, only read when a zone or "hrs" follows it, since
# a bare four-digit number is far more often a year or a count.
_FOUR_DIGIT_RE = re.compile(
    # Not the year of "Sep 30 14:01:15 2021 GMT" (the asctime form OpenSSL and logs print).
    r"(?<![\w:.,/])(?<![A-Za-z]-)(?<!\d:\d\d\s)(?P<hour>[01]\d|2[0-3])(?P<minute>[0-5]\d)"
    r"(?=\s?(?:hrs?\b|hours\b|h\b|Z\b|\(?[A-Z][A-Za-z]{1,4}\b|UTC|GMT)"
    # "in 2015 and 2016", "2009-2010": two years, not a range of times, unless a zone or
    # "hrs" holds its end ("2000-2200 UTC").
    r"|(?<!(?:19|20)\d\d)\s*(?:-|–|—|to|and|until)\s*\d{4}"
    r"|(?<=(?:19|20)\d\d)\s*(?:-|–|—|to|and|until)\s*\d{4}"
    r"\s?(?:hrs?\b|hours\b|h\b|Z\b|\(?[A-Z][A-Za-z]{1,4}\b|UTC|GMT))"
)
# The start of "1352-1420 UTC" takes its zone from the end, as any range does.
_FOUR_DIGIT_RANGE_RE = re.compile(r"\s*(?:-|–|—|to|and|until)\s*(?:[01]\d|2[0-3])[0-5]\d\b")
_YEAR_AFTER_TIME_RE = re.compile(rf"[^\S\n]+{_YEAR}(?!\d)")
_HRS_RE = re.compile(r"\s?hrs?\b|\s?h\b")
# "at 09.47 UTC", "from 16.00", "Seit 12.15 ist …", "at 1418 hours", "since 7 in the
# morning": clock forms with neither a colon, "Uhr" nor a meridiem. Such a number is as often
# a price, a share or a version ("to $19.51", "fell 2.4", "macOS 10.11"), so it is read as a
# time only with a zone or "hrs" after it, or a word of time before it.
_BARE_DOTTED_RE = re.compile(
    r"(?<![\d:.,/+−$€£])(?P<hour>[01]?\d|2[0-3])\.(?P<minute>[0-5]\d)"
    r"(?!\d|[.,:]\d|\.,|\s*(?:%|per\s?cent|percent|million|billion|Prozent|Millionen"
    # "peaked at 1.35 Tbps", "at 2.30 Gbit/s": a rate, not a clock.
    r"|[TGMK](?:bps|bit/s|b/s|B/s)\b|[TGMK]bit\b|[TtGgMm](?:era|iga|ega)(?:bits?|bytes?)\b))"
)
_FOUR_DIGIT_HOURS_RE = re.compile(r"\s?hours\b(?!\s+(?:of|in|to|per|a)\b)")
_HOUR_DAY_PART_RE = re.compile(
    r"(?<![\d:.,/])(?P<hour>1[0-2]|0?[1-9])(?=\s+(?:in\s+the\s+(?:morning|afternoon|evening)"
    r"|at\s+night)\b)"
)
_CLOCK_WORD_BEFORE_RE = re.compile(
    r"(?<![\w-])(?P<word>at|from|until|till|since|by|after|before|around|about|as\s+of|um"
    r"|gegen|seit|ab|bis)\s+(?:(?:around|about|roughly|approximately|approx\.|circa|ca\."
    r"|etwa|gegen|kurz\s+(?:nach|vor))\s+)?$"
    # "between 1418 and 1451 hours": the end of a range opened by a time.
    r"|\d{4}\s*(?:-|–|—|and|to|until)\s*$",
    re.IGNORECASE,
)
# "moved from 1.10 to 1.12", "after 2.05": versions follow these words as often as clocks
# do, so after them only a two-digit hour ("from 16.00", "after 17.30") is read.
_VERSION_WORDS = frozenset({"from", "after", "before", "ab"})
_NIGHT_PART_RE = re.compile(r"\s+at\s+night\b", re.IGNORECASE)
_HOUR_MERIDIEM_RE = re.compile(
    r"(?<![\d:.,/])(?P<hour>1[0-2]|0?[1-9])\s?(?=[AaPp]\.?\s?[Mm]\.?(?![A-Za-z]))"
)
# "around 7 o'clock PT": a whole hour in words.
_HOUR_OCLOCK_RE = re.compile(r"(?<![\d:.,/])(?P<hour>1[0-2]|0?[1-9])\s+o['’]clock\b")
# "On Friday night around 7 o'clock": the part of the day before an hour without a meridiem.
_EVENING_BEFORE_RE = re.compile(r"\b(?:night|evening|afternoon)\b[^.;\n\d]{0,25}$", re.IGNORECASE)
# "230am", "1130 p.m.": hour and minute glued together, held by the meridiem.
_GLUED_MERIDIEM_RE = re.compile(
    r"(?<![\w:.,/])(?P<hour>1[0-2]|0?[1-9])(?P<minute>[0-5]\d)(?=\s?[AaPp]\.?\s?[Mm]\.?(?![A-Za-z]))"
)
# "at 17h30", "by 8h31", "around 11h": the clock as French and Portuguese write it, kept in
# English copies of their news. "2h30" is as often a duration ("lasted 2h30", "1h after"),
# and a page's stamp writes it too ("19 juin 2025 à 00h00"), so it is read only after a
# word of time ("at", "by", "since") or with a zone.
_HOUR_H_RE = re.compile(
    r"(?<![\w:.,/+~-])(?P<hour>[01]?\d|2[0-3])h(?P<minute>[0-5]\d)?"
    r"(?!\w|[:.,/-]\d|\s*\d|\s+(?:of|later|ago|after|before)\b)"
)
_DURATION_BEFORE_RE = re.compile(
    r"(?<![\w-])(?:for|lasted|lasting|took|taking|within|over|during|of|in)\s+(?:about\s+|around\s+)?$",
    re.IGNORECASE,
)
_HOUR_UHR_RE = re.compile(r"(?<![\d:.,/])(?P<hour>[01]?\d|2[0-3])\s?(?=Uhr\b)")
# "ab etwa acht Uhr", "kurz vor neun Uhr": a whole hour written as a word. Found from the
# "Uhr" it needs, so the text is searched for one short literal, not for every number word.
# The literal opens the pattern (its word boundary before is checked after it): a pattern
# that opens with "\b" is tried at every position of the text.
_UHR_WORD_RE = re.compile(r"Uhr\b(?<!\wUhr)")
_HOUR_WORDS = {
    word: number
    for number, word in enumerate(
        ("ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf",
         "zwölf"),
        start=1,
    )
} | {"eins": 1}  # fmt: skip
_HOUR_WORD_BEFORE_RE = re.compile(
    # "halb vier Uhr" is half past three.
    rf"(?<![\w-])(?:(?P<half>halb)\s+)?(?P<word>{'|'.join(_HOUR_WORDS)})\s+$",
    re.IGNORECASE,
)
# "between 10 and 11 a.m.", "zwischen 8 und 11 Uhr": a bare hour opening a range whose end
# is a clock time; the end's "a.m." or "Uhr" covers both.
_HOUR_RANGE_START_RE = re.compile(
    r"(?<![\d:.,/])(?P<hour>[01]?\d|2[0-3])(?=\s*(?:and|to|until|-|–|—|und|bis)\s*"
    r"(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?\s?(?:[AaPp]\.?\s?[Mm]\b|Uhr\b))"
)
# "UTC 14:30": the zone written before the time (some timelines and logs do).
_ZONE_BEFORE_RE = re.compile(r"(?:UTC|GMT)\s?$")
_DAY_PART_RE = re.compile(
    r"\s+(?P<part>morgens|früh|vormittags|nachmittags|abends|in\s+the\s+(?:morning|afternoon"
    r"|evening))\b",
    re.IGNORECASE,
)
_AFTERNOON_PARTS = frozenset({"nachmittags", "abends", "in the afternoon", "in the evening"})
_LOCAL_TIME_RE = re.compile(
    r"\s*(?:\(\s*)?(?:Ortszeit|Lokalzeit|local\s+time|(?:lokaler|örtlicher)\s+Zeit)"
    r"(?![\w-])(?:\s*\))?"
)
# "2025-10-20T09:35:00+02:00": an ISO time with its offset.
_ISO_OFFSET_RE = re.compile(r"(?P<sign>[+-])(?P<hours>[01]\d):?(?P<minutes>[0-5]\d)(?!\d)")
# German "Mittag" ("am Mittag", "gegen Mittag") is a part of the day, not 12:00: a day
# part of the day told (see context._day_parts).
_NOON_RE = re.compile(r"\b(?:noon|midday)\b", re.IGNORECASE)
# Midnight is read as 00:00; the rollover rule then moves it past the evening before it.
_MIDNIGHT_RE = re.compile(r"\b(?:midnight|Mitternacht)\b", re.IGNORECASE)
_FAST_NOON = FastPattern(_NOON_RE)
_FAST_MIDNIGHT = FastPattern(_MIDNIGHT_RE)
_MERIDIEM_RE = re.compile(r"\s?(?P<mer>[AaPp])\.?\s?[Mm]\.?(?![A-Za-z])")
_UHR_RE = re.compile(r"\s?Uhr\b")
_HEDGE_RE = re.compile(
    r"(?:around|about|approximately|approx\.|roughly|circa|ca\.|gegen|etwa|ungefähr|rund"
    r"|kurz\s+(?:nach|vor)|shortly\s+(?:after|before)|just\s+(?:after|before)|~)"
    r"\s*(?:at\s+|um\s+)?$",
    re.IGNORECASE,
)

# "19:00 UTC (approx)": the hedge written after the time.
_HEDGE_AFTER_RE = re.compile(
    r"\s*\((?:approx\.?|approximately|circa|ca\.|about|roughly|etwa|ungefähr)\)", re.IGNORECASE
)

_NUMBER_WORDS: dict[str, float] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50,
    "sixty": 60, "ninety": 90, "half an": 0.5, "half a": 0.5,
    "ein": 1, "eine": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6,
    "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "fünfzehn": 15,
    "zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfundvierzig": 45, "fünfzig": 50,
    "sechzig": 60, "neunzig": 90, "eine halbe": 0.5, "einer halben": 0.5,
}  # fmt: skip
_NUMBER = "|".join(sorted((re.escape(w) for w in _NUMBER_WORDS), key=len, reverse=True))
# Found from the direction word backwards: scanning for the number first would try the
# long number-word alternation at every position of the text.
_RELATIVE_DIRECTION_RE = re.compile(
    r"\b(?:later|afterwards?|after\s+that|thereafter|später|danach|darauf)\b", re.IGNORECASE
)
_FAST_RELATIVE_DIRECTION = FastPattern(_RELATIVE_DIRECTION_RE)
_RELATIVE_RE = re.compile(
    rf"\b(?P<n>\d{{1,3}}|{_NUMBER})\s*(?P<unit>minutes?|mins?|hours?|hrs?|h|Minuten|Minute"
    r"|Min\.|Stunden|Stunde)\s+$",
    re.IGNORECASE,
)
# Counted from the start of the incident: "~1h after the start of the crashes", "18 minutes
# into the incident"; and "within 40 minutes (of the incident)".
_FROM_START_RE = re.compile(
    r"\b(?:(?:after|from)\s+the\s+(?:start|beginning|onset)\s+of|into\s+the\s+(?:incident|"
    r"outage)|nach\s+(?:dem\s+)?(?:Beginn|Start)\s+(?:de[rs]))\b",
    re.IGNORECASE,
)
_FAST_FROM_START = FastPattern(_FROM_START_RE)
_WITHIN_RE = re.compile(
    rf"\b(?:within|innerhalb\s+(?:von\s+)?)\s*(?P<hedge>(?:some|about|around|roughly|~|etwa|rund|"
    rf"knapp)\s*)?(?P<n>\d{{1,3}}|{_NUMBER})\s*(?P<unit>minutes?|mins?|hours?|hrs?|h|Minuten|"
    r"Minute|Min\.|Stunden|Stunde)\b",
    re.IGNORECASE,
)
_FAST_WITHIN = FastPattern(_WITHIN_RE)
# "After approximately 15 minutes the problem cleared", "Nach etwa zwei Stunden": the
# offset written before the clause it dates. Not "after 20 minutes of debugging" (a span of
# work, anchored nowhere in particular) nor "after 10 minutes into ..." (counted from a start).
_AFTER_OFFSET_RE = re.compile(
    rf"\b(?:after|nach)\s+(?P<hedge>(?:about|around|roughly|approximately|some|nearly|almost|"
    rf"etwa|rund|ungefähr|knapp|gut)\s+)?(?P<n>\d{{1,3}}|{_NUMBER})\s*(?P<unit>minutes?|mins?|"
    r"hours?|hrs?|Minuten|Minute|Stunden|Stunde)\b(?!\s+(?:of|into|from|after|before|von|vor)\b)",
    re.IGNORECASE,
)
_FAST_AFTER_OFFSET = FastPattern(_AFTER_OFFSET_RE)
_RELATIVE_HEDGE_RE = re.compile(
    r"(?:about|around|roughly|approximately|some|nearly|almost|etwa|rund|ungefähr|knapp|gut)"
    r"\s+$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    month: int
    day: int
    year: int | None
    role: str = "prose"  # "prose" | "publication" | "url"


@dataclass(frozen=True)
class TimeMention:
    start: int
    end: int
    hour: int
    minute: int
    precision: str  # "minute" | "hour" | "approximate"
    zone: ZoneSpec | None
    meridiem: str | None  # "a" | "p" | None
    # "22:44 AEST (11:44 UTC)": the same moment written in another zone, kept so the
    # placement can warn when the two disagree.
    restated: TimeMention | None = None
    local: bool = False  # "17:49 Uhr Ortszeit", "9 a.m. local time": the place's own clock


_M = TypeVar("_M", "DateMention", "TimeMention")


@dataclass(frozen=True)
class RelativeMention:
    start: int
    end: int
    offset: timedelta
    hedged: bool
    # "previous": counted from the moment before it ("30 minutes later"); "incident":
    # from the start of the incident ("within 10 minutes", "~1h after the start of").
    anchor: str = "previous"


def valid_day(year: int, month: int, day: int) -> bool:
    """Return True when the calendar date exists."""
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


# "discovered on august 27": after "on", a month name in lower case is still the month,
# unless it is also a verb ("on may 5" stays unread).
_LOWER_MONTH_LEAD_RE = re.compile(r"(?<![\w])on[^\S\n]$")


def _lower_month_after_on(scan: str, match: re.Match[str]) -> bool:
    """Return True for "on august 27": a full month name in lower case after "on"."""
    month = match.group("month").lower()
    return (
        len(month) > 4
        and month not in {"march", "märz"}
        and _LOWER_MONTH_LEAD_RE.search(scan, max(0, match.start() - 4), match.start()) is not None
    )


def _capitalised(word: str) -> bool:
    # Month names are capitalised in both languages; "may" and "march" in lower case
    # are a verb, not a month.
    return word[:1].isupper()


def _digit_led(regex: re.Pattern[str]) -> DigitRunPattern:
    """Return `regex`, which opens a run of digits, tried only where such a run starts."""
    return DigitRunPattern(re.compile(r"(?=\d)" + regex.pattern, regex.flags))


_TIME_DIGITS = _digit_led(_TIME_RE)
_FOUR_DIGIT_DIGITS = _digit_led(_FOUR_DIGIT_RE)
_HOUR_MERIDIEM_DIGITS = _digit_led(_HOUR_MERIDIEM_RE)
_HOUR_UHR_DIGITS = _digit_led(_HOUR_UHR_RE)
_HOUR_H_DIGITS = _digit_led(_HOUR_H_RE)
_HOUR_OCLOCK_DIGITS = _digit_led(_HOUR_OCLOCK_RE)
_GLUED_MERIDIEM_DIGITS = _digit_led(_GLUED_MERIDIEM_RE)
_HOUR_RANGE_START_DIGITS = _digit_led(_HOUR_RANGE_START_RE)
_DOTTED_DIGITS = _digit_led(_DOTTED_RE)
_BARE_DOTTED_DIGITS = _digit_led(_BARE_DOTTED_RE)
_HOUR_DAY_PART_DIGITS = _digit_led(_HOUR_DAY_PART_RE)
_SLASHED_DIGITS = _digit_led(_SLASHED_RE)
_SLASHED_ON_DIGITS = _digit_led(_SLASHED_ON_RE)
_DOTTED_YEARLESS_DIGITS = _digit_led(_DOTTED_YEARLESS_RE)
_YEAR_SLASHED_DIGITS = _digit_led(_YEAR_SLASHED_RE)
_ISO_DIGITS = _digit_led(_ISO_RE)

_FAST_MONTH_FIRST = FastPattern(_MONTH_FIRST_RE)
_FAST_YEAR_FIRST = FastPattern(_YEAR_FIRST_RE)
_FAST_YEAR_DASHED = _digit_led(_YEAR_DASHED_RE)
_FAST_DAY_DASHED = _digit_led(_DAY_DASHED_RE)
_FAST_ASCTIME = FastPattern(_ASCTIME_RE)
_FAST_DAY_FIRST = FastPattern(_DAY_FIRST_RE)


def find_dates(scan: str, language: str, words: WordIndex | None = None) -> list[DateMention]:
    """Return the calendar dates written in `scan`, in text order, without overlaps."""
    words = words or WordIndex(scan)
    found: list[DateMention] = []
    # Before the month-first dates: the same "Sep 30" with the year read after its time.
    found += _dates_with_years(_FAST_ASCTIME, scan, words)
    month_first_names = 0
    month_first_months: set[int] = set()
    for match in _FAST_MONTH_FIRST.finditer(scan, words):
        if not _capitalised(match.group("month")) and not _lower_month_after_on(scan, match):
            continue
        month_first_names += 1
        month_first_months.add(match.start("month"))
        month = MONTHS[match.group("month").lower()]
        year = int(match.group("year")) if match.group("year") else None
        day = int(match.group("day"))
        if match.group("day2"):
            day2 = int(match.group("day2"))
            found.append(DateMention(match.start(), match.end("day"), month, day, year))
            found.append(DateMention(match.start("day2"), match.end(), month, day2, year))
        else:
            found.append(DateMention(match.start(), match.end(), month, day, year))
    found += _dates_with_years(_FAST_YEAR_FIRST, scan, words)
    found += _dates_with_years(_FAST_YEAR_DASHED, scan, words)
    found += _dates_with_years(_FAST_DAY_DASHED, scan, words)
    day_first_names = 0
    for match in _FAST_DAY_FIRST.finditer(scan, words):
        # "6 april 2022": with its year after it, a month in lower case is no verb.
        if not _capitalised(match.group("month")) and not match.group("year"):
            continue
        if (
            language == "en"
            and match.group("dot").startswith(".")
            and match.start("month") in month_first_months
        ):
            # "1. September 28, 2023: …": English writes no full stop after a day; the
            # number is the list item's, and the date is "September 28, 2023".
            continue
        day_first_names += 1
        year = int(match.group("year")) if match.group("year") else None
        month = MONTHS[match.group("month").lower()]
        if match.group("day0"):
            # "19-20 October 2025" frames a story that starts on the first day.
            found.append(
                DateMention(match.start(), match.end(), month, int(match.group("day0")), year)
            )
        else:
            found.append(
                DateMention(match.start(), match.end(), month, int(match.group("day")), year)
            )
    for pattern in (_ISO_DIGITS, _DOTTED_DIGITS, _YEAR_SLASHED_DIGITS):
        for match in pattern.finditer(scan, words):
            found.append(
                DateMention(
                    match.start(),
                    match.end(),
                    int(match.group("month")),
                    int(match.group("day")),
                    int(match.group("year")),
                )
            )
    for match in _SHORT_YEAR_LINE_RE.finditer(scan):
        found.append(
            DateMention(
                match.start("day"),
                match.end("year"),
                int(match.group("month")),
                int(match.group("day")),
                2000 + int(match.group("year")),
            )
        )
    slashed = list(_SLASHED_DIGITS.finditer(scan, words))
    slashed += [
        match
        for match in _SLASHED_ON_DIGITS.finditer(scan, words)
        if match.group(0) != "24/7" and _led_by(_SLASHED_LEAD_RE, scan, match.start())
    ]
    for match in slashed:
        first, second = int(match.group("a")), int(match.group("b"))
        # Day first unless impossible; English text writes month first when both fit,
        # unless it writes its named dates day first ("on Monday 4th January ... (5/1/2016)":
        # a British or Indian outlet writes its numbers in the same order).
        if first > 12:
            day_first = True
        elif second > 12:
            day_first = False
        else:
            day_first = language != "en" or day_first_names > month_first_names
        day, month = (first, second) if day_first else (second, first)
        year = None
        if match.groupdict().get("year"):
            year = int(match.group("year"))
        elif match.group("short"):
            year = 2000 + int(match.group("short"))  # "Update 3/6/13 11:33 PM"
        found.append(DateMention(match.start(), match.end(), month, day, year))
    dotted_lead = _DOTTED_LEAD_RE if language == "de" else _WEEKDAY_BRACKET_LEAD_RE
    found += [
        DateMention(
            match.start(),
            match.end(),
            int(match.group("month")),
            int(match.group("day")),
            2000 + int(match.group("short")) if match.group("short") else None,
        )
        for match in _DOTTED_YEARLESS_DIGITS.finditer(scan, words)
        if _led_by(dotted_lead, scan, match.start())
    ]
    found = [d for d in found if valid_day(d.year or 2000, d.month, d.day)]
    return _without_overlaps(found)


def _led_by(lead: re.Pattern[str], scan: str, start: int) -> bool:
    """Return True when `lead` ends right where a date read only after it starts."""
    return lead.search(scan, max(0, start - _LEAD_REACH), start) is not None


def _dates_with_years(
    pattern: FastPattern | DigitRunPattern, scan: str, words: WordIndex
) -> list[DateMention]:
    """Return the dates of a grammar whose month is a name and whose year is always there."""
    return [
        DateMention(
            match.start(),
            match.end(),
            MONTHS[match.group("month").lower()],
            int(match.group("day")),
            int(match.group("year")),
        )
        for match in pattern.finditer(scan, words)
        if _capitalised(match.group("month"))
    ]


def find_url_dates(scan_or_text: str, spans: tuple[tuple[int, int], ...]) -> list[DateMention]:
    """Return dates inside cited URLs ("…/aws-outage-analysis-october-20-2025")."""
    found: list[DateMention] = []
    for start, end in spans:
        for regex in (_URL_MONTH_RE, _URL_NUMERIC_RE):
            for match in regex.finditer(scan_or_text, start, end):
                raw_month = match.group("month")
                month = int(raw_month) if raw_month.isdigit() else MONTHS[raw_month.lower()]
                year, day = int(match.group("year")), int(match.group("day"))
                if 1 <= month <= 12 and valid_day(year, month, day):
                    found.append(DateMention(match.start(), match.end(), month, day, year, "url"))
    return _without_overlaps(found)


def _without_overlaps(mentions: list[_M]) -> list[_M]:
    chosen: list[_M] = []
    for mention in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if chosen and mention.start < chosen[-1].end:
            continue
        chosen.append(mention)
    return chosen


def find_times(scan: str, language: str, words: WordIndex | None = None) -> list[TimeMention]:
    """Return the clock times written in `scan`, with any zone written next to them."""
    words = words or WordIndex(scan)
    found: list[TimeMention] = []
    candidates: list[tuple[int, int, int, int, str]] = []
    for match in _TIME_DIGITS.finditer(scan, words):
        before = scan[max(0, match.start() - 2) : match.start()]
        # "T09:35" (ISO) is a time; "v2:30" or "A10:15" is not.
        if before[-1:].isalpha() and not (before[-1] == "T" and before[:1].isdigit()):
            continue
        minute = match.group("minute") or match.group("dotminute")
        candidates.append((match.start(), match.end(), int(match.group("hour")), int(minute), "m"))
    for match in _FOUR_DIGIT_DIGITS.finditer(scan, words):
        candidates.append(
            (match.start(), match.end(), int(match.group("hour")), int(match.group("minute")), "4")
        )
    for match in _BARE_DOTTED_DIGITS.finditer(scan, words):
        candidates.append(
            (match.start(), match.end(), int(match.group("hour")), int(match.group("minute")), "d")
        )
    for match in _HOUR_H_DIGITS.finditer(scan, words):
        if _DURATION_BEFORE_RE.search(scan, max(0, match.start() - 30), match.start()):
            continue
        minute = match.group("minute")
        form = "f" if minute else "F"
        candidates.append(
            (match.start(), match.end(), int(match.group("hour")), int(minute or 0), form)
        )
    for match in _HOUR_DAY_PART_DIGITS.finditer(scan, words):
        candidates.append((match.start(), match.end(), int(match.group("hour")), 0, "p"))
    for match in _HOUR_OCLOCK_DIGITS.finditer(scan, words):
        candidates.append((match.start(), match.end(), int(match.group("hour")), 0, "o"))
    for match in _GLUED_MERIDIEM_DIGITS.finditer(scan, words):
        candidates.append(
            (match.start(), match.end(), int(match.group("hour")), int(match.group("minute")), "g")
        )
    for pattern in (_HOUR_MERIDIEM_DIGITS, _HOUR_UHR_DIGITS, _HOUR_RANGE_START_DIGITS):
        for match in pattern.finditer(scan, words):
            if match.start() > 0 and scan[match.start() - 1].isalpha():
                continue
            form = "r" if pattern is _HOUR_RANGE_START_DIGITS else "h"
            candidates.append((match.start(), match.end(), int(match.group("hour")), 0, form))
    for match in _UHR_WORD_RE.finditer(scan):
        word = _HOUR_WORD_BEFORE_RE.search(scan, max(0, match.start() - 18), match.start())
        if word:
            hour = _HOUR_WORDS[word.group("word").lower()]
            if word.group("half"):
                candidates.append((word.start(), word.end("word"), hour - 1, 30, "h"))
            else:
                candidates.append((word.start(), word.end("word"), hour, 0, "h"))
    for match in _FAST_NOON.finditer(scan, words):
        candidates.append((match.start(), match.end(), 12, 0, "n"))
    for match in _FAST_MIDNIGHT.finditer(scan, words):
        candidates.append((match.start(), match.end(), 0, 0, "n"))
    candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    last_end = -1
    for start, end, hour, minute, form in candidates:
        if start < last_end:
            continue
        if (
            form == "n"
            and found
            and found[-1].hour == 12
            and not scan[found[-1].end : start].strip()
        ):
            continue  # "12:00 noon" is one time, not two
        mention = _complete_time(scan, start, end, hour, minute, form, language)
        if mention:
            found.append(mention)
            last_end = mention.end
    return _without_restatements(scan, found)


# "10 Uhr (EST, 16 Uhr MEZ)": the restatement inside the bracket the zone opened.
_CLOSING_BRACKET_RE = re.compile(r"\s*[)\]]")
_BRACKET_RESTATEMENT_GAP_RE = re.compile(r",\s*(?:or\s+|bzw\.\s+)?")
_RESTATEMENT_GAP_RE = re.compile(
    # "4 Uhr morgens Ortszeit (18 Uhr MEZ)": words of the first time's day part or place
    r"\s*(?:(?:morgens|abends|nachts|früh|Ortszeit|local\s+time|in\s+the\s+(?:morning|evening))"
    r"\s*)*(?:(?:\(|/|\[)\s*(?:or\s+|bzw\.\s+)?"
    # "at 23:53 GMT, or 3:53 p.m. Pacific Time", "9:12 pm EDT, which is 11:12 am AEST",
    # "18.02 WIB or 11.02 UTC": the same instant said again in the words of another zone.
    r"|,?\s*(?:or|which\s+is|that\s+is|i\.\s?e\.,?|bzw\.|das\s+ist)\s+"
    r"(?:(?:about|around|roughly|approximately|etwa|gegen)\s+)?)"
)


def _without_restatements(scan: str, times: list[TimeMention]) -> list[TimeMention]:
    """Drop the second of "15:35 UTC (7:35 am PT)": one moment written in two zones.

    The bracketed time restates the first in another zone, so it is not a second event.
    When only one of the two names a zone, that one is kept: it is the one a reader can place.
    """
    kept: list[TimeMention] = []
    skip = False
    for index, time in enumerate(times):
        if skip:
            skip = False
            continue
        following = times[index + 1] if index + 1 < len(times) else None
        if following is not None and not time.zone and not following.zone:
            shared = _zone_after_bracket(scan, following)
            if shared is not None and _RESTATEMENT_GAP_RE.fullmatch(
                scan, time.end, following.start
            ):
                # "14:12 (2:14 PM) PDT": the zone after the bracket is both times' zone.
                zone, end = shared
                kept.append(
                    replace(time, end=end, zone=zone, restated=replace(following, zone=zone))
                )
                skip = True
                continue
        if (
            following is not None
            and (time.zone or following.zone)
            and (
                _RESTATEMENT_GAP_RE.fullmatch(scan, time.end, following.start)
                or (
                    "(" in scan[time.start : time.end]
                    and _BRACKET_RESTATEMENT_GAP_RE.fullmatch(scan, time.end, following.start)
                )
            )
            and following.start - time.end <= 30
        ):
            kept.append(_restatement(time, following))
            skip = True
            continue
        kept.append(time)
    return kept


def _zone_after_bracket(scan: str, time: TimeMention) -> tuple[ZoneSpec, int] | None:
    """Return the zone written after the bracket a time closes ("(2:14 PM) PDT")."""
    close = _CLOSING_BRACKET_RE.match(scan, time.end)
    if close is None:
        return None
    return zone_after(scan, close.end(), min(len(scan), close.end() + 60))


def _restatement(first: TimeMention, second: TimeMention) -> TimeMention:
    """Return one mention for a time and its restatement, spanning both.

    The one a reader can place wins: a zone over none, and an explicit UTC over a local
    zone ("22:44 AEST (11:44 UTC)"), since a writer converting to UTC states the instant
    itself; the other is kept as `restated`.
    """
    chosen, other = first, second
    if not first.zone or (second.zone and second.zone.name == "UTC" != first.zone.name):
        chosen, other = second, first
    return replace(chosen, start=first.start, end=second.end, restated=other)


def _complete_time(
    scan: str, start: int, end: int, hour: int, minute: int, form: str, language: str
) -> TimeMention | None:
    limit = min(len(scan), end + 60)
    cursor = end
    meridiem: str | None = None
    if form not in {"n", "4"}:
        mer = _MERIDIEM_RE.match(scan, cursor, limit)
        if mer:
            written = mer.group(0).strip()
            # German "um 8:50 am Montag": lower-case "am" is a preposition there.
            if "." in written or written[:1].isupper() or language == "en":
                meridiem = mer.group("mer").lower()
                cursor = mer.end()
    if form == "g" and not meridiem:
        # "die 112 am Mittwoch": German "am" is a preposition, and "112" no clock without it.
        return None
    if meridiem and 12 < hour <= 23 and meridiem == "p" and form in {"m", "d"}:
        pass  # "21.45 PM": a 24-hour clock with a needless meridiem
    elif meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "p" else 0)
    elif form == "o" and hour < 12 and _EVENING_BEFORE_RE.search(scan, max(0, start - 40), start):
        hour += 12
    uhr = _UHR_RE.match(scan, cursor, limit)
    if uhr:
        cursor = uhr.end()
    elif form == "h" and not meridiem:
        return None
    ish = scan.startswith("-ish", cursor)
    if ish:  # "11pm-ish UTC"
        cursor += 4
    hours_suffix = _HRS_RE.match(scan, cursor, limit) if form in {"4", "d"} else None
    if hours_suffix:
        cursor = hours_suffix.end()
    elif form == "4" and (spelled := _FOUR_DIGIT_HOURS_RE.match(scan, cursor, limit)):
        # "at 1418 hours" is a time; "after 1000 hours of testing" is a count.
        if not _clock_word_before(scan, start):
            return None
        hours_suffix = spelled
        cursor = spelled.end()
    if form == "m" and scan.count(":", start, end) == 2:
        # "14:01:15 2021 GMT": the zone stands after the year of an asctime stamp.
        year = _YEAR_AFTER_TIME_RE.match(scan, cursor, limit)
        if year and zone_after(scan, year.end(), limit):
            cursor = year.end()
    zone = None
    day_part = _DAY_PART_RE.match(scan, cursor, limit) if form != "4" else None
    if form == "p":
        day_part = day_part or _NIGHT_PART_RE.match(scan, cursor, limit)
        if day_part is None or not _clock_word_before(scan, start):
            return None
        cursor = day_part.end()
    if day_part:
        # "8 Uhr abends", "7 in the evening", "10 at night": the day part sets the half of
        # the day a clock without a meridiem keeps.
        part = " ".join(day_part.group(0).split()).lower()
        evening = part in _AFTERNOON_PARTS or (part == "at night" and hour >= 6)
        if evening and not meridiem and hour < 12:
            hour += 12
        if zone_after(scan, day_part.end(), limit):
            # "10 Uhr morgens (EST …)", "8 Uhr abends MEZ": the day part, then the zone.
            cursor = day_part.end()
    zoned = zone_after(scan, cursor, limit)
    if zoned:
        zone, cursor = zoned
    elif form == "m" and start > 0 and scan[start - 1] == "T":
        offset = _ISO_OFFSET_RE.match(scan, cursor, limit)
        if offset:
            zone = spec_from_label(
                f"UTC{offset.group('sign')}{offset.group('hours')}:{offset.group('minutes')}"
            )
            cursor = offset.end()
    elif _ZONE_BEFORE_RE.search(scan, max(0, start - 5), start):
        zone = spec_from_label("UTC")
    local = False
    if zone is None:
        # "Um 8:20 Uhr morgens (Lokalzeit)": the day part, then whose clock.
        local_match = _LOCAL_TIME_RE.match(scan, cursor, limit) or (
            _LOCAL_TIME_RE.match(scan, day_part.end(), limit) if day_part else None
        )
        if local_match:
            local, cursor = True, local_match.end()
    if (
        form == "4"
        and zone is None
        and hours_suffix is None
        and not _FOUR_DIGIT_RANGE_RE.match(scan, cursor, limit)
    ):
        return None
    if (
        form == "d"
        and zone is None
        and hours_suffix is None
        and not _clock_word_before(scan, start)
    ):
        return None
    if form in {"f", "F"} and zone is None and not _clock_word_before(scan, start):
        return None  # "a 12h outage", "à 00h00": a clock only after "at", "from", …
    precision = "minute" if form in {"m", "4", "d", "g", "f"} else "hour"
    if ish or _HEDGE_RE.search(scan, max(0, start - 30), start):
        precision = "approximate"
    hedge_after = _HEDGE_AFTER_RE.match(scan, cursor, limit)
    if hedge_after:
        precision, cursor = "approximate", hedge_after.end()
    return TimeMention(start, cursor, hour, minute, precision, zone, meridiem, local=local)


def _clock_word_before(scan: str, start: int) -> bool:
    """Return True when a word of time ("at", "from", "seit") or a range's start leads in."""
    match = _CLOCK_WORD_BEFORE_RE.search(scan, max(0, start - 30), start)
    if match is None:
        return False
    word = (match.group("word") or "").lower()
    return word not in _VERSION_WORDS or scan[start : start + 2].isdigit()


def _offset(match: re.Match[str]) -> timedelta | None:
    raw = match.group("n").lower()
    amount = float(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw)
    if amount is None:
        return None
    unit = match.group("unit").lower()
    minutes = amount * (60 if unit.startswith(("h", "stunde")) else 1)
    if raw.startswith(("half", "eine halbe", "einer halben")) and minutes < 1:
        minutes = 30
    return timedelta(minutes=minutes)


def find_relatives(scan: str, words: WordIndex | None = None) -> list[RelativeMention]:
    """Return phrases like "30 minutes later", "eine Stunde später", "within 10 minutes"."""
    words = words or WordIndex(scan)
    found: list[RelativeMention] = []
    directions = [(m, "previous") for m in _FAST_RELATIVE_DIRECTION.finditer(scan, words)]
    directions += [(m, "incident") for m in _FAST_FROM_START.finditer(scan, words)]
    for direction, anchor in directions:
        match = _RELATIVE_RE.search(scan, max(0, direction.start() - 40), direction.start())
        offset = _offset(match) if match else None
        if match is None or offset is None:
            continue
        hedged = bool(
            _RELATIVE_HEDGE_RE.search(scan, max(0, match.start() - 15), match.start())
            or scan[max(0, match.start() - 1) : match.start()] == "~"
        )
        start = match.start() - 1 if scan[max(0, match.start() - 1)] == "~" else match.start()
        found.append(RelativeMention(start, direction.end(), offset, hedged, anchor))
    for match in _FAST_AFTER_OFFSET.finditer(scan, words):
        offset = _offset(match)
        if offset is None or any(r.start <= match.start("n") < r.end for r in found):
            continue
        found.append(
            RelativeMention(match.start(), match.end(), offset, bool(match.group("hedge")))
        )
    taken = {relative.start for relative in found}
    for match in _FAST_WITHIN.finditer(scan, words):
        offset = _offset(match)
        # "Within some 2 minutes": a vague span from a start is no moment to propose.
        if offset is None or match.group("hedge") or match.start("n") in taken:
            continue
        if any(r.start <= match.start("n") < r.end for r in found):
            continue
        found.append(RelativeMention(match.start(), match.end(), offset, False, "incident"))
    found.sort(key=lambda relative: relative.start)
    return found


_WEEKDAY_NUMBERS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4,
    "samstag": 5, "sonnabend": 5, "sonntag": 6,
}  # fmt: skip
# The parts of a German day, as nouns: "am Abend", "gestern Nachmittag", "des gestrigen
# Abends". After a weekday, "heute" or "gestern" German names "früh" and "Nacht" too
# ("Montagnacht", "heute früh").
GERMAN_DAYTIMES = ("Morgen", "Vormittag", "Mittag", "Nachmittag", "Abend")
_GERMAN_DAY_PARTS = (*GERMAN_DAYTIMES, "früh", "Nacht")
_LONE_WEEKDAY_RE = re.compile(
    r"(?<![\w-])(?P<name>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Montag"
    r"|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag)(?:'s)?"
    # "Montagabend", "Dienstagfrüh": the part glued on, in lower case.
    rf"(?:(?:{'|'.join(part.lower() for part in _GERMAN_DAY_PARTS)})\b)?(?![\w-])"
)


_FAST_LONE_WEEKDAY = FastPattern(_LONE_WEEKDAY_RE)


@dataclass(frozen=True)
class WeekdayMention:
    start: int
    end: int
    weekday: int  # Monday is 0, as in date.weekday()


def find_weekdays(scan: str, words: WordIndex | None = None) -> list[WeekdayMention]:
    """Return weekday names standing on their own ("on Tuesday", "am Montagabend")."""
    words = words or WordIndex(scan)
    found: list[WeekdayMention] = []
    for match in _FAST_LONE_WEEKDAY.finditer(scan, words):
        name = match.group("name").lower()
        found.append(WeekdayMention(match.start(), match.end(), _WEEKDAY_NUMBERS[name]))
    return found


def weekday_on_or_before(anchor: date, weekday: int) -> date:
    """Return the last date on or before `anchor` that falls on `weekday`."""
    return anchor - timedelta(days=(anchor.weekday() - weekday) % 7)


# Days named relative to when the piece was written; they are dated from its publication.
_RELATIVE_DAY_OFFSETS: dict[str, int] = {
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
    "yesterday": -1, "last night": -1, "heute": 0, "heute morgen": 0, "heute früh": 0,
    "heute nacht": 0, "gestern": -1, "gestern abend": -1, "vorgestern": -2,
    "vergangene nacht": 0, "vergangenen nacht": 0, "in der vergangenen nacht": 0,
    "letzte nacht": 0, "letzten nacht": 0, "in der letzten nacht": 0,
}  # fmt: skip
# "gestern Nachmittag", "heute Vormittag", "im Verlauf des gestrigen Tages": German names
# the part of a relative day after it.
for _part in _GERMAN_DAY_PARTS:
    _RELATIVE_DAY_OFFSETS.setdefault(f"heute {_part.lower()}", 0)
    _RELATIVE_DAY_OFFSETS.setdefault(f"gestern {_part.lower()}", -1)
for _noun in ("Tag", "Tages", "Tage", *GERMAN_DAYTIMES, *(f"{t}s" for t in GERMAN_DAYTIMES)):
    _RELATIVE_DAY_OFFSETS[f"heutigen {_noun.lower()}"] = 0
    _RELATIVE_DAY_OFFSETS[f"gestrigen {_noun.lower()}"] = -1
# A night before the day the piece was written: named by the morning it ends on, so its
# evening hours fall on the day before ("in der vergangenen Nacht ... gegen 23 Uhr").
NIGHT_BEFORE_NAMES = frozenset(
    name
    for name in _RELATIVE_DAY_OFFSETS
    if name.endswith(("vergangene nacht", "vergangenen nacht", "letzte nacht", "letzten nacht"))
)
_RELATIVE_DAY_RE = re.compile(
    r"(?<![\w-])(?P<name>this\s+(?:morning|afternoon|evening)|last\s+night|today|tonight"
    rf"|yesterday|(?:heute|gestern)(?:\s+(?:{'|'.join(_GERMAN_DAY_PARTS)}))?|vorgestern"
    rf"|(?:heutigen|gestrigen)\s+(?:Tag(?:es|e)?|(?:{'|'.join(GERMAN_DAYTIMES)})s?)"
    r"|(?:in\s+der\s+)?(?:vergangenen|letzten)\s+Nacht|(?:vergangene|letzte)\s+Nacht)(?![\w-])",
    re.IGNORECASE,
)
_FAST_RELATIVE_DAY = FastPattern(_RELATIVE_DAY_RE)


# Days the story counts from the day it told last: "the next day", "later that day", "am
# Folgetag", "tags darauf", "am selben Tag", "am Vortag". Not "two days later": a longer count is as
# often taken from the incident's first day as from the day told last.
_STORY_PART = r"(?:day|morning|afternoon|evening|night)"
_STORY_GERMAN_PART = r"(?:Tag|Morgen|Vormittag|Mittag|Nachmittag|Abend)"
_STORY_DAY_RE = re.compile(
    rf"(?<![\w-])(?:(?P<next>the\s+(?:next|following)\s+{_STORY_PART}|next\s+morning|a\s+day\s+later"
    rf"|am\s+(?:nächsten|folgenden|darauffolgenden)\s+{_STORY_GERMAN_PART}|am\s+Folgetag"
    r"|tags\s+darauf|am\s+Tag\s+darauf|einen\s+Tag\s+später)"
    rf"|(?P<same>the\s+same\s+{_STORY_PART}|later\s+(?:that|the\s+same|in\s+the)\s+day"
    rf"|later\s+that\s+{_STORY_PART}|am\s+(?:selben|gleichen)\s+{_STORY_GERMAN_PART}"
    r"|später\s+am\s+Tag)"
    r"|(?P<before>the\s+(?:previous|preceding)\s+day|the\s+day\s+before(?!\s+(?:the|a|an|it)\b)"
    r"|am\s+Vortag|am\s+Vorabend|am\s+(?:Tag|Abend)\s+zuvor|tags\s+zuvor"
    # "since 8pm the evening before": a part of the day before, read only after a clock.
    r"|(?P<part_before>the\s+(?:evening|night)\s+before|the\s+previous\s+(?:evening|night))"
    r"(?![^\S\n]+(?:(?:the|a|an|it|last)\b|(?-i:[A-Z])))))(?![\w-])",
    re.IGNORECASE,
)
_FAST_STORY_DAY = FastPattern(_STORY_DAY_RE)


def find_story_days(scan: str, words: WordIndex) -> list[tuple[int, int, int, bool]]:
    """Return (start, end, days after the day told last, whether it needs a clock before it)
    of "the next day" and the like."""
    return [
        (
            match.start(),
            match.end(),
            1 if match.group("next") else -1 if match.group("before") else 0,
            match.group("part_before") is not None,
        )
        for match in _FAST_STORY_DAY.finditer(scan, words)
    ]


def relative_day_near(scan: str, start: int, end: int, reach: int = 30) -> bool:
    """Say whether "last night", "this morning", "today" … stands within `reach` of a time."""
    return (
        _RELATIVE_DAY_RE.search(scan, max(0, start - reach), min(len(scan), end + reach))
        is not None
    )


def find_relative_days(scan: str, words: WordIndex) -> list[tuple[int, int, int]]:
    """Return (start, end, offset in days) of "today", "yesterday", "gestern" and the like."""
    return [
        (m.start(), m.end(), _RELATIVE_DAY_OFFSETS[" ".join(m.group("name").lower().split())])
        for m in _FAST_RELATIVE_DAY.finditer(scan, words)
    ]
