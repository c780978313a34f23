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
    "weekday",  # "on Tuesday", counted back from the publication date
    "heading",  # a date in the title or a heading that frames the times below it
    "context",  # a date outside the prose: a cited source URL or the publication date
)
# How an event's zone was obtained, weakest last.
ZONE_BASES: tuple[str, ...] = (
    "stated",  # written with the time ("09:35 UTC") or at the other end of its range
    "declared",  # a declaration in force where the time stands ("All times are PDT")
    "carried",  # the zone of the last time that stated one
    # the clock of the place named with the time ("in Singapore, … from 9 am"), in its
    # paragraph, or most often in the text ("calls across the UK"); a guess, warned about
    "place",
    "dateline",  # the clock of the place a news dateline names ("TOKYO, July 5 (Kyodo) -")
    "default",  # the caller's default_timezone
    "language",  # German text without a zone: Berlin time
    "fallback",  # nothing at all: read as UTC, with a warning
)
# The zone bases that are guesses, and the warning each one raises: a reviewer checks every
# event read this way, whatever the text around it says.
GUESSED_ZONES: dict[str, str] = {
    "place": "zone_from_place",
    "dateline": "zone_from_dateline",
    "language": "time_without_zone",
    "fallback": "time_without_zone",
}


@dataclass(frozen=True)
class CatalogueEntry:
    """A service from the knowledge base, matched by its name and aliases."""

    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProposedService:
    """A product a sentence names that the catalogue does not know yet."""

    name: str
    provider: str


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
    # What decided the date and the zone, in words a reviewer can check against the text.
    date_evidence: str = ""
    zone_basis: str = "stated"
    zone_evidence: str = ""
    new_services: tuple[ProposedService, ...] = ()

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


def counted(count: int, noun: str) -> str:
    """Return "1 time" or "3 times": how a warning counts what it lists."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
