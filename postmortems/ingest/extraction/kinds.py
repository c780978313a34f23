"""Step 5a: the kind of moment a sentence reports, from its cue words."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from .scanning import FastPattern, WordIndex

# The kind of a cue that reports a change going out: a trigger or a mitigation.
CHANGE = "change"
# The kind of a cue that says things got worse ("could not send messages at all"): an
# escalation once the incident is under way, else how it began.
WORSE = "worse"
# A cue naming the cause: a start reported with its cause is the trigger.
CAUSE = "cause"
# "inadvertently", "versehentlich": a step that reads as a fix ("disabled", "deleted") was
# how it began.
MISTAKE = "mistake"
# "was behind", "blamed on", "die Ursache war": words naming what caused it. Said by someone,
# the statement is the cause identified (the detection); alone, like CAUSE.
BLAME = "blame"
# "a ransomware attack", "gehackt": the trigger, unless the sentence tells what it did to the
# victim ("was knocked offline by a ransomware attack", "hatte die Leitungen lahmgelegt"):
# then it reports the impact.
ATTACK = "attack"
# "began", "started": a start of something; what starts decides its kind (`_what_starts`).
START = "start"
# "lasted until", "affected until": the end of the trouble, for a time after it only.
UNTIL = "until"
# A statement dated by its time that reports the trouble going on ("tweeted at 2:22 PM that
# users could not log in"): the post is the moment, yet it tells that day's trouble as a
# time of the outage would, so a day sentence ("the outage on Monday") only repeats it.
# Its words alone would read as the impact; `resolve_changes` makes it the communication.
TROUBLE_TOLD = "trouble told"
# Once one of these was reported earlier in the story, a change going out is the fix.
_UNDER_WAY = frozenset({"impact", "detection", "escalation"})


def resolve_changes(kinds: Sequence[str], instants: Sequence[datetime]) -> list[str]:
    """Return `kinds` with each "change" and "worse" read from the story told so far.

    "A new certificate was deployed" after the errors began is the fix; before anything
    went wrong, the same words report the trigger. Likewise "could not log in at all" is an
    escalation once the incident is under way, and its start before that. `instants` holds
    each kind's moment.
    """
    order = sorted(range(len(kinds)), key=lambda index: instants[index])
    resolved = list(kinds)
    started: datetime | None = None
    for index in order:
        if kinds[index] == CHANGE:
            later = started is not None and instants[index] > started
            resolved[index] = "mitigation" if later else "trigger"
        elif kinds[index] == WORSE:
            later = started is not None and instants[index] > started
            resolved[index] = "escalation" if later else "impact"
        elif kinds[index] == TROUBLE_TOLD:
            resolved[index] = "communication"
        if resolved[index] in _UNDER_WAY and started is None:
            started = instants[index]
    return resolved


# Those one alerts to tell them, not to be told: "alerted the government" is a statement.
_TOLD_PARTIES = r"(?:government|regulators?|public|police|authorities)\b"


@dataclass(frozen=True)
class CueRow:
    """Words that report one kind of moment, in English and German, with their weight.

    A strong cue (2.0 and above) names the moment ("restored", "wiederhergestellt"); a weak
    one (1.0 and below) describes the state the incident was in ("errors", "Störung"),
    which many sentences mention in passing. `reported` marks the verbs of reported speech
    ("said", "meldete"): they give way to what was said ("said … it had restored").
    """

    kind: str
    weight: float
    english: str = ""
    german: str = ""
    reported: bool = False

    @property
    def pattern(self) -> str:
        return "|".join(part for part in (self.english, self.german) if part)


# A field whose value is a date or a time: "Start time: 10:34 UTC", "- **Resolved:** April
# 16, 2025 1:12 PM PDT", "Incident Clear: August 30, 2020 15:10 GMT".
_FIELD_VALUE = (
    r"(?=[^\w\n]*(?:(?:Jan|Feb|M[aä]r|Apr|Ma[iy]|Jun|Jul|Aug|Sep|O[ck]t|Nov|De[cz])[a-zä]*"
    r"\.?\s+)?\d)"
)


def _field(names: str) -> str:
    """Return the pattern of a field named by one of `names` that holds a date or a time."""
    return (
        rf"(?:(?:incident|outage|impact|Störung)\s+)?(?:{names})(?:\s+(?:time|at|Zeit))?\s*:"
        + _FIELD_VALUE
    )


# Phrases first: at one position the alternation takes the first row that matches, and a
# phrase says more than any of its words ("began to see recovery" is not a start).
LEXICON: tuple[CueRow, ...] = (
    # ------------------------------------------------------------------ fields
    # The name of a field says what its time is, whatever words follow it.
    CueRow(
        "impact",
        3.0,
        _field(r"start(?:ed)?|began|begin|reported|onset|Beginn|Anfang"),
    ),
    CueRow("detection", 3.0, _field(r"detected|identified|erkannt")),
    CueRow(
        "recovery",
        3.0,
        _field(r"end(?:ed)?|clear(?:ed)?|resolved|restored|recovered|closed|Ende|behoben"),
    ),
    # ------------------------------------------------------------------ phrases
    CueRow(
        "recovery",
        2.5,
        r"fully\s+(?:recover|restor|resolv|fixed)\w*|all[\s-]clear|ending\s+(?:at|on|around)|clear(?:ed|s)\s+(?:up|by\s+"
        r"itself|on\s+its\s+own)|(?:problem|issue|errors?)\s+(?:\w+\s+){0,2}cleared|fully\s+operational|all\s+(?:systems|services)\s+(?:\w+\s+)?operational|(?:declared|marked)\s+(?:\w+\s+){0,5}operational|returned\s+gradually|"
        r"(?:incident|issue)\s+(?:was\s+)?(?:closed|resolved)|fully\s+stable|"
        # the trouble itself fixed: "the problem was fixed by 10:30"
        r"(?:issues?|problems?|outage)\s+(?:\w+\s+){0,3}?(?:was|were|has\s+been|had\s+"
        r"been|is|are)\s+(?:\w+\s+){0,2}?fixed",
        r"(?:vollständig|komplett|endgültig)\s+(?:\w+\s+){0,2}behoben|(?:Störung\w*|Problem\w*|"
        r"Panne)\s+(?:\S+\s+){0,8}(?:behoben|beseitigt)|"
        # "Der Ausfall begann gegen 23 Uhr und wurde gegen 4:30 Uhr behoben": the trouble the
        # sentence opened with, fixed.
        r"\bund\s+(?:wurde|war)\s+(?:\S+\s+){0,4}(?:behoben|beseitigt)|Entwarnung|"
        r"wieder\s+zu\s+erreichen",
    ),
    # The whole service started again, not a part rebooted: "able to restart the main
    # network", "the restart of pipeline operations", "das Mainnet neu starten".
    CueRow(
        "recovery",
        2.2,
        r"restart\w*\s+(?:of\s+)?(?:the\s+|its\s+)?(?:\w+\s+)?(?:network|operations|mainnet|"
        r"pipeline|trading)\b",
        r"(?:Netz\w*|Mainnet|Betrieb|Handel)\s+(?:\S+\s+){0,2}?neu\s+(?:zu\s+)?start\w*",
    ),
    # The service back in words of its own: "appeared to be back up and running", "payments
    # were possible again", "gingen die ersten Lichter wieder an", "die Panne war
    # weitgehend behoben", "put the end of the outage at 16:30".
    CueRow(
        "recovery",
        2.2,
        r"back\s+up\s+and\s+running|(?:seem|appear)(?:s|ed)?\s+to\s+(?:be|have\s+been)\s+back\s+"
        r"(?:up|online)|"
        r"(?:possible|available|working|accessible|reachable|usable)\s+again|"
        r"end\s+of\s+the\s+(?:\w+\s+){0,2}?(?:outage|disruption|incident|problems?|issues?)",
        r"(?:ging|gingen|geht|gehen)\s+(?:\S+\s+){0,8}?wieder\s+an\b|wieder\s+(?:am\s+Netz|Strom|"
        r"möglich)|(?:weitgehend|weitestgehend|größtenteils)\s+behoben|Ende\s+(?:der|des)\s+"
        r"(?:\S+\s+)?(?:Störung|Ausfall\w*|Panne|Probleme)",
    ),
    # The business starting again, not a part rebooted: "trading restarted shortly after
    # midday", "restarted operations at all of its plants", "lifted the ground stop".
    CueRow(
        "recovery",
        2.2,
        r"(?:trading|operations|production|payments|flights)\s+(?:\w+\s+){0,2}?restart\w*|"
        r"restart\w*\s+(?:\w+\s+){0,2}?(?:operations|production|trading)|lift(?:s|ing)?\s+"
        r"(?:the\s+)?(?:\w+\s+){0,2}?(?:ground\s+stop|ban|restrictions?|suspension|halt)",
    ),
    # A notice put out is a statement, not something noticed: "posts a public notice of the
    # cancellation", "put out a terse note to users", "issued an alert that …".
    CueRow(
        "communication",
        2.5,
        r"(?:post|put|issu|publish|retweet|shar)\w*\s+(?:out\s+)?(?:a|an|the|its|his|her|their|"
        r"[\w-]+['’]s)\s+"
        r"(?:[\w'’-]+\s+){0,3}?(?:notices?|notes?|advisor(?:y|ies)|bulletins?|alerts?)|retweet\w*",
        reported=True,
    ),
    # Trouble showing, told without a verb of failing: "pages not working as of 1 p.m.",
    # "anomalies had already shown up at 5:20am", "homes without power", "reported limited
    # availability", "beschwerten sich erste Kunden", "die Flugsperre wurde verhängt".
    CueRow(
        "impact",
        1.2,
        r"not\s+working|(?:anomal\w+|errors?|problems?|issues?|failures?)\s+(?:\w+\s+){0,3}?"
        r"(?:show(?:ed|n|s)?|turn(?:ed|s)?|crop(?:ped|s)?)\s+up|without\s+(?:power|electricity)|"
        r"limited\s+availability",
        r"beschwer(?:ten|en|t)\s+sich|Flugsperre|Startverbot|Flugverbot|Bodenstopp|ohne\s+Strom",
    ),
    # Something giving way: "the blackout struck at 3:20 a.m.", "kam es zu dem Blackout",
    # "kollabierte das System".
    CueRow(
        "impact",
        2.0,
        r"(?:blackout|outage|disruption|failure|glitch|crash)\s+(?:(?:that|which|has|had|was)\s+)?"
        r"struck|collaps\w*|dropped\s+off\s+the\s+(?:internet|net|web|network|map)|"
        # the trouble told as happening: "the fault, which occurred around 05:30", "the
        # incident was first reported shortly after 5.30am"; traffic gone: "falling to zero"
        r"(?:incident|accident|fault|failure|outage|disruption|problem|issue)s?,?\s+(?:(?:at|in|on)\s+(?:the\s+)?\w+\s+)?(?:(?:which|that)"
        r"\s+)?(?:first\s+)?(?:happened|occurred|took\s+place|(?:was|were)\s+(?:first\s+)?"
        r"reported)|(?:fell|falling|fallen|dropped|dropping|plunged)\s+to\s+(?:zero|nothing)",
        r"kam\s+es\s+(?:\S+\s+){0,6}?zu\s+(?:\S+\s+){0,3}?(?:Blackout|Ausfall|Ausfällen|"
        r"Störung\w*|Problemen|Panne)|kollabier\w*|zusammengebrochen|"
        # the lights going out, the phones falling silent: "erloschen die Lichter",
        # "Millionen Handys verstummen"
        r"erlosch\w*|verstumm\w*|"
        # the business stopped, a separable verb with the time between its parts: "stellten
        # die Bundesbahnen gegen 18 Uhr den Betrieb ein"; nothing working: "ging nichts mehr"
        r"stell\w*\s+(?:\S+\s+){0,10}?(?:Betrieb|Handel|Verkehr|Zugverkehr|Dienst)\w*\s+"
        r"(?:\S+\s+){0,6}?ein\b|(?:ging|gingen|geht|gehen)\s+(?:\S+\s+){0,8}?(?<!gar\s)nichts\s+mehr|"
        # the incident told as happening: "die Vorfälle hätten sich am 5. Juni ereignet"
        r"(?:Vorfall|Vorfälle|Zwischenfall|Zwischenfälle|Störung|Panne|Ausfall)\w*\s+"
        r"(?:\S+\s+){0,10}?(?:ereignet\w*|passiert|geschah|geschehen)\b|(?:ereignete\w*|"
        r"passierte\w*|geschah)\s+(?:\S+\s+){0,4}?(?:Vorfall|Zwischenfall|Störung|Panne|Ausfall)",
    ),
    # Users noticing is their being hit, not the operator finding out: "players notice",
    # "most of the company's customers noticed them", "hardly anyone noticed".
    CueRow(
        "impact",
        2.2,
        r"(?:users|customers|players|people|subscribers|anyone|everyone|viewers|gamers)\s+"
        r"(?:\w+\s+){0,3}?(?:noticed|notice|spotted)",
        r"(?:Nutzer|Kunden|Spieler|Anwender)\w*\s+(?:\S+\s+){0,3}?(?:bemerkt\w*|merkt\w*)|"
        r"(?:bemerkt|merkt)\w*\s+(?:\S+\s+){0,2}?(?:Nutzer|Kunden|Spieler|Anwender)",
    ),
    # Recovering something ("started recovering nodes") is work on the fix.
    CueRow(
        "mitigation",
        2.5,
        r"(?:began|started)\s+recovering\s+(?!from)|appl(?:ied|y|ying)\s+(?:a|the)\s+fix|(?:deployed|rolled\s+out|implemented)\s+(?:a|the)\s+"
        r"fix|put\s+(?:a|the)\s+fix\s+in\s+place|last\s+known\s+good|fail(?:ed)?\s+(?:away|over)|switch(?:ed|ing)?\s+(?:\w+\s+){0,2}?to\s+(?:its\s+|the\s+|a\s+)?(?:backup|disaster\s+recovery|standby|secondary)\b|to\s+restore|(?:raised|increased|"
        r"added|adding)\s+(?:the\s+)?capacity|more\s+(?:machines|servers|instances|nodes|capacity)|activated\s+(?:\w+\s+){0,3}capacity|root\s+cause\s+"
        r"(?:was\s+)?addressed|impact\s+(?:was\s+)?reduced|(?:reduc|lower)(?:ed|es|ing|s)?\s+"
        r"(?:the\s+|their\s+|its\s+)?(?:impact|error\s+rates?|errors|load|latency|delays)|"
        r"working\s+to\s+(?:reduce|restore|fix|mitigate|resolve|address)",
    ),
    # Restoring a part (power, a database, permissions) is work on the fix; the service
    # coming back is the recovery.
    CueRow(
        "mitigation",
        2.5,
        r"(?:power|electricity|cooling|backups?|databases?|permissions?)\s+(?:was|were|had\s+been|"
        r"has\s+been)\s+(?:\w+\s+)?restored|(?:power|electricity|cooling)\s+(?:\w+\s+)?(?:came|"
        r"comes|was|is)\s+back|restor\w*\s+(?:the\s+)?(?:power|electricity|cooling|"
        r"databases?|permissions?)|restoration\s+scripts?|restor\w*\s+(?:\w+\s+){0,3}from\s+"
        r"(?:\w+\s+){0,3}backups?",
        r"(?:Strom\w*|Kühlung)\s+(?:\S+\s+){0,4}wiederhergestellt",
    ),
    # Taking the service down on purpose to repair it.
    CueRow(
        "mitigation",
        2.2,
        r"emergency\s+(?:downtime|maintenance)|(?:going|went|go)\s+(?:\w+\s+)?into\s+"
        r"(?:\w+\s+)?(?:downtime|maintenance)",
        r"Notfallwartung|Wartungsmodus",
    ),
    # A change freeze: "all deployments stopped", "paused the rollout".
    CueRow(
        "mitigation",
        2.5,
        r"(?:stopped|halted|paused|froze|suspended)\s+(?:all\s+|the\s+|further\s+)?(?:deployments?|"
        r"rollouts?|changes)|(?:deployments?|rollouts?|changes)\s+(?:\w+\s+){0,4}(?:stopped|halted|"
        r"paused|frozen|suspended)",
    ),
    # A notice that speaks is a statement, not something noticed: "CISA's Sunday night notice
    # asks every agency to …", "the notice reads …".
    CueRow(
        "communication",
        2.5,
        r"notices?\s+(?:asks?|asked|says?|said|reads?|warns?|warned|states?|stated|tells?|told)\b",
        reported=True,
    ),
    CueRow(
        "detection",
        2.5,
        r"(?:we|team|engineers)\s+(?:were|was)\s+(?:\w+\s+)?alerted|alerted\s+(?:us|the(?!"
        rf"\s+{_TOLD_PARTIES}))|"
        # reports reaching the company, not users starting to report
        r"receiv\w*\s+(?:\w+\s+){0,2}reports|"
        r"support\s+tickets?",
        r"(?:wurden|wurde)\s+alarmiert",
    ),
    # "BT says it alerted Ofcom at 9.05am": telling a regulator or the public is a statement,
    # being alerted ("alerted us", "alerted the on-call engineer") is the detection.
    CueRow(
        "communication",
        2.5,
        rf"alerted\s+(?:the\s+{_TOLD_PARTIES}|(?-i:(?!SREs?\b)[A-Z][\w&]+))",
    ),
    # A peak or a second rise is the incident getting worse: "reached its peak an hour
    # later", "seit 5 Uhr steigen die Meldungen wieder an".
    CueRow(
        "escalation",
        2.5,
        r"peak(?:ed|ing)?|(?:rose|rising|climbed|grew|spiked|increased)\s+again",
        r"Höchststand|Höhepunkt|Spitzenwert|(?:steig|stieg|nehm|nahm)\w*\s+(?:\S+\s+){0,6}"
        r"wieder\s+(?:an|zu)",
    ),
    CueRow(
        WORSE,
        2.2,
        r"at\s+all|so\s+(?:far|badly)\s+that|(?:got|grew|became)\s+worse|worsen(?:ed|ing)?|"
        # failing once more: "login success is suffering again", "down again"
        r"(?:suffer\w*|fail\w*|down|errors|degraded|unavailable|unreachable|offline)\s+again|"
        # a new wave: "a second DDoS attack started"
        r"(?:second|third|another|new|fresh)\s+(?:\w+\s+){0,2}(?:attack|wave|surge)s?|"
        # a sharp rise: "reports jumped to 90,000", "die Zahl der Meldungen schoss in die Höhe"
        r"(?:jump|soar|surg|skyrocket)(?:ed|s|ing)|shot\s+up|(?:rose|climbed|increased|spiked)\s+"
        r"(?:sharply|steeply|rapidly|suddenly)|(?:sharp|sudden|steep)\s+(?:rise|increase|jump|spike)|"
        # the business stopping, not a job paused on purpose: "trading was halted at 12:14",
        # "the SIP stopped disseminating quotes"
        r"(?:trading|flights|departures|trains|securit(?:y|ies)|stocks|shares)\s+(?:\w+\s+){0,3}?"
        r"(?:halted|suspended)|(?:halt\w*|suspend\w*)\s+(?:all\s+)?(?:\w+\s+)?(?:trading|flights|"
        r"departures)|(?:stopped|ceased)\s+(?:trading|disseminating|processing|serving|accepting)",
        r"gar\s+nicht(?:s)?\s+mehr|überhaupt\s+nicht(?:s)?|verschlechter\w*|verschärft\w*|"
        r"(?:zweite|dritte|neue|erneute)\w*\s+(?:\S+\s+){0,2}(?:Angriff|Welle)\w*|"
        r"in\s+die\s+Höhe|sprunghaft\w*|schnellt\w*|explodiert\w*|"
        r"(?:Handel|Flugverkehr|Zugverkehr)\s+(?:\S+\s+){0,4}?(?:ausgesetzt|gestoppt|unterbrochen)",
    ),
    CueRow(
        "escalation",
        2.5,
        r"(?:yellow|red|orange)\s+status|status\s+(?:to\s+)?(?:red|yellow|orange)|incident\s+"
        r"coordinator|major\s+incident|declared\s+(?:an?\s+)?(?:\w+\s+){0,3}incident|incident\s+"
        r"(?:call|bridge)|(?:crisis|emergency)\s+(?:meeting|team|call|room|bridge)|"
        r"(?:additional|more|further|extra)\s+(?:\w+\s+)?(?:engineers|teams|staff|"
        r"experts|responders)",
    ),
    CueRow(
        "impact",
        2.5,
        r"impact\s+(?:starts|started|begins|began)|(?:began|started)\s+(?:to\s+)?return(?:ing)?\s+"
        r"(?:\w+\s+){0,4}errors|(?:reports|complaints)\s+(?:\w+\s+){0,4}(?:began|started|poured|"
        r"flooded|piled|came\s+in|arrived|surfaced)|(?:came|ground|grinding)\s+to\s+a\s+halt|"
        # "the first reports of declined cards came at around 6.30pm"
        r"first\s+(?:reports|complaints)\s+(?:\w+\s+){0,4}came|"
        r"(?:began|started)\s+to\s+(?:spike|surge|climb|rise|fail)|(?:lost|losing|loses?)\s+(?:\w+\s+)?"
        r"(?:service|power|connectivity|access|connection|traffic|packets|communications?|contact)|felt\s+the\s+(?:\w+\s+)?effects?|"
        # "large parts of the country lost electricity"; "the areas that lost electricity"
        # describes whom the fix is for
        r"(?<!that\s)(?<!which\s)(?<!who\s)lost\s+electricity|"
        # "ran into a problem on Tuesday", "ran into technical difficulties"
        r"ran\s+into\s+(?:an?\s+)?(?:\w+\s+)?(?:problems?|troubles?|glitch(?:es)?|issues?|difficult(?:y|ies))",
        r"nicht\s+(?:mehr\s+)?wie\s+gewohnt|"
        # "Seit Samstag klappt die Anmeldung nicht": a thing that fails to work
        r"(?:klappt|klappen|klappte|klappten)\s+(?:\S+\s+){0,6}?(?:nicht|kaum)\b|(?:steht|stehen|stand|standen)\s+(?:\S+\s+){0,8}?still\b|"
        r"Stillstand|zum\s+Erliegen|häuften\s+sich|(?:begann|begannen)\s+"
        r"(?:die\s+)?(?:\S+\s+)?(?:Meldungen|Beschwerden)|(?:Meldungen|Beschwerden)\s+(?:\S+\s+){0,6}"
        r"(?:begann|begannen|häuften)",
    ),
    CueRow(
        "impact",
        2.0,
        r"(?:stopped|ceased)\s+(?:announcing|advertising)|"
        r"(?:beg[ia]ns?|start(?:s|ed)?)\s+(?:to\s+)?(?:report(?:ing)?|experienc\w+|see(?:ing)?)"
        r"(?!\s+(?:\w+\s+){0,2}recovery)|"
        r"(?:starting|beginning)(?:\s+(?:at|from|on)\b|(?=\s+\d))|experienc\w*\s+(?:\w+\s+){0,2}(?:issues|"
        r"errors|problems|difficult\w+|disruption\w*)|(?:outage|blackouts?|problems|errors|incident|troubles?|"
        r"issues?|disruption|degradation|attack|wave|episode|recurrence|(?:next|second|third|"
        r"another)\s+one)[\"'”’]?,?\s+(?:(?:which|that)\s+)?(?:began|started)|"
        r"(?:began|started)\s+(?:the\s+)?outage|stopped\s+working|could\s+no\s+longer|no\s+longer\s+(?:work|load|"
        r"respond)\w*",
        r"meldeten\s+(?:\S+\s+){0,6}(?:Probleme|Störungen|Ausfälle)|(?:Probleme|Störung\w*|"
        r"Ausfall|Ausfälle|Verbindungsprobleme|Blackouts?)\s+(?:\S+\s+){0,2}?(?:began|begann\w*|startete\w*)|"
        r"begann\w*\s+(?:der\s+|die\s+)?(?:Störung|Ausfall|Blackout)|tauchten\s+(?:\S+\s+){0,6}auf|"
        r"nicht\s+(?:mehr\s+)?(?:zu\s+erreichen|funktionier\w+)|funktionier\w*\s+(?:\S+\s+){0,4}"
        r"nicht\s+mehr",
    ),
    CueRow(
        "communication",
        2.5,
        r"(?:(?:publish|releas|issu|shar)(?:ed|es|ing)\s+|put(?:s|ting)?\s+out\s+)(?:a|an|the|its|our|their)\s+"
        r"(?:\w+\s+)?"
        r"(?:blog\s+post|post|update|statement)|(?-i:ISSUE\s+SUMMARY)|correction\s+to|"
        r"(?:with|gave)\s+an?\s+(?:\w+\s+)?update|"
        # a post named by its stamp: "an update time-stamped 08:19PM", "in an Aug. 22 blog
        # post"; not "said in a blog post that at 15:58 UTC it noticed …"
        r"(?:update|post|report|statement|notice)\s+(?:time-?stamped|dated)|in\s+(?:an?|the|its|"
        r"his|her|their)\s+(?:[\w.]+\s+)?\d[\w,]*\s+(?:[\w.]+\s+)?(?:blog\s+post|post|statement|"
        r"letter|update)",
        r"machte\w*\s+(?:\S+\s+){0,8}?bekannt|bekannt\s*gemacht",
    ),
    # A post or a statement as the subject: what it said wins ("a media statement at 7 a.m.
    # said services had been restored"), else it is the moment.
    CueRow(
        "communication",
        2.5,
        r"(?:second|further|new|another|next|latest|first)\s+(?:public\s+)?(?:posts?|updates?|"
        r"statement|tweet|responses?|messages?|alerts?|notices?)|"
        r"press\s+(?:conference|release|briefing)|media\s+(?:\w+\s+)?(?:"
        r"interview|briefing|statement|release)",
        r"Pressekonferenz|Pressemitteilung|Medienmitteilung",
        reported=True,
    ),
    # "confirmed the outage", "owned up to a power outage": the news is the statement, unless
    # it says more ("confirmed the problem, saying staff had identified it").
    CueRow(
        "communication",
        2.5,
        r"(?:confirm\w*|acknowledg\w*|owned\s+up\s+to)\s+(?:the\s+|an?\s+)?(?:\w+\s+)?(?:outage|"
        r"issues?|problems?|incident|disruption|attack)",
        r"(?:bestätigt\w*|räumt\w*\s+(?:\S+\s+){0,3}ein)\s+(?:\S+\s+){0,8}(?:Störung|Ausfall|"
        r"Probleme|Angriff|Einschränkung\w*)",
        reported=True,
    ),
    # Services dropping out one after another: "now also having trouble", "spread to".
    CueRow(
        "escalation",
        2.2,
        r"(?:now|then)\s+also|also\s+now|spread(?:s|ing)?\s+(?:\w+\s+){0,2}(?:to|across|globally|"
        r"worldwide|further)|(?:much\s+)?(?:broader|wider)\s+(?:impact|outage)|(?:grew|"
        r"developed|escalated)\s+into",
        r"(?:breitete|weitete)\w*\s+(?:\S+\s+){0,6}aus|ausgeweitet|nun\s+auch|jetzt\s+auch",
    ),
    # ------------------------------------------------------------------ reported speech
    CueRow(
        "communication",
        1.0,
        r"(?:said|wrote|tweeted|posted|announced|confirmed)\s+(?:at|around|about|shortly\s+"
        r"(?:after|before))",
        r"(?:erklärte|schrieb|meldete|twitterte)\s+(?:um|gegen)",
        reported=True,
    ),
    # The fix holding: "the remediations are working", "mitigation confirmed".
    CueRow(
        "recovery",
        2.5,
        r"(?:fix(?:es)?|mitigations?|remediations?|measures)\s+(?:\w+\s+)?(?:is|are|was|were)\s+"
        r"(?:working|effective|holding)|mitigation\s+(?:was\s+|has\s+been\s+)?confirmed",
    ),
    # Reports and errors dying down.
    CueRow(
        "recovery",
        2.0,
        r"under\s+control|(?:subsid|dwindl)\w+|(?:eas|taper)(?:ed|ing)\s+off|died\s+down|"
        r"(?:began|started|seemed)\s+to\s+ease|"
        # "the number of reports had dropped sharply", "the DDoS attacks had stopped"
        r"(?:reports|complaints|errors|error\s+rates?)\s+(?:\w+\s+){0,2}?(?:dropped|fell|"
        r"fallen|declined|decreased)(?!\s+(?:\w+\s+)?to\s+(?:zero|nothing))|(?:(?:DDoS\s+)?attacks?|errors|outages?|"
        r"problems|issues|disruptions?)\s+(?:had\s+|have\s+|has\s+)?(?:stopped|ceased)\b"
        # not what the attack stopped: "the attack stopped the channel from broadcasting"
        r"(?!\s+\w+ing)(?!\s+(?:\S+\s+){0,4}?from\b)",
        r"(?:Lage|Situation)\s+(?:\S+\s+){0,3}?(?:entspannte\s+sich|sich\s+(?:\S+\s+){0,2}?"
        r"entspannt\b)|entspannte\s+sich\s+(?:\S+\s+){0,2}?(?:Lage|Situation)|im\s+Griff|ging\w*\s+(?:\S+\s+){0,10}zurück|zurückgegangen|gesunken|sanken?|"
        r"Rückgang|abgeklungen|ließ\w*\s+(?:\S+\s+){0,4}nach",
    ),
    # The trouble told with its end alone: "the ground stop lasted until 11:30 PM", "some
    # customers were affected until around 9pm". Not for a time before it ("began at 10:00
    # and lasted until 15:00": a range, whose start is the impact).
    CueRow(
        UNTIL,
        2.2,
        r"(?:lasted|lasting|affected)\s+(?:\w+\s+){0,2}?until(?=\s+(?:about\s+|around\s+|"
        r"approximately\s+|just\s+after\s+)?\d)",
    ),
    # A state kept up until a time ends then: "some customers kept seeing errors until 19:00".
    CueRow(
        "recovery",
        2.2,
        # not "lasted": "began at 10:00 and lasted until 15:00" is a range, read as one
        r"(?:kept|continued|persisted|remained|went\s+on)\s+(?:\w+\s+){0,5}until|"
        # a restriction lifted: "the ground stop was lifted at 8:40"
        r"lifted",
        r"(?:hielt|hielten)\s+(?:\S+\s+){0,5}bis|aufgehoben",
    ),
    # First signs of recovery: as strong as the fix words around them, so the nearer wins
    # ("applied initial mitigations and we are observing early signs of recovery").
    CueRow(
        "recovery",
        2.0,
        r"(?:began|started)\s+to\s+see\s+(?:\w+\s+){0,2}recovery|(?:first\s+|early\s+)?signs\s+of"
        r"\s+recovery|seeing\s+(?:\w+\s+){0,2}recovery",
    ),
    # ------------------------------------------------------------------ trigger
    # Something done by mistake is how it began: "the gateway is inadvertently disabled".
    CueRow(
        MISTAKE,
        0.5,
        r"inadvertent(?:ly)?|accidental(?:ly)?|mistakenly|by\s+mistake|unintended|unintentional(?:ly)?",
        r"versehentlich\w*|irrtümlich\w*|aus\s+Versehen",
    ),
    # The supply failing, not the servers losing it: "the power outage began at 2:30",
    # "utility power failed", "a transformer suffered a fault", "ein Stromausfall".
    CueRow(
        "trigger",
        2.2,
        r"(?:power|electricity|electrical)\s+(?:outage|failure|cut|loss|surge|supply\s+"
        r"(?:failed|failure))s?|(?:utility|mains)\s+power\s+(?:\w+\s+){0,4}?(?:fail\w*|outage|loss|cut|dropped)|"
        r"power\s+(?:utility|company|grid|"
        r"feeds?)|transformers?|circuit\s+breakers?|cut\s+off\s+(?:\w+\s+)?(?:power|electricity)",
        r"Stromausf[aä]ll\w*|Stromversorgung|Stromnetz\w*|Transformator\w*|Spannungs\w+",
    ),
    # What set it off from outside, told as it struck: a fire breaking out, lightning, a storm
    # cutting the power, the supplier losing it, an attack striking, a route leak.
    CueRow(
        "trigger",
        2.4,
        r"(?:fire|blaze)[,\s]+(?:which\s+|that\s+)?(?:broke\s+out|breaking\s+out|began|started|"
        r"erupted)|lightning|(?:thunder)?storms?\s+(?:\w+\s+){0,2}?(?:struck|hit|cut|knocked|damaged)|"
        r"(?:utility|power|electricity)\s+(?:provider|company|supplier)\s+(?:\w+\s+)?(?:lost|"
        r"suffered|had)|attacks?\s+(?:\w+\s+){0,2}?(?:struck|hit)|(?:was|were|had\s+"
        r"been)\s+attacked|(?:announc|advertis|leak|pass)\w*\s+(?:(?!\d)\S+\s+){0,3}?(?:the\s+)?"
        r"[\d.:]+/\d+(?:\s+prefix)?",
        r"Blitz\w*|Einschlag\w*|Unwetter|angegriffen|(?:Attacke|Angriff)\w*\s+(?:\S+\s+){0,3}?"
        r"(?:ausgeführt|verübt|gestartet)|(?:ausgeführt|verübt)\w*\s+(?:\S+\s+){0,2}?(?:Attacke|"
        r"Angriff)\w*",
    ),
    CueRow(
        "trigger",
        2.0,
        r"trigger(?:ed|s)?|onset|introduced|kicked\s+off|broke\s+out|(?-i:Not\s+After)|"
        # what someone put out or took away that set it off: "advertised faulty routes",
        # "unpublished all his packages"
        r"(?:advertis|leak)\w*\s+(?:\S+\s+){0,4}?routes?\b|unpublish\w*",
        r"ausgelöst|auslöste|lösten?\s+\w+\s+aus|verursacht\w*|Auslöser|ausgebrochen|"
        r"brach\s+(?:\S+\s+){0,4}aus|abgelaufen",
    ),
    # An attack that hit the company is how a ransomware or DDoS incident began: "was hit by
    # the cyberattack May 7", "the ransomware attack of May 7", "wurde gehackt", "Opfer eines
    # Cyberangriffs", "Server mit einer Schadsoftware infiziert". Its words open with letters
    # that few other words have: no "was", "it" or "in" that would cost a try at every one.
    CueRow(
        ATTACK,
        2.0,
        r"(?:cyber-?\s?attack|ransomware\s+attack|cyber\s+incident|DDoS\s+attack)s?|hacked|"
        # struck by an attack of any name ("was hit by a hacker attack"); the name alone is
        # talk about it ("no details of the hacker attack")
        r"(?:was|were|been)\s+(?:\w+\s+)?hit\s+by\s+(?:an?\s+|the\s+)?(?:\S+\s+){0,2}?attacks?|"
        r"breached|(?:hackers?|attackers?|criminals|intruders?)[,\s]+(?:\w+,?\s+){0,2}?(?:attacked|"
        r"breached|encrypted|broke\s+in\w*|(?:got|broke|gained)\s+(?:\w+\s+)?(?:into|access))|"
        r"encrypted\s+(?:\w+\s+){0,3}?(?:systems|servers|files|data|computers)|phishing|"
        # the theft itself: "hackers stole $1.4 billion", "made off with the source code"
        r"stole|made\s+off\s+with|exfiltrat(?:ed|ing)|"
        # the attack told from its target's side: "came under attack", "targeted it with
        # ransomware"
        r"came\s+under\s+(?:\w+\s+)?attack|targeted\s+(?:\S+\s+){0,4}?(?:with\s+)?(?:ransomware|"
        r"malware|DDoS)",
        r"gehackt|Opfer\s+(?:\S+\s+){0,2}(?:Cyber|Hacker|Ransomware|DDoS)?-?[Aa]ngriff\w*|"
        r"(?:Cyber|Hacker|Ransomware)-?[Aa]ngriff\w*|(?:Cyber|Hacker|DDoS|IT)-?[Aa]ttacke\w*|"
        r"verschlüsselt|eingedrungen|drangen\s+(?:\S+\s+){0,6}ein\b|Schadsoftware|Phishing\w*|"
        # "wurde Ziel eines Angriffs", "verschafften sich Zugang", "Hacker griffen … an"
        r"Ziel\s+(?:\S+\s+){0,3}?\S*(?:[Aa]ngriff|[Aa]ttacke)\w*|Zugang\s+(?:\S+\s+){0,6}?"
        r"verschafft\w*|verschaff\w*\s+(?:\S+\s+){0,6}?Zugang|(?:Hacker|Angreifer|Täter|"
        r"Kriminelle)\w*\s+(?:\S+\s+){0,2}?griff\w*\s+(?:\S+\s+){0,12}?an\b|"
        r"(?:Angriff|Attacke)\w*\s+ausgesetzt",
    ),
    # Once the story has named it, "the attack" alone is the same event: "The attack was first
    # made public on October 12", "Passiert sei der Angriff bereits am Freitag". Weak, so a
    # sentence that tells more than the attack keeps its own kind; enough for a date to stand.
    CueRow(
        ATTACK,
        1.0,
        r"attacks?,?\s+(?:\w+,?\s+){0,6}?(?:came|started|began|happened|took\s+place|occurred|"
        r"was\s+(?:first\s+)?(?:made\s+public|discovered|detected|noticed))\b",
        r"(?:Angriff|Attacke)\w*\s+(?:\S+\s+){0,16}?(?:erfolgt\w*|geschah|passiert\w*|ereignet\w*|"
        r"statt|stattgefunden|begonnen|begann|öffentlich|bekannt)\b|(?:passiert|erfolgt|begonnen|geschah|"
        r"ereignete|fand)\s+(?:\S+\s+){0,4}?(?:Angriff|Attacke)\w*",
    ),
    # A change reaching production: the trigger before the incident, the fix after it
    # began (`resolve_changes` decides from the story told so far).
    CueRow(CHANGE, 2.0, r"roll(?:ed|ing|s)?\s+out|pushed(?!\s+back)|(?:re)?deploy(?:ed|s)"),
    # An update put in: "a software update was applied on 19 June", "a software upgrade made
    # on Tuesday night" (not "later updates made clear"), "installed the update", "updated
    # configuration data".
    CueRow(
        CHANGE,
        2.0,
        r"(?:update|upgrade)s?\s+(?:(?:was|were|had\s+been)\s+)?(?:applied|installed|performed|"
        r"carried\s+out|made(?=\s+(?:on|at|in|by|over|during)\b))|(?:appl(?:ied|ying)|install(?:ed|ing)|perform(?:ed|ing))\s+(?:an?\s+|the\s+|"
        r"its\s+)?(?:\w+\s+){0,2}?(?:update|upgrade)s?|updated\s+(?:the\s+|its\s+)?(?:\w+\s+)?"
        r"configuration",
    ),
    # A migration getting under way: the trigger before anything broke ("started moving the
    # customer records to a new platform on Friday"), the fix once traffic is moved away.
    CueRow(
        CHANGE,
        2.0,
        r"(?:began|started|begun)\s+(?:moving|migrating|to\s+(?:move|migrate)|the\s+(?:migration|"
        r"switch-?over|cut-?over))|(?:migration|switch-?over|cut-?over)\s+(?:began|started)",
        r"(?:begann|begannen|startete\w*)\s+(?:\S+\s+){0,3}(?:Umstellung|Migration|Umzug)|"
        r"(?:Umstellung|Migration|Umzug)\s+(?:\S+\s+){0,3}(?:begann|startete\w*)",
    ),
    CueRow(CHANGE, 1.5, r"releas(?:ed|es|e|ing)"),
    CueRow(
        "trigger",
        1.2,
        r"ran\s+(?:a|the)\s+(?:\w+\s+)?(?:command|script)|mistyped|typo|(?-i:chang(?:ed|e))|"
        r"decide[sd]?\s+to\s+remove|expired|expir(?:y|ation)",
    ),
    # Below the state words: "the outage began" reports the outage; alone, a start.
    CueRow(
        START,
        0.9,
        r"began|begun|begins?|beginning|start(?:ed|s|ing)?|initiated",
        r"begann(?:en)?|beginnt|Beginn|begonnen|startete\w*|angefangen|fing\w*\s+(?:\S+\s+){0,3}?an\b",
    ),
    CueRow(
        BLAME,
        1.0,
        r"(?:was|were)\s+behind|(?:was|were)\s+to\s+blame|blam(?:ed|es|ing)\s+(?:\S+\s+){0,6}?on|"
        r"(?:root\s+)?cause\s+(?:of\s+(?:\S+\s+){0,4}?)?(?:was|is)(?!\s+(?:not|still|yet|unknown|"
        r"unclear|being|under)\b)|"
        # not a denial: "was not due to the incident in Iowa"
        r"(?:was|were)\s+(?!not\b)(?:\w+\s+)?(?:due\s+to|caused\s+by)",
        r"Ursache\s+(?:\S+\s+){0,6}?(?:war|sei|ist)|zurückzuführen|steck\w*\s+(?:\S+\s+){0,6}?"
        r"hinter",
    ),
    # A cause named with the start: "errors began at 02:25, caused by a routing problem".
    CueRow(
        CAUSE,
        1.0,
        r"caused(?:\s+by)?|(?:with|after)\s+an?\s+(?:\w+\s+){0,2}(?:change|update|deploy(?:ment)?|push)",
        r"verursacht\w*|ausgelöst\s+durch",
    ),
    CueRow(
        CHANGE,
        1.0,
        r"deploy(?:ment|ing)?",
        r"verteilt\w*|ausgerollt|ausgeliefert|eingespielt",
    ),
    # ------------------------------------------------------------------ detection
    CueRow(
        "detection",
        2.0,
        r"detect(?:ed)?|identif(?:ied|y|ying)|notic(?:ed|e)|alert(?:ed|s)?|alarms?|paged|"
        r"investigat(?:ing|e|ed|ion)|became\s+aware|discover(?:ed|y)|root\s+cause|diagnos\w+|"
        r"found\s+(?:the\s+|an?\s+)?(?:\w+\s+){0,2}(?:cause|errors?|bugs?|faults?|problems?|issues?)|"
        r"look(?:s|ed|ing)?\s+into|spotted|learn(?:ed|t)\s+(?:of|about)\b|(?:established|determined|concluded|"
        r"realized|realised)\s+that",
        r"bemerkt\w*|festgestellt|stellten?\s+(?:\S+\s+){0,4}fest|erkannt\w*|identifiziert\w*|"
        # "the cause was established": "stand die Ursache fest"
        r"st(?:and|anden)\s+(?:\S+\s+){0,3}?fest|"
        r"Alarm\w*|entdeckt\w*|untersuch\w+|Ursache\s+(?:\S+\s+){0,3}gefunden|"
        # "fielen bei Routinearbeiten Unregelmäßigkeiten auf", "Aufgefallen ist der Befall":
        # the separable verb with its particle closing the clause
        r"(?:fiel|fielen)\s+(?:\S+\s+){0,10}?auf(?=\s*[.,;:!?)])|aufgefallen",
    ),
    # "XSS detection", "aware that some people …": nouns and adjectives that often
    # describe something else than the moment of detection.
    CueRow("detection", 1.0, r"detection|aware"),
    # ------------------------------------------------------------------ impact
    CueRow(
        "impact",
        1.0,
        r"errors?|error\s+rates?|elevated|increased|outages?|degrad\w+|disrupt\w*|unavailable|inaccessible|"
        r"unreachable|fail(?:ed|ing|ures?|s)?|impair\w*|impacted|affected|crash(?:ed|es|ing)?|"
        r"latenc\w+|timeouts?|offline|went\s+dark|went\s+down|grounded|ground\s+stops?|"
        r"congest\w+|spik(?:e|ed|es|ing)|could\s+not|lasted|5\d\d|glitch(?:es|ed)?|interrupt\w*|"
        r"crippl\w+|impacting|downtime|go(?:es|ing)\s+dark|"
        # the trouble under other names: "a computer malfunction on Wednesday", "suffered an
        # anomaly", "was disconnected on Tuesday"
        r"malfunction\w*|anomal(?:y|ies)|disconnected",
        r"Ausf(?:a|ä)ll\w*|ausgefallen|fiel\w*\s+(?:\S+\s+){0,8}?aus\b|brach\w*\s+(?:\S+\s+){0,8}?(?:weg|zusammen)\b|"
        r"lie(?:ß|ss)\w*\s+sich\s+(?:\S+\s+){0,6}?(?:nicht|weder|kaum|keine?)\s+(?:\S+\s+){0,6}?"
        r"(?:erreichen|nutzen|aufrufen|laden|öffnen)|Fehler\w*|Störung\w*|gestört|"
        # "could not": "konnte sich niemand mehr anmelden", "konnten keine Nachrichten senden"
        r"konnte\w*\s+(?:\S+\s+){0,12}?(?:nicht|niemand|keine?)\b|"
        r"versag\w*|nicht\s+(?:mehr\s+)?(?:erreichbar|verfügbar|nutzbar)|Schwierigkeit\w*|beeinträchtig\w*|lahm\w*|abgestürzt|Absturz|"
        r"stürzt\w*\s+(?:\S+\s+){0,4}ab|eingestellt|gestrichen|betroffen\w*|Bluescreen|dauerte\w*|"
        r"eingeschränkt\w*|Einschränkung\w*|unbrauchbar\w*|"
        # "unterbrechen müssen", "Unterbrechung"; "nicht per Mail erreichbar"
        r"unterbr(?:a|e|o)ch\w*|Unterbrechung\w*|nicht\s+(?:\S+\s+){1,4}?(?:erreichbar|verfügbar|"
        r"nutzbar)\b",
    ),
    # Trouble told as had, run into or gone down: "had widespread trouble delivering games",
    # "ran into major technical trouble", "was down for hours", "gab es massive Probleme",
    # "sorgten bis Donnerstagmorgen für Probleme". The words alone are weak (below).
    CueRow(
        "impact",
        1.2,
        r"(?:had|has|have|having|ran\s+into|running\s+into|run\s+into)\s+(?:\w+\s+){0,3}?(?:problems?|"
        r"troubles?|issues|difficult(?:y|ies))|(?:was|were|is|are|been|goes|go|went|gone|going)\s+"
        r"(?:\w+\s+)?down(?!\s+(?:to|by|from)\b)(?!\s+\d)|"
        # out of use in other words: "out of service since Sunday", "reported technical
        # difficulties", "the power went out", "brought service to a standstill", "stranded"
        r"out\s+of\s+(?:service|action|order|reach)|technical\s+(?:difficult(?:y|ies)|hitch(?:es)?)|"
        r"(?:power|electricity|lights)\s+went\s+out|standstill|stranded",
        r"(?:gab|gibt|hatte|hatten|hat|haben)\s+(?:\S+\s+){0,6}?\S*Probleme\w*|sorgt\w*\s+"
        r"(?:\S+\s+){0,6}?für\s+(?:\S+\s+){0,2}?(?:Probleme\w*|Störung\w*|Chaos|Ausfälle\w*)",
    ),
    # German ways of saying a thing does not work, with no word for the outage: "hakt es am
    # Flughafen beim Einchecken", "ein Krankenhaus außer Gefecht", "hatten keinen Strom",
    # "ist nicht mehr im Netz", "lässt sich vielerorts nicht bezahlen", "funktionierten
    # Kartenzahlungen nicht", "ging die App nicht", a breakdown ("eine Computerpanne", see
    # `_compound_cues`) and the flights it delays ("erhebliche Verspätungen").
    CueRow(
        "impact",
        1.0,
        german=r"Panne\w*|Verspätung\w*|hakt\w*|klemmt\w*|au(?:ß|ss)er\s+Gefecht|"
        r"kein\w*\s+(?:Strom|Netz|Empfang|Internet|Verbindung)\b|nicht\s+(?:mehr\s+)?(?:im|am)\s+"
        r"Netz\b|arbeitsunfähig|Zusammenbruch|"
        r"(?:lässt|lassen|ließ\w*|liess\w*)\s+sich\s+(?:\S+\s+){0,6}?(?:nicht|kaum|keine?|weder)\s+"
        r"(?:\S+\s+){0,6}?(?:erreichen|nutzen|aufrufen|laden|öffnen|bezahlen|zahlen|telefonieren|"
        r"buchen|abheben|anmelden|einloggen|bedienen|verschicken|senden|empfangen|abrufen|starten)\b|"
        r"funktionier\w*\s+(?:\S+\s+){0,8}?nicht\b|"
        r"(?:ging|gingen|geht|gehen)\s+(?:\S+\s+){0,4}?nicht\b(?!\s+(?:davon|darum|um|von|so|mehr\s+um)\b)",
    ),
    CueRow("impact", 0.5, r"problems?|issues?|troubles?|down", r"Probleme?n?"),
    # ------------------------------------------------------------------ escalation
    CueRow(
        "escalation",
        2.0,
        r"escalat\w+|war\s+room|all\s+hands|incident\s+commander|SEV\s?\d|upgraded",
        r"eskalier\w*|Eskalation|Krisenstab",
    ),
    CueRow("escalation", 1.0, r"declared|engaged|joined"),
    # ------------------------------------------------------------------ mitigation
    CueRow(
        "mitigation",
        2.0,
        r"mitigat\w+|repair(?:ed|s|ing)?|throttl\w+|rate[\s-]limit\w*|rolled\s+back|roll(?:ed)?back|revert\w*|"
        r"disabl\w+|kill|workaround|failed\s+over|failover|fix(?:es)?\s+(?:was\s+)?(?:deployed|"
        r"applied|implemented)|terminat(?:e|es|ed|ing)|remediat\w+|repell?(?:ed|s)?|fended\s+off|"
        # taking a part out on purpose: "switched off a peering location", "took our ports down"
        r"switch(?:ed|ing)?\s+off|(?:take|took|taken|taking)\s+(?:\S+\s+){0,4}?(?:down|offline)\b|"
        r"to\s+(?:stop|contain|limit)\s+the\s+spread",
        r"Drosselung|gedrosselt|repariert|Reparatur\w*|drossel\w*|zurückgezogen|zog\w*\s+(?:\S+\s+){0,5}zurück|"
        r"zurückgenommen|rückgängig|Gegenmaßnahm\w*|abgeschaltet|deaktiviert|gelöscht|eingedämmt|"
        r"abgewehrt|(?:nahm|nahmen|nimmt|genommen)\s+(?:\S+\s+){0,8}?vom\s+Netz|vom\s+Netz\s+genommen",
    ),
    CueRow(
        "mitigation",
        1.5,
        r"relax\w*|restart\w*|isolat\w+|re-?enabl(?:ed|es|e|ing)|removed|pulled|fix(?:es)?|block(?:ed|ing)|"
        r"froze|freeze|addressed",
    ),
    # Taking its own systems off the net to contain an attack: "shut down its entire
    # network", "musste seine Server herunterfahren".
    CueRow(
        "mitigation",
        1.5,
        r"(?:shut(?:ting)?|powered)\s+down\s+(?:\w+\s+){0,2}?(?:its|their|our|all|the)\s+"
        r"(?:\w+\s+){0,2}?(?:systems|servers|networks?|computers)|"
        # "shut off the gas flow", "a full shutdown of our information systems"
        r"shut\s+off|(?:full|complete|emergency)\s+shutdown|"
        # the operator taking its own service down by name: "the vendor shut ChatGPT down"
        r"shut\s+(?-i:[A-Z])\w+\s+down\b",
        r"fuhr(?:en)?\s+(?:\S+\s+){0,6}?herunter|herunter(?:gefahren|fahren)|abgekoppelt|"
        r"Notabschalt\w*",
    ),
    # The fault appearing: "trat der Fehler gegen 13.30 Uhr auf", "seien Störungen aufgetreten".
    CueRow("impact", 2.5, german=r"(?:trat|traten)\s+(?:\S+\s+){0,10}?auf\b|aufgetreten"),
    # Cutting its own link as a precaution: "hat vorsorglich seine Internetverbindung gekappt".
    CueRow("mitigation", 2.2, r"as\s+a\s+precaution", r"vorsorglich\w*|gekappt"),
    # "were knocked offline", "knocked out the Linode Manager": the service taken down.
    CueRow("impact", 2.0, r"knock(?:ed|s|ing)?\s+(?:\w+\s+){0,4}?(?:offline|out)"),
    # "ging die Plattform in die Knie": the service giving way.
    CueRow("impact", 2.0, german=r"(?:ging|gingen|geht|gehen)\s+(?:\S+\s+){0,4}?in\s+die\s+Knie"),
    CueRow(
        "mitigation",
        1.8,
        r"lock(?:ed|ing)?|paus(?:ed|ing)|halt(?:ed|ing)|stop\s+running|to\s+prevent|backups?|"
        r"backlog|improv(?:ed|ing|ement)",
    ),
    # ------------------------------------------------------------------ recovery
    CueRow(
        "recovery",
        2.0,
        r"recover(?:ed|ing|s)?|restor(?:ed|e|ing)|resolv(?:ed|ing)|regain(?:ed|s|ing)?|"
        r"(?:return\w*|back)\s+(?:to|at)\s+(?:\w+\s+){0,3}?normal(?:ity|cy)?|back\s+online|com(?:e|ing)\s+back|came\s+back|operating\s+(?:as\s+)?normal(?:ly)?|"
        r"(?:flow|work|run|perform|function|behav|trad)\w*\s+normally|"
        r"normal\s+operations?|re-?establish(?:ed)?|fully\s+operational|end(?:ed|s)|(?:was|is)\s+over|"
        r"resum(?:ed|e)|re-?opened|normal\s+(?:\w+\s+){0,2}?(?:returned|resumed)|(?:trading|markets?|exchange)\s+(?:\w+\s+){0,3}?opened|"
        # "brought a first group of dealers live", "brought the site back online"
        r"(?:brought|bringing)\s+(?:\S+\s+){0,6}?(?:back\s+)?(?:live|online)|"
        r"(?:was|were|is|are)\s+(?:now\s+)?back(?:\s+up)?|we(?:\s+are|\s*['’]re)\s+back|"
        # "all computers were up and running" (not "is up and running today", a state at the
        # time of writing), "power returned to some areas", "began
        # returning its pipelines to service"
        r"(?:was|were|been)\s+(?:\w+\s+)?up\s+and\s+running|(?:power|electricity|supply|service)\s+(?:\w+\s+)?returned|"
        r"return\w*\s+(?:\S+\s+){0,4}?to\s+service|back\s+in\s+service|stabili[sz](?:ed|es|e)|(?:services?|systems?|"
        r"operations?)\s+(?:\w+\s+){0,2}normal(?:ly)?|"
        # the trouble fixed, told on its own ("the outage was identified at 4:30pm and fixed by
        # 8pm", "sei am Vormittag behoben worden"); a fix put in is the mitigation
        r"(?<!not\s)(?<!n't\s)fixed(?![\s-]+(?:lines?|dates?|prices?|(?:tele)?phon\w*|network|wireless|broadband|"
        r"costs?|rates?|terms?|income|assets?)\b)",
        r"behoben|beseitigt|wiederhergestellt|Wiederherstellung|stellt\w*\s+(?:\S+\s+){0,6}wieder\s+her|"
        r"wieder\s+(?:erreichbar|verfügbar|aufgenommen|online|normal|stabil|bereit|nutzbar|in\s+"
        r"Betrieb)|wieder\s+geöffnet|wieder\s+ans\s+Netz|"
        # words between: "wieder ohne Einschränkung verfügbar", "wieder «vollumfänglich
        # verfügbar»"
        r"wieder\s+(?:\S+\s+){1,5}?\W?(?:erreichbar|verfügbar|nutzbar|aufrufbar)\b|"
        # switched back on: "wieder hochgefahren", "werden wieder freigeschaltet"
        r"wieder\s+(?:hochgefahren|freigeschaltet|freigegeben|angeschlossen)\b|"
        # supply and traffic back: "wieder versorgt", "kam die Versorgung wieder in Gang", "den
        # Handel wieder aufnehmen", "rollten die Züge wieder", "fahren die Bahnen wieder"
        r"wieder\s*(?:aufrufbar|versorgt|hergestellt|in\s+Gang|aufnehmen|aufzunehmen)|"
        r"(?:fuhr|fuhren|fährt|fahren|rollt|rollte|rollten|rollen)\s+(?:\S+\s+){0,6}?wieder\b|"
        # the situation calming down: "die Lage beruhige sich wieder"
        r"beruhig\w*\s+(?:\S+\s+){0,3}?wieder|"
        r"funktioniert\w*\s+wieder|normalisiert\w*|"
        # the separable verb whole in a subordinate clause: "dass der Verkehr wieder anläuft"
        r"wieder\s+an(?:läuft|laufen|gelaufen|lief|liefen)\b|"
        # "Das System arbeitet seit Mittwoch wieder"
        r"(?:arbeitet|arbeiten|arbeitete|arbeiteten)\s+(?:(?!um\b)\S+\s+){0,6}?wieder\b(?!\s+(?:an|daran)\b)|ende(?:te|ten|t)|beendet|"
        # a separable verb's parts stand apart, with the time between them: "lief der Dienst
        # kurz nach 12 Uhr wieder", "nahm die Börse den Handel um 15 Uhr wieder auf"
        r"(?:läuft|laufe|laufen|lief|liefen|öffnete\w*)\s+(?:\S+\s+){0,14}?wieder(?:\s+an\b)?|"
        r"(?:nimmt|nehmen|nahm|nahmen)\s+(?:\S+\s+){0,14}?wieder\s+auf|"
        r"funktionier(?:t|te|e|en)\w*\s+(?:\S+\s+){0,8}wieder|Normalwert\w*|stabilisiert\w*",
    ),
    # "its disaster recovery platform" names a facility, not things working again.
    CueRow(
        "recovery", 1.5, r"succeed(?:ed|ing)?|completing\s+successfully|(?<!disaster\s)recovery"
    ),
    # "and again from 21:14": a recurrence, not things working again.
    CueRow(
        "recovery",
        1.2,
        r"again(?!\s+(?:from|between|at|starting|on)\b)|proper\s+operation|operational|stable",
    ),
    # ------------------------------------------------------------------ communication
    # Announcing, tweeting or posting *that* something happened: what was said wins ("AT&T
    # announces on its website that wireless service has been restored").
    CueRow(
        "communication",
        2.0,
        r"(?:announc(?:ed|es|e|ing)|tweet(?:ed|s)?|posted)(?=\s+(?:[\w'’.&@-]+\s+){0,8}?(?:that|"
        r"saying)\b|\s*[:\"“])",
        reported=True,
    ),
    CueRow(
        "communication",
        2.0,
        r"posted|(?:status|support|official)\s+(?:page|post|update|dashboard|account)|statuspage|"
        r"health\s+dashboard|"
        # not a network announcing its routes: "stopped announcing fifteen IPv4 prefixes"
        r"announc\w+(?!\s+(?:[\w.-]+\s+){0,3}?(?:prefix(?:es)?|routes?)\b)",
        r"Statusseite|veröffentlich\w*",
    ),
    # Making it known: "Okta disclosed that …", "the issue was made public on March 29", "Das
    # Unternehmen machte den Angriff am Montag öffentlich", "Bekannt geworden war der Vorfall
    # am Freitag". The telling, not a verb of speech that gives way to what was told.
    CueRow(
        "communication",
        2.0,
        r"disclos(?:ed|es)|made\s+(?:\w+\s+){0,3}?public",
        r"(?:machte|machten|macht)\s+(?:\S+\s+){0,8}?öffentlich|öffentlich\s+(?:gemacht|wurde)|"
        r"bekannt\s+geworden",
    ),
    CueRow(
        "communication",
        2.0,
        # the separable verb whole in a subordinate clause too ("wie die Bank mitteilte"),
        # and its kin "bekannt geben"; its parts stand in one clause, whose only commas are
        # a date's ("teilte die Schule am Montag, 4. Juli 2022, mit"), so "teilte mit, das
        # Problem stehe im Zusammenhang mit …" ends at its own "mit"
        german=r"mitgeteilt|mitteilte\w*|teilte\w*\s+(?:[^\s,;:]+(?:,(?=\s+\d)|(?<=\d),)?\s+){0,10}?mit\b|"
        r"gab\w*\s+(?:[^\s,;:]+(?:,(?=\s+\d)|(?<=\d),)?\s+){0,10}?bekannt|bekannt\s*gegeben",
        reported=True,
    ),
    CueRow(
        "communication",
        1.5,
        r"acknowledged|published|tweet\w*|on\s+Twitter|post(?:s|ed|ing)?\s+(?:\w+\s+){0,2}updates?",
    ),
    # "In a statement at 7:44 a.m., Akamai confirmed that ...": what it said wins.
    CueRow("communication", 1.5, r"statement", reported=True),
    CueRow(
        "communication",
        1.0,
        r"told|tell(?:s|ing)|informed|notified\s+(?:our\s+|all\s+|affected\s+)?(?:customers|users)|"
        r"apologi[sz]\w*",
        r"entschuldigte\w*|entschuldigt|Hinweis|Mitteilung|Botschaft|schätzte\w*",
    ),
    CueRow(
        "communication",
        0.8,
        # word families: "saying", "responded", "replied"; not the present ("the report
        # says that errors began on March 3"), which tells what a text holds, not when it spoke
        r"sa(?:id|ying)|wrote|confirm(?:ed|s)?|updating|conceded|admitted|"
        # "the dashboard noted at 10:53am that …": a page telling, not someone noticing
        r"noted(?=\s+(?:\S+\s+){0,4}?that\b)|"
        r"stat(?:ed|ing)|responded|replied|denie[sd]",
        r"meldete\w*|gemeldet|bestätigt\w*|erklärt\w*|sagte\w*|berichtet\w*|versicherte\w*|"
        r"twitterte\w*|getwittert|informiert\w*",
        reported=True,
    ),
    # More German verbs of speech, most of them separable: "kündigte die Telekom an",
    # "räumte der Chef ein", "äußerte sich", "nannte die Stadt Einzelheiten", "sprach die
    # Hochschule von einem Sicherheitsvorfall", "bat alle Kunden um Entschuldigung".
    CueRow(
        "communication",
        0.8,
        # "Wie erst am Samstag bekannt wurde, fiel …": what became known wins.
        german=r"bekannt\s+wurde|wurde\s+(?:\S+\s+){0,8}?bekannt\b|kündigt\w*\s+(?:\S+\s+){0,8}?an\b|räumte\w*\s+(?:\S+\s+){0,8}?ein\b|"
        r"äu(?:ß|ss)erte\w*\s+sich|nannte\w*|bezeichnete\w*|verkündete\w*|publizierte\w*|"
        r"sprach\w*\s+(?:\S+\s+){0,6}?von\b|bat\s+(?:\S+\s+){0,6}?um\s+Entschuldigung",
        reported=True,
    ),
    CueRow("detection", 1.0, r"notified|paged|woke"),
    # ------------------------------------------------------------------ ongoing states
    # "Application services still degraded": a state that goes on is not a new moment.
    CueRow("note", 1.6, r"still", r"weiterhin|noch\s+immer|immer\s+noch"),
    # Business as usual is no moment of the incident: "began to scale out as traffic grew,
    # in line with the usual daily pattern".
    CueRow(
        "note",
        2.0,
        r"in\s+line\s+with\s+(?:the\s+|its\s+)?(?:usual|normal|expected)|as\s+usual",
        r"wie\s+üblich",
    ),
)
_CUES: tuple[tuple[str, str, float], ...] = tuple(
    (row.pattern, row.kind, row.weight) for row in LEXICON
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
    # "Update 10:01am: …" stamps the entry with its time
    r"(?:[^\S\n]+\d{1,2}[:.]\d{2}[^\S\n]*(?:[ap]\.?m\.?)?(?:[^\S\n]*(?-i:[A-Z]{2,4})\b)?)?"
    # "Resolved - …" on one line, or a status page's "Resolved" on a line of its own
    r"(?:\s*(?:-|–|—|:)|(?P<line>[^\S\n]*\n))",
    re.IGNORECASE,
)
_STATUS_KINDS = {
    "investigating": "detection",
    "identified": "detection",
    "monitoring": "mitigation",
    "resolved": "recovery",
    "completed": "recovery",
    "postmortem": "communication",
    # "Update" over an entry only says a post went out: what the entry reports wins.
    "update": "communication",
}
# States that say nothing about the moment on their own, only as a default for the entry.
_WEAK_STATES = frozenset({"update"})

_FIELD_VALUE_RE = re.compile(_FIELD_VALUE)

# Right after a cue, words that put what it names after the sentence's moment.
_LATER_RE = re.compile(r"\s+(?:shortly\s+|soon\s+)?(?:afterwards|thereafter)\b", re.IGNORECASE)

# Per character of distance between cue and time, a cue loses this much weight.
_DISTANCE_PENALTY = 1 / 60
_BARRIER_DISTANCE = 40


@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    kind: str
    weight: float
    reported: bool = False
    # Told in the progressive: "was investigating", "is suffering an outage".
    ongoing: bool = False
    # Where what a verb of speech or a post says opens ("wrote: …", "apologised that …"),
    # -1 for other cues.
    said_from: int = -1


# A be-form and an "-ing" verb that the cue ends: "it was looking into", "the exchange was
# suffering a system-wide outage", contracted too ("we're investigating").
_ONGOING_RE = re.compile(
    r"(?:\b(?:was|were|is|are|am)|\w['’](?:re|s|m))\s+[\"“„']?(?:still\s+|now\s+|currently\s+)?"
    r"\w+ing\b"
    r"[^.;:,]{0,40}$",
    re.IGNORECASE,
)


# What opens the words a statement or a post reports: "wrote: …", "apologised that …",
# "teilte mit, dass …", a quotation mark. Not the colon of a clock time ("10:36").
_SAID_OPENER_RE = re.compile(r"\b(?:that|dass)\b|:(?!\d)|[\"“„«]")
_SAID_REACH = 80


def find_cues(scan: str, start: int, end: int, words: WordIndex) -> list[Cue]:
    """Return the cue words in scan[start:end], leaving out a status-page state prefix.

    "Resolved - Between 11:49 PM and 2:24 AM we saw errors" stamps the whole entry as
    resolved; the range inside it is still an impact window.
    """
    prefix = _STATUS_PREFIX_RE.match(scan, start, end)
    if (
        prefix
        and prefix.group().rstrip().endswith(":")
        and _FIELD_VALUE_RE.match(scan, prefix.end())
    ):
        # "Resolved: April 16, 2025 1:12 PM": a field holding a time, no status post.
        prefix = None
    cues: list[Cue] = []
    if prefix:
        start = prefix.end()
        if prefix.group("state").lower() in _WEAK_STATES:
            # "Update" says a post went out, like a verb of speech: what it reports wins.
            # The cue sits where the entry's words begin, not on the heading line.
            cues.append(Cue(start, start, "communication", 0.8, reported=True))
    for match in _FAST_CUES.finditer(scan, words, start, end):
        if _LATER_RE.match(scan, match.end(), end):
            # "mitigated at 13:20, and it died down shortly afterwards": another moment.
            continue
        row = LEXICON[int(match.lastgroup[1:]) if match.lastgroup else -1]
        low = max(start, match.start() - 50)
        # The progressive needs an "-ing" word: most cues have none before them, and a look
        # for the letters is cheaper than the pattern.
        ongoing = "ing" in scan[low : match.end()].lower() and bool(
            _ONGOING_RE.search(scan, low, match.end())
        )
        said_from = -1
        if row.kind == "communication":
            opener = _SAID_OPENER_RE.search(scan, match.end(), min(end, match.end() + _SAID_REACH))
            said_from = opener.end() if opener else -1
        cues.append(
            Cue(
                match.start(),
                match.end(),
                row.kind,
                row.weight,
                row.reported,
                ongoing,
                said_from,
            )
        )
    compounds = _compound_cues(scan, start, end, cues)
    if compounds:
        cues = sorted([*cues, *compounds], key=lambda cue: cue.start)
    return [
        replace(cue, kind=_what_starts(scan, cue, cues, start, end)) if cue.kind == START else cue
        for cue in cues
    ]


# German compounds whose last part names the trouble: "Systemausfall", "eine Computerpanne",
# "IT-Störung", "Netzprobleme", "ein Erpressungsangriff". The cue grammar reads a word from
# its start, so it knows "Ausfall" but not the same word closing a compound. The heads are
# looked up as plain words (a scan in C), and what stands before each decides: inside a
# word, a lower-case letter; after a hyphen ("IT-Ausfall"), the capital of a new part.
_COMPOUND_HEADS: dict[str, tuple[str, float]] = {
    "ausfall": ("impact", 1.0),
    "ausfäll": ("impact", 1.0),
    "störung": ("impact", 1.0),
    "panne": ("impact", 1.0),
    "absturz": ("impact", 1.0),
    "abstürz": ("impact", 1.0),
    "problem": ("impact", 1.0),
    "schwierigkeit": ("impact", 1.0),
    "angriff": (ATTACK, 2.0),
    "attacke": (ATTACK, 2.0),
}
_COMPOUND_HEAD_RE = re.compile(
    "(?:"
    + "|".join(head for name in _COMPOUND_HEADS for head in (name, name[0].upper() + name[1:]))
    + ")[a-zäöüß]*"
)
# Not a compound of the head: "Zerstörung" (destruction), "Zeitspanne" (a span of time),
# "unproblematisch"; "Problem" takes only its plural and genitive endings. Difficulties
# joined into one word are mostly not the service's ("Anlaufschwierigkeiten",
# "Zahlungsschwierigkeiten"); after a hyphen they are ("IT-Schwierigkeiten").
_NOT_COMPOUNDS = (("störung", "zer"), ("panne", "s"))
_HYPHEN_ONLY = frozenset({"schwierigkeit"})
_PROBLEM_ENDINGS = frozenset({"", "e", "en", "s"})
_LOWER_LETTER_RE = re.compile("[a-zäöüß]")


def _compound_cues(scan: str, start: int, end: int, cues: Sequence[Cue]) -> list[Cue]:
    """Return the cues of German compounds ending in a word for trouble (`_COMPOUND_HEADS`)."""
    found: list[Cue] = []
    for match in _COMPOUND_HEAD_RE.finditer(scan, start, end):
        word = match.group()
        head = next(name for name in _COMPOUND_HEADS if word.lower().startswith(name))
        position = match.start()
        if word[0].isupper():
            # "IT-Ausfall": a new part after a hyphen, not a word of its own.
            if not (position >= 2 and scan[position - 1] == "-" and scan[position - 2].isalnum()):
                continue
        elif head in _HYPHEN_ONLY or not (
            position > start and _LOWER_LETTER_RE.match(scan, position - 1)
        ):
            continue
        if any(
            head == name and scan[max(0, position - len(before)) : position].lower() == before
            for name, before in _NOT_COMPOUNDS
        ):
            continue
        if head == "problem" and word[len(head) :] not in _PROBLEM_ENDINGS:
            continue
        if match.end() < end and scan[match.end()].isalnum():
            continue
        if any(cue.start <= position < cue.end for cue in cues):
            continue  # read as a word already ("Stromausfall", "Hackerangriff")
        kind, weight = _COMPOUND_HEADS[head]
        found.append(Cue(position, match.end(), kind, weight))
    return found


# What follows a start verb as its object: "started the upgrade", "began to deploy",
# "started rebooting", "begann, ein neues Zertifikat zu verteilen".
_STARTED_ACTION_RE = re.compile(
    r"[^\S\n]+(?:(?:the|a|an|its|our|their)[^\S\n]+\w|to[^\S\n]+\w|\w+ing\b)|,?[^\S\n]+"
    r"(?:\S+[^\S\n]+){1,5}zu[^\S\n]+\w",
    re.IGNORECASE,
)
# How far after a start verb the words of what starts may sit ("began a global outage").
_COMPLEMENT_REACH = 30


def _what_starts(scan: str, verb: Cue, cues: Sequence[Cue], start: int, end: int) -> str:
    """Return the kind of a start verb ("began", "started") from what it says starts.

    What starts decides: "began failing", "began a global outage" start the impact and
    "started to see recovery" the recovery; an action someone starts ("an engineer started
    the upgrade", "Optus starts a reboot") is a change going out, the trigger or the fix as
    the story goes. With no object, the sentence's subject decides: trouble that starts
    ("reports of problems started just after 5 a.m.") is the impact; anything else ("the
    vacuum job started") is how it began.
    """
    reach = min(end, verb.end + _COMPLEMENT_REACH)
    clause_end = _clause_end(scan, verb.end, reach)
    complement = [
        cue
        for cue in cues
        if verb.end <= cue.start < clause_end and cue.kind not in (START, "note")
    ]
    if complement:
        kind = min(complement, key=lambda cue: cue.start).kind
        return "recovery" if kind == UNTIL else kind
    if _STARTED_ACTION_RE.match(scan, verb.end, end):
        return CHANGE
    if any(cue.kind in ("impact", UNTIL) for cue in cues):
        return "impact"
    return "trigger"


# Where a clause ends: a sentence mark, a line break, or a comma before a conjunction.
_CLAUSE_END_RE = re.compile(r"[.;:!?\n]|,\s+(?:and|but|while|when|which)\b")


def _clause_end(scan: str, position: int, limit: int) -> int:
    """Return where the clause running from `position` ends, at most at `limit`."""
    found = _CLAUSE_END_RE.search(scan, position, limit)
    return found.start() if found else limit


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


def _says_it_goes_on(cues: Sequence[Cue]) -> bool:
    """Return True when the first thing said after a verb of speech is a state going on.

    "said it was still investigating" and "said it was investigating" go on, as does
    "posted that the exchange was suffering an outage"; "said service had been restored,
    although a few still saw errors" reports the end, and "tweeted that it was working to
    restore the system" the work on the fix.
    """
    speech = min((cue.start for cue in cues if cue.reported), default=None)
    if speech is None:
        return False
    said = [
        cue
        for cue in cues
        if not cue.reported and cue.start >= speech and (cue.kind == "note" or cue.weight >= 1)
    ]
    first = min(said, key=lambda cue: cue.start, default=None)
    if first is None:
        return False
    return first.kind == "note" or (first.ongoing and first.kind in ("detection", "impact"))


def choose_kind(
    cues: Sequence[Cue],
    anchor_start: int,
    anchor_end: int,
    other_anchors: Sequence[tuple[int, int]] = (),
    barriers: Sequence[int] = (),
    *,
    said_content: bool = True,
    scan: str | None = None,
) -> tuple[str, float]:
    """Return the kind of the cue that best explains a time at [anchor_start, anchor_end).

    With other times in the same sentence, each cue belongs to the time nearest to it:
    in "started at 11:48 PM and ended at 2:20 PM", "ended" is about 2:20 PM. A time that
    owns no cue falls back to all cues of the sentence.
    """
    anchor = (anchor_start, anchor_end)
    # "In a statement posted on X, the airline wrote: 'At 8 p.m. we experienced an outage'",
    # "apologised that between 3pm and 6pm customers could not pay": the time stands in what
    # was said, so what was said is its moment, not the statement.
    framing = [cue for cue in cues if said_content and 0 <= cue.said_from <= anchor_start]
    if framing:
        opened = min(cue.said_from for cue in framing)
        if any(
            cue.start >= opened
            and not cue.reported
            and cue.kind not in ("communication", "note")
            and cue.weight >= 1
            for cue in cues
        ):
            cues = [cue for cue in cues if cue not in framing]
    # "lasted until" ends the trouble for a time after it; before it, it tells the trouble
    # lasting, as "lasted" alone does.
    cues = [
        cue
        if cue.kind != UNTIL
        else replace(cue, kind="recovery")
        if cue.end <= anchor_start
        else replace(cue, kind="impact", weight=1.0)
        for cue in cues
    ]
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
    told = cues
    # "Akamai said at 12:45 that it had implemented a fix": what was said is the moment;
    # the verb of speech decides only when nothing else in the sentence does.
    reported = any(cue.reported for cue in cues)
    spoken = [cue for cue in cues if cue.reported or cue.kind == "communication"]
    if reported and _says_it_goes_on(cues):
        # "An update at 10:23 said it was still investigating": what was said only goes on,
        # so the statement is the moment, whatever the words for that state.
        cues = [cue for cue in cues if cue.reported]
    elif reported and any(
        not cue.reported and cue.kind != "note" and cue.weight >= 1 for cue in cues
    ):
        cues = [cue for cue in cues if not cue.reported]
    elif reported:
        # "TSB said on Tuesday it was still seeing issues": what was said only goes on, so
        # the statement is the moment.
        cues = [cue for cue in cues if cue.kind != "note"]
    best_kind, best_score = "note", 0.0
    for cue in cues:
        score = cue.weight - _distance(cue, anchor, barriers) * _DISTANCE_PENALTY
        if score > best_score:
            best_kind, best_score = cue.kind, score
    if best_score <= 0 and cues:
        strongest = max(cues, key=lambda cue: cue.weight)
        best_kind, best_score = strongest.kind, 0.1
    # "at 02:25 a rise in traffic caused heavy load", "at 6:00 we saw packet loss caused by a
    # routing problem": the start is told with its cause, so it is the trigger. A cause told
    # before the time ("a change caused an outage which started at 06:27") is not this one's.
    if best_kind in (CAUSE, BLAME) or (
        best_kind == "impact"
        and any(c.kind in (CAUSE, BLAME) and c.start >= anchor_end for c in cues)
    ):
        best_kind = "trigger"
    attack = best_kind == ATTACK
    if attack:
        effect = any(c.kind == "impact" and c.weight >= 1.0 for c in cues)
        best_kind = "impact" if effect else "trigger"
    # "Advanced confirmed on Friday that a cyber attack was behind the outage", "issued a
    # statement blaming the problems on a power shutdown": a statement naming the cause is
    # the cause identified, not another status post.
    if (best_kind in ("communication", "trigger") or attack) and _names_the_cause(
        spoken, cues, anchor, barriers
    ):
        best_kind = "detection"
    # "The gateway is inadvertently disabled": not a step against the trouble but its cause.
    if best_kind == MISTAKE or (
        best_kind in ("mitigation", CHANGE) and any(c.kind == MISTAKE for c in cues)
    ):
        best_kind = "trigger"
    # "Adobe tweeted at 2:22 PM that users could not log in": the time is the post's, and
    # the trouble it reports began before it; the post is the moment.
    if best_kind == "impact" and scan is not None and _reports_trouble_at(scan, told, anchor):
        best_kind = TROUBLE_TOLD
    return best_kind, best_score


# How close a verb of speech stands to the time that dates it: "tweeted at 2:22 PM",
# "At 3:08 p.m. ET, Target tweeted", "In a statement issued at 6:30am".
_SPEECH_REACH = 20
_CLAUSE_BREAK_RE = re.compile(r"[,;:.]\s")


def _reports_trouble_at(scan: str, cues: Sequence[Cue], anchor: tuple[int, int]) -> bool:
    """Return True when a statement the time dates reports only the trouble going on.

    The verb stands right by the time in one clause ("tweeted at 2:22 PM that …", "At 3:08
    p.m., Target tweeted that …"), the time is not inside what was said ("sagte, um 13.53
    Uhr sei …"), and the sentence names no step of the response ("said at 3:45pm all
    services had been restored" is the recovery, "said at 10:00 it had found the cause"
    the detection).
    """
    if any(
        not cue.reported and cue.weight >= 1 and cue.kind not in ("impact", "communication", "note")
        for cue in cues
    ):
        return False
    for speech in cues:
        if not speech.reported or not speech.start < speech.said_from:
            continue
        if speech.end <= anchor[0]:
            gap = scan[speech.end : anchor[0]]
            beside = speech.said_from >= anchor[1] and not _CLAUSE_BREAK_RE.search(gap)
        else:
            gap = scan[anchor[1] : speech.start].removeprefix(",")
            beside = speech.start >= anchor[1] and not _CLAUSE_BREAK_RE.search(gap)
        if (
            beside
            and len(gap) <= _SPEECH_REACH
            and any(
                cue.start >= speech.said_from and cue.kind == "impact" and cue.weight >= 1
                for cue in cues
            )
        ):
            return True
    return False


def _names_the_cause(
    spoken: Sequence[Cue],
    cues: Sequence[Cue],
    anchor: tuple[int, int],
    barriers: Sequence[int],
) -> bool:
    """Return True when a statement at the anchor's time names the cause.

    "Garmin confirmed on Monday that it was the victim of a cyber attack on July 23": the
    second time follows the cause words, nearer them than the verb of speech, so it dates
    the attack, not the statement.
    """
    causes = [cue for cue in cues if cue.kind == BLAME]
    if not spoken or not causes:
        return False
    said_at = min(_distance(cue, anchor, barriers) for cue in spoken)
    return not any(
        cue.end <= anchor[0] and _distance(cue, anchor, barriers) < said_at for cue in causes
    )


def status_kind(scan: str, start: int, end: int, *, line: bool = False) -> str | None:
    """Return the kind a status-page state prefix ("Resolved - …") implies, if any.

    With `line`, the kind of a state written on a line of its own above the update
    ("Monitoring" then "A fix has been implemented …"): a weaker sign than the prefix, which
    the caller lets a clear cue of the update overrule.
    """
    match = _STATUS_PREFIX_RE.match(scan, start, end)
    if match is None or bool(match.group("line")) != line:
        return None
    state = match.group("state").lower()
    if state in _WEAK_STATES and not line:
        return None
    return _STATUS_KINDS.get(state)
