from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from postmortems.models import Event, Incident, ReviewState

DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"


def _row_counts() -> dict[str, int]:
    counts = {model._meta.label: model.objects.count() for model in apps.get_models()}
    for model in apps.get_models():
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            counts[through._meta.label] = through.objects.count()
    return counts


@pytest.mark.django_db
def test_load_demo_twice_leaves_the_same_row_counts(settings) -> None:
    settings.DEBUG = True
    call_command("load_demo")
    first = _row_counts()
    call_command("load_demo")
    assert _row_counts() == first
    # Two written-up incidents, and two customers' incidents from their recorded feeds.
    assert first["postmortems.Incident"] == 4
    assert first["postmortems.Feed"] == 3
    assert first["postmortems.Event"] > 20


@pytest.mark.django_db
def test_load_demo_refuses_the_default_password_when_debug_is_off(settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="default password"):
        call_command("load_demo")
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_load_demo_accepts_an_explicit_password_when_debug_is_off(settings) -> None:
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    settings.DEBUG = False
    call_command("load_demo", password="a-long-private-password")
    request = RequestFactory().post("/login/")  # sign-in throttling needs the request
    assert authenticate(request, username="demo", password="a-long-private-password") is not None
    assert authenticate(request, username="demo", password="demo") is None


def test_demo_incident_runs_from_the_dns_failure_to_the_0935_recovery(demo: dict[str, int]) -> None:
    incident = Incident.objects.get(slug=DEMO_SLUG)
    events = list(
        incident.events.filter(review_state=ReviewState.ACCEPTED).order_by("occurred_at", "id")
    )
    assert events[0].kind == "trigger"
    assert "DNS record" in events[0].title
    assert events[0].occurred_at == datetime(2025, 10, 20, 6, 48, tzinfo=UTC)
    recovery_at = datetime(2025, 10, 20, 9, 35, tzinfo=UTC)
    recovery = [e for e in events if e.kind == "recovery" and e.occurred_at == recovery_at]
    assert len(recovery) == 1
    assert "09:35 UTC" in recovery[0].quote
    assert events[-1].occurred_at == incident.resolved_at


def test_every_demo_event_quotes_its_source_exactly(demo: dict[str, int]) -> None:
    for event in Event.objects.select_related("source"):
        assert event.source is not None, event.title
        assert event.source.text[event.quote_start : event.quote_end] == event.quote


def test_demo_notices_the_2021_date_the_german_article_mixes_in(demo: dict[str, int]) -> None:
    rejected = Event.objects.get(incident__slug=DEMO_SLUG, review_state=ReviewState.REJECTED)
    assert "7. Dezember 2021" in rejected.quote
    assert "2021" in rejected.review_note
    assert Incident.objects.filter(started_at__date="2021-12-07").exists()


@pytest.mark.django_db
def test_every_model_is_in_the_admin_with_search(admin_client) -> None:
    from django.contrib import admin

    for model in apps.get_models():
        if model._meta.app_label not in {"postmortems", "timelines"}:
            continue
        model_admin = admin.site._registry.get(model)
        assert model_admin is not None, f"{model._meta.label} is not in the admin"
        assert model_admin.search_fields, f"{model._meta.label} has no admin search"
        changelist = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert admin_client.get(changelist, {"q": "x"}).status_code == 200, changelist


def test_incident_admin_shows_its_events_inline(admin_client, demo: dict[str, int]) -> None:
    incident = Incident.objects.get(slug=DEMO_SLUG)
    page = admin_client.get(f"/admin/postmortems/incident/{incident.pk}/change/").content.decode()
    assert "DNS record for dynamodb.us-east-1.amazonaws.com left empty" in page
