"""Fast paths for large reads: the same rows as the ORM, and a collector pause that nests."""

from __future__ import annotations

import gc
from datetime import UTC, datetime, timedelta

import pytest

from postmortems.collector import gc_paused
from postmortems.fastpath import fetch_rows
from postmortems.models import Event
from tests.factories import EventFactory, IncidentFactory


@pytest.mark.django_db
def test_fetch_rows_returns_exactly_what_values_list_returns() -> None:
    incident = IncidentFactory(started_at=datetime(2025, 10, 20, 6, 48, 12, 345678, tzinfo=UTC))
    for minutes in (0, 5, 90):
        EventFactory(
            incident=incident, occurred_at=incident.started_at + timedelta(minutes=minutes)
        )
    queryset = (
        Event.objects.filter(incident=incident)
        .order_by("occurred_at")
        .values_list("id", "occurred_at", "title", "source_id", "quote")
    )
    rows = fetch_rows(queryset)
    assert rows == list(queryset)
    assert [row[1] for row in rows] == [
        incident.started_at + timedelta(minutes=m) for m in (0, 5, 90)
    ]
    assert all(row[1].tzinfo is UTC for row in rows)


def test_collector_stays_off_until_the_outermost_pause_ends() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_pause_ends_even_when_the_block_fails() -> None:
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_pause_leaves_a_collector_that_was_off_switched_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
