"""Reads for the review: who approved which version, which threads are open, and what
stands between a postmortem and its publication."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from postmortems.models import Postmortem, PostmortemApproval, PostmortemComment
from postmortems.permissions import ADMIN, EDITOR, is_admin
from postmortems.review.sections import placeholder_sections


@dataclass(frozen=True)
class ReviewStatus:
    """What the review of a postmortem has reached, computed once per page."""

    version: int
    submitted_by_id: int | None
    approvals: tuple[PostmortemApproval, ...]  # of the current version, by another editor
    stale_approvals: tuple[PostmortemApproval, ...]  # of earlier versions
    unresolved: tuple[PostmortemComment, ...]  # open threads (their first comments)
    placeholders: tuple[str, ...]
    requires_approval: bool = field(default=True)
    overrides: tuple[PostmortemApproval, ...] = ()  # admins' publications without approval

    @property
    def approved(self) -> bool:
        """Return True when another editor approved the current version."""
        return bool(self.approvals)

    def blockers(
        self, *, user: AbstractBaseUser | AnonymousUser, override: bool = False
    ) -> list[str]:
        """Return why ``user`` may not publish now, one sentence each; empty when they may."""
        reasons = []
        if self.placeholders:
            reasons.append(
                "These template sections are still unwritten: "
                + ", ".join(self.placeholders)
                + ". Write them or remove them before publishing."
            )
        if self.unresolved:
            where = ", ".join(dict.fromkeys(comment.section for comment in self.unresolved))
            count = len(self.unresolved)
            reasons.append(
                f"{count} review comment{'s are' if count != 1 else ' is'} unresolved ({where}). "
                "Resolve them before publishing."
            )
        if self.requires_approval and not self.approved and not (override and is_admin(user)):
            if user.pk is not None and user.pk == self.submitted_by_id:
                reasons.append(
                    "You cannot publish your own postmortem: another editor has to approve "
                    f"version {self.version} first."
                )
            else:
                reasons.append(
                    f"Publishing needs another editor's approval of version {self.version}."
                )
        return reasons


def review_status(postmortem: Postmortem) -> ReviewStatus:
    """Return the postmortem's review status: approvals, open threads, unwritten sections."""
    every = list(postmortem.approvals.select_related("reviewer").order_by("created_at"))
    approvals = [a for a in every if not a.override]
    author_id = postmortem.submitted_by_id
    current = tuple(
        a for a in approvals if a.version == postmortem.version and a.reviewer_id != author_id
    )
    stale = tuple(a for a in approvals if a.version != postmortem.version)
    unresolved = tuple(
        postmortem.comments.filter(parent=None, resolved_at=None)
        .select_related("author")
        .order_by("created_at", "id")
    )
    return ReviewStatus(
        version=postmortem.version,
        submitted_by_id=author_id,
        approvals=current,
        stale_approvals=stale,
        unresolved=unresolved,
        placeholders=tuple(placeholder_sections(postmortem.body)),
        requires_approval=settings.CASCADE_PUBLISH_REQUIRES_APPROVAL,
        overrides=tuple(a for a in every if a.override),
    )


def comment_threads(postmortem: Postmortem) -> dict[str, list[PostmortemComment]]:
    """Return the postmortem's threads by section heading, each with its replies prefetched."""
    threads: dict[str, list[PostmortemComment]] = {}
    roots = (
        postmortem.comments.filter(parent=None)
        .select_related("author", "resolved_by")
        .prefetch_related("replies__author")
        .order_by("created_at", "id")
    )
    for comment in roots:
        threads.setdefault(comment.section, []).append(comment)
    return threads


def postmortem_participants(postmortem: Postmortem) -> QuerySet[AbstractBaseUser]:
    """Return the people a postmortem's review concerns: its writers and its reviewers."""
    writers = postmortem.revisions.values("author_id")
    commenters = postmortem.comments.values("author_id")
    approvers = postmortem.approvals.values("reviewer_id")
    return get_user_model().objects.filter(
        Q(pk=postmortem.submitted_by_id)
        | Q(pk__in=writers)
        | Q(pk__in=commenters)
        | Q(pk__in=approvers)
    )


def possible_reviewers() -> QuerySet[AbstractBaseUser]:
    """Return every active editor and admin: who may review a postmortem."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=[EDITOR, ADMIN]))
        .distinct()
    )
