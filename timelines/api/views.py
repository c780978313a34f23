from __future__ import annotations

import gzip
import re

from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from postmortems import generation
from postmortems.api.renderers import FastJSONRenderer
from postmortems.collector import gc_paused
from timelines import payloads, refresh, selectors
from timelines.api import serializers

# Part of every key: change it when the answer's shape changes, so an answer cached by
# the code before a deploy is not served by the code after it.
ANSWER_FORMAT = "timeline-json-1"
# Bounds how long an answer outlives a bump lost to a crash between commit and bump.
ANSWER_TTL_SECONDS = 3600


# Level 6, as Django's GZipMiddleware: 8.3 MB -> 0.6 MB at 10k events, in about 60 ms,
# paid once per incident and generation rather than on every request.
GZIP_LEVEL = 6
_accepts_gzip = re.compile(r"\bgzip\b")


def timeline_json(
    slug: str, renderer: FastJSONRenderer, stamp: int | None, *, gzipped: bool = False
) -> bytes:
    """Return the timeline answer's JSON, from the "timelines" cache when it is current.

    ``stamp`` is ``generation.current()``, taken before any row the answer is built from
    was read. The cached bytes are exactly what the renderer wrote from
    ``timeline_payload`` of the same rows (see ``postmortems.generation`` for why they are
    current); a miss builds them the same way. ``gzipped`` (only with a stamp) returns
    them compressed, kept in the cache too. A missing incident raises Http404 before
    anything is cached.
    """
    # One entry per incident, holding the generation it was built at: a newer answer
    # replaces it, rather than each write leaving 8 MB behind until it expires.
    key = f"{ANSWER_FORMAT}:{slug}"
    cache = caches["timelines"]
    if gzipped and (compressed := _current(cache.get(f"{key}:gzip"), stamp)) is not None:
        return compressed
    body = _current(cache.get(key), stamp)
    if body is None:
        timeline = selectors.incident_timeline(slug, stamp=stamp)
        body = renderer.render(payloads.timeline_payload(timeline))
        if stamp is not None:
            cache.set(key, (stamp, body), ANSWER_TTL_SECONDS)
    if not gzipped:
        return body
    compressed = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
    cache.set(f"{key}:gzip", (stamp, compressed), ANSWER_TTL_SECONDS)
    return compressed


def _current(entry: tuple[int, bytes] | None, stamp: int | None) -> bytes | None:
    """Return a cached answer's bytes if they were built at this generation."""
    if stamp is None or entry is None or entry[0] != stamp:
        return None
    return entry[1]


class IncidentTimelineView(APIView):
    @extend_schema(responses=serializers.Timeline, summary="An incident's reconstructed timeline")
    def get(self, request: Request, slug: str) -> HttpResponse:
        with gc_paused():
            renderer = request.accepted_renderer
            if not (
                isinstance(renderer, FastJSONRenderer)
                and renderer.writes_plain_json(request.accepted_media_type)
            ):
                return Response(payloads.timeline_payload(selectors.incident_timeline(slug)))
            stamp = generation.current()  # before anything else is read
            gzipped = stamp is not None and bool(
                _accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
            )
            # Already JSON, exactly as the renderer writes it: answered as they are rather
            # than handed to the renderer again (a copy and a scan of 8 MB). Compressed, it
            # is compressed once and kept: compressing 8 MB on every request would cost
            # more than answering it (bench/README.md, issue 15).
            response = HttpResponse(
                timeline_json(slug, renderer, stamp, gzipped=gzipped),
                content_type=renderer.media_type,
            )
            refresh.note_read(slug, refresh.GZIP if gzipped else refresh.JSON)
            if gzipped:
                response.headers["Content-Encoding"] = "gzip"
            patch_vary_headers(response, ("Accept-Encoding",))
            return response


class IncidentCascadeView(APIView):
    @extend_schema(responses=serializers.Cascade, summary="How an incident's failure cascaded")
    def get(self, request: Request, slug: str) -> Response:
        with gc_paused():
            return Response(payloads.cascade_payload(selectors.incident_timeline(slug)))
