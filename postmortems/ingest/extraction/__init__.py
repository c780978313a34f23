"""Timeline extraction from outage write-ups: a pure core with no Django in it."""

from __future__ import annotations

from .core import extract_timeline, extraction_to_json
from .language import detect_language
from .model import (
    CatalogueEntry,
    Extraction,
    ExtractionWarning,
    ProposedEvent,
    ProposedService,
)

__all__ = [
    "CatalogueEntry",
    "Extraction",
    "ExtractionWarning",
    "ProposedEvent",
    "ProposedService",
    "detect_language",
    "extract_timeline",
    "extraction_to_json",
]
