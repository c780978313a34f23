"""Fixtures for the fault tests: the app under gunicorn against this test's database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.faults.live import PASSWORD, Gunicorn, collectstatic, production_env
from tests.integration.test_import_worker import _database_url


@pytest.fixture(scope="session")
def static_manifest() -> None:
    """Production settings serve static files from whitenoise's manifest: build it once."""
    collectstatic(production_env("sqlite:///:memory:"))


@pytest.fixture
def demo_editor(transactional_db: None) -> dict[str, str]:
    """Load the demo (committed, so other processes see it); return the editor's credentials."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token

    from postmortems.demo import demo_load

    demo_load(password=PASSWORD)
    user = User.objects.get(username="demo")
    # The test settings hash with MD5, which the production settings gunicorn runs with
    # do not accept.
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    token, _ = Token.objects.get_or_create(user=user)
    return {"username": "demo", "password": PASSWORD, "token": token.key}


@pytest.fixture
def live_app(
    transactional_db: None, static_manifest: None, tmp_path: Path, settings
) -> Iterator[Callable[..., Gunicorn]]:
    """Start gunicorn (production settings, DEBUG off) on this test's database."""
    started: list[Gunicorn] = []

    def start(*, redis_url: str = "", workers: int = 2, threads: int = 1) -> Gunicorn:
        # The test's own key, so sessions made here with force_login are valid there.
        env = production_env(
            _database_url(), redis_url, SECURE_SSL_REDIRECT="1", SECRET_KEY=settings.SECRET_KEY
        )
        server = Gunicorn(
            env, tmp_path / f"gunicorn-{len(started)}.log", workers=workers, threads=threads
        )
        started.append(server)
        return server.start()

    try:
        yield start
    finally:
        for server in started:
            server.stop()
        for server in started:
            print(f"--- {server.log.name} (last lines) ---\n{server.tail(15)}")
