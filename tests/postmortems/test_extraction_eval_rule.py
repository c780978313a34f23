"""The benchmark's matching rule, on hand-made events (no article, no extractor)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.postmortems.bench_eval import EVAL


def _expected(hour: int, minute: int, kind: str = "impact", day_only: bool = False) -> Any:
    return EVAL.ExpectedEvent(
        at=datetime(2025, 10, 20, hour, minute, tzinfo=UTC),
        kind=kind,
        services=(),
        day_only=day_only,
    )


def _found(hour: int, minute: int, second: int = 0, date_only: bool = False) -> Any:
    return EVAL.PeerEvent(
        at=datetime(2025, 10, 20, hour, minute, second, tzinfo=UTC), date_only=date_only, quote=""
    )


def test_a_moment_within_fifteen_minutes_matches_but_is_not_exact() -> None:
    ((wanted, found),) = EVAL.match_events([_expected(9, 0)], [_found(9, 14)])
    assert not EVAL.is_exact(wanted, found)


def test_one_minute_apart_is_not_the_same_minute() -> None:
    ((wanted, found),) = EVAL.match_events([_expected(9, 0)], [_found(9, 1)])
    assert not EVAL.is_exact(wanted, found)


def test_seconds_inside_the_same_minute_are_exact() -> None:
    ((wanted, found),) = EVAL.match_events([_expected(9, 0)], [_found(9, 0, 59)])
    assert EVAL.is_exact(wanted, found)


def test_more_than_fifteen_minutes_apart_does_not_match() -> None:
    assert EVAL.match_events([_expected(9, 0)], [_found(9, 16)]) == []


def test_matching_is_one_to_one_closest_first() -> None:
    pairs = EVAL.match_events([_expected(9, 0), _expected(9, 10)], [_found(9, 9)])
    assert [(wanted.at.minute, found.at.minute) for wanted, found in pairs] == [(10, 9)]


def test_a_date_only_moment_matches_only_a_date_only_find_on_that_day() -> None:
    day = _expected(0, 0, day_only=True)
    assert EVAL.match_events([day], [_found(0, 0)]) == []
    ((wanted, found),) = EVAL.match_events([day], [_found(0, 0, date_only=True)])
    assert EVAL.is_exact(wanted, found)


def test_a_peer_result_without_a_clock_time_is_date_only() -> None:
    assert EVAL._peer_event("October 20, 2025", datetime(2025, 10, 20), "UTC").date_only
    timed = EVAL._peer_event("9:37AM PST", datetime(2025, 10, 20, 9, 37), "America/Los_Angeles")
    assert not timed.date_only
    assert timed.at == datetime(2025, 10, 20, 16, 37, tzinfo=UTC)


def test_the_declared_zone_is_the_first_the_text_names() -> None:
    assert EVAL.declared_zone("All times are PDT. At 09:00 UTC ...", "en") == "America/Los_Angeles"
    assert EVAL.declared_zone("Um 12:35 Uhr fiel der Dienst aus.", "de") == "Europe/Berlin"
    assert EVAL.declared_zone("At 09:00 the service failed.", "en") == "UTC"
