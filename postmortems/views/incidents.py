from __future__ import annotations

from collections import defaultdict

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from postmortems import selectors
from postmortems.filters import IncidentFilter, ServiceFilter
from postmortems.forms import EventForm
from postmortems.ingest.feeds import selectors as feed_selectors
from postmortems.models import Impact, ReviewState
from postmortems.permissions import is_editor
from timelines.selectors import impact_windows, timeline_for

PAGE_SIZE = 25


def incident_list(request: HttpRequest) -> HttpResponse:
    filterset = IncidentFilter(request.GET, queryset=selectors.incident_list())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "postmortems/incident_list.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )


def incident_detail(request: HttpRequest, slug: str) -> HttpResponse:
    incident = selectors.incident_detail(slug)
    events = list(incident.events.all())
    impacts_of: dict[int, list[Impact]] = defaultdict(list)
    for impact in incident.impacts.all():
        impacts_of[impact.service_id].append(impact)
    windows = impact_windows(timeline_for(incident))
    return render(
        request,
        "postmortems/incident_detail.html",
        {
            "incident": incident,
            "accepted_events": [e for e in events if e.review_state == ReviewState.ACCEPTED],
            "other_events": [e for e in events if e.review_state != ReviewState.ACCEPTED],
            "related": selectors.related_incidents(incident),
            # Windows come from the reconstruction, like every other surface's; the
            # records are listed with them for their edit links and notes.
            "impact_rows": [(row, impacts_of.get(row.service.id, [])) for row in windows],
            "impact_disagreements": [row.disagreement for row in windows if row.disagreement],
            "links": feed_selectors.incident_links(incident),
            "event_form": EventForm() if is_editor(request.user) else None,
        },
    )


def service_list(request: HttpRequest) -> HttpResponse:
    filterset = ServiceFilter(request.GET, queryset=selectors.service_list())
    return render(
        request, "postmortems/service_list.html", {"filter": filterset, "services": filterset.qs}
    )


def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    service = selectors.service_detail(pk)
    return render(request, "postmortems/service_detail.html", {"service": service})


def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = selectors.source_detail(pk)
    return render(request, "postmortems/source_detail.html", {"source": source})
