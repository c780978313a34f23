from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from rest_framework import viewsets

from postmortems import selectors
from postmortems.api import serializers
from postmortems.filters import EventFilter, IncidentFilter, ServiceFilter
from postmortems.models import Event, Impact, Incident, Service


class IncidentViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    filterset_class = IncidentFilter
    ordering_fields = ["started_at", "resolved_at", "severity", "title"]

    def get_queryset(self) -> QuerySet[Incident]:
        queryset = selectors.incident_list()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch("impacts", queryset=Impact.objects.select_related("service"))
            )
        return queryset

    def get_serializer_class(self) -> type[serializers.IncidentListSerializer]:
        if self.action == "retrieve":
            return serializers.IncidentDetailSerializer
        return serializers.IncidentListSerializer


class ServiceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Service.objects.order_by("provider", "name", "id")
    serializer_class = serializers.ServiceSerializer
    filterset_class = ServiceFilter
    ordering_fields = ["name", "provider", "category"]


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.EventSerializer
    filterset_class = EventFilter
    ordering_fields = ["occurred_at", "kind"]

    def get_queryset(self) -> QuerySet[Event]:
        return selectors.event_list()
