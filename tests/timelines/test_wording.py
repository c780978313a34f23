"""One wording of times and durations for pages, pictures and exports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from timelines import exports, wording
from timelines.svg import common

TWO_DAYS = timedelta(days=2, hours=3, minutes=5)


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (TWO_DAYS, "2d 3h"),
        (timedelta(hours=5, minutes=42), "5h 42m"),
        (timedelta(hours=1, minutes=5), "1h 05m"),
        (timedelta(minutes=45, seconds=59), "45m"),
        (timedelta(seconds=20), "0m"),
        (-timedelta(minutes=90), "-1h 30m"),
        (None, "—"),
    ],
)
def test_a_duration_reads_the_same_on_every_surface(delta: timedelta | None, text: str) -> None:
    page = Template("{% load cascade %}{{ delta|duration }}").render(Context({"delta": delta}))

    assert wording.duration(delta) == text
    assert page == text
    assert exports._duration(delta) == text
    if delta is not None:
        assert common._duration(delta) == text


def test_lags_carry_a_sign() -> None:
    assert wording.lag(timedelta(minutes=3)) == "+3m"
    assert wording.lag(-timedelta(minutes=3)) == "-3m"


@pytest.mark.parametrize(
    ("moment", "utc", "iso"),
    [
        (datetime(1, 1, 1, tzinfo=UTC), "0001-01-01 00:00 UTC", "0001-01-01T00:00:00Z"),
        (
            datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
            "9999-12-31 23:59 UTC",
            "9999-12-31T23:59:00Z",
        ),
        (
            datetime(2025, 10, 20, 6, 48, 30, tzinfo=UTC),
            "2025-10-20 06:48 UTC",
            "2025-10-20T06:48:30Z",
        ),
    ],
)
def test_moments_at_the_calendar_edges_are_worded(moment: datetime, utc: str, iso: str) -> None:
    assert (wording.utc(moment), wording.iso(moment)) == (utc, iso)


def test_windows_name_the_day_once_and_say_when_they_are_open() -> None:
    start = datetime(2025, 10, 20, 7, 0, tzinfo=UTC)

    assert wording.window(start, start + timedelta(hours=2, minutes=50)) == (
        "2025-10-20 07:00–09:50 UTC"
    )
    assert wording.window(start, start + timedelta(days=1)) == (
        "2025-10-20 07:00 – 2025-10-21 07:00 UTC"
    )
    assert wording.window(start, None) == "2025-10-20 07:00 – open"


def test_offsets_count_hours_past_a_day() -> None:
    assert wording.offset(timedelta(hours=26, minutes=5)) == "T+26:05"
    assert wording.offset(-timedelta(seconds=30)) == "T+00:00"


UTC_MOMENTS = [
    datetime(1, 1, 1, tzinfo=UTC),
    datetime(999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
    datetime(2024, 3, 1, 9, 0, 0, 123_456, tzinfo=UTC),
    datetime(2025, 10, 20, 6, 48, tzinfo=UTC),
    datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
]


@pytest.mark.parametrize(
    "moments",
    [
        [],
        UTC_MOMENTS,
        # Another zone anywhere in the list: every moment is converted to UTC by iso.
        [*UTC_MOMENTS, datetime(2024, 3, 1, 9, 0, tzinfo=timezone(timedelta(hours=1)))],
        [datetime(2024, 3, 1, 23, 30, tzinfo=ZoneInfo("America/Los_Angeles"))],
    ],
)
def test_many_moments_at_once_are_worded_as_iso_words_each(moments: list[datetime]) -> None:
    from timelines.payloads import iso_many

    assert iso_many(moments) == [wording.iso(moment) for moment in moments]
