"""Optimistic concurrency for incidents, events and action items, as the postmortem has.

GET of one record sends ``ETag: W/"<version>"`` and the body carries ``version``. A PUT or
PATCH may name the version it is based on, as ``version`` in the body (a stale one is 409
``stale_version``, with the record as it is now in ``error.current``) or as ``If-Match``
(a stale one is 412). Without either, the version read when the request arrived is the
base, so two requests racing on one record still cannot both land.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request
from rest_framework.response import Response

from postmortems import services
from postmortems.api.errors import Conflict, PreconditionFailed

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description='The ETag from GET, e.g. W/"3"; a mismatch is a 412.',
)


def etag(record: Any) -> str:
    """Return a record's entity tag: its version, weak because the body is rendered."""
    return f'W/"{record.version}"'


def if_match_version(request: Request) -> int | None:
    """Return the version If-Match names, None without one (or for ``*``)."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    tag = header.split(",")[0].strip().removeprefix("W/").strip('"')
    if not tag.isdigit() or not 1 <= int(tag) <= 2_147_483_647:
        raise PreconditionFailed('If-Match must be an ETag this API sent, e.g. W/"3".')
    return int(tag)


def base_version(request: Request, data: dict[str, Any]) -> tuple[int | None, bool]:
    """Take the base version out of validated data; return it and whether If-Match named it."""
    in_body = data.pop("version", None)
    in_header = if_match_version(request)
    return (in_header, True) if in_header is not None else (in_body, False)


@contextmanager
def refusing_stale(
    from_if_match: bool, current: Callable[[models.Model], dict[str, Any]]
) -> Iterator[None]:
    """Answer a save based on an old version: 412 for If-Match, 409 for a body version."""
    try:
        yield
    except services.StaleRecord as stale:
        if from_if_match:
            raise PreconditionFailed(current=current(stale.current)) from None
        raise Conflict(str(stale), code="stale_version", current=current(stale.current)) from None


class ETagMixin:
    """Send the ETag with every answer that is one versioned record."""

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        data = getattr(response, "data", None)
        if response.status_code in (200, 201) and isinstance(data, dict) and "version" in data:
            response["ETag"] = f'W/"{data["version"]}"'
        return response
