"""API: an incident as a file, in the same formats as the web export.

One endpoint, ``GET /api/v1/incidents/{slug}/export/?format=md|json|csv|html|pdf|svg``
(``picture=timeline|cascade`` with ``svg``). ``format`` is DRF's own format override, so
each format is a renderer: content negotiation picks it, and an ``Accept`` header such as
``text/csv`` works as well as the query parameter.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from postmortems.models import Incident
from timelines import exports
from timelines.api.serializers import Timeline


class _FileRenderer(BaseRenderer):
    """Pass the bytes of an export through; the view has already built them."""

    charset = None

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        return data if isinstance(data, bytes) else str(data).encode("utf-8")


class MarkdownFileRenderer(_FileRenderer):
    media_type, format = "text/markdown", "md"


class JSONFileRenderer(_FileRenderer):
    media_type, format = "application/json", "json"


class CSVFileRenderer(_FileRenderer):
    media_type, format = "text/csv", "csv"


class HTMLFileRenderer(_FileRenderer):
    media_type, format = "text/html", "html"


class PDFFileRenderer(_FileRenderer):
    media_type, format = "application/pdf", "pdf"


class SVGFileRenderer(_FileRenderer):
    media_type, format = "image/svg+xml", "svg"


class IncidentExportView(APIView):
    renderer_classes = [
        JSONFileRenderer,
        MarkdownFileRenderer,
        CSVFileRenderer,
        HTMLFileRenderer,
        PDFFileRenderer,
        SVGFileRenderer,
    ]

    @extend_schema(
        operation_id="incidents_export",
        summary="Export an incident: Markdown, JSON, CSV of events, standalone HTML, PDF or SVG",
        description=(
            "The internal account: accepted events, every action item, the current postmortem body. "
            "Sent as an attachment named `<slug>-<kind>.<ext>`."
        ),
        parameters=[
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                enum=["md", "json", "csv", "html", "pdf", "svg"],
                description="The file format; an Accept header works too. Default: json.",
            ),
            OpenApiParameter(
                "picture",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                enum=list(exports.PICTURES),
                description="With format=svg: the swimlane timeline (default) or the cascade graph.",
            ),
        ],
        responses={
            (200, "application/json"): OpenApiResponse(
                Timeline, description="The export, as an attachment."
            ),
            (200, "text/markdown"): OpenApiTypes.STR,
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "text/html"): OpenApiTypes.STR,
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "image/svg+xml"): OpenApiTypes.STR,
        },
    )
    def get(self, request: Request, slug: str) -> Response:
        fmt = request.accepted_renderer.format
        if fmt == "svg":
            picture = request.query_params.get("picture", "timeline")
            if picture not in exports.PICTURES:
                raise ValidationError({"picture": f"One of: {', '.join(exports.PICTURES)}."})
            fmt = f"{picture}.svg"
        incident = get_object_or_404(Incident, slug=slug)
        try:
            file = exports.export_file(
                exports.account_for(incident, audience=exports.Audience.INTERNAL), fmt
            )
        except exports.ExportUnavailable as error:
            raise ExportUnavailable(str(error)) from error
        return Response(
            file.content,
            content_type=file.content_type,
            headers={
                "Content-Disposition": f'attachment; filename="{file.filename}"',
                "Cache-Control": "private, no-store",
            },
        )

    def handle_exception(self, exc: Exception) -> Response:
        # Errors are JSON whatever file was asked for: a 401 is not a PDF.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)


class ExportUnavailable(APIException):
    status_code = 503
    default_code = "export_unavailable"
