"""API test fixtures: every test starts with empty rate-limit counters."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_throttle_counters() -> None:
    from django.core.cache import caches

    cache = caches["throttle"]
    # django-redis: delete only this cache's keys; never FLUSHDB a database the broker shares.
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
    else:
        cache.clear()
