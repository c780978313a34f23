"""Action items: a user owns them (or a name for someone outside), a tracker link, e-mails
when assigned and, once, when overdue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from postmortems.models import ActionItem
from postmortems.services import action_item_save
from postmortems.tasks import action_items_overdue_task
from tests.conftest import _user_with_role
from tests.factories import IncidentFactory

# Mail goes out when the transaction commits, so these tests commit.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def owner(db: None) -> User:
    user = _user_with_role("otto", "editor")
    user.email = "otto@example.com"
    user.save()
    return user


def _form(**fields: object) -> dict[str, object]:
    return {"title": "Add a DNS canary", "priority": "p1", "status": "open", **fields}


def test_assigning_a_user_mails_them_once_and_shows_their_name(
    editor_client: Client, owner: User
) -> None:
    incident = IncidentFactory(slug="dns", title="DNS outage")
    mail.outbox.clear()
    response = editor_client.post("/incidents/dns/actions/new/", _form(assignee=owner.pk))
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert (item.assignee, item.owner_name()) == (owner, "otto")
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["otto@example.com"], "[Cascade] Action item assigned: Add a DNS canary")
    ]
    assert "DNS outage" in mail.outbox[0].body
    # Saving again without a change of owner sends nothing.
    editor_client.post(f"/actions/{item.pk}/edit/", _form(assignee=owner.pk, priority="p2"))
    assert len(mail.outbox) == 1
    assert "otto" in editor_client.get(incident.get_absolute_url()).content.decode()


def test_someone_outside_cascade_is_a_name_and_gets_no_mail(
    editor_client: Client, owner: User
) -> None:
    IncidentFactory(slug="dns")
    editor_client.post("/incidents/dns/actions/new/", _form(owner="Vendor support"))
    assert ActionItem.objects.get().owner_name() == "Vendor support"
    assert mail.outbox == []


def test_a_user_and_a_name_together_are_refused(editor_client: Client, owner: User) -> None:
    IncidentFactory(slug="dns")
    response = editor_client.post(
        "/incidents/dns/actions/new/", _form(assignee=owner.pk, owner="Vendor")
    )
    assert response.status_code == 400
    assert "Choose a user or type a name, not both." in response.content.decode()
    assert not ActionItem.objects.exists()


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://tracker.example/1"])
def test_a_tracker_link_must_be_http_or_https(editor_client: Client, db: None, link: str) -> None:
    IncidentFactory(slug="dns")
    response = editor_client.post("/incidents/dns/actions/new/", _form(link=link))
    assert response.status_code == 400
    assert not ActionItem.objects.exists()


def test_a_tracker_link_is_kept_and_shown(editor_client: Client, db: None) -> None:
    IncidentFactory(slug="dns")
    editor_client.post("/incidents/dns/actions/new/", _form(link="https://tracker.example/OPS-12"))
    assert ActionItem.objects.get().link == "https://tracker.example/OPS-12"
    assert (
        'href="https://tracker.example/OPS-12"' in editor_client.get("/actions/").content.decode()
    )


def test_an_overdue_item_mails_its_owner_once_however_often_the_job_runs(owner: User) -> None:
    incident = IncidentFactory()
    late = timezone.localdate() - timedelta(days=2)
    item = action_item_save(data={"incident": incident, "title": "Late", "due_date": late})
    action_item_save(data={"assignee": owner}, item=item)
    action_item_save(
        data={"incident": incident, "title": "Free text", "owner": "x", "due_date": late}
    )
    mail.outbox.clear()
    assert action_items_overdue_task.apply().get() == 2
    assert action_items_overdue_task.apply().get() == 2
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["otto@example.com"], "[Cascade] Action item overdue: Late")
    ]
    # A new due date that passes too is worth telling again.
    action_item_save(
        data={"due_date": late + timedelta(days=1)}, item=ActionItem.objects.get(pk=item.pk)
    )
    action_items_overdue_task.apply().get()
    assert len(mail.outbox) == 2


def test_the_api_assigns_by_username_and_mails_the_owner(editor: User, owner: User) -> None:
    IncidentFactory(slug="dns")
    api = APIClient()
    api.force_authenticate(editor)
    mail.outbox.clear()
    response = api.post(
        "/api/v1/action-items/",
        {"incident": "dns", "title": "Canary", "assignee": "otto"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["assignee"] == "otto"
    assert [m.to for m in mail.outbox] == [["otto@example.com"]]
    unknown = api.post(
        "/api/v1/action-items/",
        {"incident": "dns", "title": "Canary", "assignee": "nobody"},
        format="json",
    )
    assert unknown.status_code == 400


def test_the_action_items_page_reads_a_fixed_number_of_queries_with_owners(
    viewer_client: Client, owner: User, django_assert_max_num_queries: object
) -> None:
    incident = IncidentFactory()
    for n in range(15):
        action_item_save(
            data={"incident": incident, "title": f"Item {n}", "assignee": owner if n % 2 else None}
        )
    with django_assert_max_num_queries(8):
        page = viewer_client.get("/actions/").content.decode()
    assert page.count(">otto<") == 7
