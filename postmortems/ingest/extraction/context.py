"""Step 1: the document's frame of reference, read before any single time.

A write-up says once what its times mean: "All times are Pacific Daylight Time (PDT)" in a
preamble, a publication date in a byline or the page's metadata, "19-20 October 2025" in
the headline, the year in its URL. This step collects those facts, each with the words that
stated it, so later steps can say which one decided an event's date or zone.

It also dates every date the text writes: a yearless "Oct 20" takes the year of the date
before it, then the caller's reference date, then the title, URL or publication year.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from .dates import (
    GERMAN_DAYTIMES,
    MONTHS,
    NIGHT_BEFORE_NAMES,
    DateMention,
    find_dates,
    find_relative_days,
    find_story_days,
    find_url_dates,
    find_weekdays,
    valid_day,
    weekday_on_or_before,
)
from .model import ExtractionWarning, counted
from .places import PlaceMention, cities_of_countries, find_outlets, find_places
from .scanning import DigitRunPattern, FastPattern
from .text import PreparedText
from .zones import ZoneSpec, find_declarations, main_place, zone_of_place

_PUBLICATION_RE = re.compile(
    # "09.08.2022 | Stand 09.08.2022, 8:06 Uhr": the page's date, then its stamp.
    r"[\W_]*(?:(?:\d{1,2}\.\d{1,2}\.\d{2,4}|\d{4}-\d{2}-\d{2})\s*[|·•]\s*)?"
    # "Reuters | Updated: 22-03-2018 09:17 IST": the agency, then the stamp.
    r"(?:[A-Z][\w.&-]+(?:\s[A-Z][\w.&-]+)?\s*[|·•]\s*)?"
    # "first published: Sep 28, 2021 01:41 pm", "Date Reported: Feb 21, 2024"
    r"(?:(?:First|Originally)\s+published|Date\s+(?:published|posted|reported)|Created|"
    r"Published|Updated|Last\s+updated|Veröffentlicht|Publiziert|"
    r"Aktualisiert|Zuletzt\s+aktualisiert|Stand|Erstellt|Erschienen|"
    # "Publication date: Tue, 25 Mar 2025 19:20", "Last update of the article: 05.02.2023"
    r"Publication\s+date|Last\s+update\s+of\s+the\s+(?:article|page|story|post)|"
    # "Posted on February 23, 2013" under a blog's headline; a status page's "Posted Jun 05,
    # 2020 - 15:12 PDT" stamps its entry, which tells a moment.
    r"Posted(?=\s+on\b)|"
    # "Erstmeldung vom 18. Februar 2026, 9.30 Uhr; letzte Aktualisierung 11.36 Uhr"
    r"(?:Erstmeldung|Meldung|Artikel|Beitrag|Nachricht)\s+vom)\b"
    # … followed by its stamp: "Updated to add: AWS later said …" is prose, not a stamp.
    r"(?=[\s:,.]*(?:(?:on|am|at|um)[\s:]+)?(?:\d|[A-ZÄÖÜ][a-zäöü]+\.?,?\s+\d|(?:Mon|Tues|Wednes|Thurs"
    r"|Fri|Satur|Sun)day|Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag|today"
    r"|yesterday|heute|gestern|vor\s+\d|\d+\s+(?:hours?|minutes?|days?)\s+ago)|[\s:]*$)",
    re.IGNORECASE,
)
# "Dieses Thema im Programm: NDR 1 | 26.10.2022 | 19:00 Uhr", "Sendung: rbb24 Inforadio,
# 02.02.2024, 10:20 Uhr": when a broadcaster aired the piece, under its web text.
_BROADCAST_RE = re.compile(
    r"[\W_]*(?:Dieses\s+Thema\s+im\s+Programm|Sendung|Sendedatum|Ausstrahlung)\s*:"
    r"(?=[^\n]{0,100}\d{1,2}\.(?:\d{1,2}\.|\s*[A-ZÄÖÜ][a-zäöü]+\s+)\d{4})"
)
_STAND_RE = re.compile(r"[\W_]*Stand", re.IGNORECASE)
_BYLINE_RE = re.compile(r"[\W_]*Posted\b.*\b(?:by|von)\b", re.IGNORECASE)
# "By Jane Doe  June 5, 2023 3:12 PM EDT" under a headline: the author's line and its stamp.
_AUTHOR_RE = re.compile(
    r"[\W_]*(?:[Bb]y|BY|Von)\s+(?!(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|(?:January|February|"
    r"March|April|May|June|July|August|September|October|November|December|noon|midnight|"
    r"mid|early|late|the|then|now)\b)[A-ZÀ-ÖØ-Þ][\w.'-]+(?:\s+(?:(?:and|und|&)\s+)?[A-ZÀ-ÖØ-Þ][\w.'-]+){0,5}"
    r"(?:\s*$|\s*[|·,•]|\s+(?:(?:on|am)\s+)?(?=(?:[A-Z][a-z]{2,5}day,?\s+)?[A-Z][a-z]{2,8}\.?\s+\d|\d))"
)
# "SEATTLE, Oct 21 (Reuters) -": a news dateline. Its date is when the piece was filed.
_DATELINE_CITY_RE = re.compile(
    r"[\W_]*(?:[A-ZÄÖÜ][A-ZÄÖÜ.'\- ]{1,40}|[A-ZÄÖÜ][\w.'-]+(?:[ -][A-ZÄÖÜ][\w.'-]+){0,2}),\s*"
)
_DATELINE_AGENCY_RE = re.compile(r",?\s*\([A-Za-z ./-]{2,30}\)\s*[-–—:]")
_DATELINE_DASH_RE = re.compile(r",?\s*[-–—]")
_STAMP_EDGE_RE = re.compile(r"[\s|·•*_-]*")
# "Totalausfall 08.11.2023, 11:15 Uhr" on a news page's first line: a one-word kicker, then
# the stamp.
_KICKER_RE = re.compile(r"[\s|·•*_-]*[A-ZÄÖÜ][\wäöüß-]{2,30}[\s|·•:*_-]+")
# "Update 18.11.2022, 06:24 Uhr" on a line of its own: the time stamps the entry below; its
# date dates that entry.
_UPDATE_STAMP_RE = re.compile(
    r"[\s*_]*(?:Update|UPDATE|Nachtrag|Aktualisierung|Aktualisiert|Updated)(?:\s+(?:vom|on))?"
    r"[\s:,*_-]*$"
)
# "Update, February 3rd 4:40PM ET: Added the company's confirmation …": a note on what the
# article itself changed. Its stamp is when the page was edited, not a moment of the story.
_EDITORIAL_NOTE_RE = re.compile(
    r"[\W_]*(?:Update|Updated|Correction|Editor'?s\s+note)\b[^\n]{0,60}?:[\s*_]*"
    r"(?:Added|Adds|Updated|Updates|Corrected|Corrects|Clarified|Clarifies|Removed|"
    r"This\s+(?:story|article|post|piece|report)\b)"
    # "Update, 13:17: Statement from the operator added.": what was added, after the stamp.
    r"|[\W_]*Update[ds]?,?\s+\d{1,2}[:.]\d{2}[^\n:]{0,20}:[^\n]{0,60}?\b"
    r"(?:added|corrected|clarified|removed|updated)\b[^\n]{0,40}$",
    re.IGNORECASE | re.MULTILINE,
)
# The clock of a page or update stamp: "08:06", "9.30 Uhr", "3:12 PM", "4:20 p.m.".
_STAMP_CLOCK = r"\d{1,2}[:.]\d{2}(?:\s*(?:Uhr|[AaPp]\.?\s?[Mm]\.?))?"
_UPDATE_STAMP_TIME_RE = re.compile(
    r"[\s,*_-]*(?:um\s+|at\s+)?(?P<time>" + _STAMP_CLOCK + r")[\s*_]*"
)
# "July 8, 2025 · Outage report for …": a byline's date, set off by a separator.
_BYLINE_SEPARATOR_RE = re.compile(r"[^\S\n]*[·•|][^\S\n]*\w")
# "Jan 2, 2016 11:34 GMT · Softpedia": the byline's date with its clock, and its source.
_BYLINE_CLOCK_RE = re.compile(
    r"[^\S\n]*,?[^\S\n]*\d{1,2}[:.]\d{2}(?:[^\S\n]*(?:[AaPp]\.?[Mm]\.?|Uhr))?(?:[^\S\n]+[A-Z]{2,5})?"
    # Not a bar: "| 2024-06-03 08:12 | Deploy started |" is a row of a timeline table; but a
    # bar before the author ("Feb 24, 2021 21:38 IST | By News Desk") is a byline.
    r"[^\S\n]*(?:[·•][^\S\n]*\w|\|[^\S\n]*(?:By|Von)\s)"
)
# "Berlin (dpa) – ", "TOKYO, ", "Anton Priebe | ", "Hemer · Veröffentlicht: Freitag, ": what
# stands before the date on a masthead line, up to a separator; no sentence, no number.
_MASTHEAD_BEFORE_RE = re.compile(r"[\s*_]*(?:[^\n.!?;\d]{1,60}?(?:[|·•/–—,:]|\s-))?[\s*_]*")
# "… April 25, 2013 / 3:11 PM", "… 26.01.2024 13:42": the page's clock, with no zone (a status
# page stamps its entries with one: "Oct 20, 07:11 UTC").
_MASTHEAD_AFTER_RE = re.compile(
    r"[\s*_]*(?:[,|·•/–—-]?[^\S\n]*(?:um\s+|at\s+)?\d{1,2}[:.]\d{2}"
    r"(?:[^\S\n]*(?:Uhr|[AaPp]\.?[^\S\n]?[Mm]\.?))?)?[\s*_]*"
)
# "Identified – March 4, 2024", "Update: …": a status page's entry, not a masthead.
_MASTHEAD_STATUS_RE = re.compile(
    r"[\s*_#]*(?:Investigating|Identified|Monitoring|Resolved|Update[ds]?|Postmortem|Completed|"
    r"Scheduled|Nachtrag|Aktualisierung|Comment(?:ed)?|Kommentar)\b",
    re.IGNORECASE,
)
_MASTHEAD_MAX = 100
# A masthead line under the headline, read word by word: "CityNews Toronto — By Patricia
# D'Cunha", "Posted May 21, 2025 10:12 am. Last Updated …", "LBC, 3 February 2025, 10:14. By
# Katy Ronkin", "aero.de, dpa-AFX | 21.12.2015 14:14", "Do., 08.01.2026, 15:45 Uhr". Its clock
# is when the piece was filed: no sentence on it, only names, stamp words, dates and clocks.
_MASTHEAD_LINE_MAX = 140
_MASTHEAD_CLOCK_RE = re.compile(
    # not a date's "08.08" in "08.08.2016"
    r"(?<![\d.:])\d{1,2}[:.]\d{2}(?::\d{2})?(?![.:]?\d)"
    r"(?:[^\S\n]*(?:[AaPp]\.?[^\S\n]?[Mm]\b\.?|Uhr\b))?"
)
# "Park Ju-young": a hyphen joins the parts of one name.
_MASTHEAD_WORD_RE = re.compile(r"[^\W\d_][\w'’&]*(?:[.-][^\W\d_][\w'’&]*)*")
# Lowercase words a masthead holds: who wrote it, when it was posted or last changed.
_MASTHEAD_STAMP_WORDS = frozenset(
    "by von on at am um in vom and und feature news posted published updated last stand "  # noqa: SIM905
    "erstmeldung letzte aktualisierung aktualisiert veröffentlicht dpa afp "
    # "07.05.2020, 12:26 Uhr / Lesedauer: 1 min", "June 5, 2023 10:12 am · 4 min read"
    "lesedauer lesezeit min minuten read".split()
)
# Capitalised words that are not names: they say the line is a stamp, not whose it is.
_MASTHEAD_STAMP_NAMES = _MASTHEAD_STAMP_WORDS - frozenset(
    "by von on at am um in and und".split()  # noqa: SIM905
)
_MASTHEAD_DATE_WORDS = frozenset(MONTHS) | frozenset(
    "mon monday tue tues tuesday wed wednesday thu thur thurs thursday fri friday saturday "  # noqa: SIM905
    "sat sun sunday mo di mi do fr sa so montag dienstag mittwoch donnerstag freitag samstag "
    "sonnabend sonntag "
    "st nd rd th".split()  # "May 13th 2015"
)
# A zone names the clock a status page stamps its entries with ("Posted Jun 05, 2020 - 15:12
# PDT", "Oct 20, 07:11 UTC"); on a masthead it stands beside a name.
_MASTHEAD_ZONE_RE = re.compile(r"[A-Z]{2,5}")
# "Monday 15 June 2015 10:34 BST", "November 1, 2022 at 17:44 JST": a news page's stamp, with
# its year, its zone and a weekday or an "at"; a status page's entry ("19 Jul 2022 10:41 PDT",
# "Jun 05, 2020 - 15:12 PDT") has neither.
_ZONED_MASTHEAD_RE = re.compile(
    r"[\s*_]*(?:(?P<weekday>(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day),?\s+)?"
    r"(?:\d{1,2}\s+[A-Z][a-z]+|[A-Z][a-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?)\s+\d{4},?\s+"
    r"(?(weekday)(?:at\s+)?|at\s+)\d{1,2}[:.]\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?\s+[A-Z]{2,5}[\s*_]*"
)
# "16:02 JST, October 14, 2023" alone on its line: a news page that writes its clock first.
_CLOCK_FIRST_MASTHEAD_RE = re.compile(
    r"[\s*_]*\d{1,2}:\d{2}\s+[A-Z]{2,5},\s+[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4}[\s*_]*"
)
# What may stand on a line before a repeated stamp: "| NDR 90,3: ".
_REPEAT_LEAD_MAX = 40
# "( 2003-08-29 08:57) (Agencies)", "(22.06.2005, 22:52 Uhr) - In aller Eile …": a date with
# its year and a zoneless clock, alone in brackets: the stamp of a piece or of its source.
_BRACKETED_STAMP_RE = re.compile(
    r"\(\s*\S[^()\n]{4,25}?,?\s+\d{1,2}[:.]\d{2}(?:\s*Uhr)?\s*\)"
    r"(?:\s*\([A-Za-z ./-]{2,30}\))?(?:\s*[-–—:].*|\s*\]?)"
)
# How far under a headline-less first date line its story's first sentence may stand.
_DATE_LINE_STORY_SEGMENTS = 4
# "Photo: An airline ground crew member …", "(Picture caption: …)": a picture's caption.
_CAPTION_RE = re.compile(
    r"[\W_]*(?:Photo|Picture|Image|Caption|Foto|Bild|Bildunterschrift)(?:\s+caption)?\s*:",
    re.IGNORECASE,
)
# "13:41 Uhr", "- 09:12 UTC:": a line that opens on its clock is an entry of a log or a
# live blog, which the date above it heads.
_LEADING_CLOCK_RE = re.compile(r"[\s*_#|-]*\d{1,2}[:.]\d{2}\b")
_MASTHEAD_SEPARATOR_RE = re.compile(r"[|·•—–]|\s-\s")
# A line that holds nothing but a date ("July 23, 2021" under a news headline).
_DATE_LINE_EDGE_RE = re.compile(r"[\s*_]*")
# "Date: 2022-07-18", "Datum 14.10.2019": a page's date field saved with its label.
_DATE_LABEL_RE = re.compile(r"[\s*_]*(?:Date|Datum)\b[\s:*_]*", re.IGNORECASE)
# "Wirtschaft | 02.06.2018": the section of a news site, set off by a bar, before the date.
_DATE_LINE_SECTION_RE = re.compile(r"[\s*_]*[A-ZÄÖÜ][\wäöüß-]{2,30}\s*[|·•]\s*")
# "25.01.2023, 09:26", "Friday, Jun 30th, 2023 (4:20 pm)": the clock of a page stamp.
_STAMP_TIME_RE = re.compile(
    r"[\s,|·•*–-]*(?P<open>\()?(?:um\s+)?"
    + _STAMP_CLOCK
    # "… 16:14 Uhr | Lesezeit: 4 Minuten": the page's own note after its stamp.
    + r"(?(open)\))[\s|·•*_]*(?:(?<=[|·•] )[^\n|·•]{1,30})?"
)
_ZONED_STAMP_TIME_RE = re.compile(
    r"[\s,|·•*–-]*(?:at\s+|um\s+)?" + _STAMP_CLOCK + r"(?:\s+[A-Z]{2,5})?[\s|·•*_]*"
)
# "Sydney (dpa) - …", "SYDNEY, Nov 8 (Reuters) -", "TOKYO — …": the place a news piece was
# filed from, whose clock its "Ortszeit" / "local time" means.
_DATELINE_PLACE_RE = re.compile(
    r"[\W_]*(?P<place>[A-ZÄÖÜ][\w.'-]+(?:[ -][A-ZÄÖÜ][\w.'-]+){0,2}|[A-ZÄÖÜ]{3,}(?: [A-ZÄÖÜ]{3,})?)"
    r"(?:/[^()\n]{1,30})?(?:,[^()\n]{1,40}?)?\s*"
    r"(?:\([A-Za-z .-]{2,30}\)\s*[-–—:]|(?<=[A-ZÄÖÜ])\s+[-–—]\s)"
)
# "[SINGAPORE] A power fault …", "SINGAPORE: The bank said …", "SINGAPORE, Oct 14 — …",
# "28-8-2023 (SINGAPORE) All …": a place in capitals that opens a paragraph, in brackets or
# before a colon or a dash (after its date, if any), is the dateline too. Capitals set it
# apart from a sentence's first word; the place must still be one the gazetteer knows.
_CAPS_DATELINE_RE = re.compile(
    r"[\W_]*(?:\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\s*)?"
    r"(?:[\[(](?P<bracketed>[A-ZÄÖÜ]{3,}(?:[ -][A-ZÄÖÜ]{3,}){0,2})[\])]"
    r"|(?P<place>[A-ZÄÖÜ]{3,}(?:[ -][A-ZÄÖÜ]{3,}){0,2})(?:,[^()\n]{1,40}?)?\s*[:–—-]\s)"
)
# "Tokio - Ein Fehler in der Handelssoftware …": a German agency piece opens with its place
# and a dash. An English piece so opened may be filed far from its story ("London - four
# Balkan countries …"), so there the dash alone is no dateline.
_GERMAN_DATELINE_RE = re.compile(
    r"(?P<place>[A-ZÄÖÜ][a-zäöüß]+(?:[ -][A-ZÄÖÜ][a-zäöüß]+)?)\s+[-–—]\s+(?=[A-ZÄÖÜ])"
)
_DATELINE_SEGMENTS = 12
# The head of a page: the headline (segment 0) and the three lines under it, where a site
# sets its author, dateline, byline and stamp. A stamp under the author's line, or a
# byline with its clock, may stand one line lower.
_PAGE_HEAD_LAST = 3
# How many sentences from the top a date may stand and still be read as the page's date
# when the text has no stamp, date line or reference date.
_HEAD_DATE_SEGMENTS = 8
# A clock right before "the next day": "at 02:10 UTC", "6:06 PM", "um 9 Uhr".
_CLOCK_BEFORE_RE = re.compile(r"(?:\d[:.]\d\d|\d\s?[AaPp]\.?[Mm]\.?|\bUhr)(?:\s+[A-Z]{2,5})?,?\s+$")
_CLOCK_AFTER_RE = re.compile(
    r",?\s*(?:um|at|gegen|around|ab|about)?\s*\d{1,2}(?:[:.]\d{2}|\s*(?:Uhr|[ap]\.?m))"
)
# A clock time anywhere in a sentence: "8pm", "4PM", "10.06am", "17:35", "15.30 Uhr".
_CLOCK_IN_SENTENCE_RE = re.compile(
    r"(?<![\w.:])\d{1,2}(?::\d{2}(?![\d:])|(?:[.:]\d{2})?\s?(?:[ap]\.?m\b\.?|Uhr\b))",
    re.IGNORECASE,
)
_TEXT_YEAR_RE = re.compile(r"(?<![\w./:-])((?:19|20)\d{2})(?![\w./:-]|\s?UTC)")
# "launched in 2006", "seit 2010": a year that dates something other than the incident.
_OTHER_YEAR_RE = re.compile(
    r"\b(?:launched|founded|established|created|started|introduced|since|seit|gegründet|"
    r"gestartet)\s+(?:in\s+|im\s+Jahr\s+)?$",
    re.IGNORECASE,
)
_URL_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_HEADING_MAX = 120
# "Photo: a shop in Seattle, Nov. 2, 2009.", "[Image caption] …", "Bildunterschrift: …":
# a line that labels itself a picture's caption …
_CAPTION_LABEL_RE = re.compile(
    r"[\s\[(]*(?:(?:Photo|Image|Picture)(?:\s+captions?)?|Captions?|Foto|Bild|Bildunterschrift"
    r"|Bildlegende)\s*[:\]]",
    re.IGNORECASE,
)
# … or ends with the picture's credit: "… on June 27. Sean Kilpatrick/The Canadian Press",
# "THE CANADIAN PRESS/AP-Elaine Thompson", "/Courtesy of Yonhap News Agency".
_CAPTION_CREDIT_RE = re.compile(
    r"(?:/|\b[Cc]ourtesy\s+of\b)[^\n/]{0,50}\b(?:Press|PRESS|Photos?|Images|Agency|AFP|AP"
    r"|Reuters|REUTERS|Getty|dpa|Keystone|EPA)\b[^\n/]{0,30}$"
)
_CAPTION_CREDIT_REACH = 90
# A weekday without a date is counted back from a publication date at most this far.
_WEEKDAY_REACH_DAYS = 7
# A weekday counted from the caller's reference date (the incident's first day) is the one
# from the day before it to five days after: a text is written after the incident began
# and tells its days on, so "in a statement Monday" a week later is not the Monday before.
_REFERENCE_WEEKDAY_AHEAD = 5
# A weekday near a date the story told is the nearest such day, within three days.
_TOLD_WEEKDAY_OFFSETS = (0, -1, 1, -2, 2, -3, 3)
# A verb of speech between a weekday and a date later in its sentence: the weekday is when
# it was said, the date what it was said about.
_REPORTS_BEFORE_RE = re.compile(
    r"\b(?:said|says|confirmed|announced|disclosed|reported|stated|told)\b", re.IGNORECASE
)
# "am vergangenen Donnerstag", "letzten Freitag", "last Monday": a weekday of the week
# before, counted back from the day told (or the publication), never forward.
_PAST_WEEKDAY_RE = re.compile(r"(?<![\w-])(?:vergangenen|letzten|vorigen|last)\s+$", re.IGNORECASE)
# "in der Nacht auf Dienstag", "Nacht zum Freitag", "the night to Tuesday": the night that
# ends on the weekday named.
# "in der Nacht von Sonntag auf Montag", "the night from Sunday to Monday": the same night.
_NIGHT_BEFORE_RE = re.compile(
    r"\b(?:Nacht|night)\s+(?:(?:von|vom|from)\s+(?:\S+\s+){1,2}?)?(?:auf|zum|zu|to|into|before)"
    r"\s+(?:den\s+|dem\s+)?$",
    re.IGNORECASE,
)
# "On June 27th (yesterday)", "am 3. März, gestern": a relative day right after a written
# date only glosses it for the reader of that day.
_GLOSS_GAP_RE = re.compile(r"\s*[(,]\s*")
# … whose first weekday is only the evening of the night the second one names.
_NIGHT_FROM_RE = re.compile(r"\b(?:Nacht|night)\s+(?:von|vom|from)\s+$", re.IGNORECASE)
_NIGHT_TO_RE = re.compile(r"\s+(?:auf|zum|zu|to|into)\s+(?:den\s+|dem\s+)?[A-ZÄÖÜ]")


@dataclass(frozen=True)
class DocumentMetadata:
    """What the page or file says about itself, outside the prose (all optional)."""

    title: str = ""
    published_at: date | None = None
    url: str = ""


@dataclass(frozen=True)
class ZoneDeclaration:
    """A zone the text declares for the times that follow it ("All times PDT")."""

    start: int
    end: int
    zone: ZoneSpec
    where: str  # "the preamble", "a note at the end", "the text"


@dataclass(frozen=True)
class DayMention:
    """A calendar date the prose writes, with its year resolved."""

    start: int
    end: int
    day: date
    # "prose" | "heading" | "headline" | "dateline" | "weekday" | "relative" |
    # "monthday" | "holiday" | …
    origin: str
    written: str  # the words as the text has them
    # "in der Nacht auf Dienstag": `day` is the morning the night ends on; its evening
    # hours are on the day before.
    night: bool = False
    # A weekday dated from the story rather than the publication: the date it told before.
    near: str = ""
    # Written in a picture's caption: it dates the picture, often an old file photo, so it
    # dates a time written with it but no time or weekday of the story after it.
    caption: bool = False


@dataclass(frozen=True)
class Anchor:
    """A date that frames the whole document, and the words a reviewer can check."""

    day: date
    evidence: str


@dataclass(frozen=True)
class DocumentContext:
    days: tuple[DayMention, ...]  # in text order, no overlaps
    publication_spans: tuple[tuple[int, int], ...]  # dates that stamp the page, not events
    publication_segments: frozenset[int]  # "Published …" lines: no events in them
    declarations: tuple[ZoneDeclaration, ...]
    published: Anchor | None
    title: Anchor | None  # the first date of the title metadata
    sources: tuple[date, ...]  # dates in cited URLs, sorted
    warnings: tuple[ExtractionWarning, ...]
    # Dates the text writes but no year could be found for: still dates, never clock times
    # ("October 19 and 2:24 AM" is not a range from 19:00).
    unplaced_spans: tuple[tuple[int, int], ...] = ()
    # The zone of the place a news dateline names ("Sydney (dpa) -"): what "Ortszeit" and
    # "local time" after a time mean.
    local_zone: ZoneDeclaration | None = None
    # The one place a text names, when every country and city it names lies in one zone
    # ("calls across the UK"): a last guess for a text that names no zone at all.
    place_zone: ZoneDeclaration | None = None
    # "am Abend", "am frühen Nachmittag": a part of the day the story last told, dated to
    # that day. Only a sentence without a clock time of its own makes a day event of it;
    # the clock times are placed from `days` alone.
    day_parts: tuple[DayMention, ...] = ()
    # Every place the text names, in text order ("in Singapore", "Londoner Börse").
    places: tuple[PlaceMention, ...] = ()
    # For a country of several zones, the one of its cities the text names ("AU": Perth).
    country_cities: Mapping[str, PlaceMention] = field(default_factory=dict)

    def places_between(self, start: int, end: int) -> tuple[PlaceMention, ...]:
        """Return the places named in [start, end)."""
        low = bisect.bisect_left(self.places, start, key=_place_start)
        high = bisect.bisect_left(self.places, end, key=_place_start)
        return self.places[low:high]

    def declaration_at(self, position: int) -> ZoneDeclaration | None:
        """Return the declaration in force at `position`: the last one before it.

        A declaration written after every time ("Alle Zeitangaben in MESZ." as a closing
        note) still applies to the times before it, since nothing else was declared.
        """
        chosen: ZoneDeclaration | None = None
        for declaration in self.declarations:
            if declaration.start > position:
                break
            chosen = declaration
        if chosen is None and self.declarations:
            return self.declarations[0]
        return chosen

    def incident_anchor(self) -> Anchor | None:
        """Return the incident date the cited sources, title or publication point at."""
        if self.title is not None:
            return self.title
        if self.sources:
            before = [d for d in self.sources if self.published and d <= self.published.day]
            day = before[-1] if before else self.sources[0]
            return Anchor(day, f"date from the cited sources: {day.isoformat()}")
        return self.published


def read_context(
    text: str,
    prepared: PreparedText,
    language: str,
    metadata: DocumentMetadata,
    reference_date: date | None,
) -> DocumentContext:
    """Return the document's dates, declared zones and publication date."""
    scan = prepared.scan
    authors = {
        index
        for index, segment in enumerate(prepared.segments[: _PAGE_HEAD_LAST + 1])
        if _AUTHOR_RE.match(scan, segment.start, segment.end)
    }
    publication = authors | {
        index
        for index, segment in enumerate(prepared.segments)
        if (
            (stamp := _PUBLICATION_RE.match(scan, segment.start, segment.end))
            # "Stand 13:30 Uhr leuchtete ein roter Punkt" inside a paragraph is prose: a
            # "Stand" stamp opens its own line.
            and (_opens_line(prepared, index) or not _STAND_RE.fullmatch(stamp.group().strip()))
        )
        or _BYLINE_RE.match(scan, segment.start, segment.end)
        or _BROADCAST_RE.match(scan, segment.start, segment.end)
        or _EDITORIAL_NOTE_RE.match(scan, segment.start, segment.end)
    }
    # "First Published: October 05 2022. 07:10 IST": the stamp's clock, cut off as a
    # sentence of its own by the date's full stop, is the stamp's too.
    segments = prepared.segments
    publication |= {
        index + 1
        for index in publication
        if index + 1 < len(segments)
        and segments[index + 1].paragraph == segments[index].paragraph
        and _ZONED_STAMP_TIME_RE.fullmatch(scan, segments[index + 1].start, segments[index + 1].end)
    }
    prose: list[DateMention] = []
    stamps: list[DateMention] = []
    update_times: list[tuple[int, int]] = []
    for mention in find_dates(scan, language, prepared.words):
        segment = prepared.segment_of(mention.start)
        glued = (
            mention.end < len(scan)
            and scan[mention.end].isalpha()
            and not scan.startswith("T", mention.end)  # "2025-10-20T09:35" is one stamp
        )
        if glued or segment is None or segment in publication:
            # "22/10/2025Andrej Karpathy …": a sidebar's date glued to a headline, or a
            # "Published …" line. Context, never an incident moment.
            stamps.append(mention)
        elif segment <= _PAGE_HEAD_LAST + 1 and _is_news_stamp(
            scan,
            prepared,
            segment,
            mention,
            zoned=segment - 1 in authors or segment + 1 in authors,
        ):
            # "25.01.2023, 09:26" under a news headline: when the piece was filed.
            stamps.append(mention)
            publication.add(segment)
        elif segment <= _PAGE_HEAD_LAST and (
            _is_dateline(scan, prepared, segment, mention)
            or _is_byline_date(scan, prepared, segment, mention)
        ):
            stamps.append(mention)
        elif segment <= _PAGE_HEAD_LAST + 1 and _is_byline_date(
            scan, prepared, segment, mention, separator=_BYLINE_CLOCK_RE
        ):
            # The byline's clock is when the piece was filed, not a moment of the story.
            stamps.append(mention)
            publication.add(segment)
        elif mention.year and _is_masthead_line(scan, mention.start):
            # "CityNews Toronto — By Patricia D'Cunha" / "Posted May 21, 2025 10:12 am.": the
            # page's own stamp with its clock, under the headline, above it ("Mo., 29.01.2024,
            # 08:46 Uhr" opening a broadcaster's page) or further down ("Donnerstag,
            # 23.06.2005, 09:29 Uhr" over a second piece or at the foot of the page).
            stamps.append(mention)
            publication.add(segment)
        elif mention.year and (
            _repeats_stamp(scan, mention, stamps)
            or _BRACKETED_STAMP_RE.fullmatch(scan, *_bracket(scan, mention))
        ):
            # "| NDR 90,3: 07.11.2023 21:00 Uhr" under the piece, repeating its stamp; "Bern
            # (22.06.2005, 22:52 Uhr) -", "Quelle: allestörungen (26. Mai 2020, 12.30 Uhr)": when
            # the page, the agency's copy or a cited source was stamped.
            stamps.append(mention)
            publication.add(segment)
        elif 1 <= segment <= _PAGE_HEAD_LAST and _is_masthead_date(scan, mention):
            # "Berlin (dpa) – 07.09.2019", "iPhone in Canada | April 19, 2021": the page's
            # date under the headline; "am Freitag" and "gestern" count back from it.
            stamps.append(mention)
            publication.add(segment)
        else:
            prose.append(mention)
            update_time = _update_stamp_time(scan, prepared, segment, mention)
            if update_time is not None:
                update_times.append(update_time)
    publication_segments = frozenset(publication)
    url_mentions = find_url_dates(text, prepared.urls)
    title_dates = find_dates(metadata.title, language) if metadata.title else []
    year_hint = _year_hint(metadata, title_dates)
    warnings: list[ExtractionWarning] = []
    text_year = _text_year(scan)
    resolved = _resolve_years(
        text,
        sorted((*prose, *stamps, *url_mentions), key=lambda m: m.start),
        reference_date or metadata.published_at,
        year_hint,
        text_year,
        warnings,
    )
    published = _publication(text, metadata, stamps, resolved)
    title = None
    if title_dates:
        first = title_dates[0]
        year = first.year or year_hint or (reference_date.year if reference_date else None)
        if year and valid_day(year, first.month, first.day):
            written = metadata.title[first.start : first.end]
            title = Anchor(date(year, first.month, first.day), f'date from the title: "{written}"')
    # A date alone on a line under the headline is most often when the piece was written:
    # "went dark on Thursday" counts back from it, as from a publication date.
    date_line = _date_line(scan, prepared, prose, resolved)
    # With no incident day given, a date alone above the headline is the page's frame too;
    # it stays a date of the text (an incident day's headline may stand there).
    frame_line = date_line or (
        None if reference_date else _date_line(scan, prepared, prose, resolved, top=True)
    )
    head = None
    if reference_date is None and published is None and frame_line is None:
        # Nothing else to count "on Tuesday" from: the page's head may still date it.
        head = frame_line = _head_date(scan, prepared, prose, resolved) or _cited_date(
            text, url_mentions, resolved
        )
    days = [
        DayMention(
            m.start,
            m.end,
            resolved[m.start],
            "dateline" if date_line and date_line[0] == m.start else _origin(prepared, m),
            text[m.start : m.end],
            caption=_in_caption(scan, m.start),
        )
        for m in prose
        if m.start in resolved
    ]
    weekday_base = published or (frame_line[1] if frame_line else None)
    weekdays = _weekdays(
        text, prepared, publication_segments, days, weekday_base, reference_date, warnings
    )
    days += weekdays
    days += _relative_days(text, prepared, publication_segments, published)
    days += _month_days(text, prepared, publication_segments, days, reference_date)
    days += _holidays(
        text, prepared, publication_segments, days, _told_before(days, reference_date)
    )
    # "the next day" and "the day before" are found once; each count reads its own.
    story = find_story_days(prepared.scan, prepared.words)
    days += _story_days(text, prepared, publication_segments, days, story, back=True)
    days += _story_days(text, prepared, publication_segments, days, story, back=False, clocked=True)
    if published is None and frame_line is not None:
        # A date line under the headline dates "Gestern um 17:35 Uhr", "around 8pm last
        # night", "first noticed yesterday evening and lasted until 10pm": a relative day
        # with its own clock time, or a day before the piece told with a clock time of its
        # sentence ("today" there may be a quoted speaker's day, not the date line's). Alone
        # ("Yesterday we had an incident") it may be the day of an earlier update, so it does
        # not become a date the story carries.
        relative = [
            day
            for day in _relative_days(text, prepared, publication_segments, frame_line[1])
            if _CLOCK_AFTER_RE.match(prepared.scan, day.end)
            or day.night
            or (day.day < frame_line[1].day and _clock_in_sentence(prepared, day.start))
        ]
        days += relative
        warning = head and _head_date_warning(head, [*weekdays, *relative])
        if warning:
            warnings.append(warning)
    if published is None and date_line is None and reference_date is not None:
        days += _day_after_reference(text, prepared, publication_segments, reference_date, warnings)
    days = [
        replace(d, caption=True) if not d.caption and _in_caption(scan, d.start) else d
        for d in _without_glosses(scan, days)
    ]
    days.sort(key=lambda d: d.start)
    places = find_places(scan)
    return DocumentContext(
        days=tuple(days),
        publication_spans=tuple(sorted([(m.start, m.end) for m in stamps] + update_times)),
        publication_segments=publication_segments,
        declarations=_declarations(prepared),
        published=published,
        title=title,
        sources=tuple(sorted({resolved[m.start] for m in url_mentions if m.start in resolved})),
        warnings=tuple(warnings),
        unplaced_spans=tuple((m.start, m.end) for m in prose if m.start not in resolved),
        local_zone=_dateline_zone(prepared, language),
        # German text reads a bare clock as German time already; its place is only what
        # "Ortszeit" means, the story's place, which the outlet's address does not tell.
        place_zone=_place_zone(places, () if language == "de" else _outlets(text, prepared)),
        places=places,
        country_cities=cities_of_countries(places),
        day_parts=tuple(
            sorted(
                (
                    *_day_parts(text, prepared, publication_segments, days, published),
                    *_story_days(text, prepared, publication_segments, days, story, back=False),
                ),
                key=lambda d: d.start,
            )
        ),
    )


def _place_start(place: PlaceMention) -> int:
    return place.start


def _outlets(text: str, prepared: PreparedText) -> tuple[PlaceMention, ...]:
    """Return the countries of the web addresses the text cites, by their domains."""
    return find_outlets(text, prepared.urls) + find_outlets(prepared.scan, ((0, len(text)),))


def _place_zone(
    places: tuple[PlaceMention, ...], outlets: tuple[PlaceMention, ...]
) -> ZoneDeclaration | None:
    """Return the zone of the place a text is about ("BT ... 999 calls across the UK").

    A text that names one clock's places far more often than any other's is about that
    place, and a bare time in it is most likely that place's clock. The address of the
    outlet it comes from ("computing.co.uk") counts as one more such place.
    """
    found = main_place(sorted(places + outlets, key=_place_start))
    if found is None:
        return None
    zone, start, end = found
    return ZoneDeclaration(start, end, zone, "the text")


def _opens_line(prepared: PreparedText, index: int) -> bool:
    """Return True when segment `index` is the first sentence of its line."""
    return index == 0 or (
        prepared.segments[index - 1].paragraph != prepared.segments[index].paragraph
    )


def _dateline_zone(prepared: PreparedText, language: str) -> ZoneDeclaration | None:
    """Return the zone of the place a news dateline near the top names, if it is known."""
    scan = prepared.scan
    patterns: tuple[re.Pattern[str], ...] = (_DATELINE_PLACE_RE, _CAPS_DATELINE_RE)
    if language == "de":
        patterns += (_GERMAN_DATELINE_RE,)
    for segment in prepared.segments[:_DATELINE_SEGMENTS]:
        for pattern in patterns:
            match = pattern.match(scan, segment.start, segment.end)
            if match is None:
                continue
            group = "place" if match.group("place") else "bracketed"
            zone = zone_of_place(match.group(group))
            if zone is not None:
                return ZoneDeclaration(match.start(group), match.end(group), zone, "the dateline")
    return None


def _is_dateline(scan: str, prepared: PreparedText, segment: int, mention: DateMention) -> bool:
    start = prepared.segments[segment].start
    if mention.start - start > 45:
        return False
    if _DATELINE_AGENCY_RE.match(scan, mention.end):
        return start == mention.start or bool(
            _DATELINE_CITY_RE.fullmatch(scan, start, mention.start)
        )
    return bool(
        _DATELINE_CITY_RE.fullmatch(scan, start, mention.start)
        and _DATELINE_DASH_RE.match(scan, mention.end)
    )


def _is_masthead_date(scan: str, mention: DateMention) -> bool:
    """Return True for a date on a line that holds only who, where and when the piece is.

    The place, the agency, the site or the author, a separator, then the date and maybe
    its clock time: nothing on the line tells the story, so the date is the page's.
    """
    line_start, line_end = _line_bounds(scan, mention.start, mention.end)
    if not mention.year or line_end - line_start > _MASTHEAD_MAX:
        return False
    before = _MASTHEAD_BEFORE_RE.fullmatch(scan, line_start, mention.start)
    after = _MASTHEAD_AFTER_RE.fullmatch(scan, mention.end, line_end)
    if not (before and after) or _MASTHEAD_STATUS_RE.match(scan, line_start, mention.start):
        return False
    # A date alone on its line, or after a section name ("Wirtschaft | 02.06.2018"), is
    # `_date_line`'s.
    return bool(
        after.group().strip(" *_")
        or (
            before.group().strip(" *_")
            and not _DATE_LINE_SECTION_RE.fullmatch(scan, line_start, mention.start)
        )
    )


def _is_masthead_line(scan: str, position: int) -> bool:
    """Return True when the line at `position` is a masthead with the page's clock.

    Nothing but the site, the section or the author (capitalised names, "aero.de"), stamp
    words ("by", "Posted", "Last Updated", "Stand"), dates and a clock: a sentence has
    lowercase words of its own. A line that names a zone is a status page's entry stamp unless
    a name stands on it too; a masthead sets its parts off by a separator or a stamp word,
    unless it is only a date and a clock ("Do., 08.01.2026, 15:45 Uhr").
    """
    line_start, line_end = _line_bounds(scan, position)
    if line_end - line_start > _MASTHEAD_LINE_MAX or _MASTHEAD_STATUS_RE.match(
        scan, line_start, line_end
    ):
        return False
    line = scan[line_start:line_end]
    if not _MASTHEAD_CLOCK_RE.search(line):
        return False
    names = stamp_words = zones = 0
    after_by = False
    for word in _MASTHEAD_WORD_RE.findall(_MASTHEAD_CLOCK_RE.sub(" ", line)):
        # "dpa-AFX" is the agency "dpa"; "Ju-young" is part of a name.
        low = word.lower().split("-")[0]
        by, after_by = after_by, low in ("by", "von")
        if low in _MASTHEAD_DATE_WORDS:
            continue
        if by and low not in _MASTHEAD_STAMP_WORDS:
            names += 1  # "by lunarg on May 13th 2015, at 17:39": a user's handle
        elif _MASTHEAD_ZONE_RE.fullmatch(word):
            zones += 1
        elif low in _MASTHEAD_STAMP_WORDS:
            stamp_words += low in _MASTHEAD_STAMP_NAMES or low in ("by", "von")
        elif word[0].isupper() or "." in word:
            names += 1
        else:
            return False
    if zones and not names:
        return bool(_ZONED_MASTHEAD_RE.fullmatch(line) or _CLOCK_FIRST_MASTHEAD_RE.fullmatch(line))
    return bool(_MASTHEAD_SEPARATOR_RE.search(line) or stamp_words or not (names or zones))


def _line_bounds(scan: str, start: int, end: int | None = None) -> tuple[int, int]:
    """Return where the line holding scan[start:end] begins and where it ends."""
    line_start = scan.rfind("\n", 0, start) + 1
    line_end = scan.find("\n", start if end is None else end)
    return line_start, len(scan) if line_end < 0 else line_end


def _line_rest(scan: str, position: int) -> str:
    return scan[position : _line_bounds(scan, position)[1]].strip(" *_|")


def _repeats_stamp(scan: str, mention: DateMention, stamps: list[DateMention]) -> bool:
    """Return True for a short line that ends in the date and clock of an earlier page stamp."""
    line_start = _line_bounds(scan, mention.start)[0]
    rest = _line_rest(scan, mention.start)
    if mention.start - line_start > _REPEAT_LEAD_MAX or not _MASTHEAD_CLOCK_RE.search(rest):
        return False
    return any(_line_rest(scan, stamp.start) == rest for stamp in stamps)


def _bracket(scan: str, mention: DateMention) -> tuple[int, int]:
    """Return the span from the bracket before `mention` to the end of its line."""
    opening = scan.rfind("(", max(0, mention.start - 3), mention.start)
    return (opening if opening >= 0 else mention.start), _line_bounds(scan, mention.end)[1]


def _is_byline_date(
    scan: str,
    prepared: PreparedText,
    segment: int,
    mention: DateMention,
    *,
    separator: re.Pattern[str] = _BYLINE_SEPARATOR_RE,
) -> bool:
    start = prepared.segments[segment].start
    return bool(
        _STAMP_EDGE_RE.fullmatch(scan, start, mention.start) and separator.match(scan, mention.end)
    )


def _date_line(
    scan: str,
    prepared: PreparedText,
    prose: list[DateMention],
    resolved: dict[int, date],
    *,
    top: bool = False,
) -> tuple[int, Anchor] | None:
    """Return the first date of the text when it stands alone on a line under the headline.

    Alone, or after the name of the site's section ("Wirtschaft | 02.06.2018"). With
    `top`, the date alone on the very first line, above the headline, where a page saved as
    text may put it ("2023-01-26", "Date: 2022-07-18"). Without `top`, such a first line
    of a copy kept without its headline ("2024-03-16", then "On Friday, the chain's tills
    failed") is the date line when the story under it tells another day of its own;
    otherwise it may as well head the entry under it.
    """
    if not prose:
        return None
    mention = prose[0]
    segment = prepared.segment_of(mention.start)
    if segment is None:
        return None
    if segment == 0:
        # Above any headline: the page's date with `top`, else only over a story of another
        # day.
        if not top and not (
            mention.start in resolved
            and _tells_another_day(scan, prepared, prose, resolved, resolved[mention.start])
        ):
            return None
    elif top or not 1 <= segment <= _PAGE_HEAD_LAST:
        return None
    line = prepared.segments[segment]
    if (
        mention.year
        and mention.start in resolved
        and (
            _DATE_LINE_EDGE_RE.fullmatch(scan, line.start, mention.start)
            or _DATE_LINE_SECTION_RE.fullmatch(scan, line.start, mention.start)
            or (top and _DATE_LABEL_RE.fullmatch(scan, line.start, mention.start))
        )
        and _DATE_LINE_EDGE_RE.fullmatch(scan, mention.end, line.end)
    ):
        written = scan[mention.start : mention.end]
        where = "above" if segment == 0 else "under"
        anchor = Anchor(resolved[mention.start], f'date line {where} the headline "{written}"')
        return mention.start, anchor
    return None


def _head_date(
    scan: str,
    prepared: PreparedText,
    prose: list[DateMention],
    resolved: dict[int, date],
) -> tuple[int, Anchor] | None:
    """Return the first date with its year on a short line of its own near the top, for a
    text with no publication date, date line or reference date.

    "ITespresso.de — 21.08.2015", "Börsen-Zeitung, 23.2.2016 ku Frankfurt", "Sep 17, 2018
    3 mins": a masthead the stricter readings do not know, or the date of a heading. A news
    piece's weekdays ("on Tuesday") are the last ones on or before it; that it is the page's
    date is a guess, so a warning says which line was read so.
    """
    for mention in prose:
        segment = prepared.segment_of(mention.start)
        if segment is None or segment >= _HEAD_DATE_SEGMENTS:
            break
        if not mention.year or mention.start not in resolved:
            continue
        start, end = _line_bounds(scan, mention.start, mention.end)
        line = scan[start:end].strip(" *_")
        if (
            len(line) > _MASTHEAD_LINE_MAX
            or line.endswith((".", "!", "?", ":"))
            or _in_caption(scan, mention.start)
            or _MASTHEAD_STATUS_RE.match(line)
            or _LEADING_CLOCK_RE.match(line)
        ):
            continue
        written = scan[mention.start : mention.end]
        anchor = Anchor(resolved[mention.start], f'"{written}" on the line "{line}" near the top')
        return mention.start, anchor
    return None


def _cited_date(
    text: str, url_mentions: list[DateMention], resolved: dict[int, date]
) -> tuple[int, Anchor] | None:
    """Return the earliest date in a cited address ("techcrunch.com/2020/09/28/…"), for a text
    with no date of its own to count weekdays from: a report cited on the story is written
    in the days it tells, so "on Sunday" is the last Sunday on or before it (a guess)."""
    cited = sorted((resolved[m.start], m.start, m.end) for m in url_mentions if m.start in resolved)
    if not cited:
        return None
    day, start, end = cited[0]
    return start, Anchor(day, f'the date in the cited address "{text[start:end]}"')


def _head_date_warning(
    head: tuple[int, Anchor], counted_days: Sequence[DayMention]
) -> ExtractionWarning | None:
    """Say that weekdays or relative days were counted from a guessed page date, if any were."""
    counted_from = [d for d in counted_days if not d.near]
    if not counted_from:
        return None
    start, anchor = head
    return ExtractionWarning(
        "date_inferred",
        f"The text gives no publication date; {anchor.evidence} was read as the "
        f"page's date, and {counted(len(counted_from), 'day')} without a date of their own "
        f'counted from it (first: "{counted_from[0].written}"). Check this guess.',
        start,
        start,
    )


def _tells_another_day(
    scan: str,
    prepared: PreparedText,
    prose: list[DateMention],
    resolved: dict[int, date],
    day: date,
) -> bool:
    """Return True when the story's first sentence under the text's first line names a day
    but `day`: a weekday ("On Friday") or a date ("On Saturday, June 15") other than the
    line's. A byline or a photo's caption under it is passed over; a status entry or a log
    line ("Resolved - …", "13:41 Uhr") is the heading's.
    """
    below = next(
        (
            segment
            for segment in prepared.segments[1:_DATE_LINE_STORY_SEGMENTS]
            if not (
                _AUTHOR_RE.match(scan, segment.start, segment.end)
                or _CAPTION_RE.match(scan, segment.start, segment.end)
            )
        ),
        None,
    )
    if below is None or (
        _MASTHEAD_STATUS_RE.match(scan, below.start, below.end)
        or _LEADING_CLOCK_RE.match(scan, below.start, below.end)
    ):
        return False
    start, end = below.start, below.end
    named = {w.weekday for w in find_weekdays(scan[start:end])}
    dated = {resolved[m.start] for m in prose if start <= m.start < end and m.start in resolved}
    return bool(named - {day.weekday()} or dated - {day})


def _update_stamp_time(
    scan: str, prepared: PreparedText, segment: int, mention: DateMention
) -> tuple[int, int] | None:
    """Return the span of the time in an "Update 18.11.2022, 06:24 Uhr" line, if it is one."""
    line = prepared.segments[segment]
    if not _UPDATE_STAMP_RE.fullmatch(scan, line.start, mention.start):
        return None
    match = _UPDATE_STAMP_TIME_RE.fullmatch(scan, mention.end, line.end)
    return match.span("time") if match else None


def _is_news_stamp(
    scan: str, prepared: PreparedText, segment: int, mention: DateMention, *, zoned: bool = False
) -> bool:
    """Return True for a line that holds only a date and a zoneless clock time.

    Status pages stamp entries the same way but name the zone ("Oct 20, 07:11 UTC"); a news
    site's "25.01.2023, 09:26" under the headline names none and stamps the article. Under
    an author's line ("By Jane Doe") the stamp may name its zone: `zoned`.
    """
    line = prepared.segments[segment]
    before = scan[line.start : mention.start]
    after = scan[mention.end : line.end]
    times = _ZONED_STAMP_TIME_RE if zoned else _STAMP_TIME_RE
    edge = _STAMP_EDGE_RE.fullmatch(before) or (
        segment == 0 and _KICKER_RE.fullmatch(before) and not _UPDATE_STAMP_RE.fullmatch(before)
    )
    return bool(edge and times.fullmatch(after) and after.strip())


def _origin(prepared: PreparedText, mention: DateMention) -> str:
    """Say where a date stands: the headline, a heading line, or running prose."""
    index = prepared.segment_of(mention.start)
    if index is None:
        return "prose"
    segment = prepared.segments[index]
    alone = segment.end - segment.start <= _HEADING_MAX and not prepared.scan[
        segment.start : segment.end
    ].rstrip().endswith((".", "!", "?"))
    whole_line = all(
        other.paragraph != segment.paragraph
        for other in prepared.segments[max(0, index - 1) : index + 2]
        if other is not segment
    )
    if alone and whole_line:
        return "headline" if index == 0 else "heading"
    return "prose"


def _in_caption(scan: str, position: int) -> bool:
    """Say whether `position` lies on a line that captions a picture."""
    start, end = _line_bounds(scan, position)
    return bool(
        _CAPTION_LABEL_RE.match(scan, start, end)
        or _CAPTION_CREDIT_RE.search(scan, max(start, end - _CAPTION_CREDIT_REACH), end)
    )


def _text_year(scan: str) -> tuple[int, int] | None:
    """Return the first year the opening of the text writes for the incident, if any, with
    where it stands."""
    for match in _TEXT_YEAR_RE.finditer(scan, 0, 3000):
        if not _OTHER_YEAR_RE.search(scan, max(0, match.start() - 30), match.start()):
            return int(match.group(1)), match.start()
    return None


def _year_hint(metadata: DocumentMetadata, title_dates: list[DateMention]) -> int | None:
    for mention in title_dates:
        if mention.year:
            return mention.year
    title_year = _URL_YEAR_RE.search(metadata.title or "")
    if title_year:
        return int(title_year.group(1))
    url_year = _URL_YEAR_RE.search(metadata.url or "")
    if url_year:
        return int(url_year.group(1))
    return metadata.published_at.year if metadata.published_at else None


def _resolve_years(
    text: str,
    mentions: list[DateMention],
    reference: date | None,
    year_hint: int | None,
    text_year: tuple[int, int] | None,
    warnings: list[ExtractionWarning],
) -> dict[int, date]:
    """Give every yearless date ("Oct 20") the year that puts it nearest its context."""
    days: dict[int, date] = {}
    first_anchor = next((date(m.year, m.month, m.day) for m in mentions if m.year), None)
    missing: list[DateMention] = []
    # Dates whose year is only the first year the text writes, which may date something
    # else ("the cable entered service in 2016"): a guess the reviewer must see.
    guessed: list[DateMention] = []
    previous: date | None = None
    for mention in mentions:
        if mention.year:
            day: date | None = date(mention.year, mention.month, mention.day)
        else:
            anchor = previous or reference
            if anchor is None and year_hint and valid_day(year_hint, mention.month, mention.day):
                anchor = date(year_hint, mention.month, mention.day)
            anchor = anchor or first_anchor
            if anchor is None and text_year and valid_day(text_year[0], mention.month, mention.day):
                # "the 2021 working year … on the morning of Jan. 4": the only year written.
                anchor = date(text_year[0], mention.month, mention.day)
                guessed.append(mention)
            if anchor is None:
                missing.append(mention)
                continue
            day = _nearest_year(mention.month, mention.day, anchor)
            weekday = _written_weekday(text, mention.start, mention.end)
            if day is not None and weekday is not None and day.weekday() != weekday:
                fitting = _year_of_weekday(mention.month, mention.day, weekday, day.year)
                if fitting is not None:
                    warnings.append(
                        ExtractionWarning(
                            "date_inferred",
                            f'"{text[mention.start : mention.end]}" has no year and the year '
                            f"around it ({day.year}) does not make it a "
                            f"{_WEEKDAY_NAMES[weekday]}; read as {fitting.isoformat()}, the "
                            "nearest year that does. Check this guess.",
                            mention.start,
                            mention.end,
                        )
                    )
                    day = fitting
        if day is None:
            continue
        days[mention.start] = day
        if mention.role != "url":
            previous = day
    if guessed and text_year:
        first, year_at = guessed[0], text_year[1]
        warnings.append(
            ExtractionWarning(
                "year_inferred",
                f"{counted(len(guessed), 'date')} without a year read in {text_year[0]}, the "
                f'first year the text writes ("{_line_around(text, year_at)}"), which may date '
                f'something else (first: "{text[first.start : first.end]}"). Check this guess.',
                first.start,
                first.end,
            )
        )
    if missing:
        warnings.append(
            ExtractionWarning(
                "date_without_year",
                f"{counted(len(missing), 'date')} without a year, and the text gives none "
                f'(first: "{text[missing[0].start : missing[0].end]}"); '
                "pass reference_date to place them.",
                missing[0].start,
                missing[0].end,
            )
        )
    return days


def _line_around(text: str, position: int) -> str:
    """Return a few words either side of `position`, for a warning to quote."""
    start = max(text.rfind("\n", 0, position) + 1, position - 30)
    end = text.find("\n", position)
    end = min(len(text) if end < 0 else end, position + 30)
    words = text[start:end].split()
    # Whole words only: the cut at either end may fall inside one.
    if start > 0 and not text[start - 1].isspace():
        words = words[1:]
    if end < len(text) and not text[end].isspace():
        words = words[:-1]
    return " ".join(words)


_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY_BEFORE_RE = re.compile(
    r"(?P<name>Mon|Tues|Wednes|Thurs|Fri|Satur|Sun|Montag|Dienstag|Mittwoch|Donnerstag|Freitag"
    # "am Montag (10.3.)": the date in brackets after its weekday.
    r"|Samstag|Sonntag)(?:day)?(?:,?\s+(?:the\s+|den\s+)?|\s*\(\s*)$",
    re.IGNORECASE,
)
_WEEKDAY_START_RE = re.compile(_WEEKDAY_BEFORE_RE.pattern.removesuffix("$"), re.IGNORECASE)
_WEEKDAY_NUMBERS = {
    "mon": 0, "tues": 1, "wednes": 2, "thurs": 3, "fri": 4, "satur": 5, "sun": 6,
    "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5,
    "sonntag": 6,
}  # fmt: skip
# How many years either way a weekday may move a yearless date.
_WEEKDAY_YEAR_REACH = 6


def _written_weekday(text: str, start: int, end: int) -> int | None:
    """Return the weekday written with a date ("Tuesday, June 9th"), if any."""
    match = _WEEKDAY_START_RE.match(text, start, end) or _WEEKDAY_BEFORE_RE.search(
        text, max(0, start - 16), start
    )
    return _WEEKDAY_NUMBERS[match.group("name").lower()] if match else None


def _year_of_weekday(month: int, day: int, weekday: int, around: int) -> date | None:
    """Return the date in the year nearest `around` on which month/day is that weekday."""
    for distance in range(1, _WEEKDAY_YEAR_REACH + 1):
        for year in (around - distance, around + distance):
            if valid_day(year, month, day) and date(year, month, day).weekday() == weekday:
                return date(year, month, day)
    return None


def _nearest_year(month: int, day: int, anchor: date) -> date | None:
    candidates = [
        date(year, month, day)
        for year in (anchor.year - 1, anchor.year, anchor.year + 1)
        if valid_day(year, month, day)
    ]
    return min(candidates, key=lambda d: abs(d - anchor)) if candidates else None


def _publication(
    text: str,
    metadata: DocumentMetadata,
    stamps: list[DateMention],
    resolved: dict[int, date],
) -> Anchor | None:
    if metadata.published_at is not None:
        day = metadata.published_at
        return Anchor(day, f"publication date from the page metadata: {day.isoformat()}")
    for mention in stamps:
        if mention.start in resolved:
            written = text[mention.start : mention.end]
            return Anchor(resolved[mention.start], f'publication date "{written}"')
    return None


def _weekdays(
    text: str,
    prepared: PreparedText,
    publication_segments: frozenset[int],
    days: list[DayMention],
    published: Anchor | None,
    reference: date | None,
    warnings: list[ExtractionWarning],
) -> list[DayMention]:
    """Date "on Tuesday" in a news piece: the last Tuesday on or before its publication.

    The text's own dating (its publication stamp or date line) decides; the caller's
    reference date only dates a weekday in a text without one. Where both exist and put a
    weekday on different days, the text's day stands and a warning says so.
    """
    taken = sorted((d.start, d.end) for d in days)
    # With no date of the page and none from the caller, a photo's caption that writes its
    # weekday ("closes Friday, April 24, 2015") tells a day of this week's story, as news
    # captions name the weekday only for a picture of the days they report; so does a dated
    # line of its own ("— Example Council (@council) February 10, 2023" under a quoted post).
    undated = published is None and reference is None
    told = sorted(
        (
            d
            for d in days
            if (d.origin == "prose" or (undated and d.origin == "heading"))
            and (not d.caption or (undated and _weekday_written_with(text, d)))
            and prepared.segment_of(d.start) not in publication_segments
        ),
        key=lambda d: d.start,
    )
    told_starts = [d.start for d in told]
    found: list[DayMention] = []
    conflicts: list[tuple[DayMention, date]] = []
    far: list[tuple[DayMention, str]] = []
    # Whether the text itself writes a date in the week of the caller's reference date.
    near_reference = reference is not None and any(
        abs((day - reference).days) <= _WEEKDAY_REACH_DAYS
        for day in [d.day for d in days] + ([published.day] if published else [])
    )
    cursor = 0
    for mention in find_weekdays(prepared.scan, prepared.words):
        while cursor < len(taken) and taken[cursor][1] <= mention.start:
            cursor += 1
        if cursor < len(taken) and taken[cursor][0] <= mention.start < taken[cursor][1]:
            continue  # part of a full date ("Monday, Oct. 20")
        index = prepared.segment_of(mention.start)
        if index in publication_segments or (
            _NIGHT_FROM_RE.search(prepared.scan, max(0, mention.start - 20), mention.start)
            and _NIGHT_TO_RE.match(prepared.scan, mention.end)
        ):
            continue
        # "on Tuesday 16th and Wednesday 17th January … between 17:15 UTC on Tuesday and
        # 10:00 UTC on Wednesday", in a review published two weeks later: the weekdays of
        # the story the text tells, not the last ones before it was written.
        past = _PAST_WEEKDAY_RE.search(prepared.scan, max(0, mention.start - 12), mention.start)
        story = _told_weekday(
            prepared, told, told_starts, mention.start, mention.weekday, index, past=bool(past)
        )
        if story is not None and published is not None and not past:
            # "the attack of May 3 … As of Sunday we have restored …", published May 9: a
            # news piece's weekday is the last one before it went out, when that falls on
            # or after the date told (the story's count would reach back before it).
            back_from = _weekday_back_from(published.day, mention.weekday, past=False)
            if (
                story[0] < story[2] <= back_from
                and (published.day - back_from).days < _WEEKDAY_REACH_DAYS
            ):
                story = None
        night = _NIGHT_BEFORE_RE.search(prepared.scan, max(0, mention.start - 30), mention.start)
        by_reference = (
            None
            if reference is None
            else weekday_on_or_before(
                reference + timedelta(days=_REFERENCE_WEEKDAY_AHEAD), mention.weekday
            )
        )
        older = None
        if (
            story is not None
            and not past
            and reference is not None
            and near_reference
            and abs((story[2] - reference).days) > _WEEKDAY_REACH_DAYS
            and (published is None or abs((story[2] - published.day).days) > _WEEKDAY_REACH_DAYS)
        ):
            # "Its troubles began on Feb. 28 … the failure happened around 9 p.m. Thursday":
            # the date told last is an older story, more than a week from the incident the
            # caller names and from the page's date, while the text dates the incident's
            # week elsewhere; the weekday is the incident's.
            older, story = story, None
        if story is not None:
            day = story[0]
        elif published is not None:
            # "in der Nacht zum Donnerstag", published on a Wednesday: the night that began
            # on the publication day ends on the day after it.
            last = published.day + timedelta(days=1) if night and not past else published.day
            day = _weekday_back_from(last, mention.weekday, past=bool(past))
            if (published.day - day).days >= _WEEKDAY_REACH_DAYS:
                continue
        elif by_reference is not None:
            day = by_reference
        elif (ahead := _told_ahead(told, told_starts, mention.start, mention.weekday)) is not None:
            # "Ein Blitz traf am Sonntagabend … Am 9. August meldete Amazon …" with nothing
            # before it to count from: the day of that name nearest the next date the story
            # tells.
            story = ahead
            day = story[0]
        else:
            continue
        written = text[night.start() if night else mention.start : mention.end]
        weekday = DayMention(
            mention.start,
            mention.end,
            day,
            "weekday",
            written,
            night is not None,
            near=story[1] if story is not None else "",
        )
        found.append(weekday)
        if older is not None and not far:
            far.append((weekday, older[1]))
        if story is None and published is not None and by_reference not in (None, day):
            assert by_reference is not None
            conflicts.append((weekday, by_reference))
    for weekday, older_date in far:
        warnings.append(
            ExtractionWarning(
                "date_inferred",
                f'"{weekday.written}" follows "{older_date}", more than a week from the '
                f"incident's day the import names and from the page's date: read as "
                f"{weekday.day.isoformat()}, the {weekday.written} of the incident, not one "
                "near that older date. Check this guess.",
                weekday.start,
                weekday.end,
            )
        )
    if conflicts and published is not None:
        first, other = conflicts[0]
        warnings.append(
            ExtractionWarning(
                "weekday_reference_conflict",
                f"{counted(len(conflicts), 'weekday')} counted from the text's own date "
                f"({published.evidence}) fall on other days than the reference date given with "
                f'the import would put them: first "{first.written}" read as '
                f"{first.day.isoformat()}, not {other.isoformat()}. The text's date was "
                "followed; check which one is right.",
                first.start,
                first.end,
            )
        )
    return found


def _weekday_written_with(text: str, day: DayMention) -> bool:
    """Return True when the date is written with its own weekday, and that weekday fits."""
    return _written_weekday(text, day.start, day.end) == day.day.weekday()


def _told_weekday(
    prepared: PreparedText,
    told: list[DayMention],
    told_starts: list[int],
    position: int,
    weekday: int,
    index: int | None,
    *,
    past: bool = False,
) -> tuple[date, str, date] | None:
    """Return the day of that weekday within three days of the date the story last told,
    with that date's words and day.

    With `past` ("am vergangenen Donnerstag"), the last such day before the date told.

    A date later in the weekday's own sentence counts as told: "on Tuesday 16th and
    Wednesday 17th January".
    """
    # The last told date before `position` or in its sentence: `told` is sorted by start,
    # so both are found by bisection (a scan of every told date per weekday was quadratic).
    if index is None:
        before = [d for d in told if d.start < position or prepared.segment_of(d.start) is None]
        if not before:
            return None
        anchor = before[-1]
    else:
        first_after = bisect.bisect_left(told_starts, position)
        sentence_end = bisect.bisect_left(told_starts, prepared.segments[index].end)
        if sentence_end > first_after:
            anchor = told[sentence_end - 1]
            if not past and _REPORTS_BEFORE_RE.search(prepared.scan, position, anchor.start):
                # "In a statement Monday, the chain said the attack occurred Nov. 23": the
                # day it spoke is on or after the day it spoke of.
                day = weekday_on_or_before(anchor.day + timedelta(days=6), weekday)
                return day, anchor.written, anchor.day
        elif first_after:
            anchor = told[first_after - 1]
        else:
            return None
    if past:
        return _weekday_back_from(anchor.day, weekday, past=True), anchor.written, anchor.day
    return _nearest_named_day(anchor, weekday)


def _told_ahead(
    told: list[DayMention], told_starts: list[int], position: int, weekday: int
) -> tuple[date, str, date] | None:
    """Return the day of that weekday within three days of the next date the story tells."""
    following = bisect.bisect_right(told_starts, position)
    if following == len(told):
        return None
    anchor = told[following]
    return _nearest_named_day(anchor, weekday)


def _nearest_named_day(anchor: DayMention, weekday: int) -> tuple[date, str, date] | None:
    """Return the day of that weekday within three days of a date told, with its words."""
    for offset in _TOLD_WEEKDAY_OFFSETS:
        day = anchor.day + timedelta(days=offset)
        if day.weekday() == weekday:
            return day, anchor.written, anchor.day
    return None


def _weekday_back_from(anchor: date, weekday: int, *, past: bool) -> date:
    """Return the last `weekday` on or before `anchor`; with `past` ("last Thursday"), the
    last one before it."""
    return weekday_on_or_before(anchor - timedelta(days=1) if past else anchor, weekday)


def _clock_in_sentence(prepared: PreparedText, position: int) -> bool:
    """Return True when the sentence holding `position` writes a clock time."""
    index = prepared.segment_of(position)
    if index is None:
        return False
    segment = prepared.segments[index]
    return _CLOCK_IN_SENTENCE_RE.search(prepared.scan, segment.start, segment.end) is not None


def _relative_days(
    text: str,
    prepared: PreparedText,
    publication_segments: frozenset[int],
    published: Anchor | None,
) -> list[DayMention]:
    """Date "yesterday" and "heute" from the publication date; without one they stay words."""
    if published is None:
        return []
    return [
        DayMention(
            start,
            end,
            published.day + timedelta(days=offset),
            "relative",
            text[start:end],
            " ".join(text[start:end].lower().split()) in NIGHT_BEFORE_NAMES,
        )
        for start, end, offset in find_relative_days(prepared.scan, prepared.words)
        if prepared.segment_of(start) not in publication_segments
    ]


def _day_after_reference(
    text: str,
    prepared: PreparedText,
    publication_segments: frozenset[int],
    reference: date,
    warnings: list[ExtractionWarning],
) -> list[DayMention]:
    """Date "yesterday at 12.21pm … this morning, at 08:19am" in a text with no date of its
    own, from the caller's reference date, the incident's first day.

    A clock told "yesterday" is no earlier than the incident's first day, and a clock told
    "today" comes after it: the piece was written the day after the reference date. Only
    when both are told with clocks; it stays a guess, and a warning says so.
    """
    told = [
        (start, end, offset)
        for start, end, offset in find_relative_days(prepared.scan, prepared.words)
        if prepared.segment_of(start) not in publication_segments
        and _clock_in_sentence(prepared, start)
    ]
    today = next(((s, e) for s, e, offset in told if offset == 0), None)
    yesterday = next(((s, e) for s, e, offset in told if offset == -1), None)
    if today is None or yesterday is None:
        return []
    written = reference + timedelta(days=1)
    warnings.append(
        ExtractionWarning(
            "date_inferred",
            f'The text tells times "{text[yesterday[0] : yesterday[1]]}" and '
            f'"{text[today[0] : today[1]]}" and states no date of its own: the first was read '
            f"as the reference date {reference.isoformat()}, the second as "
            f"{written.isoformat()}. Check this guess.",
            today[0],
            today[1],
        )
    )
    near = f"the day after the reference date {reference.isoformat()} (a guess, warned)"
    return [
        DayMention(
            start,
            end,
            written + timedelta(days=offset),
            "relative",
            text[start:end],
            " ".join(text[start:end].lower().split()) in NIGHT_BEFORE_NAMES,
            near=near,
        )
        for start, end, offset in told
    ]


def _without_glosses(scan: str, days: list[DayMention]) -> list[DayMention]:
    """Drop a relative day that glosses the date written just before it.

    "On June 27th (yesterday)" on a page dated June 27 would count back to the 26th; the
    written date is the day the sentence tells.
    """
    written_ends = {d.end for d in days if d.origin != "relative"}
    kept = []
    for day in days:
        if day.origin == "relative":
            gap = _GLOSS_GAP_RE.match(scan, _gap_start(day.start, written_ends))
            if gap is not None and gap.end() == day.start:
                continue
        kept.append(day)
    return kept


def _gap_start(position: int, ends: set[int]) -> int:
    """Return the end of a written date within a few characters before `position`, else
    `position` itself."""
    for end in range(position - 1, max(-1, position - 4), -1):
        if end in ends:
            return end
    return position


_WRITTEN_ORIGINS = frozenset({"prose", "heading", "headline", "story"})
# "on the 17th", "the morning of the 20th", "as of the 19th": a day of the month the text
# told last, not "the 17th of November" (a date) nor "the 20th century" or "20th anniversary".
_MONTH_DAY_TAIL = (
    rf"(?:st|nd|rd|th)(?![\w-])(?!\s+(?:of\s+)?(?:{'|'.join(MONTHS)})\b)"
    r"(?!\s+(?:century|anniversary|time|floor|place|largest|biggest|day|week|year|minute|hour)\b)"
)
_MONTH_DAY_RE = re.compile(
    r"(?<![\w-])(?:on|of|since|until|by|from|as\s+of)\s+the\s+(?P<day>[1-9]|[12]\d|3[01])"
    + _MONTH_DAY_TAIL,
    re.IGNORECASE,
)
_FAST_MONTH_DAY = FastPattern(_MONTH_DAY_RE)
# "this Tuesday, the 3rd", "Last Friday, the 26th": the day of the month after its weekday.
# Found from the number: a pattern opening with the weekday would be tried at every "the".
_WEEKDAY_MONTH_DAY = DigitRunPattern(
    re.compile(r"(?=\d)(?<![\w-])(?P<day>[1-9]|[12]\d|3[01])" + _MONTH_DAY_TAIL, re.IGNORECASE)
)
_WEEKDAY_THE_RE = re.compile(
    r"(?<![\w-])(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,\s+the\s+$", re.IGNORECASE
)
# How far the day of the month may lie from the date it is read with.
_MONTH_DAY_REACH = 15


def _told_before(
    days: list[DayMention], reference_date: date | None
) -> Callable[[int], tuple[date, str] | None]:
    """Return a lookup of the written date told last before a position (else the caller's
    reference date), with the words that name it: what "the 17th" and "Christmas Eve" are
    read in."""
    written = sorted(
        (d for d in days if d.origin in _WRITTEN_ORIGINS and not d.caption), key=lambda d: d.start
    )
    starts = [d.start for d in written]

    def lookup(position: int) -> tuple[date, str] | None:
        before = bisect.bisect_left(starts, position)
        if before:
            return written[before - 1].day, f'"{written[before - 1].written}"'
        if reference_date is not None:
            return reference_date, f"the reference date {reference_date.isoformat()}"
        return None

    return lookup


def _month_days(
    text: str,
    prepared: PreparedText,
    publication_segments: frozenset[int],
    days: list[DayMention],
    reference_date: date | None,
) -> list[DayMention]:
    """Return "on the 17th" dated in the month of the written date told last before it,
    else of the caller's reference date.

    Of that month, the one before and the one after, the date nearest the date told is
    taken ("the 2nd" after "November 28" is December 2); one further than two weeks from it
    is left a word.
    """
    told_before = _told_before(days, reference_date)
    # Whether a day overlaps a match: of the days that start before the match ends, the
    # furthest end reaches into it.
    by_start = sorted(days, key=lambda d: d.start)
    day_starts = [d.start for d in by_start]
    furthest_ends = list(itertools.accumulate((d.end for d in by_start), max))
    found: list[DayMention] = []
    scan = prepared.scan
    after_weekday = (
        match
        for match in _WEEKDAY_MONTH_DAY.finditer(scan, prepared.words)
        if _WEEKDAY_THE_RE.search(scan, max(0, match.start() - 20), match.start())
    )
    matches = sorted(
        itertools.chain(_FAST_MONTH_DAY.finditer(scan, prepared.words), after_weekday),
        key=lambda match: match.start(),
    )
    for match in matches:
        index = prepared.segment_of(match.start())
        overlapping = bisect.bisect_left(day_starts, match.end())
        if (
            index is None
            or index in publication_segments
            # The weekday before "the 3rd" is a day of its own, read apart.
            or (overlapping and furthest_ends[overlapping - 1] > match.start("day"))
        ):
            continue
        told = told_before(match.start())
        if told is None:
            continue
        anchor_day, near = told
        number = int(match.group("day"))
        candidates = []
        for shift in (-1, 0, 1):
            month = anchor_day.month + shift
            year = anchor_day.year + (month - 1) // 12
            month = (month - 1) % 12 + 1
            if valid_day(year, month, number):
                candidates.append(date(year, month, number))
        if not candidates:
            continue
        day = min(candidates, key=lambda d: abs((d - anchor_day).days))
        if abs((day - anchor_day).days) > _MONTH_DAY_REACH:
            continue
        start = match.start("day")
        found.append(
            DayMention(
                start,
                match.end(),
                day,
                "monthday",
                text[start : match.end()],
                near=near,
            )
        )
    return found


# Holidays of a fixed date: "on Christmas Eve", "am Neujahrstag", "an Heiligabend". Their
# year is that of the date told nearest before them.
_HOLIDAYS: dict[str, tuple[int, int]] = {
    "christmas eve": (12, 24), "christmas day": (12, 25), "christmas morning": (12, 25),
    "boxing day": (12, 26), "new year's eve": (12, 31),
    "new year's day": (1, 1), "heiligabend": (12, 24), "heiligen abend": (12, 24),
    "silvester": (12, 31), "silvesterabend": (12, 31), "silvestertag": (12, 31),
    "silvesternacht": (1, 1), "neujahr": (1, 1), "neujahrstag": (1, 1),
    "ersten weihnachtsfeiertag": (12, 25), "zweiten weihnachtsfeiertag": (12, 26),
    "erster weihnachtsfeiertag": (12, 25), "zweiter weihnachtsfeiertag": (12, 26),
    "erste weihnachtsfeiertag": (12, 25), "zweite weihnachtsfeiertag": (12, 26),
}  # fmt: skip
_HOLIDAY_RE = re.compile(
    r"(?<![\w-])(?P<name>Christmas\s+(?:Eve|Day|morning)|Boxing\s+Day"
    r"|New\s+Year['’]s\s+(?:Eve|Day)|Heilig(?:abend|en\s+Abend)|Silvester(?:abend|tag|nacht)?"
    r"|Neujahr(?:stag)?|(?:erste[nr]?|zweite[nr]?)\s+Weihnachtsfeiertag)(?![\w-])",
    re.IGNORECASE,
)
_FAST_HOLIDAY = FastPattern(_HOLIDAY_RE)
# A holiday is read as the day something happened after a word that sets it in time ("on
# Christmas Eve", "in the early hours of Christmas morning", "am Neujahrstag", "an
# Heiligabend"); not "the day before Christmas Eve", "einen Tag vor Heiligabend", nor a
# name for the incident ("after the Christmas Eve technical issue").
_HOLIDAY_LEAD_RE = re.compile(
    r"(?<![\w-])(?:on|of|during|until|till|since|am|an|zu|zum|vom|seit|in\s+der)\s+$",
    re.IGNORECASE,
)
# How far a holiday may lie from the date it takes its year from.
_HOLIDAY_REACH = 31


def _holidays(
    text: str, prepared: PreparedText, publication_segments: frozenset[int], days: list[DayMention],
    told_before: Callable[[int], tuple[date, str] | None],
) -> list[DayMention]:  # fmt: skip
    """Return "on Christmas Eve", "am Neujahrstag" dated in the year of the date told last.

    Of the holiday in that year, the one before and the one after, the one nearest the date
    told is taken ("New Year's Day" after "December 31, 2008" is January 1, 2009); one further
    than a month from it is another year's holiday, left a word.
    """
    taken = sorted((d.start, d.end) for d in days)
    found: list[DayMention] = []
    for match in _FAST_HOLIDAY.finditer(prepared.scan, prepared.words):
        index = prepared.segment_of(match.start())
        if (
            index is None
            or index in publication_segments
            or not _HOLIDAY_LEAD_RE.search(prepared.scan, max(0, match.start() - 30), match.start())
        ):
            continue
        at = bisect.bisect_left(taken, (match.end(), 0))
        if at and taken[at - 1][1] > match.start():
            continue  # part of a date already read
        told = told_before(match.start())
        if told is None:
            continue
        anchor_day, near = told
        name = " ".join(match.group("name").lower().replace("’", "'").split())
        month, number = _HOLIDAYS[name]
        candidates = [date(anchor_day.year + shift, month, number) for shift in (-1, 0, 1)]
        day = min(candidates, key=lambda d: abs((d - anchor_day).days))
        if abs((day - anchor_day).days) > _HOLIDAY_REACH:
            continue
        found.append(
            DayMention(
                match.start(),
                match.end(),
                day,
                "holiday",
                text[match.start() : match.end()],
                # "in der Silvesternacht ab Mitternacht": the night is named by the New Year's
                # morning it ends on; its evening is on New Year's Eve.
                night=name == "silvesternacht",
                near=near,
            )
        )
    return found


def _story_days(
    text: str,
    prepared: PreparedText,
    publication_segments: frozenset[int],
    days: list[DayMention],
    story: Sequence[tuple[int, int, int, bool]],
    *,
    back: bool,
    clocked: bool = False,
) -> list[DayMention]:
    """Return "the next day", "later that day" (or with `back`, "the previous day", "am
    Vortag"): counted from the day the story told last before them, itself perhaps such a
    day. A sentence that writes a date of its own is dated by that date; with no day told
    before, the words stay words.

    A day counted on, like a part of the day, dates a sentence without a clock; a clock
    keeps the days the text writes ("by 2:25 the next day" after a timeline is often
    counted from the incident's first day, not from the day told last). A day counted back
    ("ab 10 Uhr am Vortag") dates its clock too: nothing else in the text could, and it
    counts from a date of its own sentence as well ("early on Tuesday … since 8pm the
    evening before").

    With `clocked`, only a day counted on right after a clock ("restored at 02:10 UTC the
    next day"), while the text has told no other day than the one it counts from: then
    the count has one anchor, and the clock no other date.
    """
    scan = prepared.scan
    day_segments = {prepared.segment_of(d.start) for d in days}
    # Counted from a written date only: a weekday or "yesterday" is itself counted from the
    # publication, often the day a statement was made ("Toyota said on Wednesday"), and a
    # count on top of it would be a guess built on a guess.
    # Counted back, a weekday is a fair anchor too ("Erst am Montagfrüh lief der Betrieb
    # wieder an. Ab 10 Uhr am Vortag ..."): the day before it needs no other guess.
    merged = [
        d
        for d in days
        if not d.caption and (d.origin in _WRITTEN_ORIGINS or (back and d.origin == "weekday"))
    ]
    for start, end, offset, needs_clock in story:
        index = prepared.segment_of(start)
        after_clock = _CLOCK_BEFORE_RE.search(scan, max(0, start - 30), start) is not None
        if (
            (offset < 0) != back
            or index is None
            or index in publication_segments
            or ((index in day_segments or needs_clock) and not (back and after_clock))
            or (clocked and (offset <= 0 or not after_clock))
        ):
            continue
        before = bisect.bisect_left([d.start for d in merged], start)
        if not before:
            continue
        anchor = merged[before - 1]
        if clocked and any(d.day != anchor.day for d in merged[:before]):
            continue
        merged.insert(
            before,
            DayMention(
                start,
                end,
                anchor.day + timedelta(days=offset),
                "story",
                text[start:end],
                near=f'"{anchor.written}"',
            ),
        )
    return [day for day in merged if day.origin == "story"]


# "am Morgen", "am frühen Nachmittag", "noch am Abend", "gegen Mittag": German news dates a
# moment by the part of the day it tells of. Not "am Morgen des 25." (the date follows) nor
# "am Abend zuvor" (another day).
_DAY_PART_RE = re.compile(
    r"(?<![\w-])(?:[Aa]m|[Gg]egen)\s+(?:(?:frühen|späten)\s+)?"
    rf"(?:{'|'.join(GERMAN_DAYTIMES)})(?![\w-])"
    r"(?!\s+(?:des|vom|zuvor|davor|vorher|darauf)\b)"
)
_FAST_DAY_PART = FastPattern(_DAY_PART_RE)


def _day_parts(
    text: str,
    prepared: PreparedText,
    publication_segments: frozenset[int],
    days: list[DayMention],
    published: Anchor | None,
) -> tuple[DayMention, ...]:
    """Date "am Abend" to the day the story told last before it (else the publication day).

    A sentence that names a day of its own ("am Samstag am Morgen") is dated by that day.
    """
    starts = [d.start for d in days]
    day_segments = {prepared.segment_of(d.start) for d in days}
    found: list[DayMention] = []
    for match in _FAST_DAY_PART.finditer(prepared.scan, prepared.words):
        index = prepared.segment_of(match.start())
        if index is None or index in publication_segments or index in day_segments:
            continue
        before = bisect.bisect_left(starts, match.start())
        if before:
            anchor = days[before - 1]
            day, evidence = anchor.day, f'"{anchor.written}"'
        elif published is not None:
            day, evidence = published.day, "the publication date"
        else:
            continue
        found.append(
            DayMention(
                match.start(),
                match.end(),
                day,
                "daypart",
                text[match.start() : match.end()],
                near=evidence,
            )
        )
    return tuple(found)


def _declarations(prepared: PreparedText) -> tuple[ZoneDeclaration, ...]:
    declarations: list[ZoneDeclaration] = []
    last_third = len(prepared.scan) * 2 // 3
    for zone, start, end in find_declarations(prepared.scan, prepared.words):
        if prepared.segment_of(start) in (0, 1, 2) or start < 600:
            where = "the preamble"
        elif start >= last_third:
            where = "a note at the end"
        else:
            where = "the text"
        declarations.append(ZoneDeclaration(start, end, zone, where))
    return tuple(declarations)
