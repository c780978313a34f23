from __future__ import annotations

from django.urls import path

from postmortems.views import incidents

app_name = "postmortems"

urlpatterns = [
    path("", incidents.incident_list, name="incident_list"),
    path("incidents/<slug:slug>/", incidents.incident_detail, name="incident_detail"),
    path("services/", incidents.service_list, name="service_list"),
    path("services/<int:pk>/", incidents.service_detail, name="service_detail"),
]
