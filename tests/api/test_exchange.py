"""Export and import of the knowledge base as JSON (postmortems/exchange.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from postmortems import models
from postmortems.exchange import kb_dumps, kb_export, kb_import, kb_loads
from postmortems.review.services import postmortem_approve
from postmortems.services import postmortem_save, postmortem_start, postmortem_transition

DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"

# Feed bookkeeping is not part of the knowledge-base document; it refers to sources and
# incidents, so it goes first.
KB_MODELS = [
    models.FeedUpdate,
    models.FeedEntry,
    models.Feed,
    models.IncidentLink,
    models.ServiceProposal,
    models.PostmortemDraft,
    models.PostmortemRevision,
    models.Postmortem,
    models.ActionItem,
    models.Event,
    models.Impact,
    models.SourceImport,
    models.Source,
    models.Incident,
    models.Dependency,
    models.Service,
    models.Region,
    models.Tag,
]


def _empty_the_knowledge_base() -> None:
    for model in KB_MODELS:
        model.objects.all().delete()
    get_user_model().objects.all().delete()


@pytest.fixture
def rich_demo(demo: dict[str, int]) -> dict[str, int]:
    """The demo plus what it lacks: revisions, a publication, a draft, a text-only source."""
    incident = models.Incident.objects.get(slug=DEMO_SLUG)
    author = get_user_model().objects.get(username="demo")
    postmortem = postmortem_start(incident=incident, author=author)
    postmortem_save(
        postmortem=postmortem,
        body=postmortem.body + "\n\nMore.",
        base_version=postmortem.version,
        author=author,
    )
    postmortem.refresh_from_db()
    if postmortem.status == models.PostmortemStatus.DRAFT:
        postmortem_transition(postmortem=postmortem, action="submit", author=author)
    reviewer = get_user_model().objects.create_user(username="reviewer")
    postmortem_approve(postmortem=postmortem, reviewer=reviewer)
    postmortem_transition(postmortem=postmortem, action="publish", author=author)
    models.PostmortemDraft.objects.create(
        postmortem=postmortem, author=author, body="typing…", base_version=postmortem.version
    )
    models.Source.objects.create(title="Pasted", text="Only text", content_hash="ab" * 32)
    return demo


def test_export_is_byte_identical_after_import_into_an_empty_database(
    rich_demo: dict[str, int], tmp_path: Path
) -> None:
    first = tmp_path / "first.json"
    call_command("export_kb", "-o", str(first))
    # The demo's feeds add incidents and events of their own beyond what demo_load counts.
    incidents, events = models.Incident.objects.count(), models.Event.objects.count()
    assert incidents >= rich_demo["incidents"]
    _empty_the_knowledge_base()
    assert models.Incident.objects.count() == 0
    call_command("import_kb", str(first))
    second = tmp_path / "second.json"
    call_command("export_kb", "-o", str(second))
    assert first.read_bytes() == second.read_bytes()
    document = json.loads(first.read_text())
    assert document["format"] == "cascade-kb"
    assert document["version"] == 1
    assert len(document["incidents"]) == incidents
    assert sum(len(item["events"]) for item in document["incidents"]) == events
    published = next(i for i in document["incidents"] if i["slug"] == DEMO_SLUG)["postmortem"]
    assert published["status"] == "published"
    assert len(published["revisions"]) >= 2
    assert published["drafts"][0]["body"] == "typing…"


def test_two_exports_of_the_same_knowledge_base_are_identical(demo: dict[str, int]) -> None:
    assert kb_dumps(kb_export()) == kb_dumps(kb_export())


def test_importing_twice_changes_nothing(rich_demo: dict[str, int]) -> None:
    document = kb_export()
    ids_before = sorted(models.Event.objects.values_list("pk", flat=True))
    report = kb_import(document=document)
    assert not report.changed, report.as_dict()
    assert sorted(models.Event.objects.values_list("pk", flat=True)) == ids_before


def test_import_restores_what_was_changed_and_removes_extra_children(
    rich_demo: dict[str, int],
) -> None:
    document = kb_export()
    incident = models.Incident.objects.get(slug=DEMO_SLUG)
    event = incident.events.first()
    event.title = "Edited"
    event.save()
    models.Event.objects.create(incident=incident, occurred_at=event.occurred_at, title="Stray")
    report = kb_import(document=document)
    assert report.changed
    assert not incident.events.filter(title__in=["Edited", "Stray"]).exists()
    assert kb_dumps(kb_export()) == kb_dumps(document)


def test_one_incident_exports_with_what_it_refers_to_and_imports_alone(
    demo: dict[str, int],
) -> None:
    document = kb_export(incident_slug=DEMO_SLUG)
    assert [item["slug"] for item in document["incidents"]] == [DEMO_SLUG]
    names = {service["name"] for service in document["services"]}
    assert "DynamoDB" in names
    _empty_the_knowledge_base()
    kb_import(document=document)
    assert kb_dumps(kb_export(incident_slug=DEMO_SLUG)) == kb_dumps(document)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "Not JSON"),
        ('{"format": "other"}', "Not a knowledge-base export"),
        ('{"format": "cascade-kb", "version": 2}', "Unknown version 2"),
        ('{"format": "cascade-kb", "version": 1}', "lacks the field 'services'"),
    ],
)
def test_import_command_explains_a_bad_file(
    db: None, tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "kb.json"
    path.write_text(text)
    with pytest.raises(CommandError, match=message):
        call_command("import_kb", str(path))


def test_a_failing_import_changes_nothing(demo: dict[str, int]) -> None:
    document = kb_export()
    document["incidents"][0]["title"] = "Changed before the failure"
    document["incidents"][-1]["events"][0]["services"] = [["Nowhere", "Nothing"]]
    before = kb_dumps(kb_export())
    with pytest.raises(ValueError, match="unknown service"):
        kb_import(document=document)
    assert kb_dumps(kb_export()) == before


def test_kb_loads_accepts_what_kb_dumps_writes(demo: dict[str, int]) -> None:
    document = kb_export()
    assert kb_loads(kb_dumps(document)) == document


def test_a_merge_keeps_what_the_document_does_not_hold(
    rich_demo: dict[str, int], admin_api, tmp_path: Path
) -> None:
    document = kb_export()
    incident = models.Incident.objects.get(slug=DEMO_SLUG)
    event = incident.events.first()
    models.Event.objects.create(incident=incident, occurred_at=event.occurred_at, title="Stray")
    models.ActionItem.objects.create(incident=incident, title="Ours")
    models.PostmortemRevision.objects.filter(postmortem__incident=incident).update(body="Edited")
    edited = kb_export()

    response = admin_api.post("/api/v1/kb/import/?merge=true", document, format="json")
    assert response.status_code == 200, response.content
    assert not response.json()["counts"]["deleted"]
    assert incident.events.filter(title="Stray").exists()
    assert incident.action_items.filter(title="Ours").exists()
    assert kb_dumps(kb_export()) == kb_dumps(edited)  # the postmortem stays its authors'

    path = tmp_path / "kb.json"
    path.write_text(kb_dumps(document))
    call_command("import_kb", "--merge", str(path))
    assert incident.events.filter(title="Stray").exists()
    call_command("import_kb", str(path))  # without --merge the document's children win
    assert not incident.events.filter(title="Stray").exists()
    assert kb_dumps(kb_export()) == kb_dumps(document)


def test_merge_takes_true_or_false(demo: dict[str, int], admin_api) -> None:
    response = admin_api.post("/api/v1/kb/import/?merge=yes", kb_export(), format="json")
    assert response.status_code == 400
    assert "merge" in json.dumps(response.json())


def test_an_idempotency_key_names_the_import_with_its_merge_choice(
    demo: dict[str, int], admin_api
) -> None:
    document = kb_export()
    first = admin_api.post(
        "/api/v1/kb/import/?merge=true", document, format="json", HTTP_IDEMPOTENCY_KEY="kb-1"
    )
    again = admin_api.post(
        "/api/v1/kb/import/?merge=true", document, format="json", HTTP_IDEMPOTENCY_KEY="kb-1"
    )
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    # Without the merge it is another request: the key may not replay the merge's answer.
    other = admin_api.post(
        "/api/v1/kb/import/", document, format="json", HTTP_IDEMPOTENCY_KEY="kb-1"
    )
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
