from __future__ import annotations

import orjson
from django.core.cache import caches
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from postmortems.api.renderers import FastJSONRenderer
from postmortems.fastpath import gc_paused
from timelines import generation, payloads, selectors
from timelines.api import serializers

# Part of every key: change it when the answer's shape changes, so an answer cached by
# the code before a deploy is not served by the code after it.
ANSWER_FORMAT = "timeline-json-1"
# Bounds how long an answer outlives a bump lost to a crash between commit and bump.
ANSWER_TTL_SECONDS = 3600


def _timeline_json(slug: str, renderer: FastJSONRenderer) -> bytes:
    """Return the timeline answer's JSON, from the "timelines" cache when it is current.

    The cached bytes are exactly what the renderer wrote from ``timeline_payload`` of the
    same rows (see ``timelines.generation`` for why they are current); a miss builds them
    the same way. A missing incident raises Http404 before anything is cached.
    """
    stamp = generation.current()  # before any row the answer is built from is read
    key = f"{ANSWER_FORMAT}:{stamp}:{slug}"
    cache = caches["timelines"]
    if stamp is not None and (cached := cache.get(key)) is not None:
        return cached  # type: ignore[no-any-return]
    body = renderer.render(payloads.timeline_payload(selectors.incident_timeline(slug)))
    if stamp is not None:
        cache.set(key, body, ANSWER_TTL_SECONDS)
    return body


class IncidentTimelineView(APIView):
    @extend_schema(responses=serializers.Timeline, summary="An incident's reconstructed timeline")
    def get(self, request: Request, slug: str) -> Response:
        with gc_paused():
            renderer = request.accepted_renderer
            if isinstance(renderer, FastJSONRenderer) and renderer.writes_plain_json(
                request.accepted_media_type
            ):
                # Already JSON: the renderer copies the bytes into its answer as they are.
                return Response(orjson.Fragment(_timeline_json(slug, renderer)))
            return Response(payloads.timeline_payload(selectors.incident_timeline(slug)))


class IncidentCascadeView(APIView):
    @extend_schema(responses=serializers.Cascade, summary="How an incident's failure cascaded")
    def get(self, request: Request, slug: str) -> Response:
        with gc_paused():
            return Response(payloads.cascade_payload(selectors.incident_timeline(slug)))
