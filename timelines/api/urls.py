from __future__ import annotations

from django.urls import include, path

from timelines.api import views

urlpatterns = [
    path(
        "incidents/<slug:slug>/timeline/",
        views.IncidentTimelineView.as_view(),
        name="incident-timeline",
    ),
    path(
        "incidents/<slug:slug>/cascade/",
        views.IncidentCascadeView.as_view(),
        name="incident-cascade",
    ),
    path("", include("timelines.api.share_urls")),
]
