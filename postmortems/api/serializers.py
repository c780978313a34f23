from __future__ import annotations

from rest_framework import serializers

from postmortems.models import Event, Impact, Incident, Service, Source


class ServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = ["id", "name", "provider", "category", "aliases", "description"]


class ServiceRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = ["id", "name", "provider"]


class SourceRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "title", "url", "publisher", "language"]


class ImpactSerializer(serializers.ModelSerializer):
    service = ServiceRefSerializer(read_only=True)

    class Meta:
        model = Impact
        fields = ["id", "service", "level", "role", "started_at", "ended_at", "note"]


class EventSerializer(serializers.ModelSerializer):
    incident = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    services = ServiceRefSerializer(many=True, read_only=True)
    source = SourceRefSerializer(read_only=True)

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
        ]


class IncidentListSerializer(serializers.ModelSerializer):
    regions = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    severity = serializers.CharField(source="get_severity_display", read_only=True)
    impacted_services = serializers.IntegerField(source="impacted_count", read_only=True)

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
            "impacted_services",
        ]


class IncidentDetailSerializer(IncidentListSerializer):
    impacts = ImpactSerializer(many=True, read_only=True)

    class Meta(IncidentListSerializer.Meta):
        fields = [*IncidentListSerializer.Meta.fields, "impacts"]
