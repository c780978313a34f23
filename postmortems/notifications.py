"""E-mail to the people a change concerns, through Django's mail framework.

Mail is sent once the transaction that caused it has committed, so a rolled-back change
never announces itself, and a mail server that is down is logged rather than failing the
request or the job that already did its work.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse

if TYPE_CHECKING:
    from postmortems.models import ActionItem

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    """Return a link a mail reader can open: the configured site address plus the path."""
    return settings.CASCADE_BASE_URL + path


def addresses(
    users: Iterable[AbstractBaseUser | None], *, exclude: AbstractBaseUser | None = None
) -> list[str]:
    """Return the distinct e-mail addresses of the users, without the one who acted."""
    seen: dict[str, None] = {}
    for user in users:
        if user is None or not user.email or not user.is_active:
            continue
        if exclude is not None and user.pk == exclude.pk:
            continue
        seen.setdefault(user.email.strip().lower(), None)
    return list(seen)


def mail_on_commit(*, to: list[str], subject: str, body: str) -> None:
    """Send one mail to each address after the current transaction commits."""
    if not to:
        return
    messages = [
        EmailMessage(subject=f"[Cascade] {subject}", body=body, to=[address]) for address in to
    ]

    def send() -> None:
        try:
            get_connection().send_messages(messages)
        except Exception:  # the change is committed: a mail server outage must not undo it
            logger.exception("could not send mail", extra={"subject": subject, "to": to})

    transaction.on_commit(send)


def _action_item_text(item: ActionItem) -> str:
    incident = item.incident
    due = f"Due {item.due_date:%Y-%m-%d}. " if item.due_date else ""
    return (
        f"“{item.title}” ({item.get_priority_display()}), from the incident “{incident.title}”.\n"
        f"{due}\n{absolute_url(reverse('postmortems:action_item_edit', args=[item.pk]))}\n"
    )


def action_item_assigned(*, item: ActionItem, actor: AbstractBaseUser | None) -> None:
    """Tell a user they now own an action item (unless they assigned it to themselves)."""
    by = f"{actor.get_username()} assigned you" if actor is not None else "You were assigned"
    mail_on_commit(
        to=addresses([item.assignee], exclude=actor),
        subject=f"Action item assigned: {item.title}",
        body=f"{by} an action item:\n\n{_action_item_text(item)}",
    )


def action_item_overdue(*, item: ActionItem) -> None:
    """Tell the owner their action item is past its due date."""
    mail_on_commit(
        to=addresses([item.assignee]),
        subject=f"Action item overdue: {item.title}",
        body=f"Your action item is past its due date:\n\n{_action_item_text(item)}",
    )
