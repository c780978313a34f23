"""Views that belong to the deployment rather than to an app: health and error pages."""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

DATABASE_DOWN = (
    "The database is unavailable right now. Nothing was lost; please try again in a moment."
)


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return f"error: {error.__class__.__name__}"
    return "ok"


def _broker_status() -> str:
    if not settings.REDIS_URL:
        return "not configured (tasks run in-process)"
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:
        return f"error: {error.__class__.__name__}"
    return "ok"


@login_not_required
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Report the database and the broker separately; 503 only when the database is down.

    The broker being down degrades background work but not the app: imports queue up
    and are dispatched when it returns.
    """
    database, broker = _database_status(), _broker_status()
    status = 200 if database == "ok" else 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "degraded", "database": database, "broker": broker},
        status=status,
    )


def api_error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JsonResponse:
    """Return an error in the API's one format, from outside DRF (middleware, handlers)."""
    return JsonResponse(
        {"error": {"status": status, "code": code, "message": message}},
        status=status,
        headers=headers,
    )


def error_page(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """Return an error as the API's JSON under /api/, else as a plain page with the message."""
    if request.path.startswith("/api/"):
        return api_error(status, code, message, headers=headers)
    # A plain template rendered without the request: the base layout and the context
    # processors (the user's roles, the session) would query the database, maybe down.
    return HttpResponse(
        loader.render_to_string("error.html", {"status": status, "message": message}),
        status=status,
        headers=headers,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Answer a request Django refused (too large, malformed) with what is wrong."""
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        message = f"The request is larger than the {limit:,} bytes this site accepts."
        return error_page(request, 413, "too_large", message)
    return error_page(request, 400, "invalid", "The request is malformed and was not processed.")


def server_error(request: HttpRequest) -> HttpResponse:
    """Answer 503 with a message when the database is the trouble, 500 otherwise."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        return error_page(request, 503, "unavailable", DATABASE_DOWN, headers={"Retry-After": "5"})
    message = "Something went wrong on our side. It has been logged."
    return error_page(request, 500, "server_error", message)


def locked_out(
    request: HttpRequest, response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """Answer a sign-in while its account and address are locked out (django-axes): 429.

    The login page again, saying why and for how long, rather than "wrong password":
    the person at the keyboard may be the account's owner, who deserves to know.
    """
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = (
        f"Too many failed sign-ins. Signing in to this account from your address is paused "
        f"for {minutes} minutes; try again later, or ask an admin to lift the lock."
    )
    if request.path.startswith("/api/"):
        return api_error(429, "locked_out", message, headers={"Retry-After": str(minutes * 60)})
    form = AuthenticationForm(request, initial={"username": (credentials or {}).get("username")})
    page = render(
        request,
        "registration/login.html",
        {"form": form, "locked_out": message, "next": request.POST.get("next", "")},
        status=429,
    )
    page["Retry-After"] = str(minutes * 60)
    return page
