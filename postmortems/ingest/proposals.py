"""Grouping proposals that describe one moment of an incident; pure over prefetched events."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
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


def _same_moment(
    a: Event, b: Event, services_a: frozenset[int], services_b: frozenset[int]
) -> bool:
    if a.kind != b.kind:
        return False
    # An event naming no service may be about any of them.
    if services_a and services_b and not services_a & services_b:
        return False
    window = max(_tolerance(a), _tolerance(b)) + SAME_MOMENT_SLACK
    return abs(a.occurred_at - b.occurred_at) <= window


def disagree(events: Sequence[Event]) -> bool:
    for index, a in enumerate(events):
        for b in events[index + 1 :]:
            if abs(a.occurred_at - b.occurred_at) > max(_tolerance(a), _tolerance(b)):
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

    Single linkage in time order, so a chain of close reports forms one group; an event
    joins the earliest-made group it links to. Rejected events take no part. Pure over
    its input: services must be prefetched, or their ids given by event id.

    Comparing every event with every grouped one made a 1,100-event review page spend
    seconds here; only events that could link are compared: of the same kind, sharing a
    service (or naming none), and no further back than the widest window.
    """
    groups: list[ProposalGroup] = []
    ordered = sorted(
        (event for event in events if event.review_state != ReviewState.REJECTED),
        key=lambda event: (event.occurred_at, event.pk),
    )
    # Per kind: the grouped events naming each service, and those naming none, in time order.
    by_service: dict[tuple[str, int], list[_Member]] = {}
    serviceless: dict[str, list[_Member]] = {}
    everyone: dict[str, list[_Member]] = {}
    for event in ordered:
        services = _service_ids(event, service_ids)
        if services:
            candidates = [
                *(m for pk in services for m in _recent(by_service.get((event.kind, pk)), event)),
                *_recent(serviceless.get(event.kind), event),
            ]
        else:
            candidates = list(_recent(everyone.get(event.kind), event))
        home = min(
            (
                member.group
                for member in candidates
                if _same_moment(event, member.event, services, member.services)
            ),
            default=None,
        )
        if home is None:
            home = len(groups)
            groups.append(ProposalGroup(kind=event.kind, events=[event]))
        else:
            groups[home].events.append(event)
        member = _Member(event, services, home)
        everyone.setdefault(event.kind, []).append(member)
        if services:
            for pk in services:
                by_service.setdefault((event.kind, pk), []).append(member)
        else:
            serviceless.setdefault(event.kind, []).append(member)
    return sorted(groups, key=lambda group: group.anchor)


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
