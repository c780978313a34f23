from __future__ import annotations

from django.urls import path

from timelines.api import share

urlpatterns = [
    path(
        "incidents/<slug:slug>/export/", share.IncidentExportView.as_view(), name="incident-export"
    ),
    path("exports/<int:id>/", share.ExportJobView.as_view(), name="export-job"),
    path(
        "exports/<int:id>/download/",
        share.ExportJobDownloadView.as_view(),
        name="export-job-download",
    ),
]
