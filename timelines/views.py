from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from postmortems.models import Incident
from postmortems.permissions import editor_required
from timelines import payloads, selectors, services, svg


def incident_timeline(request: HttpRequest, slug: str) -> HttpResponse:
    timeline = selectors.incident_timeline(slug)
    return render(
        request,
        "timelines/timeline.html",
        {
            "timeline": timeline,
            "incident": timeline.incident,
            "impact_windows": selectors.impact_windows(timeline),
            # The SVG writers escape every piece of text they draw.
            "swimlanes": mark_safe(
                svg.swimlanes_svg(
                    timeline.reconstruction,
                    services=timeline.services,
                    events=timeline.events,
                    source_timezone=timeline.source_timezone(),
                )
            ),
            "cascade_graph": mark_safe(
                svg.cascade_graph_svg(timeline.reconstruction, services=timeline.services)
            ),
            "payload": payloads.timeline_payload(timeline),
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
