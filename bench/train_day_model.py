"""Learn `postmortems/ingest/extraction/day_model.json` from the development articles.

    .venv/bin/python bench/train_day_model.py [--check] [--folds 5] [--jobs 2]

Reads only the development part (never `sealed/` nor a probe). Every date-only candidate
the extractor considers (`relevance`), with and without the incident day as reference, is
labelled by whether the article's label has a date-only moment on that day. A logistic
regression learns which candidates are moments; a second one, trained on the candidates
whose day has one labelled kind, learns the kind of a candidate no cue word names.

The three thresholds are chosen on out-of-fold models: the development incidents are split
into `--folds` groups, each article is extracted with a model that never saw its incident,
and the thresholds that give the best F1 of the whole development part (both
reference modes, the `extraction_eval` scorer) is kept, searching one threshold at a time. The final model is then trained on
all development candidates. `--check` trains and prints, without writing the model.

Needs scikit-learn (a bench-only dependency, in requirements-dev.txt).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import extraction_eval as ev
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from postmortems.ingest.extraction import relevance

MODES = ("incident day", "none")
# A feature seen in fewer articles than this says nothing general (a provider's name, a
# word one writer likes).
MIN_ARTICLES = 8
# The inverse of the regularisation strength of both regressions.
STRENGTH = 0.2
# Weights smaller than this are left out of the file.
MIN_WEIGHT = 1e-3
# The thresholds (`relevance.DayModel`) and the values tried for each, in this order.
THRESHOLDS = ("rescue", "veto", "sure")
GRIDS = ((0.5, 0.6, 0.7, 0.8), (0.05, 0.1, 0.2), (0.7, 0.8, 0.9))
# F1 differences smaller than this are noise.
TOLERANCE = 0.001
SEED = 20261203

Sample = tuple[list[str], int, str | None]  # features, is a moment, labelled kind


def _reference(path: Path, mode: str) -> date | None:
    return ev.load_document(path).incident_day if mode == "incident day" else None


def _day_kinds(path: Path) -> dict[date, set[str]]:
    kinds: dict[date, set[str]] = {}
    for event in ev.expected_events(ev.load_label(path)):
        if event.day_only:
            kinds.setdefault(event.at.date(), set()).add(event.kind)
    return kinds


def _candidates(path: Path) -> list[Sample]:
    catalogue = _catalogue()
    day_kinds = _day_kinds(path)
    samples: list[Sample] = []
    for mode in MODES:
        with relevance.using(relevance.NEUTRAL), relevance.recording() as seen:
            ev.extract_article(path, catalogue, reference_date=_reference(path, mode))
        for names, day in seen:
            kinds = day_kinds.get(day, set())
            samples.append(
                (names, int(bool(kinds)), next(iter(kinds)) if len(kinds) == 1 else None)
            )
    return samples


_CATALOGUE: list[ev.CatalogueEntry] | None = None


def _catalogue() -> list[ev.CatalogueEntry]:
    global _CATALOGUE
    if _CATALOGUE is None:
        _CATALOGUE = ev.load_catalogue()
    return _CATALOGUE


def _kept_features(articles: Sequence[Sequence[Sample]]) -> set[str]:
    counts = Counter(
        name for article in articles for name in {n for names, _, _ in article for n in names}
    )
    return {name for name, count in counts.items() if count >= MIN_ARTICLES}


def _weights(vectorizer: DictVectorizer, coefficients: Sequence[float]) -> dict[str, float]:
    return {
        name: round(float(weight), 4)
        for name, weight in zip(vectorizer.get_feature_names_out(), coefficients, strict=True)
        if abs(weight) >= MIN_WEIGHT
    }


def train(
    articles: Sequence[Sequence[Sample]], rescue: float, veto: float, sure: float
) -> relevance.DayModel:
    """Return a model fitted on the articles' candidates with the given thresholds."""
    kept = _kept_features(articles)
    samples = [sample for article in articles for sample in article]
    rows = [{name: 1 for name in names if name in kept} for names, _, _ in samples]
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(rows)
    moment = LogisticRegression(C=STRENGTH, max_iter=2000)
    moment.fit(matrix, [label for _, label, _ in samples])
    kinds: dict[str, tuple[float, dict[str, float]]] = {}
    typed = [i for i, (_, _, kind) in enumerate(samples) if kind is not None]
    kind_names = sorted({samples[i][2] for i in typed})  # type: ignore[type-var]
    if len(kind_names) > 1:
        kind_model = LogisticRegression(C=STRENGTH, max_iter=2000)
        kind_model.fit(matrix[typed], [samples[i][2] for i in typed])
        for row, kind in enumerate(kind_model.classes_):
            coefficients = (
                kind_model.coef_[row]
                if len(kind_model.classes_) > 2
                else (kind_model.coef_[0] if row else -kind_model.coef_[0])
            )
            intercept = kind_model.intercept_[row if len(kind_model.classes_) > 2 else 0]
            if len(kind_model.classes_) == 2 and not row:
                intercept = -intercept
            kinds[str(kind)] = (round(float(intercept), 4), _weights(vectorizer, coefficients))
    else:
        kinds = {kind_names[0] if kind_names else "impact": (0.0, {})}
    return relevance.DayModel(
        bias=round(float(moment.intercept_[0]), 4),
        weights=_weights(vectorizer, moment.coef_[0]),
        rescue=rescue,
        veto=veto,
        sure=sure,
        kinds=kinds,
    )


def to_json(model: relevance.DayModel, about: dict[str, object]) -> str:
    return json.dumps(
        {
            "about": about,
            "bias": model.bias,
            "rescue": model.rescue,
            "veto": model.veto,
            "sure": model.sure,
            "weights": dict(sorted(model.weights.items())),
            "kinds": {
                kind: {"bias": bias, "weights": dict(sorted(weights.items()))}
                for kind, (bias, weights) in sorted(model.kinds.items())
            },
        },
        ensure_ascii=False,
        indent=0,
    )


def _incident(path: Path) -> str:
    return str(ev.load_label(path)["incident"])


_MODELS: list[relevance.DayModel] = []


def _use_models(models: list[relevance.DayModel]) -> None:
    _MODELS[:] = models


def _score(job: tuple[Path, int]) -> tuple[int, int, int]:
    path, fold = job
    totals = [0, 0, 0]
    with relevance.using(_MODELS[fold]):
        for mode in MODES:
            score = ev.score_article(path, _catalogue(), reference_date=_reference(path, mode))
            totals[0] += score.expected
            totals[1] += score.extracted
            totals[2] += score.matched
    return totals[0], totals[1], totals[2]


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="train and print; write nothing")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    options = parser.parse_args(argv)
    paths = ev.article_paths("development")
    with ProcessPoolExecutor(options.jobs) as pool:
        per_article = list(pool.map(_candidates, paths, chunksize=8))
    samples = [sample for article in per_article for sample in article]
    positives = sum(label for _, label, _ in samples)
    print(f"{len(paths)} development articles, {len(samples)} candidates, {positives} moments")

    incidents = sorted({_incident(path) for path in paths})
    random.Random(SEED).shuffle(incidents)
    fold_of = {incident: i % options.folds for i, incident in enumerate(incidents)}
    folds = [fold_of[_incident(path)] for path in paths]
    fold_samples = [
        [article for article, f in zip(per_article, folds, strict=True) if f != fold]
        for fold in range(options.folds)
    ]
    fold_models = [train(part, *relevance.NEUTRAL_THRESHOLDS) for part in fold_samples]

    def f1(thresholds: tuple[float, float, float]) -> float:
        models = [
            replace(model, **dict(zip(THRESHOLDS, thresholds, strict=True)))
            for model in fold_models
        ]
        jobs = list(zip(paths, folds, strict=True))
        with ProcessPoolExecutor(options.jobs, initializer=_use_models, initargs=(models,)) as pool:
            results = list(pool.map(_score, jobs, chunksize=8))
        expected, found, matched = (sum(column) for column in zip(*results, strict=True))
        recall, precision = matched / expected, matched / max(found, 1)
        score = 2 * recall * precision / max(recall + precision, 1e-9)
        print(
            f"rescue {thresholds[0]:4.2f} veto {thresholds[1]:4.2f} sure {thresholds[2]:4.2f}: "
            f"recall {recall:.4f} precision {precision:.4f} F1 {score:.4f} (out of fold)",
            flush=True,
        )
        return score

    # One threshold at a time, from the rules alone (each run extracts the whole part). A
    # threshold moves from the rules' value only for a gain beyond `TOLERANCE`, and then to
    # the value nearest the rules' within `TOLERANCE` of its best: the model overrides the
    # cue words no more than the figures ask for.
    chosen = list(relevance.NEUTRAL_THRESHOLDS)
    best = f1(tuple(chosen))  # type: ignore[arg-type]
    for position, grid in enumerate(GRIDS):
        scores = {}
        for value in grid:
            trial = [*chosen]
            trial[position] = value
            scores[value] = f1(tuple(trial))  # type: ignore[arg-type]
        top = max(scores.values())
        if top > best + TOLERANCE:
            near = [value for value in grid if scores[value] >= top - TOLERANCE]
            value = min(near, key=lambda v: abs(v - relevance.NEUTRAL_THRESHOLDS[position]))
            chosen[position], best = value, scores[value]
    rescue, veto, sure = chosen
    model = train(per_article, rescue, veto, sure)
    print(f"chosen: rescue {rescue}, veto {veto}, sure {sure}; {len(model.weights)} weights")
    if not options.check:
        about = {
            "trained by": "bench/train_day_model.py",
            "articles": len(paths),
            "candidates": len(samples),
            "moments": positives,
            "folds": options.folds,
            "seed": SEED,
        }
        relevance.MODEL_PATH.write_text(to_json(model, about) + "\n", encoding="utf-8")
        print(f"wrote {relevance.MODEL_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
