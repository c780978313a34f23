"""Reads: querysets shaped for the page or endpoint that shows them.

Each selector does its joins and prefetches here, so a page's query count does not grow
with the number of rows it shows.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from postmortems.models import (
    ActionItem,
    Dependency,
    Event,
    Impact,
    Incident,
    ReviewState,
    Service,
    Source,
)


def incident_list() -> QuerySet[Incident]:
    """Return incidents for a list, with their regions, tags and impacted-service count."""
    return (
        Incident.objects.prefetch_related("regions", "tags")
        .annotate(
            impacted_count=Count("impacts__service", distinct=True),
            accepted_event_count=Count("events", filter=Q(events__review_state=ReviewState.ACCEPTED), distinct=True),
        )
        .order_by("-started_at", "-id")
    )


def timeline_events(incident: Incident) -> QuerySet[Event]:
    """Return an incident's accepted events in time order, with services and source."""
    return (
        incident.events.filter(review_state=ReviewState.ACCEPTED)
        .select_related("source")
        .prefetch_related("services")
        .order_by("occurred_at", "id")
    )


def incident_detail(slug: str) -> Incident:
    """Return one incident with everything its page shows, or raise Http404."""
    queryset = Incident.objects.prefetch_related(
        "regions",
        "tags",
        Prefetch("impacts", queryset=Impact.objects.select_related("service").order_by("started_at", "id")),
        Prefetch(
            "events",
            queryset=Event.objects.select_related("source").prefetch_related("services").order_by("occurred_at", "id"),
        ),
        Prefetch("action_items", queryset=ActionItem.objects.order_by("status", "due_date", "id")),
        Prefetch("sources", queryset=Source.objects.order_by("title", "id")),
    ).select_related("postmortem")
    return get_object_or_404(queryset, slug=slug)


def service_list() -> QuerySet[Service]:
    """Return the catalogue with how many incidents and dependencies each service has."""
    return Service.objects.annotate(
        incident_count=Count("impacts__incident", distinct=True),
        upstream_count=Count("dependencies", distinct=True),
        downstream_count=Count("dependents", distinct=True),
    ).order_by("provider", "name")


def service_detail(pk: int) -> Service:
    """Return one service with its dependencies both ways and the incidents that hit it."""
    queryset = Service.objects.prefetch_related(
        Prefetch("dependencies", queryset=Dependency.objects.select_related("upstream")),
        Prefetch("dependents", queryset=Dependency.objects.select_related("downstream")),
        Prefetch(
            "impacts",
            queryset=Impact.objects.select_related("incident").order_by("-incident__started_at", "-id"),
        ),
    )
    return get_object_or_404(queryset, pk=pk)


def event_list() -> QuerySet[Event]:
    """Return events with what the API shows of them."""
    return Event.objects.select_related("incident", "source").prefetch_related("services").order_by("occurred_at", "id")
