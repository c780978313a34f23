"""Writes of the review: sending what is on screen to review, approvals, comments."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from postmortems.models import (
    Postmortem,
    PostmortemApproval,
    PostmortemComment,
    PostmortemStatus,
)
from postmortems.review import mail
from postmortems.services import postmortem_save, postmortem_transition


class ReviewRefused(Exception):
    """A review step the user may not take now; the message says why."""


@transaction.atomic
def postmortem_submit(
    *,
    postmortem: Postmortem,
    author: AbstractBaseUser,
    body: str | None = None,
    base_version: int | None = None,
) -> Postmortem:
    """Send the postmortem to review as the author sees it: save their text first, if it differs.

    Saving follows the editor's rules: a text based on an outdated version raises
    ``StaleVersion`` and nothing is sent.
    """
    if body is not None and body != postmortem.body:
        postmortem_save(
            postmortem=postmortem,
            body=body,
            base_version=base_version if base_version is not None else postmortem.version,
            author=author,
        )
    return postmortem_transition(postmortem=postmortem, action="submit", author=author)


@transaction.atomic
def postmortem_approve(*, postmortem: Postmortem, reviewer: AbstractBaseUser) -> PostmortemApproval:
    """Record ``reviewer``'s approval of the postmortem's current version."""
    postmortem = (
        Postmortem.objects.select_for_update().select_related("incident").get(pk=postmortem.pk)
    )
    if postmortem.status != PostmortemStatus.IN_REVIEW:
        raise ReviewRefused("Only a postmortem in review can be approved; send it to review first.")
    if postmortem.submitted_by_id == reviewer.pk:
        raise ReviewRefused("You sent this postmortem to review: another editor has to approve it.")
    approval, created = PostmortemApproval.objects.get_or_create(
        postmortem=postmortem, reviewer=reviewer, version=postmortem.version, override=False
    )
    if created:
        mail.approved(approval=approval)
    return approval


@transaction.atomic
def postmortem_comment_add(
    *,
    postmortem: Postmortem,
    author: AbstractBaseUser,
    body: str,
    section: str = "",
    parent: PostmortemComment | None = None,
) -> PostmortemComment:
    """Comment on a section, or reply in a thread (which reopens it if it was resolved)."""
    body = body.strip()
    if not body:
        raise ReviewRefused("Write something to comment.")
    if parent is not None:
        if parent.postmortem_id != postmortem.pk:
            raise ReviewRefused("That thread belongs to another postmortem.")
        while parent.parent_id is not None:  # threads are one level deep: reply to the root
            parent = parent.parent
        section = parent.section
        if parent.resolved_at is not None:
            PostmortemComment.objects.filter(pk=parent.pk).update(
                resolved_at=None, resolved_by=None
            )
    section = section.strip()
    if not section:
        raise ReviewRefused("Choose the section the comment is about.")
    comment = PostmortemComment.objects.create(
        postmortem=postmortem, parent=parent, section=section[:300], author=author, body=body
    )
    comment.postmortem = postmortem
    mail.comment_added(comment=comment)
    return comment


@transaction.atomic
def postmortem_comment_resolve(
    *, comment: PostmortemComment, user: AbstractBaseUser, resolved: bool = True
) -> PostmortemComment:
    """Resolve a thread, or reopen it."""
    if comment.parent_id is not None:
        raise ReviewRefused("Resolve the thread, not one of its replies.")
    comment.resolved_at = timezone.now() if resolved else None
    comment.resolved_by = user if resolved else None
    comment.save(update_fields=["resolved_at", "resolved_by"])
    return comment
