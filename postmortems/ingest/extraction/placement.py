"""Step 3: put every time on a calendar date and in a zone, and say what decided each.

One pass in reading order. A date the text writes next to a time is that time's date and
nothing moves it. A time without one takes, in this order: a date later in its sentence,
the last date stated before it (one day on when the clock went back past midnight), the
title's date, the caller's reference date, the date the cited sources or the publication
point at (with a warning), a date later in the text. The zone is the one written with the
time, else the declaration in force ("All times PDT"), else the clock of the place named
in its sentence ("in Madrid, metro services resumed at 8 am"), else the zone of the last
time that stated one, else the clock of a place named earlier in its paragraph, a news
dateline, or the place the text names most (a place is a guess, warned; German text takes
only the sentence's place), else the caller's default, else Berlin for German text, else
UTC (warned).

Each placed moment carries `date_basis`/`date_evidence` and `zone_basis`/`zone_evidence`:
the rule that decided and the words of the text it relied on.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from .context import Anchor, DayMention, DocumentContext
from .dates import (
    AFTER_TIME_GAP_RE,
    BEFORE_TIME_GAP_RE,
    RelativeMention,
    TimeMention,
    relative_day_near,
)
from .mentions import Mentions, TimeRef
from .model import ExtractionWarning, counted
from .places import SEVERAL_ZONES
from .text import PreparedText
from .zones import ZoneSpec, one_place, spec_from_label, summer_mismatch, to_utc

# Dates further apart than this belong to different incidents.
INCIDENT_GAP = timedelta(days=3)
# Going back this far in the clock means the text crossed midnight ("11:48 PM … 12:38 AM").
ROLLOVER_CERTAIN = timedelta(hours=12)
# Between this and ROLLOVER_CERTAIN a backward step is read as the next day only inside
# one paragraph, and flagged; across paragraphs it is a summary restating earlier times.
ROLLOVER_POSSIBLE = timedelta(hours=9)
# In a night named by the morning it ends on, clock times from this hour on are its evening.
_NIGHT_EVENING_HOUR = 18
# A time this close outside a two-day range belongs to the day that keeps it close.
_NEAR_RANGE = timedelta(hours=4)
# How many following times the look-ahead for a dated time inspects.
_LOOKAHEAD = 4
# How far ahead a zoneless time may borrow the zone of the next time that states one.
_ZONE_LOOKAHEAD_CHARS = 1500

# The opening of an update's stamp line before its clock ("**Update (6/6 ", "UPDATE 3/6/13 ")
# and what closes the stamp after it (" PT):", " PST:**").
_UPDATE_HEAD_RE = re.compile(
    r"[^\S\n]*[*_#>-]*[^\S\n]*(?:Update|UPDATE|Updated|Aktualisierung|Nachtrag)\b[^\n:]{0,24}"
)
_UPDATE_TAIL_RE = re.compile(r"[^\S\n]*(?:[A-Z]{2,5}[^\S\n]*)?\)?[*_]*:")

# Where one clause of a sentence ends and the next begins.
_CLAUSE_BREAK_RE = re.compile(r"[,;:]")

GERMAN_ZONE = ZoneSpec("Europe/Berlin", None, "German text")
UTC_ZONE = ZoneSpec("UTC", None, "UTC")


@dataclass(frozen=True)
class Moment:
    """A time placed on the calendar, before it becomes a proposed event."""

    at: datetime
    local_day: date
    hour: int
    minute: int
    precision: str
    zone: ZoneSpec
    zone_basis: str
    zone_evidence: str
    date_basis: str
    date_evidence: str
    mention_start: int
    mention_end: int
    segment: int
    range_role: str | None = None
    ambiguous: bool = False


@dataclass(frozen=True)
class Placement:
    moments: tuple[Moment, ...]
    warnings: tuple[ExtractionWarning, ...]


@dataclass(frozen=True)
class _Zoned:
    zone: ZoneSpec
    basis: str
    evidence: str
    position: int = -1  # where a carried zone was stated


@dataclass
class _Frame:
    """The date in force while reading, and what stated it."""

    day: date | None = None
    evidence: str = ""
    origin: str = "prose"  # of the date that set the frame (see DayMention.origin)
    paragraph: int = -1
    segment: int = -1
    last: datetime | None = None
    last_zone: ZoneSpec | None = None  # the zone `last` was written in
    last_paragraph: int = -1
    last_quote: str = ""
    # The last moment placed before this date was read: the story a far earlier date
    # interrupts ("… its third outage this month: on December 15th …").
    story: Moment | None = None
    # The date names the morning a night ends on ("in der Nacht auf Dienstag").
    night: bool = False


@dataclass
class _Reading:
    """Everything one reading pass needs; local to `place_moments`."""

    text: str
    prepared: PreparedText
    context: DocumentContext
    times: tuple[TimeRef, ...]
    default_zone: ZoneSpec | None
    language: str
    reference_date: date | None
    days_in: dict[int, list[DayMention]]
    day_starts: list[int]
    warnings: list[ExtractionWarning] = field(default_factory=list)
    # (hour, minute, zone name) -> (day, quote) of times placed with a date of their own.
    # (hour, minute, zone name) -> (day, quote, paragraph) of times placed with a date.
    dated_clock: dict[tuple[int, int, str], tuple[date, str, int]] = field(default_factory=dict)
    # Times that state their zone, for a zoneless time before the first of them.
    zoned_indexes: list[int] = field(default_factory=list)
    zoned_starts: list[int] = field(default_factory=list)
    # The last range whose ends fall on different days: later undated times of the same
    # story fall inside it.
    window: tuple[Moment, Moment] | None = None
    # The last range placed: a later undated time inside it has not crossed midnight.
    last_range: tuple[Moment, Moment] | None = None

    def warn(self, code: str, message: str, start: int | None, end: int | None) -> None:
        self.warnings.append(ExtractionWarning(code, message, start, end))

    def quote(self, start: int, end: int) -> str:
        return self.text[start:end]

    def paragraph(self, segment: int) -> int:
        return self.prepared.segments[segment].paragraph


def place_moments(
    text: str,
    prepared: PreparedText,
    context: DocumentContext,
    mentions: Mentions,
    *,
    default_zone: ZoneSpec | None,
    language: str,
    reference_date: date | None,
) -> Placement:
    """Return every time and relative phrase placed on a date and in a zone."""
    days_in: dict[int, list[DayMention]] = {}
    for mention in context.days:
        segment = prepared.segment_of(mention.start)
        if segment is not None:
            days_in.setdefault(segment, []).append(mention)
    reading = _Reading(
        text=text,
        prepared=prepared,
        context=context,
        times=mentions.times,
        default_zone=default_zone,
        language=language,
        reference_date=reference_date,
        days_in=days_in,
        day_starts=[d.start for d in context.days],
    )
    reading.zoned_indexes = [i for i, t in enumerate(mentions.times) if t.mention.zone]
    reading.zoned_starts = [mentions.times[i].mention.start for i in reading.zoned_indexes]
    frame = _Frame()
    if context.title is not None:
        frame.day, frame.evidence = context.title.day, context.title.evidence
    carried: _Zoned | None = None
    previous: Moment | None = None
    range_start: Moment | None = None
    first_start: Moment | None = None
    applied: set[int] = set()
    undated: list[TimeRef] = []
    moments: list[Moment] = []
    items: list[tuple[int, int, int]] = [(d.start, 0, i) for i, d in enumerate(context.days)]
    items += [(t.mention.start, 1, i) for i, t in enumerate(mentions.times)]
    items += [(r.start, 2, i) for i, (r, _) in enumerate(mentions.relatives)]
    items += [(t.start, 3, i) for i, t in enumerate(mentions.dropped_zoned)]
    items.sort()
    for _, tag, number in items:
        if tag == 3:
            # A time that is no moment still says which zone the writer uses, when the
            # text declares none.
            dropped = mentions.dropped_zoned[number]
            assert dropped.zone is not None
            if context.declarations:
                continue
            carried = _Zoned(
                dropped.zone,
                "carried",
                f'zone carried from "{reading.quote(dropped.start, dropped.end)}": '
                f"{dropped.zone.label}",
                dropped.start,
            )
            continue
        if tag == 0:
            mention = context.days[number]
            if (mention.day, mention.night) == (frame.day, frame.night) and not mention.caption:
                frame.origin = _confirmed_origin(frame.origin, mention.origin)
            if (
                mention.caption
                or mention.start in applied
                or (mention.day, mention.night) == (frame.day, frame.night)
            ):
                continue
            segment = prepared.segment_of(mention.start) or 0
            frame = _Frame(
                mention.day,
                _carried_evidence(mention),
                mention.origin,
                reading.paragraph(segment),
                segment,
                story=previous,
                night=mention.night,
            )
            continue
        if tag == 2:
            relative, segment = mentions.relatives[number]
            # "The outage began at 10am and lasted until 3pm. About an hour later …":
            # a story told after a range goes on from where the range began.
            anchor = (
                range_start if previous is not None and previous.range_role == "end" else previous
            )
            if relative.anchor == "incident":
                # "Within 10 minutes" of the start: the first range's start, else the first
                # moment of the text.
                anchor = first_start or (moments[0] if moments else None)
            moment = _place_relative(reading, relative, segment, anchor)
            if moment is not None:
                moments.append(moment)
                previous = moment
                frame.last, frame.last_paragraph = moment.at, reading.paragraph(segment)
                frame.last_zone = moment.zone
                frame.last_quote = reading.quote(moment.mention_start, moment.mention_end)
                if frame.day is not None and moment.local_day > frame.day:
                    frame.day = moment.local_day
            continue
        ref = mentions.times[number]
        if ref.role == "end":
            continue  # placed with its start
        indexes = [number] if ref.partner is None else [number, ref.partner]
        placed = _place_group(reading, indexes, frame, carried, applied)
        if placed is None:
            undated.extend(mentions.times[i] for i in indexes)
            continue
        for moment in placed:
            moments.append(moment)
            previous = moment
            if moment.range_role == "start":
                range_start = moment
                first_start = first_start or moment
            # "um 17:41 Uhr Ortszeit" in a paragraph after "in Dublin": the writer tells the
            # story in that clock, so the bare times after it go on in it.
            local = any(reading.times[i].mention.local for i in indexes)
            if moment.zone_basis == "stated" or (local and moment.zone_basis == "place"):
                writer = _writer_zone(reading, indexes, moment)
                label = writer.quoted() if writer.chosen else moment.zone.label
                carried = _Zoned(
                    writer,
                    "carried",
                    f'zone carried from "{reading.quote(moment.mention_start, moment.mention_end)}"'
                    f": {label}",
                    moment.mention_start,
                )
        last = placed[-1]
        if _update_stamp(reading, last):
            # "Update (6/6 9 am PT): A little after midnight PT, …": the stamp is when the
            # writer added the update; the story it tells goes back from it, not past midnight.
            continue
        frame.last, frame.last_paragraph = last.at, reading.paragraph(last.segment)
        frame.last_zone = last.zone
        frame.last_quote = reading.quote(last.mention_start, last.mention_end)
        if len(placed) == 2:
            reading.last_range = (placed[0], placed[1])
            if placed[0].local_day != placed[1].local_day:
                reading.window = (placed[0], placed[1])
    if undated:
        listing = ", ".join(f'"{text[t.mention.start : t.mention.end]}"' for t in undated[:5])
        reading.warn(
            "time_without_date",
            f"{counted(len(undated), 'time')} cannot be tied to any date and were not turned into "
            f"events: {listing}. Pass reference_date if the text's date is known.",
            undated[0].mention.start,
            undated[0].mention.end,
        )
    return Placement(tuple(moments), tuple(reading.warnings))


def _update_stamp(reading: _Reading, moment: Moment) -> bool:
    """Say whether a moment is the stamp that opens an update: "Update 4/25 8:45 a.m. ET:"."""
    return _stamp_at(reading, moment.mention_start, moment.mention_end)


def _stamp_at(reading: _Reading, start: int, end: int) -> bool:
    """Say whether the time written at start:end opens an update's stamp line."""
    scan = reading.prepared.scan
    line_start = scan.rfind("\n", 0, start) + 1
    return bool(
        _UPDATE_HEAD_RE.fullmatch(scan, line_start, start) and _UPDATE_TAIL_RE.match(scan, end)
    )


def _confirmed_origin(frame_origin: str, mention_origin: str) -> str:
    """Return where the date in force comes from once the text states it again.

    "July 13" under the headline, then "went dark early on Wednesday" (the same day): the
    day is now the text's own statement, no longer only when the piece was written.
    """
    if frame_origin in ("dateline", "heading") and mention_origin not in ("dateline", "heading"):
        return mention_origin
    return frame_origin


def _weekday_evidence(mention: DayMention) -> str:
    if mention.near:
        return f'date from "{mention.written}", the day of that name nearest "{mention.near}"'
    return f'date from "{mention.written}", the last such day on or before the publication day'


def _writer_zone(reading: _Reading, indexes: list[int], moment: Moment) -> ZoneSpec:
    """Return the clock the writer tells a moment in, which later bare times go on in.

    "Around 3:15 PM EDT (19:15 UTC)" is placed by its UTC conversion, but the story goes
    on in EDT: "By 4:05 PM, the company acknowledged …".
    """
    for index in indexes:
        time = reading.times[index].mention
        first = time.restated
        if time.start == moment.mention_start and first is not None and first.start == time.start:
            return first.zone or _clock_beside(first, moment) or moment.zone
    return moment.zone


def _clock_beside(written: TimeMention, moment: Moment) -> ZoneSpec | None:
    """Return the clock of a bare time the text restates in a zone, from the two readings.

    "around 10:30 p.m. local time (14:30 GMT)", "until 6 p.m. (1700GMT)": the writer's own
    clock is as far from UTC as its wall time is from the instant, and the bare times after
    it go on in that clock, not in the restatement's.
    """
    minutes = written.hour * 60 + written.minute - (moment.at.hour * 60 + moment.at.minute)
    # Clocks run from ten hours behind UTC (Hawaii) to fourteen ahead.
    minutes = (minutes + 10 * 60) % (24 * 60) - 10 * 60
    if minutes == 0 or minutes % 15:
        return None
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    spec = spec_from_label(f"UTC{sign}{hours}:{rest:02d}")
    if spec is None:
        return None
    return replace(spec, chosen="the bare time's own clock beside its restatement")


def _carried_evidence(mention: DayMention) -> str:
    if mention.origin == "headline":
        return f'date from the headline: "{mention.written}"'
    if mention.origin == "heading":
        return f'date from the heading "{mention.written}"'
    if mention.origin == "dateline":
        return f'date from the date line under the headline: "{mention.written}"'
    if mention.origin == "weekday":
        return _weekday_evidence(mention)
    if mention.origin == "relative":
        return (
            f'date from "{mention.written}", counted from {mention.near or "the publication date"}'
        )
    if mention.origin == "story":
        return f'date from "{mention.written}", counted from the day last told, {mention.near}'
    if mention.origin == "monthday":
        return f'date from "the {mention.written}", in the month of {mention.near}'
    if mention.origin == "holiday":
        return f'date from "{mention.written}", in the year of {mention.near}'
    return f'date carried from "{mention.written}" earlier in the text'


# --------------------------------------------------------------------------- zones


def zone_for(reading: _Reading, index: int, carried: _Zoned | None) -> _Zoned:
    """Return the zone of time `index` and what decided it."""
    ref = reading.times[index]
    time = ref.mention
    if time.zone:
        return _Zoned(time.zone, "stated", f"zone written with the time: {time.zone.label}")
    if ref.partner is not None and reading.times[ref.partner].mention.zone:
        zone = reading.times[ref.partner].mention.zone
        assert zone is not None
        return _Zoned(zone, "stated", f"zone written at the other end of the range: {zone.label}")
    local_zone = reading.context.local_zone
    if time.local and local_zone is not None:
        return _Zoned(
            local_zone.zone,
            "stated",
            f'"local time" of the place the dateline names: {local_zone.zone.label} '
            f"({local_zone.zone.name})",
        )
    if time.local and local_zone is None:
        # "Das Netz in Großbritannien war ab 5 Uhr Ortszeit gestört": with no dateline, the
        # local time is the clock of the one place its sentence names.
        segment = reading.prepared.segments[ref.segment]
        found = one_place(reading.context.places_between(segment.start, segment.end))
        if found is not None:
            place = found[0]
            return _Zoned(
                place,
                "stated",
                f'"local time" of the place the sentence names: {place.quoted()}',
            )
        # "Nach dem Einschlag um 17:41 Uhr Ortszeit", a paragraph after "in Dublin": the
        # place named last before it, else the place the text is about. The time says it is
        # a local clock; which place's is the guess.
        nearby = _nearby_place(reading, index, paragraph=True)
        if nearby is not None:
            return nearby
        about = _text_place(reading, '"local time" of the place the text is about')
        if about is not None:
            return about
    declaration = reading.context.declaration_at(time.start)
    if declaration is not None and (declaration.start < time.start or carried is None):
        written = reading.quote(declaration.start, declaration.end)
        return _Zoned(
            declaration.zone,
            "declared",
            f'zone from {declaration.where}: {declaration.zone.label} ("{written}")',
        )
    in_sentence = _nearby_place(reading, index, paragraph=False)
    if in_sentence is not None:
        return in_sentence
    if carried is not None:
        return carried
    nearby = _nearby_place(reading, index, paragraph=reading.language != "de")
    if nearby is not None:
        return nearby
    if local_zone is not None:
        # A wire piece filed from Tokyo writes Tokyo's clock: "TOKYO, July 5 (Kyodo) - ...
        # around 1:35 a.m. Saturday". The place is the text's own frame, so it comes before
        # the caller's default; it is still a guess, and `check_zones` says so.
        return _Zoned(
            local_zone.zone,
            "dateline",
            f"no zone in the text: the clock of the place the dateline names, "
            f"{local_zone.zone.label} ({local_zone.zone.name})",
        )
    # "BT ... 999 calls across the UK ... began at 6.24am": a text about one place, with no
    # zone anywhere, most likely writes that place's clock. Like a dateline, the text's own
    # frame comes before the caller's default; a German text writes German time unless it
    # says "Ortszeit" or names the place with the time.
    about = (
        None
        if reading.language == "de"
        else _text_place(reading, "no zone in the text: the clock of the place it is about")
    )
    if about is not None:
        return about
    if reading.default_zone is not None:
        return _Zoned(
            reading.default_zone,
            "default",
            f"zone from the import's default time zone: {reading.default_zone.name}",
        )
    if reading.language == "de":
        return _Zoned(
            GERMAN_ZONE, "language", "no zone in the text: German text read as Berlin time"
        )
    following = _next_zoned(reading, index)
    if following is not None:
        return following
    return _Zoned(UTC_ZONE, "fallback", "no zone in the text: read as UTC")


def _text_place(reading: _Reading, evidence: str) -> _Zoned | None:
    """Return the clock of the place the text is mostly about, as a guess, or None."""
    place = reading.context.place_zone
    if place is None:
        return None
    return _Zoned(place.zone, "place", f"{evidence}, {place.zone.quoted()}")


# A place named this many sentences before a time in its paragraph still frames it.
_PARAGRAPH_REACH = 8


def _nearby_place(reading: _Reading, index: int, *, paragraph: bool) -> _Zoned | None:
    """Return the clock of the place named nearest a bare time: in its sentence (before
    it first: "in Singapore, customers could not log in from 9 am"; else after it: "It
    was 4am in Oslo"), else the last one named earlier in its paragraph.

    German news write German time unless the sentence ties the time to the place ("die
    Londoner Börse öffnete um 7 Uhr"), so there only the sentence counts. A country of
    several zones names no clock, and leaves the time to the next rule.
    """
    ref = reading.times[index]
    time = ref.mention
    segments = reading.prepared.segments
    segment = segments[ref.segment]
    places = reading.context.places_between(segment.start, segment.end)
    before = [place for place in places if place.end <= time.start]
    after = [place for place in places if place.start >= time.end]
    chosen = before[-1] if before else (after[0] if after else None)
    where = "its sentence"
    if chosen is None and paragraph:
        first = ref.segment
        while (
            first > 0
            and ref.segment - first < _PARAGRAPH_REACH
            and segments[first - 1].paragraph == segment.paragraph
        ):
            first -= 1
        earlier = reading.context.places_between(segments[first].start, segment.start)
        chosen = earlier[-1] if earlier else None
        where = "its paragraph"
    if chosen is None:
        return None
    named = f'"{chosen.written}", the place {where} names'
    if chosen.zone == SEVERAL_ZONES:
        # "in Perth, Australia", "across Australia" in a text whose only Australian city is
        # Perth: the city says which of the country's clocks.
        city = reading.context.country_cities.get(chosen.country)
        if city is None:
            return None
        named = f'"{city.written}", the one city of {named} the text names'
        chosen = city
    return _Zoned(
        ZoneSpec(chosen.zone, None, chosen.written),
        "place",
        f"no zone in the text: the clock of {named} ({chosen.zone})",
    )


def _next_zoned(reading: _Reading, index: int) -> _Zoned | None:
    """Return the zone of the next time that states one, a little further on.

    "Slack alerted its users at 3.14pm … Jan 4, 3:14 PM GMT": a write-up that names its
    zone once names the zone of the times around it.
    """
    time = reading.times[index].mention
    position = bisect.bisect_right(reading.zoned_starts, time.start)
    if position == len(reading.zoned_starts):
        return None
    other = reading.times[reading.zoned_indexes[position]].mention
    if other.start - time.end > _ZONE_LOOKAHEAD_CHARS or other.zone is None:
        return None
    return _Zoned(
        other.zone,
        "carried",
        f'zone of the next time that states one, "{reading.quote(other.start, other.end)}": '
        f"{other.zone.label}",
    )


# --------------------------------------------------------------------------- dates


def stated_day(reading: _Reading, index: int) -> DayMention | None:
    """Return the date written right next to time `index`, if any."""
    ref = reading.times[index]
    time = ref.mention
    scan = reading.prepared.scan
    for mention in reading.days_in.get(ref.segment, ()):
        if mention.start >= time.end and AFTER_TIME_GAP_RE.fullmatch(scan, time.end, mention.start):
            return mention
        if mention.end <= time.start and BEFORE_TIME_GAP_RE.fullmatch(
            scan, mention.end, time.start
        ):
            return mention
    return None


def stated_evidence(mention: DayMention) -> tuple[str, str]:
    """Return how a date the text writes was read (its basis) and the words that say so."""
    if mention.origin == "weekday":
        return "weekday", _weekday_evidence(mention)
    if mention.origin == "relative":
        return "weekday", _carried_evidence(mention)
    if mention.origin == "daypart":
        return "carried", f'"{mention.written}": the day last told, from {mention.near}'
    if mention.origin == "story":
        return "carried", f'"{mention.written}": counted from the day last told, {mention.near}'
    if mention.origin == "monthday":
        return "carried", f'"the {mention.written}": in the month of {mention.near}'
    if mention.origin == "holiday":
        return "carried", f'"{mention.written}": in the year of {mention.near}'
    return "stated", f'date written with the time: "{mention.written}"'


def _place_group(
    reading: _Reading,
    indexes: list[int],
    frame: _Frame,
    carried: _Zoned | None,
    applied: set[int],
) -> list[Moment] | None:
    zones = [zone_for(reading, i, carried) for i in indexes]
    stated = [stated_day(reading, i) for i in indexes]
    stated_days: list[date | None] = [m.day if m else None for m in stated]
    first = reading.times[indexes[0]]
    segment = first.segment
    paragraph = reading.paragraph(segment)
    evidence: list[tuple[str, str] | None] = [stated_evidence(m) if m else None for m in stated]
    # A range whose start has no date of its own takes the end's date (the day before
    # when the clock says the range ran over midnight).
    if len(indexes) == 2 and stated_days[0] is None and stated_days[1] is not None:
        end_day = stated_days[1]
        end_at = _utc(reading, end_day, indexes[1], zones[1].zone)
        start_at = _utc(reading, end_day, indexes[0], zones[0].zone)
        stated_days[0] = end_day - timedelta(days=1) if start_at > end_at else end_day
        evidence[0] = ("stated", f'date written at the end of the range: "{stated[1].written}"')  # type: ignore[union-attr]
    placed: list[Moment] = []
    for position, index in enumerate(indexes):
        time = reading.times[index].mention
        zoned = zones[position]
        role = None if len(indexes) == 1 else ("start", "end")[position]
        ambiguous = False
        day = stated_days[position]
        basis, why = evidence[position] or ("stated", "")
        if day is None and position == 1 and placed:
            day, basis, why, ambiguous = _range_end_day(reading, placed[0], index, zoned.zone)
        if day is None:
            later = _later_in_sentence(reading, index) if frame.segment != segment else None
            if later is not None:
                day, basis = later.day, "sentence"
                why = f'date from the same sentence: "{later.written}"'
                applied.add(later.start)
                frame.day, frame.paragraph, frame.segment = day, paragraph, segment
                frame.night = later.night
                if later.night and time.hour >= _NIGHT_EVENING_HOUR:
                    # "um kurz vor 22 Uhr … in der Nacht von Montag auf Dienstag": the
                    # evening the night began, as when the night is told before the clock.
                    day = later.day - timedelta(days=1)
                    why = f"{why}: the evening of that night, {day.isoformat()}"
                frame.evidence = _carried_evidence(later)
                frame.last = None
            elif frame.day is not None:
                day, basis, why, ambiguous = _carry(reading, index, zoned.zone, frame, segment)
            else:
                fallback = _fallback_day(reading, index, zoned.zone)
                if fallback is None:
                    return None
                day, basis, why = fallback
        elif position == 0 or stated_days[position] is not None:
            for mention in reading.days_in.get(segment, ()):
                if mention.day == day:
                    applied.add(mention.start)
            if day != frame.day:
                frame.day, frame.paragraph, frame.segment = day, paragraph, segment
                frame.evidence = _carried_evidence(stated[position]) if stated[position] else why
                frame.last = None
        moment = Moment(
            at=_utc(reading, day, index, zoned.zone),
            local_day=day,
            hour=time.hour,
            minute=time.minute,
            precision=time.precision,
            zone=zoned.zone,
            zone_basis=zoned.basis,
            zone_evidence=zoned.evidence,
            date_basis=basis,
            date_evidence=why,
            mention_start=time.start,
            mention_end=time.end,
            segment=segment,
            range_role=role,
            ambiguous=ambiguous,
        )
        if summer_mismatch(day, time.hour, time.minute, zoned.zone):
            reading.warn(
                "zone_label_mismatch",
                f'"{reading.quote(time.start, time.end)}" names '
                f"{'summer' if zoned.zone.summer else 'standard'} time, but {zoned.zone.name} "
                f"was not on it on {day.isoformat()}; read as written, not with the zone's "
                "offset of that day. Check which the writer meant.",
                time.start,
                time.end,
            )
        _check_restatement(reading, moment, time)
        placed.append(moment)
        if basis == "stated" or (basis == "sentence" and frame.segment == segment):
            reading.dated_clock.setdefault(
                (time.hour, time.minute, zoned.zone.name),
                (day, reading.quote(time.start, time.end), paragraph),
            )
        if basis in {"carried", "rollover", "sentence"} and frame.day is not None:
            frame.last, frame.last_paragraph = moment.at, paragraph
            frame.last_zone = moment.zone
    return placed


def _check_restatement(reading: _Reading, moment: Moment, time: TimeMention) -> None:
    """Warn when "22:44 AEST (11:44 UTC)" names two instants: the placed one won."""
    other = time.restated
    if other is None or other.zone is None:
        return
    # The restatement may fall on the day before or after in its own zone.
    gaps = (
        abs(
            to_utc(moment.local_day + timedelta(days=shift), other.hour, other.minute, other.zone)
            - moment.at
        )
        for shift in (-1, 0, 1)
    )
    if min(gaps) < timedelta(minutes=1):
        return
    reading.warn(
        "contradictory_times",
        f'"{reading.quote(time.start, time.end)}" writes one moment as two different '
        f"instants; read as {moment.at:%Y-%m-%d %H:%M} UTC ({moment.zone.label}): an "
        "explicit UTC wins, else the time written first.",
        time.start,
        time.end,
    )


def _utc(reading: _Reading, day: date, index: int, zone: ZoneSpec) -> datetime:
    time = reading.times[index].mention
    return to_utc(day, time.hour, time.minute, zone)


def _later_in_sentence(reading: _Reading, index: int) -> DayMention | None:
    """Return a date later in the time's sentence that no other time there owns.

    "repaired at 14:13 PDT, and restored by 2022-07-20, 04:28 PDT": the date is the second
    time's own, not the first's.
    """
    ref = reading.times[index]
    owned: set[int] = set()
    trailing: tuple[DayMention, TimeMention] | None = None
    for other in range(index + 1, min(len(reading.times), index + 1 + _LOOKAHEAD)):
        if reading.times[other].segment != ref.segment:
            break
        mention = stated_day(reading, other)
        if mention is not None:
            owned.add(mention.start)
            between = reading.prepared.scan[ref.mention.end : reading.times[other].mention.start]
            if (
                trailing is None
                and mention.start >= reading.times[other].mention.end
                and not _CLAUSE_BREAK_RE.search(between)
            ):
                trailing = mention, reading.times[other].mention
    for mention in reading.days_in.get(ref.segment, ()):
        if mention.start >= ref.mention.end and mention.start not in owned:
            return mention
    if trailing is not None and not trailing[0].caption:
        # "… beginning at 12:41 UTC followed by a disruption beginning at 13:31 UTC on May
        # 10, 2016": a date that closes a clause dates its earlier times too, the day
        # before when the clock went back from them to the time it is written with. Not
        # across a comma ("restored at 5:30 a.m., and … removed by 9:36 p.m. on
        # Saturday"): there the date is the later time's own.
        mention, owner = trailing
        if (ref.mention.hour, ref.mention.minute) > (owner.hour, owner.minute):
            return replace(mention, day=mention.day - timedelta(days=1))
        return mention
    return None


def _range_end_day(
    reading: _Reading, start: Moment, index: int, zone: ZoneSpec
) -> tuple[date, str, str, bool]:
    day = start.local_day
    end_at = _utc(reading, day, index, zone)
    if end_at >= start.at:
        return day, start.date_basis, start.date_evidence, False
    back = start.at - end_at
    time = reading.times[index].mention
    start_quote = reading.quote(start.mention_start, start.mention_end)
    if back >= ROLLOVER_POSSIBLE:
        ambiguous = back < ROLLOVER_CERTAIN
        if ambiguous:
            _warn_ambiguous(reading, index, start.at, back)
        why = f'the range from "{start_quote}" runs past midnight: the day after {day.isoformat()}'
        return day + timedelta(days=1), "rollover", why, ambiguous
    reading.warn(
        "contradictory_times",
        f'The range ending "{reading.quote(time.start, time.end)}" ends before it starts '
        f'("{start_quote}").',
        start.mention_start,
        time.end,
    )
    return day, start.date_basis, start.date_evidence, False


def _warn_ambiguous(reading: _Reading, index: int, previous_at: datetime, back: timedelta) -> None:
    time = reading.times[index].mention
    hours = back.total_seconds() / 3600
    reading.warn(
        "ambiguous_rollover",
        f'"{reading.quote(time.start, time.end)}" is {hours:.1f} h before the previous time '
        f"({previous_at:%Y-%m-%d %H:%M} UTC); read as the next day, but it may be a "
        "flashback on the same day.",
        time.start,
        time.end,
    )


def _carry(
    reading: _Reading, index: int, zone: ZoneSpec, frame: _Frame, segment: int
) -> tuple[date, str, str, bool]:
    assert frame.day is not None
    day = frame.day
    paragraph = reading.paragraph(segment)
    basis = "sentence" if frame.segment == segment else "carried"
    why = frame.evidence
    time = reading.times[index].mention
    digression = _digression_anchor(reading, frame, segment)
    if digression is not None:
        _warn_date_guess(
            reading,
            time,
            f"has no date of its own. The last date the text states ({day.isoformat()}) lies "
            f"more than {INCIDENT_GAP.days} days from the dates the rest of the text points "
            f"at, so it was placed on {digression.day.isoformat()} ({digression.evidence}).",
        )
        return digression.day, "context", f"{digression.evidence} (a guess, warned)", False
    before = _incident_before_dateline(reading, frame, time)
    if before is not None:
        _warn_date_guess(
            reading,
            time,
            f"has no date of its own; the only date before it is the page's date line "
            f"({day.isoformat()}), when the piece was written. It was placed on the "
            f"incident's day given with the import ({before.isoformat()}) instead.",
        )
        day = frame.day = before
        frame.origin = "reference"
        frame.evidence = (
            f"the incident's day given with the import ({before.isoformat()}), not the "
            f"date line ({why}) (a guess, warned)"
        )
        why = frame.evidence
    if frame.night and time.hour >= _NIGHT_EVENING_HOUR:
        # "In der Nacht auf Dienstag ... ab 23.12 Uhr": the evening the night began, whether
        # the text tells it before or after the small hours.
        evening = day - timedelta(days=1)
        return evening, basis, f"{why}: the evening of that night, {evening.isoformat()}", False
    repeated = _repeated_time(reading, index, zone, frame, paragraph)
    if repeated is not None:
        return (
            repeated,
            "carried",
            f"the same time is stated earlier with its date ({repeated.isoformat()})",
            False,
        )
    shifted = _day_in_zone(frame, zone)
    if shifted is not None:
        day = frame.day = shifted
        why = frame.evidence = (
            f'{why}, in {zone.label}: the day of "{frame.last_quote}" in that zone'
        )
    window = reading.window
    if window is not None and day in (window[0].local_day, window[1].local_day):
        # An undated time after a two-day range goes on whichever of its days puts it
        # inside the range; when neither or both do, the usual carrying applies.
        opening, closing = window
        fitting = [
            d
            for d in (opening.local_day, closing.local_day)
            if opening.at <= _utc(reading, d, index, zone) <= closing.at
        ]
        opening_quote = reading.quote(opening.mention_start, closing.mention_end)
        if len(fitting) == 1:
            frame.day = fitting[0]
            return fitting[0], basis, f'date inside the range "{opening_quote}"', False
        if not fitting:
            # "From 22.33 on Tuesday to 00.10 on Wednesday … it began around 22.30": a time
            # just outside the range is on the day that keeps it nearest the range.
            distance = {
                d: _outside_by(_utc(reading, d, index, zone), opening.at, closing.at)
                for d in (opening.local_day, closing.local_day)
            }
            nearest = min(distance, key=lambda d: distance[d])
            if nearest != day and distance[nearest] < _NEAR_RANGE:
                frame.day = nearest
                return nearest, basis, f'date nearest the range "{opening_quote}"', False
    candidate = _utc(reading, day, index, zone)
    inside = reading.last_range is not None and (
        reading.last_range[0].at <= candidate <= reading.last_range[1].at
    )
    if frame.last is not None and candidate < frame.last and not inside:
        back = frame.last - candidate
        same_paragraph = frame.last_paragraph == paragraph
        if back >= ROLLOVER_CERTAIN or (back >= ROLLOVER_POSSIBLE and same_paragraph):
            ambiguous = back < ROLLOVER_CERTAIN
            if ambiguous:
                _warn_ambiguous(reading, index, frame.last, back)
            frame.day = day + timedelta(days=1)
            frame.evidence = (
                f'the clock went back past midnight after "{frame.last_quote}": '
                f"the day after {day.isoformat()}"
            )
            return frame.day, "rollover", frame.evidence, ambiguous
        return day, basis, why, False
    earlier = _before_next_stated(reading, index, day, zone, candidate)
    if earlier is not None:
        return earlier, basis, earlier_why(reading, index), False
    return day, basis, why, False


def _warn_date_guess(reading: _Reading, time: TimeMention, why: str) -> None:
    """Warn that a time's date is a guess, quoting the time."""
    reading.warn(
        "date_inferred",
        f'"{reading.quote(time.start, time.end)}" {why} Check this guess.',
        time.start,
        time.end,
    )


def _incident_before_dateline(reading: _Reading, frame: _Frame, time: TimeMention) -> date | None:
    """Return the caller's incident day when a bare time is dated only by the date line.

    A date alone under a headline (or a heading line above the story, "Posted 2018/12/20")
    says when the piece was written, not when its bare times happened: news of an evening outage is printed the next morning ("July 13, 2018 ... the
    network had a partial outage starting at 6:05 pm"). When the import names the
    incident's day a little before that date, the bare times are on the incident's day.
    """
    reference = reading.reference_date
    if frame.origin not in ("dateline", "heading") or reference is None or frame.day is None:
        return None
    if _stamp_at(reading, time.start, time.end):
        return None  # "Update 6:14pm UTC:": when the writer added it, on the page's day
    if relative_day_near(reading.prepared.scan, time.start, time.end):
        return None  # "last night just after 3am": counted from the page's day, as written
    if frame.day - INCIDENT_GAP <= reference < frame.day:
        return reference
    return None


def _day_in_zone(frame: _Frame, zone: ZoneSpec) -> date | None:
    """Return the carried date seen from another zone, when the zones' dates differ.

    "Am 12. Dezember um 3:53 Uhr UTC … begann gegen 15 Uhr (Pacific Time)": the date was
    stated for a UTC time that is still 11 December in California, so a Pacific time
    carried from it is on the 11th.
    """
    if frame.day is None or frame.last is None or frame.last_zone is None:
        return None
    if frame.last_zone.name == zone.name:
        return None
    written_in = frame.last.astimezone(frame.last_zone.tzinfo()).date()
    seen_from = frame.last.astimezone(zone.tzinfo()).date()
    if written_in == seen_from:
        return None
    return frame.day + (seen_from - written_in)


def _outside_by(at: datetime, opening: datetime, closing: datetime) -> timedelta:
    return opening - at if at < opening else at - closing


def _repeated_time(
    reading: _Reading, index: int, zone: ZoneSpec, frame: _Frame, paragraph: int
) -> date | None:
    """Return the date of an earlier statement of the same clock time, when it overrules a carry.

    A summary states "On Tuesday, April 5th, 2022, starting at 7:38 UTC" and mentions later
    days ("restored as of April 18th"); the timeline below it then lists bare times from
    "07:38 UTC". A bare time that repeats a dated one is that moment, and the list that
    follows is on its day, not on the last day the prose happened to mention.
    """
    time = reading.times[index].mention
    known = reading.dated_clock.get((time.hour, time.minute, zone.name))
    if known is None or frame.origin != "prose" or frame.paragraph == paragraph:
        return None
    # Only a summary that stated both the dated time and the later day it carries: a new
    # day stated in a paragraph of its own ("On October 21 …") starts a day of its own.
    if known[0] == frame.day or known[2] != frame.paragraph:
        return None
    frame.day = known[0]
    frame.evidence = f'the same time as "{known[1]}" stated earlier with its date'
    frame.origin = "repeat"
    frame.paragraph = paragraph
    return known[0]


def earlier_why(reading: _Reading, index: int) -> str:
    following = _next_stated(reading, index)
    written = following[1].written if following else "the next date"
    return f'the evening before the next dated time ("{written}")'


def _before_next_stated(
    reading: _Reading, index: int, day: date, zone: ZoneSpec, candidate: datetime
) -> date | None:
    """Return the day before `day` when the time is the evening before the next dated time.

    "At 11:48 PM, … At 12:38 AM on October 20": the undated time belongs to the evening
    before the next dated one, not to the carried day.
    """
    following = _next_stated(reading, index)
    if following is None or candidate <= following[0]:
        return None
    earlier = _utc(reading, day - timedelta(days=1), index, zone)
    if earlier <= following[0] and following[0] - earlier <= ROLLOVER_CERTAIN:
        return day - timedelta(days=1)
    return None


def _next_stated(reading: _Reading, index: int) -> tuple[datetime, DayMention] | None:
    """Return the next of the following few times in the same block with a date of its own."""
    segments = reading.prepared.segments
    block = segments[reading.times[index].segment].block
    for other in range(index + 1, min(len(reading.times), index + 1 + _LOOKAHEAD)):
        if segments[reading.times[other].segment].block != block:
            return None
        mention = stated_day(reading, other)
        if mention is not None:
            zoned = zone_for(reading, other, None)
            return _utc(reading, mention.day, other, zoned.zone), mention
    return None


def _digression_anchor(reading: _Reading, frame: _Frame, segment: int) -> Anchor | None:
    """Return the incident date when the carried date belongs to an older story.

    A news article about one outage may mention an older one ("Am 7. Dezember 2021 …").
    That date binds the times of its own paragraph; a time in a later paragraph with no
    date of its own belongs to the incident the cited sources and publication date point
    at, if those agree with each other and not with the carried date. This is a guess, so
    it always comes with a `date_inferred` warning.
    """
    context = reading.context
    paragraph = reading.paragraph(segment)
    if frame.day is None or frame.paragraph == paragraph:
        return None
    story = frame.story
    if (
        story is not None
        and frame.last is None  # no time was told on the earlier date: an aside
        and frame.day < story.local_day - INCIDENT_GAP
        and segment not in reading.days_in
    ):
        # An aside went back to an earlier outage; the next paragraph returns to the story.
        quote = reading.quote(story.mention_start, story.mention_end)
        return Anchor(story.local_day, f'the day of "{quote}", told before the aside')
    target = context.incident_anchor()
    if target is None:
        return None
    if not context.sources and context.title is None:
        return None  # a publication date alone is normally after the incident: no evidence
    anchors = list(context.sources)
    if context.published is not None:
        anchors.append(context.published.day)
    if context.title is not None:
        anchors.append(context.title.day)
    if anchors and all(abs(frame.day - anchor) > INCIDENT_GAP for anchor in anchors):
        return target
    return None


def _fallback_day(reading: _Reading, index: int, zone: ZoneSpec) -> tuple[date, str, str] | None:
    """Date a time that comes before every date of the text."""
    time = reading.times[index].mention
    quote = reading.quote(time.start, time.end)
    later_position = bisect.bisect_right(reading.day_starts, time.start)
    following = _next_stated(reading, index)
    if following is not None:
        day = following[1].day
        candidate = _utc(reading, day, index, zone)
        earlier = _before_next_stated(reading, index, day, zone, candidate)
        if earlier is not None:
            return earlier, "carried", earlier_why(reading, index)
        return day, "carried", f'date from the next dated time: "{following[1].written}"'
    if reading.reference_date is not None:
        return (
            reading.reference_date,
            "reference",
            f"the reference date given with the import: {reading.reference_date.isoformat()}",
        )
    anchor = reading.context.incident_anchor()
    if anchor is not None:
        reading.warn(
            "date_inferred",
            f'"{quote}" has no date in the text before it; placed on {anchor.day.isoformat()} '
            f"({anchor.evidence}).",
            time.start,
            time.end,
        )
        return anchor.day, "context", anchor.evidence
    if later_position < len(reading.context.days):
        mention = reading.context.days[later_position]
        return mention.day, "carried", f'date from the first date after it: "{mention.written}"'
    return None


def _place_relative(
    reading: _Reading, relative: RelativeMention, segment: int, previous: Moment | None
) -> Moment | None:
    quote = reading.quote(relative.start, relative.end)
    if previous is None:
        reading.warn(
            "relative_without_anchor",
            f'"{quote}" follows no stated time.',
            relative.start,
            relative.end,
        )
        return None
    at = previous.at + relative.offset
    local = at.astimezone(previous.zone.tzinfo())
    precise = previous.precision == "minute" and not relative.hedged
    previous_quote = reading.quote(previous.mention_start, previous.mention_end)
    return Moment(
        at=at,
        local_day=local.date(),
        hour=local.hour,
        minute=local.minute,
        precision="minute" if precise else "approximate",
        zone=previous.zone,
        zone_basis=previous.zone_basis,
        zone_evidence=previous.zone_evidence,
        date_basis="relative",
        date_evidence=f'"{quote}" counted from "{previous_quote}"',
        mention_start=relative.start,
        mention_end=relative.end,
        segment=segment,
    )
