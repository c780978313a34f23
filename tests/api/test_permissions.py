"""The permission matrix: every endpoint and method, for anonymous, viewer, editor and admin.

Roles are the UI's: any signed-in user reads; editors write the knowledge base; admins
also write the service catalogue and export or import the whole knowledge base.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from postmortems.models import ActionItem, Dependency, Event, Impact, Service, Source
from tests.conftest import _user_with_role

SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"
ROLES = ("anonymous", "viewer", "editor", "admin")
READ = {"anonymous": 401, "viewer": 200, "editor": 200, "admin": 200}


def _write(success: int, *, minimum: str) -> dict[str, int]:
    allowed = ROLES[ROLES.index(minimum) :]
    return {
        role: success if role in allowed else (401 if role == "anonymous" else 403)
        for role in ROLES
    }


EDIT = {"success": 0, "minimum": "editor"}


@dataclass(frozen=True)
class Case:
    method: str
    url: Callable[[], str]
    expected: dict[str, int]
    body: Callable[[], Any] | None = None

    def __str__(self) -> str:
        return f"{self.method} {self.url.__doc__ or ''}"


def _first(model: type) -> int:
    return model.objects.order_by("pk").values_list("pk", flat=True)[0]


def _service_id(name: str) -> int:
    return Service.objects.get(name=name).pk


def _event_body() -> dict[str, Any]:
    return {"occurred_at": "2025-10-20T07:00:00Z", "title": "Probe", "kind": "note"}


CASES: list[tuple[str, str, Callable[[], str], dict[str, int], Callable[[], Any] | None]] = [
    ("root", "get", lambda: "/api/v1/", READ, None),
    ("schema", "get", lambda: "/api/v1/schema/", READ, None),
    ("docs", "get", lambda: "/api/v1/docs/", READ, None),
    ("incident list", "get", lambda: "/api/v1/incidents/", READ, None),
    ("incident detail", "get", lambda: f"/api/v1/incidents/{SLUG}/", READ, None),
    (
        "incident create",
        "post",
        lambda: "/api/v1/incidents/",
        _write(201, minimum="editor"),
        lambda: {"title": "Probe outage", "regions": ["eu-west-1"], "tags": ["probe"]},
    ),
    (
        "incident update",
        "patch",
        lambda: f"/api/v1/incidents/{SLUG}/",
        _write(200, minimum="editor"),
        lambda: {"summary": "Changed."},
    ),
    (
        "incident delete",
        "delete",
        lambda: f"/api/v1/incidents/{SLUG}/",
        _write(204, minimum="editor"),
        None,
    ),
    ("incident events", "get", lambda: f"/api/v1/incidents/{SLUG}/events/", READ, None),
    (
        "incident events bulk create",
        "post",
        lambda: f"/api/v1/incidents/{SLUG}/events/",
        _write(201, minimum="editor"),
        lambda: [_event_body(), {**_event_body(), "title": "Probe 2"}],
    ),
    ("incident kb-export", "get", lambda: f"/api/v1/incidents/{SLUG}/kb-export/", READ, None),
    ("incident timeline", "get", lambda: f"/api/v1/incidents/{SLUG}/timeline/", READ, None),
    ("event list", "get", lambda: "/api/v1/events/", READ, None),
    ("event detail", "get", lambda: f"/api/v1/events/{_first(Event)}/", READ, None),
    (
        "event create",
        "post",
        lambda: "/api/v1/events/",
        _write(201, minimum="editor"),
        lambda: {**_event_body(), "incident": SLUG},
    ),
    (
        "event update",
        "patch",
        lambda: f"/api/v1/events/{_first(Event)}/",
        _write(200, minimum="editor"),
        lambda: {"title": "Renamed"},
    ),
    (
        "event review",
        "post",
        lambda: f"/api/v1/events/{_first(Event)}/review/",
        _write(200, minimum="editor"),
        lambda: {"state": "rejected", "note": "duplicate"},
    ),
    (
        "event delete",
        "delete",
        lambda: f"/api/v1/events/{_first(Event)}/",
        _write(204, minimum="editor"),
        None,
    ),
    ("service list", "get", lambda: "/api/v1/services/", READ, None),
    ("service detail", "get", lambda: f"/api/v1/services/{_first(Service)}/", READ, None),
    (
        "service create",
        "post",
        lambda: "/api/v1/services/",
        _write(201, minimum="admin"),
        lambda: {"name": "Probe", "provider": "ACME", "category": "compute", "aliases": ["P"]},
    ),
    (
        "service update",
        "patch",
        lambda: f"/api/v1/services/{_first(Service)}/",
        _write(200, minimum="admin"),
        lambda: {"description": "Changed."},
    ),
    (
        "service delete (unused)",
        "delete",
        lambda: f"/api/v1/services/{Service.objects.create(name='Spare', provider='ACME').pk}/",
        _write(204, minimum="admin"),
        None,
    ),
    ("dependency list", "get", lambda: "/api/v1/dependencies/", READ, None),
    ("dependency detail", "get", lambda: f"/api/v1/dependencies/{_first(Dependency)}/", READ, None),
    (
        "dependency create",
        "post",
        lambda: "/api/v1/dependencies/",
        _write(201, minimum="admin"),
        lambda: {"downstream": _service_id("DynamoDB"), "upstream": _service_id("Lambda")},
    ),
    (
        "dependency update",
        "patch",
        lambda: f"/api/v1/dependencies/{_first(Dependency)}/",
        _write(200, minimum="admin"),
        lambda: {"kind": "soft"},
    ),
    (
        "dependency delete",
        "delete",
        lambda: f"/api/v1/dependencies/{_first(Dependency)}/",
        _write(204, minimum="admin"),
        None,
    ),
    ("impact list", "get", lambda: "/api/v1/impacts/", READ, None),
    ("impact detail", "get", lambda: f"/api/v1/impacts/{_first(Impact)}/", READ, None),
    (
        "impact create",
        "post",
        lambda: "/api/v1/impacts/",
        _write(201, minimum="editor"),
        lambda: {
            "incident": SLUG,
            "service": _service_id("DynamoDB"),
            "started_at": "2025-10-21T00:00:00Z",
        },
    ),
    (
        "impact update",
        "patch",
        lambda: f"/api/v1/impacts/{_first(Impact)}/",
        _write(200, minimum="editor"),
        lambda: {"note": "Changed."},
    ),
    (
        "impact delete",
        "delete",
        lambda: f"/api/v1/impacts/{_first(Impact)}/",
        _write(204, minimum="editor"),
        None,
    ),
    ("source list", "get", lambda: "/api/v1/sources/", READ, None),
    ("source detail", "get", lambda: f"/api/v1/sources/{_first(Source)}/", READ, None),
    (
        "source create (read-only resource)",
        "post",
        lambda: "/api/v1/sources/",
        {"anonymous": 401, "viewer": 403, "editor": 405, "admin": 405},
        lambda: {"title": "x"},
    ),
    ("action item list", "get", lambda: "/api/v1/action-items/", READ, None),
    (
        "action item detail",
        "get",
        lambda: f"/api/v1/action-items/{_first(ActionItem)}/",
        READ,
        None,
    ),
    (
        "action item create",
        "post",
        lambda: "/api/v1/action-items/",
        _write(201, minimum="editor"),
        lambda: {"incident": SLUG, "title": "Probe the probes"},
    ),
    (
        "action item update",
        "patch",
        lambda: f"/api/v1/action-items/{_first(ActionItem)}/",
        _write(200, minimum="editor"),
        lambda: {"status": "done"},
    ),
    (
        "action item delete",
        "delete",
        lambda: f"/api/v1/action-items/{_first(ActionItem)}/",
        _write(204, minimum="editor"),
        None,
    ),
    ("postmortem", "get", lambda: f"/api/v1/incidents/{SLUG}/postmortem/", READ, None),
    (
        "postmortem save",
        "put",
        lambda: f"/api/v1/incidents/{SLUG}/postmortem/",
        _write(200, minimum="editor"),
        lambda: {"body": "# New", "version": 1},
    ),
    (
        "postmortem revisions",
        "get",
        lambda: f"/api/v1/incidents/{SLUG}/postmortem/revisions/",
        READ,
        None,
    ),
    (
        "postmortem restore",
        "post",
        lambda: f"/api/v1/incidents/{SLUG}/postmortem/revisions/1/restore/",
        _write(200, minimum="editor"),
        None,
    ),
    (
        "postmortem submit",
        "post",
        lambda: f"/api/v1/incidents/{SLUG}/postmortem/submit/",
        _write(200, minimum="editor"),
        None,
    ),
    ("import list", "get", lambda: "/api/v1/imports/", READ, None),
    (
        "import submit",
        "post",
        lambda: "/api/v1/imports/",
        {"anonymous": 401, "viewer": 403, "editor": 201, "admin": 201},
        lambda: {"text": "At 10:00 UTC DynamoDB failed.", "incident": SLUG},
    ),
    (
        "knowledge base export",
        "get",
        lambda: "/api/v1/kb/export/",
        {"anonymous": 401, "viewer": 403, "editor": 403, "admin": 200},
        None,
    ),
    (
        "knowledge base import",
        "post",
        lambda: "/api/v1/kb/import/",
        _write(200, minimum="admin"),
        lambda: {
            "format": "cascade-kb",
            "version": 1,
            "services": [],
            "dependencies": [],
            "regions": [],
            "tags": [],
            "sources": [],
            "incidents": [],
        },
    ),
]


@pytest.fixture
def client_for(demo: dict[str, int], settings) -> Callable[[str], APIClient]:
    settings.CELERY_TASK_ALWAYS_EAGER = False  # the import case only needs the row
    from postmortems.models import Incident
    from postmortems.services import postmortem_start

    users: dict[str, User] = {
        "viewer": _user_with_role("vera", "viewer"),
        "editor": _user_with_role("eddie", "editor"),
        "admin": _user_with_role("ada", "admin"),
    }
    postmortem_start(incident=Incident.objects.get(slug=SLUG), author=users["editor"])

    def make(role: str) -> APIClient:
        client = APIClient()
        if role != "anonymous":
            client.force_authenticate(users[role])
        return client

    return make


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "url", "expected", "body"),
    CASES,
    ids=[case[0] for case in CASES],
)
def test_permission_matrix(
    client_for: Callable[[str], APIClient],
    role: str,
    name: str,
    method: str,
    url: Callable[[], str],
    expected: dict[str, int],
    body: Callable[[], Any] | None,
) -> None:
    client = client_for(role)
    kwargs: dict[str, Any] = {"format": "json"}
    if body is not None:
        kwargs["data"] = body()
    response = getattr(client, method)(url(), **kwargs)
    assert response.status_code == expected[role], response.content[:400]
    if response.status_code in (401, 403, 405):
        assert response.data["error"]["status"] == response.status_code
