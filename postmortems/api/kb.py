"""The knowledge base as JSON over HTTP (the format of ``postmortems/exchange.py``).

``GET /api/v1/kb/export/`` (admins) is the whole knowledge base; ``GET
/api/v1/incidents/{slug}/kb-export/`` (anyone signed in) is one incident with what it
refers to; ``POST /api/v1/kb/import/`` (admins) loads a document, all of it or nothing.
They are apart from ``/incidents/{slug}/export/``, the stakeholder export (Markdown, PDF, ...).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import ParseError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from postmortems.api.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from postmortems.api.throttling import ThrottleFirstMixin
from postmortems.exchange import ExchangeError, kb_dumps, kb_export, kb_import
from postmortems.models import Incident
from postmortems.permissions import is_admin


class AdminOnly(permissions.BasePermission):
    """API: admins only, for reading as for writing."""

    message = "Only admins can export or import the whole knowledge base."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and request.user.is_authenticated and is_admin(request.user))


class ImportCounts(serializers.Serializer):
    created = serializers.DictField(child=serializers.IntegerField())
    updated = serializers.DictField(child=serializers.IntegerField())
    deleted = serializers.DictField(child=serializers.IntegerField())


class ImportResult(serializers.Serializer):
    changed = serializers.BooleanField()
    counts = ImportCounts()


def _document_response(document: dict[str, Any], filename: str) -> HttpResponse:
    # The exact bytes export_kb writes, so a file from the API and one from the command match.
    return HttpResponse(
        kb_dumps(document).encode("utf-8"),
        content_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


KB_DOCUMENT = OpenApiResponse(
    {"type": "object", "additionalProperties": {}},
    description='A cascade-kb document: {"format": "cascade-kb", "version": 1, "services": '
    '[...], "dependencies": [...], "regions": [...], "tags": [...], "sources": [...], '
    '"incidents": [...]}.',
)


MERGE_PARAMETER = OpenApiParameter(
    "merge",
    OpenApiTypes.BOOL,
    OpenApiParameter.QUERY,
    required=False,
    description="true: delete nothing. What the document's incidents hold beyond it (other "
    "events, impacts, action items, regions, tags, sources) stays, and a postmortem that "
    "already exists is kept as it is. Default false: each incident's children become "
    "exactly the document's.",
)


class KnowledgeBaseExportView(ThrottleFirstMixin, APIView):
    permission_classes = [AdminOnly]

    @extend_schema(
        operation_id="kb_export",
        summary="The whole knowledge base as one JSON document (admins)",
        responses={200: KB_DOCUMENT},
    )
    def get(self, request: Request) -> HttpResponse:
        return _document_response(kb_export(), "cascade-kb.json")


class IncidentKnowledgeBaseExportView(ThrottleFirstMixin, APIView):
    @extend_schema(
        operation_id="incidents_kb_export",
        summary="One incident, with the services, sources and dependencies it refers to",
        responses={200: KB_DOCUMENT},
    )
    def get(self, request: Request, slug: str) -> HttpResponse:
        get_object_or_404(Incident, slug=slug)
        return _document_response(kb_export(incident_slug=slug), f"{slug}.cascade-kb.json")


class KnowledgeBaseImportView(ThrottleFirstMixin, APIView):
    permission_classes = [AdminOnly]

    @extend_schema(
        operation_id="kb_import",
        summary="Import a knowledge-base document (admins): all of it or nothing",
        description="Idempotent: importing the same document again changes nothing "
        "(`changed: false`). A document that is not cascade-kb version 1, or whose records "
        "are incomplete, is a 400 and changes nothing.",
        request={"application/json": {"type": "object", "additionalProperties": {}}},
        parameters=[IDEMPOTENCY_PARAMETER, MERGE_PARAMETER],
        responses={200: ImportResult},
    )
    def post(self, request: Request) -> Response:
        return idempotent(request, lambda: self._import(request))

    def _import(self, request: Request) -> Response:
        if not isinstance(request.data, dict):
            raise ParseError("Send the document as a JSON object.")
        merge = request.query_params.get("merge", "false")
        if merge not in ("true", "false"):
            raise serializers.ValidationError({"merge": ["Must be true or false."]})
        try:
            report = kb_import(document=request.data, merge=merge == "true")
        except ExchangeError as error:
            raise serializers.ValidationError(str(error)) from None
        return Response({"changed": report.changed, "counts": report.as_dict()})
