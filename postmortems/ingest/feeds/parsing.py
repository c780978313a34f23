"""Read a status feed's bytes into provider incidents: pure functions, frozen records out.

Four formats, one shape. Every feed becomes a tuple of ``ProviderIncident``, each with its
status updates oldest first, each update at the exact time the provider stamped it:

* Statuspage ``/api/v2/incidents.json``: incidents with ``incident_updates`` (ids, states,
  ``display_at`` to the second) and affected components.
* Google Cloud ``incidents.json``: a list of incidents with ``updates``; an update has no
  id of its own, so its ``created`` time is its id; ``AVAILABLE`` means resolved.
* Atom and RSS (read with feedparser): Statuspage's ``history.atom``/``history.rss`` put a
  whole incident in one entry, its updates as ``<small>Oct <var>20</var>, <var>07:11</var>
  UTC</small><br><strong>Resolved</strong> - text`` paragraphs, which are split back into
  updates. Other feeds (AWS's status RSS) post one item per update; items whose titles
  match once status prefixes such as ``[RESOLVED]`` are removed, and that follow each
  other within a day, are one incident.

A state is taken only from what the provider wrote (a Statuspage state, a ``[RESOLVED]``
tag, a leading "Investigating -"); anything else is an update without a state, never a
guess. Nothing here imports Django.
"""

from __future__ import annotations

import calendar
import hashlib
import html
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "FeedParseError",
    "ParsedFeed",
    "ProviderIncident",
    "StatusUpdate",
    "parse_feed",
]

FEED_KINDS = ("statuspage", "atom", "rss", "gcp")
STATES = ("investigating", "identified", "monitoring", "resolved")
# A provider's RSS items about one incident arrive within this of each other.
THREAD_GAP = timedelta(hours=24)

_STATUSPAGE_LEVELS = {"critical": "outage", "major": "outage", "minor": "degraded"}
_GCP_LEVELS = {"high": "outage", "medium": "degraded", "low": "degraded"}
_MONTHS = {name: number for number, name in enumerate(calendar.month_abbr) if name}
_STATUSPAGE_UPDATE = re.compile(
    r"<small>\s*(?P<month>[A-Z][a-z]{2})\s*<var[^>]*>\s*(?P<day>\d{1,2})\s*</var>\s*,\s*"
    r"<var[^>]*>\s*(?P<clock>\d{1,2}:\d{2}(?::\d{2})?)\s*</var>\s*UTC\s*</small>\s*"
    r"(?:<br\s*/?>)?\s*<strong>\s*(?P<state>[^<]{1,40}?)\s*</strong>\s*[-–—]?\s*"
    r"(?P<text>.*?)(?=</p>|<p>|<small>|$)",
    re.S | re.I,
)
_TITLE_PREFIXES = re.compile(
    r"^\s*(?:(?:\[(?:resolved|investigating|identified|monitoring|update[d]?)\]|"
    r"service is operating normally:|informational message:|performance issues:|"
    r"service disruption:|resolved:|investigating:|identified:|monitoring:)\s*)+",
    re.I,
)
_LEADING_STATE = re.compile(
    r"^\s*\[?(?P<state>investigating|identified|monitoring|resolved)\]?\s*(?:[-–—:]|$)", re.I
)
_BRACKETED_STATE = re.compile(r"\[(?P<state>resolved|investigating|identified|monitoring)\]", re.I)
_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"<\s*(?:br\s*/?|/p|/li|/div|/h\d)\s*>", re.I)
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


class FeedParseError(ValueError):
    """The bytes are not a feed of the expected kind; ``message`` says what is wrong."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class StatusUpdate:
    update_id: str
    at: datetime  # aware, UTC: when the provider posted it
    precision: str  # "second", or "minute" for a time on :00 (see _precision)
    state: str  # one of STATES, or "" when the provider named none
    text: str
    # The moment the text itself gives for its state ("By 3:01 PM every service was back"),
    # and those words; read from the text after parsing, not part of what was published.
    told_at: datetime | None = None
    told: str = ""

    @property
    def moment(self) -> datetime:
        """Return when the update's state began: the time its text gives, else its post time."""
        return self.told_at or self.at


@dataclass(frozen=True)
class ProviderIncident:
    entry_id: str
    title: str
    link: str
    components: tuple[str, ...]
    updates: tuple[StatusUpdate, ...]  # oldest first, never empty
    level: str = ""  # "outage" or "degraded" when the provider rated the impact, else ""

    @property
    def started_at(self) -> datetime:
        """Return the time of the provider's first update."""
        return self.updates[0].at

    @property
    def resolved_at(self) -> datetime | None:
        """Return the moment of the last "resolved" update, if the incident is resolved."""
        if self.updates[-1].state != "resolved":
            return None
        return self.updates[-1].moment

    def first_at(self, state: str) -> datetime | None:
        """Return the moment of the first update in ``state``."""
        return next((update.moment for update in self.updates if update.state == state), None)

    def content_hash(self) -> str:
        """Return a digest of everything stored from this incident: it changes when it is edited."""
        data = asdict(self)
        for update in data["updates"]:
            update["at"] = update["at"].isoformat()
            # What the provider published, not what was read from it.
            del update["told_at"], update["told"]
        canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ParsedFeed:
    incidents: tuple[ProviderIncident, ...]
    skipped: tuple[str, ...] = ()  # entries left out, each with why


def parse_feed(kind: str, body: bytes) -> ParsedFeed:
    """Return the provider incidents in ``body``; raise FeedParseError when it is not a feed."""
    if kind == "statuspage":
        return _parse_statuspage(_load_json(body, "Statuspage"))
    if kind == "gcp":
        return _parse_gcp(_load_json(body, "Google Cloud"))
    if kind in ("atom", "rss"):
        return _parse_syndication(body, kind)
    raise FeedParseError(f"Unknown feed kind {kind!r}; expected one of {', '.join(FEED_KINDS)}.")


# --- JSON feeds -----------------------------------------------------------------------


def _load_json(body: bytes, what: str) -> Any:
    try:
        return json.loads(body)
    except UnicodeDecodeError:
        raise FeedParseError(f"The {what} feed is not UTF-8 text.") from None
    except json.JSONDecodeError as error:
        raise FeedParseError(
            f"The {what} feed is not valid JSON: {error.msg} at line {error.lineno}, "
            f"column {error.colno}."
        ) from None


def _parse_statuspage(data: Any) -> ParsedFeed:
    if not isinstance(data, dict) or not isinstance(data.get("incidents"), list):
        raise FeedParseError(
            'The Statuspage feed has no "incidents" list; is this /api/v2/incidents.json?'
        )
    incidents: list[ProviderIncident] = []
    skipped: list[str] = []
    for position, item in enumerate(data["incidents"]):
        try:
            incidents.append(_statuspage_incident(item))
        except _BadEntry as why:
            skipped.append(f"Incident {position + 1}: {why}")
    return ParsedFeed(tuple(incidents), tuple(skipped))


def _statuspage_incident(item: Any) -> ProviderIncident:
    if not isinstance(item, dict):
        raise _BadEntry("not an object")
    entry_id = _required_text(item, "id")
    components = _names(item.get("components"))
    updates = []
    for raw in item.get("incident_updates") or []:
        if not isinstance(raw, dict):
            raise _BadEntry("an update is not an object")
        at = _timestamp(raw.get("display_at") or raw.get("created_at"), "update time")
        components += _names(raw.get("affected_components"))
        updates.append(
            StatusUpdate(
                update_id=_required_text(raw, "id"),
                at=at,
                precision=_precision(at),
                state=_state(str(raw.get("status") or "")),
                text=_plain(str(raw.get("body") or "")),
            )
        )
    if not updates:
        raise _BadEntry(f"incident {entry_id} has no updates")
    return ProviderIncident(
        entry_id=entry_id,
        title=_plain(str(item.get("name") or ""))[:300] or entry_id,
        link=_http_url(item.get("shortlink")),
        components=_unique(components),
        updates=_in_order(updates),
        level=_STATUSPAGE_LEVELS.get(str(item.get("impact") or "").lower(), ""),
    )


def _parse_gcp(data: Any) -> ParsedFeed:
    if not isinstance(data, list):
        raise FeedParseError("The Google Cloud feed is not a list of incidents.")
    incidents: list[ProviderIncident] = []
    skipped: list[str] = []
    for position, item in enumerate(data):
        try:
            incidents.append(_gcp_incident(item))
        except _BadEntry as why:
            skipped.append(f"Incident {position + 1}: {why}")
    return ParsedFeed(tuple(incidents), tuple(skipped))


def _gcp_incident(item: Any) -> ProviderIncident:
    if not isinstance(item, dict):
        raise _BadEntry("not an object")
    entry_id = _required_text(item, "id")
    products = item.get("affected_products") or []
    components = tuple(
        str(product.get("title")).strip()
        for product in products
        if isinstance(product, dict) and product.get("title")
    ) or _names([{"name": item.get("service_name")}])
    updates = []
    for raw in item.get("updates") or []:
        if not isinstance(raw, dict):
            raise _BadEntry("an update is not an object")
        stamp = raw.get("when") or raw.get("created")
        at = _timestamp(stamp, "update time")
        updates.append(
            StatusUpdate(
                update_id=str(raw.get("created") or stamp),
                at=at,
                precision=_precision(at),
                state="resolved" if raw.get("status") == "AVAILABLE" else "",
                text=_plain(str(raw.get("text") or "")),
            )
        )
    if not updates:
        raise _BadEntry(f"incident {entry_id} has no updates")
    uri = str(item.get("uri") or "")
    if uri and not uri.startswith(("http://", "https://")):
        uri = "https://status.cloud.google.com/" + uri.lstrip("/")
    return ProviderIncident(
        entry_id=entry_id,
        title=_plain(str(item.get("external_desc") or ""))[:300] or entry_id,
        link=_http_url(uri),
        components=_unique(components),
        updates=_in_order(updates),
        level=_GCP_LEVELS.get(str(item.get("severity") or "").lower(), ""),
    )


# --- Atom and RSS ---------------------------------------------------------------------


def _parse_syndication(body: bytes, kind: str) -> ParsedFeed:
    import feedparser  # kept out of module import: only feed polls pay for it

    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version"):
        problem = parsed.get("bozo_exception")
        why = f" ({_describe_xml_error(problem)})" if problem else ""
        raise FeedParseError(f"This is not an Atom or RSS feed{why}.")
    if parsed.get("bozo") and not parsed.entries:
        raise FeedParseError(
            f"The {kind.upper()} feed is malformed "
            f"({_describe_xml_error(parsed.get('bozo_exception'))}) and no entry could be read."
        )
    whole: list[ProviderIncident] = []
    singles: list[tuple[str, str, tuple[str, ...], StatusUpdate]] = []
    skipped: list[str] = []
    for position, entry in enumerate(parsed.entries):
        try:
            item = _syndication_entry(entry)
        except _BadEntry as why:
            skipped.append(f"Entry {position + 1}: {why}")
            continue
        if isinstance(item, ProviderIncident):
            whole.append(item)
        else:
            singles.append(item)
    return ParsedFeed(tuple(whole) + _threads(singles), tuple(skipped))


def _syndication_entry(
    entry: Any,
) -> ProviderIncident | tuple[str, str, tuple[str, ...], StatusUpdate]:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if not stamp:
        raise _BadEntry("no publication date")
    # feedparser's struct_time is already in UTC.
    published = datetime.fromtimestamp(calendar.timegm(stamp), tz=UTC)
    title = _plain(str(entry.get("title") or ""))
    content = _entry_html(entry)
    link = _http_url(entry.get("link"))
    components = _unique(
        tuple(str(tag.get("term") or "").strip() for tag in entry.get("tags") or [])
    )
    entry_id = str(entry.get("id") or link or f"{title}@{published.isoformat()}")[:500]
    updates = _statuspage_history_updates(content, published, entry_id)
    if updates:
        return ProviderIncident(
            entry_id=entry_id,
            title=title[:300] or entry_id,
            link=link,
            components=components,
            updates=_in_order(updates),
        )
    text = _plain(content) or title
    state = _state_from_markers(title, text)
    update = StatusUpdate(
        update_id=entry_id, at=published, precision=_precision(published), state=state, text=text
    )
    return (title, link, components, update)


def _statuspage_history_updates(
    content: str, published: datetime, entry_id: str
) -> list[StatusUpdate]:
    updates = []
    for match in _STATUSPAGE_UPDATE.finditer(content):
        month = _MONTHS.get(match["month"].title())
        if month is None:
            continue
        parts = [int(part) for part in match["clock"].split(":")]
        hour, minute, second = parts[0], parts[1], parts[2] if len(parts) == 3 else 0
        # The history names no year: the entry's own date gives it, a December update
        # in a January entry belongs to the year before.
        year = published.year - (1 if month > published.month else 0)
        try:
            at = datetime(year, month, int(match["day"]), hour, minute, second, tzinfo=UTC)
        except ValueError:
            continue
        state = _state(match["state"])
        updates.append(
            StatusUpdate(
                update_id=f"{entry_id}#{at.isoformat()}#{state or match['state'].lower()}",
                at=at,
                precision="second" if len(parts) == 3 else "minute",
                state=state,
                text=_plain(match["text"]),
            )
        )
    return updates


def _threads(
    singles: Sequence[tuple[str, str, tuple[str, ...], StatusUpdate]],
) -> tuple[ProviderIncident, ...]:
    """Group one-update items into incidents: same title once the status prefix is gone,
    each within THREAD_GAP of the one before."""
    open_threads: dict[str, list[tuple[str, str, tuple[str, ...], StatusUpdate]]] = {}
    threads: list[list[tuple[str, str, tuple[str, ...], StatusUpdate]]] = []
    for item in sorted(singles, key=lambda single: (single[3].at, single[3].update_id)):
        key = _thread_key(item[0])
        current = open_threads.get(key)
        if current is None or item[3].at - current[-1][3].at > THREAD_GAP:
            current = []
            threads.append(current)
            open_threads[key] = current
        current.append(item)
    incidents = []
    for thread in threads:
        first_title, first_link, _, first_update = thread[0]
        key = _thread_key(first_title)
        incidents.append(
            ProviderIncident(
                entry_id=f"{key or first_update.update_id}@{first_update.at:%Y-%m-%dT%H:%M:%SZ}"[
                    :500
                ],
                title=(_TITLE_PREFIXES.sub("", first_title).strip() or first_title)[:300]
                or first_update.update_id,
                link=first_link,
                components=_unique(tuple(name for item in thread for name in item[2])),
                updates=tuple(item[3] for item in thread),
            )
        )
    return tuple(incidents)


def _thread_key(title: str) -> str:
    return _SPACES.sub(" ", _TITLE_PREFIXES.sub("", title)).strip().lower()


def _entry_html(entry: Any) -> str:
    contents = entry.get("content") or []
    for content in contents:
        value = content.get("value") if isinstance(content, dict) else None
        if value:
            return str(value)
    return str(entry.get("summary") or entry.get("description") or "")


def _state_from_markers(title: str, text: str) -> str:
    bracketed = _BRACKETED_STATE.search(title)
    if bracketed:
        return bracketed["state"].lower()
    if title.lower().startswith("service is operating normally"):
        return "resolved"
    for candidate in (title, text):
        leading = _LEADING_STATE.match(candidate)
        if leading:
            return leading["state"].lower()
    return ""


def _describe_xml_error(problem: object) -> str:
    message = str(problem or "unreadable").strip()
    return message[:200] or type(problem).__name__


# --- shared helpers -------------------------------------------------------------------


class _BadEntry(Exception):
    """One entry cannot be read; the rest of the feed still can."""


def _required_text(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    if value is None or str(value).strip() == "":
        raise _BadEntry(f"no {key!r}")
    return str(value).strip()[:500]


def _timestamp(value: object, what: str) -> datetime:
    if not isinstance(value, str) or not value:
        raise _BadEntry(f"no {what}")
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise _BadEntry(f"{what} {value[:40]!r} is not an ISO 8601 time") from None
    if parsed.tzinfo is None:
        raise _BadEntry(f"{what} {value[:40]!r} has no time zone")
    return parsed.astimezone(UTC).replace(microsecond=0)


def _precision(at: datetime) -> str:
    # Feeds stamp every time to the second, but a time on :00 was almost always typed to
    # the minute (Statuspage's backdated updates, RSS dates): claim no more than that.
    return "second" if at.second else "minute"


def _state(value: str) -> str:
    value = value.strip().lower()
    return value if value in STATES else ""


def _names(items: object) -> tuple[str, ...]:
    if not isinstance(items, list):
        return ()
    return tuple(
        str(item["name"]).strip()[:120]
        for item in items
        if isinstance(item, dict) and item.get("name") and str(item["name"]).strip()
    )


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for name in names:
        if name and name.lower() not in seen:
            seen[name.lower()] = name
    return tuple(seen.values())


def _in_order(updates: list[StatusUpdate]) -> tuple[StatusUpdate, ...]:
    ordered: dict[str, StatusUpdate] = {}
    for update in sorted(updates, key=lambda update: (update.at, update.update_id)):
        ordered.setdefault(update.update_id, update)  # a repeated id is one update
    return tuple(ordered.values())


def _http_url(value: object) -> str:
    url = str(value or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or len(url) > 2000:
        return ""  # a link we could not store or show safely is no link
    return url


def _plain(markup: str) -> str:
    """Return the text of a feed's HTML snippet: tags dropped, entities decoded."""
    text = _BLOCK_END.sub("\n", markup)
    text = html.unescape(_TAG.sub("", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
