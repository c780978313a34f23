"""Hostile or broken input gets a clear 4xx answer, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from postmortems.exchange import ExchangeError, kb_loads

SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"
NESTED = "[" * 100_000


@pytest.mark.parametrize(
    "path",
    ["/api/v1/incidents/", "/api/v1/kb/import/", f"/api/v1/incidents/{SLUG}/events/"],
)
def test_deeply_nested_json_is_a_400_in_the_api_format(
    demo: dict[str, int], admin_api: APIClient, path: str
) -> None:
    response = admin_api.post(path, NESTED, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "parse_error"
    assert "nested" in error["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/search/?q=%00",
        "/search/?q=dns%00",
        "/actions/?owner=%00",
        "/?q=%00",
        "/services/?q=%00",
        "/dashboard/?provider=%00",
        "/imports/?q=%00",
    ],
)
def test_a_nul_byte_in_the_query_string_is_a_clean_400(
    demo: dict[str, int], viewer_client: Client, path: str
) -> None:
    response = viewer_client.get(path)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/api/v1/incidents/?search=%00", "/api/v1/events/?q=%00", "/api/v1/sources/?q=%00"]
)
def test_a_nul_byte_in_an_api_query_is_a_json_400(
    demo: dict[str, int], admin_api: APIClient, path: str
) -> None:
    response = admin_api.get(path)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] in {"invalid", "parse_error"}


@pytest.mark.postgres
def test_a_nul_byte_in_the_search_is_a_clean_400_on_postgresql(
    demo: dict[str, int], viewer_client: Client
) -> None:
    assert viewer_client.get("/search/?q=%00").status_code == 400
    assert viewer_client.get("/actions/?owner=%00").status_code == 400


def test_an_oversized_api_body_is_a_413_in_the_api_format(admin_api: APIClient, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = '{"title": "' + "x" * 20_000 + '"}'
    response = admin_api.post("/api/v1/incidents/", body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "too_large"


def test_an_oversized_kb_import_is_a_413_in_the_api_format(admin_api: APIClient, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = '{"format": "cascade-kb", "pad": "' + "x" * 20_000 + '"}'
    response = admin_api.post("/api/v1/kb/import/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_kb_loads_explains_a_deeply_nested_document() -> None:
    with pytest.raises(ExchangeError, match="nested too deeply"):
        kb_loads(NESTED)
