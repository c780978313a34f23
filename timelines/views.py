from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from postmortems.collector import gc_paused
from postmortems.event_pages import event_pages
from postmortems.models import Incident
from postmortems.permissions import editor_required
from postmortems.views.incidents import redirect_to_event
from timelines import exports, payloads, selectors, services, svg, zoom

# Warnings listed on the page; each names its events, which may be on any page.
WARNINGS_SHOWN = 100


def _view_of(request: HttpRequest) -> tuple[str, str | tuple[datetime, datetime]]:
    """Return the asked view of the swimlanes: a preset's name, or a dragged window."""
    start, end = request.GET.get("from", ""), request.GET.get("to", "")
    if start and end:
        try:
            window = (datetime.fromisoformat(start), datetime.fromisoformat(end))
        except ValueError:
            window = None
        if window is not None and all(moment.tzinfo is not None for moment in window):
            return "custom", window
    name = request.GET.get("view", "spread")
    return (name, name) if name in zoom.VIEW_NAMES else ("spread", "spread")


def _lanes_note(request: HttpRequest, impacted: int, every_lane: bool) -> dict[str, object]:
    """Return what the page says under a picture too tall to draw a lane per service."""
    query = request.GET.copy()
    query.pop("page", None)
    if every_lane:
        query.pop("lanes", None)
    else:
        query["lanes"] = "all"
    return {
        "every_lane": every_lane,
        "drawn": exports.PICTURE_LANES,
        "grouped": 0 if every_lane else max(0, impacted - exports.PICTURE_LANES),
        "impacted": impacted,
        "toggle": query.urlencode(),
    }


def _chosen_service(service: dict[str, Any]) -> dict[str, Any]:
    """Return what the page's script shows of a service chosen in the graph.

    Not its segments: 300 services' segments were 0.2 MB of a large incident's page.
    """
    window = service.get("window") or {}
    return {
        "id": service["id"],
        "name": service["name"],
        "depth": service.get("depth"),
        "window": {key: window.get(key) for key in ("started_at", "ended_at", "level")},
    }


def incident_timeline(request: HttpRequest, slug: str) -> HttpResponse:
    view_name, view = _view_of(request)
    every_lane = request.GET.get("lanes") == "all"
    with gc_paused():
        timeline = selectors.incident_timeline(slug)
        ids = [event.id for event in timeline.events]
        pages = event_pages(
            [event.at for event in timeline.events],
            ids,
            page=request.GET.get("page"),
            at=request.GET.get("at"),
            event=request.GET.get("event"),
        )
        if pages.focus is not None:
            return redirect_to_event(request, pages, ids, anchor="row")
        payload = payloads.cascade_payload(timeline)
        payload["source_timezone"] = timeline.source_timezone()
        # Only this page's events: the table shows them and the script details them; a
        # marker or warning naming another page's event links to ?event=<id>.
        payload["events"] = payloads.events_payload(
            timeline, timeline.events[pages.start : pages.stop]
        )
        warnings = timeline.reconstruction.warnings
        return render(
            request,
            "timelines/timeline.html",
            {
                "timeline": timeline,
                "incident": timeline.incident,
                "pages": pages,
                "impact_windows": selectors.impact_windows(timeline),
                # The SVG writers escape every piece of text they draw.
                "swimlanes": mark_safe(
                    svg.swimlanes_svg(
                        timeline.reconstruction,
                        services=timeline.services,
                        events=timeline.events,
                        source_timezone=payload["source_timezone"],
                        view=view,
                        lane_limit=None if every_lane else exports.PICTURE_LANES,
                    )
                ),
                "lanes": _lanes_note(request, len(timeline.reconstruction.windows), every_lane),
                "view_name": view_name,
                "view_names": zoom.VIEW_NAMES,
                "cascade_graph": mark_safe(
                    svg.cascade_graph_svg(timeline.reconstruction, services=timeline.services)
                ),
                "payload": payload,
                # Services too: choosing a graph node shows its window and its events.
                "timeline_data": {
                    "events": payload["events"],
                    "services": [_chosen_service(service) for service in payload["services"]],
                },
                "warnings": warnings[:WARNINGS_SHOWN],
                "warning_count": len(warnings),
            },
        )


_RESOLUTIONS = {
    "keep": (services.impact_window_keep_record, "Kept the impact record of {name}."),
    "adopt": (services.impact_window_adopt_events, "{name} now has the events' window."),
}


@editor_required
@require_POST
def impact_window_resolve(request: HttpRequest, slug: str, service_id: int) -> HttpResponse:
    """Settle a disagreement between a service's impact record and its events."""
    incident = get_object_or_404(Incident, slug=slug)
    resolution = _RESOLUTIONS.get(request.POST.get("resolution", ""))
    if resolution is None:
        return HttpResponseBadRequest("Choose “keep” (the record) or “adopt” (the events' window).")
    resolve, done = resolution
    name = incident.impacts.filter(service_id=service_id).values_list("service__name", flat=True)
    if resolve(incident=incident, service_id=service_id):
        messages.success(request, done.format(name=name.first() or "The service"))
    else:
        messages.info(request, "The impact record and the events already agree.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = incident.get_absolute_url()
    return redirect(target)
