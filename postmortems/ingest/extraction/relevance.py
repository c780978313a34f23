"""Step 5b: how likely a dated sentence with no clock time tells a moment of the outage.

Hand-written cue words decide well whether a sentence with a clock time tells a moment,
but a sentence with only a date is another matter: "On Tuesday the bank apologised",
"Since 3 March customers have waited", "Am Freitag war der Dienst wieder erreichbar" are
moments, "The bank's results for 3 March are due" is not. Cue lists tuned on the articles
read while writing them did not carry over to articles nobody had read.

So a date-only candidate (a date in a sentence with no clock time, which the earlier
steps kept) is also scored by a linear model: a logistic regression over the words of its
sentence and the date's place in the document (its distance from the reference date,
how often and how early the document names it, whether clock times already tell that
day). `bench/train_day_model.py` learns it from the development articles' labels and
writes `day_model.json`; nothing here is tuned by hand but the two thresholds the
training script chooses and records:

- `rescue`: a sentence without a cue word is proposed when the model is at least this sure;
- `veto`: a sentence with a cue word is dropped when the model is less sure than this;
- `sure`: a sentence is proposed even when clock times already tell moments of its day
  (which the rules take for a repetition) when the model is at least this sure.

The date itself always comes from the text; the model only says whether it tells a
moment, and an event it proposes without a cue word says so in its evidence and carries a
lower confidence, so a reviewer sees it was a judgement.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("day_model.json")

_WORD_RE = re.compile(r"[^\W\d_]+")
# Words this long also count by their first letters, so "restored" and "restoring",
# "Störungen" and "Störung" share a feature.
_STEM = 5


@dataclass(frozen=True)
class DayCandidate:
    """What the model reads of one date-only candidate."""

    words: str  # the text the candidate's cue words are read from
    origin: str  # how the date is written (`DayMention.origin`)
    day: date
    cue_kinds: tuple[str, ...]  # the kinds of its cue words, after plans are left out
    reported: bool  # all its cues are verbs of speech
    future: bool  # the sentence speaks of a plan or a forecast
    post: bool  # the date signs an embedded post
    timed: bool  # clock times already tell moments of that day
    segment: int  # the sentence's place in the document


@dataclass(frozen=True)
class DocumentDays:
    """The dates a document names, for the features that place one date among them."""

    language: str
    reference: date | None
    published: date | None
    counts: Mapping[date, int]
    order: Mapping[date, int]  # 0 for the first date the text names, 1 for the next, ...

    @classmethod
    def of(
        cls,
        days: Iterable[date],
        *,
        language: str,
        reference: date | None,
        published: date | None,
    ) -> DocumentDays:
        counts: dict[date, int] = {}
        order: dict[date, int] = {}
        for day in days:
            counts[day] = counts.get(day, 0) + 1
            order.setdefault(day, len(order))
        return cls(language, reference, published, counts, order)


def _offset(name: str, day: date, other: date | None) -> str:
    if other is None:
        return f"{name}:none"
    delta = (day - other).days
    if -1 <= delta <= 2:
        return f"{name}:{delta:+d}"
    bounds = ((3, "+3..7"), (8, "+8..30"), (31, "+31.."))
    if delta > 0:
        return f"{name}:" + next(label for low, label in reversed(bounds) if delta >= low)
    return f"{name}:" + ("-2..7" if delta >= -7 else "-8..30" if delta >= -30 else "-31..")


def features(candidate: DayCandidate, document: DocumentDays) -> list[str]:
    """Return the names of the features that hold for one candidate."""
    language = document.language
    # sorted, so a score sums in the same order in every process
    words = sorted({word.lower() for word in _WORD_RE.findall(candidate.words)})
    names = [f"w:{language}:{word}" for word in words]
    names += [f"s:{language}:{word[:_STEM]}" for word in words if len(word) > _STEM]
    names += [f"cue:{kind}" for kind in sorted(set(candidate.cue_kinds))]
    if not candidate.cue_kinds:
        names.append("cue:none")
    count = document.counts.get(candidate.day, 0)
    order = document.order.get(candidate.day, 0)
    names += [
        f"lang:{language}",
        f"origin:{candidate.origin}",
        _offset("ref", candidate.day, document.reference),
        _offset("pub", candidate.day, document.published),
        f"count:{min(count, 4)}",
        f"order:{min(order, 3)}",
        f"segment:{min(candidate.segment // 5, 4)}",
        f"length:{min(len(words) // 10, 4)}",
    ]
    names += [
        flag
        for flag, holds in (
            ("reported", candidate.reported),
            ("future", candidate.future),
            ("post", candidate.post),
            ("timed", candidate.timed),
        )
        if holds
    ]
    return names


@dataclass(frozen=True)
class DayModel:
    bias: float
    weights: Mapping[str, float]
    rescue: float
    veto: float
    sure: float
    # kind -> (bias, weights): the kind of a candidate proposed without a cue word
    kinds: Mapping[str, tuple[float, Mapping[str, float]]]

    def probability(self, names: Sequence[str]) -> float:
        weights = self.weights
        score = self.bias + sum(weights.get(name, 0.0) for name in names)
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, score))))

    def kind(self, names: Sequence[str]) -> str:
        def score(item: tuple[str, tuple[float, Mapping[str, float]]]) -> float:
            bias, weights = item[1]
            return bias + sum(weights.get(name, 0.0) for name in names)

        return max(sorted(self.kinds.items()), key=score)[0]

    @classmethod
    def from_json(cls, raw: Mapping[str, object]) -> DayModel:
        kinds = raw["kinds"]
        assert isinstance(kinds, dict)
        return cls(
            bias=float(raw["bias"]),  # type: ignore[arg-type]
            weights=dict(raw["weights"]),  # type: ignore[call-overload]
            rescue=float(raw["rescue"]),  # type: ignore[arg-type]
            veto=float(raw["veto"]),  # type: ignore[arg-type]
            sure=float(raw["sure"]),  # type: ignore[arg-type]
            kinds={
                kind: (float(value["bias"]), dict(value["weights"]))
                for kind, value in kinds.items()
            },
        )


# A model that proposes nothing new and drops nothing: what the rules alone do.
NEUTRAL_THRESHOLDS = (1.1, 0.0, 1.1)  # rescue, veto, sure: never sure enough, never dropped
NEUTRAL = DayModel(0.0, {}, *NEUTRAL_THRESHOLDS, kinds={"impact": (0.0, {})})


@cache
def day_model() -> DayModel:
    """Return the trained model, or the neutral one when none has been trained."""
    if not MODEL_PATH.exists():
        return NEUTRAL
    return DayModel.from_json(json.loads(MODEL_PATH.read_text(encoding="utf-8")))


_MODEL: ContextVar[DayModel | None] = ContextVar("day_model", default=None)
_RECORDED: ContextVar[list[tuple[list[str], date]] | None] = ContextVar(
    "day_candidates", default=None
)


def current_model() -> DayModel:
    """Return the model in use: the trained one unless `using` set another."""
    return _MODEL.get() or day_model()


@contextmanager
def using(model: DayModel) -> Iterator[None]:
    """Score candidates with `model` inside the block (training and tests)."""
    token = _MODEL.set(model)
    try:
        yield
    finally:
        _MODEL.reset(token)


@contextmanager
def recording() -> Iterator[list[tuple[list[str], date]]]:
    """Collect every candidate's features and date inside the block (for training)."""
    collected: list[tuple[list[str], date]] = []
    token = _RECORDED.set(collected)
    try:
        yield collected
    finally:
        _RECORDED.reset(token)


@dataclass
class Judgement:
    """The model's view of one candidate, worked out only when a decision asks for it."""

    model: DayModel
    candidate: DayCandidate
    document: DocumentDays

    @cached_property
    def names(self) -> list[str]:
        return features(self.candidate, self.document)

    @cached_property
    def likely(self) -> float:
        return self.model.probability(self.names)

    def kind(self) -> str:
        return self.model.kind(self.names)


def record(judgement: Judgement) -> None:
    """Collect the candidate's features and date when `recording` is on."""
    collected = _RECORDED.get()
    if collected is not None:
        collected.append((judgement.names, judgement.candidate.day))
