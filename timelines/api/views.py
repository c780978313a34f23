from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from postmortems.fastpath import gc_paused
from timelines import payloads, selectors
from timelines.api import serializers


class IncidentTimelineView(APIView):
    @extend_schema(responses=serializers.Timeline, summary="An incident's reconstructed timeline")
    def get(self, request: Request, slug: str) -> Response:
        with gc_paused():
            return Response(payloads.timeline_payload(selectors.incident_timeline(slug)))


class IncidentCascadeView(APIView):
    @extend_schema(responses=serializers.Cascade, summary="How an incident's failure cascaded")
    def get(self, request: Request, slug: str) -> Response:
        with gc_paused():
            return Response(payloads.cascade_payload(selectors.incident_timeline(slug)))
