"""Share links: tokens, expiry, revocation, view counts and who may manage them."""

from __future__ import annotations

import base64
import hashlib
import re
import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import close_old_connections, connection
from django.test import Client
from django.utils import timezone

from postmortems.models import Incident
from tests.factories import IncidentFactory
from timelines import services, sharing
from timelines.models import ShareLink, ShareScope

DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"


@pytest.fixture
def incident(demo: dict[str, int]) -> Incident:
    return Incident.objects.get(slug=DEMO_SLUG)


# ----------------------------------------------------------------------------- tokens


def test_token_carries_at_least_128_random_bits_in_a_url_safe_alphabet(
    incident: Incident, editor: User
) -> None:
    tokens = [
        services.share_link_create(incident=incident, created_by=editor).token for _ in range(20)
    ]
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
        raw = base64.urlsafe_b64decode(token + "=")
        assert len(raw) * 8 >= 128
        assert len(raw) == 32
    assert len(set(tokens)) == len(tokens)


def test_only_the_tokens_sha256_is_stored_in_any_column(incident: Incident, editor: User) -> None:
    created = services.share_link_create(incident=incident, created_by=editor, label="board")
    stored = ShareLink.objects.get(pk=created.link.pk)
    assert stored.token_hash == hashlib.sha256(created.token.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ShareLink._meta.db_table}")  # every column, as stored
        rows = cursor.fetchall()
    assert rows
    for row in rows:
        assert not any(created.token in str(value) for value in row)
    assert not any(field.name == "token" for field in ShareLink._meta.get_fields())


def test_a_link_is_found_by_the_hash_of_its_token_and_not_by_the_hash_itself(
    incident: Incident, editor: User
) -> None:
    created = services.share_link_create(incident=incident, created_by=editor)
    now = timezone.now()
    assert sharing.share_link_lookup(created.token, now=now).link == created.link
    assert (
        sharing.share_link_lookup(created.link.token_hash, now=now).state
        is sharing.LinkState.UNKNOWN
    )
    assert (
        sharing.share_link_lookup(_one_character_off(created.token), now=now).state
        is sharing.LinkState.UNKNOWN
    )


def test_expiry_is_honoured_to_the_second(incident: Incident, editor: User) -> None:
    expires_at = timezone.now().replace(microsecond=0) + timedelta(days=2)
    created = services.share_link_create(
        incident=incident, created_by=editor, expires_at=expires_at
    )
    before = sharing.share_link_lookup(created.token, now=expires_at - timedelta(seconds=1))
    at = sharing.share_link_lookup(created.token, now=expires_at)
    assert before.state is sharing.LinkState.ACTIVE
    assert at.state is sharing.LinkState.GONE


def test_expired_link_answers_410_and_a_live_one_200(incident: Incident, editor: User) -> None:
    now = timezone.now()
    expired = services.share_link_create(
        incident=incident, created_by=editor, expires_at=now - timedelta(seconds=1)
    )
    live = services.share_link_create(
        incident=incident, created_by=editor, expires_at=now + timedelta(minutes=5)
    )
    assert Client().get(f"/s/{live.token}/").status_code == 200
    response = Client().get(f"/s/{expired.token}/")
    assert response.status_code == 410
    assert incident.title not in response.content.decode()


# ----------------------------------------------------------------------- services


def test_revoking_twice_keeps_the_first_revocation_time(incident: Incident, editor: User) -> None:
    link = services.share_link_create(incident=incident, created_by=editor).link
    first = timezone.now() - timedelta(hours=1)
    services.share_link_revoke(link=link, now=first)
    services.share_link_revoke(link=link, now=timezone.now())
    assert ShareLink.objects.get(pk=link.pk).revoked_at == first


def test_each_view_counts_and_records_the_last_view(incident: Incident, editor: User) -> None:
    created = services.share_link_create(incident=incident, created_by=editor)
    client = Client()
    for _ in range(3):
        assert client.get(f"/s/{created.token}/").status_code == 200
    link = ShareLink.objects.get(pk=created.link.pk)
    assert link.view_count == 3
    assert link.last_viewed_at is not None
    assert timezone.now() - link.last_viewed_at < timedelta(minutes=1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_views_are_all_counted(editor: User) -> None:
    incident = IncidentFactory()
    link = services.share_link_create(incident=incident, created_by=editor).link
    stale = [ShareLink.objects.get(pk=link.pk) for _ in range(8)]  # each thread holds view_count=0
    barrier = threading.Barrier(len(stale))

    def view(copy: ShareLink) -> None:
        try:
            barrier.wait()
            services.share_link_record_view(link=copy)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=view, args=(copy,)) for copy in stale]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert ShareLink.objects.get(pk=link.pk).view_count == len(stale)


# -------------------------------------------------------------------- permissions


def test_editor_creates_a_link_and_sees_its_url_once(
    editor_client: Client, incident: Incident
) -> None:
    response = editor_client.post(
        f"/incidents/{DEMO_SLUG}/share/",
        {"label": "customers", "scope": ShareScope.POSTMORTEM, "allow_embed": "on"},
    )
    assert response.status_code == 201
    body = response.content.decode()
    url = re.search(r'value="(http://testserver/s/([A-Za-z0-9_-]{43})/)"', body)
    assert url
    token = url.group(2)
    link = ShareLink.objects.get(incident=incident)
    assert (link.label, link.scope, link.allow_embed) == ("customers", ShareScope.POSTMORTEM, True)
    assert link.token_hash == sharing.token_hash(token)
    assert f"/s/{token}/embed/" in body  # the iframe snippet, for a link that allows embedding
    assert response["Cache-Control"] == "private, no-store"
    # Listed afterwards, but the token is never shown again.
    listing = editor_client.get(f"/incidents/{DEMO_SLUG}/share/").content.decode()
    assert "customers" in listing
    assert token not in listing


def test_creating_a_link_that_expires_in_the_past_is_refused(
    editor_client: Client, incident: Incident
) -> None:
    response = editor_client.post(
        f"/incidents/{DEMO_SLUG}/share/",
        {"scope": ShareScope.TIMELINE, "expires_at": "2020-01-01T00:00"},
    )
    assert response.status_code == 400
    assert "must be in the future" in response.content.decode()
    assert not ShareLink.objects.exists()


def test_editor_revokes_a_link_with_htmx_and_gets_the_updated_row(
    editor_client: Client, incident: Incident, editor: User
) -> None:
    created = services.share_link_create(incident=incident, created_by=editor, label="board")
    response = editor_client.post(
        f"/incidents/{DEMO_SLUG}/share/{created.link.pk}/revoke/", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith("<tr")
    assert "revoked" in body
    assert ShareLink.objects.get(pk=created.link.pk).revoked_at is not None
    assert Client().get(f"/s/{created.token}/").status_code == 410


def test_viewer_can_neither_list_create_nor_revoke_links(
    viewer_client: Client, incident: Incident, editor: User
) -> None:
    created = services.share_link_create(incident=incident, created_by=editor)
    assert viewer_client.get(f"/incidents/{DEMO_SLUG}/share/").status_code == 403
    assert (
        viewer_client.post(f"/incidents/{DEMO_SLUG}/share/", {"scope": "timeline"}).status_code
        == 403
    )
    assert (
        viewer_client.post(f"/incidents/{DEMO_SLUG}/share/{created.link.pk}/revoke/").status_code
        == 403
    )
    assert ShareLink.objects.count() == 1
    assert ShareLink.objects.get().revoked_at is None


def test_anonymous_visitor_is_sent_to_log_in_to_manage_links(incident: Incident) -> None:
    response = Client().get(f"/incidents/{DEMO_SLUG}/share/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_revoking_needs_the_links_own_incident(
    editor_client: Client, incident: Incident, editor: User
) -> None:
    created = services.share_link_create(incident=incident, created_by=editor)
    other = Incident.objects.exclude(pk=incident.pk).first()
    assert other is not None
    response = editor_client.post(f"/incidents/{other.slug}/share/{created.link.pk}/revoke/")
    assert response.status_code == 404
    assert ShareLink.objects.get().revoked_at is None


def test_share_page_runs_a_fixed_number_of_queries(
    editor_client: Client, incident: Incident, editor: User, django_assert_max_num_queries
) -> None:
    for number in range(12):
        services.share_link_create(incident=incident, created_by=editor, label=f"link {number}")
    with django_assert_max_num_queries(8):
        response = editor_client.get(f"/incidents/{DEMO_SLUG}/share/")
    assert response.content.decode().count('class="share-link') == 12


def test_htmx_form_errors_come_back_in_a_swappable_answer(
    editor_client: Client, incident: Incident
) -> None:
    response = editor_client.post(
        f"/incidents/{DEMO_SLUG}/share/",
        {"scope": "everything"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200  # htmx does not swap 4xx answers
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="share-panel"')
    assert "Select a valid choice" in body
    assert not ShareLink.objects.exists()


def _one_character_off(token: str) -> str:
    """Return the token with its last character changed, never to the same one."""
    return token[:-1] + ("A" if token[-1] != "A" else "B")
