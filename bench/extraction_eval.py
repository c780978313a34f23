"""Score the timeline extractor against the labelled articles in tests/data/articles.

Run: .venv/bin/python bench/extraction_eval.py [-v]

Matching rule (one-to-one, greedy, closest pairs first):
- An expected event with a time matches an extracted event with a time when their UTC
  instants are at most 15 minutes apart, whatever their kinds. The match is *exact* when
  they are at most 1 minute apart (the same UTC minute, allowing for rounding).
- An expected date-only event ("precision": "day") matches only an extracted date-only
  event on the same calendar date; such a match is exact.
- Among equally distant candidates, one with the same kind is preferred.

Recall = matched / expected, precision = matched / extracted, exact = exact / matched.
Kinds and services of matched pairs and the warning codes are reported, not scored.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

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
MATCH_WINDOW = timedelta(minutes=15)
EXACT_WINDOW = timedelta(minutes=1)
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


@dataclass(frozen=True)
class ExpectedEvent:
    at: datetime
    kind: str
    services: tuple[str, ...]
    day_only: bool


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
    spurious: tuple[ProposedEvent, ...]
    missing_warnings: frozenset[str]
    extra_warnings: frozenset[str]


def load_catalogue() -> list[CatalogueEntry]:
    """Return the catalogue the labels were written against."""
    raw = json.loads((ARTICLES / "catalogue.json").read_text(encoding="utf-8"))
    return [CatalogueEntry(item["name"], tuple(item["aliases"])) for item in raw]


def article_paths() -> list[Path]:
    """Return every labelled article, sorted by name."""
    return sorted(
        path
        for path in ARTICLES.iterdir()
        if path.suffix in {".txt", ".md", ".html"} and _label_path(path).exists()
    )


def _label_path(article: Path) -> Path:
    return article.with_name(article.stem + ".expected.json")


def load_label(article: Path) -> dict[str, object]:
    return json.loads(_label_path(article).read_text(encoding="utf-8"))


def extract_article(article: Path, catalogue: list[CatalogueEntry]) -> Extraction:
    label = load_label(article)
    reference = label.get("reference_date")
    return extract_timeline(
        article.read_text(encoding="utf-8"),
        catalogue=catalogue,
        reference_date=date.fromisoformat(reference) if isinstance(reference, str) else None,
    )


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


def match_events(
    expected: list[ExpectedEvent], extracted: list[ProposedEvent]
) -> list[tuple[ExpectedEvent, ProposedEvent]]:
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
    pairs: list[tuple[ExpectedEvent, ProposedEvent]] = []
    used_expected: set[int] = set()
    used_extracted: set[int] = set()
    for _, _, i, j in sorted(candidates):
        if i in used_expected or j in used_extracted:
            continue
        used_expected.add(i)
        used_extracted.add(j)
        pairs.append((expected[i], extracted[j]))
    return pairs


def score_article(article: Path, catalogue: list[CatalogueEntry]) -> ArticleScore:
    label = load_label(article)
    extraction = extract_article(article, catalogue)
    wanted = expected_events(label)
    found = list(extraction.events)
    pairs = match_events(wanted, found)
    matched_expected = {id(pair[0]) for pair in pairs}
    matched_found = {id(pair[1]) for pair in pairs}
    expected_codes = frozenset(label.get("warnings", []))  # type: ignore[arg-type]
    codes = extraction.warning_codes() & LABELLED_WARNINGS
    return ArticleScore(
        name=article.name,
        expected=len(wanted),
        extracted=len(found),
        matched=len(pairs),
        exact=sum(abs(w.at - f.at) <= EXACT_WINDOW for w, f in pairs),
        same_kind=sum(w.kind == f.kind for w, f in pairs),
        same_services=sum(set(w.services) == set(f.services) for w, f in pairs),
        missing=tuple(w for w in wanted if id(w) not in matched_expected),
        spurious=tuple(f for f in found if id(f) not in matched_found),
        missing_warnings=expected_codes - codes,
        extra_warnings=codes - expected_codes,
    )


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 1.0


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    catalogue = load_catalogue()
    scores = [score_article(path, catalogue) for path in article_paths()]
    header = (
        f"{'article':44} {'exp':>4} {'got':>4} {'recall':>7} {'prec':>6} {'exact':>6} "
        f"{'kind':>5} {'svc':>5}  warnings"
    )
    print(header)
    print("-" * len(header))
    for s in scores:
        warnings = "ok"
        if s.missing_warnings or s.extra_warnings:
            warnings = f"missing {sorted(s.missing_warnings)} extra {sorted(s.extra_warnings)}"
        print(
            f"{s.name:44} {s.expected:4d} {s.extracted:4d} {_ratio(s.matched, s.expected):7.2f} "
            f"{_ratio(s.matched, s.extracted):6.2f} {_ratio(s.exact, s.matched):6.2f} "
            f"{_ratio(s.same_kind, s.matched):5.2f} {_ratio(s.same_services, s.matched):5.2f}  "
            f"{warnings}"
        )
        if verbose:
            for event in s.missing:
                print(f"    missing  {event.at:%Y-%m-%d %H:%M} {event.kind}")
            for event in s.spurious:
                print(f"    spurious {event.at:%Y-%m-%d %H:%M} {event.kind}: {event.quote[:70]!r}")
    expected = sum(s.expected for s in scores)
    extracted = sum(s.extracted for s in scores)
    matched = sum(s.matched for s in scores)
    exact = sum(s.exact for s in scores)
    warnings_met = sum(not s.missing_warnings and not s.extra_warnings for s in scores)
    print("-" * len(header))
    print(
        f"{'overall (' + str(len(scores)) + ' articles)':44} {expected:4d} {extracted:4d} "
        f"{_ratio(matched, expected):7.2f} {_ratio(matched, extracted):6.2f} "
        f"{_ratio(exact, matched):6.2f} {_ratio(sum(s.same_kind for s in scores), matched):5.2f} "
        f"{_ratio(sum(s.same_services for s in scores), matched):5.2f}  "
        f"warning labels met in {warnings_met}/{len(scores)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
