from __future__ import annotations

from django.urls import path, re_path

from timelines import views, views_share

app_name = "timelines"

_PICTURE = r"(?P<picture>timeline|cascade)\.svg"

urlpatterns = [
    path("incidents/<slug:slug>/timeline/", views.incident_timeline, name="incident_timeline"),
    path(
        "incidents/<slug:slug>/impact-windows/<int:service_id>/",
        views.impact_window_resolve,
        name="impact_window_resolve",
    ),
    # Managing share links (editors) and exporting the internal account (anyone signed in).
    path("incidents/<slug:slug>/share/", views_share.share_links, name="share_links"),
    path(
        "incidents/<slug:slug>/share/<int:pk>/revoke/",
        views_share.share_link_revoke,
        name="share_link_revoke",
    ),
    path(
        "incidents/<slug:slug>/export.<str:fmt>",
        views_share.incident_export,
        name="incident_export",
    ),
    path("exports/<int:pk>/", views_share.export_job, name="export_job"),
    path(
        "exports/<int:pk>/download/",
        views_share.export_job_download,
        name="export_job_download",
    ),
    re_path(
        rf"^incidents/(?P<slug>[-a-zA-Z0-9_]+)/{_PICTURE}$",
        views_share.incident_picture,
        name="incident_picture",
    ),
    # Stakeholders: no account, the token is the credential.
    path("s/<str:token>/", views_share.share_view, name="share_view"),
    path("s/<str:token>/embed/", views_share.share_embed, name="share_embed"),
    path("s/<str:token>/export.<str:fmt>", views_share.share_export, name="share_export"),
    path("s/<str:token>/exports/<int:pk>/", views_share.share_export_job, name="share_export_job"),
    path(
        "s/<str:token>/exports/<int:pk>/download/",
        views_share.share_export_job_download,
        name="share_export_job_download",
    ),
    re_path(rf"^s/(?P<token>[^/]+)/{_PICTURE}$", views_share.share_picture, name="share_picture"),
]
