"""Response shapes of the timeline endpoints, declared for the OpenAPI schema.

The payloads themselves are built by ``timelines.payloads`` (hand-built dicts, for speed);
these classes describe them field by field so the schema stays exact.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from postmortems.models import ImpactLevel
from timelines.cascade import WINDOW_SOURCES
from timelines.models import ExportJob as ExportJobModel
from timelines.models import ExportJobStatus


class CascadeServiceRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ImpactSegment(serializers.Serializer):
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)
    level = serializers.ChoiceField(choices=ImpactLevel.choices)


class ImpactWindow(serializers.Serializer):
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(
        allow_null=True, help_text="Null while the impact is open."
    )
    level = serializers.ChoiceField(choices=ImpactLevel.choices)
    segments = ImpactSegment(many=True)


class CascadeService(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    depth = serializers.IntegerField(help_text="0 for an origin, 1 for what it took down, ...")
    window = ImpactWindow()


class PropagationEdge(serializers.Serializer):
    upstream = CascadeServiceRef()
    downstream = CascadeServiceRef()
    lag_seconds = serializers.IntegerField()
    path = serializers.ListField(
        child=serializers.IntegerField(), help_text="Service ids, upstream first."
    )
    hard = serializers.BooleanField()


class Phases(serializers.Serializer):
    trigger_at = serializers.DateTimeField(allow_null=True)
    detected_at = serializers.DateTimeField(allow_null=True)
    mitigated_at = serializers.DateTimeField(allow_null=True)
    recovered_at = serializers.DateTimeField(allow_null=True)
    time_to_detect = serializers.IntegerField(allow_null=True, help_text="Seconds from the start.")
    time_to_mitigate = serializers.IntegerField(
        allow_null=True, help_text="Seconds from the start."
    )
    time_to_recover = serializers.IntegerField(allow_null=True, help_text="Seconds from the start.")


class WindowSpan(serializers.Serializer):
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True, help_text="Null while open.")


class CascadeWarning(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=[
            "recovery_before_impact",
            "event_outside_window",
            "conflicting_times",
            "dependency_cycle",
            "impact_without_cause",
            "impact_window_disagrees",
        ]
    )
    message = serializers.CharField()
    event_ids = serializers.ListField(child=serializers.IntegerField())
    service_ids = serializers.ListField(child=serializers.IntegerField())
    impact_ids = serializers.ListField(child=serializers.IntegerField())
    record_window = WindowSpan(
        required=False, help_text="Only for `impact_window_disagrees`: what the record says."
    )
    events_window = WindowSpan(
        required=False, help_text="Only for `impact_window_disagrees`: what the events say."
    )


class ServiceImpactWindow(serializers.Serializer):
    """One impacted service's window, the one every surface shows (incident, timeline, exports)."""

    service = CascadeServiceRef()
    depth = serializers.IntegerField(help_text="0 for an origin, 1 for what it took down, ...")
    source = serializers.ChoiceField(
        choices=WINDOW_SOURCES,
        help_text="What gave the window: the impact records alone, the events alone (no "
        "record), or records the events completed (e.g. an open record closed by a recovery).",
    )
    impact_ids = serializers.ListField(
        child=serializers.IntegerField(), help_text="The impact records behind the window."
    )
    event_ids = serializers.ListField(
        child=serializers.IntegerField(), help_text="The accepted events behind the window."
    )
    window = ImpactWindow()
    warning = CascadeWarning(
        allow_null=True,
        help_text="The `impact_window_disagrees` warning when the record and the events "
        "disagree (the record's window is shown until an editor settles it), else null.",
    )


class IncidentTimes(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    started_at = serializers.DateTimeField(allow_null=True)
    detected_at = serializers.DateTimeField(allow_null=True)
    mitigated_at = serializers.DateTimeField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)


class Cascade(serializers.Serializer):
    incident = IncidentTimes()
    start = serializers.DateTimeField(allow_null=True)
    end = serializers.DateTimeField(allow_null=True)
    roots = CascadeServiceRef(many=True)
    unexplained = CascadeServiceRef(
        many=True, help_text="Impacted services whose cause cannot be placed."
    )
    services = CascadeService(many=True)
    edges = PropagationEdge(many=True)
    blast_radius = serializers.ListField(
        child=serializers.IntegerField(), help_text="Services per depth."
    )
    critical_path = CascadeServiceRef(many=True)
    phases = Phases()
    warnings = CascadeWarning(many=True)


class TimelineSourceRef(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    publisher = serializers.CharField()
    language = serializers.CharField()


class TimelineEvent(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    offset = serializers.CharField(allow_null=True, help_text="T+hh:mm from the incident start.")
    precision = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    quote = serializers.CharField()
    source_timezone = serializers.CharField()
    services = CascadeServiceRef(many=True)
    source = TimelineSourceRef(allow_null=True)


class Timeline(Cascade):
    source_timezone = serializers.CharField(
        help_text="The zone most sources stated their times in."
    )
    events = TimelineEvent(many=True)


class ExportJob(serializers.ModelSerializer):
    """A document export built in the background: its progress, then where its file is."""

    incident = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    format = serializers.CharField(source="fmt", read_only=True, help_text="pdf or html.")
    download = serializers.SerializerMethodField(
        help_text="The file's address once the job is done; null before, and if it failed."
    )

    class Meta:
        model = ExportJobModel
        fields = [
            "id",
            "incident",
            "format",
            "status",
            "progress",
            "stage",
            "error",
            "filename",
            "created_at",
            "started_at",
            "finished_at",
            "download",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download(self, job: ExportJobModel) -> str | None:
        if job.status != ExportJobStatus.DONE:
            return None
        url = reverse("export-job-download", args=[job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url
