"""One error format for the whole API, and its declaration in the OpenAPI schema.

Every error answer is ``{"error": {"status", "code", "message", ...}}``: ``fields`` maps
field names to messages for a validation error, ``items`` holds one such map per item of a
bulk request, ``current`` carries the latest version of a document after a lost race.
Clients switch on ``code``; ``message`` is for people.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from postmortems.api.parsers import PayloadTooLarge


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the record."
    default_code = "conflict"

    def __init__(self, detail: str | None = None, code: str | None = None, **extra: Any) -> None:
        super().__init__(detail, code)
        self.extra = extra


class UnknownParameter(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Unknown query parameter."
    default_code = "unknown_parameter"

    def __init__(self, unknown: list[str], valid: list[str]) -> None:
        super().__init__(
            f"Unknown query parameter{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. "
            f"Valid here: {', '.join(valid)}."
        )
        self.extra = {"unknown": unknown, "valid": valid}


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The record changed since you read it (If-Match does not match its ETag)."
    default_code = "precondition_failed"

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.extra = extra


class Unprocessable(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "The request cannot be processed."
    default_code = "unprocessable"


def _flatten(detail: Any) -> Any:
    """Return DRF's ErrorDetail tree as plain strings, lists and dicts."""
    if isinstance(detail, dict):
        return {str(key): _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(value) for value in detail]
    return str(detail)


def _messages(value: Any) -> list[str]:
    flat = _flatten(value)
    if isinstance(flat, list):
        return [item if isinstance(item, str) else str(item) for item in flat]
    if isinstance(flat, dict):
        return [
            f"{key}: {message}" for key, messages in flat.items() for message in _messages(messages)
        ]
    return [flat]


def _validation_body(exc: exceptions.ValidationError) -> dict[str, Any]:
    detail = exc.detail
    body: dict[str, Any] = {"code": "invalid", "message": "The request is not valid."}
    if isinstance(detail, dict):
        fields = {key: _flatten(value) for key, value in detail.items()}
        general = fields.pop("non_field_errors", None)
        if general:
            body["message"] = " ".join(_messages(general))
        if fields:
            body["fields"] = fields
    elif isinstance(detail, list) and detail and all(isinstance(item, dict) for item in detail):
        body["message"] = "One or more items are not valid; nothing was saved."
        body["items"] = [_flatten(item) for item in detail]
    else:
        body["message"] = " ".join(_messages(detail)) or body["message"]
    return body


def _django_detail(error: DjangoValidationError) -> dict[str, list[str]] | list[str]:
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in error.message_dict.items()
        }
    return list(error.messages)


def error_response(
    status_code: int, code: str, message: str, headers: dict[str, str] | None = None, **extra: Any
) -> Response:
    """Return an error answer in the API's one format."""
    return Response(
        {"error": {"status": status_code, "code": code, "message": message, **extra}},
        status=status_code,
        headers=headers,
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's exception handler, answering in the API's one format."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, DjangoValidationError):
        # A service refused the record after its own validation (the model's fields,
        # clean() and check constraints): the same messages as the forms show.
        exc = exceptions.ValidationError(_django_detail(exc))
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        exc = Conflict("Other records still refer to this one; remove them first.", code="in_use")
    elif isinstance(exc, IntegrityError):
        # The serializers check every constraint they can; this is the race they cannot see.
        exc = Conflict("The change clashes with a record saved at the same time.", code="conflict")
    if not isinstance(exc, exceptions.APIException):
        return None

    headers: dict[str, str] = {}
    if auth_header := getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = auth_header
    if wait := getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(wait))

    if isinstance(exc, exceptions.ValidationError):
        body = _validation_body(exc)
    else:
        detail = exc.detail
        code = detail.code if isinstance(detail, exceptions.ErrorDetail) else exc.default_code
        body = {"code": str(code), "message": " ".join(_messages(detail))}
        body.update(getattr(exc, "extra", {}))
    set_rollback()
    return error_response(exc.status_code, headers=headers or None, **body)


# ----------------------------------------------------------------------- schema

ERROR_COMPONENT = {
    "type": "object",
    "description": "Every error answer of the API has this shape.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "status": {"type": "integer", "description": "The HTTP status, repeated."},
                "code": {
                    "type": "string",
                    "description": "Stable and machine-readable: invalid, not_authenticated, "
                    "authentication_failed, permission_denied, not_found, method_not_allowed, "
                    "not_acceptable, unsupported_media_type, throttled, conflict, in_use, "
                    "stale_version, read_only, invalid_transition, publish_blocked, "
                    "approval_refused, precondition_failed, too_large, unknown_parameter, "
                    "idempotency_key_reused, idempotency_key_in_use, export_not_ready, "
                    "export_unavailable.",
                },
                "message": {"type": "string", "description": "For people."},
                "fields": {
                    "type": "object",
                    "additionalProperties": {},
                    "description": "Messages per field of the request body or query.",
                },
                "items": {
                    "type": "array",
                    "items": {"type": "object", "additionalProperties": {}},
                    "description": "A bulk request: each item's messages, in order ({} if fine).",
                },
                "current": {
                    "type": "object",
                    "additionalProperties": {},
                    "description": "A lost race: the record as it is now (version and body).",
                },
                "reasons": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "publish_blocked: each reason the postmortem cannot be published.",
                },
                "unknown": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "unknown_parameter: the query parameters not understood here.",
                },
                "valid": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "unknown_parameter: the query parameters this endpoint takes.",
                },
            },
            "required": ["status", "code", "message"],
        }
    },
    "required": ["error"],
}

READ_ERRORS = {
    "400": "The request (a query parameter) is not valid.",
    "401": "Not signed in, or the token is wrong.",
    "403": "The account's role does not allow this.",
    "404": "No such record.",
    "405": "The method is not allowed here.",
    "406": "None of the accepted media types can be produced.",
    "429": "Too many requests; wait for Retry-After seconds.",
}
WRITE_ERRORS = {
    "409": "Conflicts with the current state: a stale version, a record still in use, a clash.",
    "412": "If-Match does not match the record's ETag.",
    "413": "The request body is larger than the API accepts.",
    "415": "The body's media type is not supported.",
    "422": "The Idempotency-Key was used before with a different request.",
}


def declare_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict:
    """drf-spectacular postprocessing hook: declare the error format on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_COMPONENT
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "put", "patch", "post", "delete"}:
                continue
            errors = dict(READ_ERRORS)
            if method != "get":
                errors.update(WRITE_ERRORS)
            responses = operation.setdefault("responses", {})
            for code, description in errors.items():
                responses.setdefault(code, {"description": description, "content": reference})
            # An error an operation declares itself (a 409 with only its description).
            for code, response in responses.items():
                if str(code).startswith(("4", "5")) and not response.get("content"):
                    response["content"] = reference
    return result
