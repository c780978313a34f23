"""Reads: querysets shaped for the page or endpoint that shows them.

Each selector does its joins and prefetches here, so a page's query count does not grow
with the number of rows it shows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from postmortems.fastpath import fetch_rows
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
        Incident.objects.confirmed()
        .prefetch_related("regions", "tags")
        .annotate(impacted_count=impacted_service_count())
        .order_by("-started_at", "-id")
    )


def impacted_service_count() -> Coalesce:
    """Return, as an annotation of incidents, how many distinct services each impacted."""
    # A correlated subquery, not a JOIN + GROUP BY: it is computed for the rows of the page
    # only, so a page costs the same with 100 or 100,000 incidents behind it, and it does
    # not multiply with other joins (impacts x events made 22 million rows for one
    # incident of 2,000 impacts and 11,000 events).
    per_incident = (
        Impact.objects.filter(incident=OuterRef("pk"))
        .order_by()
        .values("incident")
        .annotate(count=Count("service", distinct=True))
        .values("count")
    )
    return Coalesce(Subquery(per_incident, output_field=IntegerField()), 0)


def timeline_events(incident: Incident) -> QuerySet[Event]:
    """Return an incident's accepted events in time order, with services and source."""
    return (
        incident.events.filter(review_state=ReviewState.ACCEPTED)
        .select_related("source")
        .prefetch_related("services")
        .order_by("occurred_at", "id")
    )


# The incident page lists this many events under review, and says how many there are.
EVENTS_UNDER_REVIEW_SHOWN = 50


def incident_detail(slug: str) -> Incident:
    """Return one incident with everything its page shows but its events, or raise Http404.

    The events come a page at a time: ``incident_event_order``, then ``events_shown``.
    """
    queryset = Incident.objects.prefetch_related(
        "regions",
        "tags",
        Prefetch(
            "action_items",
            queryset=ActionItem.objects.select_related("assignee").order_by(
                "status", "due_date", "id"
            ),
        ),
        Prefetch("sources", queryset=Source.objects.order_by("title", "id")),
    ).select_related("postmortem")
    return get_object_or_404(queryset, slug=slug)


def impacts_of_services(incident: Incident, service_ids: list[int]) -> dict[int, list[Impact]]:
    """Return an incident's impact records of these services, by service, oldest first.

    The incident page lists a window of its impacted services; a large incident has
    thousands of records, so only the shown services' are loaded.
    """
    impacts: dict[int, list[Impact]] = defaultdict(list)
    for impact in Impact.objects.filter(incident=incident, service_id__in=service_ids).order_by(
        "started_at", "id"
    ):
        impacts[impact.service_id].append(impact)
    return impacts


@dataclass(frozen=True)
class EventOrder:
    """An incident's events in page order: what pages them without loading them."""

    times: list[datetime]  # of the accepted events, in (time, id) order
    ids: list[int]  # the accepted events' ids, in the same order
    under_review_ids: list[int]  # the first EVENTS_UNDER_REVIEW_SHOWN of the others
    under_review_count: int


def incident_event_order(incident: Incident) -> EventOrder:
    """Return the times and ids of an incident's events, accepted or not, in page order."""
    times, ids, others = [], [], []
    for occurred_at, pk, state in fetch_rows(
        incident.events.order_by("occurred_at", "id").values_list(
            "occurred_at", "id", "review_state"
        )
    ):
        if state == ReviewState.ACCEPTED:
            times.append(occurred_at)
            ids.append(pk)
        else:
            others.append(pk)
    return EventOrder(
        times=times,
        ids=ids,
        under_review_ids=others[:EVENTS_UNDER_REVIEW_SHOWN],
        under_review_count=len(others),
    )


def events_shown(ids: list[int]) -> list[Event]:
    """Return the events of ``ids`` in that order, with their source and services."""
    by_id = Event.objects.select_related("source").prefetch_related("services").in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


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
            queryset=Impact.objects.select_related("incident").order_by(
                "-incident__started_at", "-id"
            ),
        ),
    )
    return get_object_or_404(queryset, pk=pk)


def event_list() -> QuerySet[Event]:
    """Return events with what the API shows of them."""
    return (
        Event.objects.select_related("incident", "source")
        .prefetch_related("services")
        .order_by("occurred_at", "id")
    )


@dataclass(frozen=True)
class RelatedIncident:
    incident: Incident
    score: int
    reasons: tuple[str, ...]


def related_incidents(incident: Incident, *, limit: int = 5) -> list[RelatedIncident]:
    """Return other incidents that share services, the root-cause category or tags, with why."""
    service_names = dict(
        Impact.objects.filter(incident=incident)
        .order_by()
        .values_list("service_id", "service__name")
        .distinct()
    )
    # Through .all(): the incident page has prefetched the tags already.
    tag_names = {tag.name for tag in incident.tags.all()}
    candidates = (
        Incident.objects.confirmed()
        .exclude(pk=incident.pk)
        .filter(
            Q(impacts__service_id__in=service_names)
            | Q(root_cause_category=incident.root_cause_category)
            | Q(tags__name__in=tag_names)
        )
        .annotate(
            shared_services=Count(
                "impacts__service", filter=Q(impacts__service_id__in=service_names), distinct=True
            )
        )
        .distinct()
        .order_by("-shared_services", "-started_at")[: limit * 4]
    )
    candidates = list(candidates)
    shared_services: dict[int, set[int]] = defaultdict(set)
    for incident_id, service_id in Impact.objects.filter(
        incident__in=candidates, service_id__in=service_names
    ).values_list("incident_id", "service_id"):
        shared_services[incident_id].add(service_id)
    shared_tags: dict[int, set[str]] = defaultdict(set)
    for incident_id, name in Incident.tags.through.objects.filter(
        incident__in=candidates, tag__name__in=tag_names
    ).values_list("incident_id", "tag__name"):
        shared_tags[incident_id].add(name)
    related = []
    for other in candidates:
        reasons = []
        services = sorted(service_names[sid] for sid in shared_services[other.pk])
        if services:
            reasons.append(
                f"{len(services)} shared service{'s' if len(services) > 1 else ''}: {', '.join(services[:6])}"
            )
        same_cause = other.root_cause_category == incident.root_cause_category
        if same_cause:
            reasons.append(f"same root-cause category: {other.get_root_cause_category_display()}")
        tags = sorted(shared_tags[other.pk])
        if tags:
            reasons.append(f"shared tags: {', '.join(tags)}")
        score = 3 * len(services) + 2 * same_cause + len(tags)
        if score:
            related.append(RelatedIncident(incident=other, score=score, reasons=tuple(reasons)))
    related.sort(key=lambda item: (-item.score, _sort_time(item.incident.started_at)))
    return related[:limit]


def _sort_time(moment: datetime | None) -> float:
    # Newer first among equals; incidents without a start go last.
    return -moment.timestamp() if moment else float("inf")


def source_detail(pk: int) -> Source:
    """Return one source with the incidents it informs and the events it backs."""
    queryset = Source.objects.prefetch_related(
        "incidents",
        Prefetch(
            "events",
            queryset=Event.objects.select_related("incident").order_by("occurred_at", "id"),
        ),
    )
    return get_object_or_404(queryset, pk=pk)


def event_zone_suggestions(
    *, incident: Incident | None, user_zone: str | None
) -> list[tuple[str, str]]:
    """Return the zones an event form offers first, each with why: the user's own zone,
    then the zones this incident's sources stated their times in (most used first)."""
    offered: dict[str, str] = {}
    if user_zone:
        offered[user_zone] = "your zone"
    if incident is not None:
        used = (
            Event.objects.filter(incident=incident)
            .values("source_timezone")
            .annotate(events=Count("id"))
            .order_by("-events", "source_timezone")
            .values_list("source_timezone", flat=True)
        )
        for zone in used:
            if zone:
                offered.setdefault(zone, "used by this incident's sources")
    offered.setdefault("UTC", "UTC")
    return list(offered.items())
