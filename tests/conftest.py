"""Shared fixtures, and the switches for tests that need real services.

Tests marked ``postgres``, ``redis``, ``browser`` or ``pdf`` skip with a clear reason where that
service is missing. With ``CASCADE_STRICT=1`` (CI sets it) every skip is a failure, so
nothing goes untested without someone noticing.
"""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # Django is imported lazily so the pure-core tests also run without it.
    from django.contrib.auth.models import Group, User
    from django.test import Client

STRICT = os.environ.get("CASCADE_STRICT", "") == "1"
CHROMIUM = os.environ.get("CASCADE_CHROMIUM", "/usr/bin/chromium")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if STRICT and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"CASCADE_STRICT=1 turns this skip into a failure: {reason}"


@pytest.fixture(autouse=True)
def _service_requirements(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("postgres") and _database_vendor() != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test")
    if request.node.get_closest_marker("redis") and not os.environ.get("REDIS_URL"):
        pytest.skip("needs Redis and a Celery worker: set REDIS_URL=redis://127.0.0.1:6379/0")
    if request.node.get_closest_marker("pdf") and (reason := _pdf_missing()):
        pytest.skip(reason)
    if request.node.get_closest_marker("browser") and not (
        shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)
    ):
        pytest.skip(f"needs headless Chromium at {CHROMIUM} (apt-get install chromium)")


@functools.cache
def _pdf_missing() -> str:
    """Return why PDFs cannot be rendered here, or an empty string when they can."""
    try:
        import weasyprint  # noqa: F401 - loading it loads Pango
    except (ImportError, OSError) as error:
        return (
            "needs the Pango library for the PDF export "
            f"(apt-get install libpango-1.0-0 libpangoft2-1.0-0): {error}"
        )
    return ""


def _database_vendor() -> str:
    from django.db import connection

    return connection.vendor


@pytest.fixture
def demo(db: None, settings) -> dict[str, int]:
    """Load the demo knowledge base."""
    from postmortems.demo import demo_load

    settings.DEBUG = True
    return demo_load()


def _user_with_role(username: str, role: str | None, *, superuser: bool = False) -> User:
    from django.contrib.auth.models import User

    from postmortems.services import roles_ensure

    groups = roles_ensure()
    user = User.objects.create_user(username=username, password="pw-" + username)
    if superuser:
        user.is_staff = user.is_superuser = True
        user.save()
    if role:
        user.groups.add(groups[role])
    return user


@pytest.fixture
def viewer(db: None) -> User:
    return _user_with_role("vera", "viewer")


@pytest.fixture
def editor(db: None) -> User:
    return _user_with_role("eddie", "editor")


@pytest.fixture
def admin_user(db: None) -> User:
    return _user_with_role("ada", "admin", superuser=True)


@pytest.fixture
def viewer_client(viewer: User) -> Client:
    from django.test import Client

    client = Client()
    client.force_login(viewer)
    return client


@pytest.fixture
def editor_client(editor: User) -> Client:
    from django.test import Client

    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def role_groups(db: None) -> dict[str, Group]:
    from postmortems.services import roles_ensure

    return roles_ensure()


@pytest.fixture
def editor_api(editor: User):
    """An API client signed in as an editor."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(editor)
    return client


@pytest.fixture
def admin_api(admin_user: User):
    """An API client signed in as an admin."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(admin_user)
    return client
