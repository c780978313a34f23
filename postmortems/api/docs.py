"""The API's root, and its browsable documentation served without any CDN.

Swagger UI and Redoc come from ``drf-spectacular-sidecar``; their files are served from
the installed package under ``/api/v1/docs/assets/`` (SPECTACULAR_SETTINGS points there),
so the docs work offline and no app has to be added to INSTALLED_APPS.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Any

import drf_spectacular_sidecar
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch
from django.views.decorators.cache import cache_control
from django.views.static import serve
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.routers import APIRootView
from rest_framework.views import APIView

from postmortems.api.throttling import ThrottleFirstMixin

ASSETS = Path(drf_spectacular_sidecar.__file__).parent / "static" / "drf_spectacular_sidecar"

# Endpoints outside the router, listed on the root when they exist (others build some).
EXTRA_ENDPOINTS = {
    "kb-export": "kb-export",
    "kb-import": "kb-import",
    "share-links": "sharelink-list",
    "schema": "schema",
    "docs": "docs",
    "redoc": "redoc",
}


@cache_control(public=True, max_age=86_400)
def docs_asset(request: HttpRequest, path: str) -> HttpResponse:
    """Return one file of Swagger UI or Redoc."""
    return serve(request, path, document_root=str(ASSETS))


class CascadeAPIRootView(ThrottleFirstMixin, APIRootView):
    """The Cascade API: every resource, the OpenAPI schema and its documentation."""

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().get(request, *args, **kwargs)
        extra = OrderedDict(response.data)
        for label, name in EXTRA_ENDPOINTS.items():
            try:
                extra[label] = reverse(name, request=request, format=kwargs.get("format"))
            except NoReverseMatch:
                continue
        response.data = extra
        return response


@extend_schema(exclude=True)
class NotFoundView(ThrottleFirstMixin, APIView):
    """Any other path under /api/v1/: a 404 in the API's error format, not an HTML page."""

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise NotFound("No such endpoint; see /api/v1/ for the list.")

    post = put = patch = delete = get
