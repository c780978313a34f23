"""Reads of the feed door, shaped for their pages (a fixed number of queries each)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from postmortems.ingest.feeds.models import (
    Feed,
    FeedEntry,
    IncidentLink,
    LinkState,
    ServiceProposal,
    ServiceProposalState,
)
from postmortems.models import Incident


def feed_list() -> QuerySet[Feed]:
    """Return every feed, by provider."""
    return Feed.objects.order_by("provider", "url", "id")


def service_proposals_open() -> QuerySet[ServiceProposal]:
    """Return the components feeds named that still wait for an admin."""
    return ServiceProposal.objects.filter(state=ServiceProposalState.PROPOSED).order_by(
        "provider", "name", "id"
    )


def incident_links_open() -> QuerySet[IncidentLink]:
    """Return the proposed cross-provider links that wait for an editor."""
    return (
        IncidentLink.objects.filter(state=LinkState.PROPOSED)
        .select_related("upstream", "downstream")
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class IncidentLinks:
    """The links an incident page shows: who it cascaded to, and what it was part of."""

    downstream: list[IncidentLink]  # this incident is the upstream one
    upstream: list[IncidentLink]  # this incident is a downstream one
    feeds: list[FeedEntry]  # the feed entries this incident came from, if any

    def __bool__(self) -> bool:
        return bool(self.downstream or self.upstream or self.feeds)


def incident_links(incident: Incident) -> IncidentLinks:
    """Return an incident's links (rejected ones left out) and its feed entries."""
    links = list(
        IncidentLink.objects.filter(Q(upstream=incident) | Q(downstream=incident))
        .exclude(state=LinkState.REJECTED)
        .select_related("upstream", "downstream")
        .order_by("downstream__started_at", "id")
    )
    entries = list(
        FeedEntry.objects.filter(incident=incident).select_related("feed").order_by("id")
    )
    return IncidentLinks(
        downstream=[link for link in links if link.upstream_id == incident.pk],
        upstream=[link for link in links if link.downstream_id == incident.pk],
        feeds=entries,
    )


def accepted_downstream_ids(incident_id: int) -> QuerySet[IncidentLink, int]:
    """Return the ids of incidents whose impact an accepted link puts in this one's cascade."""
    return IncidentLink.objects.filter(
        upstream_id=incident_id, state=LinkState.ACCEPTED
    ).values_list("downstream_id", flat=True)
