"""Step 5a: the kind of moment a sentence reports, from its cue words."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .scanning import FastPattern, WordIndex

# (pattern, kind, weight). A strong cue (2.0) names the moment ("restored", "identified");
# a weak one (1.0) describes the state the incident was in ("errors", "began"), which many
# sentences mention in passing. The cue nearest the time wins, weighted by strength.
_CUES: tuple[tuple[str, str, float], ...] = (
    # Phrases first: at one position the alternation takes the first cue that matches, and
    # a phrase says more than any of its words ("began to see recovery" is not a start).
    (
        r"(?:began|started)\s+to\s+see\s+(?:\w+\s+){0,2}recovery|(?:first\s+)?signs\s+of\s+"
        r"recovery|seeing\s+(?:\w+\s+){0,2}recovery|fully\s+(?:recovered|restored|resolved|"
        r"operational)|(?:declared|marked)\s+(?:\w+\s+){0,5}operational|(?:vollständig|"
        r"komplett|endgültig)\s+(?:\w+\s+){0,2}behoben|Störung\s+(?:\S+\s+){0,4}behoben|Entwarnung|returned\s+gradually",
        "recovery",
        2.5,
    ),
    (
        r"appl(?:ied|y|ying)\s+(?:a|the)\s+fix|(?:deployed|rolled\s+out)\s+(?:a|the)\s+fix|"
        r"last\s+known\s+good|fail(?:ed)?\s+(?:away|over)|to\s+restore|(?:raised|increased|"
        r"added)\s+(?:the\s+)?capacity|activated\s+(?:\w+\s+){0,3}capacity",
        "mitigation",
        2.5,
    ),
    (
        r"(?:we|team|engineers)\s+(?:were|was)\s+(?:\w+\s+)?alerted|alerted\s+(?:us|the)|"
        r"support\s+tickets?|(?:wurden|wurde)\s+alarmiert",
        "detection",
        2.5,
    ),
    (
        r"(?:said|wrote|tweeted|posted|announced|confirmed)\s+(?:at|around|about|shortly\s+"
        r"(?:after|before))|(?:erklärte|schrieb|meldete|twitterte)\s+(?:um|gegen)",
        "communication",
        2.5,
    ),
    (
        r"(?:yellow|red|orange)\s+status|status\s+(?:to\s+)?(?:red|yellow|orange)|incident\s+"
        r"coordinator|major\s+incident|declared\s+(?:an?\s+)?(?:\w+\s+){0,3}incident",
        "escalation",
        2.5,
    ),
    (
        r"meldeten\s+(?:\S+\s+){0,4}(?:Probleme|Störungen|Ausfälle)|"
        r"(?:began|started)\s+(?:to\s+)?(?:report(?:ing)?|experienc\w+|see(?:ing)?)"
        r"(?!\s+(?:\w+\s+){0,2}recovery)|"
        r"(?:starting|beginning)\s+(?:at|from|on)\b|experienc\w*\s+(?:\w+\s+){0,2}(?:issues|"
        r"errors|problems|difficult\w+|disruption\w*)|(?:Probleme|Störung\w*|"
        r"Ausfall|Ausfälle|Verbindungsprobleme|outage|problems|errors|incident|issues?|"
        r"disruption|degradation)\s+(?:began|begann\w*|"
        r"started|startete\w*)|(?:began|begann\w*|started)\s+(?:the\s+|der\s+|die\s+)?"
        r"(?:outage|Störung|Ausfall)|tauchten\s+(?:\S+\s+){0,6}auf",
        "impact",
        2.0,
    ),
    # trigger
    (
        r"trigger(?:ed|s)?|onset|introduced|rolled\s+out|pushed|kicked\s+off",
        "trigger",
        2.0,
    ),
    (r"deployed", "trigger", 2.0),
    (
        r"ran\s+(?:a|the)\s+(?:\w+\s+)?(?:command|script)|mistyped|typo|chang(?:ed|e)",
        "trigger",
        1.2,
    ),
    # Below the state words: "the outage began" reports the outage; alone, a start.
    (r"began|begun|begins?|beginning|start(?:ed|s|ing)?|initiated", "trigger", 0.9),
    (r"deploy(?:ment|ing)?|caused", "trigger", 1.0),
    (r"ausgelöst|auslöste|lösten?\s+\w+\s+aus|verursacht\w*|Auslöser", "trigger", 2.0),
    (r"begann(?:en)?|beginnt|Beginn|startete\w*", "trigger", 0.9),
    (r"verteilt\w*|ausgerollt|ausgeliefert|eingespielt", "trigger", 1.0),
    # detection
    (
        r"detect(?:ed)?|identif(?:ied|y|ying)|notic(?:ed|e)|alert(?:ed|s)?|alarms?|paged",
        "detection",
        2.0,
    ),
    (
        r"investigat(?:ing|e|ed|ion)|became\s+aware|discover(?:ed|y)|root\s+cause|diagnos\w+",
        "detection",
        2.0,
    ),
    # "XSS detection", "aware that some people …": nouns and adjectives that often
    # describe something else than the moment of detection.
    (r"detection|aware", "detection", 1.0),
    (
        r"bemerkt\w*|festgestellt|stellten?\s+(?:\S+\s+){0,4}fest|erkannt\w*|identifiziert\w*",
        "detection",
        2.0,
    ),
    (r"Alarm\w*|entdeckt\w*|untersuch\w+", "detection", 2.0),
    # impact
    (
        r"errors?|error\s+rates?|elevated|increased|outages?|degrad\w+|disrupt\w*|unavailable",
        "impact",
        1.0,
    ),
    (
        r"unreachable|fail(?:ed|ing|ures?|s)?|impair\w*|impacted|affected|crash(?:ed|es|ing)?",
        "impact",
        1.0,
    ),
    (
        r"latenc\w+|timeouts?|offline|went\s+dark|grounded|ground\s+stops?|congest\w+|5\d\d",
        "impact",
        1.0,
    ),
    (r"problems?|issues?|down|Probleme?n?", "impact", 0.5),
    (
        r"Ausf(?:a|ä)ll\w*|ausgefallen|fiel\w*\s+(?:\S+\s+){0,3}aus|Fehler\w*|Störung\w*|gestört",
        "impact",
        1.0,
    ),
    (
        r"versag\w*|nicht\s+(?:mehr\s+)?erreichbar|beeinträchtig\w*|lahm\w*|abgestürzt|Absturz",
        "impact",
        1.0,
    ),
    (
        r"stürzt\w*\s+(?:\S+\s+){0,4}ab|eingestellt|gestrichen|betroffen\w*|Bluescreen",
        "impact",
        1.0,
    ),
    # escalation
    (
        r"escalat\w+|war\s+room|all\s+hands|incident\s+commander|SEV\s?\d|upgraded",
        "escalation",
        2.0,
    ),
    (r"eskalier\w*|Eskalation|Krisenstab", "escalation", 2.0),
    (r"declared|engaged|joined", "escalation", 1.0),
    # mitigation
    (
        r"mitigat\w+|throttl\w+|rate[\s-]limit\w*|rolled\s+back|roll(?:ed)?back|revert\w*",
        "mitigation",
        2.0,
    ),
    (
        r"disabl\w+|kill|workaround|failed\s+over|failover|fix(?:es)?\s+(?:was\s+)?(?:deployed|applied|implemented)",
        "mitigation",
        2.0,
    ),
    (
        r"relax\w*|restart\w*|isolat\w+|re-?enabled|removed|pulled",
        "mitigation",
        1.5,
    ),
    (r"fix(?:es|ed)?|block(?:ed|ing)|froze|freeze", "mitigation", 1.5),
    (
        r"lock(?:ed|ing)?|paus(?:ed|ing)|halt(?:ed|ing)|stop\s+running|to\s+prevent|backups?|"
        r"backlog|improv(?:ed|ing|ement)",
        "mitigation",
        1.8,
    ),
    (
        r"Drosselung|gedrosselt|drossel\w*|behoben|zurückgezogen|zog\w*\s+(?:\S+\s+){0,5}zurück",
        "mitigation",
        2.0,
    ),
    (r"zurückgenommen|rückgängig|Gegenmaßnahm\w*|abgeschaltet|deaktiviert", "mitigation", 2.0),
    # recovery
    (
        r"recover(?:ed|ing|s)?|restor(?:ed|e|ing)|resolved|returned\s+to\s+normal|back\s+to\s+normal",
        "recovery",
        2.0,
    ),
    (
        r"back\s+online|come\s+back|came\s+back|operating\s+(?:as\s+)?normal(?:ly)?|normal\s+operations?",
        "recovery",
        2.0,
    ),
    (r"re-?establish(?:ed)?|fully\s+operational|ended|resum(?:ed|e)", "recovery", 2.0),
    (r"succeed(?:ed|ing)?|completing\s+successfully|recovery", "recovery", 1.5),
    (
        r"wiederhergestellt|Wiederherstellung|stellt\w*\s+(?:\S+\s+){0,6}wieder\s+her",
        "recovery",
        2.0,
    ),
    (
        r"wieder\s+(?:erreichbar|verfügbar|aufgenommen|online|normal|stabil)|funktioniert\w*\s+wieder",
        "recovery",
        2.0,
    ),
    (
        r"normalisiert\w*|läuft\s+wieder|laufen\s+wieder|liefen\s+(?:\S+\s+){0,4}wieder|"
        r"funktionierte\w*\s+(?:\S+\s+){0,8}wieder",
        "recovery",
        2.0,
    ),
    (r"again|proper\s+operation|operational", "recovery", 1.2),
    (r"(?:was|were|is|are)\s+back(?:\s+up)?", "recovery", 2.0),
    # communication
    (
        r"posted|status\s+(?:page|post|update)|statuspage|health\s+dashboard|announc\w+",
        "communication",
        2.0,
    ),
    (
        r"acknowledged|published|tweet\w*|on\s+Twitter|statement|post(?:ed)?\s+(?:an?\s+)?updates?",
        "communication",
        1.5,
    ),
    (r"said|wrote|confirm(?:ed|s)?|updating", "communication", 0.8),
    (
        r"told|informed|notified\s+(?:our\s+|all\s+|affected\s+)?(?:customers|users)|"
        r"apologi[sz]\w*|entschuldigte\w*|entschuldigt",
        "communication",
        1.0,
    ),
    (r"notified|paged|woke", "detection", 1.0),
    (
        r"mitgeteilt|teilte\w*\s+(?:\S+\s+){0,5}mit|Statusseite|veröffentlich\w*",
        "communication",
        2.0,
    ),
    (
        r"meldete\w*|gemeldet|bestätigt\w*|erklärt\w*|Hinweis|Mitteilung|schätzte\w*|sagte\w*",
        "communication",
        1.0,
    ),
)
# One alternation with the word-boundary checks outside it: the engine tests the
# boundary once per position instead of once per cue pattern.
_CUE_BEFORE = r"(?<![\w-])"
_CUE_AFTER = r"(?!\w)"
_CUE_RE = re.compile(
    _CUE_BEFORE
    + "(?:"
    + "|".join(f"(?P<c{index}>{pattern})" for index, (pattern, _, _) in enumerate(_CUES))
    + ")"
    + _CUE_AFTER,
    re.IGNORECASE,
)
_FAST_CUES = FastPattern(
    _CUE_RE,
    branches=tuple(pattern for pattern, _, _ in _CUES),
    before=_CUE_BEFORE,
    after=_CUE_AFTER,
)

# Status-page entries start with a state; it says more than any word in the update.
_STATUS_PREFIX_RE = re.compile(
    r"\W*(?P<state>Investigating|Identified|Monitoring|Resolved|Update|Postmortem|Completed)"
    r"\s*(?:-|–|—|:)",
    re.IGNORECASE,
)
_STATUS_KINDS = {
    "investigating": "detection",
    "identified": "detection",
    "monitoring": "mitigation",
    "resolved": "recovery",
    "completed": "recovery",
    "postmortem": "communication",
}

# Per character of distance between cue and time, a cue loses this much weight.
_DISTANCE_PENALTY = 1 / 60
_BARRIER_DISTANCE = 40


@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    kind: str
    weight: float


def find_cues(scan: str, start: int, end: int, words: WordIndex) -> list[Cue]:
    """Return the cue words in scan[start:end], leaving out a status-page state prefix.

    "Resolved - Between 11:49 PM and 2:24 AM we saw errors" stamps the whole entry as
    resolved; the range inside it is still an impact window.
    """
    prefix = _STATUS_PREFIX_RE.match(scan, start, end)
    if prefix:
        start = prefix.end()
    cues: list[Cue] = []
    for match in _FAST_CUES.finditer(scan, words, start, end):
        index = int(match.lastgroup[1:]) if match.lastgroup else -1
        _, kind, weight = _CUES[index]
        cues.append(Cue(match.start(), match.end(), kind, weight))
    return cues


def _distance(cue: Cue, anchor: tuple[int, int], barriers: Sequence[int] = ()) -> int:
    if cue.end <= anchor[0]:
        low, high = cue.end, anchor[0]
    elif cue.start >= anchor[1]:
        low, high = anchor[1], cue.start
    else:
        return 0
    # A clause break (";") between a cue and a time makes them much less related.
    crossed = sum(low <= barrier < high for barrier in barriers)
    return high - low + crossed * _BARRIER_DISTANCE


def choose_kind(
    cues: Sequence[Cue],
    anchor_start: int,
    anchor_end: int,
    other_anchors: Sequence[tuple[int, int]] = (),
    barriers: Sequence[int] = (),
) -> tuple[str, float]:
    """Return the kind of the cue that best explains a time at [anchor_start, anchor_end).

    With other times in the same sentence, each cue belongs to the time nearest to it:
    in "started at 11:48 PM and ended at 2:20 PM", "ended" is about 2:20 PM. A time that
    owns no cue falls back to all cues of the sentence.
    """
    anchor = (anchor_start, anchor_end)
    if other_anchors:
        owned = [
            cue
            for cue in cues
            if all(
                _distance(cue, anchor, barriers) <= _distance(cue, other, barriers)
                for other in other_anchors
            )
        ]
        cues = owned or cues
    best_kind, best_score = "note", 0.0
    for cue in cues:
        score = cue.weight - _distance(cue, anchor, barriers) * _DISTANCE_PENALTY
        if score > best_score:
            best_kind, best_score = cue.kind, score
    if best_score <= 0 and cues:
        strongest = max(cues, key=lambda cue: cue.weight)
        return strongest.kind, 0.1
    return best_kind, best_score


def status_kind(scan: str, start: int, end: int) -> str | None:
    """Return the kind a status-page state prefix ("Resolved - …") implies, if any."""
    match = _STATUS_PREFIX_RE.match(scan, start, end)
    return _STATUS_KINDS.get(match.group("state").lower()) if match else None
