from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from postmortems import blameless
from postmortems.models import Postmortem, PostmortemDraft, PostmortemRevision
from tests.conftest import _user_with_role
from tests.factories import EventFactory, IncidentFactory

DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"
EDIT = f"/incidents/{DEMO_SLUG}/postmortem/edit/"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_starting_a_postmortem_uses_the_blameless_template_with_the_timeline(
    editor_client: Client, db: None
) -> None:
    incident = IncidentFactory(slug="fresh", title="Queue backlog")
    EventFactory(incident=incident, title="Consumers stall", kind="impact")
    EventFactory(incident=incident, title="Proposed only", review_state="proposed")
    response = editor_client.post("/incidents/fresh/postmortem/start/")
    assert response.status_code == 302
    body = Postmortem.objects.get(incident=incident).body
    for heading, _hint in blameless.SECTIONS:
        assert f"## {heading}" in body
    assert "Consumers stall" in body
    assert "Proposed only" not in body
    assert PostmortemRevision.objects.filter(postmortem__incident=incident, version=1).exists()


def test_refreshing_the_timeline_section_keeps_what_authors_wrote(
    editor_client: Client, demo: dict[str, int]
) -> None:
    incident = IncidentFactory(slug="refresh")
    editor_client.post("/incidents/refresh/postmortem/start/")
    postmortem = Postmortem.objects.get(incident=incident)
    body = postmortem.body.replace("What set the failure off.", "A bad deploy at 10:02.")
    EventFactory(incident=incident, title="New accepted event")
    response = editor_client.post(
        "/incidents/refresh/postmortem/refresh-timeline/",
        {"body": body, "base_version": postmortem.version},
    )
    html = response.content.decode()
    assert "New accepted event" in html
    assert "A bad deploy at 10:02." in html


def test_preview_renders_markdown_with_the_sanitiser(
    editor_client: Client, demo: dict[str, int]
) -> None:
    response = editor_client.post(
        f"/incidents/{DEMO_SLUG}/postmortem/preview/",
        {"body": "## Impact\n\n<script>alert(1)</script>[x](javascript:alert(1)) **bold**"},
    )
    html = response.content.decode()
    assert "<strong>bold</strong>" in html
    assert "<script" not in html
    assert "javascript:" not in html


def test_autosave_keeps_a_draft_without_touching_the_document(
    editor: User, demo: dict[str, int]
) -> None:
    client = _client(editor)
    postmortem = Postmortem.objects.get(incident__slug=DEMO_SLUG)
    before = (postmortem.body, postmortem.version)
    response = client.post(
        f"/incidents/{DEMO_SLUG}/postmortem/autosave/",
        {"body": "half-written", "base_version": postmortem.version},
    )
    assert response.status_code == 200
    postmortem.refresh_from_db()
    assert (postmortem.body, postmortem.version) == before
    assert PostmortemDraft.objects.get(postmortem=postmortem, author=editor).body == "half-written"
    assert "Restore it into the editor" in client.get(EDIT).content.decode()
    assert "half-written" in client.get(EDIT + "?draft=1").content.decode()


def test_each_save_keeps_a_revision_with_author_and_clears_the_draft(
    editor: User, demo: dict[str, int]
) -> None:
    client = _client(editor)
    postmortem = Postmortem.objects.get(incident__slug=DEMO_SLUG)
    client.post(
        f"/incidents/{DEMO_SLUG}/postmortem/autosave/", {"body": "typing", "base_version": 1}
    )
    response = client.post(EDIT, {"body": "Version two", "base_version": 1})
    assert response.status_code == 302
    revision = PostmortemRevision.objects.get(postmortem=postmortem, version=2)
    assert (revision.body, revision.author) == ("Version two", editor)
    assert not PostmortemDraft.objects.filter(postmortem=postmortem).exists()


def test_second_of_two_concurrent_saves_gets_the_conflict_page_with_its_text_intact(
    editor: User, admin_user: User, demo: dict[str, int]
) -> None:
    first, second = _client(editor), _client(admin_user)
    first.get(EDIT)
    second.get(EDIT)  # both opened version 1
    assert (
        first.post(EDIT, {"body": "First author's analysis", "base_version": 1}).status_code == 302
    )
    response = second.post(EDIT, {"body": "Second author's own words", "base_version": 1})
    assert response.status_code == 409
    page = response.content.decode()
    assert "someone else saved first" in page
    assert "Second author&#x27;s own words" in page  # kept in the editor, unsaved
    assert "First author&#x27;s analysis" in page  # shown as what changed meanwhile
    postmortem = Postmortem.objects.get(incident__slug=DEMO_SLUG)
    assert postmortem.body == "First author's analysis"
    history = first.get(f"/incidents/{DEMO_SLUG}/postmortem/revisions/").content.decode()
    assert "v2" in history
    assert (
        PostmortemRevision.objects.get(postmortem=postmortem, version=2).body
        == "First author's analysis"
    )
    # Having seen the changes, the second author saves on top of version 2.
    assert second.post(EDIT, {"body": "Merged text", "base_version": 2}).status_code == 302
    assert PostmortemRevision.objects.filter(postmortem=postmortem).count() == 3


def test_diff_between_two_revisions_and_restore(
    editor_client: Client, demo: dict[str, int]
) -> None:
    editor_client.post(EDIT, {"body": "line one\nline two\n", "base_version": 1})
    editor_client.post(EDIT, {"body": "line one\nline 2 changed\n", "base_version": 2})
    page = editor_client.get(
        f"/incidents/{DEMO_SLUG}/postmortem/revisions/", {"a": 2, "b": 3}
    ).content.decode()
    assert '<tr class="d-del">' in page and "line two" in page  # noqa: PT018
    assert '<tr class="d-add">' in page and "line 2 changed" in page  # noqa: PT018
    response = editor_client.post(f"/incidents/{DEMO_SLUG}/postmortem/revisions/2/restore/")
    assert response.status_code == 302
    postmortem = Postmortem.objects.get(incident__slug=DEMO_SLUG)
    assert (postmortem.version, postmortem.body) == (4, "line one\nline two\n")


def test_workflow_from_draft_through_review_to_published_and_reopened(
    editor_client: Client, viewer_client: Client, demo: dict[str, int]
) -> None:
    base = f"/incidents/{DEMO_SLUG}/postmortem"
    editor_client.post(EDIT, {"body": "# Final analysis", "base_version": 1})
    assert editor_client.post(f"{base}/publish/").status_code == 302  # not allowed from draft
    assert Postmortem.objects.get(incident__slug=DEMO_SLUG).status == "draft"
    editor_client.post(f"{base}/submit/")
    editor_client.post(f"{base}/publish/")  # refused: nobody else approved it
    assert Postmortem.objects.get(incident__slug=DEMO_SLUG).status == "in_review"
    _client(_user_with_role("rita", "editor")).post(f"{base}/review/approve/")
    editor_client.post(f"{base}/publish/")
    postmortem = Postmortem.objects.get(incident__slug=DEMO_SLUG)
    assert (postmortem.status, postmortem.published_body) == ("published", "# Final analysis")
    # Published means read-only until reopened.
    assert (
        editor_client.post(
            EDIT, {"body": "sneaky edit", "base_version": postmortem.version}
        ).status_code
        == 409
    )
    assert Postmortem.objects.get(pk=postmortem.pk).body == "# Final analysis"
    editor_client.post(f"{base}/reopen/")
    editor_client.post(EDIT, {"body": "# Work in progress", "base_version": postmortem.version})
    reader = viewer_client.get(f"{base}/").content.decode()
    assert "Final analysis" in reader  # readers keep the published version
    assert "Work in progress" not in reader
