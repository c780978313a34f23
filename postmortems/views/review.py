"""The review of a postmortem: its sections with comment threads, approvals, publishing."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from postmortems.markdown import render_markdown_safe
from postmortems.models import Postmortem, PostmortemComment, PostmortemStatus
from postmortems.permissions import editor_required, is_admin
from postmortems.review import selectors
from postmortems.review import services as review_services
from postmortems.review.sections import section_anchor, split_sections


def _postmortem_for(slug: str) -> Postmortem:
    return get_object_or_404(
        Postmortem.objects.select_related("incident", "submitted_by"), incident__slug=slug
    )


def _status_context(request: HttpRequest, postmortem: Postmortem) -> dict[str, object]:
    status = selectors.review_status(postmortem)
    in_review = postmortem.status == PostmortemStatus.IN_REVIEW
    return {
        "postmortem": postmortem,
        "incident": postmortem.incident,
        "review": status,
        "blockers": status.blockers(user=request.user) if in_review else [],
        "can_approve": in_review
        and request.user.pk != postmortem.submitted_by_id
        and not any(a.reviewer_id == request.user.pk for a in status.approvals),
        "can_override": in_review
        and is_admin(request.user)
        and status.requires_approval
        and not status.approved,
        "in_review": in_review,
    }


@editor_required
def postmortem_review(request: HttpRequest, slug: str) -> HttpResponse:
    postmortem = _postmortem_for(slug)
    threads = selectors.comment_threads(postmortem)
    sections = [
        {
            "section": section,
            "html": render_markdown_safe(section.text),
            "threads": threads.pop(section.heading, []),
        }
        for section in split_sections(postmortem.body)
    ]
    # Threads whose heading was renamed or removed since: still listed, never lost.
    orphans = [comment for comments in threads.values() for comment in comments]
    return render(
        request,
        "postmortems/postmortem_review.html",
        {**_status_context(request, postmortem), "sections": sections, "orphans": orphans},
    )


def _threads_response(request: HttpRequest, postmortem: Postmortem, section: str) -> HttpResponse:
    """Answer htmx with the section's threads, and the status panel out of band."""
    threads = selectors.comment_threads(postmortem).get(section, [])
    return render(
        request,
        "postmortems/_review_threads_response.html",
        {
            **_status_context(request, postmortem),
            "heading": section,
            "anchor": section_anchor(section),
            "threads": threads,
        },
    )


@editor_required
@require_POST
def postmortem_comment_add(request: HttpRequest, slug: str) -> HttpResponse:
    postmortem = _postmortem_for(slug)
    parent = None
    if parent_id := request.POST.get("parent", "").strip():
        parent = get_object_or_404(
            PostmortemComment,
            pk=int(parent_id) if parent_id.isdigit() else 0,
            postmortem=postmortem,
        )
    section = request.POST.get("section", "")
    try:
        comment = review_services.postmortem_comment_add(
            postmortem=postmortem,
            author=request.user,
            body=request.POST.get("body", ""),
            section=section,
            parent=parent,
        )
    except review_services.ReviewRefused as error:
        if request.htmx:
            return HttpResponse(str(error), status=400)
        messages.error(request, str(error))
        return redirect(reverse("postmortems:postmortem_review", args=[slug]))
    if request.htmx:
        return _threads_response(request, postmortem, comment.section)
    messages.success(request, "Comment added.")
    return redirect(
        reverse("postmortems:postmortem_review", args=[slug]) + f"#comment-{comment.pk}"
    )


@editor_required
@require_POST
def postmortem_comment_resolve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    postmortem = _postmortem_for(slug)
    comment = get_object_or_404(PostmortemComment, pk=pk, postmortem=postmortem)
    resolved = request.POST.get("resolved", "1") != "0"
    try:
        review_services.postmortem_comment_resolve(
            comment=comment, user=request.user, resolved=resolved
        )
    except review_services.ReviewRefused as error:
        if request.htmx:
            return HttpResponse(str(error), status=400)
        messages.error(request, str(error))
    if request.htmx:
        return _threads_response(request, postmortem, comment.section)
    return redirect(
        reverse("postmortems:postmortem_review", args=[slug])
        + f"#{section_anchor(comment.section)}"
    )


@editor_required
@require_POST
def postmortem_approve(request: HttpRequest, slug: str) -> HttpResponse:
    postmortem = _postmortem_for(slug)
    try:
        approval = review_services.postmortem_approve(postmortem=postmortem, reviewer=request.user)
    except review_services.ReviewRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"You approved version {approval.version}.")
    return redirect("postmortems:postmortem_review", slug=slug)
