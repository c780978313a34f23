"""``/api/v1/``: incidents, events, impacts, the service catalogue, sources, action items.

Viewsets are declarative: a queryset shaped for the list (so its query count does not grow
with the page), an output serializer, a filterset. Writes go input serializer -> service ->
output serializer; permissions are the UI's roles (``ReadOrEdit``, ``ReadOrAdmin``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from postmortems import services
from postmortems.api import serializers, versions
from postmortems.api.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from postmortems.api.throttling import ThrottleFirstMixin
from postmortems.api.versions import ETagMixin
from postmortems.filters import (
    ActionItemFilter,
    DependencyFilter,
    EventFilter,
    ImpactFilter,
    IncidentApiFilter,
    ServiceApiFilter,
    SourceFilter,
    incident_durations,
)
from postmortems.models import ActionItem, Dependency, Event, Impact, Incident, Service, Source
from postmortems.permissions import ReadOrAdmin
from postmortems.selectors import impacted_service_count


def incident_api_queryset() -> QuerySet[Incident]:
    """Return incidents with what the API shows of each, in a fixed number of queries."""
    return (
        Incident.objects.prefetch_related("regions", "tags")
        .annotate(impacted_count=impacted_service_count(), **incident_durations())
        .order_by("-started_at", "-id")
    )


def _event_queryset() -> QuerySet[Event]:
    return (
        Event.objects.select_related("incident", "source")
        .prefetch_related("services")
        .order_by("occurred_at", "id")
    )


WRITE_PARAMETERS = [IDEMPOTENCY_PARAMETER]


# ------------------------------------------------------------------------------ incidents


@extend_schema_view(
    list=extend_schema(
        summary="Incidents, filtered",
        description="E.g. every SEV1 in us-east-1 where DynamoDB was impacted, since 2021: "
        "`?severity=1&region=us-east-1&service=DynamoDB&started_after=2021-01-01T00:00:00Z`. "
        "Each carries `time_to_recover_seconds` (resolution minus start).",
    ),
    create=extend_schema(
        request=serializers.IncidentInputSerializer,
        responses={201: serializers.IncidentDetailSerializer},
        parameters=WRITE_PARAMETERS,
    ),
    update=extend_schema(
        request=serializers.IncidentInputSerializer,
        responses=serializers.IncidentDetailSerializer,
    ),
    partial_update=extend_schema(
        request=serializers.IncidentInputSerializer,
        responses=serializers.IncidentDetailSerializer,
    ),
)
class IncidentViewSet(ETagMixin, ThrottleFirstMixin, viewsets.ModelViewSet):
    """Incidents by slug; editors write, with regions and tags as lists of strings."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    queryset = incident_api_queryset()
    serializer_class = serializers.IncidentListSerializer
    filterset_class = IncidentApiFilter
    ordering_fields = [
        "started_at",
        "resolved_at",
        "severity",
        "title",
        "slug",
        "time_to_recover",
    ]

    def get_queryset(self) -> QuerySet[Incident]:
        queryset = super().get_queryset()
        if self.action == "list":
            # Drafts from imports and feeds are listed only when asked for (?drafts=only,
            # IncidentApiFilter.drafts); every other list shows confirmed incidents.
            if self.request.query_params.get("drafts") != "only":
                queryset = queryset.confirmed()
        else:
            queryset = queryset.prefetch_related(
                Prefetch(
                    "impacts",
                    queryset=Impact.objects.select_related("service").order_by("started_at", "id"),
                )
            )
        return queryset

    def get_serializer_class(self) -> type[BaseSerializer]:
        if self.action == "list":
            return serializers.IncidentListSerializer
        if self.action in {"create", "update", "partial_update"}:
            return serializers.IncidentInputSerializer
        return serializers.IncidentDetailSerializer

    def _detail(self, incident: Incident, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=incident.pk)
        return Response(serializers.IncidentDetailSerializer(fresh).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return idempotent(request, lambda: self._create(request))

    def _create(self, request: Request) -> Response:
        incoming = serializers.IncidentInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        data.pop("version", None)
        incident = services.incident_save(
            form_data=data, regions=data.pop("regions", []), tags=data.pop("tags", [])
        )
        return self._detail(incident, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incident = self.get_object()
        partial = kwargs.get("partial", False)
        incoming = serializers.IncidentInputSerializer(incident, data=request.data, partial=partial)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        regions = data.pop("regions", None)
        tags = data.pop("tags", None)
        base, from_if_match = versions.base_version(request, data)
        with versions.refusing_stale(from_if_match, self._current):
            incident = services.incident_save(
                incident=incident,
                form_data=data,
                regions=[r.code for r in incident.regions.all()] if regions is None else regions,
                tags=[t.name for t in incident.tags.all()] if tags is None else tags,
                base_version=base,
            )
        return self._detail(incident)

    def _current(self, incident: Incident) -> dict[str, Any]:
        return serializers.IncidentDetailSerializer(self.get_queryset().get(pk=incident.pk)).data

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.record_delete(record=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# ------------------------------------------------------------------------------ events


class EventWriteMixin:
    """Creation of one event or a list of them: all or nothing, with per-item errors."""

    def _create(self, request: Request, incident: Incident | None) -> Response:
        input_class = (
            serializers.EventInputSerializer if incident else serializers.EventCreateSerializer
        )
        many = isinstance(request.data, list)
        incoming = input_class(data=request.data, many=many)
        if not incoming.is_valid():
            errors = incoming.errors
            if many and isinstance(errors, dict) and all(str(k).isdigit() for k in errors):
                # DRF names only the failing items; the API answers one entry per item.
                errors = [errors.get(i, errors.get(str(i), {})) for i in range(len(request.data))]
            raise ValidationError(errors)
        items = incoming.validated_data if many else [incoming.validated_data]
        events = services.event_bulk_create(items=items, author=request.user, incident=incident)
        created = _event_queryset().filter(pk__in=[event.pk for event in events])
        body = serializers.EventSerializer(created, many=True).data
        return Response(body if many else body[0], status=status.HTTP_201_CREATED)


_EVENT_CREATE_DESCRIPTION = (
    "Send one event, or a list of events to create them all or none: a list that fails "
    "validation answers 400 with `error.items`, one entry of messages per item."
)


@extend_schema_view(
    create=extend_schema(
        request=serializers.EventCreateSerializer,
        responses={201: serializers.EventSerializer},
        description=_EVENT_CREATE_DESCRIPTION,
        parameters=WRITE_PARAMETERS,
    ),
    update=extend_schema(request=serializers.EventInputSerializer),
    partial_update=extend_schema(request=serializers.EventInputSerializer),
)
class EventViewSet(ETagMixin, ThrottleFirstMixin, EventWriteMixin, viewsets.ModelViewSet):
    queryset = _event_queryset()
    serializer_class = serializers.EventSerializer
    filterset_class = EventFilter
    ordering_fields = ["occurred_at", "kind"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return idempotent(request, lambda: self._create(request, incident=None))

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        event = self.get_object()
        incoming = serializers.EventInputSerializer(
            event, data=request.data, partial=kwargs.get("partial", False)
        )
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        base, from_if_match = versions.base_version(request, data)
        with versions.refusing_stale(from_if_match, self._current):
            event = services.event_update(
                event=event, data=data, author=request.user, base_version=base
            )
        return Response(self._current(event))

    def _current(self, event: Event) -> dict[str, Any]:
        return serializers.EventSerializer(self.get_queryset().get(pk=event.pk)).data

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.record_delete(record=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=serializers.EventReviewSerializer,
        responses=serializers.EventSerializer,
        summary="Accept or reject an event",
    )
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        event = self.get_object()
        incoming = serializers.EventReviewSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.event_review(
            event=event,
            state=incoming.validated_data["state"],
            note=incoming.validated_data["note"],
        )
        return Response(serializers.EventSerializer(self.get_queryset().get(pk=event.pk)).data)


@extend_schema_view(
    list=extend_schema(summary="An incident's events, in time order"),
    create=extend_schema(
        request=serializers.EventInputSerializer,
        responses={201: serializers.EventSerializer},
        description=_EVENT_CREATE_DESCRIPTION,
        parameters=WRITE_PARAMETERS,
    ),
)
class IncidentEventViewSet(
    ThrottleFirstMixin,
    EventWriteMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """``/incidents/{slug}/events/``: the events of one incident."""

    queryset = _event_queryset()
    serializer_class = serializers.EventSerializer
    filterset_class = EventFilter
    ordering_fields = ["occurred_at", "kind"]

    def _incident(self) -> Incident:
        return get_object_or_404(Incident, slug=self.kwargs["slug"])

    def get_queryset(self) -> QuerySet[Event]:
        return super().get_queryset().filter(incident__slug=self.kwargs["slug"])

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self._incident()
        return super().list(request, *args, **kwargs)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incident = self._incident()
        return idempotent(request, lambda: self._create(request, incident=incident))


# ------------------------------------------------------------------------------ records


class RecordViewSet(ThrottleFirstMixin, viewsets.ModelViewSet):
    """A record written through an input serializer and a service."""

    input_serializer_class: type[BaseSerializer]
    output_serializer_class: type[BaseSerializer]

    def get_serializer_class(self) -> type[BaseSerializer]:
        if self.action in {"create", "update", "partial_update"}:
            return self.input_serializer_class
        return self.output_serializer_class

    def write(self, data: dict[str, Any], record: Any | None) -> Any:
        raise NotImplementedError

    def _render(self, record: Any, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=record.pk)
        return Response(self.output_serializer_class(fresh).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return idempotent(request, lambda: self._save(request, record=None))

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._save(request, record=self.get_object(), partial=kwargs.get("partial", False))

    def _save(self, request: Request, record: Any | None, partial: bool = False) -> Response:
        incoming = self.input_serializer_class(record, data=request.data, partial=partial)
        incoming.is_valid(raise_exception=True)
        saved = self.write(dict(incoming.validated_data), record)
        return self._render(saved, status.HTTP_201_CREATED if record is None else 200)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.record_delete(record=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


def _record_schema(input_class: type, output_class: type) -> Any:
    return extend_schema_view(
        create=extend_schema(
            request=input_class, responses={201: output_class}, parameters=WRITE_PARAMETERS
        ),
        update=extend_schema(request=input_class, responses=output_class),
        partial_update=extend_schema(request=input_class, responses=output_class),
    )


@_record_schema(serializers.ServiceSerializer, serializers.ServiceSerializer)
class ServiceViewSet(RecordViewSet):
    """The service catalogue; admins write. Natural key: ``?provider=AWS&name=DynamoDB``."""

    permission_classes = [ReadOrAdmin]
    queryset = Service.objects.order_by("provider", "name", "id")
    input_serializer_class = output_serializer_class = serializer_class = (
        serializers.ServiceSerializer
    )
    filterset_class = ServiceApiFilter
    ordering_fields = ["name", "provider", "category"]

    def write(self, data: dict[str, Any], record: Service | None) -> Service:
        return services.service_save(data=data, service=record)


@_record_schema(serializers.DependencySerializer, serializers.DependencyOutputSerializer)
class DependencyViewSet(RecordViewSet):
    """How services depend on each other; admins write."""

    permission_classes = [ReadOrAdmin]
    queryset = Dependency.objects.select_related("downstream", "upstream").order_by("id")
    serializer_class = output_serializer_class = serializers.DependencyOutputSerializer
    input_serializer_class = serializers.DependencySerializer
    filterset_class = DependencyFilter
    ordering_fields = ["id", "kind"]

    def write(self, data: dict[str, Any], record: Dependency | None) -> Dependency:
        return services.dependency_save(data=data, dependency=record)


@_record_schema(serializers.ImpactInputSerializer, serializers.ImpactOutputSerializer)
class ImpactViewSet(RecordViewSet):
    """Which service an incident hit, how badly and when."""

    queryset = Impact.objects.select_related("incident", "service").order_by("started_at", "id")
    serializer_class = output_serializer_class = serializers.ImpactOutputSerializer
    input_serializer_class = serializers.ImpactInputSerializer
    filterset_class = ImpactFilter
    ordering_fields = ["started_at", "ended_at", "level"]

    def write(self, data: dict[str, Any], record: Impact | None) -> Impact:
        return services.impact_save(data=data, impact=record)


@_record_schema(serializers.ActionItemSerializer, serializers.ActionItemSerializer)
class ActionItemViewSet(ETagMixin, RecordViewSet):
    """Follow-up work of an incident."""

    queryset = ActionItem.objects.select_related("incident", "assignee").order_by(
        "status", "due_date", "id"
    )
    serializer_class = input_serializer_class = output_serializer_class = (
        serializers.ActionItemSerializer
    )
    filterset_class = ActionItemFilter
    ordering_fields = ["due_date", "status", "priority", "created_at"]

    def write(self, data: dict[str, Any], record: ActionItem | None) -> ActionItem:
        base, from_if_match = versions.base_version(self.request, data)
        if record is None:
            return services.action_item_save(data=data, actor=self.request.user)
        with versions.refusing_stale(from_if_match, self._current):
            return services.action_item_save(
                data=data, item=record, actor=self.request.user, base_version=base
            )

    def _current(self, item: ActionItem) -> dict[str, Any]:
        return self.output_serializer_class(self.get_queryset().get(pk=item.pk)).data


@extend_schema_view(
    retrieve=extend_schema(
        responses=OpenApiResponse(
            serializers.SourceDetailSerializer, description="With the text and raw content."
        )
    )
)
class SourceViewSet(ThrottleFirstMixin, viewsets.ReadOnlyModelViewSet):
    """Articles and status pages; the detail carries the text, kept against link rot."""

    queryset = (
        Source.objects.defer("text", "raw_content")
        .prefetch_related(Prefetch("incidents", queryset=Incident.objects.only("id", "slug")))
        .order_by("-created_at", "-id")
    )
    serializer_class = serializers.SourceSerializer
    filterset_class = SourceFilter
    ordering_fields = ["created_at", "published_at", "title"]

    def get_queryset(self) -> QuerySet[Source]:
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.defer(None)
        return queryset

    def get_serializer_class(self) -> type[BaseSerializer]:
        if self.action == "retrieve":
            return serializers.SourceDetailSerializer
        return serializers.SourceSerializer
