"""Place names and the clock each keeps: a gazetteer built from CLDR and the tz database.

A bare "from 9 am" in a piece about Singapore is most likely Singapore's clock. Which names
are places, and which clock each keeps, is not typed in here but read once per process from
data that is kept up to date elsewhere:

- the tz database's `zone.tab` (the `tzdata` package): which zones each country has, with a
  comment per zone ("most of Ukraine", "Chatham Islands");
- CLDR through Babel: each country's name in English and German ("South Africa",
  "Südafrika") and each zone's exemplar city ("Tokyo", "Tokio"; the old names of renamed
  zones too: "Kiev", "Calcutta", "Saigon").

A country whose mainland keeps one clock gives that clock ("Singapore", "Neuseeland"); so
does a country whose tz comment names the zone of "most of" it (Ukraine: Kyiv). One that
spans several (the US, Canada, Australia, Russia, Brazil, Mexico, Indonesia, China) names
no clock: only one of its cities does ("Sydney", "Chicago").

The data has no demonyms, no short names ("UK", "U.S.") and no city that is not a zone's
exemplar (Frankfurt, Mumbai, Beijing); `_OTHER_NAMES` adds those the extractor read before
this gazetteer existed. Names that are also common words, given names or parts of other
places ("Jersey" in "New Jersey", "Darwin", "Victoria", "Georgia") are left out: a wrong
place is worse than none.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

from babel import Locale
from babel.core import get_global

# A country spread over several clocks: it shows where a text is, but names no clock.
SEVERAL_ZONES = "several"
_LOCALES = ("en", "de")
_ISLAND_REGIONS = ("Atlantic/", "Indian/", "Pacific/")
# Two zones keep one clock when their offsets agree at these instants (winter and summer of
# the years the write-ups cover).
_CLOCK_SAMPLES = tuple(
    datetime(year, month, 15, 12, tzinfo=UTC) for year in range(2010, 2031) for month in (1, 7)
)
# Exemplar cities and country names that are also words, given names, brands or part of
# another place's name ("New Jersey", "Atlanta, Georgia", "Victoria Station", "Charles
# Darwin", "Virgin Media", "Long Island" (Iceland is "Island" in German), "Porsche Cayenne",
# "Réunion" without its accent, "Lloyds and Halifax", a British bank and town).
_NOT_PLACES = frozenset(
    {
        "Cayenne",
        "Chad",
        "Darwin",
        "Dawson",
        "Georgia",
        "Guernsey",
        "Halifax",
        "Island",
        "Jersey",
        "Jordan",
        "Oral",
        "Regina",
        "Resolute",
        "Reunion",
        "Stanley",
        "Victoria",
        "Virgin",
    }
)
# Countries the tz database gives several zones but whose law keeps one clock: China runs on
# Beijing time; its Urumqi zone is the unofficial Xinjiang time local people also use.
_LEGAL_CLOCKS = frozenset({"Asia/Shanghai"})
# Short names, demonyms and large cities CLDR and the tz database do not list, each with
# the country (ISO code) or zone whose clock it keeps.
_OTHER_NAMES: dict[str, str] = {
    "UK": "GB",
    "U.K.": "GB",
    "Britain": "GB",
    "Great Britain": "GB",
    "England": "GB",
    "Scotland": "GB",
    "Wales": "GB",
    "British": "GB",
    "Großbritannien": "GB",
    "Schottland": "GB",
    "Edinburgh": "GB",
    "Northern Ireland": "GB",
    # Large British and Irish cities and airports no zone is named after ("customers in
    # London, Birmingham and Cardiff"): a British piece names them more than its country.
    **dict.fromkeys(
        (
            "Birmingham", "Manchester", "Glasgow", "Liverpool", "Leeds", "Bristol", "Cardiff",
            "Sheffield", "Nottingham", "Aberdeen", "Swansea", "Heathrow", "Gatwick", "Stansted",
        ),
        "GB",
    ),
    "Cork": "IE",
    "Galway": "IE",
    "Limerick": "IE",
    "Irish": "IE",
    "French": "FR",
    "German": "DE",
    "Frankfurt": "DE",
    "Munich": "DE",
    "Dutch": "NL",
    "Holland": "NL",
    "Swiss": "CH",
    "Geneva": "CH",
    "Genf": "CH",
    "Spanish": "ES",
    "Italian": "IT",
    "Indian": "IN",
    "India": "IN",
    "Mumbai": "IN",
    "Delhi": "IN",
    "New Delhi": "IN",
    "Bengaluru": "IN",
    "Bangalore": "IN",
    "Japanese": "JP",
    "Korea": "KR",
    "Korean": "KR",
    "Cape Town": "ZA",
    "Kapstadt": "ZA",
    "Pretoria": "ZA",
    "Abu Dhabi": "AE",
    "Wellington": "NZ",
    "US": "US",
    "U.S.": "US",
    "USA": "US",
    "America": "US",
    "Canadian": "CA",
    "Australian": "AU",
    "Russian": "RU",
    "Brazilian": "BR",
    # The capital names Brazil's main clock ("8h31 (Brasília time)"); no zone is named after it.
    "Brasília": "America/Sao_Paulo",
    "Chinese": "CN",
    "Turkey": "TR",
    "Beijing": "Asia/Shanghai",
    "Peking": "Asia/Shanghai",
    "Shenzhen": "Asia/Shanghai",
    "Washington": "America/New_York",
    "Boston": "America/New_York",
    "Atlanta": "America/New_York",
    "Miami": "America/New_York",
    "Ottawa": "America/Toronto",
    "Montréal": "America/Toronto",
    "Dallas": "America/Chicago",
    "Houston": "America/Chicago",
    "Austin": "America/Chicago",
    "Texas": "America/Chicago",
    "Seattle": "America/Los_Angeles",
    "San Francisco": "America/Los_Angeles",
    "California": "America/Los_Angeles",
    "Portland": "America/Los_Angeles",
    "Canberra": "Australia/Sydney",
    # The states and provinces of countries of several zones, and their large cities that
    # are no zone's exemplar: they say which of the country's clocks a text keeps ("Iowa",
    # "in Omaha", "Queensland"). A state split between two clocks gives the one most of
    # its people keep. Left out: "Washington" (the capital above), "Alaska" (an airline's
    # name as often as the state's), "Georgia" and "Victoria" (see _NOT_PLACES).
    **dict.fromkeys(
        (
            "Connecticut", "Delaware", "Florida", "Indiana", "Kentucky", "Maine", "Maryland",
            "Massachusetts", "Michigan", "New Hampshire", "New Jersey", "North Carolina",
            "Ohio", "Pennsylvania", "Rhode Island", "South Carolina", "Vermont", "Virginia",
            "West Virginia", "Baltimore", "Philadelphia", "Pittsburgh", "Cleveland",
            "Cincinnati", "Orlando", "Tampa", "Raleigh", "Newark", "Brooklyn", "Manhattan",
            "Ontario", "Quebec", "Québec", "Montreal",
        ),
        "America/New_York",
    ),
    **dict.fromkeys(
        (
            "Alabama", "Arkansas", "Illinois", "Iowa", "Kansas", "Louisiana", "Minnesota",
            "Mississippi", "Missouri", "Nebraska", "North Dakota", "Oklahoma", "South Dakota",
            "Tennessee", "Wisconsin", "Omaha", "Des Moines", "Minneapolis", "St. Louis",
            "Kansas City", "Nashville", "Memphis", "New Orleans", "Milwaukee", "Manitoba",
        ),
        "America/Chicago",
    ),
    **dict.fromkeys(
        (
            "Colorado", "Idaho", "Montana", "New Mexico", "Utah", "Wyoming", "Salt Lake City",
            "Alberta", "Calgary",
        ),
        "America/Denver",
    ),
    **dict.fromkeys(
        (
            "Nevada", "Oregon", "Las Vegas", "San Diego", "San Jose", "Sacramento", "Oakland",
            "Palo Alto", "Mountain View", "Menlo Park", "Cupertino", "Redmond",
            "Silicon Valley", "British Columbia",
        ),
        "America/Los_Angeles",
    ),
    "Arizona": "America/Phoenix",
    "Hawaii": "Pacific/Honolulu",
    "Nova Scotia": "America/Halifax",
    "New South Wales": "Australia/Sydney",
    "Australian Capital Territory": "Australia/Sydney",
    "Queensland": "Australia/Brisbane",
    "Gold Coast": "Australia/Brisbane",
    "South Australia": "Australia/Adelaide",
    "Western Australia": "Australia/Perth",
    "Tasmania": "Australia/Hobart",
    "Northern Territory": "Australia/Darwin",
}  # fmt: skip


# For a country of several zones, the clock most of its people keep: a text that names the
# country and none of its cities ("Australians could not call", "across the US") most likely
# writes that clock. Still a guess, warned about as any clock taken from a place.
MOST_PEOPLE_CLOCK: dict[str, str] = {
    "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "ID": "Asia/Jakarta",
    "MX": "America/Mexico_City",
    "RU": "Europe/Moscow",
    "US": "America/New_York",
}


@dataclass(frozen=True)
class PlaceMention:
    """A place a text names, and the clock it keeps (or SEVERAL_ZONES)."""

    start: int
    end: int
    zone: str
    written: str
    country: str = ""  # ISO code of the country it lies in ("AU" for Sydney and Australia)


@dataclass(frozen=True)
class _Gazetteer:
    # name as written (and without accents) -> (zone or SEVERAL_ZONES, country code)
    zones: dict[str, tuple[str, str]]
    pattern: re.Pattern[str]


@cache
def same_clock(zone: str) -> tuple[timedelta | None, ...]:
    """Return what a zone's clock reads against UTC over the years the write-ups cover: two
    zones with equal values keep one clock ("Hong Kong" and "Macau", "Ireland" and "UK")."""
    info = ZoneInfo(zone)
    return tuple(sample.astimezone(info).utcoffset() for sample in _CLOCK_SAMPLES)


def _country_zones() -> dict[str, list[tuple[str, str]]]:
    """Return each country's zones with their tz comments, from the tz database's zone.tab."""
    table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    countries: dict[str, list[tuple[str, str]]] = {}
    for line in table.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, _, zone, *comment = line.split("\t")
        countries.setdefault(code, []).append((zone, comment[0] if comment else ""))
    return countries


def _country_clock(zones: list[tuple[str, str]]) -> str:
    """Return the zone of a country's clock, or SEVERAL_ZONES.

    Outlying islands do not count against the mainland's clock (Spain's Canaries, New
    Zealand's Chatham Islands); a zone the tz database calls "most of" the country is its
    clock (Ukraine: Kyiv, not Crimea); a country whose law sets one clock keeps it.
    """
    legal = [zone for zone, _ in zones if zone in _LEGAL_CLOCKS]
    if legal:
        return legal[0]
    mainland = (
        [
            (zone, comment)
            for zone, comment in zones
            if not zone.startswith((*_ISLAND_REGIONS, "Antarctica/")) and "Island" not in comment
        ]
        or [(zone, comment) for zone, comment in zones if "Island" not in comment]
        or zones
    )
    if len({same_clock(zone) for zone, _ in mainland}) == 1:
        return mainland[0][0]
    most = [zone for zone, comment in mainland if comment.lower().startswith("most of")]
    return most[0] if len(most) == 1 else SEVERAL_ZONES


def _variants(name: str) -> set[str]:
    """Return a CLDR name and its everyday forms: "Hong Kong SAR China" -> "Hong Kong"."""
    name = name.replace("’", "'").replace("\u00ad", "")
    forms = {name, re.sub(r"\s+SAR\s+China$", "", name)}
    bracket = re.fullmatch(r"(.+?)\s*\((.+)\)", name)
    if bracket:
        forms |= {bracket.group(1), bracket.group(2)}
    if not re.search("[äöüßÄÖÜ]", name):
        # "Sao Paulo", "Bogota", as English text often writes them; a German name keeps its
        # umlauts ("Südafrika" is no "Sudafrika").
        forms |= {
            unicodedata.normalize("NFKD", form).encode("ascii", "ignore").decode() for form in forms
        }
    return {form for form in forms if re.fullmatch(r"[A-ZÄÖÜ][\w.' -]*[\w.]", form)}


@cache
def _gazetteer() -> _Gazetteer:
    countries = _country_zones()
    country_of = {zone: code for code, pairs in countries.items() for zone, _ in pairs}
    zones: dict[str, tuple[str, str]] = {}

    def add(name: str, zone: str, country: str = "") -> None:
        for form in _variants(name):
            if form not in _NOT_PLACES and form not in zones:
                zones[form] = (zone, country or country_of.get(zone, ""))

    english, german = (Locale(locale).time_zones for locale in _LOCALES)
    for country_zones in countries.values():
        for zone, _ in country_zones:
            if zone.startswith("Antarctica/"):
                continue
            # CLDR's exemplar city, else the city the zone's own name gives (what Babel's
            # get_timezone_location returns, without building a pytz zone for each).
            derived = zone.rpartition("/")[2].replace("_", " ")
            city = english.get(zone, {}).get("city") or derived
            add(city, zone)
            if not re.search(r"\b(?:Island|Islands|Atoll|Station|Land)$", city):
                # "Wake Island" is "Wake" in German, a word in English: English only there.
                add(german.get(zone, {}).get("city") or derived, zone)
    # "Kiev", "Calcutta", "Saigon": the exemplar cities of renamed zones.
    for old, new in get_global("zone_aliases").items():
        region, _, city = old.rpartition("/")
        # (Australia's old names are states and compass points: "South", "Victoria".)
        if region in {"Africa", "America", "Asia", "Europe"} and city[1:].islower():
            add(city.replace("_", " "), new)
    clocks = _country_clocks()
    for locale in _LOCALES:
        territories = Locale(locale).territories
        for code, clock in clocks.items():
            if code in territories:
                add(territories[code], clock, code)
    for name, where in _OTHER_NAMES.items():
        add(name, clocks.get(where, where), where if where in clocks else "")
    # "Londoner Börse", "Singapurs Banken", "Sydney-based", "Singaporeans": a city's German
    # adjective, a genitive and a country's English demonym are the place too.
    regex = re.compile(rf"(?P<name>{_trie_pattern(zones)})(?:er|n|an|ian)?s?(?!\w)")
    return _Gazetteer(zones, regex)


@cache
def _country_clocks() -> dict[str, str]:
    """Return each country's clock (or SEVERAL_ZONES) by ISO code."""
    return {code: _country_clock(zones) for code, zones in _country_zones().items()}


# Country-code domains that are sold as words, not as a country's ("startup.io", "x.ai").
_VANITY_DOMAINS = frozenset(
    {"ac", "ai", "am", "cc", "co", "eu", "fm", "gg", "io", "la", "ly", "me", "ms", "nu", "sh",
     "so", "tk", "to", "tv", "vc", "ws"}
)  # fmt: skip
# "https://www.computing.co.uk/news/…", "(nzherald.co.nz)": a host and its last label.
_HOST_RE = re.compile(
    r"(?<![\w@.-])(?:https?://)?(?P<host>(?:[a-z0-9][a-z0-9-]*\.)+(?P<tld>[a-z]{2}))(?![\w-]|\.\w)"
)
# A host holds a dot between a label's last character and a letter or digit ("co.uk"): the
# dots of prose ("ends. Then") have none. The pattern opens with the dot, so the engine
# skips from one to the next in C.
_HOST_DOT_RE = re.compile(r"\.(?<=[a-z0-9-]\.)(?=[a-z0-9])")
# Every character a host with its scheme may hold, before its last dot.
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-.:/")


def _hosts(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """Yield what `_HOST_RE.finditer(text, start, end)` yields, tried only around hosts' dots.

    The engine would try the pattern at every character of a long paste. A match holds a
    dot `_HOST_DOT_RE` finds, and starts in the run of host characters that leads to it:
    for each such dot, in order, the pattern is tried at each position of that run.
    """
    last_end = start
    for dot in _HOST_DOT_RE.finditer(text, start, end):
        position = dot.start()
        if position < last_end:
            continue
        run = position
        while run > last_end and text[run - 1] in _HOST_CHARS:
            run -= 1
        for candidate in range(run, position):
            found = _HOST_RE.match(text, candidate, end)
            if found is not None:
                yield found
                last_end = found.end()
                break


def find_outlets(text: str, spans: Iterable[tuple[int, int]]) -> tuple[PlaceMention, ...]:
    """Return the countries the web addresses in `spans` of `text` belong to by their
    country-code domain ("computing.co.uk": the UK), as places with that country's clock.

    An outlet writes its own country's clock; its address says which country that is.
    """
    clocks = _country_clocks()
    found: list[PlaceMention] = []
    for start, end in spans:
        for match in _hosts(text, start, end):
            tld = match.group("tld")
            code = "GB" if tld == "uk" else tld.upper()
            if tld in _VANITY_DOMAINS or code not in clocks:
                continue
            host = match.group("host")
            found.append(
                PlaceMention(match.start("host"), match.end("host"), clocks[code], host, code)
            )
    return tuple(found)


def _trie_pattern(names: Iterable[str]) -> str:
    """Return an alternation of `names` factored by common prefixes ("S(?:ingapore|ydney)"),
    each starting a word.

    The regex engine tries the branches of a flat alternation one by one; factored, a
    word costs about its own length however many names there are. The pattern opens with
    the names' first letters and checks the word boundary only after one, so the engine
    skips every position that holds none of those capitals without entering the pattern:
    one pass in C over the text (12 ms for 2 MB), no word index needed.
    """
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for name in names:
        node = trie
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
        branches = [re.escape(char) + render(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        if "" in node:  # a name ends here; a longer one is tried first
            return "(?:" + "|".join(branches) + ")?"
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return (
        "(?:"
        + "|".join(
            re.escape(char) + r"(?<![\w-].)" + render(child) for char, child in sorted(trie.items())
        )
        + ")"
    )


def zone_of_name(name: str) -> str | None:
    """Return the clock of a place name ("Sydney", "SYDNEY", "Südafrika"), or SEVERAL_ZONES."""
    zones = _gazetteer().zones
    cleaned = " ".join(name.split())
    found = zones.get(cleaned) or zones.get(cleaned.title())
    return found[0] if found else None


def find_places(scan: str) -> tuple[PlaceMention, ...]:
    """Return every place the text names, in text order."""
    gazetteer = _gazetteer()
    found: list[PlaceMention] = []
    for match in gazetteer.pattern.finditer(scan):
        name = match.group("name")
        zone, country = gazetteer.zones[name]
        found.append(PlaceMention(match.start(), match.end(), zone, name, country))
    return tuple(found)


def cities_of_countries(places: Iterable[PlaceMention]) -> dict[str, PlaceMention]:
    """Return, for each country of several zones, the first place of the one clock of it
    the text names ("Australia" ... "in Perth": Perth), when it names exactly one.
    """
    clocks: dict[str, dict[str, PlaceMention]] = {}
    for place in places:
        if place.zone != SEVERAL_ZONES and place.country:
            clocks.setdefault(place.country, {}).setdefault(place.zone, place)
    return {
        country: next(iter(found.values())) for country, found in clocks.items() if len(found) == 1
    }
