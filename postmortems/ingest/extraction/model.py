"""Value types of the timeline extraction core: plain, frozen, comparable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

KINDS: tuple[str, ...] = (
    "trigger",
    "detection",
    "impact",
    "escalation",
    "mitigation",
    "recovery",
    "communication",
    "note",
)
PRECISIONS: tuple[str, ...] = ("minute", "hour", "day", "approximate")

# How an event's calendar date was obtained, weakest last. A reviewer sorts by this to
# check the guesses first.
DATE_BASES: tuple[str, ...] = (
    "stated",  # a date next to the time ("2:24 AM PDT on October 20")
    "sentence",  # a date elsewhere in the same sentence
    "carried",  # the last date stated earlier in the text
    "rollover",  # the carried date plus one day, because the clock went past midnight
    "relative",  # "30 minutes later": the previous moment plus an offset
    "reference",  # the caller's reference_date
    "context",  # a date outside the prose: a cited source URL or the publication date
)


@dataclass(frozen=True)
class CatalogueEntry:
    """A service from the knowledge base, matched by its name and aliases."""

    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProposedEvent:
    """One moment proposed for a reviewer; `quote == text[start:end]` always holds."""

    at: datetime
    precision: str
    kind: str
    services: tuple[str, ...]
    quote: str
    start: int
    end: int
    confidence: float
    source_timezone: str
    range_role: str | None = None
    date_basis: str = "stated"

    @property
    def date_only(self) -> bool:
        """Return True when only the calendar day of `at` is meaningful."""
        return self.precision == "day"


@dataclass(frozen=True)
class ExtractionWarning:
    code: str
    message: str
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Extraction:
    language: str
    events: tuple[ProposedEvent, ...]
    warnings: tuple[ExtractionWarning, ...]

    def warning_codes(self) -> frozenset[str]:
        """Return the set of warning codes raised."""
        return frozenset(warning.code for warning in self.warnings)
