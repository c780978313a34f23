"""Views that belong to the deployment rather than to an app: health and error pages."""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
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


def server_error(request: HttpRequest) -> HttpResponse:
    """Answer 503 with a message when the database is the trouble, 500 otherwise."""
    error = sys.exc_info()[1]
    database_down = isinstance(error, (OperationalError, InterfaceError))
    status = 503 if database_down else 500
    message = (
        DATABASE_DOWN if database_down else "Something went wrong on our side. It has been logged."
    )
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "error": {
                    "status": status,
                    "code": "unavailable" if database_down else "server_error",
                    "message": message,
                }
            },
            status=status,
            headers={"Retry-After": "5"} if database_down else None,
        )
    # A plain template rendered without the request: the base layout and the context
    # processors (the user's roles, the session) would query the database that is down.
    response = HttpResponse(
        loader.render_to_string("error.html", {"status": status, "message": message}),
        status=status,
    )
    if database_down:
        response["Retry-After"] = "5"
    return response
