"""Reads of the import pipeline, shaped for the import pages, the API and the sweep."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.shortcuts import get_object_or_404

from postmortems.ingest.extraction import (
    CatalogueEntry,
)
from postmortems.ingest.proposals import ProposalGroup, group_proposals
from postmortems.models import (
    Event,
    Incident,
    ReviewState,
    Service,
    Source,
    SourceImport,
    SourceStatus,
)


def source_import_sweep_candidates(
    *, now: datetime, stale_after: timedelta, stuck_before: datetime
) -> list[int]:
    """Return ids of imports the sweep must dispatch again, oldest first."""
    return list(
        SourceImport.objects.filter(
            Q(status=SourceStatus.QUEUED, dispatched_at__isnull=True)
            | Q(status=SourceStatus.QUEUED, dispatched_at__lt=now - stale_after)
            | Q(
                status__in=[SourceStatus.FETCHING, SourceStatus.EXTRACTING],
                updated_at__lt=stuck_before,
            )
        )
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )


def source_import_list() -> QuerySet[SourceImport]:
    """Return imports for the list page and API, newest first, with incident and source."""
    return SourceImport.objects.select_related("incident", "source", "created_by").order_by(
        "-created_at", "-id"
    )


def source_import_detail(pk: int) -> SourceImport:
    """Return one import with its incident and source, or 404."""
    return get_object_or_404(source_import_list(), pk=pk)


def service_catalogue() -> list[CatalogueEntry]:
    """Return every service as the extractor's catalogue; services sharing a name share aliases."""
    aliases: dict[str, list[str]] = {}
    for name, service_aliases in Service.objects.order_by("name", "id").values_list(
        "name", "aliases"
    ):
        entry = aliases.setdefault(name, [])
        entry.extend(
            alias
            for alias in service_aliases or []
            if isinstance(alias, str) and alias not in entry
        )
    return [CatalogueEntry(name=name, aliases=tuple(values)) for name, values in aliases.items()]


def review_events(incident: Incident) -> QuerySet[Event]:
    """Return an incident's proposed and accepted events, with services and source."""
    return (
        incident.events.exclude(review_state=ReviewState.REJECTED)
        .select_related("source")
        .prefetch_related(Prefetch("services", queryset=Service.objects.order_by("name")))
        .order_by("occurred_at", "id")
    )


def review_page_events(incident: Incident) -> QuerySet[Event]:
    """Return an incident's proposed and accepted events for the review page, services not loaded.

    The page groups every event but shows one page of groups: the ids of every event's
    services come from ``review_service_ids`` (one query, no model per link), and only
    the shown events' services and sources are loaded (``review_page_prefetch``).
    """
    return (
        incident.events.exclude(review_state=ReviewState.REJECTED)
        # Only what the page reads: each timestamp column costs a Python parse per row.
        .only(
            "occurred_at",
            "precision",
            "source_timezone",
            "kind",
            "title",
            "quote",
            "quote_start",
            "quote_end",
            "review_state",
            "proposal_details",
            "incident_id",
            "source_id",
        )
        .order_by("occurred_at", "id")
    )


def review_page_prefetch(events: list[Event]) -> None:
    """Load the services (by name) and the source (title and address) of the events shown."""
    prefetch_related_objects(
        events,
        Prefetch("services", queryset=Service.objects.order_by("name")),
        Prefetch("source", queryset=Source.objects.only("title", "url")),
    )


def review_service_ids(incident: Incident) -> dict[int, frozenset[int]]:
    """Return the service ids of each of the incident's events that are not rejected, by event id."""
    found: dict[int, set[int]] = {}
    for event_id, service_id in (
        Event.services.through.objects.filter(event__incident=incident)
        .exclude(event__review_state=ReviewState.REJECTED)
        .values_list("event_id", "service_id")
    ):
        found.setdefault(event_id, set()).add(service_id)
    return {event_id: frozenset(ids) for event_id, ids in found.items()}


def review_groups(incident: Incident) -> list[ProposalGroup]:
    """Return the incident's events grouped by moment, only groups with something to review."""
    return [group for group in group_proposals(review_events(incident)) if group.has_proposals]


def review_sources(incident: Incident) -> QuerySet[Source]:
    """Return the incident's sources that proposed events, for the review page's source text."""
    # EXISTS rather than a join and DISTINCT: DISTINCT over the sources' whole text, once
    # per event, took 80 ms for an import that proposed a thousand events.
    return (
        incident.sources.filter(
            Exists(Event.objects.filter(incident=incident, source=OuterRef("pk")))
        )
        .defer("raw_content")
        .order_by("created_at", "id")
    )


def import_events(source_import: SourceImport) -> QuerySet[Event]:
    """Return the events an import proposed (its source's events for its incident)."""
    if source_import.source_id is None or source_import.incident_id is None:
        return Event.objects.none()
    return Event.objects.filter(
        incident_id=source_import.incident_id, source_id=source_import.source_id
    )


def warnings_for_display(warnings: Any) -> list[dict[str, Any]]:
    """Return stored warnings as a list of dicts with code and message, tolerating odd JSON."""
    return [
        warning for warning in warnings or [] if isinstance(warning, dict) and "message" in warning
    ]


def draft_incidents() -> QuerySet[Incident]:
    """Return incidents waiting for confirmation, newest first, with their imports counted."""
    return (
        Incident.objects.drafts()
        .annotate(
            proposed_count=Count("events", filter=Q(events__review_state=ReviewState.PROPOSED))
        )
        .order_by("-created_at", "-id")
    )


MATCH_SLACK = timedelta(days=1)
LEADING_WARNINGS = frozenset({"multiple_incidents", "contradictory_times"})


def incident_matching(*, incident: Incident, events: list[Event]) -> Incident | None:
    """Return the confirmed incident whose time span covers ``events``, if exactly one does."""
    if not events:
        return None
    first = min(event.occurred_at for event in events)
    last = max(event.occurred_at for event in events)
    candidates = list(
        Incident.objects.confirmed()
        .exclude(pk=incident.pk)
        .filter(started_at__isnull=False, started_at__lte=last + MATCH_SLACK)
        .filter(
            Q(resolved_at__gte=first - MATCH_SLACK)
            | Q(resolved_at__isnull=True, started_at__gte=first - MATCH_SLACK)
        )
        .order_by("-started_at")[:2]
    )
    return candidates[0] if len(candidates) == 1 else None


def review_warnings(incident: Incident) -> list[dict[str, Any]]:
    """Return the warnings of the incident's finished imports, each with its import, newest first."""
    found = []
    for source_import in SourceImport.objects.filter(incident=incident).order_by(
        "-created_at", "-id"
    ):
        for warning in warnings_for_display(source_import.warnings):
            found.append({**warning, "import": source_import})
    # The warning that decides what to do with the whole text goes first.
    return sorted(found, key=lambda warning: warning.get("code") not in LEADING_WARNINGS)
