"""Shapes of the API: output serializers render records, input serializers validate bodies.

Inputs are validated here and written by a service; nothing in this module saves.
"""

from __future__ import annotations

import zoneinfo
from datetime import timedelta
from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.text import slugify
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from postmortems.models import (
    ActionItem,
    Dependency,
    Event,
    Impact,
    Incident,
    Postmortem,
    PostmortemRevision,
    ReviewState,
    Service,
    Severity,
    Source,
)
from postmortems.validators import validate_plausible_year
from timelines.api.serializers import ServiceImpactWindow
from timelines.payloads import impact_windows_payload
from timelines.selectors import incident_impact_windows

# ------------------------------------------------------------------------------ fields


@extend_schema_field(OpenApiTypes.INT)
class SecondsField(serializers.ReadOnlyField):
    """A duration as whole seconds, or null."""

    def to_representation(self, value: timedelta | None) -> int | None:
        return None if value is None else int(value.total_seconds())


@extend_schema_field({"type": "string", "enum": [label for _, label in Severity.choices]})
class SeverityField(serializers.ChoiceField):
    """Severity as people write it ("SEV1"), stored as its number."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[label for _, label in Severity.choices], **kwargs)

    def to_internal_value(self, data: Any) -> int:
        label = super().to_internal_value(data)
        return next(value for value, text in Severity.choices if text == label)

    def to_representation(self, value: int) -> str:
        return Severity(value).label


class MomentField(serializers.DateTimeField):
    """A time with its offset, kept in UTC; implausible years are refused (see validators)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if validate_plausible_year not in self.validators:  # a model field may bring it
            self.validators.append(validate_plausible_year)


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_zone(value: str) -> str:
    if value not in _zones():
        raise serializers.ValidationError("Not an IANA time zone name, e.g. Europe/Berlin.")
    return value


# ------------------------------------------------------------------------------ references


class ServiceRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = ["id", "name", "provider"]


class SourceRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "title", "url", "publisher", "language"]


# ------------------------------------------------------------------------------ catalogue


class ServiceSerializer(serializers.ModelSerializer):
    aliases = serializers.ListField(child=serializers.CharField(max_length=120), required=False)

    class Meta:
        model = Service
        fields = ["id", "name", "provider", "category", "aliases", "description"]
        # The case-insensitive uniqueness is checked in validate(); DRF cannot read Lower().
        validators: list = []

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        name = attrs.get("name", getattr(self.instance, "name", ""))
        provider = attrs.get("provider", getattr(self.instance, "provider", ""))
        clash = Service.objects.filter(name__iexact=name, provider__iexact=provider)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError({"name": [f"{provider} already has “{name}”."]})
        return attrs


class DependencySerializer(serializers.ModelSerializer):
    downstream = serializers.PrimaryKeyRelatedField(queryset=Service.objects.all())
    upstream = serializers.PrimaryKeyRelatedField(queryset=Service.objects.all())

    class Meta:
        model = Dependency
        fields = ["id", "downstream", "upstream", "kind", "note"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        downstream = attrs.get("downstream", getattr(self.instance, "downstream", None))
        upstream = attrs.get("upstream", getattr(self.instance, "upstream", None))
        if downstream == upstream:
            raise serializers.ValidationError({"upstream": ["A service cannot depend on itself."]})
        return attrs


class DependencyOutputSerializer(serializers.ModelSerializer):
    downstream = ServiceRefSerializer(read_only=True)
    upstream = ServiceRefSerializer(read_only=True)

    class Meta:
        model = Dependency
        fields = ["id", "downstream", "upstream", "kind", "note"]


# ------------------------------------------------------------------------------ sources


class SourceSerializer(serializers.ModelSerializer):
    incidents = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Source
        fields = [
            "id",
            "url",
            "title",
            "publisher",
            "language",
            "published_at",
            "retrieved_at",
            "content_hash",
            "status",
            "error",
            "incidents",
            "created_at",
        ]


class SourceDetailSerializer(SourceSerializer):
    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "text", "raw_content"]


# ------------------------------------------------------------------------------ impacts


class ImpactSerializer(serializers.ModelSerializer):
    service = ServiceRefSerializer(read_only=True)

    class Meta:
        model = Impact
        fields = ["id", "service", "level", "role", "started_at", "ended_at", "note"]


class ImpactOutputSerializer(ImpactSerializer):
    incident = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta(ImpactSerializer.Meta):
        fields = ["id", "incident", *ImpactSerializer.Meta.fields[1:]]


def base_version_field() -> serializers.IntegerField:
    """Return the optional ``version`` a change is based on (see postmortems.api.versions)."""
    return serializers.IntegerField(
        min_value=1,
        max_value=2_147_483_647,
        required=False,
        help_text="The version this change is based on (from GET or its ETag); if someone "
        "saved since, the answer is 409 `stale_version`. Ignored when creating.",
    )


class InputSerializer(serializers.ModelSerializer):
    """Base of the input serializers: every time field refuses implausible years."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: MomentField,
    }


class ImpactInputSerializer(InputSerializer):
    incident = serializers.SlugRelatedField(slug_field="slug", queryset=Incident.objects.all())
    service = serializers.PrimaryKeyRelatedField(queryset=Service.objects.all())

    class Meta:
        model = Impact
        fields = ["incident", "service", "level", "role", "started_at", "ended_at", "note"]


# ------------------------------------------------------------------------------ events


class EventSerializer(serializers.ModelSerializer):
    incident = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    services = ServiceRefSerializer(many=True, read_only=True)
    source = SourceRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "incident",
            "occurred_at",
            "precision",
            "source_timezone",
            "kind",
            "title",
            "description",
            "services",
            "source",
            "quote",
            "quote_start",
            "quote_end",
            "review_state",
            "review_note",
            "version",
        ]


class EventInputSerializer(InputSerializer):
    """One event as a tool sends it; ``occurred_at`` carries its offset and is kept in UTC."""

    services = serializers.PrimaryKeyRelatedField(
        queryset=Service.objects.all(), many=True, required=False
    )
    source = serializers.PrimaryKeyRelatedField(
        queryset=Source.objects.all(), required=False, allow_null=True
    )
    source_timezone = serializers.CharField(
        max_length=64, required=False, validators=[validate_zone]
    )
    version = base_version_field()

    class Meta:
        model = Event
        fields = [
            "occurred_at",
            "precision",
            "source_timezone",
            "kind",
            "title",
            "description",
            "services",
            "source",
            "quote",
            "quote_start",
            "quote_end",
            "version",
        ]
        # The per-source uniqueness is a race the database settles (409), not a form check.
        validators: list = []

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start = attrs.get("quote_start", getattr(self.instance, "quote_start", None))
        end = attrs.get("quote_end", getattr(self.instance, "quote_end", None))
        if start is not None and end is not None and end < start:
            raise serializers.ValidationError({"quote_end": ["Must not be before quote_start."]})
        return attrs


class EventCreateSerializer(EventInputSerializer):
    """An event posted to ``/events/``, which names its incident."""

    incident = serializers.SlugRelatedField(slug_field="slug", queryset=Incident.objects.all())

    class Meta(EventInputSerializer.Meta):
        fields = ["incident", *EventInputSerializer.Meta.fields]


class EventReviewSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=ReviewState.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


# ------------------------------------------------------------------------------ incidents


class IncidentListSerializer(serializers.ModelSerializer):
    regions = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    severity = SeverityField(read_only=True)
    impacted_services = serializers.IntegerField(source="impacted_count", read_only=True)
    time_to_detect_seconds = SecondsField(source="time_to_detect", allow_null=True)
    time_to_mitigate_seconds = SecondsField(source="time_to_mitigate", allow_null=True)
    time_to_recover_seconds = SecondsField(source="time_to_recover", allow_null=True)

    class Meta:
        model = Incident
        fields = [
            "slug",
            "title",
            "summary",
            "provider",
            "regions",
            "severity",
            "status",
            "started_at",
            "detected_at",
            "mitigated_at",
            "resolved_at",
            "time_to_detect_seconds",
            "time_to_mitigate_seconds",
            "time_to_recover_seconds",
            "root_cause_category",
            "tags",
            "impacted_services",
            "created_at",
            "updated_at",
            "version",
        ]


@extend_schema_field(ServiceImpactWindow(many=True))
class ImpactWindowsField(serializers.Field):
    """Each impacted service's window from ``timelines.selectors.incident_impact_windows``.

    The same function the incident page, the timeline, the share view and the exports
    read, so the record answers with the window they show (and the same warning), not a
    second computation from the raw ``impacts``.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: Incident) -> list[dict[str, Any]]:
        return impact_windows_payload(incident_impact_windows(value))


class IncidentDetailSerializer(IncidentListSerializer):
    impacts = ImpactSerializer(
        many=True, read_only=True, help_text="The impact records as entered, one per row."
    )
    impact_windows = ImpactWindowsField(
        help_text="One window per impacted service, in cascade order: what every surface "
        "shows, with where it came from and the warning when records and events disagree."
    )

    class Meta(IncidentListSerializer.Meta):
        fields = [*IncidentListSerializer.Meta.fields, "impacts", "impact_windows"]


class IncidentInputSerializer(InputSerializer):
    """An incident as a client writes it; without a slug, one is made from the title."""

    slug = serializers.SlugField(
        max_length=120,
        required=False,
        allow_blank=True,
        validators=[UniqueValidator(queryset=Incident.objects.all(), lookup="exact")],
    )
    severity = SeverityField(required=False)
    regions = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=100
    )
    tags = serializers.ListField(
        child=serializers.SlugField(max_length=50), required=False, max_length=100
    )
    version = base_version_field()

    class Meta:
        model = Incident
        fields = [
            "slug",
            "title",
            "summary",
            "provider",
            "regions",
            "severity",
            "status",
            "started_at",
            "detected_at",
            "mitigated_at",
            "resolved_at",
            "root_cause_category",
            "tags",
            "version",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("slug") and (self.instance is None or "slug" in attrs):
            title = attrs.get("title", getattr(self.instance, "title", ""))
            slug = slugify(title)[:100]
            if not slug:
                raise serializers.ValidationError(
                    {"slug": ["Give the incident a title or a slug."]}
                )
            clash = Incident.objects.filter(slug=slug)
            if self.instance is not None:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise serializers.ValidationError(
                    {"slug": [f"The slug “{slug}” is taken by another incident."]}
                )
            attrs["slug"] = slug
        return attrs


# ------------------------------------------------------------------------------ action items


class ActionItemSerializer(serializers.ModelSerializer):
    incident = serializers.SlugRelatedField(slug_field="slug", queryset=Incident.objects.all())
    assignee = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="The owner's username: they get e-mails. `owner` names someone outside.",
    )
    version = base_version_field()

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "incident",
            "title",
            "assignee",
            "owner",
            "due_date",
            "status",
            "priority",
            "link",
            "public",
            "created_at",
            "version",
        ]
        read_only_fields = ["created_at"]


# ------------------------------------------------------------------------------ postmortems


class PostmortemSerializer(serializers.ModelSerializer):
    incident = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Postmortem
        fields = [
            "incident",
            "body",
            "status",
            "version",
            "published_body",
            "published_at",
            "updated_by",
            "updated_at",
        ]


class PostmortemSaveSerializer(serializers.Serializer):
    body = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=1_000_000)
    version = serializers.IntegerField(
        min_value=1,
        max_value=2_147_483_647,
        help_text="The version this body is based on (from GET or the ETag).",
    )


class PostmortemRevisionSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = PostmortemRevision
        fields = ["version", "body", "author", "created_at"]
