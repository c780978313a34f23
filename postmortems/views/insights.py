"""Search across the knowledge base, and the dashboard."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from postmortems import dashboard as dashboard_selectors
from postmortems import search as search_selectors


def search(request: HttpRequest) -> HttpResponse:
    filterset = search_selectors.search_filterset(request.GET)
    query = request.GET.get("q", "")
    results = None
    if filterset.is_valid():
        results = search_selectors.search(
            query, incidents=search_selectors.filtered_incidents(filterset)
        )
    return render(
        request,
        "postmortems/search.html",
        {"filter": filterset, "query": query, "results": results},
    )


def dashboard(request: HttpRequest) -> HttpResponse:
    form = dashboard_selectors.DashboardForm(request.GET)
    figures = None
    if form.is_valid():
        figures = dashboard_selectors.dashboard_for(**form.cleaned_data)
    return render(request, "postmortems/dashboard.html", {"form": form, "dashboard": figures})
