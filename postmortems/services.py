"""Writes to the knowledge base. Each service is one transaction."""

from __future__ import annotations

import hashlib
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from postmortems import demo
from postmortems.models import (
    ActionItem,
    Dependency,
    Event,
    Impact,
    Incident,
    Postmortem,
    PostmortemRevision,
    Region,
    Service,
    Source,
    SourceStatus,
    Tag,
)

ROLE_GROUPS = ("viewer", "editor", "admin")


def content_hash(text: str) -> str:
    """Return the SHA-256 of a text, the key that makes one text one source."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@transaction.atomic
def roles_ensure() -> dict[str, Group]:
    """Create the role groups (viewer, editor, admin) if they are missing."""
    return {name: Group.objects.get_or_create(name=name)[0] for name in ROLE_GROUPS}


@transaction.atomic
def demo_user_ensure(*, password: str | None = None) -> AbstractBaseUser:
    """Create the demo editor account, or leave it as it is.

    The well-known default password is refused unless DEBUG is on: a demo login must
    never be what guards a deployment.
    """
    if password is None:
        if not settings.DEBUG:
            raise ImproperlyConfigured(
                "Refusing to create the demo account with the default password while DEBUG is off; "
                "pass a password of your own."
            )
        password = demo.DEMO_PASSWORD
    groups = roles_ensure()
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=demo.DEMO_USERNAME)
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    user.groups.add(groups["editor"])
    return user


@transaction.atomic
def demo_load(*, password: str | None = None) -> dict[str, int]:
    """Load the demo knowledge base; running it again changes nothing.

    Returns the number of rows of each kind the demo consists of.
    """
    user = demo_user_ensure(password=password)
    services = {
        item.name: Service.objects.update_or_create(
            provider=item.provider,
            name=item.name,
            defaults={"category": item.category, "aliases": list(item.aliases), "description": item.description},
        )[0]
        for item in demo.SERVICES
    }
    for downstream, upstream, kind, note in demo.DEPENDENCIES:
        Dependency.objects.update_or_create(
            downstream=services[downstream], upstream=services[upstream], defaults={"kind": kind, "note": note}
        )
    sources = {item.key: _demo_source(item) for item in demo.SOURCES}
    for item in demo.INCIDENTS:
        _demo_incident(item, services=services, sources=sources, user=user)
    return {
        "services": len(services),
        "dependencies": len(demo.DEPENDENCIES),
        "sources": len(sources),
        "incidents": len(demo.INCIDENTS),
        "events": sum(len(item.events) for item in demo.INCIDENTS),
    }


def _demo_source(item: demo.DemoSource) -> Source:
    digest = content_hash(item.text)
    lookup = {"url": item.url} if item.url else {"content_hash": digest}
    source, _ = Source.objects.update_or_create(
        **lookup,
        defaults={
            "title": item.title,
            "publisher": item.publisher,
            "language": item.language,
            "published_at": item.published_at,
            "retrieved_at": demo.utc("2025-10-24 12:00"),
            "raw_content": item.text,
            "text": item.text,
            "content_hash": digest,
            "status": SourceStatus.DONE,
        },
    )
    return source


def _demo_incident(
    item: demo.DemoIncident,
    *,
    services: dict[str, Service],
    sources: dict[str, Source],
    user: AbstractBaseUser,
) -> Incident:
    incident, _ = Incident.objects.update_or_create(
        slug=item.slug,
        defaults={
            "title": item.title,
            "summary": item.summary,
            "provider": item.provider,
            "severity": item.severity,
            "status": item.status,
            "started_at": item.started_at,
            "detected_at": item.detected_at,
            "mitigated_at": item.mitigated_at,
            "resolved_at": item.resolved_at,
            "root_cause_category": item.root_cause_category,
        },
    )
    incident.regions.set([Region.objects.get_or_create(code=code)[0] for code in item.regions])
    incident.tags.set([Tag.objects.get_or_create(name=name)[0] for name in item.tags])
    incident.sources.add(*(sources[key] for key in item.sources))
    for impact in item.impacts:
        Impact.objects.update_or_create(
            incident=incident,
            service=services[impact.service],
            started_at=impact.started_at,
            defaults={"level": impact.level, "role": impact.role, "ended_at": impact.ended_at, "note": impact.note},
        )
    for event_item in item.events:
        source = sources[event_item.source]
        quote_start = source.text.find(event_item.quote)
        if quote_start < 0:
            raise ValueError(f"Demo quote not found in source {event_item.source!r}: {event_item.quote[:60]!r}")
        event, _ = Event.objects.update_or_create(
            incident=incident,
            title=event_item.title,
            defaults={
                "occurred_at": event_item.at,
                "precision": event_item.precision,
                "source_timezone": event_item.source_timezone,
                "kind": event_item.kind,
                "description": event_item.description,
                "source": source,
                "quote": event_item.quote,
                "quote_start": quote_start,
                "quote_end": quote_start + len(event_item.quote),
                "review_state": event_item.review_state,
                "review_note": event_item.review_note,
                "added_by": user,
            },
        )
        event.services.set([services[name] for name in event_item.services])
    for action in item.action_items:
        ActionItem.objects.update_or_create(
            incident=incident,
            title=action.title,
            defaults={
                "owner": action.owner,
                "priority": action.priority,
                "status": action.status,
                "due_date": date.fromisoformat(action.due_date) if action.due_date else None,
                "public": action.public,
            },
        )
    if item.postmortem:
        postmortem, created = Postmortem.objects.get_or_create(
            incident=incident,
            defaults={"body": item.postmortem, "status": item.postmortem_status, "updated_by": user},
        )
        if created:
            PostmortemRevision.objects.create(postmortem=postmortem, version=1, body=item.postmortem, author=user)
    return incident
