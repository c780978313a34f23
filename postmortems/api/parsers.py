"""The API's JSON parser: DRF's, with the two bodies that would otherwise be a 500 or go
unbounded refused in the API's error format.

A body of 100,000 ``[`` makes the standard library's decoder recurse until Python raises
RecursionError (a 500); a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is read whole
by DRF's parser, which never looks at that limit (Django checks it only for ``request.body``
and form data).
"""

from __future__ import annotations

import io
from typing import IO, Any

from django.conf import settings
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"

    def __init__(self) -> None:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        super().__init__(f"The request body is larger than the {limit:,} bytes the API accepts.")


class BoundedJSONParser(JSONParser):
    def parse(
        self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None
    ) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None:
            body = stream.read(limit + 1)
            if len(body) > limit:
                raise PayloadTooLarge()
            stream = io.BytesIO(body)
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(
                "JSON parse error - the body is nested too deeply."
            ) from None
