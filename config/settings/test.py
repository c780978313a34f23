"""Settings for the test suite: the base settings with fast hashing and a fixed key.

DATABASE_URL and REDIS_URL still come from the environment, so the same suite runs on
SQLite with in-process tasks or on PostgreSQL with a real broker.
"""

from __future__ import annotations

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")

from config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_EAGER_PROPAGATES = True
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # no collectstatic in tests
