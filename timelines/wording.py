"""How times and durations are worded: one home for pages, pictures and exports.

A pure module (stdlib only) so the reconstruction core, the SVG writers, the template
filters and the export formats all say "2d 3h" for the same stretch of time.

Every function accepts any moment a database can hold, 0001-01-01 and 9999-12-31
included: the text is built from the date's fields rather than ``strftime`` (which does
not zero-pad years below 1000 on every platform), and nothing adds or subtracts time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

__all__ = [
    "EMPTY",
    "MONTHS",
    "clock",
    "day",
    "duration",
    "iso",
    "lag",
    "offset",
    "to_utc",
    "utc",
    "window",
]

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
EMPTY = "—"


def to_utc(moment: datetime) -> datetime:
    """Return the moment in UTC; naive moments are read as UTC already."""
    if moment.tzinfo is UTC:  # the pictures ask tens of thousands of times per drawing
        return moment
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        # A local time at the very edge of the calendar has no UTC twin; its wall clock
        # is the closest honest label.
        return moment.replace(tzinfo=UTC)


def _date(moment: datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"


def _hm(moment: datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def utc(moment: datetime | None) -> str:
    """Return "2025-10-20 06:48 UTC", or "—" for an unknown moment."""
    if moment is None:
        return EMPTY
    if moment.tzinfo is not UTC:
        moment = to_utc(moment)
    # _date and _hm in one format: the reconstruction words a thousand warnings' moments
    # (10,000 events), and the two calls cost more than the formatting.
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d} "
        f"{moment.hour:02d}:{moment.minute:02d} UTC"
    )


def iso(moment: datetime | None) -> str | None:
    """Return ISO 8601 in UTC with a Z ("2025-10-20T06:48:00Z"), or None."""
    if moment is None:
        return None
    # A timeline formats every event's time, and isoformat() is the cheapest way; its
    # first 19 characters are the wanted text for four-digit years only.
    moment = moment if moment.tzinfo is UTC else to_utc(moment)
    if moment.year >= 1000:
        return moment.isoformat()[:19] + "Z"
    return f"{_date(moment)}T{_hm(moment)}:{moment.second:02d}Z"


def clock(moment: datetime) -> str:
    """Return the wall-clock "HH:MM" of a moment, in its own zone."""
    return _hm(moment)


def day(moment: datetime) -> str:
    """Return "20 Oct", the short day label of axes."""
    return f"{moment.day} {MONTHS[moment.month - 1]}"


def duration(delta: timedelta | None) -> str:
    """Return a duration the way an SRE says it: "15h 13m", "2d 4h", "45m", or "—".

    Whole minutes towards zero; past a day the minutes are dropped, because nobody
    reading "2d 3h" needs the minutes and every surface must say the same thing.
    """
    if delta is None:
        return EMPTY
    minutes = abs(delta) // timedelta(minutes=1)
    sign = "-" if delta < timedelta(0) and minutes else ""
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{sign}{days}d {hours}h"
    if hours:
        return f"{sign}{hours}h {minutes:02d}m"
    return f"{sign}{minutes}m"


def lag(delta: timedelta) -> str:
    """Return a signed delay between two services: "+5m", "-2h 00m"."""
    text = duration(delta)
    return text if text.startswith("-") else f"+{text}"


def offset(delta: timedelta) -> str:
    """Return "T+hh:mm" (or "T-hh:mm") for an offset from the incident start.

    Hours run past 24 rather than rolling into days, so every row of a long incident
    counts in the same unit and "T+26:05" needs no second format to read.
    """
    # Whole minutes towards zero: a note thirty seconds before the start reads T+00:00,
    # not T-00:00, and T-00:01 means a full minute early. Integer arithmetic on the
    # parts, because timeline pages format every event and timedelta division is slow.
    microseconds = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    minutes = abs(microseconds) // 60_000_000
    sign = "-" if microseconds < 0 and minutes else "+"
    hours, minutes = divmod(minutes, 60)
    return f"T{sign}{hours:02d}:{minutes:02d}"


def window(started_at: datetime | None, ended_at: datetime | None) -> str:
    """Return an impact window: "2025-10-20 07:00–09:50 UTC", across days in full, or open."""
    if started_at is None:
        return EMPTY
    start = to_utc(started_at)
    start_day = _date(start)
    if ended_at is None:
        return f"{start_day} {_hm(start)} – open"
    end = to_utc(ended_at)
    end_day = _date(end)
    if start_day == end_day:
        return f"{start_day} {_hm(start)}–{_hm(end)} UTC"
    return f"{start_day} {_hm(start)} – {end_day} {_hm(end)} UTC"
