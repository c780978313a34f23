"""Personal API tokens: ``Authorization: Token csc_…`` (or ``Bearer csc_…``).

Tokens are created and revoked by their owner on the "API tokens" page, shown once, and
stored as a SHA-256 digest (see ``postmortems.models.ApiToken``). Tokens of DRF's own
``authtoken`` table, which ``manage.py drf_create_token`` makes, keep working: this class
answers only for tokens with the ``csc_`` prefix and leaves any other to the next class.

django-rest-knox was considered. It hashes its tokens too, but its authentication class
claims every ``Token …`` header and fails on keys it does not know, so it cannot sit
beside DRF's token table without a different keyword, and its tokens have no name for a
person to tell them apart; what this needs is about forty lines.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from postmortems.models import ApiToken
from postmortems.services import API_TOKEN_PREFIX, api_token_digest, api_token_touch

KEYWORDS = (b"token", b"bearer")


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[AbstractBaseUser, ApiToken] | None:
        parts = authentication.get_authorization_header(request).split()
        if len(parts) != 2 or parts[0].lower() not in KEYWORDS:
            return None
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            return None
        if not key.startswith(API_TOKEN_PREFIX):
            return None  # an authtoken key: TokenAuthentication's to judge
        token = ApiToken.objects.select_related("user").filter(digest=api_token_digest(key)).first()
        now = timezone.now()
        if token is None or not token.is_active(now) or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
        api_token_touch(token=token, now=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return "Token"


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "postmortems.api.tokens.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A personal token from the API tokens page: `Token csc_…`.",
        }
