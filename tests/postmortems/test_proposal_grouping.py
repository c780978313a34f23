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
            # A few sources, and events of none (written on the timeline by hand).
            source_id=rng.choice((None, 1, 2, 3)),
        )
        event._prefetched_objects_cache = {"services": rng.sample(services, rng.randint(0, 2))}
        events.append(event)
    return events


def _ids(event: Event) -> set[int]:
    return {service.pk for service in event._prefetched_objects_cache["services"]}


def _related(a: Event, b: Event) -> bool:
    return a.kind == b.kind and (not _ids(a) or not _ids(b) or bool(_ids(a) & _ids(b)))


def _agree(a: Event, b: Event) -> bool:
    return abs(a.occurred_at - b.occurred_at) <= max(
        proposals._tolerance(a), proposals._tolerance(b)
    )


def _linked(a: Event, b: Event) -> bool:
    window = max(proposals._tolerance(a), proposals._tolerance(b)) + proposals.SAME_MOMENT_SLACK
    return _related(a, b) and abs(a.occurred_at - b.occurred_at) <= window


def _contradicts(group: list[Event], moment: list[Event]) -> bool:
    return any(
        (
            (a.source_id is not None and a.source_id == b.source_id)
            or a.review_state == b.review_state == ReviewState.ACCEPTED
        )
        and not (_related(a, b) and _agree(a, b))
        for a in group
        for b in moment
    )


def _groups_pair_by_pair(events: list[Event]) -> list[list[int]]:
    # The rule written out plainly: the events told alike first, then those groups joined
    # into moments told differently, unless a source would tell one moment at two times.
    ordered = sorted(
        (event for event in events if event.review_state != ReviewState.REJECTED),
        key=lambda event: (event.occurred_at, event.pk),
    )
    told_alike: list[list[Event]] = []
    for event in ordered:
        home = next(
            (
                g
                for g in told_alike
                if any(_related(event, o) and _agree(event, o) for o in g)
                and not _contradicts([event], g)
            ),
            None,
        )
        if home is None:
            told_alike.append([event])
        else:
            home.append(event)
    moments: list[list[Event]] = []
    for group in told_alike:
        joined = next(
            (
                moment
                for moment in moments
                if any(_linked(a, b) for a in group for b in moment)
                and not _contradicts(group, moment)
            ),
            None,
        )
        if joined is None:
            moments.append(list(group))
        else:
            joined.extend(group)
    for moment in moments:
        moment.sort(key=lambda event: (event.occurred_at, event.pk))
    moments.sort(key=lambda moment: moment[0].occurred_at)
    return [[event.pk for event in moment] for moment in moments]


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


def _update(
    pk: int,
    source: int,
    hour: int,
    minute: int,
    *,
    kind: str = "communication",
    state: str = ReviewState.PROPOSED,
) -> Event:
    event = Event(
        pk=pk,
        kind=kind,
        precision=Precision.MINUTE,
        review_state=state,
        occurred_at=START.replace(hour=hour, minute=minute),
        source_id=source,
    )
    event._prefetched_objects_cache = {"services": []}
    return event


def test_one_sources_updates_minutes_apart_are_moments_of_their_own() -> None:
    # A status feed's updates at 08:26, 09:01 and 09:22, and a second source that repeats
    # the 09:01 one: three moments, none in conflict, so "keep one" never rejects an update.
    feed = [_update(1, 7, 8, 26), _update(2, 7, 9, 1), _update(3, 7, 9, 22)]
    article = _update(4, 8, 9, 1)

    groups = proposals.group_proposals([*feed, article])

    assert [[event.pk for event in group.events] for group in groups] == [[1], [2, 4], [3]]
    assert not any(group.conflict for group in groups)


def test_two_sources_telling_one_moment_at_different_times_are_a_conflict() -> None:
    feed, article = _update(1, 7, 15, 41), _update(2, 8, 16, 5)

    [group] = proposals.group_proposals([feed, article])

    assert group.conflict
    assert group.source_count == 2


def test_events_already_on_the_timeline_stay_moments_of_their_own() -> None:
    # The timeline holds recoveries at 09:35 and 09:40 (from two sources); an article's
    # 09:35 names no service. It repeats the 09:35 one; nothing here is in conflict, and
    # "keep one" may not reject an accepted recovery.
    accepted = [
        _update(1, 7, 9, 35, kind="recovery", state=ReviewState.ACCEPTED),
        _update(2, 8, 9, 40, kind="recovery", state=ReviewState.ACCEPTED),
    ]
    article = _update(3, 9, 9, 35, kind="recovery")

    groups = proposals.group_proposals([*accepted, article])

    assert [[event.pk for event in group.events] for group in groups] == [[1, 3], [2]]
    assert not any(group.conflict for group in groups)


def test_an_event_naming_no_service_does_not_chain_two_timeline_events_into_one() -> None:
    # An article's 09:35 recovery names no service, so it may be about either accepted
    # recovery: DynamoDB's at 09:35 or the customer apps' (approximate, within the hour)
    # at 10:30. The timeline keeps them apart; the article's event joins the first.
    dynamodb = _update(1, 7, 9, 35, kind="recovery", state=ReviewState.ACCEPTED)
    dynamodb._prefetched_objects_cache = {"services": [Service(pk=1, name="DynamoDB")]}
    apps = _update(2, 8, 10, 30, kind="recovery", state=ReviewState.ACCEPTED)
    apps.precision = Precision.APPROXIMATE
    apps._prefetched_objects_cache = {"services": [Service(pk=2, name="Slack")]}
    article = _update(3, 9, 9, 35, kind="recovery")

    groups = proposals.group_proposals([dynamodb, apps, article])

    assert [[event.pk for event in group.events] for group in groups] == [[1, 3], [2]]
