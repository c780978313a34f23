from __future__ import annotations

from django.urls import path

from timelines.api import share

urlpatterns = [
    path(
        "incidents/<slug:slug>/export/", share.IncidentExportView.as_view(), name="incident-export"
    ),
]
