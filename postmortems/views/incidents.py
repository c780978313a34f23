from __future__ import annotations

from typing import Any, cast

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.functional import cached_property

from postmortems import selectors
from postmortems.collector import gc_paused
from postmortems.event_pages import EventPages, event_pages
from postmortems.filters import IncidentFilter, ServiceFilter
from postmortems.forms import EventForm, browser_zone
from postmortems.ingest.feeds import selectors as feed_selectors
from postmortems.models import Impact, Incident
from postmortems.permissions import is_editor
from timelines.selectors import ServiceImpactWindow, incident_impact_windows

PAGE_SIZE = 25
# Impacted services the incident page lists before "show all", in cascade order: beside
# the event list, 300 rows with their records' edit links and disputes were most of a
# large incident's page. The timeline page lists every one.
IMPACTS_SHOWN = 50


# A text search counts its matches up to here, then says "more than".
SEARCH_COUNT_LIMIT = 1000


class SearchPaginator(Paginator):
    """Pages of a text search, counted up to SEARCH_COUNT_LIMIT matches.

    A common word matches most of the knowledge base, and counting every match costs a
    pass over all of them on each page view (90 ms for 60,000 of 100,000 incidents on a
    loaded machine); the first SEARCH_COUNT_LIMIT + 1 are found in a few milliseconds.
    Past the limit the list says so and pages as far as the counted matches go.
    """

    @cached_property
    def count(self) -> int:
        """Return the number of matches, or SEARCH_COUNT_LIMIT + 1 when there are more."""
        matches = cast(QuerySet[Incident], self.object_list)
        # Unordered: the first matches the index yields, not the newest.
        return matches.order_by().values("pk")[: SEARCH_COUNT_LIMIT + 1].count()

    @property
    def count_is_limited(self) -> bool:
        """Return whether there are more matches than were counted."""
        return self.count > SEARCH_COUNT_LIMIT


def incident_list(request: HttpRequest) -> HttpResponse:
    filterset = IncidentFilter(request.GET, queryset=selectors.incident_list())
    searching = filterset.is_valid() and bool(filterset.form.cleaned_data.get("q", "").strip())
    paginator = (SearchPaginator if searching else Paginator)(filterset.qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "postmortems/incident_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "count_limit": SEARCH_COUNT_LIMIT,
        },
    )


def incident_detail(request: HttpRequest, slug: str) -> HttpResponse:
    incident = selectors.incident_detail(slug)
    order = selectors.incident_event_order(incident)
    pages = event_pages(
        order.times,
        order.ids,
        page=request.GET.get("page"),
        at=request.GET.get("at"),
        event=request.GET.get("event"),
    )
    if pages.focus is not None:
        return redirect_to_event(request, pages, order.ids, anchor="event")
    with gc_paused():
        windows = incident_impact_windows(incident)
    shown = windows if request.GET.get("impacts") == "all" else windows[:IMPACTS_SHOWN]
    impacts_of = selectors.impacts_of_services(incident, [row.service.id for row in shown])
    return render(
        request,
        "postmortems/incident_detail.html",
        {
            "incident": incident,
            **timeline_events_context(order, pages),
            "related": selectors.related_incidents(incident),
            # Windows come from the reconstruction, like every other surface's; the
            # records are listed with them for their edit links and notes.
            "impact_rows": [_impact_row(row, impacts_of.get(row.service.id, [])) for row in shown],
            "impact_total": len(windows),
            "impact_disagreements": [row.disagreement for row in shown if row.disagreement],
            "impact_disagreement_total": sum(1 for row in windows if row.disagreement),
            "links": feed_selectors.incident_links(incident),
            "event_form": EventForm(
                preferred_zones=selectors.event_zone_suggestions(
                    incident=incident, user_zone=browser_zone(request)
                )
            )
            if is_editor(request.user)
            else None,
        },
    )


def _impact_row(
    row: ServiceImpactWindow, records: list[Impact]
) -> tuple[ServiceImpactWindow, list[Impact], str]:
    """Return a service's window, its impact records and their roles (each named once)."""
    roles = dict.fromkeys(str(record.get_role_display()).lower() for record in records)
    return row, records, ", ".join(roles)


def timeline_events_context(order: selectors.EventOrder, pages: EventPages) -> dict[str, Any]:
    """Return what the incident page's event list shows: one page of accepted events."""
    page_ids = order.ids[pages.start : pages.stop]
    events = selectors.events_shown(page_ids + order.under_review_ids)
    return {
        "pages": pages,
        "accepted_events": events[: len(page_ids)],
        "other_events": events[len(page_ids) :],
        "other_count": order.under_review_count,
    }


def redirect_to_event(
    request: HttpRequest, pages: EventPages, ids: list[int], *, anchor: str
) -> HttpResponseRedirect:
    """Return a redirect to the page and the row of the event ``pages`` focuses on.

    ``?at=<time>`` focuses on the first event at or after that time; a link that names
    an event (``?event=<id>``) on the event itself.
    """
    assert pages.focus is not None
    return HttpResponseRedirect(f"{request.path}?page={pages.number}#{anchor}-{ids[pages.focus]}")


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
