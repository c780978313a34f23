"""Writes of the timelines app: creating, revoking and counting share links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from postmortems.models import Incident
from timelines.models import ShareLink, ShareScope
from timelines.sharing import token_hash, token_new


@dataclass(frozen=True)
class CreatedShareLink:
    link: ShareLink
    token: str  # the only time the plain token exists outside the recipient's hands


@transaction.atomic
def share_link_create(
    *,
    incident: Incident,
    created_by: AbstractBaseUser | None,
    scope: str = ShareScope.TIMELINE,
    label: str = "",
    expires_at: datetime | None = None,
    allow_embed: bool = False,
) -> CreatedShareLink:
    """Create a share link and return it with its plain token, which is not stored."""
    token = token_new()
    link = ShareLink.objects.create(
        incident=incident,
        token_hash=token_hash(token),
        scope=scope,
        label=label.strip(),
        expires_at=expires_at,
        allow_embed=allow_embed,
        created_by=created_by,
    )
    return CreatedShareLink(link=link, token=token)


@transaction.atomic
def share_link_revoke(*, link: ShareLink, now: datetime | None = None) -> ShareLink:
    """Revoke a link; revoking it again keeps the first revocation time."""
    ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )
    link.refresh_from_db(fields=["revoked_at"])
    return link


@transaction.atomic
def share_link_record_view(*, link: ShareLink, now: datetime | None = None) -> None:
    """Count one view of a link; an UPDATE with F() so simultaneous views all count."""
    ShareLink.objects.filter(pk=link.pk).update(
        view_count=F("view_count") + 1, last_viewed_at=now or timezone.now()
    )
