"""Sign-in throttling (django-axes) and password rules when an admin creates an account."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import _user_with_role

LOGIN = "/login/"


@pytest.fixture
def owner(db: None) -> User:
    return _user_with_role("olga", "editor")


def _guess(client: Client, password: str, username: str = "olga") -> object:
    return client.post(LOGIN, {"username": username, "password": password})


def test_repeated_wrong_passwords_lock_the_account_with_a_clear_message(
    owner: User, settings
) -> None:
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _guess(client, f"wrong-{attempt}")
        assert response.status_code == 200
        assert "didn't match" in response.content.decode()
    response = _guess(client, "wrong-last")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed sign-ins" in page
    assert "15 minutes" in page
    assert response["Retry-After"] == "900"
    # Even the right password is refused while the lock lasts, with the same message.
    response = _guess(client, "pw-olga")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_sixty_guesses_are_not_all_answered_normally(owner: User) -> None:
    client = Client()
    statuses = [_guess(client, f"guess-{n}").status_code for n in range(60)]
    assert statuses.count(429) >= 55


def test_a_lock_on_one_account_leaves_other_accounts_alone(owner: User, settings) -> None:
    _user_with_role("pat", "viewer")
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _guess(client, f"wrong-{attempt}")
    response = _guess(client, "pw-pat", username="pat")
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_a_successful_sign_in_resets_the_count(owner: User, settings) -> None:
    client = Client()
    for round_ in range(3):
        for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            _guess(client, f"wrong-{round_}-{attempt}")
        assert _guess(client, "pw-olga").status_code == 302
        client.logout()


def test_a_locked_out_accounts_api_token_keeps_working(owner: User, settings) -> None:
    token = Token.objects.create(user=owner)
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _guess(client, f"wrong-{attempt}")
    assert _guess(client, "pw-olga").status_code == 429
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/incidents/").status_code == 200
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert api.get("/api/v1/incidents/").status_code == 401


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password", "This password is too common."),
        ("12345678901", "This password is entirely numeric."),
        ("short", "This password is too short."),
        ("newperson1", "The password is too similar to the username."),
    ],
)
def test_admin_creating_a_user_gets_django_password_rules(
    admin_user: User, password: str, message: str
) -> None:
    client = Client()
    client.force_login(admin_user)
    response = client.post(
        "/users/", {"username": "newperson", "password": password, "role": "viewer"}
    )
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not User.objects.filter(username="newperson").exists()


def test_admin_creates_a_user_with_a_strong_password(admin_user: User) -> None:
    client = Client()
    client.force_login(admin_user)
    response = client.post(
        "/users/", {"username": "newperson", "password": "correct horse battery", "role": "viewer"}
    )
    assert response.status_code == 302
    assert User.objects.get(username="newperson").check_password("correct horse battery")
