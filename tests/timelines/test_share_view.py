"""The stakeholder view behind a share link: what it shows, what it never shows, its headers."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pypdf import PdfReader

from postmortems.models import (
    ActionItem,
    Event,
    EventKind,
    Impact,
    Incident,
    Postmortem,
    ReviewState,
    Service,
)
from postmortems.review.services import postmortem_approve
from postmortems.services import postmortem_transition
from timelines import services
from timelines.models import ShareScope

DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"
PUBLISHED = "ZQXPUBLISHEDPOSTMORTEM"

# One marker per kind of record stakeholders must never see. No hyphens or spaces, so a
# line break in the PDF cannot split one and hide it from the text search.
SECRETS = {
    "proposed event": "ZQXPROPOSEDEVENT",
    "proposed event description": "ZQXPROPOSEDDESCRIPTION",
    "rejected event": "ZQXREJECTEDEVENT",
    "rejected event quote": "ZQXREJECTEDQUOTE",
    "service only a proposed event names": "ZQXPROPOSEDSERVICE",
    "review note": "ZQXREVIEWNOTE",
    "impact note": "ZQXIMPACTNOTE",
    "non-public action item": "ZQXPRIVATEACTION",
    "action item owner": "ZQXACTIONOWNER",
    "draft postmortem": "ZQXDRAFTPOSTMORTEM",
    "link creator": "zqxlinkcreator",
    "postmortem author": "zqxpostmortemauthor",
}


@dataclass(frozen=True)
class Seeded:
    incident: Incident
    token: str


def _seed_secrets(incident: Incident) -> None:
    author = User.objects.create_user(username=SECRETS["postmortem author"])
    hidden_service = Service.objects.create(
        name=SECRETS["service only a proposed event names"], provider="ACME"
    )
    proposed = Event.objects.create(
        incident=incident,
        occurred_at=incident.started_at + timedelta(minutes=3),
        kind=EventKind.IMPACT,
        title=f"{SECRETS['proposed event']} happened",
        description=SECRETS["proposed event description"],
        review_state=ReviewState.PROPOSED,
        added_by=author,
    )
    proposed.services.add(hidden_service)
    Event.objects.create(
        incident=incident,
        occurred_at=incident.started_at + timedelta(minutes=4),
        kind=EventKind.MITIGATION,
        title=f"{SECRETS['rejected event']} happened",
        quote=SECRETS["rejected event quote"],
        review_state=ReviewState.REJECTED,
        review_note="wrong date",
    )
    accepted = Event.objects.filter(incident=incident, review_state=ReviewState.ACCEPTED).first()
    Event.objects.filter(pk=accepted.pk).update(review_note=f"Checked: {SECRETS['review note']}")
    Impact.objects.filter(incident=incident).update(note=f"Internal: {SECRETS['impact note']}")
    ActionItem.objects.create(
        incident=incident,
        title=f"{SECRETS['non-public action item']} fix",
        owner="sre",
        public=False,
    )
    ActionItem.objects.filter(incident=incident, public=True).update(
        owner=SECRETS["action item owner"]
    )
    postmortem = Postmortem.objects.get(incident=incident)
    Postmortem.objects.filter(pk=postmortem.pk).update(
        body=postmortem.body + f"\n\n{PUBLISHED} is the word.\n"
    )
    postmortem_transition(postmortem=postmortem, action="submit", author=author)
    postmortem_approve(postmortem=postmortem, reviewer=User.objects.create_user(username="rev"))
    postmortem_transition(postmortem=postmortem, action="publish", author=author)
    # Edited after publication: stakeholders keep seeing the published text.
    Postmortem.objects.filter(pk=postmortem.pk).update(
        body=f"# Draft\n\n{SECRETS['draft postmortem']}\n"
    )


@pytest.fixture
def seeded(demo: dict[str, int]) -> Seeded:
    incident = Incident.objects.get(slug=DEMO_SLUG)
    _seed_secrets(incident)
    creator = User.objects.create_user(username=SECRETS["link creator"])
    created = services.share_link_create(
        incident=incident,
        created_by=creator,
        scope=ShareScope.POSTMORTEM,
        allow_embed=True,
        label="board",
    )
    return Seeded(incident=incident, token=created.token)


STAKEHOLDER_PATHS = (
    "/s/{token}/",
    "/s/{token}/embed/",
    "/s/{token}/export.md",
    "/s/{token}/export.json",
    "/s/{token}/export.csv",
    "/s/{token}/export.html",
    "/s/{token}/export.pdf",
    "/s/{token}/timeline.svg",
    "/s/{token}/cascade.svg",
)


def _text_of(response) -> str:
    if response["Content-Type"] == "application/pdf":
        reader = PdfReader(io.BytesIO(response.content))
        return "\n".join(page.extract_text() for page in reader.pages)
    return response.content.decode()


@pytest.mark.pdf
def test_nothing_internal_reaches_the_stakeholder_view_or_any_stakeholder_export(
    seeded: Seeded,
) -> None:
    client = Client()
    leaks = []
    for template in STAKEHOLDER_PATHS:
        path = template.format(token=seeded.token)
        response = client.get(path)
        assert response.status_code == 200, path
        text = _text_of(response)
        # A positive control, so an empty or unreadable body cannot pass for a clean one.
        assert "DynamoDB" in text, path
        leaks += [
            f"{what} in {path}"
            for what, marker in SECRETS.items()
            if marker.lower() in text.lower()
        ]
    assert leaks == []


@pytest.mark.pdf
def test_the_published_postmortem_is_shown_and_reaches_the_pdf(seeded: Seeded) -> None:
    client = Client()
    assert PUBLISHED in client.get(f"/s/{seeded.token}/").content.decode()
    assert PUBLISHED in client.get(f"/s/{seeded.token}/export.md").content.decode()
    assert PUBLISHED in _text_of(client.get(f"/s/{seeded.token}/export.pdf"))


def test_a_timeline_only_link_shows_no_postmortem(seeded: Seeded, editor: User) -> None:
    created = services.share_link_create(
        incident=seeded.incident, created_by=editor, scope=ShareScope.TIMELINE
    )
    client = Client()
    for path in (
        f"/s/{created.token}/",
        f"/s/{created.token}/export.md",
        f"/s/{created.token}/export.html",
    ):
        assert PUBLISHED not in client.get(path).content.decode(), path


def test_an_unpublished_postmortem_is_never_shown_even_when_the_scope_allows_it(
    demo: dict[str, int], editor: User
) -> None:
    incident = Incident.objects.get(slug=DEMO_SLUG)
    draft = Postmortem.objects.get(incident=incident).body
    created = services.share_link_create(
        incident=incident, created_by=editor, scope=ShareScope.POSTMORTEM
    )
    body = Client().get(f"/s/{created.token}/").content.decode()
    assert "Where we got lucky" in draft
    assert "Where we got lucky" not in body
    assert "Postmortem (" not in body


def test_stakeholder_view_shows_the_account_and_both_pictures(seeded: Seeded) -> None:
    response = Client().get(f"/s/{seeded.token}/")
    body = response.content.decode()
    assert "<h1>AWS us-east-1: DynamoDB DNS record emptied" in body
    assert "Resolved" in body
    assert "Time" in body
    assert "2025-10-20 06:48 UTC" in body
    assert "Lasted 15h 13m" in body
    assert body.count("<svg") >= 2
    assert 'class="cz cz-timeline"' in body
    assert 'class="cz cz-cascade"' in body
    assert (
        "Guard the DNS Enactor against applying plans older than the one in use" in body
    )  # public item
    assert "Load-test DWFM lease recovery" not in body  # the demo's own non-public item
    assert "Services restored (as the German article reports)" in body
    assert "7. Dezember 2021" not in body  # the demo's rejected event


def test_stakeholder_view_is_private_unindexed_and_referrer_free(seeded: Seeded) -> None:
    response = Client().get(f"/s/{seeded.token}/")
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Frame-Options"] == "DENY"
    body = response.content.decode()
    assert '<meta name="robots" content="noindex' in body
    assert "csrftoken" not in response.cookies


def test_stakeholder_view_unfurls_with_open_graph_title_and_summary(seeded: Seeded) -> None:
    body = Client().get(f"/s/{seeded.token}/").content.decode()
    assert '<meta property="og:type" content="article">' in body
    title = re.search(r'<meta property="og:title" content="([^"]*)">', body)
    description = re.search(r'<meta property="og:description" content="([^"]*)">', body)
    assert title
    assert title.group(1).startswith("AWS us-east-1: DynamoDB DNS record emptied")
    assert description
    assert description.group(1).startswith("A race condition in DynamoDB&#x27;s DNS automation")


def test_stakeholder_exports_are_private_attachments(seeded: Seeded) -> None:
    response = Client().get(f"/s/{seeded.token}/export.csv")
    assert response["Content-Disposition"] == f'attachment; filename="{DEMO_SLUG}-timeline.csv"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"


def test_revoked_link_answers_410_without_any_incident_data(seeded: Seeded, editor: User) -> None:
    link = services.share_link_create(incident=seeded.incident, created_by=editor)
    services.share_link_revoke(link=link.link)
    for path in (f"/s/{link.token}/", f"/s/{link.token}/embed/", f"/s/{link.token}/export.pdf"):
        response = Client().get(path)
        assert response.status_code == 410, path
        body = response.content.decode()
        assert "No longer available" in body
        for leak in (seeded.incident.title, "DynamoDB", "og:title", "<svg", DEMO_SLUG):
            assert leak not in body, (path, leak)
        assert response["Cache-Control"] == "private, no-store"


def test_unknown_token_answers_404_with_the_same_plain_page(demo: dict[str, int]) -> None:
    for token in ("A" * 43, "short", "x" * 200):
        response = Client().get(f"/s/{token}/")
        assert response.status_code == 404
        assert "No longer available" in response.content.decode()
        assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_embed_is_framable_only_when_the_link_allows_it(seeded: Seeded, editor: User) -> None:
    allowed = Client().get(f"/s/{seeded.token}/embed/")
    assert allowed.status_code == 200
    assert allowed["Content-Security-Policy"] == "frame-ancestors *"
    assert "X-Frame-Options" not in allowed
    assert 'class="cz cz-timeline"' in allowed.content.decode()
    assert 'class="cz cz-cascade"' not in allowed.content.decode()

    closed = services.share_link_create(
        incident=seeded.incident, created_by=editor, allow_embed=False
    )
    denied = Client().get(f"/s/{closed.token}/embed/")
    assert denied.status_code == 403
    assert denied["Content-Security-Policy"] == "frame-ancestors 'none'"
    assert denied["X-Frame-Options"] == "DENY"
    assert seeded.incident.title not in denied.content.decode()


def test_the_full_page_itself_may_not_be_framed(seeded: Seeded) -> None:
    response = Client().get(f"/s/{seeded.token}/")
    assert response["Content-Security-Policy"] == "frame-ancestors 'none'"


def test_stakeholder_view_runs_a_fixed_number_of_queries(
    seeded: Seeded, editor: User, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(14):
        assert Client().get(f"/s/{seeded.token}/").status_code == 200
