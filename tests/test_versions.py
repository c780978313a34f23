"""Last write no longer wins: incidents, events and action items carry a version, in the
API (body version: 409, If-Match: 412, ETag on GET) and in the forms (409 with the text kept)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from postmortems.models import ActionItem, Event, Incident

SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"


def _action_item() -> ActionItem:
    return ActionItem.objects.filter(incident__slug=SLUG).order_by("id").first()


def _event() -> Event:
    return Event.objects.filter(incident__slug=SLUG).order_by("id").first()


@pytest.fixture
def records(demo: dict[str, int]) -> dict[str, str]:
    """The API address of one record of each versioned kind, and a harmless change to it."""
    return {
        f"/api/v1/incidents/{SLUG}/": {"summary": "changed"},
        f"/api/v1/events/{_event().pk}/": {"description": "changed"},
        f"/api/v1/action-items/{_action_item().pk}/": {"owner": "changed"},
    }


def test_get_sends_the_version_as_etag(records: dict, editor_api: APIClient) -> None:
    for url in records:
        response = editor_api.get(url)
        assert response.status_code == 200
        assert response["ETag"] == f'W/"{response.json()["version"]}"'


def test_a_change_based_on_an_old_version_is_a_409_with_the_current_record(
    records: dict, editor_api: APIClient
) -> None:
    for url, change in records.items():
        version = editor_api.get(url).json()["version"]
        first = editor_api.patch(url, {**change, "version": version}, format="json")
        assert first.status_code == 200, first.content
        assert first.json()["version"] == version + 1
        assert first["ETag"] == f'W/"{version + 1}"'
        stale = editor_api.patch(url, {**change, "version": version}, format="json")
        assert stale.status_code == 409, url
        error = stale.json()["error"]
        assert error["code"] == "stale_version"
        assert error["current"]["version"] == version + 1


def test_if_match_that_no_longer_matches_is_a_412(records: dict, editor_api: APIClient) -> None:
    for url, change in records.items():
        etag = editor_api.get(url)["ETag"]
        assert editor_api.patch(url, change, format="json", HTTP_IF_MATCH=etag).status_code == 200
        late = editor_api.patch(url, change, format="json", HTTP_IF_MATCH=etag)
        assert late.status_code == 412, url
        assert late.json()["error"]["code"] == "precondition_failed"


def test_a_review_decision_makes_an_earlier_edit_stale(
    demo: dict[str, int], editor_api: APIClient
) -> None:
    event = _event()
    url = f"/api/v1/events/{event.pk}/"
    version = editor_api.get(url).json()["version"]
    assert editor_api.post(f"{url}review/", {"state": "rejected"}, format="json").status_code == 200
    stale = editor_api.patch(url, {"title": "x", "version": version}, format="json")
    assert stale.status_code == 409


def _incident_form(client: Client, **changes: str) -> dict[str, str]:
    form = client.get(f"/incidents/{SLUG}/edit/").context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    for name in ("started_at", "detected_at", "mitigated_at", "resolved_at"):
        value = form.initial.get(name)
        data[name] = value.strftime("%Y-%m-%dT%H:%M") if value else ""
    return {**data, **changes}


def test_the_incident_form_refuses_to_overwrite_a_newer_save_and_keeps_the_text(
    demo: dict[str, int], editor_client: Client
) -> None:
    mine = _incident_form(editor_client, summary="My careful summary")
    theirs = _incident_form(editor_client, summary="Their summary")
    assert editor_client.post(f"/incidents/{SLUG}/edit/", theirs).status_code == 302
    response = editor_client.post(f"/incidents/{SLUG}/edit/", mine)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this incident" in page
    assert "My careful summary" in page
    assert Incident.objects.get(slug=SLUG).summary == "Their summary"
    # Saving the kept form again is a deliberate overwrite, based on the version now shown.
    rebased = response.context["form"].data
    assert editor_client.post(f"/incidents/{SLUG}/edit/", rebased).status_code == 302
    assert Incident.objects.get(slug=SLUG).summary == "My careful summary"


def test_the_action_item_form_refuses_to_overwrite_a_newer_save(
    demo: dict[str, int], editor_client: Client
) -> None:
    item = _action_item()
    url = f"/actions/{item.pk}/edit/"
    form = editor_client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["public"] = "on" if item.public else ""
    data["due_date"] = item.due_date.isoformat() if item.due_date else ""
    assert editor_client.post(url, {**data, "title": "Theirs"}).status_code == 302
    response = editor_client.post(url, {**data, "title": "Mine"})
    assert response.status_code == 409
    assert "Mine" in response.content.decode()
    assert ActionItem.objects.get(pk=item.pk).title == "Theirs"


def test_the_event_form_refuses_to_overwrite_a_newer_save(
    demo: dict[str, int], editor_client: Client
) -> None:
    event = _event()
    url = f"/events/{event.pk}/edit/"
    form = editor_client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["occurred_at"] = form.initial["occurred_at"].strftime("%Y-%m-%dT%H:%M")
    data["services"] = [service.pk for service in event.services.all()]
    data = {k: ("" if v is None else v) for k, v in data.items()}
    assert editor_client.post(url, {**data, "title": "Theirs"}).status_code == 302
    response = editor_client.post(url, {**data, "title": "Mine"})
    assert response.status_code == 409
    assert "Someone else saved this event" in response.content.decode()
    assert Event.objects.get(pk=event.pk).title == "Theirs"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_changes_based_on_one_version_have_exactly_one_winner(editor) -> None:
    from postmortems.demo import demo_load

    demo_load(password="parallel-demo-pw")
    version = Incident.objects.get(slug=SLUG).version
    results: list[int] = []
    start = threading.Barrier(8)

    def change(n: int) -> None:
        client = APIClient()
        client.force_authenticate(editor)
        start.wait()
        response = client.patch(
            f"/api/v1/incidents/{SLUG}/",
            {"summary": f"writer {n}", "version": version},
            format="json",
        )
        results.append(response.status_code)
        connection.close()

    threads = [threading.Thread(target=change, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200] + [409] * 7
    assert Incident.objects.get(slug=SLUG).version == version + 1
