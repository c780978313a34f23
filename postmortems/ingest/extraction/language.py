"""Deterministic English/German detection by stop-word scoring.

A library detector (langdetect) is seeded-random and slow on long texts; the two
languages we support are told apart reliably by their function words alone.
"""

from __future__ import annotations

import re

_WORD_RE = re.compile(r"[^\W\d_]+")

# fmt: off
_GERMAN = frozenset((
    "der", "die", "das", "den", "dem", "des", "und", "ist", "nicht", "mit", "von", "zu", "im",
    "auf", "für", "sich", "ein", "eine", "einer", "einem", "einen", "als", "auch", "es", "an",
    "werden", "wurde", "wurden", "aus", "hat", "dass", "sie", "nach", "wird", "bei", "um", "am",
    "sind", "noch", "wie", "über", "so", "zum", "zur", "war", "haben", "nur", "oder", "aber",
    "vor", "bis", "mehr", "durch", "man", "sein", "ihre", "ihr", "sein", "seine", "diese",
    "dieser", "dieses", "wenn", "wir", "ich", "uns", "unsere", "unser", "kann", "können",
    "nicht", "schon", "wieder", "während", "zwischen", "gegen", "ab", "seit", "uhr", "waren",
    "hatte", "hatten", "keine", "kein",
))
_ENGLISH = frozenset((
    "the", "and", "of", "to", "in", "is", "was", "that", "for", "on", "with", "as", "by", "at",
    "from", "it", "this", "be", "are", "were", "have", "has", "an", "which", "or", "but", "not",
    "after", "its", "their", "our", "we", "they", "had", "been", "would", "will", "can",
    "could", "all", "between", "when", "into", "than", "then", "there", "these", "those",
    "what", "who", "while", "during", "until", "about", "some", "more", "most", "other", "also",
    "only", "new",
))
# fmt: on
# Words spelled the same in both languages ("in", "an", "so", "will") cancel out.
_SHARED = _GERMAN & _ENGLISH


def detect_language(text: str) -> str:
    """Return "de" or "en"; English when the text gives no evidence either way."""
    german = english = 0
    for word in _WORD_RE.findall(text.lower()):
        if word in _SHARED:
            continue
        if word in _GERMAN:
            german += 1
        elif word in _ENGLISH:
            english += 1
    german += sum(text.count(ch) for ch in "äöüßÄÖÜ") // 4
    return "de" if german > english else "en"
