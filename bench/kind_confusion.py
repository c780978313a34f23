"""Show where our extractor's kinds disagree with the labels of the development articles.

Run from the project root:

    .venv/bin/python bench/kind_confusion.py [-v] [--commit REV] [--incident-day]

Pairs are matched exactly as `bench/extraction_eval.py` matches them (its own functions),
by default with each label's `reference_date`, with `--incident-day` with the incident's
first day. It prints the confusion matrix (labelled kind per row, our kind per column) of
all matched pairs and, with `--commit REV`, a second one of the articles that commit added
or moved (e.g. the commit that moved a sealed part into the development part). `-v` lists
every disagreeing pair: labelled kind, our kind, article and sentence.

It never reads the sealed part.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.extraction_eval import (  # noqa: E402
    article_paths,
    expected_events,
    extract_article,
    load_catalogue,
    load_document,
    load_label,
    match_events,
)
from postmortems.ingest.extraction.model import KINDS  # noqa: E402

Pair = tuple[str, str, str, str]  # labelled kind, our kind, article name, quote


def _articles_of_commit(revision: str) -> set[str]:
    names = subprocess.run(
        ["git", "show", "--name-only", "--format=", "-M", revision],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return {Path(name).name for name in names if "/articles/" in name}


def _pairs(path: Path, incident_day: bool) -> list[Pair]:
    catalogue = load_catalogue()
    label = load_label(path)
    reference: date | str | None = "label"
    if incident_day:
        reference = load_document(path).incident_day
    extraction = extract_article(path, catalogue, reference_date=reference)
    matched = match_events(expected_events(label), list(extraction.events))
    return [(wanted.kind, found.kind, path.name, found.quote) for wanted, found in matched]


def _print_matrix(title: str, pairs: list[Pair]) -> None:
    counts = Counter((wanted, found) for wanted, found, _, _ in pairs)
    same = sum(counts[kind, kind] for kind in KINDS)
    print(f"{title}: {same}/{len(pairs)} matched pairs share the kind ({same / len(pairs):.3f})")
    print(f"{'label/ours':>14}" + "".join(f"{kind[:6]:>7}" for kind in KINDS) + "    all")
    for wanted in KINDS:
        row = [counts[wanted, found] for found in KINDS]
        print(f"{wanted:>14}" + "".join(f"{n or '.':>7}" for n in row) + f"{sum(row):>7}")
    print()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every disagreement")
    parser.add_argument("--commit", help="also tabulate the articles this commit added or moved")
    parser.add_argument("--incident-day", action="store_true", help="the incident day as reference")
    options = parser.parse_args(argv)
    pairs = [pair for path in article_paths() for pair in _pairs(path, options.incident_day)]
    _print_matrix("development", pairs)
    chosen = pairs
    if options.commit:
        names = _articles_of_commit(options.commit)
        chosen = [pair for pair in pairs if pair[2] in names]
        _print_matrix(f"articles of {options.commit}", chosen)
        _print_matrix("the other articles", [pair for pair in pairs if pair[2] not in names])
    if options.verbose:
        for wanted, found, name, quote in sorted(p for p in chosen if p[0] != p[1]):
            print(f"{wanted:>13} <- {found:<13} {name}: {' '.join(quote.split())[:220]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
