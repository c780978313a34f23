"""Step 4: placed moments become proposed events, each quoting the text that reports it.

An event quotes its sentence; a bare status-page stamp ("Oct 20, 07:11 UTC") quotes the
entry it stamps. The kind comes from the cue words nearest the time (`kinds`), the
services from the catalogue and the product vocabulary (`products`). A sentence with a
date, a clear cue and no time becomes a date-only event.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from .context import DayMention, DocumentContext
from .kinds import TROUBLE_TOLD, WORSE, Cue, choose_kind, find_cues, resolve_changes, status_kind
from .mentions import Mentions
from .model import ProposedEvent, ProposedService
from .placement import INCIDENT_GAP, Moment, stated_evidence
from .products import ServiceMatcher, propose_services
from .relevance import DayCandidate, DocumentDays, Judgement, current_model, record
from .scanning import FastPattern, WordIndex
from .text import PreparedText
from .zones import UTC

_BARE_WORDS = frozenset(
    {"posted", "update", "updated", "at", "on", "um", "am", "uhr", "stand", "aktualisiert"}
    | {"nachtrag"}
)
_BARE_WORDS_RE = re.compile(rf"\b(?:{'|'.join(sorted(_BARE_WORDS))})\b", re.IGNORECASE)
# A run of three letters or more: one that is neither a stamp's word nor a zone makes a line
# prose, without the two substitutions (most sentences are told by their first word).
_LETTER_RUN_RE = re.compile(r"[^\W\d_]{3,}")
# How far the entry under a dated heading may reach.
_ENTRY_REACH = 1500
# At most this many characters between a time and the date written with it ("on ", ", ").
_DATE_GAP = 5
_ZONE_WORD_RE = re.compile(r"\b[A-Z]{1,5}\b")
_FUTURE_RE = re.compile(
    # Not "higher-than-expected demand" nor "not working as expected": a comparison.
    r"\b(?:(?<!than[\s-])(?<!\bas\s)expect\w*|will\s+(?:be|have)|would\s+(?:be|remain|stay)|plan(?:s|ned)?\s+to|going\s+to|estimated?|ETA|no\s+later\s+than|"
    r"planned|scheduled|voraussichtlich|geplant|erwartet|soll(?:en)?|"
    # A guess or a hope: "die Einschränkungen gelten noch mindestens bis zum 9. Dezember",
    # "rechnet damit, dass erst am Donnerstag …", "geht davon aus, dass …", "der Handel
    # könnte am Freitag wieder aufgenommen werden". Not "könnten" nor "man rechne damit", as
    # often a statement reported ("E-Mails könnten nicht verschickt werden, teilte die
    # Hochschule am Donnerstag mit"), nor "might", as often a hedge beside a moment told.
    r"könnte\b|mindestens\s+bis|rechne[nt]\s+(?:\S+\s+){0,2}?damit|"
    r"geh(?:t|en)\s+(?:\S+\s+){0,2}?davon\s+aus|"
    # A deadline or a day still to come: "comments are due on or before June 16", "Strafen
    # würden erst ab dem 1. März fällig", "will give away free data next Sunday".
    r"(?:is|are)\s+due|due\s+(?:on|by|before)|on\s+or\s+before|deadline|fällig|Frist|"
    r"(?:next|kommende[nm]?|nächste[nm]?)\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|"
    r"(?:next|kommende[nm]?|nächste[nm]?)\s+(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|"
    r"Samstag|Sonntag))\b",
    re.IGNORECASE,
)
_FAST_FUTURE = FastPattern(_FUTURE_RE)
# A sentence about another incident, told for comparison: "had suffered a similar outage",
# "It follows a major outage at Barclays that started on Friday", "In June last year",
# "Separately, …", "Schon am Montag hatte Lync nicht funktioniert", "fielen damals … aus".
# Its days are that incident's, not this one's.
# Every alternative but "Separately" opens a word, so it is tried at the sentence's words
# only (`FastPattern`); "Separately" counts where it opens the sentence (matched there).
_OTHER_INCIDENT_RE = re.compile(
    r"(?<!after\sa\s)\bsimilar\s+(?:outage|problem|failure|disruption|incident|glitch)|"
    r"\b(?:follows|comes\s+after|came\s+after)\s+(?:an?|the)\s+(?:\w+\s+){0,2}(?:outage|"
    r"failure|disruption|incident|glitch)|\blast\s+year\b|\bearlier\s+this\s+(?:year|month)|"
    r"\bdamals\b|\b(?-i:Bereits|Schon)\s+(?:\S+\s+){0,4}hatte\b|"
    r"\b(?-i:Erst)\s+am\s+(?:\w+\s+){1,2}hatte\b|"
    # "On May 25, it grounded its planes when the system had a separate issue", "It is not the
    # exchange's first glitch this year: on Aug 23, …", "a comparable attack hit a university",
    # "Four years ago (on 24 Dec. 2004), …".
    r"\ba\s+separate\s+(?:issue|outage|problem|failure|incident|glitch)|"
    r"\bnot\s+(?:the\s+)?(?:\S+\s+){0,2}?first\s+(?:\w+\s+)?(?:glitch|outage|failure|incident|"
    r"problem|disruption)|\bcomparable\s+(?:attack|outage|failure|incident|disruption)|"
    r"\b(?:years?|months?)\s+ago\b",
    re.IGNORECASE,
)
_FAST_OTHER_INCIDENT = FastPattern(_OTHER_INCIDENT_RE)
# A date that bounds how long a measure or a forecast lasts: "declaring court offices
# inaccessible until Sunday, October 15", "will keep its factories closed until at least
# Oct. 1", "customers might be without power until Friday", "offering rebooking through
# Sunday", "eventuell bis Samstag ohne Strom". It is a deadline, not a moment: nothing is
# said to happen that day. ("lasted until August 12", "unable to resume until Tuesday", "bis
# Montagabend beseitigt" tell what happened, with no forecast or order before them.)
_SPAN_END_BEFORE_RE = re.compile(
    r"\b(?:until|till|through|thru|bis(?:\s+(?:zum|zur|in\s+den))?)\s+"
    r"(?:(?:at\s+least|mindestens|(?:the\s+)?(?:early|late|end\s+of)|the)\s+)*$",
    re.IGNORECASE,
)
_SPAN_END_REACH = 40
# What makes the span a forecast, a plan or an order, in its clause before "until".
_BOUNDED_MEASURE_RE = re.compile(
    r"\b(?:will|would|might|(?-i:may)|won['’]t|eventuell|voraussichtlich|möglicherweise|"
    r"declar\w*|order(?:s|ed|ing)?|offer(?:s|ed|ing)?)\b",
    re.IGNORECASE,
)
# How far back in the clause that word may stand.
_BOUNDED_MEASURE_REACH = 90
_CLAUSE_BREAK_RE = re.compile(r"[.;:!?\n]")
_SEPARATELY_RE = re.compile(r"\W*Separately\b", re.IGNORECASE)
# A cue this strong names the moment ("restored", "identified"); below it, a status
# page's state line above the update says more.
_CLEAR_CUE = 2.0
# Right before a time, the word that makes it the far end of a span: "… to 9:30 AM".
_SPAN_END_RE = re.compile(
    r"(?:\b(?:to|until|till|through)|\bbis)(?:\s+(?:about|around|approximately|roughly|"
    r"etwa|gegen|ca\.))?\s+(?:(?:on\s+)?(?:\w+\s+){0,2}\d{1,2},?\s+(?:\(\w+\)\s+)?)?$",
    re.IGNORECASE,
)
_SEMICOLON_RE = re.compile(";")
_CLAUSE_OPENER_RE = re.compile(
    r"\b(?:and|und|then|dann|while|während)\s+(?:(?:at|by|around|about|um|gegen|bis)\s+)?$",
    re.IGNORECASE,
)
_CLAUSE_MARKS_RE = re.compile("[;,]")
# "Between 02:25 and 02:55, this steadily slowed down the queue": a gradual worsening.
_GRADUAL_RE = re.compile(
    r"\b(?:steadily|gradually|increasingly|progressively|zunehmend|allmählich|immer\s+mehr)\b",
    re.IGNORECASE,
)
_WORSE_VERB_RE = re.compile(
    r"\b(?:slow(?:ed|ing)?\s+down|slowed|degrad\w+|gr[eo]w\w*|increas\w+|r[io]s(?:e|ing)|"
    r"climb\w*|worsen\w*|backed\s+up|piled\s+up|verlangsamt\w*|stieg\w*|wuchs|nahm\w*\s+zu)\b",
    re.IGNORECASE,
)
# "After that first fix, a second problem from 18:21 to 21:14 UTC delayed …": a leading
# phrase that looks back at an earlier moment; its words are not this sentence's cue.
_LOOKING_BACK_RE = re.compile(
    r"\W*(?:After|Following|Nach|Im\s+Anschluss\s+an)\s[^,;:\d]{1,60},", re.IGNORECASE
)
# A date this close to a verb of speech dates the statement ("said on Sunday").
_SPEECH_GAP = 40
# German puts the speaker between the verb and the date ("sagte Feuerwehrsprecher Jan
# Feichtenschlager am Donnerstagmorgen der dpa"): after the verb, the date may stand this far.
_SPEAKER_GAP = {"de": 80}
# Work on the fix said to go on ("actively working to restore services"): no fix yet.
_WORK_GOES_ON_RE = re.compile(
    r"\bworking\s+(?:to|on)\b|\barbeite\w*\s+(?:daran|an\b)", re.IGNORECASE
)
# The operator's voice right after a time that opens a log line: "11:22 AM PDT - An
# update: we are …", "10:12 Uhr: Wir arbeiten weiter …" ("we're" opens with "we").
_OWN_VOICE_RE = re.compile(
    r"[\s*_:|–—-]*(?:An?\s+(?:quick\s+|brief\s+)?update\s*:\s*)?(?:we|wir)\b",
    re.IGNORECASE,
)
# "yesterday", "gestern Abend", "in der vergangenen Nacht": a day before the piece was
# written, which tells what happened; "today" is the day the write-up goes out, told as a
# moment in its own words ("planes were held on the ground this morning") but not in a
# quotation, whose speaker may have spoken another day (see `_said_another_day`).
_PAST_DAY_RE = re.compile(
    r"(?:in\s+der\s+)?(?:yesterday|last|gestern|gestrig|vorgestern|vergangen|letzt)",
    re.IGNORECASE,
)
# "today's disruption": a day named as whose a thing is.
_POSSESSIVE_RE = re.compile(r"['’]s\b")
_QUOTE_MARK_RE = re.compile(r'["“”„«»]')
# The writer or the operator speaking: "Today we publish this review", "wir arbeiten heute".
_FIRST_PERSON_RE = re.compile(r"\b(?:[Ww]e|I|[Oo]ur|us|[Ww]ir|[Ii]ch|[Uu]nser\w*)\b")
# Kinds a day counted from the story ("the next day") dates: see _day_events.
_COUNTED_ON = frozenset({"recovery", "mitigation"})
# A day counted back ("maintenance carried out the previous day") dates the cause as well.
_COUNTS_BACK_RE = re.compile(r"previous|preceding|before|Vortag|zuvor", re.IGNORECASE)
_KIND_GROUP = {
    "trigger": "start",
    "impact": "start",
    "recovery": "end",
    "mitigation": "end",
}


@dataclass(frozen=True)
class EventSettings:
    matcher: ServiceMatcher
    language: str
    providers: frozenset[str]
    words: WordIndex
    # The caller's reference date (the incident's first day), when it gave one.
    reference: date | None = None


class _Sentences:
    """Per-sentence facts computed once: cues, time spans, bare stamps, blocks."""

    def __init__(
        self, prepared: PreparedText, context: DocumentContext, mentions: Mentions
    ) -> None:
        self.prepared = prepared
        self.scan = prepared.scan
        segments = prepared.segments
        self.spans: dict[int, list[tuple[int, int]]] = {}
        for ref in mentions.times:
            self.spans.setdefault(ref.segment, []).append((ref.mention.start, ref.mention.end))
        self.date_spans: dict[int, list[tuple[int, int]]] = {}
        for day in context.days:
            segment = prepared.segment_of(day.start)
            if segment is not None:
                self.spans.setdefault(segment, []).append((day.start, day.end))
                self.date_spans.setdefault(segment, []).append((day.start, day.end))
        self._cues: dict[int, list[Cue]] = {}
        self._bare: dict[int, bool] = {}
        self._future: dict[int, bool] = {}
        self.block_first: list[int] = []
        self.block_last: list[int] = [0] * len(segments)
        for index, segment in enumerate(segments):
            starts_block = index == 0 or segments[index - 1].block != segment.block
            self.block_first.append(index if starts_block else self.block_first[index - 1])
        for index in range(len(segments) - 1, -1, -1):
            ends_block = (
                index == len(segments) - 1 or segments[index + 1].block != segments[index].block
            )
            self.block_last[index] = index if ends_block else self.block_last[index + 1]

    def with_dates(self, index: int, start: int, end: int) -> tuple[int, int]:
        """Widen a time's span over the date written right next to it.

        "began at 2024-05-02 09:05 and ended at 2024-05-02 11:15": "ended" is nearer the
        first time than the second unless each time counts with its date.
        """
        for date_start, date_end in self.date_spans.get(index, ()):
            if 0 <= start - date_end <= _DATE_GAP:
                start = date_start
            elif 0 <= date_start - end <= _DATE_GAP:
                end = date_end
        return start, end

    def barriers(self, index: int, *, clauses: bool = False) -> list[int]:
        """Return where the sentence breaks into clauses (";", and "," when `clauses`)."""
        segment = self.prepared.segments[index]
        marks = _CLAUSE_MARKS_RE if clauses else _SEMICOLON_RE
        return [m.start() for m in marks.finditer(self.scan, segment.start, segment.end)]

    def cues(self, index: int) -> list[Cue]:
        if index not in self._cues:
            segment = self.prepared.segments[index]
            self._cues[index] = find_cues(
                self.scan, segment.start, segment.end, self.prepared.words
            )
        return self._cues[index]

    def is_bare(self, index: int) -> bool:
        """Return True for a timestamp line ("Oct 20, 07:11 UTC") with no words of its own."""
        if index not in self._bare:
            segment = self.prepared.segments[index]
            pieces: list[str] = []
            cursor = segment.start
            for start, end in sorted(self.spans.get(index, ())):
                start, end = max(start, cursor), min(end, segment.end)
                if start < end:
                    pieces += [self.scan[cursor:start], " " * (end - start)]
                    cursor = end
            pieces.append(self.scan[cursor : segment.end])
            rest = "".join(pieces)
            if any(
                run.group().lower() not in _BARE_WORDS and not _ZONE_WORD_RE.fullmatch(run.group())
                for run in _LETTER_RUN_RE.finditer(rest)
            ):
                self._bare[index] = False
            else:
                rest = _ZONE_WORD_RE.sub(" ", _BARE_WORDS_RE.sub(" ", rest))
                self._bare[index] = sum(map(str.isalpha, rest)) < 3
        return self._bare[index]

    def bare_region(self, index: int) -> tuple[int, int]:
        """Return the status-page entry a bare timestamp line stamps."""
        # Status pages write the entry first and stamp it below ("Resolved - …" then
        # "Oct 20, 22:53 UTC"); some stamp first and write below, with a blank line between.
        segments = self.prepared.segments
        segment = segments[index]
        first, last = self.block_first[index], self.block_last[index]
        if first < index:
            return segments[first].start, segment.end
        if last > index:
            return segment.start, segments[last].end
        if index + 1 < len(segments):
            following = [
                i for i in range(index + 1, self.block_last[index + 1] + 1) if not self.is_bare(i)
            ]
            if following:
                return segment.start, segments[following[-1]].end
        return segment.start, segment.end

    def is_future(self, position: int) -> bool:
        """Return True when the sentence at `position` speaks of a plan or a forecast."""
        index = self.prepared.segment_of(position)
        if index is None:
            return False
        if index not in self._future:
            segment = self.prepared.segments[index]
            self._future[index] = bool(
                _FAST_FUTURE.search(self.scan, self.prepared.words, segment.start, segment.end)
            )
        return self._future[index]

    def entry_below(self, index: int) -> tuple[int, int]:
        """Return a dated heading and the text under it, up to the next stamp or heading."""
        segments = self.prepared.segments
        last = index
        while (
            last + 1 < len(segments)
            and not self.is_bare(last + 1)
            and segments[last + 1].end - segments[index].start <= _ENTRY_REACH
        ):
            last += 1
        return segments[index].start, segments[last].end


def build_events(
    text: str,
    prepared: PreparedText,
    context: DocumentContext,
    mentions: Mentions,
    moments: tuple[Moment, ...],
    settings: EventSettings,
) -> tuple[tuple[ProposedEvent, ...], tuple[str, ...]]:
    """Return the proposed events in text order, and the kind read for each moment."""
    sentences = _Sentences(prepared, context, mentions)
    anchors_in: dict[int, list[tuple[int, int]]] = {}
    for moment in moments:
        spans = anchors_in.setdefault(moment.segment, [])
        start, end = sentences.with_dates(moment.segment, moment.mention_start, moment.mention_end)
        if moment.range_role == "end" and spans:
            # Both ends of a range are one span: the cues around it describe the range.
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    events: list[ProposedEvent] = []
    kinds: list[str] = []
    start_kind: str | None = None
    previous: Moment | None = None
    # The moments in text order with their starts, so a stamp finds those under it by
    # bisection (`_stamps_other_moments`).
    ordered = sorted(moments, key=lambda m: m.mention_start)
    by_start = (ordered, [m.mention_start for m in ordered])
    for moment in moments:
        region_start, region_end, kind = _region_and_kind(sentences, anchors_in, moment)
        if sentences.is_bare(moment.segment) and _stamps_other_moments(
            sentences, by_start, moment, region_start, region_end
        ):
            # "5:47 PM PST" over "Starting at 9:00 AM PST … to 9:30 AM PST, users had
            # trouble": the entry dates its own moments; the stamp is the post going out.
            kind = "communication"
        if moment.range_role is None and _ends_a_span(sentences, previous, moment):
            # "Starting at 9:00 AM on Monday, February 26 to 9:30 AM": the far end of a span
            # the reader did not take as one range, since a date or a clause sits inside it.
            start_kind = kinds[-1]
        if moment.range_role == "start":
            start_kind = kind
        elif start_kind is not None and (
            moment.range_role == "end" or _ends_a_span(sentences, previous, moment)
        ):
            # A range of a state that goes on ("still degraded") ends as it began; one over
            # which things got steadily worse ends worse, not recovered.
            kind = (
                "recovery"
                if start_kind in {"impact", "trigger", "detection", WORSE}
                else start_kind
            )
            if kind == "recovery" and _worsening(sentences, moment.segment):
                kind = "escalation"
        kinds.append(kind)
        previous = moment
        events.append(
            _event(
                text,
                sentences.scan,
                settings,
                at=moment.at,
                precision=moment.precision,
                kind=kind,
                region=(region_start, region_end),
                confidence=_confidence(moment, kind),
                source_timezone=moment.zone.name,
                range_role=moment.range_role,
                date_basis=moment.date_basis,
                date_evidence=moment.date_evidence,
                zone_basis=moment.zone_basis,
                zone_evidence=moment.zone_evidence,
            )
        )
    events += _day_events(
        text, sentences, context, mentions, moments, _timed_days(moments, kinds), settings
    )
    resolved = resolve_changes([e.kind for e in events], [e.at for e in events])
    events = [
        replace(e, kind=k) if k != e.kind else e for e, k in zip(events, resolved, strict=True)
    ]
    kinds = resolved[: len(kinds)]
    cache: dict[tuple[int, int], tuple[tuple[str, ...], tuple[ProposedService, ...]]] = {}
    kept = [_with_services(event, sentences.scan, settings, cache) for event in _dedupe(events)]
    role_order = {"start": 0, None: 1, "end": 2}
    kept.sort(key=lambda e: (e.start, role_order[e.range_role], e.at))
    return tuple(kept), tuple(kinds)


def _event(
    text: str,
    scan: str,
    settings: EventSettings,
    *,
    region: tuple[int, int],
    **fields: object,
) -> ProposedEvent:
    """Return an event quoting `region`; its services are named after deduplication."""
    start, end = region
    return ProposedEvent(
        services=(),
        quote=text[start:end],
        start=start,
        end=end,
        **fields,  # type: ignore[arg-type]
    )


def _with_services(
    event: ProposedEvent,
    scan: str,
    settings: EventSettings,
    cache: dict[tuple[int, int], tuple[tuple[str, ...], tuple[ProposedService, ...]]],
) -> ProposedEvent:
    """Return `event` with the catalogue services and the new products its quote names."""
    region = (event.start, event.end)
    if region not in cache:
        services = settings.matcher.services_in(scan, event.start, event.end, settings.words)
        new_services = propose_services(
            scan,
            event.start,
            event.end,
            matcher=settings.matcher,
            known=services,
            language=settings.language,
            words=settings.words,
            providers=settings.providers,
        )
        cache[region] = (services, new_services)
    services, new_services = cache[region]
    return replace(event, services=services, new_services=new_services)


def _worsening(sentences: _Sentences, segment_index: int) -> bool:
    """Return True when a sentence tells of things getting steadily worse."""
    segment = sentences.prepared.segments[segment_index]
    return bool(
        _GRADUAL_RE.search(sentences.scan, segment.start, segment.end)
        and _WORSE_VERB_RE.search(sentences.scan, segment.start, segment.end)
    )


def _stamps_other_moments(
    sentences: _Sentences,
    moments: tuple[Sequence[Moment], list[int]],
    stamp: Moment,
    region_start: int,
    region_end: int,
) -> bool:
    """Return True when the entry a timestamp line stamps states other moments of its own.

    An entry headed by a state ("Resolved - Between 11:49 PM and 2:24 AM …") is that
    state's post, whatever times it recounts.
    """
    scan = sentences.scan
    if status_kind(scan, region_start, region_end) or status_kind(
        scan, region_start, region_end, line=True
    ):
        return False
    by_start, starts = moments
    return any(
        other.segment != stamp.segment and other.at != stamp.at
        for other in by_start[
            bisect.bisect_left(starts, region_start) : bisect.bisect_left(starts, region_end)
        ]
    )


def _ends_a_span(sentences: _Sentences, previous: Moment | None, moment: Moment) -> bool:
    """Return True when `moment` is written as the end of a span that `previous` opens.

    "From July 2 (Sat) 1:35 am (JST) to July 4 (Mon) 3:00 pm", "von 22.33 Uhr am Dienstag
    bis 00.10 Uhr": "to"/"until"/"bis" right before the time, after an earlier time of the
    same sentence.
    """
    if previous is None or previous.segment != moment.segment or moment.range_role is not None:
        return False
    segment = sentences.prepared.segments[moment.segment]
    before = max(segment.start, moment.mention_start - 40)
    return bool(_SPAN_END_RE.search(sentences.scan, before, moment.mention_start))


def _region_and_kind(
    sentences: _Sentences, anchors_in: dict[int, list[tuple[int, int]]], moment: Moment
) -> tuple[int, int, str]:
    segment = sentences.prepared.segments[moment.segment]
    if sentences.is_bare(moment.segment):
        start, end = sentences.bare_region(moment.segment)
        kind = status_kind(sentences.scan, start, end)
        if kind is None:
            # "Posted Mar 14, 2023 - 10:31 PDT" stamps the entry; its words are no cue.
            cues = [
                cue
                for cue in find_cues(sentences.scan, start, end, sentences.prepared.words)
                if (index := sentences.prepared.segment_of(cue.start)) is None
                or not sentences.is_bare(index)
            ]
            kind, score = choose_kind(cues, start, end)
            state = status_kind(sentences.scan, start, end, line=True)
            if state is not None and score < _CLEAR_CUE:
                kind = state
        return start, end, kind
    anchors = anchors_in[moment.segment]
    anchor = next(a for a in anchors if a[0] <= moment.mention_start < a[1])
    others = [a for a in anchors if a != anchor]
    barriers = sentences.barriers(moment.segment)
    if others:
        # "… was deployed and at 3:10 pm all services were back": "and at" opens the clause
        # of the second time, so the cue before it belongs to the first.
        for start, _ in anchors:
            opener = _CLAUSE_OPENER_RE.search(sentences.scan, max(segment.start, start - 24), start)
            if opener:
                barriers.append(opener.start())
    cues = sentences.cues(moment.segment)
    looking_back = _LOOKING_BACK_RE.match(sentences.scan, segment.start, anchor[0])
    if looking_back:
        cues = [cue for cue in cues if cue.start >= looking_back.end()]
    kind, score = choose_kind(
        cues, anchor[0], anchor[1], others, sorted(barriers), scan=sentences.scan
    )
    if moment.range_role == "start" and kind == "note" and score == 0:
        # A window of time with no word for what happened in it ("the window of notable
        # impact ran from 15:11 until 16:48"): in an outage write-up, the outage.
        kind = "impact"
    elif kind == "note" and _own_post(sentences.scan, segment.start, anchor):
        # "9:48 AM PDT We are still pursuing corrective action": a log line in the
        # operator's own voice that only says the work goes on is the post going out.
        kind = "communication"
    return segment.start, segment.end, kind


def _own_post(scan: str, line_start: int, anchor: tuple[int, int]) -> bool:
    """Return True when a time opens its line and the operator speaks right after it.

    A segment already starts past any list marker ("- ", "**", "> "): the segmenter strips
    them (`text._LEADING_MARKER_RE`), so the time opens the line when it opens the segment.
    """
    return anchor[0] == line_start and _OWN_VOICE_RE.match(scan, anchor[1]) is not None


def _day_events(
    text: str,
    sentences: _Sentences,
    context: DocumentContext,
    mentions: Mentions,
    moments: Sequence[Moment],
    timed_days: dict[date, set[str]],
    settings: EventSettings,
) -> list[ProposedEvent]:
    """Return date-only events: a date with a clear cue and no time in its sentence."""
    prepared = sentences.prepared
    events: list[ProposedEvent] = []
    busy = {ref.segment for ref in mentions.times} | {s for _, s in mentions.relatives}
    busy |= mentions.dropped_segments
    seen: set[int] = set()
    proposed_days: set[tuple[date, str]] = set()
    proposed: dict[date, int] = {}
    day_kinds: defaultdict[date, set[str]] = defaultdict(set)
    first_timed = min(moments, key=lambda m: m.at, default=None)
    model = current_model()
    document = DocumentDays.of(
        (mention.day for mention in context.days),
        language=settings.language,
        reference=settings.reference,
        published=context.published.day if context.published else None,
    )
    for mention in sorted((*context.days, *context.day_parts), key=lambda d: d.start):
        if mention.origin == "dateline":
            # A date line under the headline: the write-up, not the incident.
            continue
        index = prepared.segment_of(mention.start)
        if index is None or index in busy or index in seen:
            continue
        if (
            mention.origin == "relative"
            and not _PAST_DAY_RE.match(mention.written)
            and _said_another_day(
                sentences.scan,
                prepared.segments[index].start,
                prepared.segments[index].end,
                mention,
            )
        ):
            continue
        # A paragraph tells a day once, unless it goes on to tell the end of that day's
        # outage (see `_ends_the_day`).
        again = proposed.get(mention.day) == prepared.segments[index].paragraph
        if sentences.is_bare(index):
            if mention.day in proposed:
                # A heading repeats a day already told; its entry is read only once.
                continue
            seen.add(index)
        segment = prepared.segments[index]
        start, end = segment.start, segment.end
        if _FAST_OTHER_INCIDENT.search(
            sentences.scan, prepared.words, start, end
        ) or _SEPARATELY_RE.match(sentences.scan, start, end):
            continue
        if _ends_a_bounded_measure(sentences.scan, mention):
            continue
        # "on Tuesday", "yesterday": a date counted from the publication or the story stays
        # a guess a reviewer can see, as for a time dated that way.
        basis, evidence = stated_evidence(mention)
        if basis == "stated":
            evidence = f'date written in the sentence: "{mention.written}"'
        post = _signed_post(sentences, index, mention)
        if post is not None and any(prepared.segment_of(position) in busy for position in post):
            # The post tells its own times: they are its moments.
            continue
        if post is not None:
            # "— Example Air (@exampleair) March 4, 2024" under a quoted post: the date is
            # the post's, and a post says something on that day even with no cue word.
            start, end = post
            evidence = (
                f'date of the post signed "{sentences.scan[segment.start : mention.end].strip()}"'
            )
            cues = find_cues(sentences.scan, start, end, prepared.words)
        elif (item := _dated_item(sentences, index, mention)) is not None:
            # "- **April 19:** The team notices … Servers reboot.": the date labels the whole
            # list item, whichever of its sentences holds the cue.
            start, end = item
            evidence = f'date labelling the list item: "{mention.written}"'
            cues = find_cues(sentences.scan, start, end, prepared.words)
        elif sentences.is_bare(index):
            # "**Update: April 18, 2022**" over a paragraph: the heading dates that entry.
            start, end = sentences.entry_below(index)
            if (start, end) == (segment.start, segment.end):
                continue
            evidence = f'date from the heading "{mention.written}" over this entry'
            cues = find_cues(sentences.scan, start, end, prepared.words)
        else:
            cues = sentences.cues(index)
        # A plan is not a moment: "we expect all sites to be restored by April 19th".
        # A verb of speech is weak alone but says who spoke when ("TSB said on Tuesday").
        cues = [
            c for c in cues if (c.weight >= 1 or c.reported) and not sentences.is_future(c.start)
        ]
        # Alone it still dates a statement when it stands by the date in the same clause
        # ("Das teilte die Bank am Montag mit"), as `_dates_speech` reads it.
        reported = all(c.reported for c in cues)
        if (
            reported
            and post is None
            and not _dates_speech(sentences.scan, mention, cues, settings.language)
        ):
            cues = []
        told = timed_days.get(mention.day, set())
        future = sentences.is_future(start)
        judgement = Judgement(
            model,
            DayCandidate(
                words=sentences.scan[start:end],
                origin=mention.origin,
                day=mention.day,
                cue_kinds=tuple(c.kind for c in cues),
                reported=bool(cues) and reported,
                future=future,
                post=post is not None,
                timed=bool(told),
                segment=index,
            ),
            document,
        )
        record(judgement)
        # The rules' cue words propose; the model rescues a sentence they have no word for
        # and drops one it finds very unlikely (`relevance`).
        rescued = not cues and post is None
        if rescued and (future or mention.caption):
            # What the text itself says wins over the model: a plan or a forecast is no
            # moment, and a caption's date dates its picture.
            continue
        if rescued and judgement.likely < model.rescue:
            continue
        if not rescued and model.veto > 0 and judgement.likely < model.veto:
            continue
        others = [span for span in sentences.date_spans.get(index, ()) if span[0] != mention.start]
        # With two dates in a sentence, its clauses (commas too) tell whose cue is whose:
        # "errors began on March 3, fully resolving on March 6".
        barriers = sentences.barriers(index, clauses=True) if others else []
        kind = status_kind(sentences.scan, start, end) or (
            # a date is read with its whole sentence: a post's signed date or "said … on
            # Tuesday" dates the statement
            choose_kind(cues, mention.start, mention.end, others, barriers, said_content=False)[0]
            if cues
            else judgement.kind()
        )
        done = kind == "recovery" or (
            kind == "mitigation" and not _WORK_GOES_ON_RE.search(sentences.scan, start, end)
        )
        spoken = post is not None or _dates_speech(sentences.scan, mention, cues, settings.language)
        if again and not _ends_the_day(kind, cues, spoken=spoken, day_kinds=day_kinds[mention.day]):
            continue
        if not done and spoken:
            # "AT&T teilte am Samstag mit, Kunden erhielten eine Gutschrift": the day is when
            # it was said; what was said is no moment of that day, unless it is the fix or
            # the recovery ("said on Saturday that it had restored all services").
            kind = "communication"
        if kind != "trigger" and _earlier_story(mention, first_timed):
            continue
        if (
            mention.origin == "story"
            and kind not in _COUNTED_ON
            and not _COUNTS_BACK_RE.search(mention.written)
        ):
            # "Service was back the next day", "by the following day power had been
            # restored": a story counts on to the end of an outage from the day it began.
            # What else it dates so ("The next day, the two companies named the provider",
            # "am selben Tag verteilte Apple Updates") is as often an aside.
            continue
        day = mention.day
        if (day, kind) in proposed_days:
            continue
        if mention.night:
            # "Seit der vergangenen Nacht …", then "begann gegen 22 Uhr": the night's evening
            # lies on the day before the day it is named by.
            told = told | timed_days.get(day - timedelta(days=1), set())
        # Clock times that already tell the day make its dated sentence a repetition,
        # unless the model is sure it tells a moment of its own.
        if (
            told
            and _repeats_the_times(
                told,
                kind,
                heading=mention.origin in {"heading", "headline"} and post is None,
                spoken=spoken,
            )
            and judgement.likely < model.sure
        ):
            continue
        proposed_days.add((day, kind))
        day_kinds[day].add(kind)
        proposed[day] = prepared.segments[index].paragraph
        events.append(
            _event(
                text,
                sentences.scan,
                settings,
                at=datetime(day.year, day.month, day.day, tzinfo=UTC),
                precision="day",
                kind=kind,
                region=(start, end),
                # a sentence no cue word told is the model's judgement: less sure
                confidence=(0.5 if basis == "stated" else 0.45) - (0.15 if rescued else 0.0),
                source_timezone="UTC",
                date_basis=basis,
                date_evidence=evidence,
                zone_basis="stated",
                zone_evidence="a whole day: no zone needed",
            )
        )
    return events


# "— Example Air (@exampleair) March 4, 2024": the signature an embedded post ends with.
# The parts of a signer's name: words, and the humps of a camel-cased one ("TeamYouTube").
_NAME_PART_RE = re.compile(r"[A-Z0-9][a-z0-9&]*(?:[A-Z](?![a-z]))*|[a-z][a-z0-9&]*")
# How far around a post its write-up may name the signer.
_SIGNER_REACH = 20_000
_NAME_FILLERS = frozenset({"The", "the", "of", "in", "and", "Team", "Support", "News", "AG", "Inc"})
_POST_SIGNATURE_RE = re.compile(r"[—–-]\s*[^\n()]{1,80}\(@\w{1,40}\)\s*$")


def _signed_post(sentences: _Sentences, index: int, mention: DayMention) -> tuple[int, int] | None:
    """Return the post a signature line dates: its own line, or the paragraph above it."""
    segments = sentences.prepared.segments
    segment = segments[index]
    if sentences.scan.find("(@", segment.start, mention.start) < 0:
        return None  # no signature: most dates, found without running the pattern
    signature = _POST_SIGNATURE_RE.search(sentences.scan, segment.start, mention.start)
    if signature is None or not _signer_named_elsewhere(
        sentences.scan, signature.start(), signature.end()
    ):
        return None
    if sentences.scan[segment.start : signature.start()].strip():
        # "… we are back! — Example Air (@exampleair) March 4, 2024": post and signature
        # on one line.
        return segment.start, segment.end
    if index == 0:
        return None
    above = segments[index - 1].paragraph
    first = index - 1
    while first > 0 and segments[first - 1].paragraph == above:
        first -= 1
    return segments[first].start, segment.end


# "- **April 19:** …", "* 19. April: …": a list item opened by its date and a colon; a line
# opened so without a list mark ("November 24: AIIMS issued …") is such an entry too.
_ITEM_DATE_BEFORE_RE = re.compile(r"[\s*_]*(?:[-*•][\s*_]+)?$")
_ITEM_DATE_AFTER_RE = re.compile(r"[*_]*:")


def _dated_item(sentences: _Sentences, index: int, mention: DayMention) -> tuple[int, int] | None:
    """Return the list item a date opens ("- **April 19:** …"), all its sentences."""
    segments = sentences.prepared.segments
    segment = segments[index]
    line_start = sentences.scan.rfind("\n", 0, mention.start) + 1
    if not (
        _ITEM_DATE_BEFORE_RE.fullmatch(sentences.scan, line_start, mention.start)
        and _ITEM_DATE_AFTER_RE.match(sentences.scan, mention.end)
    ):
        return None
    last = index
    while last + 1 < len(segments) and segments[last + 1].paragraph == segment.paragraph:
        last += 1
    if last == index and not sentences.scan[mention.end : segment.end].strip(" *_:"):
        # "13 October 2022:" alone on its line heads the paragraphs below it.
        return None
    return segment.start, segments[last].end


def _signer_named_elsewhere(scan: str, start: int, end: int) -> bool:
    """Return True when the text around a post names its signer outside the signature.

    The company a write-up is about ("— Example Air (@exampleair)", "— TeamExample") is
    named in its prose; a reader whose post is shown as a voice of the crowd is not. The
    write-up is the text around the post, not the whole of a long paste.
    """
    name = scan[start:end].lstrip("—–- ").split("(@", 1)[0]
    parts = _NAME_PART_RE.findall(name)
    # "TeamYouTube" names "YouTube": every run of its capitalised parts is a candidate.
    candidates = {
        "".join(parts[first:last])
        for first in range(len(parts))
        for last in range(first + 1, len(parts) + 1)
    }
    low, high = max(0, start - _SIGNER_REACH), min(len(scan), end + _SIGNER_REACH)
    for candidate in candidates:
        if (len(candidate) < 4 and not candidate.isupper()) or candidate in _NAME_FILLERS:
            continue
        # The plain look first: a name the text never writes needs no pattern compiled.
        if scan.find(candidate, low, start) < 0 and scan.find(candidate, end, high) < 0:
            continue
        # The name opens the pattern, so the engine skips to it in C; the word boundary
        # before it is checked behind it.
        escaped = re.escape(candidate)
        pattern = re.compile(rf"{escaped}(?!\w)(?<!\w{escaped})")
        if pattern.search(scan, low, start) or pattern.search(scan, end, high):
            return True
    return False


def _ends_a_bounded_measure(scan: str, mention: DayMention) -> bool:
    """Return True when a date only bounds a forecast, a plan or an order ("until Friday").

    "Customers might be without power until Friday" tells nothing that happens on Friday;
    "the outage lasted until Friday" does, and has no forecast before its "until".
    """
    span_end = _SPAN_END_BEFORE_RE.search(
        scan, max(0, mention.start - _SPAN_END_REACH), mention.start
    )
    if span_end is None:
        return False
    reach = max(0, span_end.start() - _BOUNDED_MEASURE_REACH)
    clause_start = max(
        (m.end() for m in _CLAUSE_BREAK_RE.finditer(scan, reach, span_end.start())), default=reach
    )
    return _BOUNDED_MEASURE_RE.search(scan, clause_start, span_end.start()) is not None


def _ends_the_day(kind: str, cues: Sequence[Cue], *, spoken: bool, day_kinds: set[str]) -> bool:
    """Return True when a sentence tells that the outage a paragraph dated ended that day.

    "The network failed on Monday morning. … Service came back later on Monday": the end
    is a moment of its own. Another start, another step of the fix or a statement in the
    same paragraph is as often the same moment told again.
    """
    return (
        kind == "recovery"
        and not spoken
        and any(c.weight >= _CLEAR_CUE for c in cues)
        and not any(_KIND_GROUP.get(k) == "end" for k in day_kinds)
    )


def _repeats_the_times(timed_groups: set[str], kind: str, *, heading: bool, spoken: bool) -> bool:
    """Return True when a day event would only repeat what the day's precise times tell.

    A day with times keeps a day event of a kind its times do not tell: "The outage
    began on Monday" over times that only count reports, "service was back by Tuesday
    evening" on a day whose times hold no end, "the company said on Tuesday" beside times
    of the outage. A heading's date ("Postmortem: 7 May") frames those times, and a status
    page seen on a day is no statement of that day unless someone is said to speak.
    """
    if _KIND_GROUP.get(kind, kind) in timed_groups:
        return True
    return heading or (kind == "communication" and not spoken)


def _said_another_day(
    scan: str, sentence_start: int, sentence_end: int, mention: DayMention
) -> bool:
    """Return True when a "today" of the write-up may be another day than its own.

    "Southwest planes were held on the ground this morning" is the day the piece went out;
    "today's disruption" in a quoted statement or a quoted post is the day its speaker
    spoke, "today's best tweet" names a column, not a moment, and "Today we publish this
    review" is the write-up itself.
    """
    if _POSSESSIVE_RE.match(scan, mention.end) or _FIRST_PERSON_RE.search(
        scan, sentence_start, sentence_end
    ):
        return True
    quoted = False
    for mark in _QUOTE_MARK_RE.findall(scan, sentence_start, mention.start):
        # "„" only opens and "”" only closes; the others open or close as they come
        # ('"', "“" closing a German „…“, »…« and «…»).
        quoted = mark == "„" or (mark != "”" and not quoted)
    return quoted


def _dates_speech(scan: str, mention: DayMention, cues: Sequence[Cue], language: str) -> bool:
    """Return True when a verb of speech stands by the date, in the same clause."""
    for cue in cues:
        if not cue.reported:
            continue
        if cue.end <= mention.start:
            gap, reach = scan[cue.end : mention.start], _SPEAKER_GAP.get(language, _SPEECH_GAP)
        else:
            # "On Sunday, the bank said": the comma that closes an opening date.
            gap, reach = scan[mention.end : cue.start].removeprefix(","), _SPEECH_GAP
        if len(gap) <= reach and not _CLAUSE_MARKS_RE.search(gap):
            return True
    return False


def _timed_days(moments: Sequence[Moment], kinds: Sequence[str]) -> dict[date, set[str]]:
    """Return the kind groups the precise times of each day (local or UTC) report."""
    # "A minor change was deployed" reads as the trigger or the fix only from its place
    # in the story. Things getting worse ("reports shot up from 7 am") start nothing that a
    # day told without a time ("the outage began on Monday") would repeat.
    resolved = [
        "escalation" if told == WORSE else "impact" if told == TROUBLE_TOLD else kind
        for told, kind in zip(
            kinds, resolve_changes(kinds, [moment.at for moment in moments]), strict=True
        )
    ]
    groups: dict[date, set[str]] = {}
    for moment, kind in zip(moments, resolved, strict=True):
        for day in (moment.local_day, moment.at.date()):
            groups.setdefault(day, set()).add(_KIND_GROUP.get(kind, kind))
    return groups


def _earlier_story(mention: DayMention, first_timed: Moment | None) -> bool:
    """Return True for a date an aside gives to an earlier story.

    "It is the third outage this month: on December 15th …", after the timeline of the
    22nd: a date told after the incident's times and well before them is another incident.
    A cause shipped weeks before (a trigger) still belongs to this one, and a first date
    that opens the story ("ab dem 5. April …", times only at its end) is this incident's.
    """
    if first_timed is None:
        return False
    return (
        mention.start > first_timed.mention_start
        and mention.day < first_timed.local_day - INCIDENT_GAP
    )


def _confidence(moment: Moment, kind: str) -> float:
    score = {"minute": 0.85, "hour": 0.75, "approximate": 0.6}.get(moment.precision, 0.5)
    score -= {
        "stated": 0.0,
        "sentence": 0.0,
        "carried": 0.05,
        "weekday": 0.05,
        "heading": 0.05,
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


_QUOTE_OPENERS = ('"', "“", "„", "«", "»", ">")


def _restates(event: ProposedEvent, earlier: ProposedEvent) -> bool:
    """Return True when `event` only says again what `earlier` said of the same minute.

    Two moments may share a minute ("the outage started at 07:38 when the script ran"), but
    a time with no cue of its own ("flowing as normal by 14:30") or a quoted status text
    stamped with the minute the prose already gave ("alerted its users at 3.14pm: "…"
    3:14 PM GMT") is the earlier moment again.
    """
    if event.date_only or earlier.date_only:
        return False
    # "at 10:00 CET, or 09:00 UTC": one sentence giving one instant twice.
    same_sentence = (event.start, event.end) == (earlier.start, earlier.end)
    return (
        same_sentence
        or "note" in (event.kind, earlier.kind)
        or event.quote.lstrip().startswith(_QUOTE_OPENERS)
    )


def _without_restated_minutes(events: list[ProposedEvent]) -> list[ProposedEvent]:
    kept: list[ProposedEvent] = []
    first_at: dict[datetime, int] = {}
    for event in sorted(events, key=lambda e: e.start):
        index = first_at.get(event.at)
        if index is None:
            first_at[event.at] = len(kept)
            kept.append(event)
        elif _restates(event, kept[index]):
            if kept[index].kind == "note":
                kept[index] = replace(kept[index], kind=event.kind)
        else:
            kept.append(event)
    return kept


def _dedupe(events: list[ProposedEvent]) -> list[ProposedEvent]:
    """Drop a repeat of a moment already proposed (summary and timeline both name it).

    A range whose two ends were both stated before ("released at 04:09 UTC", "remediated
    at 05:27 UTC" … "from 04:09 UTC to 05:27 UTC") restates them, whatever its words say.
    """
    events = _without_restated_minutes(_without_restatements(events))
    kept: list[ProposedEvent] = []
    seen: set[tuple[datetime, bool, bool, str]] = set()
    seen_kinds: set[tuple[datetime, bool, str]] = set()
    for event in events:
        # "until 3pm EST" and "only around 3PM EST was it resolved" are one moment; an
        # exact "at 19:00 UTC" is its own statement beside a vague "19:00 UTC (approx)"
        # when it says something else of that minute (the change beside the outage), but
        # "from 9:00 to 9:36 AM" and "by around 9:36 AM, impact had subsided" say one thing.
        group = _KIND_GROUP.get(event.kind, event.kind)
        # An end told twice, once vaguely ("lifted the rate limits at around 5:12 PM", then
        # the status line stamped 5:12 PM: "All rate limits have been removed") is one end:
        # unlike a start, no exact change stands beside a vague outage there.
        exact = event.precision == "minute" or group == "end"
        key = (event.at, event.date_only, exact, group)
        same_kind = (event.at, event.date_only, event.kind)
        if key in seen or same_kind in seen_kinds:
            continue
        seen.add(key)
        seen_kinds.add(same_kind)
        kept.append(event)
    return kept


def _without_restatements(events: list[ProposedEvent]) -> list[ProposedEvent]:
    """Drop a range whose two ends both repeat instants proposed before it, and the start of
    a range that opens where an earlier range ended."""
    kept: list[ProposedEvent] = []
    seen: set[datetime] = set()
    ended: set[datetime] = set()
    ordered = sorted(events, key=lambda e: (e.start, e.range_role != "start"))
    index = 0
    while index < len(ordered):
        event = ordered[index]
        partner = ordered[index + 1] if index + 1 < len(ordered) else None
        pair = (
            event.range_role == "start"
            and partner is not None
            and partner.range_role == "end"
            and partner.start == event.start
        )
        if pair and partner is not None:
            if event.at in ended:
                # "Between 11:45 and 13:58 …; from 13:58 to 19:43 a smaller set kept
                # seeing errors": the second span opens where the first closed, a moment
                # already proposed; only its far end is new.
                kept.append(partner)
                seen.add(partner.at)
                ended.add(partner.at)
            elif not (event.at in seen and partner.at in seen):
                kept += [event, partner]
                seen.update((event.at, partner.at))
                ended.add(partner.at)
            index += 2
            continue
        kept.append(event)
        seen.add(event.at)
        index += 1
    return kept
