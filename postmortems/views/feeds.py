"""The feeds page (admins manage feeds and proposed services) and link decisions (editors)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from postmortems.ingest.feeds import selectors
from postmortems.ingest.feeds.models import (
    Feed,
    FeedKind,
    FeedState,
    IncidentLink,
    ServiceProposal,
    ServiceProposalState,
)
from postmortems.ingest.feeds.polling import feed_poll
from postmortems.ingest.feeds.services import (
    MIN_POLL_INTERVAL,
    feed_create,
    feed_update,
    incident_link_decide,
    service_proposal_decide,
)
from postmortems.permissions import admin_required, editor_required, is_admin


class FeedForm(forms.Form):
    url = forms.URLField(label="Feed URL", max_length=2000, assume_scheme="https")
    provider = forms.CharField(max_length=120, help_text="As the service catalogue names it.")
    kind = forms.ChoiceField(choices=FeedKind.choices)
    poll_interval = forms.IntegerField(
        label="Poll every (seconds)", initial=300, min_value=MIN_POLL_INTERVAL, max_value=604800
    )


def feed_list(request: HttpRequest) -> HttpResponse:
    form = FeedForm(request.POST or None)
    if request.method == "POST":
        if not is_admin(request.user):
            messages.error(request, "Only admins can add feeds.")
            return redirect("postmortems:feed_list")
        if form.is_valid():
            try:
                feed = feed_create(**form.cleaned_data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, f"Added the {feed.provider} feed; it is polled shortly.")
                return redirect("postmortems:feed_list")
    return render(
        request,
        "postmortems/feeds.html",
        {
            "form": form,
            "feeds": selectors.feed_list(),
            "proposals": selectors.service_proposals_open(),
            "links": selectors.incident_links_open(),
        },
        status=400 if form.errors else 200,
    )


@admin_required
@require_POST
def feed_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    feed = get_object_or_404(Feed, pk=pk)
    if action == "poll":
        result = feed_poll(feed_id=feed.pk)
        if result.outcome == "failed":
            messages.error(request, result.error)
        else:
            messages.success(
                request, f"Polled {feed.provider}: {result.outcome.replace('_', ' ')}."
            )
    elif action in ("pause", "resume"):
        state = FeedState.PAUSED if action == "pause" else FeedState.OK
        feed_update(feed=feed, data={"state": state})
        messages.success(
            request,
            f"The {feed.provider} feed is {'paused' if action == 'pause' else 'polled again'}.",
        )
    return redirect("postmortems:feed_list")


@admin_required
@require_POST
def service_proposal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    proposal = get_object_or_404(ServiceProposal, pk=pk, state=ServiceProposalState.PROPOSED)
    service = service_proposal_decide(proposal=proposal, accept=action == "accept")
    if service is not None:
        messages.success(request, f"{service.name} ({service.provider}) is in the catalogue now.")
    return redirect("postmortems:feed_list")


@editor_required
@require_POST
def incident_link_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    link = get_object_or_404(IncidentLink, pk=pk)
    incident_link_decide(link=link, accept=action == "accept", user=request.user)
    messages.success(
        request,
        f"Link {'accepted' if action == 'accept' else 'rejected'}: {link.downstream.title} → {link.upstream.title}.",
    )
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(link.upstream.get_absolute_url())
