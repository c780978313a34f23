"""Write semantics of the API: versions and ETags, idempotent creation, bulk events, errors."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection
from rest_framework.test import APIClient

from postmortems.models import Event, IdempotencyKey, Incident, Postmortem
from postmortems.services import postmortem_start
from tests.conftest import _user_with_role

SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"
POSTMORTEM = f"/api/v1/incidents/{SLUG}/postmortem/"


@pytest.fixture
def api(editor: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(editor)
    return client


@pytest.fixture
def postmortem(demo: dict[str, int], editor: User) -> Postmortem:
    return postmortem_start(incident=Incident.objects.get(slug=SLUG), author=editor)


def test_postmortem_get_sends_its_version_as_etag(api: APIClient, postmortem: Postmortem) -> None:
    response = api.get(POSTMORTEM)
    assert response.status_code == 200
    assert response["ETag"] == f'W/"{postmortem.version}"'
    assert response.json()["version"] == postmortem.version


def test_stale_version_is_a_409_with_the_current_version_and_body(
    api: APIClient, postmortem: Postmortem
) -> None:
    first = api.put(POSTMORTEM, {"body": "mine", "version": postmortem.version}, format="json")
    assert first.status_code == 200
    assert first.json()["version"] == postmortem.version + 1
    stale = api.put(POSTMORTEM, {"body": "theirs", "version": postmortem.version}, format="json")
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["code"] == "stale_version"
    assert error["current"] == {
        "version": postmortem.version + 1,
        "body": "mine",
        "status": "draft",
    }


def test_if_match_that_no_longer_matches_is_a_412(api: APIClient, postmortem: Postmortem) -> None:
    etag = api.get(POSTMORTEM)["ETag"]
    assert (
        api.put(
            POSTMORTEM,
            {"body": "a", "version": postmortem.version},
            format="json",
            HTTP_IF_MATCH=etag,
        ).status_code
        == 200
    )
    late = api.put(
        POSTMORTEM,
        {"body": "b", "version": postmortem.version + 1},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert late.status_code == 412
    assert late.json()["error"]["code"] == "precondition_failed"


def test_workflow_actions_and_a_step_that_does_not_apply(
    api: APIClient, postmortem: Postmortem
) -> None:
    assert api.post(POSTMORTEM + "publish/").json()["error"]["code"] == "invalid_transition"
    assert api.post(POSTMORTEM + "submit/").json()["status"] == "in_review"
    refused = api.post(POSTMORTEM + "publish/").json()["error"]
    assert refused["code"] == "publish_blocked"
    assert "cannot publish your own postmortem" in refused["message"]
    assert api.post(POSTMORTEM + "approve/").json()["error"]["code"] == "approval_refused"
    reviewer = APIClient()
    reviewer.force_authenticate(_user_with_role("rita", "editor"))
    assert reviewer.post(POSTMORTEM + "approve/").status_code == 200
    assert api.post(POSTMORTEM + "publish/").json()["status"] == "published"
    read_only = api.put(POSTMORTEM, {"body": "x", "version": 1}, format="json")
    assert read_only.status_code == 409
    assert read_only.json()["error"]["code"] == "read_only"
    assert api.post(POSTMORTEM + "reopen/").json()["status"] == "draft"
    revisions = api.get(POSTMORTEM + "revisions/").json()
    assert [revision["version"] for revision in revisions] == [1]


def test_a_retried_post_with_the_same_idempotency_key_creates_one_incident(
    api: APIClient, db: None
) -> None:
    body = {"title": "Retry me", "regions": ["eu-west-1"], "tags": ["dns"]}
    first = api.post("/api/v1/incidents/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post("/api/v1/incidents/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Incident.objects.filter(title="Retry me").count() == 1
    other = api.post(
        "/api/v1/incidents/", {**body, "title": "Else"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"


def test_a_failed_request_does_not_use_up_its_idempotency_key(api: APIClient, db: None) -> None:
    bad = api.post("/api/v1/incidents/", {"title": ""}, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert bad.status_code == 400
    assert not IdempotencyKey.objects.exists()
    good = api.post(
        "/api/v1/incidents/", {"title": "Ok"}, format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert good.status_code == 201


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_retries_with_one_idempotency_key_create_one_record(editor: User) -> None:
    results: list[int] = []
    barrier = threading.Barrier(4)

    def send() -> None:
        client = APIClient()
        client.force_authenticate(editor)
        barrier.wait()
        response = client.post(
            "/api/v1/incidents/", {"title": "Race"}, format="json", HTTP_IDEMPOTENCY_KEY="race"
        )
        results.append(response.status_code)
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Incident.objects.filter(title="Race").count() == 1
    assert set(results) <= {201, 409}
    assert 201 in results


def test_bulk_events_are_all_or_nothing_with_errors_per_item(
    api: APIClient, demo: dict[str, int]
) -> None:
    url = f"/api/v1/incidents/{SLUG}/events/"
    before = Event.objects.count()
    bad = api.post(
        url,
        [
            {"occurred_at": "2025-10-20T07:00:00Z", "title": "Fine"},
            {"occurred_at": "not a time", "title": ""},
        ],
        format="json",
    )
    assert bad.status_code == 400
    error = bad.json()["error"]
    assert error["items"][0] == {}
    assert set(error["items"][1]) == {"occurred_at", "title"}
    assert Event.objects.count() == before
    good = api.post(
        url,
        [
            {"occurred_at": "2025-10-20T09:00:00+02:00", "title": "One", "kind": "detection"},
            {"occurred_at": "2025-10-20T07:01:00Z", "title": "Two"},
        ],
        format="json",
    )
    assert good.status_code == 201
    assert [event["occurred_at"] for event in good.json()] == [
        "2025-10-20T07:00:00Z",
        "2025-10-20T07:01:00Z",
    ]
    assert Event.objects.count() == before + 2


def test_incident_is_written_with_regions_and_tags_as_lists(api: APIClient, db: None) -> None:
    created = api.post(
        "/api/v1/incidents/",
        {"title": "Lists", "severity": "SEV2", "regions": ["us-east-1"], "tags": ["dns"]},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["slug"] == "lists"
    assert created.json()["regions"] == ["us-east-1"]
    changed = api.patch("/api/v1/incidents/lists/", {"tags": ["dns", "automation"]}, format="json")
    assert changed.json()["tags"] == ["automation", "dns"]
    assert changed.json()["regions"] == ["us-east-1"]


@pytest.mark.parametrize(
    ("method", "url", "kwargs", "status", "code"),
    [
        ("post", "/api/v1/incidents/", {"data": {}, "format": "json"}, 400, "invalid"),
        ("get", "/api/v1/incidents/nope/", {}, 404, "not_found"),
        ("get", "/api/v1/no-such-thing/", {}, 404, "not_found"),
        ("put", "/api/v1/sources/", {"data": {}, "format": "json"}, 405, "method_not_allowed"),
        (
            "post",
            "/api/v1/incidents/",
            {"data": "title=x", "content_type": "text/plain"},
            415,
            "unsupported_media_type",
        ),
    ],
)
def test_errors_share_one_format(
    api: APIClient, db: None, method: str, url: str, kwargs: dict, status: int, code: str
) -> None:
    response = getattr(api, method)(url, **kwargs)
    assert response.status_code == status
    assert response.json()["error"]["status"] == status
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


def test_validation_errors_name_their_fields(api: APIClient, db: None) -> None:
    error = api.post("/api/v1/incidents/", {}, format="json").json()["error"]
    assert error["fields"] == {"title": ["This field is required."]}


def test_a_service_in_use_cannot_be_deleted(demo: dict[str, int], admin_user: User) -> None:
    from postmortems.models import Service

    client = APIClient()
    client.force_authenticate(admin_user)
    dynamodb = Service.objects.get(name="DynamoDB")
    response = client.delete(f"/api/v1/services/{dynamodb.pk}/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "in_use"
