"""The API's exports of large incidents: 202 Accepted and a job resource to follow.

The rule is the web's (``timelines.export_jobs.runs_in_background``); the demo incident is
made to count as large for HTML by lowering its threshold.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from postmortems.models import Incident
from tests.conftest import _user_with_role
from timelines import export_jobs, services
from timelines.models import ExportJob
from timelines.tasks import export_job_run_task

DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"


@pytest.fixture
def large(demo: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> Incident:
    monkeypatch.setitem(export_jobs.BACKGROUND_AFTER, "html", export_jobs.Threshold(2, 1_000))
    return Incident.objects.get(slug=DEMO_SLUG)


@pytest.fixture
def viewer_api(viewer: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(viewer)
    return client


def test_a_large_export_answers_202_with_a_job_that_leads_to_the_file(
    viewer_api: APIClient, large: Incident, settings, django_capture_on_commit_callbacks
) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=True):
        response = viewer_api.get(f"/api/v1/incidents/{DEMO_SLUG}/export/?format=html")
    job = ExportJob.objects.get()
    assert response.status_code == 202
    assert response["Content-Type"] == "application/json"
    assert response["Location"] == f"http://testserver/api/v1/exports/{job.pk}/"
    body = response.json()
    assert (body["id"], body["incident"], body["format"]) == (job.pk, DEMO_SLUG, "html")
    followed = viewer_api.get(response["Location"]).json()
    assert (followed["status"], followed["progress"]) == ("done", 100)
    assert followed["download"] == f"http://testserver/api/v1/exports/{job.pk}/download/"
    download = viewer_api.get(followed["download"], HTTP_ACCEPT="application/json")
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/html")
    assert download["Content-Disposition"] == f'attachment; filename="{DEMO_SLUG}-postmortem.html"'
    assert large.title.encode() in download.content


def test_a_small_export_is_still_the_file(viewer_api: APIClient, demo: dict[str, int]) -> None:
    response = viewer_api.get(f"/api/v1/incidents/{DEMO_SLUG}/export/?format=html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert not ExportJob.objects.exists()


def test_an_unfinished_job_has_no_download_yet(
    viewer_api: APIClient, viewer: User, large: Incident
) -> None:
    job = services.export_job_create(incident=large, fmt="html", requested_by=viewer)
    resource = viewer_api.get(f"/api/v1/exports/{job.pk}/").json()
    assert (resource["status"], resource["download"]) == ("queued", None)
    response = viewer_api.get(f"/api/v1/exports/{job.pk}/download/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "export_not_ready"
    services.export_job_fail(job_id=job.pk, error="broken")
    failed = viewer_api.get(f"/api/v1/exports/{job.pk}/").json()
    assert (failed["status"], failed["error"], failed["download"]) == ("failed", "broken", None)
    assert viewer_api.get(f"/api/v1/exports/{job.pk}/download/").status_code == 409


def test_a_job_is_only_its_requesters(
    viewer_api: APIClient, viewer: User, editor_api: APIClient, editor: User, large: Incident
) -> None:
    job = services.export_job_create(incident=large, fmt="html", requested_by=viewer)
    export_job_run_task(job.pk)
    assert viewer_api.get(f"/api/v1/exports/{job.pk}/download/").status_code == 200
    for path in (f"/api/v1/exports/{job.pk}/", f"/api/v1/exports/{job.pk}/download/"):
        refused = editor_api.get(path)
        assert refused.status_code == 404
        assert refused.json()["error"]["code"] == "not_found"
        assert APIClient().get(path).status_code == 401
    # A share link's job belongs to the link: no account reaches it, not even an admin's.
    link = services.share_link_create(incident=large, created_by=editor).link
    shared = services.export_job_create(
        incident=large, fmt="html", requested_by=None, share_link=link
    )
    admin = APIClient()
    admin.force_authenticate(_user_with_role("root", "admin", superuser=True))
    assert admin.get(f"/api/v1/exports/{shared.pk}/").status_code == 404


def test_the_job_resource_runs_a_fixed_number_of_queries(
    viewer_api: APIClient, viewer: User, large: Incident, django_assert_max_num_queries
) -> None:
    job = services.export_job_create(incident=large, fmt="html", requested_by=viewer)
    with django_assert_max_num_queries(2):  # throttling is in the cache; the job and incident
        assert viewer_api.get(f"/api/v1/exports/{job.pk}/").status_code == 200


def test_the_job_resource_and_the_202_are_in_the_openapi_schema() -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    export = schema["paths"]["/api/v1/incidents/{slug}/export/"]["get"]["responses"]["202"]
    assert export["headers"]["Location"]["schema"]["format"] == "uri"
    assert export["content"]["application/json"]["schema"]["$ref"].endswith("/ExportJob")
    job = schema["components"]["schemas"]["ExportJob"]["properties"]
    assert {"status", "progress", "stage", "error", "download"} <= set(job)
    assert job["download"]["nullable"] is True
    download = schema["paths"]["/api/v1/exports/{id}/download/"]["get"]["responses"]
    assert set(download["200"]["content"]) == {"application/pdf", "text/html"}
    assert download["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
