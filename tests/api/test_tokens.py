"""Personal API tokens: created on a page and shown once, stored hashed, used, expired,
revoked; tokens of ``drf_create_token`` keep working beside them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from postmortems.models import ApiToken
from postmortems.services import api_token_create, api_token_digest

pytestmark = pytest.mark.django_db

PAGE = "/account/tokens/"


def _api(secret: str, keyword: str = "Token") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {secret}")
    return client


def _create_on_page(client: Client, name: str, expires: str = "90") -> str:
    response = client.post(PAGE, {"name": name, "expires": expires}, follow=True)
    assert response.status_code == 200
    match = re.search(
        r'<code class="token-secret" id="new-token">(csc_[\w-]+)</code>', response.content.decode()
    )
    assert match, "the new token is shown"
    return match.group(1)


def test_a_viewer_creates_a_named_token_sees_it_once_and_uses_it(
    viewer_client: Client, viewer: User
) -> None:
    secret = _create_on_page(viewer_client, "laptop")
    again = viewer_client.get(PAGE).content.decode()
    assert secret not in again  # shown once
    assert "laptop" in again
    assert secret[:10] in again
    response = _api(secret).get("/api/v1/incidents/")
    assert response.status_code == 200
    token = ApiToken.objects.get(user=viewer)
    assert token.last_used_at is not None
    assert token.expires_at - timezone.now() > timedelta(days=89)
    # Bearer works too; a viewer's token cannot write.
    assert _api(secret, "Bearer").get("/api/v1/services/").status_code == 200
    assert _api(secret).post("/api/v1/services/", {"name": "x"}).status_code == 403


def test_tokens_are_stored_only_as_a_digest(viewer_client: Client) -> None:
    secret = _create_on_page(viewer_client, "ci")
    token = ApiToken.objects.get()
    assert token.digest == api_token_digest(secret)
    stored = [str(value) for value in ApiToken.objects.values_list().get()]
    assert not any(secret in value for value in stored)
    assert secret.startswith(token.prefix)
    assert len(token.prefix) < len(secret) // 3


def test_an_expired_token_is_refused(viewer: User) -> None:
    _token, secret = api_token_create(
        user=viewer, name="old", expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = _api(secret).get("/api/v1/incidents/")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "Invalid, expired or revoked token."


def test_a_revoked_token_is_refused_at_once_and_listed_as_revoked(
    viewer_client: Client, viewer: User
) -> None:
    secret = _create_on_page(viewer_client, "to revoke", expires="never")
    token = ApiToken.objects.get()
    assert token.expires_at is None
    assert _api(secret).get("/api/v1/incidents/").status_code == 200
    viewer_client.post(f"{PAGE}{token.pk}/revoke/")
    assert _api(secret).get("/api/v1/incidents/").status_code == 401
    assert "revoked" in viewer_client.get(PAGE).content.decode()
    # The name is free again for a new token.
    _create_on_page(viewer_client, "to revoke")


def test_nobody_revokes_or_sees_another_users_tokens(viewer: User, editor_client: Client) -> None:
    token, secret = api_token_create(user=viewer, name="mine")
    assert editor_client.post(f"{PAGE}{token.pk}/revoke/").status_code == 404
    assert "mine" not in editor_client.get(PAGE).content.decode()
    assert _api(secret).get("/api/v1/incidents/").status_code == 200


def test_a_second_live_token_of_the_same_name_is_refused(viewer_client: Client) -> None:
    _create_on_page(viewer_client, "dup")
    response = viewer_client.post(PAGE, {"name": "dup", "expires": "30"})
    assert response.status_code == 400
    assert "already have a token named" in response.content.decode()
    assert ApiToken.objects.count() == 1


def test_an_unknown_personal_token_is_refused_and_anonymous_calls_are_told_how(db: None) -> None:
    assert _api("csc_not-a-real-token").get("/api/v1/incidents/").status_code == 401
    response = APIClient().get("/api/v1/incidents/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_drf_create_token_keeps_working_beside_personal_tokens(viewer: User, capsys) -> None:
    call_command("drf_create_token", viewer.username)
    key = Token.objects.get(user=viewer).key
    assert key in capsys.readouterr().out
    assert _api(key).get("/api/v1/incidents/").status_code == 200


def test_the_navigation_links_the_html_docs_and_the_token_page(viewer_client: Client) -> None:
    html = viewer_client.get("/").content.decode()
    assert '<a href="/api/v1/docs/">API</a>' in html
    assert f'href="{PAGE}"' in html
    docs = viewer_client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert docs["Content-Type"].startswith("text/html")


def test_the_schema_declares_personal_tokens(viewer_client: Client) -> None:
    schema = viewer_client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schemes = schema.json()["components"]["securitySchemes"]
    assert schemes["personalToken"]["name"] == "Authorization"
    assert "tokenAuth" in schemes


def test_the_token_page_reads_a_fixed_number_of_queries(
    viewer_client: Client, viewer: User, django_assert_max_num_queries: object
) -> None:
    for n in range(12):
        api_token_create(user=viewer, name=f"t{n}")
    with django_assert_max_num_queries(8):
        assert viewer_client.get(PAGE).status_code == 200
