"""Pages of the import pipeline: submit an article, watch its import, review its proposals."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from postmortems.collector import gc_paused
from postmortems.forms import moment_input
from postmortems.ingest import articles, decoding, highlight, proposals, selectors, services
from postmortems.models import (
    Event,
    EventKind,
    ImportKind,
    Incident,
    Precision,
    ReviewState,
    Service,
    Source,
    SourceImport,
)
from postmortems.permissions import editor_required
from postmortems.validators import validate_plausible_year

PAGE_SIZE = 25
# Moments (groups of proposals) per review page: a long article proposes a thousand.
REVIEW_PAGE_SIZE = 30
# Moments from another incident listed in the warning; the rest are counted.
FOREIGN_SHOWN = 20
# What each extraction warning asks of the reviewer, in a few words above its message.
WARNING_TITLES = {
    "multiple_incidents": "More than one incident in this text",
    "contradictory_times": "Times that contradict each other",
    "time_without_zone": "Zone assumed: the text gives none",
    "zone_from_place": "Zone guessed from a place the text names",
    "zone_from_dateline": "Zone taken from the dateline's place",
    "date_inferred": "Date guessed: the text gives none near the time",
    "ambiguous_rollover": "Maybe the next day, maybe the same day",
    "date_far_from_sources": "Dates far from the incident the sources point at",
    "date_without_year": "Year unknown: the text gives none",
    "year_inferred": "Year guessed from a year written elsewhere in the text",
    "weekday_reference_conflict": "Weekday: the page's date and the incident's disagree",
    "time_without_date": "Times left out: no date to put them on",
    "zone_label_mismatch": "Summer or standard time named out of season",
    "relative_without_anchor": "Relative time with nothing to count from",
}


def _titled(warnings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the warnings, each with a short title a reviewer can scan (none if unknown)."""
    return [
        {**warning, "title": WARNING_TITLES.get(warning.get("code", ""), "")}
        for warning in warnings
    ]


def _guesses_by_event(warnings: list[dict[str, Any]], events: list[Event]) -> dict[int, list[str]]:
    """Return, per event, the titles of the warnings that point into its sentence.

    A warning points at a span of the source: where it starts (the first time it lists) and
    where it ends (for two contradicting times, the second). An event whose sentence holds
    either end is one to check first ("Check first: …" on its card), and so is every event whose own zone was a guess (a
    zone warning lists several times but points at the first only).
    """
    found: dict[int, list[str]] = {}
    for event in events:
        if event.review_state != ReviewState.PROPOSED:
            continue
        guess = WARNING_TITLES.get((event.proposal_details or {}).get("zone_guess", ""))
        if guess:
            found[event.pk] = [guess]
        if event.quote_start is None:
            continue
        first = event.quote_start
        last = event.quote_end if event.quote_end is not None else first
        for warning in warnings:
            ends = [warning.get("start"), warning.get("end")]
            if (
                warning["title"]
                and warning["import"].source_id == event.source_id
                and any(isinstance(at, int) and first <= at <= last for at in ends)
                and warning["title"] not in found.get(event.pk, [])
            ):
                found.setdefault(event.pk, []).append(warning["title"])
    return found


LANGUAGE_CHOICES = [("", "Detect"), ("en", "English"), ("de", "German")]


class ImportForm(forms.Form):
    url = forms.URLField(label="URL", required=False, max_length=2000, assume_scheme="https")
    file = forms.FileField(label="File (HTML, Markdown or text, up to 5 MB)", required=False)
    text = forms.CharField(
        label="Pasted text", required=False, strip=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    incident = forms.ModelChoiceField(
        queryset=Incident.objects.order_by("-started_at", "-id"),
        required=False,
        empty_label="Create a draft incident",
        to_field_name="slug",
    )
    language = forms.ChoiceField(choices=LANGUAGE_CHOICES, required=False)
    timezone = forms.CharField(
        label="Time zone of times without one",
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": "e.g. America/Los_Angeles"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        given = [name for name in ("url", "file", "text") if data.get(name)]
        if len(given) != 1:
            raise ValidationError("Give a URL, a file or pasted text (one of them).")
        return data


class ProposalEditForm(forms.Form):
    occurred_at = forms.DateTimeField(
        label="Time (UTC)",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=moment_input(),
        validators=[validate_plausible_year],
    )
    precision = forms.ChoiceField(choices=Precision.choices)
    kind = forms.ChoiceField(choices=EventKind.choices)
    title = forms.CharField(max_length=300)
    services = forms.ModelMultipleChoiceField(
        queryset=Service.objects.order_by("name"), required=False
    )

    def clean_occurred_at(self) -> datetime:
        # The form speaks UTC whatever the server's zone: the timeline is in UTC.
        value = self.cleaned_data["occurred_at"]
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# --- submit and follow ----------------------------------------------------------------


@require_GET
def import_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.source_import_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "postmortems/imports/list.html", {"page": page})


@editor_required
@require_http_methods(["GET", "POST"])
def import_new(request: HttpRequest) -> HttpResponse:
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        initial={"incident": _incident_slug(request.GET.get("incident", ""))},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["file"]:
                filename, payload = decoding.read_upload(data["file"])
                fields: dict[str, Any] = {
                    "kind": ImportKind.UPLOAD,
                    "filename": filename,
                    "payload": payload,
                }
            elif data["url"]:
                fields = {"kind": ImportKind.URL, "url": data["url"]}
            else:
                fields = {"kind": ImportKind.TEXT, "payload": data["text"]}
            source_import, created = services.source_import_submit(
                **fields,
                incident=data["incident"],
                language_hint=data["language"],
                timezone_hint=data["timezone"].strip(),
                user=request.user,
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            if not created:
                messages.info(
                    request,
                    "This article was imported before; here is its first import "
                    "instead of proposing everything again.",
                )
            return redirect("postmortems:import_detail", pk=source_import.pk)
    return render(
        request, "postmortems/imports/new.html", {"form": form}, status=400 if form.errors else 200
    )


def _incident_slug(value: str) -> str:
    # Links pass the incident's slug; an id (older links, bookmarks) is taken as well.
    value = value.strip()
    if value.isdigit():
        return Incident.objects.filter(pk=int(value)).values_list("slug", flat=True).first() or ""
    return value


def _add_service_errors(form: forms.Form, error: ValidationError) -> None:
    renamed = {
        "payload": "text",
        "filename": "file",
        "language_hint": "language",
        "timezone_hint": "timezone",
    }
    for name, field_messages in (
        error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
    ):
        field = renamed.get(name, name) if name else None
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source_import = selectors.source_import_detail(pk)
    template = (
        "postmortems/imports/_status.html" if request.htmx else "postmortems/imports/detail.html"
    )
    return render(request, template, _status_context(source_import))


@require_GET
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    return render(
        request,
        "postmortems/imports/_status.html",
        _status_context(selectors.source_import_detail(pk)),
    )


def _status_context(source_import: SourceImport) -> dict[str, Any]:
    return {
        "import": source_import,
        "finished": source_import.status in articles.FINISHED,
        "warnings": _titled(selectors.warnings_for_display(source_import.warnings)),
    }


# --- review ---------------------------------------------------------------------------


@editor_required
@require_GET
def import_review(request: HttpRequest, pk: int) -> HttpResponse:
    source_import = selectors.source_import_detail(pk)
    url = reverse("postmortems:incident_review", args=[source_import.incident.slug])
    return redirect(f"{url}?source={source_import.source_id}" if source_import.source_id else url)


@editor_required
@require_GET
def incident_review(request: HttpRequest, slug: str) -> HttpResponse:
    incident = get_object_or_404(Incident, slug=slug)
    with gc_paused():
        context = _review_context(request, incident)
    return render(request, "postmortems/imports/review.html", context)


def _review_context(request: HttpRequest, incident: Incident) -> dict[str, Any]:
    sources = list(selectors.review_sources(incident))
    chosen = request.GET.get("source") or request.POST.get("source")
    source = next(
        (item for item in sources if str(item.pk) == chosen), sources[0] if sources else None
    )
    events = list(selectors.review_page_events(incident))
    service_ids = selectors.review_service_ids(incident)
    foreign = proposals.foreign_proposals(
        events, proposals.incident_anchor_day(incident.started_at, proposals.moments_of(events))
    )
    foreign_ids = {event.pk for event in foreign}
    groups = [
        group
        for group in proposals.group_proposals(
            [event for event in events if event.pk not in foreign_ids], service_ids=service_ids
        )
        if group.has_proposals
    ]
    conflicted = [group.conflict for group in groups]
    page = Paginator(groups, REVIEW_PAGE_SIZE).get_page(
        request.GET.get("page") or request.POST.get("page")
    )
    shown = [event for group in page for event in group.events]
    selectors.review_page_prefetch(shown)
    timeline = proposals.TimelineTwins(events, service_ids=service_ids)
    twins = {
        event.pk: twin
        for event in shown
        if event.review_state == ReviewState.PROPOSED
        and (twin := timeline.twin_of(event)) is not None
    }
    pieces = (
        highlight.highlighted_pieces(source.text, [e for e in events if e.source_id == source.pk])
        if source
        else []
    )
    warnings = _titled(selectors.review_warnings(incident))
    return {
        "incident": incident,
        "sources": sources,
        "source": source,
        "source_html": highlight.pieces_html(pieces),
        "groups": groups,
        "page": page,
        # Conflicts hold back "Accept all": say on which pages they wait.
        "conflict_pages": sorted(
            {index // REVIEW_PAGE_SIZE + 1 for index, conflict in enumerate(conflicted) if conflict}
        ),
        "twins": twins,
        "foreign": foreign,
        "foreign_match": selectors.incident_matching(incident=incident, events=foreign),
        "warnings": warnings,
        "guesses": _guesses_by_event(warnings, shown),
        "conflicts": sum(conflicted),
        "foreign_shown": FOREIGN_SHOWN,
        "foreign_more": max(0, len(foreign) - FOREIGN_SHOWN),
        "proposed_count": sum(1 for event in events if event.review_state == ReviewState.PROPOSED),
        "acceptable_count": sum(
            1
            for group, conflict in zip(groups, conflicted, strict=True)
            if not conflict
            for event in group.events
            if event.review_state == ReviewState.PROPOSED
        ),
    }


def _review_response(request: HttpRequest, incident: Incident) -> HttpResponse:
    if request.htmx:
        with gc_paused():
            context = _review_context(request, incident)
        return render(request, "postmortems/imports/_review_body.html", context)
    url = reverse("postmortems:incident_review", args=[incident.slug])
    query = urlencode(
        {
            name: value
            for name in ("source", "page")
            if (value := request.POST.get(name, "")).isdigit()
        }
    )
    return redirect(f"{url}?{query}" if query else url)


def _get_proposal(pk: int) -> Event:
    return get_object_or_404(Event.objects.select_related("incident"), pk=pk)


@editor_required
@require_POST
def proposal_accept(request: HttpRequest, pk: int) -> HttpResponse:
    event = _get_proposal(pk)
    services.proposal_accept(event=event, user=request.user)
    return _review_response(request, event.incident)


@editor_required
@require_POST
def proposal_reject(request: HttpRequest, pk: int) -> HttpResponse:
    event = _get_proposal(pk)
    services.proposal_reject(
        event=event, user=request.user, note=request.POST.get("note", "").strip()
    )
    return _review_response(request, event.incident)


@editor_required
@require_POST
def proposal_keep(request: HttpRequest, pk: int) -> HttpResponse:
    event = _get_proposal(pk)
    services.proposal_conflict_resolve(keep=event, user=request.user)
    return _review_response(request, event.incident)


@editor_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _get_proposal(pk)
    initial = {
        "occurred_at": event.occurred_at.astimezone(UTC),
        "precision": event.precision,
        "kind": event.kind,
        "title": event.title,
        "services": list(event.services.all()),
    }
    form = ProposalEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.proposal_edit(
                event=event,
                user=request.user,
                occurred_at=data["occurred_at"],
                kind=data["kind"],
                title=data["title"],
                services=list(data["services"]),
                precision=data["precision"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            return _review_response(request, event.incident)
    context = {
        "event": event,
        "form": form,
        "source_id": request.GET.get("source") or request.POST.get("source"),
        "page_number": request.GET.get("page") or request.POST.get("page"),
    }
    if request.htmx:
        response = render(request, "postmortems/imports/_edit_form.html", context)
        # htmx swaps only 2xx answers; a form with errors goes back into the proposal's card.
        return (
            reswap(retarget(response, f"#proposal-{event.pk}"), "innerHTML")
            if form.errors
            else response
        )
    return render(
        request, "postmortems/imports/edit.html", context, status=400 if form.errors else 200
    )


@editor_required
@require_POST
def incident_review_accept_all(request: HttpRequest, slug: str) -> HttpResponse:
    incident = get_object_or_404(Incident, slug=slug)
    source_id = request.POST.get("only_source")
    source = get_object_or_404(Source, pk=source_id) if source_id else None
    services.proposals_accept_all(incident=incident, user=request.user, source=source)
    return _review_response(request, incident)


@editor_required
@require_POST
def incident_review_split(request: HttpRequest, slug: str) -> HttpResponse:
    incident = get_object_or_404(Incident, slug=slug)
    events = _foreign_events(incident)
    target_slug = request.POST.get("attach_to", "")
    try:
        if target_slug:
            target = get_object_or_404(Incident, slug=target_slug)
            services.proposals_move(incident=incident, events=events, to=target, user=request.user)
        else:
            target = services.proposals_split_off(
                incident=incident, events=events, user=request.user
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _review_response(request, incident)
    messages.success(
        request,
        f"Moved {len(events)} moment{'s' if len(events) != 1 else ''} to “{target.title}”.",
    )
    if request.htmx:
        return _review_response(request, incident)
    return redirect("postmortems:incident_review", slug=incident.slug)


def _foreign_events(incident: Incident) -> list[Event]:
    events = list(selectors.review_events(incident))
    return proposals.foreign_proposals(
        events, proposals.incident_anchor_day(incident.started_at, proposals.moments_of(events))
    )


@editor_required
@require_POST
def proposal_add_service(request: HttpRequest, pk: int) -> HttpResponse:
    event = _get_proposal(pk)
    name = request.POST.get("name", "").strip()
    offered = {
        item.get("name"): item
        for item in (event.proposal_details or {}).get("new_services", [])
        if isinstance(item, dict)
    }
    if name not in offered:
        messages.error(request, "This proposal does not suggest that service.")
        return _review_response(request, event.incident)
    service = services.service_add_to_catalogue(
        name=name, provider=str(offered[name].get("provider") or event.incident.provider)
    )
    messages.success(request, f"Added {service} to the catalogue.")
    return _review_response(request, event.incident)


# --- drafts ---------------------------------------------------------------------------


@editor_required
@require_GET
def draft_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.draft_incidents(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "postmortems/imports/drafts.html", {"page": page})


@editor_required
@require_POST
def incident_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    incident = get_object_or_404(Incident, slug=slug)
    services.incident_confirm(incident=incident, user=request.user)
    messages.success(request, f"“{incident.title}” is confirmed and now listed with the others.")
    return redirect((request.POST.get("next") == "drafts" and "postmortems:draft_list") or incident)
