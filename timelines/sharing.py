"""Share-link tokens and the reads behind a share link.

A token is 32 random bytes (256 bits) from ``secrets``, URL-safe base64 without padding:
43 characters of ``[A-Za-z0-9_-]``. Only its SHA-256 is stored. A plain hash, not a slow
one, is enough: nobody can guess 256 random bits, so there is nothing to brute-force.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from postmortems.models import Incident
from timelines.models import ShareLink

TOKEN_BYTES = 32
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")


def token_new() -> str:
    """Return a fresh random token (256 bits)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """Return the SHA-256 hex digest under which a token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class LinkState(enum.Enum):
    ACTIVE = "active"
    GONE = "gone"  # revoked or expired: 410
    UNKNOWN = "unknown"  # never existed (or malformed): 404


@dataclass(frozen=True)
class Lookup:
    state: LinkState
    link: ShareLink | None = None


def share_link_lookup(token: str, *, now: datetime) -> Lookup:
    """Return the link a token opens and whether it is still open at ``now``."""
    if not TOKEN_PATTERN.fullmatch(token):
        return Lookup(LinkState.UNKNOWN)
    digest = token_hash(token)
    link = ShareLink.objects.select_related("incident").filter(token_hash=digest).first()
    # The index lookup already matched; the constant-time compare keeps it that way if
    # the lookup ever becomes a prefix or case-insensitive match.
    if link is None or not hmac.compare_digest(link.token_hash, digest):
        return Lookup(LinkState.UNKNOWN)
    if not link.is_active(now):
        return Lookup(LinkState.GONE, link)
    return Lookup(LinkState.ACTIVE, link)


def share_links_of(incident: Incident) -> QuerySet[ShareLink]:
    """Return an incident's links, newest first, with their creators."""
    return (
        ShareLink.objects.filter(incident=incident)
        .select_related("incident", "created_by")
        .order_by("-created_at", "-id")
    )
