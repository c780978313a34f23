"""Writes the web UI makes through ModelForms, as services for the API.

Incidents, events, reviews and postmortems go through ``postmortems.services``; these are
the remaining records (impacts, the catalogue, action items) plus bulk event creation.
They belong in ``postmortems/services.py`` and should move there when it is free to edit.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction

from postmortems.models import ActionItem, Dependency, Event, Impact, Incident, Service
from postmortems.services import event_save


def _apply(record: models.Model, data: dict[str, Any]) -> None:
    for field, value in data.items():
        setattr(record, field, value)
    record.save()


@transaction.atomic
def event_bulk_create(
    *, items: list[dict[str, Any]], author: AbstractBaseUser, incident: Incident | None = None
) -> list[Event]:
    """Create every event or none: one transaction around the UI's own ``event_save``."""
    events = []
    for item in items:
        item = dict(item)
        services = item.pop("services", [])
        target = item.pop("incident", None) or incident
        events.append(event_save(incident=target, form_data=item, services=services, author=author))
    return events


@transaction.atomic
def event_update(*, event: Event, data: dict[str, Any], author: AbstractBaseUser) -> Event:
    """Change an event, keeping its services unless new ones are given."""
    data = dict(data)
    services = data.pop("services", None)
    if services is None:
        services = list(event.services.all())
    data.pop("incident", None)
    return event_save(
        incident=event.incident, form_data=data, services=services, author=author, event=event
    )


@transaction.atomic
def impact_save(*, data: dict[str, Any], impact: Impact | None = None) -> Impact:
    """Create or change an impact of a service during an incident."""
    impact = impact or Impact()
    _apply(impact, data)
    return impact


@transaction.atomic
def service_save(*, data: dict[str, Any], service: Service | None = None) -> Service:
    """Create or change a service of the catalogue."""
    service = service or Service()
    _apply(service, data)
    return service


@transaction.atomic
def dependency_save(*, data: dict[str, Any], dependency: Dependency | None = None) -> Dependency:
    """Create or change a dependency between two services."""
    dependency = dependency or Dependency()
    _apply(dependency, data)
    return dependency


@transaction.atomic
def action_item_save(*, data: dict[str, Any], item: ActionItem | None = None) -> ActionItem:
    """Create or change an action item."""
    item = item or ActionItem()
    _apply(item, data)
    return item


@transaction.atomic
def record_delete(*, record: models.Model) -> None:
    """Delete a record; records still referring to it (an impacted service) refuse."""
    record.delete()
