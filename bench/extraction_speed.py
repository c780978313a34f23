"""Time the extractor on a ~50 KB article built from the labelled set.

Run: .venv/bin/python bench/extraction_speed.py

The labelled articles are concatenated, with their dates shifted a day per copy so the
text keeps moving forward in time (a realistic worst case: many dates, many warnings),
until the text is at least 50 KB. Prints the median of several single-core runs.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from postmortems.ingest.extraction import CatalogueEntry, extract_timeline  # noqa: E402

ARTICLES = ROOT / "tests" / "data" / "articles"
TARGET_BYTES = 50_000
RUNS = 7


def build_article() -> str:
    """Return a text of at least TARGET_BYTES made of varied copies of the labelled set."""
    sources = sorted(
        path.read_text(encoding="utf-8")
        for path in ARTICLES.iterdir()
        if path.suffix in {".txt", ".md"}
    )
    parts: list[str] = []
    copy = 0
    while len("\n\n".join(parts).encode("utf-8")) < TARGET_BYTES:
        source = sources[copy % len(sources)]
        # Vary the copies: shift every day-of-month by the copy number (kept valid).
        shift = copy
        shifted = re.sub(
            r"\b([1-9]|1\d|2[0-8])\b(?=\.? ?(?:Oct|Dec|Jul|Jun|Okt|Dez|Juli|Juni))",
            lambda m, shift=shift: str((int(m.group(1)) + shift) % 28 + 1),
            source,
        )
        parts.append(shifted)
        copy += 1
    return "\n\n".join(parts)


def main() -> int:
    text = build_article()
    catalogue = [
        CatalogueEntry("DynamoDB", ("Amazon DynamoDB", "DDB")),
        CatalogueEntry("EC2", ("Amazon EC2", "EC2-Instanz")),
        CatalogueEntry("Route 53"),
        CatalogueEntry("Network Load Balancer", ("NLB", "Load Balancer")),
        CatalogueEntry("Lambda", ("AWS Lambda",)),
        CatalogueEntry("Slack"),
        CatalogueEntry("Atlassian"),
        CatalogueEntry("Snapchat"),
        CatalogueEntry("Starbucks"),
    ]
    extract_timeline(text, catalogue=catalogue)  # warm the regex caches
    timings = []
    events = 0
    for _ in range(RUNS):
        started = time.perf_counter()
        result = extract_timeline(text, catalogue=catalogue)
        timings.append(time.perf_counter() - started)
        events = len(result.events)
    median_ms = statistics.median(timings) * 1000
    print(
        f"article: {len(text.encode('utf-8')) / 1000:.1f} KB, {events} events; "
        f"median of {RUNS} runs: {median_ms:.0f} ms "
        f"(min {min(timings) * 1000:.0f}, max {max(timings) * 1000:.0f}); target < 300 ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
