from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import middleware as auth_middleware
from django.http import HttpRequest, HttpResponseBase

from config.views import error_page


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Send anonymous visitors to the login page, except for the API.

    The API authenticates by session or token itself and answers 401/403 in JSON; a
    redirect to an HTML login form would be useless to a script.
    """

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: list[Any],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class RefuseNulMiddleware:
    """Answer 400 to a query string holding a NUL character, before any view reads it.

    PostgreSQL cannot store or compare text containing NUL, so ``/search/?q=%00`` would
    reach the database and fail with a 500. No legitimate query contains one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if "\x00" in request.path or any(
            "\x00" in key or "\x00" in value
            for key, values in request.GET.lists()
            for value in values
        ):
            return error_page(
                request, 400, "invalid", "The address contains a NUL character; remove it."
            )
        return self.get_response(request)
