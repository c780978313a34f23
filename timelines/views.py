from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from timelines import payloads, selectors, svg


def incident_timeline(request: HttpRequest, slug: str) -> HttpResponse:
    timeline = selectors.incident_timeline(slug)
    return render(
        request,
        "timelines/timeline.html",
        {
            "timeline": timeline,
            "incident": timeline.incident,
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
