from __future__ import annotations

from django.urls import path

from postmortems import views

app_name = "postmortems"

urlpatterns = [
    path("", views.incident_list, name="incident_list"),
    path("incidents/<slug:slug>/", views.incident_detail, name="incident_detail"),
    path("services/", views.service_list, name="service_list"),
    path("services/<int:pk>/", views.service_detail, name="service_detail"),
]
