from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from postmortems.api import imports as import_views
from postmortems.api import views

router = DefaultRouter()
router.register("incidents", views.IncidentViewSet, basename="incident")
router.register("services", views.ServiceViewSet, basename="service")
router.register("events", views.EventViewSet, basename="event")
router.register("imports", import_views.SourceImportViewSet, basename="import")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("", include(router.urls)),
]
