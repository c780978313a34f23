"""Rate limits: a 429 in the error format, and never a 500 when the shared cache is down."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient


@pytest.fixture
def tight_limits(settings) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "3/min"},
    }


def test_anonymous_clients_are_throttled_with_retry_after(db: None, tight_limits: None) -> None:
    client = APIClient()
    statuses = [client.get("/api/v1/incidents/").status_code for _ in range(3)]
    assert statuses == [401, 401, 429]
    response = client.get("/api/v1/incidents/")
    assert response.json()["error"]["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_signed_in_clients_have_their_own_higher_limit(viewer: User, tight_limits: None) -> None:
    client = APIClient()
    client.force_authenticate(viewer)
    statuses = [client.get("/api/v1/incidents/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_a_dead_redis_skips_throttling_instead_of_failing(
    viewer: User, tight_limits: None, settings
) -> None:
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.1},
        },
    }
    client = APIClient()
    client.force_authenticate(viewer)
    statuses = [client.get("/api/v1/incidents/").status_code for _ in range(5)]
    assert statuses == [200] * 5


def test_production_throttle_cache_is_redis_that_ignores_outages() -> None:
    import os
    import subprocess
    import sys

    code = (
        "from django.conf import settings; import json; "
        "print(json.dumps(settings.CACHES['throttle']))"
    )
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/0", "DEBUG": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert '"django_redis.cache.RedisCache"' in out
    assert '"IGNORE_EXCEPTIONS": true' in out
