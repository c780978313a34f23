"""Date-only candidates scored by a learned model (`relevance`), beside the cue words.

The rules propose a dated sentence with no clock time when a cue word tells a moment. A
logistic regression over the sentence's words and the date's place in the document may
also propose one no cue word tells (`rescue`), drop one it finds very unlikely (`veto`),
and keep one the rules would take for a repetition of the day's clock times (`sure`).
These tests use small hand-made models, so they hold whatever the trained weights are;
the last ones check the trained model the app ships.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from postmortems.ingest.extraction import extract_timeline, relevance
from postmortems.ingest.extraction.model import KINDS
from postmortems.ingest.extraction.relevance import (
    NEUTRAL,
    DayCandidate,
    DayModel,
    DocumentDays,
    features,
)

# No cue word in the dated sentence: the rules alone propose nothing from it.
QUIET = (
    "Example Bank customers in Lisbon on 3 March 2024 queued at the branches for hours. "
    "The bank gave no reason."
)
# A cue word ("outage") in the dated sentence: the rules propose it.
CUED = "Example Bank suffered a brief outage on 3 March 2024 across Portugal."
# Clock times tell the day; the dated sentence after them repeats it for the rules.
TIMED = (
    "Example Bank's app failed at 09:10 UTC on 3 March 2024 and was back at 11:40 UTC.\n\n"
    "On 3 March 2024 the outage hit card payments across Portugal as well."
)


def _model(**weights: float) -> DayModel:
    return DayModel(
        bias=-2.0,
        weights=weights,
        rescue=0.7,
        veto=0.2,
        sure=0.9,
        kinds={"impact": (0.0, {}), "recovery": (0.0, {"w:en:queued": 1.0})},
    )


def _days(text: str, model: DayModel) -> list[tuple[date, str, float]]:
    with relevance.using(model):
        extraction = extract_timeline(text, language="en")
    return [
        (event.at.date(), event.kind, event.confidence)
        for event in extraction.events
        if event.precision == "day"
    ]


def _candidate(**changes: object) -> DayCandidate:
    base = DayCandidate(
        words="Customers were stranded for hours",
        origin="prose",
        day=date(2024, 3, 3),
        cue_kinds=(),
        reported=False,
        future=False,
        post=False,
        timed=False,
        segment=0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _document(reference: date | None = None) -> DocumentDays:
    return DocumentDays.of(
        [date(2024, 3, 1), date(2024, 3, 3), date(2024, 3, 3)],
        language="en",
        reference=reference,
        published=None,
    )


def test_a_dated_sentence_no_cue_word_tells_is_rescued_when_the_model_is_sure() -> None:
    assert _days(QUIET, NEUTRAL) == []
    found = _days(QUIET, _model(**{"w:en:queued": 5.0}))
    assert [(day, kind) for day, kind, _ in found] == [(date(2024, 3, 3), "recovery")]


def test_a_rescued_sentence_is_less_sure_than_one_a_cue_word_tells() -> None:
    (_, _, rescued), *_ = _days(QUIET, _model(**{"w:en:queued": 5.0}))
    (_, _, cued), *_ = _days(CUED, NEUTRAL)
    assert rescued < cued


def test_a_model_that_is_not_sure_enough_rescues_nothing() -> None:
    assert _days(QUIET, _model(**{"w:en:queued": 2.5})) == []  # p = 0.62 < rescue 0.7


def test_the_model_drops_a_cued_sentence_it_finds_very_unlikely() -> None:
    assert [day for day, _, _ in _days(CUED, NEUTRAL)] == [date(2024, 3, 3)]
    assert _days(CUED, _model(**{"w:en:brief": -5.0})) == []


def test_a_cued_sentence_above_the_veto_stays_with_the_rules_kind() -> None:
    kept = _days(CUED, _model())  # p = 0.12 from the bias alone ... below veto 0.2
    assert kept == []
    kept = _days(CUED, _model(**{"w:en:outage": 1.5}))  # p = 0.38: above the veto
    assert [(day, kind) for day, kind, _ in kept] == [(date(2024, 3, 3), "impact")]


def test_a_day_clock_times_tell_is_proposed_again_only_when_the_model_is_sure() -> None:
    neutral = _days(TIMED, NEUTRAL)
    assert neutral == []
    sure = _days(TIMED, _model(**{"w:en:portugal": 6.0}))
    assert [day for day, _, _ in sure] == [date(2024, 3, 3)]
    unsure = _days(TIMED, _model(**{"w:en:portugal": 2.5}))  # above rescue, below sure
    assert unsure == []


def test_features_name_the_words_their_stems_the_cues_and_the_dates_place() -> None:
    names = features(_candidate(), _document(reference=date(2024, 3, 2)))
    assert {"w:en:stranded", "s:en:stran", "w:en:hours", "cue:none", "origin:prose"} <= set(names)
    assert "ref:+1" in names  # a day after the reference date
    assert "count:2" in names  # the document names the day twice
    assert "order:1" in names  # the second day the document names
    assert "timed" not in names


def test_features_without_a_reference_or_a_publication_date_say_so() -> None:
    names = features(_candidate(cue_kinds=("recovery",), timed=True), _document())
    assert {"ref:none", "pub:none", "cue:recovery", "timed"} <= set(names)
    assert "cue:none" not in names


@pytest.mark.parametrize(
    ("day", "bucket"),
    [
        (date(2024, 3, 3), "ref:+0"),
        (date(2024, 3, 1), "ref:-2..7"),
        (date(2024, 3, 9), "ref:+3..7"),
        (date(2024, 3, 20), "ref:+8..30"),
        (date(2024, 6, 1), "ref:+31.."),
        (date(2024, 1, 1), "ref:-31.."),
    ],
)
def test_a_dates_distance_from_the_reference_falls_in_one_bucket(day: date, bucket: str) -> None:
    names = features(_candidate(day=day), _document(reference=date(2024, 3, 3)))
    assert [name for name in names if name.startswith("ref:")] == [bucket]


def test_recording_collects_every_candidate_with_its_day() -> None:
    with relevance.using(NEUTRAL), relevance.recording() as seen:
        extract_timeline(QUIET + "\n\n" + CUED, language="en")
    assert [day for _, day in seen] == [date(2024, 3, 3), date(2024, 3, 3)]
    assert "cue:none" in seen[0][0]
    assert "cue:impact" in seen[1][0]


def test_outside_recording_nothing_is_collected() -> None:
    with relevance.recording() as seen:
        pass
    extract_timeline(CUED, language="en")
    assert seen == []


def test_a_model_survives_its_json_form() -> None:
    model = _model(**{"w:en:queued": 5.0})
    raw = {
        "bias": model.bias,
        "weights": dict(model.weights),
        "rescue": model.rescue,
        "veto": model.veto,
        "sure": model.sure,
        "kinds": {k: {"bias": b, "weights": dict(w)} for k, (b, w) in model.kinds.items()},
    }
    again = DayModel.from_json(json.loads(json.dumps(raw)))
    names = ["w:en:queued", "cue:none"]
    assert again.probability(names) == pytest.approx(model.probability(names))
    assert again.kind(names) == model.kind(names) == "recovery"


def test_the_shipped_model_is_trained_and_its_thresholds_are_probabilities() -> None:
    model = relevance.day_model()
    assert model is not NEUTRAL
    assert len(model.weights) > 100
    assert 0 < model.rescue <= 1
    assert 0 <= model.veto < model.rescue
    assert 0 < model.sure <= 1.1
    assert set(model.kinds) <= set(KINDS)


def test_the_shipped_model_says_a_day_clock_times_already_tell_is_less_likely() -> None:
    model = relevance.day_model()
    names = features(_candidate(cue_kinds=("impact",)), _document(reference=date(2024, 3, 3)))
    timed = features(
        _candidate(cue_kinds=("impact",), timed=True), _document(reference=date(2024, 3, 3))
    )
    assert model.probability(timed) < model.probability(names)


def test_the_model_never_rescues_a_plan() -> None:
    plan = "We expect all sites to be restored by April 19, 2022."
    assert _days(plan, _model(**{"w:en:sites": 9.0, "w:en:restored": 9.0})) == []


def test_the_model_never_rescues_a_captions_date() -> None:
    caption = (
        "Bank app down for hours\n\n"
        "Photo caption: A branch of Example Bank in Bonn, Nov. 2, 2009.\n\n"
        "The bank's app failed again on Saturday at 9:40 UTC and came back at 11:15 UTC.\n"
    )
    found = _days(caption, _model(**{"w:en:branch": 9.0, "w:en:bonn": 9.0}))
    assert not [day for day, _, _ in found if day.year == 2009]
