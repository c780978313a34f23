"""Grouping proposals that describe one moment of an incident; pure over prefetched events."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from postmortems.models import (
    Event,
    Precision,
    ReviewState,
)

# Two proposals agree when their times differ by no more than the looser precision's tolerance.
AGREEMENT_TOLERANCE = {
    Precision.MINUTE: timedelta(minutes=2),
    Precision.HOUR: timedelta(hours=1),
    Precision.DAY: timedelta(days=1),
    Precision.APPROXIMATE: timedelta(hours=1),
}
# Proposals this much further apart than they may disagree are different moments (an
# incident has several recoveries), not one moment told differently.
SAME_MOMENT_SLACK = timedelta(hours=1)


@dataclass
class ProposalGroup:
    """Proposals (and accepted events) that describe one moment of an incident."""

    kind: str
    events: list[Event] = field(default_factory=list)

    @property
    def conflict(self) -> bool:
        """Return True when the group's times disagree beyond their precision."""
        return disagree(self.events)

    @property
    def has_proposals(self) -> bool:
        """Return True while some event of the group still waits for review."""
        return any(event.review_state == ReviewState.PROPOSED for event in self.events)

    @property
    def source_count(self) -> int:
        """Return how many sources the group's events come from."""
        return len({event.source_id for event in self.events})

    @property
    def anchor(self) -> datetime:
        """Return the group's earliest time, for ordering."""
        return min(event.occurred_at for event in self.events)


def _tolerance(event: Event) -> timedelta:
    return AGREEMENT_TOLERANCE.get(event.precision, timedelta(hours=1))


# The widest time apart two events of one moment can be: no pair further apart is compared.
_WIDEST_WINDOW = max([*AGREEMENT_TOLERANCE.values(), timedelta(hours=1)]) + SAME_MOMENT_SLACK


def _service_ids(event: Event, known: Mapping[int, frozenset[int]] | None = None) -> frozenset[int]:
    if known is not None:
        return known.get(event.pk, frozenset())
    # Read the prefetched list directly when there is one: building the related manager
    # behind ``event.services.all()`` costs more than the rest of a comparison.
    prefetched = getattr(event, "_prefetched_objects_cache", {}).get("services")
    services = prefetched if prefetched is not None else event.services.all()
    return frozenset(service.pk for service in services)


def _related(a: Event, b: Event, services_a: frozenset[int], services_b: frozenset[int]) -> bool:
    # The same kind, and services that overlap; an event naming no service may be about any.
    return a.kind == b.kind and (not services_a or not services_b or bool(services_a & services_b))


def _agree(a: Event, b: Event) -> bool:
    return abs(a.occurred_at - b.occurred_at) <= max(_tolerance(a), _tolerance(b))


def _same_moment(
    a: Event, b: Event, services_a: frozenset[int], services_b: frozenset[int]
) -> bool:
    if not _related(a, b, services_a, services_b):
        return False
    window = max(_tolerance(a), _tolerance(b)) + SAME_MOMENT_SLACK
    return abs(a.occurred_at - b.occurred_at) <= window


def disagree(events: Sequence[Event]) -> bool:
    for index, a in enumerate(events):
        for b in events[index + 1 :]:
            if not _agree(a, b):
                return True
    return False


@dataclass
class _Member:
    event: Event
    services: frozenset[int]
    group: int


def group_proposals(
    events: Iterable[Event], *, service_ids: Mapping[int, frozenset[int]] | None = None
) -> list[ProposalGroup]:
    """Group events that describe the same moment: same kind, overlapping services, close in time.

    Two steps. First the events that agree (same kind, overlapping or no services, times
    within their precision's tolerance) form groups: the same moment told alike. Then
    groups whose times are further apart, but within the slack, join: one moment that
    sources tell differently, a conflict for the reviewer. They join only when no one
    would then tell the moment twice at different times: one source's updates at 08:26,
    09:01 and 09:22 are three moments, not one told three ways, and so are two events
    already accepted onto the timeline. In both steps an event
    or group, taken in time order, joins the earliest-made group it links to. Rejected
    events take no part. Pure over its input: services must be prefetched, or their ids
    given by event id.

    Comparing every event with every grouped one made a 1,100-event review page spend
    seconds here; only events that could link are compared: of the same kind, sharing a
    service (or naming none), and no further back than the widest window.
    """
    ordered = sorted(
        (event for event in events if event.review_state != ReviewState.REJECTED),
        key=lambda event: (event.occurred_at, event.pk),
    )
    members = [_Member(event, _service_ids(event, service_ids), -1) for event in ordered]
    told_alike = _link(members, _agree)
    # The second step links groups, through any of their events, in the same way.
    moments: list[list[_Member]] = []
    loosest: list[timedelta] = []  # per moment, its members' widest tolerance
    # Per kind, the moments a later group could still reach, in the order they were made.
    reachable: dict[str, list[int]] = {}
    for group in told_alike:
        kind, first = group[0].event.kind, group[0].event.occurred_at
        tolerance = max(_tolerance(member.event) for member in group)
        within = [
            index
            for index in reachable.get(kind, [])
            if moments[index][-1].event.occurred_at >= first - _WIDEST_WINDOW
        ]
        home = next(
            (
                index
                for index in within
                # No pair of the two can be close when the moment ends a window before.
                if moments[index][-1].event.occurred_at
                + max(tolerance, loosest[index])
                + SAME_MOMENT_SLACK
                >= first
                and _may_join(group, moments[index])
            ),
            None,
        )
        if home is None:
            within.append(len(moments))
            moments.append(list(group))
            loosest.append(tolerance)
        else:
            moments[home].extend(group)
            moments[home].sort(key=lambda m: (m.event.occurred_at, m.event.pk))
            loosest[home] = max(loosest[home], tolerance)
        reachable[kind] = within
    return sorted(
        (
            ProposalGroup(
                kind=group[0].event.kind,
                events=[member.event for member in group],
            )
            for group in moments
        ),
        key=lambda group: group.anchor,
    )


def _link(members: list[_Member], close: Callable[[Event, Event], bool]) -> list[list[_Member]]:
    """Single linkage in time order: each member joins the earliest-made group it is close to."""
    groups: list[list[_Member]] = []
    # Per kind: the grouped members naming each service, and those naming none, in time order.
    by_service: dict[tuple[str, int], list[_Member]] = {}
    serviceless: dict[str, list[_Member]] = {}
    everyone: dict[str, list[_Member]] = {}
    for member in members:
        event, services = member.event, member.services
        if services:
            candidates = [
                *(m for pk in services for m in _recent(by_service.get((event.kind, pk)), event)),
                *_recent(serviceless.get(event.kind), event),
            ]
        else:
            candidates = list(_recent(everyone.get(event.kind), event))
        member.group = min(
            (
                other.group
                for other in candidates
                if _related(event, other.event, services, other.services)
                and close(event, other.event)
                and not _contradicts([member], groups[other.group])
            ),
            default=len(groups),
        )
        if member.group == len(groups):
            groups.append([member])
        else:
            groups[member.group].append(member)
        everyone.setdefault(event.kind, []).append(member)
        if services:
            for pk in services:
                by_service.setdefault((event.kind, pk), []).append(member)
        else:
            serviceless.setdefault(event.kind, []).append(member)
    return groups


def _may_join(group: list[_Member], moment: list[_Member]) -> bool:
    """Return True when ``group`` is close to ``moment`` and no source then tells it twice."""
    close = any(
        _same_moment(a.event, b.event, a.services, b.services) for a in group for b in moment
    )
    return close and not _contradicts(group, moment)


def _contradicts(group: list[_Member], moment: list[_Member]) -> bool:
    # One teller that would give the joined moment as two: two moments, not one.
    return any(
        _one_teller(a.event, b.event)
        and not (_related(a.event, b.event, a.services, b.services) and _agree(a.event, b.event))
        for a in group
        for b in moment
    )


def _one_teller(a: Event, b: Event) -> bool:
    """Return True when both events are told by one voice: the same source, or the timeline.

    Two accepted events are the timeline's own decision that they are separate moments.
    """
    if a.source_id is not None and a.source_id == b.source_id:
        return True
    return a.review_state == b.review_state == ReviewState.ACCEPTED


def _recent(members: list[_Member] | None, event: Event) -> Iterator[_Member]:
    """Yield the members (in time order, none later than ``event``) close enough to link to it."""
    if not members:
        return
    earliest = event.occurred_at - _WIDEST_WINDOW
    for member in reversed(members):
        if member.event.occurred_at < earliest:
            return
        yield member


# Moments this far from the incident's day belong to another incident (the same
# threshold the extractor uses for its "multiple incidents" warning).
FOREIGN_AFTER = timedelta(days=3)


def incident_anchor_day(started_at: datetime | None, moments: Iterable[datetime]) -> date | None:
    """Return the day an incident is about: its start, else the day most of its moments share.

    Ties go to the later day: an article recalling an old outage tells the new one at length.
    """
    if started_at is not None:
        return started_at.astimezone(UTC).date()
    days = Counter(moment.astimezone(UTC).date() for moment in moments)
    if not days:
        return None
    return max(days, key=lambda day: (days[day], day))


def moments_of(events: Iterable[Event]) -> list[datetime]:
    """Return the times of the events that are not rejected."""
    return [event.occurred_at for event in events if event.review_state != ReviewState.REJECTED]


def foreign_proposals(events: Iterable[Event], anchor: date | None) -> list[Event]:
    """Return the proposals whose moment lies too far from ``anchor`` to be this incident's."""
    if anchor is None:
        return []
    return [
        event
        for event in events
        if event.review_state == ReviewState.PROPOSED
        and abs(event.occurred_at.astimezone(UTC).date() - anchor) > FOREIGN_AFTER
    ]


def timeline_twin(proposal: Event, accepted: Iterable[Event]) -> Event | None:
    """Return the accepted event that tells the same moment as ``proposal``, if there is one.

    The same moment is the same minute with overlapping services; an event naming no
    service may be about any of them. Services must be prefetched.
    """
    return TimelineTwins(accepted).twin_of(proposal)


class TimelineTwins:
    """Accepted events by minute, to find many proposals' twins without comparing every pair."""

    def __init__(
        self,
        accepted: Iterable[Event],
        *,
        service_ids: Mapping[int, frozenset[int]] | None = None,
    ) -> None:
        self._known = service_ids
        self._by_minute: dict[datetime, list[tuple[Event, frozenset[int]]]] = {}
        for event in accepted:
            if event.review_state != ReviewState.ACCEPTED:
                continue
            minute = event.occurred_at.replace(second=0, microsecond=0)
            self._by_minute.setdefault(minute, []).append((event, _service_ids(event, service_ids)))

    def add(self, event: Event) -> None:
        """Put a newly accepted event in its minute, in (time, id) order as the timeline reads."""
        minute = event.occurred_at.replace(second=0, microsecond=0)
        bisect.insort(
            self._by_minute.setdefault(minute, []),
            (event, _service_ids(event, self._known)),
            key=lambda entry: (entry[0].occurred_at, entry[0].pk),
        )

    def twin_of(self, proposal: Event) -> Event | None:
        """Return the first accepted event (in the given order) telling ``proposal``'s moment."""
        minute = proposal.occurred_at.replace(second=0, microsecond=0)
        services = _service_ids(proposal, self._known)
        for event, other in self._by_minute.get(minute, ()):
            if event.pk == proposal.pk:
                continue
            if not services or not other or services & other:
                return event
        return None
