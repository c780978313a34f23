"""Time-zone names as articles write them, mapped to IANA zones.

Abbreviations are mapped to a real zone rather than a fixed offset: the writer of
"2:25 a.m. PT" means Los Angeles wall-clock time, and zoneinfo knows whether that was
UTC-7 or UTC-8 on the day in question.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .places import (
    MOST_PEOPLE_CLOCK,
    SEVERAL_ZONES,
    PlaceMention,
    cities_of_countries,
    same_clock,
    zone_of_name,
)
from .scanning import FastPattern, WordIndex

UTC = UTC


@dataclass(frozen=True)
class ZoneSpec:
    name: str  # IANA name, "UTC", or "UTC+05:30" for offsets IANA cannot name
    summer: bool | None  # True: the label names summer time (PDT), False: standard (PST)
    label: str  # as written in the text
    # Why this clock, where the words written do not say it ("the clock most of its people
    # keep" for "Australians"); kept apart from the label, which only quotes the text.
    chosen: str = field(default="", compare=False)

    def quoted(self) -> str:
        """Return the label as a quote with the clock it was read as: '"PDT" (America/...)'."""
        reason = f", {self.chosen}" if self.chosen else ""
        return f'"{self.label}" ({self.name}{reason})'

    def tzinfo(self) -> ZoneInfo | timezone:
        """Return the tzinfo for this zone."""
        if self.name == "UTC":
            return UTC
        if self.name.startswith("UTC"):
            sign = -1 if self.name[3] == "-" else 1
            hours, minutes = self.name[4:].split(":")
            return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))
        return ZoneInfo(self.name)


_ABBREVIATIONS: dict[str, tuple[str, bool | None]] = {
    "UTC": ("UTC", None),
    "GMT": ("UTC", None),
    "Z": ("UTC", None),
    "PT": ("America/Los_Angeles", None),
    "PDT": ("America/Los_Angeles", True),
    "PST": ("America/Los_Angeles", False),
    "MT": ("America/Denver", None),
    "MDT": ("America/Denver", True),
    "MST": ("America/Denver", False),
    "CT": ("America/Chicago", None),
    "CDT": ("America/Chicago", True),
    "CST": ("America/Chicago", False),
    "ET": ("America/New_York", None),
    "EDT": ("America/New_York", True),
    "EST": ("America/New_York", False),
    "AKDT": ("America/Anchorage", True),
    "AKST": ("America/Anchorage", False),
    "HST": ("Pacific/Honolulu", False),
    "BST": ("Europe/London", True),
    "WET": ("Europe/Lisbon", False),
    "WEST": ("Europe/Lisbon", True),
    "WEZ": ("Europe/Lisbon", False),
    "WESZ": ("Europe/Lisbon", True),
    "CET": ("Europe/Berlin", False),
    "CEST": ("Europe/Berlin", True),
    "MEZ": ("Europe/Berlin", False),
    "MESZ": ("Europe/Berlin", True),
    "EET": ("Europe/Athens", False),
    "EEST": ("Europe/Athens", True),
    "OEZ": ("Europe/Athens", False),
    "OESZ": ("Europe/Athens", True),
    "MSK": ("Europe/Moscow", None),
    "IST": ("Asia/Kolkata", None),
    "SGT": ("Asia/Singapore", None),
    "HKT": ("Asia/Hong_Kong", None),
    "JST": ("Asia/Tokyo", None),
    "KST": ("Asia/Seoul", None),
    "AEST": ("Australia/Sydney", False),
    "AEDT": ("Australia/Sydney", True),
    "AWST": ("Australia/Perth", None),
    "NZST": ("Pacific/Auckland", False),
    "NZDT": ("Pacific/Auckland", True),
    "BRT": ("America/Sao_Paulo", None),
    "ART": ("America/Argentina/Buenos_Aires", None),
    "SAST": ("Africa/Johannesburg", None),
    "CAT": ("Africa/Maputo", None),
    "EAT": ("Africa/Nairobi", None),
    "WAT": ("Africa/Lagos", None),
    "PHT": ("Asia/Manila", None),
    "PKT": ("Asia/Karachi", None),
    "ICT": ("Asia/Bangkok", None),
    "WIB": ("Asia/Jakarta", None),
    "ACST": ("Australia/Adelaide", False),
    "ACDT": ("Australia/Adelaide", True),
    "AET": ("Australia/Sydney", None),
    "NZT": ("Pacific/Auckland", None),
    "IDT": ("Asia/Jerusalem", True),
    "GST": ("Asia/Dubai", None),
}

# What may follow a zone written as a bare lower-case adjective: the sentence's end or a
# word that cannot be the noun it qualifies.
_BARE_ZONE_END = (
    r"(?=\s*(?:[.,;:)\]]|$)|\s+(?:on|at|in|when|and|or|to|until|by|that|which|yesterday"
    r"|today|tonight|[A-Z][a-z]+day)\b)"
)

_LONG_NAMES: tuple[tuple[str, str, bool | None], ...] = (
    (r"Pacific\s+Daylight(?:\s+Saving)?\s+Time", "America/Los_Angeles", True),
    (r"Pacific\s+Standard\s+Time", "America/Los_Angeles", False),
    (r"Pacific(?:\s+[Tt]ime)?|(?:U\.?S\.?\s+)?[Pp]acific\s+[Tt]ime", "America/Los_Angeles", None),
    (r"Eastern\s+European\s+Summer\s+Time", "Europe/Athens", True),
    (r"Eastern\s+European(?:\s+Standard)?\s+Time", "Europe/Athens", False),
    (r"Eastern\s+Daylight(?:\s+Saving)?\s+Time", "America/New_York", True),
    (r"Eastern\s+Standard\s+Time", "America/New_York", False),
    (r"Eastern(?:\s+[Tt]ime)?|(?:U\.?S\.?\s+)?[Ee]astern\s+[Tt]ime", "America/New_York", None),
    # "3:55 p.m. eastern on Thursday", "by 7:19 p.m. eastern.": the bare adjective after a
    # time, where nothing it could qualify follows ("9am eastern suburbs" is a place).
    (rf"eastern{_BARE_ZONE_END}", "America/New_York", None),
    (rf"pacific{_BARE_ZONE_END}", "America/Los_Angeles", None),
    (r"Central\s+European\s+Summer\s+Time", "Europe/Berlin", True),
    (r"Central\s+European(?:\s+Standard)?\s+Time", "Europe/Berlin", False),
    (r"Coordinated\s+Universal\s+Time", "UTC", None),
    (r"Greenwich\s+Mean\s+Time", "UTC", None),
    (r"British\s+Summer\s+Time", "Europe/London", True),
    (r"UK\s+time", "Europe/London", None),
    (r"Mountain\s+Daylight(?:\s+Saving)?\s+Time", "America/Denver", True),
    (r"Mountain\s+Standard\s+Time", "America/Denver", False),
    (r"(?:U\.?S\.?\s+)?[Mm]ountain\s+[Tt]ime", "America/Denver", None),
    (r"Central\s+Daylight(?:\s+Saving)?\s+Time", "America/Chicago", True),
    (r"Central\s+Standard\s+Time", "America/Chicago", False),
    (r"(?:U\.?S\.?\s+)?[Cc]entral\s+[Tt]ime", "America/Chicago", None),
    (r"India(?:n)?\s+Standard\s+Time", "Asia/Kolkata", None),
    (r"South\s+Africa(?:n)?\s+Standard\s+Time", "Africa/Johannesburg", None),
    (r"Japan\s+Standard\s+Time", "Asia/Tokyo", None),
    (r"Australian\s+Eastern\s+Daylight(?:\s+Saving)?\s+Time", "Australia/Sydney", True),
    (r"Australian\s+Eastern\s+Standard\s+Time", "Australia/Sydney", False),
    (r"Australian\s+Eastern(?:\s+[Tt]ime)?", "Australia/Sydney", None),
    (r"Australian\s+Central\s+Daylight(?:\s+Saving)?\s+Time", "Australia/Adelaide", True),
    (r"Australian\s+Central\s+Standard\s+Time", "Australia/Adelaide", False),
    (r"Australian\s+Western\s+Standard\s+Time", "Australia/Perth", None),
    (r"New\s+Zealand\s+Daylight\s+Time", "Pacific/Auckland", True),
    (r"New\s+Zealand\s+Standard\s+Time", "Pacific/Auckland", False),
    (r"Singapore\s+Standard\s+Time", "Asia/Singapore", None),
    (r"Hong\s+Kong\s+Time", "Asia/Hong_Kong", None),
    (r"Philippine(?:\s+Standard)?\s+Time", "Asia/Manila", None),
    (r"Korea(?:n)?\s+Standard\s+Time", "Asia/Seoul", None),
    (r"China\s+Standard\s+Time", "Asia/Shanghai", None),
    (r"Western\s+European\s+Summer\s+Time", "Europe/Lisbon", True),
    (r"Western\s+European(?:\s+Standard)?\s+Time", "Europe/Lisbon", False),
    (r"Irish\s+Standard\s+Time", "Europe/Dublin", None),
    (r"Alaska\s+Daylight\s+Time", "America/Anchorage", True),
    (r"Alaska\s+Standard\s+Time", "America/Anchorage", False),
    (r"Hawaii(?:an)?(?:-Aleutian)?\s+Standard\s+Time", "Pacific/Honolulu", False),
    (r"Atlantic\s+Daylight\s+Time", "America/Halifax", True),
    (r"Atlantic\s+Standard\s+Time", "America/Halifax", False),
    (r"(?:[Oo]steuropäische[rn]?|[Oo]steuropa-)\s*Zeit", "Europe/Athens", None),
    (r"Universal\s+Time", "UTC", None),
    (r"[Mm]itteleuropäische[rn]?\s+Sommerzeit", "Europe/Berlin", True),
    # "mitteleuropäischer Zeit" is the everyday name of the local clock, summer or winter;
    # only "MEZ"/"CET" or "Standardzeit" name standard time.
    (r"[Mm]itteleuropäische[rn]?\s+Zeit", "Europe/Berlin", None),
    (r"[Kk]oordinierte[rn]?\s+Weltzeit(?:\s+\(UTC\))?", "UTC", None),
    (r"(?:deutsche[rn]?|Berliner)\s+Zeit", "Europe/Berlin", None),
    (r"(?:Schweizer|schweizerische[rn]?)\s+Zeit", "Europe/Zurich", None),
    (r"(?:österreichische[rn]?|Wiener)\s+Zeit", "Europe/Vienna", None),
    (
        r"(?:US-)?Ostküstenzeit|New\s+Yorker\s+Zeit|[Öö]stliche[rn]?\s+(?:US-)?Zeit",
        "America/New_York",
        None,
    ),
    # "gegen Mitternacht (französische Zeit)", "um 2:46 Uhr morgens in Frankreich": the clock
    # of the country named.
    (r"(?:französische[rn]?|Pariser)\s+Zeit|in\s+Frankreich", "Europe/Paris", None),
    (r"(?:britische[rn]?|Londoner)\s+Zeit|in\s+(?:Großbritannien|England)", "Europe/London", None),
    (r"(?:irische[rn]?)\s+Zeit|in\s+Irland", "Europe/Dublin", None),
    (r"(?:spanische[rn]?|Madrider)\s+Zeit|in\s+Spanien", "Europe/Madrid", None),
    (r"(?:italienische[rn]?|römische[rn]?)\s+Zeit|in\s+Italien", "Europe/Rome", None),
    (r"(?:niederländische[rn]?)\s+Zeit|in\s+den\s+Niederlanden", "Europe/Amsterdam", None),
    (r"(?:japanische[rn]?|Tokioter)\s+Zeit|in\s+Japan", "Asia/Tokyo", None),
    (r"(?:indische[rn]?)\s+Zeit|in\s+Indien", "Asia/Kolkata", None),
    (r"(?:australische[rn]?\s+)?Sydney-Zeit|in\s+Australien", "Australia/Sydney", None),
    (
        r"(?:US-)?Westküstenzeit|Pazifikzeit|(?:kalifornische|[Pp]azifische)[rn]?\s+Zeit",
        "America/Los_Angeles",
        None,
    ),
)
# "Sydney time", "Singapore local time", "local time in Toronto": a place's clock, named by
# any place of the gazetteer (checked by `spec_from_label`, so the shape stays cheap).
_PLACE_NAME = r"[A-ZÄÖÜ][a-zäöüß][\w'.-]*(?:\s+[A-ZÄÖÜ][a-zäöüß][\w'.-]*){0,2}"
_PLACE_TIME = rf"{_PLACE_NAME}\s+(?:local\s+)?time|local\s+time\s+in\s+{_PLACE_NAME}"
_PLACE_TIME_RE = re.compile(
    rf"(?P<before>{_PLACE_NAME})\s+(?:local\s+)?time|local\s+time\s+in\s+(?P<after>{_PLACE_NAME})"
)

_OFFSET = r"(?:UTC|GMT)\s?[+\-−]\s?\d{1,2}(?::?\d{2})?"
_ABBREVIATION_ALTERNATION = "|".join(
    sorted((name for name in _ABBREVIATIONS if name != "Z"), key=len, reverse=True)
)
_LONG_ALTERNATION = "|".join([*(pattern for pattern, _, _ in _LONG_NAMES), _PLACE_TIME])
# "US/Pacific" (Google Cloud's incident reports), "Europe/Berlin": tz database names.
_TZ_NAME = r"(?:US|America|Europe|Asia|Australia|Africa|Pacific|Atlantic)/[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_]+)?"
ZONE_PATTERN = (
    rf"(?:{_OFFSET}|{_TZ_NAME}|{_LONG_ALTERNATION}|(?:{_ABBREVIATION_ALTERNATION})(?![A-Za-z]))"
)
# "9:00 AM (SAST)" or "9:00 AM SAST"; a closing bracket belongs to the zone only when it opened.
# "10 Uhr (EST, 16 Uhr MEZ)": a bracket that names the zone, then restates the time.
# "10:30 Hours EST", "1400 hrs GMT": the military way of writing a clock, then the zone.
_ZONE_AFTER_TIME_RE = re.compile(
    rf"(?:\s+(?:[Hh]ours|[Hh]rs)\b)?"
    rf"(?:\s*\(\s*(?P<bracketed>{ZONE_PATTERN})\s*(?:\)|(?=,\s*\d))|\s*(?P<zone>{ZONE_PATTERN}))"
)
_GLUED_Z_RE = re.compile(r"Z(?![A-Za-z0-9])")
_LONG_COMPILED = tuple((re.compile(p), name, summer) for p, name, summer in _LONG_NAMES)

_DECLARATION_RE = re.compile(
    rf"""
    (?:
      \b(?:[Aa]ll\s+)?(?:[Tt]imes?|[Tt]imestamps?|[Dd]ates\s+and\s+times)\b
         (?:\s+(?:in|on|below|above|referenced|mentioned|listed|shown|given|stated|displayed
            |are|is|were|this|the|document|post|report|article|timeline|page|update|here))
         {{0,5}}?\s*(?::\s*)?(?:in\s+)?(?:the\s+)?
      |\b[Tt]ime\s?[Zz]one:\s*
      |\b(?:[Tt]imes?|[Tt]imestamps?|Zeit|Uhrzeit)\s*\(\s*(?=(?:{ZONE_PATTERN})\s*\))
      |\b(?:[Aa]lle\s+)?(?:Zeiten|Zeitangaben|Uhrzeiten|Angaben)
         (?:\s+(?:sind|in|im|dieses|diesem|Artikel|Beitrag|Text|Bericht)){{0,3}}?\s+(?:in\s+)?
      |\b[Zz]eitzone:\s*
    )
    (?P<zone>{ZONE_PATTERN})
    """,
    re.VERBOSE,
)


_FAST_DECLARATION = FastPattern(_DECLARATION_RE)


def spec_from_label(label: str) -> ZoneSpec | None:
    """Return the zone a label such as "PDT", "UTC+2" or "Pacific Time" names."""
    cleaned = " ".join(label.split())
    if cleaned in _ABBREVIATIONS:
        name, summer = _ABBREVIATIONS[cleaned]
        return ZoneSpec(name, summer, cleaned)
    offset = re.fullmatch(r"(?:UTC|GMT)\s?([+\-−])\s?(\d{1,2})(?::?(\d{2}))?", cleaned)
    if offset:
        sign = "-" if offset.group(1) in "-−" else "+"
        hours, minutes = int(offset.group(2)), int(offset.group(3) or 0)
        if hours > 14 or minutes > 59:
            return None
        if hours == minutes == 0:
            return ZoneSpec("UTC", None, cleaned)
        if minutes == 0:
            # IANA's Etc zones invert the sign: Etc/GMT-2 is two hours ahead of UTC.
            return ZoneSpec(f"Etc/GMT{'-' if sign == '+' else '+'}{hours}", None, cleaned)
        return ZoneSpec(f"UTC{sign}{hours:02d}:{minutes:02d}", None, cleaned)
    for pattern, name, summer in _LONG_COMPILED:
        if pattern.fullmatch(cleaned):
            return ZoneSpec(name, summer, cleaned)
    place_time = _PLACE_TIME_RE.fullmatch(cleaned)
    if place_time:
        return _clock_of(place_time.group("before") or place_time.group("after"), cleaned)
    if re.fullmatch(_TZ_NAME, cleaned):
        try:
            ZoneInfo(cleaned)
        except (ZoneInfoNotFoundError, ValueError):
            return None
        return ZoneSpec(cleaned, None, cleaned)
    return None


def zone_of_place(place: str) -> ZoneSpec | None:
    """Return the zone of a city or country a dateline names ("Sydney", "SYDNEY")."""
    cleaned = " ".join(place.split())
    return _clock_of(cleaned, cleaned)


def _clock_of(place: str, label: str) -> ZoneSpec | None:
    """Return the clock of a place name as a zone labelled `label`; None for a name that is
    no place or a country of several zones."""
    zone = zone_of_name(place)
    return None if zone is None or zone == SEVERAL_ZONES else ZoneSpec(zone, None, label)


def main_place(places: Iterable[PlaceMention]) -> tuple[ZoneSpec, int, int] | None:
    """Return the clock of the place a text is mostly about, and where it first names it.

    The most-named clock wins when it is named at least twice as often as any one country
    outside it ("the UK" three times, "Egypt" and "Qatar" once each). Places that keep one
    clock count together ("Hong Kong" and "Macau"). A country of several zones counts for
    the one of its cities the text names, else as a clock of its own that names none, one
    per country ("the United States and Australia" are two rivals of "Hong Kong", not one
    named twice). None when no clock stands out.
    """
    places = tuple(places)
    cities = cities_of_countries(places)
    clocks: dict[object, int] = {}
    countries: dict[tuple[object, str], int] = {}
    first: dict[object, PlaceMention] = {}
    for place in places:
        if place.zone == SEVERAL_ZONES and place.country in cities:
            place = cities[place.country]  # "the US" in a text about New York
        clock: object = (
            (SEVERAL_ZONES, place.country)
            if place.zone == SEVERAL_ZONES
            else same_clock(place.zone)
        )
        clocks[clock] = clocks.get(clock, 0) + 1
        country = (clock, place.country or place.zone)
        countries[country] = countries.get(country, 0) + 1
        first.setdefault(clock, place)
    if not clocks:
        return None
    clock, count = max(clocks.items(), key=lambda item: item[1])
    rival = max((n for (other, _), n in countries.items() if other != clock), default=0)
    place = first[clock]
    if count < 2 * rival:
        # "Sydney" three times, "Brisbane" three times, "Melbourne" once: no city stands
        # out, but all lie in one country of several clocks, whose text most likely
        # writes the clock most of its people keep, when it names that country or that
        # clock ("Chicago" and "Hawaii" say nothing for New York's).
        place = places[0]
        zone = MOST_PEOPLE_CLOCK.get(place.country)
        if zone is None or any(other.country != place.country for other in places):
            return None
        if not any(other.zone in (SEVERAL_ZONES, zone) for other in places):
            return None
        chosen = "its places lie in one country: the clock most of its people keep"
        return ZoneSpec(zone, None, place.written, chosen), place.start, place.end
    if place.zone == SEVERAL_ZONES:
        # "Australians", "Australia's": no city says which clock; the one most keep.
        zone = MOST_PEOPLE_CLOCK.get(place.country)
        if zone is None:
            return None
        chosen = "the clock most of its people keep"
        return ZoneSpec(zone, None, place.written, chosen), place.start, place.end
    return ZoneSpec(place.zone, None, place.written), place.start, place.end


def one_place(places: Iterable[PlaceMention]) -> tuple[ZoneSpec, int, int] | None:
    """Return the zone of the places named if they all lie in one, and where the first of
    them stands; None for no place, or places in different zones or in a country of several.
    """
    found: tuple[ZoneSpec, int, int] | None = None
    for place in places:
        if place.zone == SEVERAL_ZONES or (found is not None and found[0].name != place.zone):
            return None
        if found is None:
            found = (ZoneSpec(place.zone, None, place.written), place.start, place.end)
    return found


def zone_after(scan: str, position: int, limit: int) -> tuple[ZoneSpec, int] | None:
    """Return the zone written right after a time at `position`, and where it ends."""
    if scan.startswith("Z", position) and _GLUED_Z_RE.match(scan, position, limit):
        return ZoneSpec("UTC", None, "Z"), position + 1
    match = _ZONE_AFTER_TIME_RE.match(scan, position, limit)
    if not match:
        return None
    spec = spec_from_label(match.group("bracketed") or match.group("zone"))
    return (spec, match.end()) if spec else None


def find_declarations(scan: str, words: WordIndex | None = None) -> list[tuple[ZoneSpec, int, int]]:
    """Return every zone declaration ("All times PDT", "Alle Zeiten in MEZ") and its span."""
    found: list[tuple[ZoneSpec, int, int]] = []
    for match in _FAST_DECLARATION.finditer(scan, words or WordIndex(scan)):
        spec = spec_from_label(match.group("zone"))
        if spec:
            found.append((spec, match.start(), match.end()))
    return found


def to_utc(day: date, hour: int, minute: int, zone: ZoneSpec) -> datetime:
    """Return the UTC instant of a wall-clock time in `zone` on `day`.

    A label that names standard or summer time ("EST", "AEDT") is read as written: "6 PM
    EST" on a June day is UTC-5, one hour off New York's clock that day. The placement
    warns about the mismatch (`zone_label_mismatch`); the text's own words win.
    """
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone.tzinfo())
    at = local.astimezone(UTC)
    if zone.summer is None or zone.name.startswith(("UTC", "Etc/")):
        return at
    summer_shift = local.dst() or timedelta(0)
    if zone.summer and not summer_shift:
        return at - timedelta(hours=1)  # summer time written on a standard-time day
    if not zone.summer and summer_shift:
        return at + summer_shift  # standard time written on a summer-time day
    return at


def summer_mismatch(day: date, hour: int, minute: int, zone: ZoneSpec) -> bool:
    """Return True when the label says summer (or standard) time but the zone disagrees."""
    if zone.summer is None or zone.name.startswith(("UTC", "Etc/")):
        return False
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone.tzinfo())
    return bool(local.dst()) != zone.summer
