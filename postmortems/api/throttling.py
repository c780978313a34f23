"""Rate limits per client, read from settings on every request so tests can change them."""

from __future__ import annotations

from typing import Any

from django.core.cache import BaseCache, caches
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

# Its own cache alias: shared by every web process (Redis) in production, and never a 500
# when that cache is down (see CACHES in config/settings/base.py).
THROTTLE_CACHE = "throttle"


class _LiveRate:
    @property
    def cache(self) -> BaseCache:
        return caches[THROTTLE_CACHE]

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_LiveRate, AnonRateThrottle):
    """Anonymous clients, by address."""


class UserThrottle(_LiveRate, UserRateThrottle):
    """Signed-in clients, by account."""


class ThrottleFirstMixin:
    """Check rate limits before permissions, so anonymous floods are limited too.

    DRF checks permissions first, and a request without credentials ends there with a 401
    that no throttle ever counts. This is DRF's ``APIView.initial`` with the order changed.
    """

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.format_kwarg = self.get_format_suffix(**kwargs)
        negotiated = self.perform_content_negotiation(request)
        request.accepted_renderer, request.accepted_media_type = negotiated
        version, scheme = self.determine_version(request, *args, **kwargs)
        request.version, request.versioning_scheme = version, scheme
        self.check_throttles(request)
        self.perform_authentication(request)
        self.check_permissions(request)
