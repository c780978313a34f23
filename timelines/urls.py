from __future__ import annotations

from django.urls import path

from timelines import views

app_name = "timelines"

urlpatterns = [
    path("incidents/<slug:slug>/timeline/", views.incident_timeline, name="incident_timeline"),
]
