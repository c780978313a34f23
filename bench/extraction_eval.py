"""Score the timeline extractor, and two general date libraries, on the labelled articles.

Run from the project root:

    .venv/bin/python bench/extraction_eval.py [-v] [--no-peers] [--sealed] [--folder DIR]

The default run scores the development part (`tests/data/articles/*`): first the
per-article table of our extractor, as each label asks for it (its own `reference_date`),
then one summary table per part with every system in two modes:

- "none": no reference date at all;
- "incident day": the incident's first day (the date in the label's `incident`, e.g.
  `aws-2025-10-20`) as reference date, what an import attached to an incident gets.

`--folder DIR` scores only the labelled articles in DIR, as a part of their own: a sample
written after the work, scored once (see "Unseen probes" in `tests/data/articles/README.md`).

`--sealed` also scores the sealed part (`tests/data/articles/sealed/`). Run it once, at the
end of the work: its figures are the headline, and looking at them while changing the
extractor would turn the sealed part into a development set.

Systems. "cascade" is `extract_timeline` given the text as it is (HTML included) and, when
the file is HTML and `extract_timeline` accepts them, the document's title and publication
date. The peers are dateparser's `search_dates` and datefinder's `find_dates`; they get the
visible text, the article's language (dateparser), and the same zone help: the first zone
the text names (its declared zone; German texts without one: Europe/Berlin, others: UTC)
is applied to the times they return without a zone, and in the "incident day" mode the
incident day is their relative base / base date. Our extractor gets no zone help: reading
declared zones is part of its job. A peer's result is date-only when the matched text holds
no clock time; identical results are merged, since a label lists each moment once.

Matching rule (one-to-one, greedy, closest pairs first; the same for every system):
- An expected event with a time matches a found event with a time when their UTC instants
  are at most 15 minutes apart, whatever their kinds. Recall and precision count these
  matches ("within 15 min").
- A match is *exact* when both fall in the same UTC minute. "exact" is the share of matches
  that are exact; "exact recall" is exact matches over expected events.
- An expected date-only event ("precision": "day") matches only a found date-only event on
  the same calendar date; such a match is exact.
- Among equally distant candidates, one with the same kind is preferred (peers have none).

Recall = matched / expected, precision = matched / found. Kinds are scored for our extractor
only (share of matches with the labelled kind); services and warning codes are reported in
the per-article table, not scored.
"""

from __future__ import annotations

import inspect
import json
import re
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from postmortems.ingest.extraction import (  # noqa: E402
    CatalogueEntry,
    Extraction,
    ProposedEvent,
    extract_timeline,
)

ARTICLES = ROOT / "tests" / "data" / "articles"
SEALED = ARTICLES / "sealed"
ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".html"})
MATCH_WINDOW = timedelta(minutes=15)
# The warning codes the labels speak about; other codes (date_inferred, …) are extra
# explanations and are not counted as false alarms.
LABELLED_WARNINGS = frozenset(
    {
        "time_without_zone",
        "time_without_date",
        "multiple_incidents",
        "contradictory_times",
        "ambiguous_rollover",
    }
)
MODES = ("none", "incident day")


class FoundEvent(Protocol):
    """What the matching rule needs from a found event, ours or a peer's."""

    @property
    def at(self) -> datetime: ...

    @property
    def date_only(self) -> bool: ...

    @property
    def kind(self) -> str | None: ...


@dataclass(frozen=True)
class ExpectedEvent:
    at: datetime
    kind: str
    services: tuple[str, ...]
    day_only: bool


@dataclass(frozen=True)
class PeerEvent:
    at: datetime
    date_only: bool
    quote: str
    kind: str | None = None


@dataclass(frozen=True)
class ArticleScore:
    name: str
    expected: int
    extracted: int
    matched: int
    exact: int
    same_kind: int
    same_services: int
    missing: tuple[ExpectedEvent, ...]
    spurious: tuple[FoundEvent, ...]
    missing_warnings: frozenset[str]
    extra_warnings: frozenset[str]


@dataclass(frozen=True)
class Document:
    """One labelled article as every system sees it."""

    path: Path
    text: str
    visible_text: str
    language: str
    incident_day: date
    declared_zone: str
    title: str | None
    published: date | None


def load_catalogue() -> list[CatalogueEntry]:
    """Return the catalogue the labels were written against."""
    raw = json.loads((ARTICLES / "catalogue.json").read_text(encoding="utf-8"))
    return [CatalogueEntry(item["name"], tuple(item["aliases"])) for item in raw]


def article_paths(part: str | Path = "development") -> list[Path]:
    """Return the labelled articles of one part ("development", "sealed" or a folder), by name."""
    folder = part if isinstance(part, Path) else {"development": ARTICLES, "sealed": SEALED}[part]
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.iterdir()
        if path.suffix in ARTICLE_SUFFIXES and _label_path(path).exists()
    )


def _label_path(article: Path) -> Path:
    return article.with_name(article.stem + ".expected.json")


def load_label(article: Path) -> dict[str, object]:
    return json.loads(_label_path(article).read_text(encoding="utf-8"))


def extract_article(
    article: Path,
    catalogue: list[CatalogueEntry],
    *,
    reference_date: date | str | None = "label",
) -> Extraction:
    """Run our extractor on one article; by default with the label's own reference date."""
    if reference_date == "label":
        raw = load_label(article).get("reference_date")
        reference_date = date.fromisoformat(raw) if isinstance(raw, str) else None
    assert not isinstance(reference_date, str)
    document = load_document(article)
    return extract_timeline(
        document.text,
        catalogue=catalogue,
        reference_date=reference_date,
        **_metadata_arguments(document),
    )


def _metadata_arguments(document: Document) -> dict[str, object]:
    # The extractor may learn to take document metadata; pass it what the file provides,
    # under whichever of these names its signature accepts.
    accepted = inspect.signature(extract_timeline).parameters
    arguments: dict[str, object] = {}
    if document.published is not None:
        for name in ("published_at", "document_date", "published", "publication_date"):
            if name in accepted:
                arguments[name] = document.published
                break
    if document.title is not None and "title" in accepted:
        arguments["title"] = document.title
    return arguments


class _VisibleText(HTMLParser):
    """Collect the visible text, title and publication date of an HTML article."""

    _BLOCKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "tr", "article"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.title: str | None = None
        self.published: date | None = None
        self._hidden = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "style", "head"):
            self._hidden += 1
        if tag == "title":
            self._in_title = True
        if tag == "meta" and values.get("property") == "article:published_time":
            content = values.get("content") or ""
            try:
                self.published = date.fromisoformat(content[:10])
            except ValueError:
                self.published = None
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self._hidden -= 1
        if tag == "title":
            self._in_title = False
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = (self.title or "") + data
        elif not self._hidden:
            self.parts.append(data)


# Zone names a text may declare, mapped to the zone the peers are told about.
_ZONE_WORDS: dict[str, str] = {
    "UTC": "UTC",
    "GMT": "UTC",
    "PT": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "PST": "America/Los_Angeles",
    "US/Pacific": "America/Los_Angeles",
    "Pacific": "America/Los_Angeles",
    "ET": "America/New_York",
    "EDT": "America/New_York",
    "EST": "America/New_York",
    "Eastern": "America/New_York",
    "CET": "Europe/Berlin",
    "CEST": "Europe/Berlin",
    "MEZ": "Europe/Berlin",
    "MESZ": "Europe/Berlin",
    "BST": "Europe/London",
    "IST": "Asia/Kolkata",
    "SAST": "Africa/Johannesburg",
    "Schweizer Zeit": "Europe/Zurich",
    "mitteleuropäischer Zeit": "Europe/Berlin",
    "koordinierter Weltzeit": "UTC",
    "AEDT": "Australia/Sydney",
    "AEST": "Australia/Sydney",
}
_ZONE_RE = re.compile(
    r"(?<![A-Za-z])("
    + "|".join(re.escape(word) for word in sorted(_ZONE_WORDS, key=len, reverse=True))
    + r")(?![A-Za-z])"
)


def declared_zone(text: str, language: str) -> str:
    """Return the first zone the text names, else the reader's default for the language."""
    found = _ZONE_RE.search(text)
    if found:
        return _ZONE_WORDS[found.group(1)]
    return "Europe/Berlin" if language == "de" else "UTC"


def load_document(article: Path) -> Document:
    """Read one article and what the benchmark knows about it."""
    label = load_label(article)
    text = article.read_text(encoding="utf-8")
    title: str | None = None
    published: date | None = None
    visible = text
    if article.suffix == ".html":
        parser = _VisibleText()
        parser.feed(text)
        visible = re.sub(r"\n\s*\n+", "\n\n", "".join(parser.parts)).strip()
        title = parser.title.strip() if parser.title else None
        published = parser.published
    incident = str(label.get("incident", ""))
    day = re.search(r"(\d{4}-\d{2}-\d{2})$", incident)
    incident_day = (
        date.fromisoformat(day.group(1)) if day else _first_labelled_day(expected_events(label))
    )
    language = str(label["language"])
    return Document(
        path=article,
        text=text,
        visible_text=visible,
        language=language,
        incident_day=incident_day,
        declared_zone=declared_zone(visible, language),
        title=title,
        published=published,
    )


def _first_labelled_day(events: list[ExpectedEvent]) -> date:
    return min(event.at for event in events).date()


def _parse_at(raw: str) -> datetime:
    return datetime.fromisoformat(raw.replace("Z", "+00:00"))


def expected_events(label: dict[str, object]) -> list[ExpectedEvent]:
    events = label["events"]
    assert isinstance(events, list)
    return [
        ExpectedEvent(
            at=_parse_at(item["at"]),
            kind=item["kind"],
            services=tuple(item.get("services", ())),
            day_only=item.get("precision") == "day",
        )
        for item in events
    ]


def _same_minute(first: datetime, second: datetime) -> bool:
    return first.astimezone(UTC).replace(second=0, microsecond=0) == second.astimezone(UTC).replace(
        second=0, microsecond=0
    )


def match_events(
    expected: Sequence[ExpectedEvent], extracted: Sequence[FoundEvent]
) -> list[tuple[ExpectedEvent, FoundEvent]]:
    """Return one-to-one matches under the rule in the module docstring."""
    candidates: list[tuple[timedelta, int, int, int]] = []
    for i, wanted in enumerate(expected):
        for j, found in enumerate(extracted):
            if wanted.day_only != found.date_only:
                continue
            if wanted.day_only:
                if wanted.at.date() != found.at.date():
                    continue
                distance = timedelta(0)
            else:
                distance = abs(wanted.at - found.at)
                if distance > MATCH_WINDOW:
                    continue
            candidates.append((distance, 0 if wanted.kind == found.kind else 1, i, j))
    pairs: list[tuple[ExpectedEvent, FoundEvent]] = []
    used_expected: set[int] = set()
    used_extracted: set[int] = set()
    for _, _, i, j in sorted(candidates):
        if i in used_expected or j in used_extracted:
            continue
        used_expected.add(i)
        used_extracted.add(j)
        pairs.append((expected[i], extracted[j]))
    return pairs


def is_exact(wanted: ExpectedEvent, found: FoundEvent) -> bool:
    """Return True when a matched pair agrees on the UTC minute (or the day, date-only)."""
    return wanted.day_only or _same_minute(wanted.at, found.at)


def _score(
    name: str,
    label: dict[str, object],
    found: Sequence[FoundEvent],
    codes: frozenset[str],
    services: Callable[[FoundEvent], tuple[str, ...]],
) -> ArticleScore:
    wanted = expected_events(label)
    pairs = match_events(wanted, found)
    matched_expected = {id(pair[0]) for pair in pairs}
    matched_found = {id(pair[1]) for pair in pairs}
    expected_codes = frozenset(label.get("warnings", []))  # type: ignore[arg-type]
    return ArticleScore(
        name=name,
        expected=len(wanted),
        extracted=len(found),
        matched=len(pairs),
        exact=sum(is_exact(w, f) for w, f in pairs),
        same_kind=sum(w.kind == f.kind for w, f in pairs),
        same_services=sum(set(w.services) == set(services(f)) for w, f in pairs),
        missing=tuple(w for w in wanted if id(w) not in matched_expected),
        spurious=tuple(f for f in found if id(f) not in matched_found),
        missing_warnings=expected_codes - codes,
        extra_warnings=codes - expected_codes,
    )


def score_article(
    article: Path,
    catalogue: list[CatalogueEntry],
    *,
    reference_date: date | str | None = "label",
) -> ArticleScore:
    """Score our extractor on one article (by default with the label's reference date)."""
    extraction = extract_article(article, catalogue, reference_date=reference_date)
    return _score(
        article.name,
        load_label(article),
        list(extraction.events),
        extraction.warning_codes() & LABELLED_WARNINGS,
        lambda event: event.services if isinstance(event, ProposedEvent) else (),
    )


# A clock time in the text a peer matched: "9:37", "0947", "10am", "8 p.m.", "13 Uhr".
_CLOCK_RE = re.compile(
    r"\d{1,2}[:.]\d{2}|\b\d{3,4}\s*(?:UTC|GMT)\b|\b\d{1,2}\s*(?:[ap]\.?m\b\.?|Uhr\b)",
    re.IGNORECASE,
)


def _peer_event(quote: str, moment: datetime, zone: str) -> PeerEvent:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC if zone == "UTC" else ZoneInfo(zone))
    # Date-only when neither the matched text nor the result holds a clock time.
    date_only = not _CLOCK_RE.search(quote) and (moment.hour, moment.minute) == (0, 0)
    at = moment.astimezone(UTC)
    if date_only:
        at = datetime(moment.year, moment.month, moment.day, tzinfo=UTC)
    return PeerEvent(at=at, date_only=date_only, quote=quote)


def _unique(events: list[PeerEvent]) -> list[PeerEvent]:
    seen: set[tuple[datetime, bool]] = set()
    kept: list[PeerEvent] = []
    for event in events:
        key = (event.at.replace(second=0, microsecond=0), event.date_only)
        if key not in seen:
            seen.add(key)
            kept.append(event)
    return kept


def run_dateparser(document: Document, reference: date | None) -> list[PeerEvent]:
    from dateparser.search import search_dates

    settings: dict[str, object] = {"TIMEZONE": document.declared_zone, "TO_TIMEZONE": "UTC"}
    settings["RETURN_AS_TIMEZONE_AWARE"] = True
    if reference is not None:
        settings["RELATIVE_BASE"] = datetime(reference.year, reference.month, reference.day)
    found = search_dates(document.visible_text, languages=[document.language], settings=settings)
    return _unique([_peer_event(quote, moment, "UTC") for quote, moment in found or ()])


def _datefinder(engine: str) -> Callable[[Document, date | None], list[PeerEvent]]:
    def run(document: Document, reference: date | None) -> list[PeerEvent]:
        import datefinder

        base = datetime(reference.year, reference.month, reference.day) if reference else None
        events: list[PeerEvent] = []
        with warnings.catch_warnings():
            # dateutil warns about every zone name it cannot map (PST, MESZ, ...); the zone
            # help below stands in for them.
            warnings.simplefilter("ignore")
            found = datefinder.find_dates(
                document.visible_text, source=True, base_date=base, engine=engine
            )
            try:
                for moment, quote in found:
                    events.append(_peer_event(quote, moment, document.declared_zone))
            except (ValueError, OverflowError):
                pass  # datefinder gives up on some texts part-way; keep what it returned
        return _unique(events)

    return run


PEERS: dict[str, Callable[[Document, date | None], list[PeerEvent]]] = {
    "dateparser": run_dateparser,
    # datefinder 1.x has two engines: the classic regex + dateutil one ("legacy") and the
    # new default ("v2"), which skips clock times that have no date next to them.
    "datefinder": _datefinder("legacy"),
    "datefinder v2": _datefinder("v2"),
}


def score_peer(peer: str, article: Path, reference: date | None) -> ArticleScore:
    document = load_document(article)
    found = PEERS[peer](document, reference)
    return _score(article.name, load_label(article), found, frozenset(), lambda _event: ())


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 1.0


@dataclass(frozen=True)
class Totals:
    expected: int
    found: int
    matched: int
    exact: int
    same_kind: int

    @classmethod
    def of(cls, scores: Sequence[ArticleScore]) -> Totals:
        return cls(
            expected=sum(s.expected for s in scores),
            found=sum(s.extracted for s in scores),
            matched=sum(s.matched for s in scores),
            exact=sum(s.exact for s in scores),
            same_kind=sum(s.same_kind for s in scores),
        )


def _system_label(system: str) -> str:
    if system == "cascade":
        return "cascade (ours)"
    package, _, engine = system.partition(" ")
    return f"{package} {metadata.version(package)}" + (f" {engine}" if engine else "")


def _score_or_nothing(
    system: str, path: Path, catalogue: list[CatalogueEntry], reference: date | None
) -> ArticleScore:
    # A system that fails on an article found nothing in it; the run goes on, so a single
    # crash cannot cost the one sealed run its figures.
    try:
        if system == "cascade":
            return score_article(path, catalogue, reference_date=reference)
        return score_peer(system, path, reference)
    except Exception as error:
        print(f"{system} failed on {path.name}: {error!r}", file=sys.stderr)
        return _score(path.name, load_label(path), [], frozenset(), lambda _event: ())


def _print_heading(header: str) -> None:
    print(header)
    print("-" * len(header))


def summarise(part: str, paths: list[Path], catalogue: list[CatalogueEntry], peers: bool) -> None:
    """Print one table: every system, with and without the incident day as reference."""
    systems = ["cascade", *(PEERS if peers else ())]
    expected = sum(len(expected_events(load_label(path))) for path in paths)
    print()
    print(f"{part}: {len(paths)} articles, {expected} expected moments")
    header = (
        f"{'system':20} {'reference':13} {'recall':>7} {'prec':>6} {'exact':>6} "
        f"{'ex.rec':>7} {'kind':>6} {'found':>6} {'seconds':>8}"
    )
    _print_heading(header)
    for system in systems:
        for mode in MODES:
            started = time.perf_counter()
            scores = []
            for path in paths:
                reference = load_document(path).incident_day if mode == "incident day" else None
                scores.append(_score_or_nothing(system, path, catalogue, reference))
            elapsed = time.perf_counter() - started
            totals = Totals.of(scores)
            kind = (
                f"{_ratio(totals.same_kind, totals.matched):6.2f}"
                if system == "cascade"
                else "     -"
            )
            print(
                f"{_system_label(system):20} {mode:13} {_ratio(totals.matched, totals.expected):7.2f} "
                f"{_ratio(totals.matched, totals.found):6.2f} "
                f"{_ratio(totals.exact, totals.matched):6.2f} "
                f"{_ratio(totals.exact, totals.expected):7.2f} {kind} {totals.found:6d} "
                f"{elapsed:8.1f}"
            )
    print(
        "recall/prec: matches within 15 min; exact: same UTC minute among matches; "
        "ex.rec: exact matches / expected; kind: labelled kind among matches (ours only)"
    )


def print_articles(paths: list[Path], catalogue: list[CatalogueEntry], verbose: bool) -> None:
    """Print our extractor's per-article table, each article with its label's reference."""
    scores = [score_article(path, catalogue) for path in paths]
    header = (
        f"{'article':44} {'exp':>4} {'got':>4} {'recall':>7} {'prec':>6} {'exact':>6} "
        f"{'kind':>5} {'svc':>5}  warnings"
    )
    _print_heading(header)
    for s in scores:
        note = "ok"
        if s.missing_warnings or s.extra_warnings:
            note = f"missing {sorted(s.missing_warnings)} extra {sorted(s.extra_warnings)}"
        print(
            f"{s.name:44} {s.expected:4d} {s.extracted:4d} {_ratio(s.matched, s.expected):7.2f} "
            f"{_ratio(s.matched, s.extracted):6.2f} {_ratio(s.exact, s.matched):6.2f} "
            f"{_ratio(s.same_kind, s.matched):5.2f} {_ratio(s.same_services, s.matched):5.2f}  "
            f"{note}"
        )
        if verbose:
            for event in s.missing:
                print(f"    missing  {event.at:%Y-%m-%d %H:%M} {event.kind}")
            for event in s.spurious:
                quote = getattr(event, "quote", "")
                print(f"    spurious {event.at:%Y-%m-%d %H:%M} {event.kind}: {quote[:70]!r}")
    totals = Totals.of(scores)
    warnings_met = sum(not s.missing_warnings and not s.extra_warnings for s in scores)
    print("-" * len(header))
    print(
        f"{'overall (' + str(len(scores)) + ' articles)':44} {totals.expected:4d} "
        f"{totals.found:4d} {_ratio(totals.matched, totals.expected):7.2f} "
        f"{_ratio(totals.matched, totals.found):6.2f} "
        f"{_ratio(totals.exact, totals.matched):6.2f} "
        f"{_ratio(totals.same_kind, totals.matched):5.2f} "
        f"{_ratio(sum(s.same_services for s in scores), totals.matched):5.2f}  "
        f"warning labels met in {warnings_met}/{len(scores)}"
    )


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    peers = "--no-peers" not in argv
    catalogue = load_catalogue()
    if "--folder" in argv:
        folder = Path(argv[argv.index("--folder") + 1])
        summarise(folder.name, article_paths(folder), catalogue, peers)
        return 0
    development = article_paths("development")
    print_articles(development, catalogue, verbose)
    summarise("development", development, catalogue, peers)
    if "--sealed" in argv:
        summarise("sealed", article_paths("sealed"), catalogue, peers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
