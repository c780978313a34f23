"""``Idempotency-Key`` on POST: a retried creation answers like the first one.

The key is stored with the user, method, path and a hash of the body, in the same
transaction as the creation itself. A retry with the same key and body gets the stored
status and body back (with ``Idempotent-Replayed: true``); the same key with a different
request is a 422. Only successful answers are kept: a request that failed validation may be
corrected and sent again under the same key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from postmortems.api.errors import Conflict, Unprocessable
from postmortems.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Any unique string (a UUID) to make a retried POST create one record. "
    "A retry with the same key and body replays the first answer; a different body is a 422.",
)


class _Rollback(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


def _request_hash(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str, separators=(",", ":"))
    # The query string too: ``POST /api/v1/kb/import/?merge=true`` is another request.
    target = request.get_full_path()
    return hashlib.sha256(f"{request.method} {target}\n{body}".encode()).hexdigest()


def _replay(record: IdempotencyKey, request_hash: str) -> Response:
    if record.request_hash != request_hash:
        raise Unprocessable(
            f"This {HEADER} was used for a different request; use a new key.",
            code="idempotency_key_reused",
        )
    return Response(
        record.response_body, status=record.response_status, headers={"Idempotent-Replayed": "true"}
    )


def idempotent(request: Request, create: Callable[[], Response]) -> Response:
    """Run ``create`` once per Idempotency-Key of the user; replay its answer afterwards."""
    key = request.headers.get(HEADER, "").strip()
    if not key:
        return create()
    if len(key) > MAX_KEY_LENGTH:
        raise Unprocessable(
            f"{HEADER} is longer than {MAX_KEY_LENGTH} characters.", code="idempotency_key_invalid"
        )
    request_hash = _request_hash(request)
    existing = IdempotencyKey.objects.filter(user=request.user, key=key).first()
    if existing is not None:
        return _replay(existing, request_hash)
    try:
        with transaction.atomic():
            # Inserted first: a simultaneous retry blocks on the unique index until this commits.
            record = IdempotencyKey.objects.create(
                user=request.user,
                key=key,
                method=request.method,
                path=request.path[:2000],
                request_hash=request_hash,
                response_status=0,
            )
            response = create()
            if not 200 <= response.status_code < 300:
                raise _Rollback(response)
            record.response_status = response.status_code
            record.response_body = json.loads(JSONRenderer().render(response.data) or b"null")
            record.save(update_fields=["response_status", "response_body"])
    except _Rollback as rollback:
        return rollback.response
    except IntegrityError:
        existing = IdempotencyKey.objects.filter(user=request.user, key=key).first()
        if existing is None:
            raise
        if existing.response_status == 0:
            raise Conflict(
                "A request with this Idempotency-Key is still running.",
                code="idempotency_key_in_use",
            ) from None
        return _replay(existing, request_hash)
    return response
