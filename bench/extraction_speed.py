"""Time the extractor on a ~50 KB article and on a ~2 MB paste built from the labelled set.

Run: .venv/bin/python bench/extraction_speed.py

The development articles are concatenated, with their dates shifted a day per copy so the
text keeps moving forward in time (a realistic worst case: many dates, many warnings),
until the text reaches the size. Prints the median of several runs, as CPU time of this
process (what one core spends, and what a loaded shared machine does not distort) and as
wall-clock time. Targets: 50 KB under 300 ms, 2 MB under 3 s.
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
CASES = ((50_000, 7, 300), (2_000_000, 3, 3000))  # (bytes, runs, target ms)


def build_article(target_bytes: int) -> str:
    """Return a text of at least `target_bytes` made of varied copies of the labelled set."""
    sources = sorted(
        path.read_text(encoding="utf-8")
        for path in ARTICLES.iterdir()
        if path.suffix in {".txt", ".md"} and path.name != "README.md"
    )
    parts: list[str] = []
    copy = 0
    size = 0
    while size < target_bytes:
        source = sources[copy % len(sources)]
        # Vary the copies: shift every day-of-month by the copy number (kept valid).
        shift = copy
        shifted = re.sub(
            r"\b([1-9]|1\d|2[0-8])\b(?=\.? ?(?:Oct|Dec|Jul|Jun|Okt|Dez|Juli|Juni))",
            lambda m, shift=shift: str((int(m.group(1)) + shift) % 28 + 1),
            source,
        )
        parts.append(shifted)
        size += len(shifted.encode("utf-8")) + 2
        copy += 1
    return "\n\n".join(parts)


def main() -> int:
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
    extract_timeline(build_article(5_000), catalogue=catalogue)  # warm the regex caches
    for target_bytes, runs, target_ms in CASES:
        text = build_article(target_bytes)
        cpu: list[float] = []
        wall: list[float] = []
        events = 0
        for _ in range(runs):
            cpu_started, wall_started = time.process_time(), time.perf_counter()
            result = extract_timeline(text, catalogue=catalogue)
            cpu.append(time.process_time() - cpu_started)
            wall.append(time.perf_counter() - wall_started)
            events = len(result.events)
        print(
            f"article: {len(text.encode('utf-8')) / 1000:.1f} KB, {events} events; "
            f"median of {runs} runs: CPU {statistics.median(cpu) * 1000:.0f} ms "
            f"(min {min(cpu) * 1000:.0f}, max {max(cpu) * 1000:.0f}), "
            f"wall {statistics.median(wall) * 1000:.0f} ms; target < {target_ms} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
