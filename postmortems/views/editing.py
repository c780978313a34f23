"""Editing the knowledge base from the web UI: incidents, events, impacts, the catalogue,
action items and accounts. Each view validates a form and calls one service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from postmortems import selectors, services
from postmortems.event_pages import event_pages
from postmortems.forms import (
    ActionItemForm,
    DependencyForm,
    EventForm,
    ImpactForm,
    IncidentForm,
    RoleForm,
    ServiceForm,
    UserForm,
    VersionedModelForm,
    browser_zone,
)
from postmortems.models import (
    ActionItem,
    ActionItemStatus,
    Dependency,
    Event,
    Impact,
    Incident,
    Service,
)
from postmortems.permissions import admin_required, editor_required, role_of
from postmortems.views.incidents import timeline_events_context


def _form_page(
    request: HttpRequest, form: object, *, title: str, cancel: str, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "postmortems/form_page.html",
        {"form": form, "title": title, "cancel": cancel},
        status=status,
    )


def _form_view(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    title: str,
    cancel: str,
    on_valid: Callable[[Any], tuple[str, Any]],
) -> HttpResponse:
    """Show a form; on a valid POST run ``on_valid``, which says what happened and where to go."""
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            message, target = on_valid(form)
        except ValidationError as error:
            add_service_errors(form, error)
        except services.StaleRecord as stale:
            keep_stale_form(form, stale)
            status = 409
        else:
            messages.success(request, message)
            return redirect(target)
    if form.errors and status == 200:
        status = 400
    return _form_page(request, form, title=title, cancel=cancel, status=status)


def keep_stale_form(form: VersionedModelForm, stale: services.StaleRecord) -> None:
    """Keep what the person typed, say that someone saved in between, and rebase the form.

    Saving the same form again is then a deliberate choice to replace the other change.
    """
    form.add_error(
        None,
        f"{stale} Your changes are kept below: compare them with the current "
        "version (open it in another tab), then save again to replace it with yours.",
    )
    form.rebase(stale.current.version)  # type: ignore[attr-defined]


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show what a service refused on the form, next to the field it concerns."""
    for field, field_messages in getattr(
        error, "message_dict", {"__all__": error.messages}
    ).items():
        form.add_error(field if field in form.fields else None, field_messages)


# ----------------------------------------------------------------------------- incidents


def _incident_form(request: HttpRequest, incident: Incident | None) -> HttpResponse:
    def save(form: IncidentForm) -> tuple[str, Incident]:
        saved = services.incident_save(
            incident=incident,
            form_data=form.record_data(),
            regions=form.cleaned_data["regions_text"],
            tags=form.cleaned_data["tags_text"],
            base_version=form.cleaned_data["base_version"],
        )
        return (
            f"Incident “{saved.title}” created." if incident is None else "Incident saved."
        ), saved

    return _form_view(
        request,
        IncidentForm(request.POST or None, instance=incident),
        title="New incident" if incident is None else f"Edit {incident.title}",
        cancel="/" if incident is None else incident.get_absolute_url(),
        on_valid=save,
    )


@editor_required
def incident_create(request: HttpRequest) -> HttpResponse:
    return _incident_form(request, None)


@editor_required
def incident_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _incident_form(request, get_object_or_404(Incident, slug=slug))


# -------------------------------------------------------------------------------- events


def _timeline_events(
    request: HttpRequest, incident: Incident, form: EventForm, *, status: int = 200
) -> HttpResponse:
    # The list as the incident page shows it, on its first page.
    order = selectors.incident_event_order(incident)
    return render(
        request,
        "postmortems/_timeline_events.html",
        {
            "incident": incident,
            **timeline_events_context(order, event_pages(order.times, order.ids)),
            "event_form": form,
        },
        status=status,
    )


def _zones(request: HttpRequest, incident: Incident) -> list[tuple[str, str]]:
    return selectors.event_zone_suggestions(incident=incident, user_zone=browser_zone(request))


@editor_required
@require_POST
def event_create(request: HttpRequest, slug: str) -> HttpResponse:
    incident = get_object_or_404(Incident, slug=slug)
    form = EventForm(request.POST, preferred_zones=_zones(request, incident))
    if form.is_valid():
        data = {k: v for k, v in form.record_data().items() if k != "services"}
        services.event_save(
            incident=incident,
            form_data=data,
            services=list(form.cleaned_data["services"]),
            author=request.user,
        )
        if not request.htmx:
            messages.success(request, "Event added.")
            return redirect(incident)
        return _timeline_events(
            request,
            incident,
            EventForm(
                initial={"source_timezone": data["source_timezone"]},
                preferred_zones=_zones(request, incident),
            ),
        )
    if not request.htmx:
        return _form_page(
            request, form, title="Add an event", cancel=incident.get_absolute_url(), status=400
        )
    return _timeline_events(request, incident, form, status=400)


@editor_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.select_related("incident", "source"), pk=pk)
    form = EventForm(
        request.POST or None, instance=event, preferred_zones=_zones(request, event.incident)
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.event_save(
                incident=event.incident,
                event=event,
                form_data={k: v for k, v in form.record_data().items() if k != "services"},
                services=list(form.cleaned_data["services"]),
                author=request.user,
                base_version=form.cleaned_data["base_version"],
            )
        except services.StaleRecord as stale:
            keep_stale_form(form, stale)
            status = 409
        else:
            if request.htmx:
                return render(request, "postmortems/_event.html", {"event": saved})
            return redirect(f"{saved.incident.get_absolute_url()}#event-{saved.pk}")
    if form.errors and status == 200:
        status = 400
    if request.htmx:
        return render(
            request, "postmortems/_event_form.html", {"form": form, "event": event}, status=status
        )
    return _form_page(
        request,
        form,
        title=f"Edit event: {event.title}",
        cancel=event.incident.get_absolute_url(),
        status=status,
    )


@editor_required
def event_row(request: HttpRequest, pk: int) -> HttpResponse:
    """Return one event as shown on the incident page (for cancelling an inline edit)."""
    event = get_object_or_404(
        Event.objects.select_related("source").prefetch_related("services"), pk=pk
    )
    return render(request, "postmortems/_event.html", {"event": event})


# ------------------------------------------------------------------------------- impacts


@editor_required
def impact_create(request: HttpRequest, slug: str) -> HttpResponse:
    incident = get_object_or_404(Incident, slug=slug)

    def save(form: ImpactForm) -> tuple[str, Incident]:
        impact = services.impact_save(data={**form.cleaned_data, "incident": incident})
        return f"Impact on {impact.service.name} recorded.", incident

    return _form_view(
        request,
        ImpactForm(request.POST or None, initial={"started_at": incident.started_at}),
        title=f"Record an impact on {incident.title}",
        cancel=incident.get_absolute_url(),
        on_valid=save,
    )


@editor_required
def impact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    impact = get_object_or_404(Impact.objects.select_related("incident", "service"), pk=pk)
    return _form_view(
        request,
        ImpactForm(request.POST or None, instance=impact),
        title=f"Edit impact on {impact.service.name}",
        cancel=impact.incident.get_absolute_url(),
        on_valid=lambda form: (
            "Impact saved.",
            services.impact_save(data=form.cleaned_data, impact=impact).incident,
        ),
    )


# ----------------------------------------------------------------------------- catalogue


@admin_required
def service_create(request: HttpRequest) -> HttpResponse:
    def save(form: ServiceForm) -> tuple[str, Service]:
        service = services.service_save(data=form.record_data())
        return f"Service {service.name} added to the catalogue.", service

    return _form_view(
        request,
        ServiceForm(request.POST or None),
        title="New service",
        cancel="/services/",
        on_valid=save,
    )


@admin_required
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(Service, pk=pk)
    return _form_view(
        request,
        ServiceForm(request.POST or None, instance=service),
        title=f"Edit {service.name}",
        cancel=service.get_absolute_url(),
        on_valid=lambda form: (
            "Service saved.",
            services.service_save(data=form.record_data(), service=service),
        ),
    )


@admin_required
def dependency_create(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(Service, pk=pk)

    def save(form: DependencyForm) -> tuple[str, Service]:
        dependency = services.dependency_save(data={**form.cleaned_data, "downstream": service})
        return f"{service.name} now depends on {dependency.upstream.name}.", service

    return _form_view(
        request,
        DependencyForm(request.POST or None, downstream=service),
        title=f"{service.name} depends on…",
        cancel=service.get_absolute_url(),
        on_valid=save,
    )


@admin_required
@require_POST
def dependency_delete(request: HttpRequest, pk: int) -> HttpResponse:
    dependency = get_object_or_404(
        Dependency.objects.select_related("downstream", "upstream"), pk=pk
    )
    downstream = dependency.downstream
    services.record_delete(record=dependency)
    messages.success(request, f"{downstream.name} no longer depends on {dependency.upstream.name}.")
    return redirect(downstream)


# -------------------------------------------------------------------------- action items


@editor_required
def action_item_create(request: HttpRequest, slug: str) -> HttpResponse:
    incident = get_object_or_404(Incident, slug=slug)

    def save(form: ActionItemForm) -> tuple[str, Incident]:
        services.action_item_save(
            data={**form.record_data(), "incident": incident}, actor=request.user
        )
        return "Action item added.", incident

    return _form_view(
        request,
        ActionItemForm(request.POST or None),
        title=f"New action item for {incident.title}",
        cancel=incident.get_absolute_url(),
        on_valid=save,
    )


@editor_required
def action_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ActionItem.objects.select_related("incident"), pk=pk)

    def save(form: ActionItemForm) -> tuple[str, Incident]:
        services.action_item_save(
            data=form.record_data(),
            item=item,
            actor=request.user,
            base_version=form.cleaned_data["base_version"],
        )
        return "Action item saved.", item.incident

    return _form_view(
        request,
        ActionItemForm(request.POST or None, instance=item),
        title=f"Edit action item: {item.title}",
        cancel=item.incident.get_absolute_url(),
        on_valid=save,
    )


def action_items(request: HttpRequest) -> HttpResponse:
    # The site's day (TIME_ZONE, UTC), as the overdue notices count it; the server
    # process's own zone must not move an item in or out of "overdue".
    today = timezone.localdate()
    items = (
        ActionItem.objects.filter(status__in=[ActionItemStatus.OPEN, ActionItemStatus.IN_PROGRESS])
        .select_related("incident", "assignee")
        .order_by("due_date", "priority", "id")
    )
    owner = request.GET.get("owner", "").strip()
    if owner:
        items = items.filter(
            Q(owner__icontains=owner)
            | Q(assignee__username__icontains=owner)
            | Q(assignee__first_name__icontains=owner)
            | Q(assignee__last_name__icontains=owner)
        )
    if request.GET.get("overdue"):
        items = items.filter(Q(due_date__lt=today))
    items = list(items)
    return render(
        request,
        "postmortems/action_items.html",
        {
            "items": items,
            "today": today,
            "overdue_count": sum(1 for item in items if item.due_date and item.due_date < today),
            "owner": owner,
            "overdue_only": bool(request.GET.get("overdue")),
        },
    )


# ------------------------------------------------------------------------------ accounts


@admin_required
def users(request: HttpRequest) -> HttpResponse:
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.user_create(**form.cleaned_data)
        messages.success(request, f"Account {user.get_username()} created.")
        return redirect("postmortems:users")
    accounts = get_user_model().objects.prefetch_related("groups").order_by("username")
    rows = [(account, role_of(account)) for account in accounts]
    return render(
        request,
        "postmortems/users.html",
        {"form": form, "rows": rows},
        status=400 if form.errors else 200,
    )


@admin_required
@require_POST
def user_role(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(get_user_model(), pk=pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        services.user_set_role(user=account, role=form.cleaned_data["role"])
        messages.success(request, f"{account.get_username()} is now {form.cleaned_data['role']}.")
    else:
        messages.error(request, "Choose viewer, editor or admin.")
    return redirect("postmortems:users")
