from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import middleware as auth_middleware
from django.http import HttpRequest, HttpResponseBase


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
