"""Step 2: the clock times, ranges and relative phrases of a text, found once.

The dates were read with the document context; here the times are found, the ones that
belong to a date ("2025-10-20T09:35", "22/10/2025 18:30" in a byline) or to a publication
line are left out, and "between X and Y" / "17:51–18:23 IST" pairs become ranges. Every
check walks the sorted lists side by side, so the step stays linear in the text's length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .context import DocumentContext
from .dates import RelativeMention, TimeMention, find_relatives, find_times
from .scanning import WindowSearch, WordIndex
from .text import PreparedText

_RANGE_GAP_RE = re.compile(
    r"\s*(?:,?\s*(?:on|am)\s+[^;.]{1,30}?)?,?\s*"
    r"(?:(?:and\s+(?:lasted|continued|ran|went\s+on)|und\s+(?:dauerte|hielt|währte))\s+)?"
    r"(?P<connector>and|und|to|until|till|through|thru|bis|-|–|—)\s*"
    # "… bis Dienstagfrüh um 4.30 Uhr": the end's own day
    r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\w*\s+|(?:Montag|Dienstag|Mittwoch|Donnerstag"
    r"|Freitag|Samstag|Sonntag)\w*\s+)?"
    r"(?:at\s+|um\s+)?(?:(?:roughly|about|around|approximately|approx\.|ca\.|etwa|gegen)\s+)?"
    # "between 2024-01-08 14:10 and 2024-01-08 16:45": the end's own date; also "… and
    # Friday, July 19, 2024 05:27 UTC"
    r"(?:\d{4}-\d{2}-\d{2}[\sT]+|\d{1,2}\.\d{1,2}\.\d{4},?\s+|(?:[A-Z][a-z]+day,?\s+)?"
    r"[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4},?\s+(?:at\s+)?)?",
    re.IGNORECASE,
)
_RANGE_OPENER_RE = re.compile(
    r"(?:between|from|zwischen|von|vom)\s+(?:about\s+|around\s+|approximately\s+|roughly\s+"
    r"|etwa\s+|ca\.\s+|gegen\s+)?(?:\d{4}-\d{2}-\d{2}[\sT]+|\d{1,2}\.\d{1,2}\.\d{4},?\s+|"
    r"(?:[A-Z][a-z]+day,?\s+)?[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4},?\s+"
    r"(?:at\s+)?)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TimeRef:
    """A time in the text, with the sentence it stands in and its range partner, if any."""

    mention: TimeMention
    segment: int
    partner: int | None = None  # index of the other end of a range
    role: str | None = None  # "start" | "end" of a range


@dataclass(frozen=True)
class Mentions:
    times: tuple[TimeRef, ...]
    relatives: tuple[tuple[RelativeMention, int], ...]  # with their segment
    # Times left out as no moment ("an update by 10am PT") that still state the zone the
    # writer is using.
    dropped_zoned: tuple[TimeMention, ...] = ()
    # Sentences whose times were all or partly left out as no moment ("As of 2 p.m. ET, it had
    # canceled 43 flights on Friday", "another update by Tuesday, 2018-07-17 13:00"): their
    # date is that of the count or the plan, not a day event of the incident.
    dropped_segments: frozenset[int] = frozenset()


def find_mentions(prepared: PreparedText, context: DocumentContext, language: str) -> Mentions:
    """Return the times and relative phrases that can become events."""
    scan = prepared.scan
    date_spans = sorted(
        [(d.start, d.end) for d in context.days]
        + list(context.publication_spans)
        + list(context.unplaced_spans)
    )
    kept: list[tuple[TimeMention, int]] = []
    # The page's own stamp ("By Jane Citizen, 8 November 2023 10:15am AEDT") is no moment,
    # but a zone written on it is the clock the writer uses.
    stamped: list[TimeMention] = []
    cursor = 0
    for time in find_times(scan, language, prepared.words):
        while cursor < len(date_spans) and date_spans[cursor][1] <= time.start:
            cursor += 1
        segment = prepared.segment_of(time.start)
        if segment in context.publication_segments:
            if time.zone is not None:
                stamped.append(time)
            continue
        if cursor < len(date_spans) and date_spans[cursor][0] <= time.start:
            continue  # a piece of a date ("2025-10-20" is not 20:25)
        if segment is None:
            continue
        kept.append((time, segment))
    paired = _pair_ranges(scan, kept)
    times, recurring = _without_windows(scan, paired, prepared.words)
    kept_starts = {ref.mention.start for ref in times}
    dropped_zoned = tuple(
        sorted(
            [
                *stamped,
                *(
                    ref.mention
                    for ref in paired
                    if ref.mention.zone is not None and ref.mention.start not in kept_starts
                ),
            ],
            key=lambda mention: mention.start,
        )
    )
    # A recurring window ("wieder zwischen 8 und 16 Uhr telefonisch erreichbar") dates no plan
    # and no count: the day its sentence names can still be a moment ("am Montag meldete sie").
    dropped_segments = frozenset(
        ref.segment
        for ref in paired
        if ref.mention.start not in kept_starts and ref.mention.start not in recurring
    )
    timed_segments = {ref.segment for ref in times}
    relatives = tuple(
        (relative, segment)
        for relative in find_relatives(scan, prepared.words)
        if (segment := prepared.segment_of(relative.start)) is not None
        and segment not in timed_segments
        and segment not in context.publication_segments
        and not _INTENT_BEFORE_RE.search(scan, max(0, relative.start - 70), relative.start)
    )
    return Mentions(
        times=times,
        relatives=relatives,
        dropped_zoned=dropped_zoned,
        dropped_segments=dropped_segments,
    )


def _pair_ranges(scan: str, times: list[tuple[TimeMention, int]]) -> tuple[TimeRef, ...]:
    """Pair neighbouring times of one sentence that a range connector joins."""
    roles: dict[int, tuple[int, str]] = {}
    for index in range(len(times) - 1):
        (first, first_segment), (second, second_segment) = times[index], times[index + 1]
        if index in roles or first_segment != second_segment:
            continue
        gap = _RANGE_GAP_RE.fullmatch(scan, first.end, second.start)
        if not gap:
            continue
        connector = gap.group("connector").lower()
        opener = _RANGE_OPENER_RE.search(scan, max(0, first.start - 40), first.start)
        if connector in {"and", "und", "to", "through", "thru"} and not (
            opener or _is_label_range(scan, first, second)
        ):
            continue
        roles[index] = (index + 1, "start")
        roles[index + 1] = (index, "end")
    refs: list[TimeRef] = []
    for index, (time, segment) in enumerate(times):
        partner, role = roles.get(index, (None, None))
        if role == "start" and partner is not None:
            time = _with_end_meridiem(time, times[partner][0])
        refs.append(TimeRef(time, segment, partner, role))
    return tuple(refs)


# "- 07.33 to 8.50: BT tried …": a list item, or a line, labelled by the span it tells.
_LABEL_BEFORE_RE = re.compile(r"(?:^|\n)[^\S\n]*(?:[-*•][^\S\n]*)?$")
_LABEL_AFTER_RE = re.compile(r"[^\S\n]*:(?!\d)")


def _is_label_range(scan: str, first: TimeMention, second: TimeMention) -> bool:
    return bool(
        _LABEL_BEFORE_RE.search(scan, max(0, first.start - 6), first.start)
        and _LABEL_AFTER_RE.match(scan, second.end)
    )


def _with_end_meridiem(start: TimeMention, end: TimeMention) -> TimeMention:
    """Read "between 1:30 and 3:15 p.m." as 13:30: the end's p.m. covers a bare start.

    Only when that keeps the range in order: "11:30 to 1:15 p.m." starts in the morning.
    """
    if start.meridiem or end.meridiem != "p" or not 1 <= start.hour <= 11:
        return start
    if start.hour + 12 > end.hour:
        return start
    return replace(start, hour=start.hour + 12, meridiem="p")


_WINDOW_AFTER_RE = re.compile(
    r"\s*(?:(?:maintenance\s+|change\s+|update\s+)?window\b"
    # Hours a desk answers: "wieder zwischen 8 und 16 Uhr telefonisch erreichbar".
    r"|(?:telefonisch|by\s+(?:tele)?phone)\s+(?:erreichbar|reachable|available))",
    re.IGNORECASE,
)
_WEEKDAY = (
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
    r"|Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag"
)
_WINDOW_BEFORE_RE = re.compile(
    r"(?:every\s+day|each\s+day|daily|nightly|täglich|jeden\s+Tag)\b[^.;\n]{0,25}$",
    re.IGNORECASE,
)
# Opening hours by days of the week: "(Monday – Saturday, 7:00 a.m. – 2:00 a.m.)". Its
# weekdays name no day either, so its sentence gives no day event (see `_without_windows`).
_WEEKDAY_SPAN_BEFORE_RE = re.compile(
    rf"\b(?:{_WEEKDAY})\s*[–—-]\s*(?:{_WEEKDAY})[,:]?\s*$", re.IGNORECASE
)
# What a count of reports counts.
_REPORT_NOUNS = r"Meldungen|Störungsmeldungen|Beschwerden|Nutzer\w*|reports|complaints|users"
# What a tally read at a time counts: reports, and flights, delays or index points.
_TALLY_NOUNS = (
    rf"{_REPORT_NOUNS}|Personen|people|flights|Flüge|delays|Verspätungen|cancellations|"
    r"points|Punkte"
)
# "zwischen 12 und 13 Uhr mehr als 45.000 Meldungen": a window something was counted in.
_COUNT_AFTER_RE = re.compile(
    r"(?:\s+[^\W\d]+){0,2}?\s+(?:(?:mehr\s+als|über|rund|fast|knapp|etwa|more\s+than|over|nearly|about|some)\s+)?"
    r"[\d.,]*\d(?:\s*(?:k|Tsd\.|thousand|Tausend))?\s+(?:\w+\s+)?"
    rf"(?:{_REPORT_NOUNS}|outage\s+reports)\b",
    re.IGNORECASE,
)
# "Um 9.03 Uhr hatten 8100 Personen eine Störung gemeldet", "logged more than 70,000 outage
# reports after 8 a.m.": a tally of reports read off at a time, not a moment of the outage.
# A count of thousands ("8100", "70,000"), never a year.
_TALLY_QUALIFIER = (
    r"(?:(?:mehr\s+als|über|rund|fast|knapp|etwa|bereits|more\s+than|over|nearly|about|"
    r"as\s+many\s+as|some)\s+)*"
)
_TALLY_COUNT = rf"{_TALLY_QUALIFIER}(?:\d{{1,3}}(?:[.,]\d{{3}})+|(?!(?:19|20)\d\d\b)\d{{4,}})"
# A count of what `_TALLY_NOUNS` names may be small: "43 flights", "über 900 Meldungen".
_SMALL_TALLY_COUNT = (
    rf"{_TALLY_QUALIFIER}(?:\d{{1,3}}(?:[.,]\d{{3}})+(?:[.,]\d+)?|(?!(?:19|20)\d\d\b)\d{{2,}})"
)
_TALLY_NOUN = rf"(?:{_TALLY_NOUNS})\b"
# The words between a time and its tally, in one clause: "As of 2 p.m. ET, Southwest had
# canceled 43 flights", "Bis 05.30 Uhr Eastern Times (11.30 MEZ) waren bereits mehr als
# 400 Flüge ausgefallen", "By 6:30 p.m., nearly 300,000 reports".
_TALLY_GAP = r"(?:,?\s+(?:\([^)\n]{1,30}\)|[^\s.;!?(]+)){0,8}?"
_TALLY_AFTER_RE = re.compile(
    rf"[,)]?{_TALLY_GAP},?\s+{_SMALL_TALLY_COUNT}(?:\s+[^\W\d]+){{0,3}}?\s+{_TALLY_NOUN}",
    re.IGNORECASE,
)
# A daily schedule, not a moment: "opened at 1 p.m. rather than the usual 9:30 a.m.", "Wie
# gewohnt öffnete die Londoner Börse um 7 Uhr", "wie üblich um 07.00 Uhr GMT eröffnet".
_USUAL_RE = re.compile(
    r"(?:(?<!\bto\s)\b(?:the|its|their)\s+usual|\bas\s+usual|\bwie\s+(?:üblich|gewohnt|immer)|"
    r"\büblicherweise|"
    # "The service normally runs from 6am to 4pm", "the show, which usually airs at 7:00 am"
    r"\b(?:normally|usually|typically|normalerweise)\s+(?:runs?|opens?|closes?|operates?|starts?|"
    r"begins?|ends?|airs?|is\s+open|läuft|öffnet|schließt))\b",
    re.IGNORECASE,
)
_USUAL_REACH = 60
_SENTENCE_MARK_RE = re.compile(r"[.;!?\n]")
# A writer's clock over what had not happened: "As of 3:45 p.m. ET, Verizon had not posted
# another update", "Stand 23 Uhr hatte sich das Unternehmen noch nicht geäußert".
_SNAPSHOT_BEFORE_RE = re.compile(r"\b(?:as\s+of|Stand:?)\s+$", re.IGNORECASE)
_NOTHING_AFTER_RE = re.compile(
    r"[^.;!?\n]{0,80}?\b(?:not|neither|nothing|yet\s+to|nicht|nichts|kein\w*)\b",
    re.IGNORECASE,
)
_TALLY_REACH = 80
_TALLY_LINK = r"(?:after|by|at|as\s+of|before|um|gegen|bis|vor)\s+$"
_TALLY_LINK_RE = re.compile(rf"\b{_TALLY_LINK}", re.IGNORECASE)
# A clause ends at a comma too: "Complaints jumped on Tuesday morning, according to a
# tracker, with more than 40,000 reports as of 10:59" reads the tally in a clause of its own.
_CLAUSE_END_RE = re.compile(r"[.!?;:,]\s|\n")
# A tally that rises, peaks or begins marks a moment: "reports began to spike at 2:15 pm,
# and more than 23,000 reports came in", "a peak of 3,917 people reporting issues at 4.06pm",
# "Die Störungen begannen gegen 10 Uhr mit mehr als 300.000 Meldungen".
_TALLY_CHANGE_RE = re.compile(
    r"\b(?:began|begin|begann\w*|start\w*|spik\w*|jump\w*|surg\w*|soar\w*|peak\w*|rose|"
    r"climb\w*|stieg\w*|sprang|schnellte\w*|Höhepunkt|Spitze)",
    re.IGNORECASE,
)
# "logged more than 5,000 problem reports before 2 pm", "as many as 285 users had reported
# problems with Citi's services by 5.11pm", "it was still at about 59,000 at 12:52 p.m."
_TALLY_BEFORE_RE = re.compile(
    rf"\b(?:{_SMALL_TALLY_COUNT}(?:\s+[^\s.;]+){{0,2}}?\s+{_TALLY_NOUN}(?:\s+[^\s\d.;!?]+){{0,6}}?"
    rf"|{_TALLY_COUNT})\s+{_TALLY_LINK}",
    re.IGNORECASE,
)
# Times that date data or a document rather than a moment of the incident: "data created
# between 5:20pm and 11:25pm", "the copy made at 5:20pm", the writer's own clock ("At this
# time (6:51pm ET)"), a certificate's "Not Before:", the time of a promised update.
_NOT_A_MOMENT_BEFORE_RE = re.compile(
    r"(?:\b(?:data|records?|copy|backup|snapshot|Daten|Kopie|Sicherung|Backup)\b(?:[^.;\n]|\.(?!\s+[A-Z])){0,90}?"
    r"\b(?:created|made|taken|written|stored|erstellt|angelegt|gespeichert|geschrieben)\s+"
    r"(?:(?:between|at|from|after|before|on|zwischen|um|ab|nach|vor)\s+)?"
    r"|\b(?:created|written|stored|uploaded|lost|erstellt|geschrieben|gespeichert|verloren)\s+"
    r"(?:between|zwischen)\s+"
    r"|\b(?:at\s+(?:this|the)\s+time(?:\s+of\s+(?:this\s+)?writing)?|as\s+of\s+(?:this\s+)?"
    r"writing|at\s+press\s+time|zum\s+Zeitpunkt\s+(?:dieses\s+(?:Schreibens|Artikels)|der\s+"
    r"Veröffentlichung)|bei\s+Redaktionsschluss)\s*[(,]\s*"
    r"|\b(?:Not\s+Before|notBefore|Valid\s+from|Gültig\s+ab)\s*[:=][^\n]{0,12}?"
    # The clock a count was read at: "162 flights cancelled (current as of 9:30 a.m. EST)".
    r"|\((?:current\s+|figures\s+|data\s+)?as\s+of\s+|\((?:Daten)?[Ss]tand:?\s+(?:um\s+)?"
    # An order's deadline, not when it ended: "ordered airlines to pause all departures
    # until 9 a.m. EST"; advice likewise: "advised passengers not to travel until at least
    # 21:00".
    r"|\b(?:ordered|instructed|directed|told|asked|required|extend(?:ed|ing|s)?"
    r"|advis(?:ed|ing|es)|urg(?:ed|ing|es))\s+[^.;\n]{0,80}?"
    r"\b(?:until|till)\s+(?:at\s+least\s+)?"
    # A deadline someone set: "She wanted answers by 5pm on Friday", "demanded a report by".
    r"|\b(?:wanted|demanded|requested|asked\s+for)\s+[^.;\n]{0,60}?\bby\s+"
    # A deadline moved or granted: "extended Tax Day to midnight", "pushed the filing
    # deadline back to 11:59 p.m.", "an extension that gives taxpayers until midnight".
    r"|\b(?:extend|push|mov|postpon|delay)\w*\s+[^.;\n]{0,60}?\b(?:deadline|day|date)\b"
    r"[^.;\n]{0,20}?\b(?:to|until)\s+"
    r"|\b(?:giv(?:es?|ing)|gave|grant(?:s|ed|ing)?)\s+[^.;\n]{0,40}?\buntil\s+"
    # A price read at a clock: "the index was up 0.5 per cent at 50,005 as of 0809 GMT".
    r"|(?:\d\s*%|\bper\s*cent|\bpercent)(?:\s+(?:at|to)\s+[$€£]?\d[\d.,]*)?\s+as\s+of\s+"
    # The article's own revision: "This story was updated at 3:10 p.m. ET".
    r"|\b(?:story|article|post|piece|report|Artikel|Beitrag|Text)\s+(?:has\s+been|was|wurde)\s+"
    r"(?:last\s+)?(?:updated|aktualisiert)\s+(?:(?:at|on|um|am)\s+)?(?:[^.;\n]{0,20}?\s)?"
    # The page's own stamp: "(Updated 10:32 AM PST)", "(updated at 12:20 JST)", "Page last
    # updated at 15:52 GMT, Monday, 8 September 2008 16:52 UK", "Aktualisiert 27.07.2020,
    # Stand 10 Uhr". It dates the page, not a moment of the story.
    r"|\((?:last\s+)?(?:updated|aktualisiert):?\s+(?:(?:at|on|um|am)\s+)?"
    r"|\blast\s+updated:?\s+(?:(?:at|on)\s+)?(?:[^.;\n]{0,40}?\s)?"
    r"|\b(?:Aktualisiert|Updated)\b[^\n]{0,30}?\bStand:?\s+(?:um\s+)?"
    # An announced plan is not a moment: "online banking would be unavailable between 4pm
    # on Friday and 6pm on Sunday", "the work was scheduled for 02:00".
    r"|\b(?:would\s+(?:be|remain|stay)|würden?\s+(?:\S+\s+){0,6}?|sollten?\s+(?:\S+\s+){0,6}?)"
    r"(?:[^.;\n]{0,60}?\s)?(?:between|from|zwischen|von)\s+"
    r"|\b(?:was|were|is|are|had\s+been)\s+scheduled\s+(?:for|between|from|to\s+\w+\s+at)\s+"
    # An estimate is not a moment: "gave an ETR of 04:30 UTC", "the estimate was later moved
    # to 05:00 UTC and then to 06:30 UTC", "estimated time of restoration: 18:00".
    r"|\b(?:ETRs?|ETAs?|estimated\s+(?:time\s+(?:of|for)\s+)?(?:restoration|recovery|resolution"
    r"|repair|completion|fix)|estimates?|voraussichtlich"
    # A forecast: "still expected full restoration by Tuesday at 3:00 AM UTC".
    r"|expect(?:s|ed|ing)?\s+(?:a\s+)?(?:full\s+|complete\s+)?(?:restoration|recovery"
    r"|resolution|mitigation|fix))\b[^.;\n]{0,60}?\b(?:of|at|to|for|by"
    r"|is|was|um|gegen|bis)\s*:?\s+"
    # A planned update is not a moment: "we have another update at 5:30 PDT".
    r"|\b(?:next\s+(?:status\s+)?update|(?:will|would|we'll|plans?\s+to|promised\s+to)\s+"
    r"(?:provide|post|share|have|give|publish|issue)\s+(?:an?\s+|another\s+|the\s+next\s+"
    r"|further\s+|more\s+)?(?:status\s+)?updates?(?:\s+on\s+[^.;\n]{1,30}?)?"
    r"|we\s+have\s+another\s+update|nächste[ns]?\s+(?:Update|Aktualisierung|Statusmeldung))"
    r"\s+(?:at|by|around|before|no\s+later\s+than|to|for|um|gegen|bis)\s+"
    r"(?:[A-Z][a-z]+day,?\s+)?(?:\d{4}-\d{2}-\d{2}\s+|\d{1,2}/\d{1,2}/\d{2,4},?\s+)?)"
    r"(?:about\s+|around\s+|approximately\s+|etwa\s+|gegen\s+)?$",
    re.IGNORECASE,
)
_NOT_A_MOMENT_BEFORE = WindowSearch(_NOT_A_MOMENT_BEFORE_RE)
_LOOK_BEHIND = 120
# A plan, an intention or a promise governs the clause a time stands in: "the plan was to
# reopen around 2:45 p.m.", "Maintenance is planned for 9:00 AM", "das Problem solle bis 14
# Uhr behoben sein", "intends to resume at 10:00". What is meant to happen is no moment.
_INTENT_BEFORE_RE = re.compile(
    r"\b(?:plan(?:s|ned)?\s+(?:was\s+|is\s+)?(?:to|for)|"
    # Planned, set, estimated or meant: "Maintenance is planned for 9:00 AM", "sales are set
    # to begin Friday at 10 a.m.", "power is estimated to be restored by 4am", "trading was
    # meant to restart at 2 pm".
    r"(?:is|are|was|were)\s+(?:planned|(?:set|estimated|meant)\s+to)|"
    r"intend(?:s|ed)?\s+to|aims?\s+to|hop(?:es|ed)\s+to|will\s+be|promis\w+|"
    # A schedule or a deadline: "flights scheduled to depart after 18:00", "customers have
    # until midnight to claim it", "it would notify investors around 7:30pm" (said of the
    # future then).
    r"scheduled\s+to|ha(?:ve|s|d)\s+until|"
    # what was meant to happen: "trading was meant to restart at 2 pm" (above), "the market
    # was to have re-opened at 2pm", "HDFC Bank had planned work from 2:30 AM", "der Flughafen
    # rechnete mit einem Unterbruch bis 11 Uhr" (not "was supposed to begin at 3pm" nor "was
    # due to reset at 23:59", the moment that went wrong)
    r"was\s+to\s+have|had\s+planned|"
    r"rechne(?:t|te|ten|n)?|"
    r"would(?!\s+(?:later|eventually|then|soon|ultimately|go\s+on|have)\b)|"
    # "wird der Verkauf bis 18 Uhr ausgesetzt": German future or a passive of what is to
    # come; "wird seit 9 Uhr untersucht" is what is going on.
    r"(?:wird|werden)(?![^.;:!?\n]{0,50}\bseit\b)|"
    # an expectation: "had been expected to start trading at 8 a.m.", "with the aim of
    # having it back by 6:00 p.m."
    r"expect(?:s|ed|ing)?\s+(?:\w+\s+){0,3}?to\s+\w+|"
    # A guess: "der Handel könnte um 14 Uhr wieder aufgenommen werden", "a fix was
    # expected by 1:40pm", "delays might run on until 10pm".
    r"aim\s+of|should(?!\s+have)|might|könnte\b|(?:is|are|was|were)\s+expected\b|"
    r"(?P<modal>soll(?:e|en|te|"
    r"ten)?|wolle?n?)|plant\w*|geplant|"
    # What is to come, or must be done by then: "zone pushes will pause from 3:30 pm",
    # "agencies must disconnect by noon Monday" (not "will have" nor "must have", a guess at
    # what happened).
    r"(?:will|must)(?!\s+have\b)|"
    # A timetable: "trading was due to start at 9:00", "the flight, due to leave at 5.05 pm".
    r"due\s+to\s+(?:leave|depart|arrive|land|take\s+off|open|start|begin|resume|reopen))"
    # "11.10am" or "12:00" in the clause does not end it.
    r"\b(?:[^.;:!?\n]|(?<=\d)[.:](?=\d)){0,50}$"
    # A scheduled, planned or original time, named right before its clock: "instead of the
    # scheduled 5.30 pm", "before the deadline of 03:00 UTC", "ursprünglich um zehn Uhr". (Not
    # "stopped the market from opening at its scheduled time of 10am": the failure then is
    # a moment.)
    r"|\b(?:scheduled|planned|geplanten?|originally|ursprünglich)(?:\s+(?:at|for|um|für|ab))?\s+$"
    r"|\bdeadline\s+(?:of|at|is|was)\s+$",
    re.IGNORECASE,
)
# "Für den Morgen war ab acht Uhr ein Livestream geplant": the plan told after its time.
_PLANNED_AFTER_RE = re.compile(
    r"[^.;:!?\n]{0,60}?\b(?:geplant|vorgesehen|angesetzt)(?=\s*[,.;:!?\n]|\s+(?:war|gewesen)\b)"
)
# "at 2020-03-04 20:00 UTC": the date written before the clock belongs to its clause.
_DATE_BEFORE_CLOCK_RE = re.compile(r"\d{4}-\d{2}-\d{2}[\sT]+$")
# "Der Ausfall soll um 9 Uhr begonnen haben": German hearsay, what reportedly happened.
_HEARSAY_AFTER_RE = re.compile(r"[^.;:!?\n]{0,60}?\b(?:haben|gewesen|worden)\b")
# A time used as a name for what happened then: "between the 14:10 incident and the next
# one". It points back at a moment told before; it is not a new one.
_NAMING_BEFORE_RE = re.compile(r"\b(?:the|this|that|der|die|das|dem|den)\s+$", re.IGNORECASE)
# A deadline named by its clock: "before the midnight deadline", "the 6pm cut-off", "set a
# noon deadline". ("Before that 1:00 p.m. deadline, Google posted …" dates the post by it.)
_DEADLINE_BEFORE_RE = re.compile(r"\b(?:the|a|its|their)\s+$", re.IGNORECASE)
_DEADLINE_AFTER_RE = re.compile(
    r"(?:\s*(?:UTC|GMT|[A-Z]{2,4}T))?\s+(?:deadline|cut-?off|Frist)\b", re.IGNORECASE
)
_NAMING_AFTER_RE = re.compile(
    r"(?:\s*(?:UTC|GMT|[A-Z]{2,4}T))?\s+(?:incident|outage|event|alert|page|deploy(?:ment)?|"
    r"failure|crash|Vorfall|Ausfall|Störung|Meldung)\b",
    re.IGNORECASE,
)


def _intended(scan: str, time: TimeMention) -> bool:
    """Return True when a plan or an intention governs the clause of `time`."""
    dated = _DATE_BEFORE_CLOCK_RE.search(scan, max(0, time.start - 12), time.start)
    start = dated.start() if dated else time.start
    intent = _INTENT_BEFORE_RE.search(scan, max(0, start - 70), start)
    if intent is None:
        return bool(_PLANNED_AFTER_RE.match(scan, time.end))
    return not (intent.group("modal") and _HEARSAY_AFTER_RE.match(scan, time.end))


def _usual(scan: str, time: TimeMention) -> bool:
    """Return True for a time of a daily schedule ("rather than the usual 9:30 a.m.")."""
    usual = _USUAL_RE.search(scan, max(0, time.start - _USUAL_REACH), time.start)
    return usual is not None and not _SENTENCE_MARK_RE.search(scan, usual.end(), time.start)


def _nothing_yet(scan: str, time: TimeMention) -> bool:
    """Return True for a writer's clock that says nothing had happened yet."""
    return bool(
        _SNAPSHOT_BEFORE_RE.search(scan, max(0, time.start - 12), time.start)
        and _NOTHING_AFTER_RE.match(scan, time.end)
    )


def _tallied(scan: str, time: TimeMention) -> bool:
    """Return True when `time` is the clock a tally was read at, and the tally no change."""
    after = _TALLY_AFTER_RE.match(scan, time.end)
    before = (
        _TALLY_BEFORE_RE.search(scan, max(0, time.start - _TALLY_REACH), time.start)
        if _TALLY_LINK_RE.search(scan, max(0, time.start - 12), time.start)
        else None
    )
    if after is None and before is None:
        return False
    start = before.start() if before else time.start
    end = after.end() if after else time.end
    reach = max(0, start - _TALLY_REACH)
    clause_start = max(
        (m.end() for m in _CLAUSE_END_RE.finditer(scan, reach, start)), default=reach
    )
    return _TALLY_CHANGE_RE.search(scan, clause_start, end) is None


def _without_windows(
    scan: str, times: tuple[TimeRef, ...], words: WordIndex
) -> tuple[tuple[TimeRef, ...], frozenset[int]]:
    """Leave out times that are not moments of the incident.

    Recurring windows ("the 06:00–07:00 UTC window", "daily"), counting windows, windows of
    data, the writer's clock and certificate fields: a range goes as a whole. Also return
    where the times left out as recurring windows start.
    """
    dropped: set[int] = set()
    recurring: set[int] = set()
    for index, ref in enumerate(times):
        if ref.role == "end":
            continue
        before = max(0, ref.mention.start - _LOOK_BEHIND)
        pair = (index,) if ref.partner is None else (index, ref.partner)
        if (
            _NAMING_BEFORE_RE.search(scan, max(0, ref.mention.start - 8), ref.mention.start)
            and _NAMING_AFTER_RE.match(scan, ref.mention.end)
        ) or (
            _DEADLINE_BEFORE_RE.search(scan, max(0, ref.mention.start - 8), ref.mention.start)
            and _DEADLINE_AFTER_RE.match(scan, ref.mention.end)
        ):
            dropped.add(index)  # the other end of a range, if any, stands alone
            continue
        if (
            _NOT_A_MOMENT_BEFORE.search(scan, words, before, ref.mention.start)
            or _intended(scan, ref.mention)
            # a daily schedule, both its ends: "normally runs from 6am to 4pm"
            or _usual(scan, ref.mention)
        ):
            dropped.update(pair)
            continue
        if ref.partner is None and (_tallied(scan, ref.mention) or _nothing_yet(scan, ref.mention)):
            dropped.add(index)
            continue
        if ref.partner is None:
            continue
        end = times[ref.partner].mention
        if _WINDOW_AFTER_RE.match(scan, end.end) or _WINDOW_BEFORE_RE.search(
            scan, max(0, ref.mention.start - 40), ref.mention.start
        ):
            dropped.update(pair)
            recurring.update(times[i].mention.start for i in pair)
        elif _COUNT_AFTER_RE.match(scan, end.end) or _WEEKDAY_SPAN_BEFORE_RE.search(
            scan, max(0, ref.mention.start - 40), ref.mention.start
        ):
            dropped.update(pair)
    if not dropped:
        return times, frozenset()
    kept = [ref for index, ref in enumerate(times) if index not in dropped]
    renumber = {
        old: new for new, old in enumerate(i for i in range(len(times)) if i not in dropped)
    }
    return tuple(
        TimeRef(ref.mention, ref.segment, renumber[ref.partner], ref.role)
        if ref.partner is not None and ref.partner in renumber
        else TimeRef(ref.mention, ref.segment, None, None)
        for ref in kept
    ), frozenset(recurring)
