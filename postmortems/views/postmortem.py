"""Writing the postmortem: the editor with live preview and autosave, revisions with diffs,
conflict handling, and the draft -> review -> published workflow."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from postmortems import services
from postmortems.forms import PostmortemForm
from postmortems.markdown import render_markdown_safe
from postmortems.models import (
    Incident,
    Postmortem,
    PostmortemDraft,
    PostmortemRevision,
    PostmortemStatus,
)
from postmortems.permissions import editor_required, is_editor
from postmortems.review import selectors as review_selectors
from postmortems.review import services as review_services


@dataclass(frozen=True)
class DiffLine:
    op: str  # "same", "add", "del" or "gap"
    old_number: int | None
    new_number: int | None
    text: str


def line_diff(old: str, new: str, *, context: int = 3) -> list[DiffLine]:
    """Return a line diff of two bodies, with a few lines of context around each change."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if lines:
            lines.append(DiffLine("gap", None, None, "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [
                    DiffLine("same", i1 + k + 1, j1 + k + 1, old_lines[i1 + k])
                    for k in range(i2 - i1)
                ]
                continue
            lines += [DiffLine("del", i + 1, None, old_lines[i]) for i in range(i1, i2)]
            lines += [DiffLine("add", None, j + 1, new_lines[j]) for j in range(j1, j2)]
    return lines


def _postmortem_for(slug: str) -> Postmortem:
    return get_object_or_404(
        Postmortem.objects.select_related("incident", "updated_by"), incident__slug=slug
    )


def postmortem_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The postmortem as readers see it: the published version, once there is one."""
    incident = get_object_or_404(Incident, slug=slug)
    postmortem = Postmortem.objects.filter(incident=incident).select_related("updated_by").first()
    showing_draft = bool(postmortem and not postmortem.published_body)
    body = ""
    if postmortem:
        body = postmortem.body if showing_draft else postmortem.published_body
    return render(
        request,
        "postmortems/postmortem_detail.html",
        {
            "incident": incident,
            "postmortem": postmortem,
            "html": render_markdown_safe(body),
            "showing_draft": showing_draft,
            "newer_draft": bool(
                postmortem
                and postmortem.published_body
                and postmortem.status != PostmortemStatus.PUBLISHED
            ),
        },
    )


@editor_required
@require_POST
def postmortem_start(request: HttpRequest, slug: str) -> HttpResponse:
    incident = get_object_or_404(Incident, slug=slug)
    services.postmortem_start(incident=incident, author=request.user)
    return redirect("postmortems:postmortem_edit", slug=slug)


def _editor(
    request: HttpRequest,
    postmortem: Postmortem,
    form: PostmortemForm,
    *,
    conflict: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    draft = PostmortemDraft.objects.filter(postmortem=postmortem, author=request.user).first()
    body = form["body"].value() or ""
    return render(
        request,
        "postmortems/postmortem_edit.html",
        {
            "incident": postmortem.incident,
            "postmortem": postmortem,
            "form": form,
            "preview": render_markdown_safe(body),
            "draft": draft if draft and draft.body != body else None,
            "conflict": conflict,
            "read_only": postmortem.status == PostmortemStatus.PUBLISHED,
            "transitions": services.TRANSITIONS.get(postmortem.status, {}),
            "review": review_selectors.review_status(postmortem),
        },
        status=status,
    )


@editor_required
def postmortem_edit(request: HttpRequest, slug: str) -> HttpResponse:
    postmortem = _postmortem_for(slug)
    if request.method != "POST":
        body = postmortem.body
        if request.GET.get("draft"):
            draft = PostmortemDraft.objects.filter(
                postmortem=postmortem, author=request.user
            ).first()
            body = draft.body if draft else body
        return _editor(
            request,
            postmortem,
            PostmortemForm(initial={"body": body, "base_version": postmortem.version}),
        )
    form = PostmortemForm(request.POST)
    if not form.is_valid():
        return _editor(request, postmortem, form, status=400)
    body, base_version = form.cleaned_data["body"], form.cleaned_data["base_version"]
    try:
        revision = services.postmortem_save(
            postmortem=postmortem, body=body, base_version=base_version, author=request.user
        )
    except services.ReadOnly as error:
        messages.error(request, str(error))
        return _editor(
            request,
            postmortem,
            PostmortemForm(initial={"body": body, "base_version": postmortem.version}),
            status=409,
        )
    except services.StaleVersion as stale:
        return _conflict(request, stale.postmortem, body=body, base_version=base_version)
    messages.success(request, f"Saved as version {revision.version}.")
    return redirect("postmortems:postmortem_edit", slug=slug)


def _conflict(
    request: HttpRequest, current: Postmortem, *, body: str, base_version: int
) -> HttpResponse:
    """Refuse a save based on an old version, keeping the author's text and showing what changed."""
    base = PostmortemRevision.objects.filter(postmortem=current, version=base_version).first()
    changes = line_diff(base.body if base else "", current.body)
    authors = (
        PostmortemRevision.objects.filter(postmortem=current, version__gt=base_version)
        .select_related("author")
        .order_by("version")
    )
    # The form now carries the latest version: saving again deliberately overwrites it
    # with the author's text, after they have seen what changed.
    form = PostmortemForm(initial={"body": body, "base_version": current.version})
    conflict = {
        "base_version": base_version,
        "changes": changes,
        "revisions": list(authors),
        "yours": line_diff(current.body, body),
    }
    return _editor(request, current, form, conflict=conflict, status=409)


@editor_required
@require_POST
def postmortem_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """Render the body with the same renderer the published page uses."""
    return render(
        request,
        "postmortems/_preview.html",
        {"preview": render_markdown_safe(request.POST.get("body", ""))},
    )


@editor_required
@require_POST
def postmortem_autosave(request: HttpRequest, slug: str) -> HttpResponse:
    postmortem = _postmortem_for(slug)
    form = PostmortemForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Draft not saved: the form is incomplete.", status=400)
    draft = services.postmortem_autosave(
        postmortem=postmortem,
        body=form.cleaned_data["body"],
        base_version=form.cleaned_data["base_version"],
        author=request.user,
    )
    stale = draft.base_version != postmortem.version
    return render(
        request,
        "postmortems/_autosave.html",
        {"draft": draft, "stale": stale, "postmortem": postmortem},
    )


@editor_required
@require_POST
def postmortem_refresh_timeline(request: HttpRequest, slug: str) -> HttpResponse:
    postmortem = _postmortem_for(slug)
    body = services.postmortem_refresh_timeline(
        postmortem=postmortem, body=request.POST.get("body", "")
    )
    form = PostmortemForm(
        initial={
            "body": body,
            "base_version": request.POST.get("base_version") or postmortem.version,
        }
    )
    return render(
        request,
        "postmortems/_body_field.html",
        {"form": form, "incident": postmortem.incident, "postmortem": postmortem},
    )


@editor_required
@require_POST
def postmortem_transition(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    postmortem = _postmortem_for(slug)
    back = (
        "postmortems:postmortem_review"
        if request.POST.get("from") == "review"
        else "postmortems:postmortem_edit"
    )
    try:
        if action == "submit" and "body" in request.POST:
            # Sent from the editor: what is on screen is what goes to review.
            form = PostmortemForm(request.POST)
            if not form.is_valid():
                return _editor(request, postmortem, form, status=400)
            postmortem = review_services.postmortem_submit(
                postmortem=postmortem,
                author=request.user,
                body=form.cleaned_data["body"],
                base_version=form.cleaned_data["base_version"],
            )
        else:
            postmortem = services.postmortem_transition(
                postmortem=postmortem,
                action=action,
                author=request.user,
                override=request.POST.get("override") == "1",
                note=request.POST.get("note", ""),
            )
    except services.StaleVersion as stale:
        return _conflict(
            request,
            stale.postmortem,
            body=request.POST.get("body", ""),
            base_version=int(request.POST["base_version"]),
        )
    except services.PublishBlocked as blocked:
        for reason in blocked.reasons:
            messages.error(request, reason)
        return redirect(back, slug=slug)
    except (services.InvalidTransition, services.ReadOnly) as error:
        messages.error(request, str(error))
        return redirect(back, slug=slug)
    messages.success(request, f"The postmortem is {postmortem.get_status_display().lower()} now.")
    if action == "submit":
        return redirect("postmortems:postmortem_review", slug=slug)
    return redirect(back, slug=slug)


def postmortem_revisions(request: HttpRequest, slug: str) -> HttpResponse:
    postmortem = _postmortem_for(slug)
    revisions = list(postmortem.revisions.select_related("author").order_by("-version"))
    by_version = {revision.version: revision for revision in revisions}
    diff = None
    old_version, new_version = request.GET.get("a"), request.GET.get("b")
    if old_version and new_version:
        old, new = by_version.get(_int(old_version)), by_version.get(_int(new_version))
        if old is None or new is None:
            messages.error(request, "Pick two versions that exist.")
        else:
            diff = {"old": old, "new": new, "lines": line_diff(old.body, new.body)}
    return render(
        request,
        "postmortems/postmortem_revisions.html",
        {
            "incident": postmortem.incident,
            "postmortem": postmortem,
            "revisions": revisions,
            "diff": diff,
            "can_restore": is_editor(request.user)
            and postmortem.status != PostmortemStatus.PUBLISHED,
            "now": timezone.now(),
        },
    )


def _int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


@editor_required
@require_POST
def postmortem_restore(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    postmortem = _postmortem_for(slug)
    revision = get_object_or_404(PostmortemRevision, postmortem=postmortem, version=version)
    try:
        saved = services.postmortem_restore(
            postmortem=postmortem, revision=revision, author=request.user
        )
    except (services.ReadOnly, services.StaleVersion) as error:
        messages.error(request, str(error))
        return redirect("postmortems:postmortem_revisions", slug=slug)
    messages.success(request, f"Version {version} restored as version {saved.version}.")
    return redirect("postmortems:postmortem_edit", slug=slug)
