"""Short titles for proposed events, built from the sentence they were found in.

A title is a clause, not the sentence's first words cut mid-phrase: the part of the
sentence that says what happened ("DynamoDB DNS record emptied"), without the time
phrases that the timeline already shows. When no clause is short enough to stand alone,
the title names the kind of moment and its time ("Recovery at 09:35 UTC"), in the
article's language. The full sentence stays the event's quote. Pure: plain values in,
a string out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

TITLE_MAX_WORDS = 9
TITLE_MIN_WORDS = 2
RELATIVE_STARTS = frozenset({"which", "who", "that", "die", "der", "das", "welche", "welcher"})

KIND_LABELS = {
    "en": {
        "trigger": "Trigger",
        "detection": "Detection",
        "impact": "Impact",
        "escalation": "Escalation",
        "mitigation": "Mitigation",
        "recovery": "Recovery",
        "communication": "Update",
        "note": "Note",
    },
    "de": {
        "trigger": "Auslöser",
        "detection": "Erkennung",
        "impact": "Auswirkung",
        "escalation": "Eskalation",
        "mitigation": "Eindämmung",
        "recovery": "Wiederherstellung",
        "communication": "Meldung",
        "note": "Notiz",
    },
}
AT_WORD = {"en": "at", "de": "um"}

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    "januar|jänner|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember"
)
_ZONE = r"(?:[A-Z]{2,5}|UTC[+-]?\d{0,2}(?::?\d{2})?|Uhr(?:\s+[A-Z]{2,5})?)"
# Time and date phrases, with the preposition that introduces them.
_TIME_PHRASE_RE = re.compile(
    r"(?:\b(?:at|by|from|until|around|about|approximately|on|um|gegen|ab|bis|am|seit|etwa|"
    r"circa|ca\.)\s+)*"
    r"(?:"
    r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?\s*" + _ZONE + r"?"
    r"|\d{1,2}\s*[ap]\.?m\.?\s*" + _ZONE + r"?"
    r"|\d{1,2}\.?\s+(?:" + _MONTHS + r")\.?(?:\s+\d{4})?"
    r"|(?:" + _MONTHS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?"
    r"|\d{4}-\d{2}-\d{2}"
    r")",
    re.IGNORECASE,
)
_CLAUSE_SPLIT_RE = re.compile(
    r"\s*[,;:–—()]\s*|\s+(?:and|while|when|after|before|as|but|because|due to|by|"
    r"während|als|nachdem|bevor|wobei|aber|sodass|weil|wegen|durch)\s+",
    re.IGNORECASE,
)
# "the record was emptied" reads as "record emptied" in a title.
_AUXILIARY_RE = re.compile(
    r"\s+(?:was|were|is|are|has been|have been|had been|got|wurde|wurden|ist|sind)\s+",
    re.IGNORECASE,
)
_LEADING_FILLER_RE = re.compile(
    r"^(?:(?:then|and|so|the|at|on|by|in|um|am|dann|und|schließlich|anschließend|"
    r"zunächst|gegen|bis|ab|da|es|so)\s+)+",
    re.IGNORECASE,
)
_TRAILING_JUNK_RE = re.compile(r"[\s,;:.\-–—]+$")


def proposal_title(
    sentence: str,
    *,
    kind: str,
    at: datetime,
    language: str = "en",
    services: Sequence[str] = (),
) -> str:
    """Return a short title for a moment told by ``sentence``, in the sentence's language.

    The clause naming one of ``services`` wins; otherwise the first clause with a verb-like
    length. A title that would need more than ``TITLE_MAX_WORDS`` words falls back to
    "<Kind> at HH:MM UTC".
    """
    parts = _CLAUSE_SPLIT_RE.split(_TIME_PHRASE_RE.sub(" ", sentence))
    clauses = [
        _clause(part)
        for index, part in enumerate(parts)
        # A relative clause after the first describes something else.
        if not (index and part.split()[:1] and part.split()[0].lower() in RELATIVE_STARTS)
    ]
    clauses = [
        clause
        for clause in clauses
        # A German clause of two words is a noun phrase ("Diese Strategien"), not an event.
        if TITLE_MIN_WORDS + (language == "de") <= len(clause.split())
        # In German a clause opening with a lower-case word is a verb without its subject
        # ("stellten die Dienste wieder her"): not a title.
        and not (language == "de" and clause[0].islower())
    ]
    lowered = [service.lower() for service in services]
    with_service = [clause for clause in clauses if any(name in clause.lower() for name in lowered)]
    for clause in with_service or clauses:
        if len(clause.split()) <= TITLE_MAX_WORDS:
            return clause[0].upper() + clause[1:]
    return kind_title(kind=kind, at=at, language=language)


def kind_title(*, kind: str, at: datetime, language: str = "en") -> str:
    """Return "<Kind> at HH:MM UTC" in ``language`` (English when it is not known)."""
    labels = KIND_LABELS.get(language, KIND_LABELS["en"])
    label = labels.get(kind, labels["note"])
    moment = at.astimezone(UTC) if at.tzinfo else at
    return f"{label} {AT_WORD.get(language, 'at')} {moment:%H:%M} UTC"


def _clause(text: str) -> str:
    clause = " ".join(text.split())
    clause = _LEADING_FILLER_RE.sub("", clause)
    if len(clause.split()) > 3:
        clause = _AUXILIARY_RE.sub(" ", clause, count=1)
    return _TRAILING_JUNK_RE.sub("", clause)
