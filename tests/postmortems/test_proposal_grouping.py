"""Grouping proposals and finding timeline twins by index gives what comparing every pair gave."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from postmortems.ingest import proposals
from postmortems.models import Event, Precision, ReviewState, Service

START = datetime(2025, 10, 20, 7, 0, tzinfo=UTC)
KINDS = ("detection", "recovery", "mitigation")
PRECISIONS = (Precision.MINUTE, Precision.MINUTE, Precision.HOUR, Precision.DAY)
STATES = (ReviewState.PROPOSED, ReviewState.ACCEPTED, ReviewState.ACCEPTED, ReviewState.REJECTED)


def _events(seed: int, count: int) -> list[Event]:
    # Unsaved events with their services "prefetched": the grouping is pure over them.
    rng = random.Random(seed)
    services = [Service(pk=number, name=f"service-{number}") for number in range(1, 7)]
    events = []
    for pk in rng.sample(range(1, 10 * count), count):
        event = Event(
            pk=pk,
            kind=rng.choice(KINDS),
            precision=rng.choice(PRECISIONS),
            review_state=rng.choice(STATES),
            # Minutes and whole hours over three days, so some pairs lie past every window.
            occurred_at=START + timedelta(minutes=rng.choice((1, 7, 60)) * rng.randrange(0, 70)),
        )
        event._prefetched_objects_cache = {"services": rng.sample(services, rng.randint(0, 2))}
        events.append(event)
    return events


def _ids(event: Event) -> set[int]:
    return {service.pk for service in event._prefetched_objects_cache["services"]}


def _linked(a: Event, b: Event) -> bool:
    # The rule as written before the index: the same kind, shared (or no) services, close.
    if a.kind != b.kind or (_ids(a) and _ids(b) and not _ids(a) & _ids(b)):
        return False
    window = max(proposals._tolerance(a), proposals._tolerance(b)) + proposals.SAME_MOMENT_SLACK
    return abs(a.occurred_at - b.occurred_at) <= window


def _groups_pair_by_pair(events: list[Event]) -> list[list[int]]:
    groups: list[list[Event]] = []
    ordered = sorted(
        (event for event in events if event.review_state != ReviewState.REJECTED),
        key=lambda event: (event.occurred_at, event.pk),
    )
    for event in ordered:
        home = next((g for g in groups if any(_linked(event, other) for other in g)), None)
        if home is None:
            groups.append([event])
        else:
            home.append(event)
    groups.sort(key=lambda group: min(event.occurred_at for event in group))
    return [[event.pk for event in group] for group in groups]


@pytest.mark.parametrize("count", [30, 150])
@pytest.mark.parametrize("seed", range(8))
def test_grouping_by_index_matches_comparing_every_pair(seed: int, count: int) -> None:
    events = _events(seed, count)

    grouped = [[event.pk for event in group.events] for group in proposals.group_proposals(events)]

    assert grouped == _groups_pair_by_pair(events)
    assert sum(map(len, grouped)) == sum(e.review_state != ReviewState.REJECTED for e in events)


@pytest.mark.parametrize("seed", range(12))
def test_timeline_twins_by_minute_match_scanning_the_timeline(seed: int) -> None:
    events = sorted(_events(seed, 150), key=lambda event: (event.occurred_at, event.pk))
    accepted = [event for event in events if event.review_state == ReviewState.ACCEPTED]
    twins = proposals.TimelineTwins(events)

    for proposal in events:
        expected = next(
            (
                event
                for event in accepted
                if event.pk != proposal.pk
                and event.occurred_at.replace(second=0) == proposal.occurred_at.replace(second=0)
                and (not _ids(proposal) or not _ids(event) or _ids(proposal) & _ids(event))
            ),
            None,
        )
        assert twins.twin_of(proposal) is expected
        assert proposals.timeline_twin(proposal, accepted) is expected
