from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from postmortems import demo as demo_module
from postmortems.models import Event, Incident, ReviewState, Service

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


# --------------------------------------------------------------- the demo is a document


def _canonical(records: list) -> list[str]:
    # The document keeps the order the demo's rows were first written in (ids, and so
    # the order of ties on a timeline, stay what they were); an export sorts.
    return sorted(json.dumps(record, sort_keys=True) for record in records)


@pytest.mark.django_db
def test_load_demo_loads_its_document_through_the_knowledge_base_import(
    settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from postmortems import exchange

    calls: list[dict] = []
    real_import = exchange.kb_import

    def recording_import(**kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs)
        return real_import(**kwargs)

    monkeypatch.setattr(exchange, "kb_import", recording_import)
    settings.DEBUG = True
    call_command("load_demo")

    [call] = calls
    assert call == {"document": exchange.kb_loads(demo_module.DOCUMENT.read_bytes()), "merge": True}
    assert call["document"]["format"] == "cascade-kb"


def test_the_loaded_demo_exports_back_to_its_document(demo: dict[str, int]) -> None:
    from postmortems.exchange import kb_export, kb_loads

    document = kb_loads(demo_module.DOCUMENT.read_bytes())
    assert demo["incidents"] == len(document["incidents"]) == 2
    # The recorded AWS status feed adds its own source and proposed events beside these.
    children = ("sources", "impacts", "events", "action_items")
    whole = kb_export()
    for wanted in document["incidents"]:
        [exported] = [item for item in whole["incidents"] if item["slug"] == wanted["slug"]]
        for revision in exported["postmortem"]["revisions"] if exported["postmortem"] else ():
            revision["created_at"] = None  # stamped when loaded; the document leaves it open
        assert {k: v for k, v in exported.items() if k not in children} == {
            k: v for k, v in wanted.items() if k not in children
        }
        for kind in children:
            missing = set(_canonical(wanted[kind])) - set(_canonical(exported[kind]))
            assert not missing, (kind, missing)
    for kind in ("services", "dependencies", "sources", "regions", "tags"):
        missing = set(_canonical(document[kind])) - set(_canonical(whole[kind]))
        assert not missing, (kind, missing)


def test_the_demo_document_quotes_the_german_article_verbatim() -> None:
    from postmortems.exchange import kb_loads

    article = (demo_module.DEMO_DIR / "aws-us-east-1-outage-de.txt").read_text(encoding="utf-8")
    document = kb_loads(demo_module.DOCUMENT.read_bytes())
    [source] = [s for s in document["sources"] if s["language"] == "de"]
    assert source["text"] == article


@pytest.mark.django_db
def test_loading_the_demo_again_keeps_what_people_added_to_it(settings) -> None:
    from django.contrib.auth import get_user_model

    from postmortems import services
    from postmortems.review.services import postmortem_comment_add

    settings.DEBUG = True
    call_command("load_demo")
    incident = Incident.objects.get(slug=DEMO_SLUG)
    user = get_user_model().objects.get(username="demo")
    signal = Service.objects.get(name="Signal")
    added_event = services.event_save(
        incident=incident,
        form_data={
            "occurred_at": datetime(2025, 10, 20, 8, 5, tzinfo=UTC),
            "kind": "detection",
            "title": "Our pager fired",
        },
        services=[signal],
        author=user,
    )
    services.action_item_save(data={"incident": incident, "title": "Add a DNS canary"})
    postmortem = incident.postmortem
    services.postmortem_save(
        postmortem=postmortem,
        body=postmortem.body + "\n\nOur own lesson.",
        base_version=postmortem.version,
        author=user,
    )
    postmortem.refresh_from_db()
    edited = (postmortem.version, postmortem.body)
    assert edited[0] == 2
    postmortem_comment_add(postmortem=postmortem, author=user, body="Say more.", section="Summary")
    # A demo event someone retitled is still the same sentence's moment: the demo's again.
    retitled = incident.events.get(title__startswith="DNS record for dynamodb")
    services.event_save(
        incident=incident,
        form_data={"title": "Retitled"},
        services=list(retitled.services.all()),
        author=user,
        event=retitled,
    )
    before = _row_counts()

    call_command("load_demo")

    assert Event.objects.filter(pk=added_event.pk, title="Our pager fired").exists()
    assert incident.action_items.filter(title="Add a DNS canary").exists()
    postmortem.refresh_from_db()
    assert (postmortem.version, postmortem.body) == edited
    assert postmortem.revisions.count() == 2
    assert postmortem.comments.get().body == "Say more."
    retitled.refresh_from_db()
    assert retitled.title.startswith("DNS record for dynamodb")
    assert _row_counts() == before

    call_command("load_demo")  # and again: nothing changes
    assert _row_counts() == before
