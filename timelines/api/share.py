"""API: an incident as a file, in the same formats as the web export.

``GET /api/v1/incidents/{slug}/export/?format=md|json|csv|html|pdf|svg``
(``picture=timeline|cascade`` with ``svg``). ``format`` is DRF's own format override, so
each format is a renderer: content negotiation picks it, and an ``Accept`` header such as
``text/csv`` works as well as the query parameter.

A large incident's PDF or HTML is built by a worker, as on the web (the rule is
``export_jobs.runs_in_background``): the export answers ``202 Accepted`` with the job and a
``Location`` of ``/api/v1/exports/{id}/``, which reports status and progress and, once
done, the address of ``/api/v1/exports/{id}/download/``. A job is its requester's alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from postmortems.api.errors import Conflict
from postmortems.models import Incident
from timelines import export_jobs, exports
from timelines.api.serializers import ExportJob, Timeline
from timelines.models import ExportJobStatus


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
            OpenApiParameter(
                "Location",
                OpenApiTypes.URI,
                OpenApiParameter.HEADER,
                response=[202],
                description="The background job to follow: `/api/v1/exports/{id}/`.",
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
            (202, "application/json"): OpenApiResponse(
                ExportJob,
                description=(
                    "A large incident's PDF or HTML: built in the background. Follow the job "
                    "at `Location`; its `download` is the file's address once it is done."
                ),
            ),
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
        if export_jobs.runs_in_background(incident, fmt):
            job = export_jobs.export_job_start(
                incident=incident, fmt=fmt, requested_by=request.user
            )
            _answer_json(request)
            return Response(
                ExportJob(job, context={"request": request}).data,
                status=status.HTTP_202_ACCEPTED,
                headers={
                    "Location": request.build_absolute_uri(reverse("export-job", args=[job.pk])),
                    "Cache-Control": "private, no-store",
                },
            )
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
        _answer_json(self.request)
        return super().handle_exception(exc)


def _answer_json(request: Request) -> None:
    request.accepted_renderer = JSONRenderer()
    request.accepted_media_type = JSONRenderer.media_type


class ExportUnavailable(APIException):
    status_code = 503
    default_code = "export_unavailable"


# `Location` in the export's 202 names this view.
_JOB_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


class ExportJobView(APIView):
    @extend_schema(
        operation_id="exports_retrieve",
        summary="Follow a background export: status, progress, and the file's address when done",
        description="Only the person who asked for the export sees its job (404 for anyone else).",
        parameters=[_JOB_ID],
        responses={200: ExportJob},
    )
    def get(self, request: Request, id: int) -> Response:
        job = get_object_or_404(export_jobs.jobs_of_user(request.user), pk=id)
        return Response(
            ExportJob(job, context={"request": request}).data,
            headers={"Cache-Control": "private, no-store"},
        )


class _FileOrJSONError(BaseContentNegotiation):
    """The download is its file's own type whatever ``Accept`` says; its errors are JSON."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        return next(iter(parsers), None)

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


class ExportJobDownloadView(APIView):
    renderer_classes = [JSONRenderer]
    content_negotiation_class = _FileOrJSONError

    @extend_schema(
        operation_id="exports_download",
        summary="Download a background export's file",
        description=(
            "The job's file, as an attachment: PDF or HTML as the export asked. 409 "
            "(`export_not_ready`) while the job is queued or running, or when it failed; "
            "the job says which. Finished jobs are kept for a day (EXPORT_JOB_RETENTION)."
        ),
        parameters=[_JOB_ID],
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "text/html"): OpenApiTypes.STR,
            409: OpenApiResponse(description="The job has not produced a file (yet)."),
        },
    )
    def get(self, request: Request, id: int) -> HttpResponse:
        job = get_object_or_404(export_jobs.jobs_of_user(request.user), pk=id)
        if job.status != ExportJobStatus.DONE:
            raise Conflict(
                f"The export is {job.get_status_display().lower()}: no file to download. "
                "Follow the job for its progress.",
                code="export_not_ready",
                job_status=job.status,
            )
        file = export_jobs.job_file(job)
        response = HttpResponse(file.content, content_type=file.content_type)
        response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
        response["Cache-Control"] = "private, no-store"
        return response
