"""The knowledge-base document (and so backups) keeps a postmortem's review."""

from __future__ import annotations

import pytest

from postmortems.exchange import kb_dumps, kb_export, kb_import
from postmortems.models import Postmortem, PostmortemApproval, PostmortemComment
from postmortems.review.services import (
    postmortem_approve,
    postmortem_comment_add,
    postmortem_comment_resolve,
)
from postmortems.services import postmortem_start, postmortem_transition
from tests.conftest import _user_with_role
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed() -> Postmortem:
    author, reviewer = _user_with_role("alice", "editor"), _user_with_role("bob", "editor")
    incident = IncidentFactory(slug="reviewed")
    postmortem = postmortem_start(incident=incident, author=author)
    postmortem_transition(postmortem=postmortem, action="submit", author=author)
    thread = postmortem_comment_add(
        postmortem=postmortem, author=reviewer, section="Root cause", body="Which lock?"
    )
    postmortem_comment_add(postmortem=postmortem, author=author, body="The queue's.", parent=thread)
    postmortem_comment_resolve(comment=thread, user=author)
    postmortem_comment_add(postmortem=postmortem, author=reviewer, section="Summary", body="Open")
    postmortem_approve(postmortem=postmortem, reviewer=reviewer)
    return postmortem


def test_the_review_travels_with_the_postmortem_and_comes_back_the_same(
    reviewed: Postmortem,
) -> None:
    document = kb_export(incident_slug="reviewed")
    review = document["incidents"][0]["postmortem"]["review"]
    assert review["submitted_by"] == "alice"
    assert [a["reviewer"] for a in review["approvals"]] == ["bob"]
    root_cause = next(t for t in review["comments"] if t["section"] == "Root cause")
    assert (root_cause["resolved_by"], root_cause["replies"][0]["body"]) == (
        "alice",
        "The queue's.",
    )

    PostmortemComment.objects.all().delete()
    PostmortemApproval.objects.all().delete()
    Postmortem.objects.filter(pk=reviewed.pk).update(submitted_by=None, submitted_at=None)
    report = kb_import(document=document)
    assert report.created["comments"] == 3
    assert report.created["approvals"] == 1
    assert kb_dumps(kb_export(incident_slug="reviewed")) == kb_dumps(document)
    assert not kb_import(document=document).changed


def test_a_document_without_a_review_still_imports(reviewed: Postmortem) -> None:
    document = kb_export(incident_slug="reviewed")
    del document["incidents"][0]["postmortem"]["review"]
    kb_import(document=document)
    assert PostmortemComment.objects.count() == 3  # left as it was
