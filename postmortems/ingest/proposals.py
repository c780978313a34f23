"""Grouping proposals that describe one moment of an incident; pure over prefetched events."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
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


def _service_ids(event: Event) -> set[int]:
    return {service.pk for service in event.services.all()}


def _same_moment(a: Event, b: Event) -> bool:
    if a.kind != b.kind:
        return False
    services_a, services_b = _service_ids(a), _service_ids(b)
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


def group_proposals(events: Iterable[Event]) -> list[ProposalGroup]:
    """Group events that describe the same moment: same kind, overlapping services, close in time.

    Single linkage in time order, so a chain of close reports forms one group. Rejected
    events take no part. Pure over its input: services must be prefetched.
    """
    groups: list[ProposalGroup] = []
    ordered = sorted(
        (event for event in events if event.review_state != ReviewState.REJECTED),
        key=lambda event: (event.occurred_at, event.pk),
    )
    for event in ordered:
        home = next(
            (
                group
                for group in groups
                if any(_same_moment(event, other) for other in group.events)
            ),
            None,
        )
        if home is None:
            groups.append(ProposalGroup(kind=event.kind, events=[event]))
        else:
            home.events.append(event)
    return sorted(groups, key=lambda group: group.anchor)


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
    minute = proposal.occurred_at.replace(second=0, microsecond=0)
    services = _service_ids(proposal)
    for event in accepted:
        if event.pk == proposal.pk or event.review_state != ReviewState.ACCEPTED:
            continue
        if event.occurred_at.replace(second=0, microsecond=0) != minute:
            continue
        other = _service_ids(event)
        if not services or not other or services & other:
            return event
    return None
