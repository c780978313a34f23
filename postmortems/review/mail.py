"""The e-mails of the review: review requested, comment added, approved, published."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse

from postmortems.models import Postmortem, PostmortemApproval, PostmortemComment
from postmortems.notifications import absolute_url, addresses, mail_on_commit
from postmortems.review.selectors import possible_reviewers, postmortem_participants


def _review_link(postmortem: Postmortem, anchor: str = "") -> str:
    path = reverse("postmortems:postmortem_review", args=[postmortem.incident.slug])
    return absolute_url(path + (f"#{anchor}" if anchor else ""))


def _name(user: AbstractBaseUser | None) -> str:
    return user.get_username() if user is not None else "Someone"


def review_requested(*, postmortem: Postmortem, actor: AbstractBaseUser) -> None:
    """Tell the editors who could review that a postmortem waits for them."""
    title = postmortem.incident.title
    mail_on_commit(
        to=addresses(possible_reviewers(), exclude=actor),
        subject=f"Review requested: {title}",
        body=(
            f"{_name(actor)} sent the postmortem of “{title}” (version {postmortem.version}) "
            f"to review.\n\nRead it, comment on its sections and approve it:\n"
            f"{_review_link(postmortem)}\n"
        ),
    )


def comment_added(*, comment: PostmortemComment) -> None:
    """Tell the author and the other reviewers about a new comment."""
    postmortem = comment.postmortem
    title = postmortem.incident.title
    what = "replied on" if comment.parent_id else "commented on"
    mail_on_commit(
        to=addresses(postmortem_participants(postmortem), exclude=comment.author),
        subject=f"Comment on “{comment.section}”: {title}",
        body=(
            f"{_name(comment.author)} {what} the section “{comment.section}” of the "
            f"postmortem of “{title}”:\n\n{comment.body}\n\n"
            f"{_review_link(postmortem, 'comment-' + str(comment.pk))}\n"
        ),
    )


def approved(*, approval: PostmortemApproval) -> None:
    """Tell the author and the other reviewers that a version was approved."""
    postmortem = approval.postmortem
    title = postmortem.incident.title
    mail_on_commit(
        to=addresses(postmortem_participants(postmortem), exclude=approval.reviewer),
        subject=f"Approved: {title}",
        body=(
            f"{_name(approval.reviewer)} approved version {approval.version} of the postmortem "
            f"of “{title}”. It can be published once no comment is open:\n"
            f"{_review_link(postmortem)}\n"
        ),
    )


def published(*, postmortem: Postmortem, actor: AbstractBaseUser, override: bool) -> None:
    """Tell the author and the reviewers that the postmortem is published."""
    title = postmortem.incident.title
    how = " with an admin's override of the approval rule" if override else ""
    path = reverse("postmortems:postmortem_detail", args=[postmortem.incident.slug])
    mail_on_commit(
        to=addresses(postmortem_participants(postmortem), exclude=actor),
        subject=f"Published: {title}",
        body=(
            f"{_name(actor)} published version {postmortem.version} of the postmortem of "
            f"“{title}”{how}.\n\n{absolute_url(path)}\n"
        ),
    )
