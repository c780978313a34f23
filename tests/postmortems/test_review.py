"""The review of a postmortem: sending what is on screen, approvals by another editor,
comments anchored to sections, what blocks publishing, and the e-mails."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from postmortems import blameless
from postmortems.models import (
    Postmortem,
    PostmortemApproval,
    PostmortemComment,
    PostmortemDraft,
)
from postmortems.review.sections import placeholder_sections, section_anchor, split_sections
from tests.conftest import _user_with_role
from tests.factories import IncidentFactory

# Mail goes out when the transaction commits, so these tests commit.
pytestmark = pytest.mark.django_db(transaction=True)

WRITTEN = (
    "# Postmortem: Queue backlog\n\n## Summary\n\nConsumers stalled.\n\n## Root cause\n\nA lock.\n"
)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(db: None) -> dict[str, User]:
    author = _user_with_role("alice", "editor")
    reviewer = _user_with_role("bob", "editor")
    boss = _user_with_role("carol", "admin")
    for user in (author, reviewer, boss):
        user.email = f"{user.username}@example.com"
        user.save()
    return {"author": author, "reviewer": reviewer, "admin": boss}


@pytest.fixture
def started(people: dict[str, User]) -> Postmortem:
    IncidentFactory(slug="backlog", title="Queue backlog")
    _client(people["author"]).post("/incidents/backlog/postmortem/start/")
    return Postmortem.objects.get(incident__slug="backlog")


BASE = "/incidents/backlog/postmortem"


def _submit(client: Client, body: str, base_version: int) -> object:
    return client.post(f"{BASE}/submit/", {"body": body, "base_version": base_version})


def _publish_ready(people: dict[str, User], started: Postmortem) -> Client:
    author = _client(people["author"])
    _submit(author, WRITTEN, started.version)
    return author


# ------------------------------------------------------------------------------- sections


def test_sections_are_cut_at_second_level_headings_outside_code_blocks() -> None:
    body = (
        "# Title\n\nintro\n\n## Summary\n\ntext\n```\n## not a heading\n```\n## Root cause\n\nx\n"
    )
    sections = split_sections(body)
    assert [s.heading for s in sections] == ["Introduction", "Summary", "Root cause"]
    assert "## not a heading" in sections[1].text
    assert sections[2].anchor == section_anchor("Root cause") == "section-root-cause"


def test_unwritten_template_sections_are_named_and_written_ones_are_not() -> None:
    body = blameless.blameless_template(title="T", rows=[])
    unwritten = placeholder_sections(body)
    assert "Timeline" not in unwritten
    assert unwritten == [h for h, _ in blameless.SECTIONS if h != "Timeline"]
    body = body.replace(
        "The conditions that made the failure possible. Systems, not people.", "A lock."
    ).replace("## What went well\n\n- ", "## What went well\n\n- Paging worked")
    unwritten = placeholder_sections(body)
    assert "Root cause" not in unwritten
    assert "What went well" not in unwritten
    assert "Trigger" in unwritten


# ------------------------------------------------------------------- send to review


def test_send_to_review_saves_the_text_on_screen_first(
    people: dict[str, User], started: Postmortem
) -> None:
    author = _client(people["author"])
    # Only autosaved: the draft is kept apart from the document.
    author.post(f"{BASE}/autosave/", {"body": WRITTEN, "base_version": 1})
    assert Postmortem.objects.get(pk=started.pk).body != WRITTEN
    response = _submit(author, WRITTEN, 1)
    assert response.status_code == 302
    postmortem = Postmortem.objects.get(pk=started.pk)
    assert (postmortem.status, postmortem.body, postmortem.version) == ("in_review", WRITTEN, 2)
    assert postmortem.submitted_by == people["author"]
    assert not PostmortemDraft.objects.filter(postmortem=postmortem).exists()
    reviewer_page = _client(people["reviewer"]).get(f"{BASE}/review/").content.decode()
    assert "Consumers stalled." in reviewer_page


def test_send_to_review_from_an_outdated_version_shows_the_conflict_and_sends_nothing(
    people: dict[str, User], started: Postmortem
) -> None:
    _client(people["reviewer"]).post(f"{BASE}/edit/", {"body": "theirs", "base_version": 1})
    response = _submit(_client(people["author"]), WRITTEN, 1)
    assert response.status_code == 409
    assert Postmortem.objects.get(pk=started.pk).status == "draft"


def test_review_requested_mails_the_other_editors(
    people: dict[str, User], started: Postmortem
) -> None:
    mail.outbox.clear()
    _publish_ready(people, started)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["bob@example.com", "carol@example.com"]
    assert "Review requested: Queue backlog" in mail.outbox[0].subject
    assert "/incidents/backlog/postmortem/review/" in mail.outbox[0].body


# ------------------------------------------------------------------------- publishing


def test_the_author_cannot_publish_without_another_editors_approval(
    people: dict[str, User], started: Postmortem
) -> None:
    author = _publish_ready(people, started)
    response = author.post(f"{BASE}/publish/", {"from": "review"}, follow=True)
    assert "You cannot publish your own postmortem" in response.content.decode()
    assert Postmortem.objects.get(pk=started.pk).status == "in_review"
    # Nor approve it themselves.
    response = author.post(f"{BASE}/review/approve/", follow=True)
    assert "another editor has to approve it" in response.content.decode()
    assert not PostmortemApproval.objects.exists()


def test_an_approval_by_another_editor_lets_the_author_publish(
    people: dict[str, User], started: Postmortem
) -> None:
    author = _publish_ready(people, started)
    mail.outbox.clear()
    _client(people["reviewer"]).post(f"{BASE}/review/approve/")
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert mail.outbox[0].subject == "[Cascade] Approved: Queue backlog"
    mail.outbox.clear()
    author.post(f"{BASE}/publish/")
    postmortem = Postmortem.objects.get(pk=started.pk)
    assert (postmortem.status, postmortem.published_body) == ("published", WRITTEN)
    assert [m.to for m in mail.outbox] == [["bob@example.com"]]
    assert "Published" in mail.outbox[0].subject


def test_an_approval_is_for_its_version_only(people: dict[str, User], started: Postmortem) -> None:
    author = _publish_ready(people, started)
    _client(people["reviewer"]).post(f"{BASE}/review/approve/")
    author.post(f"{BASE}/edit/", {"body": WRITTEN + "\nMore.\n", "base_version": 2})
    response = author.post(f"{BASE}/publish/", follow=True)
    assert "another editor has to approve version 3" in response.content.decode()
    assert Postmortem.objects.get(pk=started.pk).status == "in_review"


def test_unwritten_template_sections_block_publishing_and_are_named(
    people: dict[str, User], started: Postmortem
) -> None:
    author = _client(people["author"])
    author.post(f"{BASE}/submit/")  # the untouched template
    _client(people["reviewer"]).post(f"{BASE}/review/approve/")
    response = author.post(f"{BASE}/publish/", follow=True)
    page = response.content.decode()
    assert "These template sections are still unwritten: Summary, Impact, Root cause" in page
    assert Postmortem.objects.get(pk=started.pk).status == "in_review"


def test_the_setting_lets_a_small_team_publish_without_approval(
    people: dict[str, User], started: Postmortem, settings: object
) -> None:
    settings.CASCADE_PUBLISH_REQUIRES_APPROVAL = False
    author = _publish_ready(people, started)
    author.post(f"{BASE}/publish/")
    assert Postmortem.objects.get(pk=started.pk).status == "published"


def test_an_admin_override_publishes_and_is_recorded_but_an_editor_cannot_override(
    people: dict[str, User], started: Postmortem
) -> None:
    author = _publish_ready(people, started)
    author.post(f"{BASE}/publish/", {"override": "1", "note": "me"})
    assert Postmortem.objects.get(pk=started.pk).status == "in_review"
    _client(people["admin"]).post(
        f"{BASE}/publish/", {"override": "1", "note": "Reviewer on leave", "from": "review"}
    )
    assert Postmortem.objects.get(pk=started.pk).status == "published"
    override = PostmortemApproval.objects.get()
    assert (override.override, override.reviewer, override.version, override.note) == (
        True,
        people["admin"],
        2,
        "Reviewer on leave",
    )
    page = _client(people["author"]).get(f"{BASE}/review/").content.decode()
    assert "Version 2 published without approval by carol (admin override" in page
    assert "Reviewer on leave" in page


# --------------------------------------------------------------------------- comments


def test_a_comment_on_a_section_blocks_publishing_until_resolved(
    people: dict[str, User], started: Postmortem
) -> None:
    author = _publish_ready(people, started)
    reviewer = _client(people["reviewer"])
    mail.outbox.clear()
    response = reviewer.post(
        f"{BASE}/review/comments/",
        {"section": "Root cause", "body": "Which lock?"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="threads-section-root-cause"' in html
    assert "Which lock?" in html
    assert 'hx-swap-oob="true"' in html
    assert "1 unresolved comment" in html
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert "Root cause" in mail.outbox[0].subject
    comment = PostmortemComment.objects.get()
    reviewer.post(f"{BASE}/review/approve/")

    # Listed on the editor, and blocking.
    assert "Which lock?" in author.get(f"{BASE}/edit/").content.decode()
    response = author.post(f"{BASE}/publish/", follow=True)
    assert "1 review comment is unresolved (Root cause)" in response.content.decode()

    author.post(f"{BASE}/review/comments/", {"parent": comment.pk, "body": "The queue lock."})
    reply = PostmortemComment.objects.get(parent=comment)
    assert reply.section == "Root cause"
    author.post(f"{BASE}/review/comments/{comment.pk}/resolve/", HTTP_HX_REQUEST="true")
    comment.refresh_from_db()
    assert comment.resolved_by == people["author"]
    author.post(f"{BASE}/publish/")
    assert Postmortem.objects.get(pk=started.pk).status == "published"


def test_a_reply_reopens_a_resolved_thread(people: dict[str, User], started: Postmortem) -> None:
    _publish_ready(people, started)
    reviewer = _client(people["reviewer"])
    reviewer.post(f"{BASE}/review/comments/", {"section": "Summary", "body": "Shorter?"})
    comment = PostmortemComment.objects.get()
    reviewer.post(f"{BASE}/review/comments/{comment.pk}/resolve/")
    reviewer.post(f"{BASE}/review/comments/", {"parent": comment.pk, "body": "Still long."})
    comment.refresh_from_db()
    assert comment.resolved_at is None


def test_an_empty_comment_is_refused_with_a_message(
    people: dict[str, User], started: Postmortem
) -> None:
    reviewer = _client(people["reviewer"])
    response = reviewer.post(
        f"{BASE}/review/comments/", {"section": "Summary", "body": "  "}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert "Write something" in response.content.decode()
    assert not PostmortemComment.objects.exists()


def test_viewers_cannot_comment_approve_or_open_the_review(
    people: dict[str, User], started: Postmortem, viewer_client: Client
) -> None:
    assert viewer_client.get(f"{BASE}/review/").status_code == 403
    assert viewer_client.post(f"{BASE}/review/approve/").status_code == 403
    response = viewer_client.post(f"{BASE}/review/comments/", {"section": "S", "body": "x"})
    assert response.status_code == 403


def test_the_review_page_reads_a_fixed_number_of_queries(
    people: dict[str, User], started: Postmortem, django_assert_max_num_queries: object
) -> None:
    _publish_ready(people, started)
    reviewer = _client(people["reviewer"])
    for n in range(6):
        reviewer.post(f"{BASE}/review/comments/", {"section": "Summary", "body": f"n{n}"})
    root = PostmortemComment.objects.first()
    for n in range(4):
        reviewer.post(f"{BASE}/review/comments/", {"parent": root.pk, "body": f"r{n}"})
    with django_assert_max_num_queries(14):
        assert reviewer.get(f"{BASE}/review/").status_code == 200


def test_comments_and_headings_are_escaped_on_the_review_page(
    people: dict[str, User], started: Postmortem
) -> None:
    author = _client(people["author"])
    evil = '"><img src=x onerror=alert(1)>'
    _submit(author, f"# T\n\n## Summary {evil}\n\nText.\n", started.version)
    reviewer = _client(people["reviewer"])
    reviewer.post(
        f"{BASE}/review/comments/",
        {"section": f"Summary {evil}", "body": "<script>alert(2)</script>"},
    )
    page = reviewer.get(f"{BASE}/review/").content.decode()
    assert "<img src=x" not in page
    assert "<script>alert(2)" not in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page
