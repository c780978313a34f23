"""Every page and form, for anonymous visitors, viewers, editors and admins."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from postmortems.models import ActionItem, Dependency, Event, Impact, Service, Source

DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"
ROLES = ("anonymous", "viewer", "editor", "admin")
RANK = {role: index for index, role in enumerate(ROLES)}


def _any_user_pk() -> int:
    from django.contrib.auth.models import User

    return User.objects.order_by("pk").values_list("pk", flat=True).first()


def _pages() -> list[tuple[str, str, str]]:
    """(method, url, least role that may use it)."""
    service = Service.objects.get(name="DynamoDB")
    event = Event.objects.filter(incident__slug=DEMO_SLUG).first()
    impact = Impact.objects.filter(incident__slug=DEMO_SLUG).first()
    item = ActionItem.objects.filter(incident__slug=DEMO_SLUG).first()
    dependency = Dependency.objects.first()
    incident = f"/incidents/{DEMO_SLUG}"
    return [
        ("get", "/", "viewer"),
        ("get", "/services/", "viewer"),
        ("get", f"/services/{service.pk}/", "viewer"),
        ("get", f"{incident}/", "viewer"),
        ("get", f"{incident}/timeline/", "viewer"),
        ("get", f"{incident}/postmortem/", "viewer"),
        ("get", f"{incident}/postmortem/revisions/", "viewer"),
        ("get", "/actions/", "viewer"),
        ("get", f"/sources/{Source.objects.first().pk}/", "viewer"),
        ("get", "/incidents/new/", "editor"),
        ("post", "/incidents/new/", "editor"),
        ("get", f"{incident}/edit/", "editor"),
        ("post", f"{incident}/edit/", "editor"),
        ("post", f"{incident}/events/new/", "editor"),
        ("get", f"/events/{event.pk}/edit/", "editor"),
        ("post", f"/events/{event.pk}/edit/", "editor"),
        ("get", f"{incident}/impacts/new/", "editor"),
        ("post", f"{incident}/impacts/new/", "editor"),
        ("get", f"/impacts/{impact.pk}/edit/", "editor"),
        ("get", f"{incident}/actions/new/", "editor"),
        ("post", f"{incident}/actions/new/", "editor"),
        ("get", f"/actions/{item.pk}/edit/", "editor"),
        ("get", f"{incident}/postmortem/edit/", "editor"),
        ("post", f"{incident}/postmortem/edit/", "editor"),
        ("post", f"{incident}/postmortem/preview/", "editor"),
        ("post", f"{incident}/postmortem/autosave/", "editor"),
        ("post", f"{incident}/postmortem/refresh-timeline/", "editor"),
        ("post", f"{incident}/postmortem/start/", "editor"),
        ("post", f"{incident}/postmortem/submit/", "editor"),
        ("post", f"{incident}/postmortem/revisions/1/restore/", "editor"),
        ("get", "/services/new/", "admin"),
        ("post", "/services/new/", "admin"),
        ("get", f"/services/{service.pk}/edit/", "admin"),
        ("get", f"/services/{service.pk}/dependencies/new/", "admin"),
        ("post", f"/dependencies/{dependency.pk}/delete/", "admin"),
        ("get", "/users/", "admin"),
        ("post", "/users/", "admin"),
        ("post", f"/users/{_any_user_pk()}/role/", "admin"),
    ]


@pytest.fixture
def clients(viewer: User, editor: User, admin_user: User) -> dict[str, Client]:
    result = {"anonymous": Client()}
    for role, user in (("viewer", viewer), ("editor", editor), ("admin", admin_user)):
        result[role] = Client()
        result[role].force_login(user)
    return result


@pytest.mark.parametrize("role", ROLES)
def test_every_page_and_form_answers_each_role_as_its_permissions_say(
    demo: dict[str, int], clients: dict[str, Client], role: str
) -> None:
    client = clients[role]
    failures = []
    for method, url, least in _pages():
        response = getattr(client, method)(url, {})
        allowed = RANK[role] >= RANK[least]
        if role == "anonymous":
            ok = response.status_code == 302 and response["Location"].startswith("/login/")
        elif allowed:
            ok = response.status_code in {200, 302, 400, 409}
        else:
            ok = response.status_code == 403
        if not ok:
            failures.append(f"{method.upper()} {url} as {role}: {response.status_code}")
    assert not failures, failures


def test_a_viewer_sees_no_edit_controls(demo: dict[str, int], clients: dict[str, Client]) -> None:
    body = clients["viewer"].get(f"/incidents/{DEMO_SLUG}/").content.decode()
    assert "Add an event" not in body
    assert "Edit incident" not in body
    assert "+ Incident" not in body


def test_an_editor_sees_edit_controls_but_not_user_management(
    demo: dict[str, int], clients: dict[str, Client]
) -> None:
    body = clients["editor"].get(f"/incidents/{DEMO_SLUG}/").content.decode()
    assert "Add an event" in body
    assert 'href="/users/"' not in body
    assert 'href="/users/"' in clients["admin"].get("/").content.decode()
