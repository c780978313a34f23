"""Share links and exports on the web.

Two kinds of view live here. Signed-in views manage an incident's links (editors only)
and export the internal account (anyone signed in). Stakeholder views, under ``/s/``,
need no account: the token in the URL is the whole credential, so they answer only what
``exports.Audience.STAKEHOLDER`` lets through, and mark every response private, unindexed
and referrer-free so the token does not travel further than the person it was sent to.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from postmortems.collector import gc_paused
from postmortems.models import Incident
from postmortems.permissions import editor_required, is_editor
from timelines import export_jobs, exports, services, sharing
from timelines.forms import ShareLinkForm
from timelines.models import ExportJob, ExportJobStatus, ShareLink

View = Callable[..., HttpResponse]


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response


def _private_response(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return _private(view(request, *args, **kwargs))

    return wrapper


def _download(file: exports.ExportFile) -> HttpResponse:
    response = HttpResponse(file.content, content_type=file.content_type)
    # Slugs are [-a-zA-Z0-9_], so the file name needs no quoting beyond the quotes.
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


# ---------------------------------------------------------------------- managing links


def _get_incident(slug: str) -> Incident:
    return get_object_or_404(Incident, slug=slug)


def _panel_context(request: HttpRequest, incident: Incident, **extra: Any) -> dict[str, Any]:
    return {
        "incident": incident,
        "links": list(sharing.share_links_of(incident)),
        "now": timezone.now(),
        "can_edit": is_editor(request.user),
        **extra,
    }


@editor_required
@_private_response
def share_links(request: HttpRequest, slug: str) -> HttpResponse:
    incident = _get_incident(slug)
    form = ShareLinkForm(request.POST or None)
    created, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            created = services.share_link_create(
                incident=incident, created_by=request.user, **form.cleaned_data
            )
            form = ShareLinkForm()
            status = 201
        else:
            # htmx swaps only 2xx answers; the form comes back with its errors either way.
            status = 200 if request.htmx else 400
    context = _panel_context(request, incident, form=form, created=created)
    if created is not None:
        url = request.build_absolute_uri(reverse("timelines:share_view", args=[created.token]))
        context |= {
            "share_url": url,
            "embed_url": request.build_absolute_uri(
                reverse("timelines:share_embed", args=[created.token])
            ),
        }
    template = "timelines/share/_panel.html" if request.htmx else "timelines/share/manage.html"
    return render(request, template, context, status=status)


@editor_required
@require_POST
def share_link_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    link = get_object_or_404(
        ShareLink.objects.select_related("incident", "created_by"), pk=pk, incident__slug=slug
    )
    services.share_link_revoke(link=link)
    if request.htmx:
        return render(
            request, "timelines/share/_link_row.html", {"link": link, "now": timezone.now()}
        )
    return redirect("timelines:share_links", slug=slug)


# ------------------------------------------------------------------- internal exports


def _internal_account(slug: str) -> exports.Account:
    incident = get_object_or_404(Incident, slug=slug)
    return exports.account_for(incident, audience=exports.Audience.INTERNAL)


@require_GET
@_private_response
def incident_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in exports.DOCUMENT_FORMATS:
        raise Http404("No such export format.")
    incident = _get_incident(slug)
    if export_jobs.runs_in_background(incident, fmt):
        job = export_jobs.export_job_start(incident=incident, fmt=fmt, requested_by=request.user)
        return redirect(job)
    return _document(exports.account_for(incident, audience=exports.Audience.INTERNAL), fmt)


def _get_export_job(request: HttpRequest, pk: int) -> ExportJob:
    return get_object_or_404(export_jobs.jobs_of_user(request.user), pk=pk)


def _job_page(request: HttpRequest, template: str, job: ExportJob, **urls: str) -> HttpResponse:
    """Render a job's page; htmx's poll of the same URL gets only its status panel."""
    context = {"job": job, **urls}
    if request.htmx:
        return render(request, "timelines/_export_job_status.html", context)
    return render(request, template, context)


@require_GET
@_private_response
def export_job(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a background export: its progress, then a link to its file."""
    job = _get_export_job(request, pk)
    slug = job.incident.slug
    return _job_page(
        request,
        "timelines/export_job.html",
        job,
        status_url=job.get_absolute_url(),
        download_url=reverse("timelines:export_job_download", args=[job.pk]),
        retry_url=reverse("timelines:incident_export", args=[slug, job.fmt]),
        json_url=reverse("timelines:incident_export", args=[slug, "json"]),
        csv_url=reverse("timelines:incident_export", args=[slug, "csv"]),
    )


@require_GET
@_private_response
def export_job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = _get_export_job(request, pk)
    if job.status != ExportJobStatus.DONE:
        return redirect(job)
    return _download(export_jobs.job_file(job))


def _document(account: exports.Account, fmt: str) -> HttpResponse:
    try:
        return _download(exports.export_file(account, fmt))
    except exports.ExportUnavailable as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")


@require_GET
@_private_response
def incident_picture(request: HttpRequest, slug: str, picture: str) -> HttpResponse:
    # Like the timeline page: a large incident's reconstruction and picture make objects
    # by the ten thousand, which the cyclic collector would walk over and over.
    with gc_paused():
        account = _internal_account(slug)
        return _download(exports.export_file(account, _picture_format(request, picture)))


def _picture_format(request: HttpRequest, picture: str) -> str:
    # ?lanes=all: the timeline with a lane for every service, however many.
    if picture == "timeline" and request.GET.get("lanes") == "all":
        return "timeline-all.svg"
    return f"{picture}.svg"


# ------------------------------------------------------------------- stakeholder views


def _unavailable(
    request: HttpRequest, lookup: sharing.Lookup | None = None, *, status: int | None = None
) -> HttpResponse:
    if lookup is not None and lookup.state is sharing.LinkState.GONE:
        heading, message, code = "No longer available", "This link has expired or was revoked.", 410
    elif status == 403:
        heading, message, code = (
            "Not available here",
            "This link may not be shown inside another page.",
            403,
        )
    else:
        heading, message, code = (
            "No longer available",
            "This link does not exist, or no longer does.",
            404,
        )
    response = render(
        request,
        "timelines/share/unavailable.html",
        {"heading": heading, "message": message},
        status=code,
    )
    response["Content-Security-Policy"] = "frame-ancestors 'none'"
    return _private(response)


def _stakeholder_view(view: Callable[..., HttpResponse]) -> View:
    """Resolve the token to an active link, or answer 404/410 with no incident data."""

    @login_not_required
    @require_GET
    @wraps(view)
    def wrapper(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
        lookup = sharing.share_link_lookup(token, now=timezone.now())
        if lookup.state is not sharing.LinkState.ACTIVE or lookup.link is None:
            return _unavailable(request, lookup)
        return _private(view(request, lookup.link, token, *args, **kwargs))

    return wrapper


def _stakeholder_account(link: ShareLink) -> exports.Account:
    return exports.account_for(
        link.incident,
        audience=exports.Audience.STAKEHOLDER,
        include_postmortem=link.includes_postmortem(),
    )


@_stakeholder_view
def share_view(request: HttpRequest, link: ShareLink, token: str) -> HttpResponse:
    account = _stakeholder_account(link)
    services.share_link_record_view(link=link)
    context = exports.document_context(account) | {
        "token": token,
        "description": exports.plain_summary(account),
    }
    response = render(request, "timelines/share/stakeholder.html", context)
    response["Content-Security-Policy"] = "frame-ancestors 'none'"
    return response


@_stakeholder_view
def share_embed(request: HttpRequest, link: ShareLink, token: str) -> HttpResponse:
    if not link.allow_embed:
        return _unavailable(request, status=403)
    account = _stakeholder_account(link)
    services.share_link_record_view(link=link)
    # The SVG writer escapes every piece of text it draws.
    swimlanes = mark_safe(exports.timeline_svg(account))
    response = render(
        request, "timelines/share/embed.html", {"account": account, "swimlanes": swimlanes}
    )
    # The site denies framing everywhere (X_FRAME_OPTIONS = "DENY"); this link opted in.
    response.xframe_options_exempt = True
    response["Content-Security-Policy"] = "frame-ancestors *"
    return response


@_stakeholder_view
def share_export(request: HttpRequest, link: ShareLink, token: str, fmt: str) -> HttpResponse:
    if fmt not in exports.DOCUMENT_FORMATS:
        raise Http404("No such export format.")
    if export_jobs.runs_in_background(link.incident, fmt):
        job = export_jobs.export_job_start(incident=link.incident, fmt=fmt, share_link=link)
        return redirect("timelines:share_export_job", token=token, pk=job.pk)
    return _document(_stakeholder_account(link), fmt)


@_stakeholder_view
def share_export_job(request: HttpRequest, link: ShareLink, token: str, pk: int) -> HttpResponse:
    """Follow an export asked for through this link; no other link's, no other incident's."""
    job = get_object_or_404(export_jobs.jobs_of_link(link), pk=pk)
    return _job_page(
        request,
        "timelines/share/export_job.html",
        job,
        status_url=reverse("timelines:share_export_job", args=[token, job.pk]),
        download_url=reverse("timelines:share_export_job_download", args=[token, job.pk]),
        retry_url=reverse("timelines:share_export", args=[token, job.fmt]),
        json_url=reverse("timelines:share_export", args=[token, "json"]),
        csv_url=reverse("timelines:share_export", args=[token, "csv"]),
        share_url=reverse("timelines:share_view", args=[token]),
    )


@_stakeholder_view
def share_export_job_download(
    request: HttpRequest, link: ShareLink, token: str, pk: int
) -> HttpResponse:
    job = get_object_or_404(export_jobs.jobs_of_link(link), pk=pk)
    if job.status != ExportJobStatus.DONE:
        return redirect("timelines:share_export_job", token=token, pk=job.pk)
    return _download(export_jobs.job_file(job))


@_stakeholder_view
def share_picture(request: HttpRequest, link: ShareLink, token: str, picture: str) -> HttpResponse:
    with gc_paused():
        account = _stakeholder_account(link)
        return _download(exports.export_file(account, _picture_format(request, picture)))
