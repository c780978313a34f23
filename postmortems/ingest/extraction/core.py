"""Turn an outage write-up into proposed timeline events.

The pipeline, in order:

1. `prepare_text` blanks markup and URLs (keeping offsets) and cuts sentences.
2. The grammar in `dates` finds dates, clock times and relative phrases.
3. One pass through the text in reading order ties every time to a calendar date and
   a zone, carrying the last stated date forward and rolling it over midnight.
4. Cue words near each time give its kind; catalogue names in its sentence its services.
5. Checks over the whole result raise warnings a reviewer must see.

Nothing is invented: a time that cannot be tied to a date becomes a warning, not an event.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .cues import Cue, ServiceMatcher, choose_kind, find_cues, status_kind
from .dates import (
    DateMention,
    RelativeMention,
    TimeMention,
    find_dates,
    find_relatives,
    find_times,
    find_url_dates,
)
from .language import detect_language
from .model import CatalogueEntry, Extraction, ExtractionWarning, ProposedEvent
from .text import PreparedText, Segment, prepare_text
from .zones import UTC, ZoneSpec, find_declaration, spec_from_label, summer_mismatch, to_utc

# Dates further apart than this belong to different incidents; multi-day incidents
# are narrated day by day, so the gap is measured between neighbouring dates.
INCIDENT_GAP = timedelta(days=3)
# Going back this far in the clock means the text crossed midnight ("11:48 PM … 12:38 AM").
ROLLOVER_CERTAIN = timedelta(hours=12)
# Between this and ROLLOVER_CERTAIN a backward step is read as the next day only inside
# one paragraph, and flagged; across paragraphs it is a summary restating earlier times.
ROLLOVER_POSSIBLE = timedelta(hours=9)

_GERMAN_DEFAULT_ZONE = ZoneSpec("Europe/Berlin", None, "German text")
_UTC_ZONE = ZoneSpec("UTC", None, "UTC")

_PUBLICATION_RE = re.compile(
    r"[\W_]*(?:Published|Updated|Last\s+updated|Veröffentlicht|Aktualisiert|Zuletzt\s+"
    r"aktualisiert|Stand|Erstellt|Erschienen)\b",
    re.IGNORECASE,
)
_BYLINE_RE = re.compile(r"[\W_]*Posted\b.*\b(?:by|von)\b", re.IGNORECASE)
_AFTER_TIME_GAP_RE = re.compile(r"\s*,?\s*(?:on|am|vom|the|den|dem)?\s*(?:the\s+)?")
_BEFORE_TIME_GAP_RE = re.compile(
    r"\s*(?:,|-|–|—|T|\||/|\(|at|um|·)?\s*(?:(?:at|um|gegen|around|about|ca\.)\s+)?"
)
_RANGE_GAP_RE = re.compile(
    r"\s*(?:,?\s*(?:on|am)\s+[^,;.]{1,30}?)?\s*"
    r"(?P<connector>and|und|to|until|till|through|thru|bis|-|–|—)\s*(?:at\s+|um\s+)?",
    re.IGNORECASE,
)
_RANGE_OPENER_RE = re.compile(
    r"(?:between|from|zwischen|von|vom)\s+(?:about\s+|around\s+|etwa\s+|ca\.\s+)?$",
    re.IGNORECASE,
)
_BARE_WORDS_RE = re.compile(r"\b(?:posted|updated|at|on|um|am|uhr)\b", re.IGNORECASE)
_ZONE_WORD_RE = re.compile(r"\b[A-Z]{1,5}\b")
_KIND_GROUP = {
    "trigger": "start",
    "impact": "start",
    "recovery": "end",
    "mitigation": "end",
}


@dataclass(frozen=True)
class _Moment:
    """A time placed on the calendar, before it becomes a ProposedEvent."""

    at: datetime
    local_day: date
    hour: int
    minute: int
    precision: str
    zone: ZoneSpec
    zone_basis: str  # stated | declared | carried | default | language | fallback
    date_basis: str
    mention_start: int
    mention_end: int
    segment: int
    range_role: str | None = None
    ambiguous: bool = False


@dataclass
class _Context:
    """The date in force while reading, and the last moment placed on it."""

    day: date | None = None
    paragraph: int = -1
    segment: int = -1
    last: datetime | None = None
    last_paragraph: int = -1
    # A range whose ends fall on different days ("between 15:41 UTC on 29 October and
    # 00:05 UTC on 30 October"): the narrative after it retells that window.
    window: tuple[_Moment, _Moment] | None = None


@dataclass
class _Run:
    text: str
    prepared: PreparedText
    language: str
    matcher: ServiceMatcher
    default_zone: ZoneSpec | None
    reference_date: date | None
    warnings: list[ExtractionWarning] = field(default_factory=list)
    moments: list[_Moment] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)

    # ------------------------------------------------------------------ set-up
    def __post_init__(self) -> None:
        scan = self.prepared.scan
        self.scan = scan
        self.segments: tuple[Segment, ...] = self.prepared.segments
        self._segment_starts = [segment.start for segment in self.segments]
        self.publication_segments = {
            index
            for index, segment in enumerate(self.segments)
            if _PUBLICATION_RE.match(scan, segment.start, segment.end)
            or _BYLINE_RE.match(scan, segment.start, segment.end)
        }
        declaration = find_declaration(scan)
        self.declared_zone = declaration[0] if declaration else None
        self.dates: list[DateMention] = []
        self.publication_dates: list[DateMention] = []
        for mention in find_dates(scan, self.language):
            segment = self.segment_of(mention.start)
            glued = mention.end < len(scan) and scan[mention.end].isalpha()
            if glued or segment is None or segment in self.publication_segments:
                # "22/10/2025Andrej Karpathy …": a sidebar's publication date glued to a
                # headline, or a "Published …" line. Context, never an incident moment.
                self.publication_dates.append(
                    DateMention(mention.start, mention.end, mention.month, mention.day,
                                mention.year, "publication")
                )  # fmt: skip
            else:
                self.dates.append(mention)
        self.url_dates = find_url_dates(self.text, self.prepared.urls)
        self.days = self._resolve_years()
        self.url_days = sorted({self.days[m.start] for m in self.url_dates if m.start in self.days})
        self.publication_days = sorted(
            {self.days[m.start] for m in self.publication_dates if m.start in self.days}
        )
        self.times = [
            t for t in find_times(scan, self.language)
            if (s := self.segment_of(t.start)) is not None and s not in self.publication_segments
            and not self._inside_date(t)
        ]  # fmt: skip
        timed_segments = {self.segment_of(t.start) for t in self.times}
        self.relatives = [
            r for r in find_relatives(scan)
            if (s := self.segment_of(r.start)) is not None and s not in timed_segments
            and s not in self.publication_segments
        ]  # fmt: skip
        self.partner = self._pair_ranges()
        self.dates_in: dict[int, list[DateMention]] = {}
        for mention in self.dates:
            self.dates_in.setdefault(self.segment_of(mention.start) or 0, []).append(mention)
        self.times_in: dict[int, list[TimeMention]] = {}
        for time in self.times:
            self.times_in.setdefault(self.segment_of(time.start) or 0, []).append(time)
        self._cue_cache: dict[int, list[Cue]] = {}
        self._bare_cache: dict[int, bool] = {}

    def segment_of(self, position: int) -> int | None:
        index = bisect.bisect_right(self._segment_starts, position) - 1
        if index >= 0 and position < self.segments[index].end:
            return index
        return None

    def _inside_date(self, time: TimeMention) -> bool:
        segment = self.segment_of(time.start)
        return any(
            d.start <= time.start < d.end
            for d in (*self.dates, *self.publication_dates)
            if self.segment_of(d.start) == segment
        )

    def _resolve_years(self) -> dict[int, date]:
        """Give every yearless date ("Oct 20") the year that puts it nearest its context."""
        days: dict[int, date] = {}
        mentions = sorted(
            (*self.dates, *self.publication_dates, *self.url_dates), key=lambda m: m.start
        )
        anchors = [date(m.year, m.month, m.day) for m in mentions if m.year]
        missing: list[DateMention] = []
        previous: date | None = None
        for mention in mentions:
            if mention.year:
                day = date(mention.year, mention.month, mention.day)
            else:
                anchor = previous or self.reference_date or (anchors[0] if anchors else None)
                if anchor is None:
                    missing.append(mention)
                    continue
                day = _nearest_year(mention.month, mention.day, anchor)
                if day is None:
                    continue
            days[mention.start] = day
            if mention.role != "url":
                previous = day
        if missing:
            self.warn(
                "date_without_year",
                f"{len(missing)} date(s) have no year and the text gives none "
                f'(first: "{self.text[missing[0].start : missing[0].end]}"); '
                "pass reference_date to place them.",
                missing[0].start,
                missing[0].end,
            )
        return days

    def _pair_ranges(self) -> dict[int, tuple[int, str]]:
        """Return {time index: (partner index, role)} for "between X and Y" ranges."""
        partner: dict[int, tuple[int, str]] = {}
        for index in range(len(self.times) - 1):
            first, second = self.times[index], self.times[index + 1]
            if index in partner or self.segment_of(first.start) != self.segment_of(second.start):
                continue
            gap = _RANGE_GAP_RE.fullmatch(self.scan, first.end, second.start)
            if not gap:
                continue
            connector = gap.group("connector").lower()
            opener = _RANGE_OPENER_RE.search(self.scan, max(0, first.start - 25), first.start)
            if connector in {"and", "und", "to", "through", "thru"} and not opener:
                continue
            partner[index] = (index + 1, "start")
            partner[index + 1] = (index, "end")
        return partner

    def warn(
        self, code: str, message: str, start: int | None = None, end: int | None = None
    ) -> None:
        self.warnings.append(ExtractionWarning(code, message, start, end))

    # ------------------------------------------------------------------ dates of times
    def stated_day(self, index: int) -> date | None:
        """Return the date written right next to time `index`, if any."""
        time = self.times[index]
        segment = self.segment_of(time.start)
        for mention in self.dates_in.get(segment or 0, ()):
            if mention.start not in self.days:
                continue
            if mention.start >= time.end and _AFTER_TIME_GAP_RE.fullmatch(
                self.scan, time.end, mention.start
            ):
                return self.days[mention.start]
            if mention.end <= time.start and _BEFORE_TIME_GAP_RE.fullmatch(
                self.scan, mention.end, time.start
            ):
                return self.days[mention.start]
        return None

    def later_sentence_day(self, index: int) -> DateMention | None:
        time = self.times[index]
        for mention in self.dates_in.get(self.segment_of(time.start) or 0, ()):
            if mention.start >= time.end and mention.start in self.days:
                return mention
        return None

    def zone_for(self, index: int, carried: ZoneSpec | None) -> tuple[ZoneSpec, str]:
        time = self.times[index]
        if time.zone:
            return time.zone, "stated"
        if index in self.partner and self.times[self.partner[index][0]].zone:
            return self.times[self.partner[index][0]].zone, "stated"  # type: ignore[return-value]
        if self.declared_zone:
            return self.declared_zone, "declared"
        if carried:
            return carried, "carried"
        if self.default_zone:
            return self.default_zone, "default"
        if self.language == "de":
            return _GERMAN_DEFAULT_ZONE, "language"
        return _UTC_ZONE, "fallback"

    def context_day(self) -> date | None:
        """Return the incident date the text's cited sources point at, if any."""
        if not self.url_days:
            return None
        if self.publication_days:
            before = [d for d in self.url_days if d <= self.publication_days[0]]
            if before:
                return before[-1]
        return self.url_days[0]

    # ------------------------------------------------------------------ the reading pass
    def place_times(self) -> None:
        context = _Context()
        carried_zone: ZoneSpec | None = None
        previous: _Moment | None = None
        applied: set[int] = set()
        undated: list[TimeMention] = []
        items: list[tuple[int, int, object]] = [(d.start, 0, d) for d in self.dates]
        items += [(t.start, 1, i) for i, t in enumerate(self.times)]
        items += [(r.start, 2, r) for r in self.relatives]
        items.sort(key=lambda item: (item[0], item[1]))
        handled: set[int] = set()
        for _, tag, payload in items:
            if tag == 0:
                mention = payload  # type: ignore[assignment]
                assert isinstance(mention, DateMention)
                if mention.start in applied or mention.start not in self.days:
                    continue
                day = self.days[mention.start]
                segment = self.segment_of(mention.start) or 0
                if day != context.day:
                    context = _Context(day, self.segments[segment].paragraph, segment)
                continue
            if tag == 2:
                relative = payload
                assert isinstance(relative, RelativeMention)
                moment = self._place_relative(relative, previous)
                if moment:
                    self.moments.append(moment)
                    previous = moment
                    context.last, context.last_paragraph = moment.at, self._paragraph(moment)
                    if context.day is not None and moment.local_day > context.day:
                        context.day = moment.local_day
                continue
            index = payload
            assert isinstance(index, int)
            if index in handled:
                continue
            indexes = [index]
            if index in self.partner and self.partner[index][1] == "start":
                indexes.append(self.partner[index][0])
            placed = self._place_group(indexes, context, carried_zone, applied)
            handled.update(indexes)
            if placed is None:
                undated.extend(self.times[i] for i in indexes)
                continue
            for moment in placed:
                self.moments.append(moment)
                previous = moment
                if moment.zone_basis == "stated":
                    carried_zone = moment.zone
            last = placed[-1]
            context.last, context.last_paragraph = last.at, self._paragraph(last)
            if len(placed) == 2 and placed[0].local_day != placed[1].local_day:
                context.window = (placed[0], placed[1])
        if undated:
            listing = ", ".join(f'"{self.text[t.start : t.end]}"' for t in undated[:5])
            self.warn(
                "time_without_date",
                f"{len(undated)} time(s) cannot be tied to any date and were not turned into "
                f"events: {listing}. Pass reference_date if the text's date is known.",
                undated[0].start,
                undated[0].end,
            )

    def _paragraph(self, moment: _Moment) -> int:
        return self.segments[moment.segment].paragraph

    def _place_group(
        self,
        indexes: list[int],
        context: _Context,
        carried_zone: ZoneSpec | None,
        applied: set[int],
    ) -> list[_Moment] | None:
        zones = [self.zone_for(i, carried_zone) for i in indexes]
        stated = [self.stated_day(i) for i in indexes]
        first = self.times[indexes[0]]
        segment = self.segment_of(first.start) or 0
        paragraph = self.segments[segment].paragraph
        # A range whose start has no date of its own takes the end's date (the day before
        # when the clock says the range ran over midnight).
        if len(indexes) == 2 and stated[0] is None and stated[1] is not None:
            end_at = self._utc(stated[1], indexes[1], zones[1][0])
            start_at = self._utc(stated[1], indexes[0], zones[0][0])
            stated[0] = stated[1] - timedelta(days=1) if start_at > end_at else stated[1]
        placed: list[_Moment] = []
        for position, index in enumerate(indexes):
            time = self.times[index]
            zone, zone_basis = zones[position]
            role = None if len(indexes) == 1 else ("start", "end")[position]
            ambiguous = False
            day = stated[position]
            basis = "stated"
            if day is None and position == 1 and placed:
                day, basis, ambiguous = self._range_end_day(placed[0], index, zone)
            if day is None:
                later = self.later_sentence_day(index) if context.segment != segment else None
                if later is not None and context.segment != segment:
                    day, basis = self.days[later.start], "sentence"
                    applied.add(later.start)
                    context.day, context.paragraph, context.segment = day, paragraph, segment
                    context.last = None
                elif context.day is not None:
                    day, basis, ambiguous = self._carry(index, zone, context, paragraph, segment)
                else:
                    fallback = self._fallback_day(index)
                    if fallback is None:
                        return None
                    day, basis = fallback
            elif position == 0 or stated[position] is not None:
                for mention in self.dates_in.get(segment, ()):
                    if self.days.get(mention.start) == day:
                        applied.add(mention.start)
                if day != context.day:
                    context.day, context.paragraph, context.segment = day, paragraph, segment
                    context.last = None
            moment = _Moment(
                at=self._utc(day, index, zone),
                local_day=day,
                hour=time.hour,
                minute=time.minute,
                precision=time.precision,
                zone=zone,
                zone_basis=zone_basis,
                date_basis=basis,
                mention_start=time.start,
                mention_end=time.end,
                segment=segment,
                range_role=role,
                ambiguous=ambiguous,
            )
            if summer_mismatch(day, time.hour, time.minute, zone):
                self.warn(
                    "zone_label_mismatch",
                    f'"{self.text[time.start : time.end]}" names '
                    f"{'summer' if zone.summer else 'standard'} time, but {zone.name} was not "
                    f"on it on {day.isoformat()}; read with the zone's real offset.",
                    time.start,
                    time.end,
                )
            placed.append(moment)
            if basis in {"carried", "rollover", "sentence"} and context.day is not None:
                context.last, context.last_paragraph = moment.at, paragraph
        return placed

    def _utc(self, day: date, index: int, zone: ZoneSpec) -> datetime:
        time = self.times[index]
        return to_utc(day, time.hour, time.minute, zone)

    def _range_end_day(self, start: _Moment, index: int, zone: ZoneSpec) -> tuple[date, str, bool]:
        day = start.local_day
        end_at = self._utc(day, index, zone)
        if end_at >= start.at:
            return day, start.date_basis, False
        back = start.at - end_at
        time = self.times[index]
        if back >= ROLLOVER_POSSIBLE:
            ambiguous = back < ROLLOVER_CERTAIN
            if ambiguous:
                self._warn_ambiguous(index, start.at, back)
            return day + timedelta(days=1), "rollover", ambiguous
        self.warn(
            "contradictory_times",
            f'The range ending "{self.text[time.start : time.end]}" ends before it starts '
            f'("{self.text[start.mention_start : start.mention_end]}").',
            start.mention_start,
            time.end,
        )
        return day, start.date_basis, False

    def _warn_ambiguous(self, index: int, previous_at: datetime, back: timedelta) -> None:
        time = self.times[index]
        hours = back.total_seconds() / 3600
        self.warn(
            "ambiguous_rollover",
            f'"{self.text[time.start : time.end]}" is {hours:.1f} h before the previous time '
            f"({previous_at:%Y-%m-%d %H:%M} UTC); read as the next day, but it may be a "
            "flashback on the same day.",
            time.start,
            time.end,
        )

    def _carry(
        self, index: int, zone: ZoneSpec, context: _Context, paragraph: int, segment: int
    ) -> tuple[date, str, bool]:
        assert context.day is not None
        day = context.day
        basis = "sentence" if context.segment == segment else "carried"
        historical = self._historical_override(context, paragraph)
        if historical is not None:
            time = self.times[index]
            self.warn(
                "date_inferred",
                f'"{self.text[time.start : time.end]}" has no date of its own; the last date '
                f"stated ({day.isoformat()}) is far from the incident the cited sources "
                f"describe, so it was placed on {historical.isoformat()}.",
                time.start,
                time.end,
            )
            return historical, "context", False
        if context.window is not None:
            # An undated time after a two-day range goes on whichever of its days puts it
            # inside the range; when neither or both do, the usual carrying applies.
            opening, closing = context.window
            fitting = [
                d
                for d in (opening.local_day, closing.local_day)
                if opening.at <= self._utc(d, index, zone) <= closing.at
            ]
            if len(fitting) == 1:
                context.day = fitting[0]
                return fitting[0], basis, False
        candidate = self._utc(day, index, zone)
        if context.last is not None and candidate < context.last:
            back = context.last - candidate
            same_paragraph = context.last_paragraph == paragraph
            if back >= ROLLOVER_CERTAIN or (back >= ROLLOVER_POSSIBLE and same_paragraph):
                ambiguous = back < ROLLOVER_CERTAIN
                if ambiguous:
                    self._warn_ambiguous(index, context.last, back)
                context.day = day + timedelta(days=1)
                return context.day, "rollover", ambiguous
            return day, basis, False
        following = self._next_stated(index, paragraph)
        if following is not None and candidate > following:
            earlier = self._utc(day - timedelta(days=1), index, zone)
            if earlier <= following and following - earlier <= ROLLOVER_CERTAIN:
                # "At 11:48 PM, … At 12:38 AM on October 20": the undated time belongs to
                # the evening before the next dated one, not to the carried day.
                return day - timedelta(days=1), basis, False
        return day, basis, False

    def _historical_override(self, context: _Context, paragraph: int) -> date | None:
        """Return the cited-source date when the carried date is a digression.

        A news article about one outage may mention an older one ("Am 7. Dezember 2021 …").
        That date binds the times of its own paragraph; a time in a later paragraph with
        no date of its own belongs to the incident the article's cited sources and
        publication date point at, if those agree with each other and not with the
        carried date.
        """
        target = self.context_day()
        if target is None or context.day is None or context.paragraph == paragraph:
            return None
        anchors = [*self.url_days, *self.publication_days]
        if all(abs(context.day - anchor) > INCIDENT_GAP for anchor in anchors):
            return target
        return None

    def _next_stated(self, index: int, paragraph: int) -> datetime | None:
        for other in range(index + 1, len(self.times)):
            segment = self.segment_of(self.times[other].start)
            if segment is None or self.segments[segment].paragraph != paragraph:
                return None
            day = self.stated_day(other)
            if day is not None:
                zone, _ = self.zone_for(other, None)
                return self._utc(day, other, zone)
        return None

    def _fallback_day(self, index: int) -> tuple[date, str] | None:
        time = self.times[index]
        if self.reference_date is not None:
            return self.reference_date, "reference"
        context = self.context_day() or (
            self.publication_days[0] if self.publication_days else None
        )
        if context is not None:
            self.warn(
                "date_inferred",
                f'"{self.text[time.start : time.end]}" has no date in the text before it; '
                f"placed on {context.isoformat()}, the date of the article's sources or "
                "publication.",
                time.start,
                time.end,
            )
            return context, "context"
        later = [m for m in self.dates if m.start > time.start and m.start in self.days]
        if later:
            return self.days[later[0].start], "carried"
        return None

    def _place_relative(
        self, relative: RelativeMention, previous: _Moment | None
    ) -> _Moment | None:
        if previous is None:
            self.warn(
                "relative_without_anchor",
                f'"{self.text[relative.start : relative.end]}" follows no stated time.',
                relative.start,
                relative.end,
            )
            return None
        at = previous.at + relative.offset
        local = at.astimezone(previous.zone.tzinfo())
        precise = previous.precision == "minute" and not relative.hedged
        return _Moment(
            at=at,
            local_day=local.date(),
            hour=local.hour,
            minute=local.minute,
            precision="minute" if precise else "approximate",
            zone=previous.zone,
            zone_basis=previous.zone_basis,
            date_basis="relative",
            mention_start=relative.start,
            mention_end=relative.end,
            segment=self.segment_of(relative.start) or 0,
        )

    # ------------------------------------------------------------------ events
    def build_events(self) -> list[ProposedEvent]:
        self.moments_in: dict[int, list[_Moment]] = {}
        for moment in self.moments:
            self.moments_in.setdefault(moment.segment, []).append(moment)
        events: list[ProposedEvent] = []
        range_kind: dict[int, str] = {}
        for number, moment in enumerate(self.moments):
            region_start, region_end, kind = self._region_and_kind(moment)
            if moment.range_role == "start":
                range_kind[number] = kind
            elif moment.range_role == "end" and number - 1 in range_kind:
                start_kind = range_kind[number - 1]
                kind = (
                    "recovery"
                    if start_kind in {"impact", "trigger", "detection", "note"}
                    else start_kind
                )
            self.kinds.append(kind)
            events.append(
                ProposedEvent(
                    at=moment.at,
                    precision=moment.precision,
                    kind=kind,
                    services=self.matcher.services_in(self.scan, region_start, region_end),
                    quote=self.text[region_start:region_end],
                    start=region_start,
                    end=region_end,
                    confidence=_confidence(moment, kind),
                    source_timezone=moment.zone.name,
                    range_role=moment.range_role,
                    date_basis=moment.date_basis,
                )
            )
        return events

    def _region_and_kind(self, moment: _Moment) -> tuple[int, int, str]:
        segment = self.segments[moment.segment]
        if self._is_bare(moment.segment):
            start, end = self._bare_region(moment.segment)
            kind = status_kind(self.scan, start, end)
            if kind is None:
                kind, _ = choose_kind(find_cues(self.scan, start, end), start, end)
            return start, end, kind
        cues = self._cues(moment.segment)
        anchors = self._anchors(moment.segment)
        anchor = next(a for a in anchors if a[0] <= moment.mention_start < a[1])
        others = [a for a in anchors if a != anchor]
        kind, _ = choose_kind(cues, anchor[0], anchor[1], others)
        return segment.start, segment.end, kind

    def _cues(self, index: int) -> list[Cue]:
        if index not in self._cue_cache:
            segment = self.segments[index]
            self._cue_cache[index] = find_cues(self.scan, segment.start, segment.end)
        return self._cue_cache[index]

    def _anchors(self, segment_index: int) -> list[tuple[int, int]]:
        """Return the spans of the times in a segment; both ends of a range are one span."""
        spans: list[tuple[int, int]] = []
        for moment in self.moments_in.get(segment_index, ()):
            if moment.range_role == "end" and spans:
                spans[-1] = (spans[-1][0], moment.mention_end)
            else:
                spans.append((moment.mention_start, moment.mention_end))
        return spans

    def _is_bare(self, index: int) -> bool:
        """Return True for a timestamp line ("Oct 20, 07:11 UTC") with no words of its own."""
        if index in self._bare_cache:
            return self._bare_cache[index]
        segment = self.segments[index]
        chars = list(self.scan[segment.start : segment.end])
        for mention in (*self.times_in.get(index, ()), *self.dates_in.get(index, ())):
            for position in range(mention.start, min(mention.end, segment.end)):
                chars[position - segment.start] = " "
        rest = _ZONE_WORD_RE.sub(" ", _BARE_WORDS_RE.sub(" ", "".join(chars)))
        self._bare_cache[index] = sum(ch.isalpha() for ch in rest) < 3
        return self._bare_cache[index]

    def _bare_region(self, index: int) -> tuple[int, int]:
        """Return the status-page entry a bare timestamp line stamps."""
        # Status pages write the entry first and stamp it below ("Resolved - …" then
        # "Oct 20, 22:53 UTC"); some stamp first and write below, with a blank line between.
        segment = self.segments[index]
        same_block = self._block_members(index)
        if same_block[0] < index:
            return self.segments[same_block[0]].start, segment.end
        after = [i for i in same_block if i > index]
        if not after and index + 1 < len(self.segments):
            after = [i for i in self._block_members(index + 1) if not self._is_bare(i)]
        if after:
            return segment.start, self.segments[after[-1]].end
        return segment.start, segment.end

    def _block_members(self, index: int) -> list[int]:
        """Return the indexes of the segments in the same block as segment `index`."""
        block = self.segments[index].block
        first = last = index
        while first > 0 and self.segments[first - 1].block == block:
            first -= 1
        while last + 1 < len(self.segments) and self.segments[last + 1].block == block:
            last += 1
        return list(range(first, last + 1))

    def day_events(self, timed_days: set[date]) -> list[ProposedEvent]:
        """Return date-only events: a date with a clear cue and no time in its sentence."""
        events: list[ProposedEvent] = []
        busy = {self.segment_of(t.start) for t in self.times}
        busy |= {self.segment_of(r.start) for r in self.relatives}
        seen: set[int] = set()
        for mention in self.dates:
            index = self.segment_of(mention.start)
            if index is None or index in busy or index in seen or mention.start not in self.days:
                continue
            seen.add(index)
            day = self.days[mention.start]
            if day in timed_days:
                continue  # the same day has precise times; a day event would repeat them
            segment = self.segments[index]
            cues = [c for c in self._cues(index) if c.weight >= 1]
            if not cues:
                continue
            kind, _ = choose_kind(cues, mention.start, mention.end)
            events.append(
                ProposedEvent(
                    at=datetime(day.year, day.month, day.day, tzinfo=UTC),
                    precision="day",
                    kind=kind,
                    services=self.matcher.services_in(self.scan, segment.start, segment.end),
                    quote=self.text[segment.start : segment.end],
                    start=segment.start,
                    end=segment.end,
                    confidence=0.5,
                    source_timezone="UTC",
                    date_basis="stated",
                )
            )
        return events

    # ------------------------------------------------------------------ checks
    def check_zones(self) -> None:
        assumed = [m for m in self.moments if m.zone_basis in {"language", "fallback"}]
        for zone_name in sorted({m.zone.name for m in assumed}):
            group = [m for m in assumed if m.zone.name == zone_name]
            listing = ", ".join(
                f'"{self.text[m.mention_start : m.mention_end]}"' for m in group[:5]
            )
            why = "the default for German text" if zone_name != "UTC" else "a guess"
            self.warn(
                "time_without_zone",
                f"{len(group)} time(s) have no zone and the text declares none: {listing}; "
                f"read as {zone_name} ({why}).",
                group[0].mention_start,
                group[0].mention_end,
            )

    def check_incidents(self) -> None:
        days = sorted({m.local_day for m in self.moments})
        if len(days) < 2:
            return
        clusters: list[list[date]] = [[days[0]]]
        for day in days[1:]:
            if day - clusters[-1][-1] > INCIDENT_GAP:
                clusters.append([day])
            else:
                clusters[-1].append(day)
        if len(clusters) < 2:
            return
        described = []
        for cluster in clusters:
            example = next(m for m in self.moments if m.local_day in cluster)
            quoted = self.text[example.mention_start : example.mention_end]
            described.append(f'{cluster[0].isoformat()} ("{quoted}")')
        first = next(m for m in self.moments if m.local_day in clusters[1])
        self.warn(
            "multiple_incidents",
            "The text's times fall on dates more than 3 days apart, which suggests more than "
            "one incident: " + "; ".join(described) + ". Split or drop events before saving.",
            first.mention_start,
            first.mention_end,
        )

    def check_order(self) -> None:
        """Flag a recovery that comes before the start it follows in the text."""
        stated = [m for m in self.moments if m.date_basis == "stated"]
        steps = list(itertools.pairwise(stated))
        if steps and sum(b.at < a.at for a, b in steps) > 0.6 * len(steps):
            return  # newest-first status log: the text runs backwards on purpose
        last_start: _Moment | None = None
        for moment, kind in zip(self.moments, self.kinds, strict=True):
            if kind in {"trigger", "impact"} and moment.range_role != "end":
                last_start = moment
                continue
            if kind != "recovery" or last_start is None or moment.range_role == "end":
                continue
            recovery_text = self.text[moment.mention_start : moment.mention_end]
            start_text = self.text[last_start.mention_start : last_start.mention_end]
            if abs(moment.at - last_start.at) <= INCIDENT_GAP:
                if moment.at < last_start.at:
                    self.warn(
                        "contradictory_times",
                        f'The recovery at "{recovery_text}" ({moment.at:%Y-%m-%d %H:%M} UTC) '
                        f'comes before the start at "{start_text}" '
                        f"({last_start.at:%Y-%m-%d %H:%M} UTC) it follows.",
                        last_start.mention_start,
                        moment.mention_end,
                    )
                continue
            if moment.date_basis == "stated":
                continue
            same_day = to_utc(last_start.local_day, moment.hour, moment.minute, moment.zone)
            if same_day < last_start.at:
                self.warn(
                    "contradictory_times",
                    f'The recovery at "{recovery_text}" has no date of its own. Read on the '
                    f"day of the start it follows ({last_start.local_day.isoformat()}, "
                    f'"{start_text}" = {last_start.at:%H:%M} UTC) it comes before that start; '
                    f"read on {moment.local_day.isoformat()} it belongs to another incident.",
                    last_start.mention_start,
                    moment.mention_end,
                )


def _nearest_year(month: int, day: int, anchor: date) -> date | None:
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda d: abs(d - anchor)) if candidates else None


def _confidence(moment: _Moment, kind: str) -> float:
    score = {"minute": 0.85, "hour": 0.75, "approximate": 0.6}.get(moment.precision, 0.5)
    score -= {
        "stated": 0.0,
        "sentence": 0.0,
        "carried": 0.05,
        "rollover": 0.1,
        "relative": 0.1,
        "reference": 0.15,
        "context": 0.3,
    }.get(moment.date_basis, 0.2)
    score -= {"stated": 0.0, "declared": 0.0, "carried": 0.05, "default": 0.05}.get(
        moment.zone_basis, 0.15
    )
    if kind == "note":
        score -= 0.15
    if moment.ambiguous:
        score -= 0.15
    return round(min(0.99, max(0.05, score)), 2)


def _dedupe(events: list[ProposedEvent]) -> list[ProposedEvent]:
    """Drop a repeat of a moment already proposed (summary and timeline both name it)."""
    kept: list[ProposedEvent] = []
    seen: set[tuple[datetime, str, str]] = set()
    for event in events:
        key = (event.at, event.precision, _KIND_GROUP.get(event.kind, event.kind))
        if key in seen:
            continue
        seen.add(key)
        kept.append(event)
    return kept


def _zone_from_name(name: str) -> ZoneSpec:
    spec = spec_from_label(name)
    if spec is not None:
        return spec
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone: {name!r}") from error
    return ZoneSpec(name, None, name)


def extract_timeline(
    text: str,
    *,
    catalogue: Sequence[CatalogueEntry] = (),
    language: str | None = None,
    default_timezone: str | None = None,
    reference_date: date | None = None,
) -> Extraction:
    """Return the events and warnings a reviewer should see for an outage write-up.

    `language` ("de"/"en") skips detection. `default_timezone` (IANA name or an
    abbreviation such as "PT") applies to times with no zone when the text declares none.
    `reference_date` dates times in a text that states no date at all.
    """
    if language not in (None, "de", "en"):
        raise ValueError(f"unsupported language: {language!r}")
    prepared = prepare_text(text)
    run = _Run(
        text=text,
        prepared=prepared,
        language=language or detect_language(prepared.scan),
        matcher=ServiceMatcher(catalogue),
        default_zone=_zone_from_name(default_timezone) if default_timezone else None,
        reference_date=reference_date,
    )
    run.place_times()
    timed = run.build_events()
    run.check_zones()
    run.check_incidents()
    run.check_order()
    timed_days = {m.local_day for m in run.moments} | {m.at.date() for m in run.moments}
    events = _dedupe(timed + run.day_events(timed_days))
    role_order = {"start": 0, None: 1, "end": 2}
    events.sort(key=lambda e: (e.start, role_order[e.range_role], e.at))
    warnings = sorted(run.warnings, key=lambda w: (w.start if w.start is not None else -1, w.code))
    return Extraction(language=run.language, events=tuple(events), warnings=tuple(warnings))


def extraction_to_json(extraction: Extraction) -> dict[str, object]:
    """Return the dry-run JSON form of an extraction (what the import command prints)."""
    return {
        "language": extraction.language,
        "events": [
            {
                "at": event.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "precision": event.precision,
                "kind": event.kind,
                "services": list(event.services),
                "quote": event.quote,
                "start": event.start,
                "end": event.end,
                "confidence": event.confidence,
            }
            for event in extraction.events
        ],
        "warnings": [
            {"code": warning.code, "message": warning.message} for warning in extraction.warnings
        ],
    }
