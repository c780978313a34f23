"""Feeds through the API, the page and the command line: admins write, everyone signed in reads."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from postmortems.ingest.feeds.models import Feed, FeedState, ServiceProposal
from postmortems.models import Service

pytestmark = pytest.mark.django_db

FEED = {
    "provider": "Example Chat",
    "url": "https://status.example.com/api/v2/incidents.json",
    "kind": "statuspage",
}


@pytest.fixture
def site_admin_client(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def test_admins_add_feeds_through_the_api(site_admin_client) -> None:
    response = site_admin_client.post("/api/v1/feeds/", FEED, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["provider"], body["kind"], body["state"], body["poll_interval"]) == (
        "Example Chat",
        "statuspage",
        "new",
        300,
    )
    assert Feed.objects.get().url == FEED["url"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "ftp://status.example.com/feed"}, "url"),
        ({"kind": "xml"}, "kind"),
        ({"poll_interval": 5}, "poll_interval"),
        ({"provider": ""}, "provider"),
    ],
)
def test_bad_feeds_are_refused_with_a_message_naming_the_field(
    site_admin_client, change, field
) -> None:
    response = site_admin_client.post(
        "/api/v1/feeds/", {**FEED, **change}, content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not Feed.objects.exists()


def test_the_same_feed_url_twice_is_refused(site_admin_client) -> None:
    site_admin_client.post("/api/v1/feeds/", FEED, content_type="application/json")
    response = site_admin_client.post("/api/v1/feeds/", FEED, content_type="application/json")
    assert response.status_code == 400
    assert Feed.objects.count() == 1


def test_editors_and_viewers_read_feeds_but_cannot_write_them(
    site_admin_client, editor_client, viewer_client
) -> None:
    site_admin_client.post("/api/v1/feeds/", FEED, content_type="application/json")
    feed = Feed.objects.get()
    for client in (editor_client, viewer_client):
        assert client.get("/api/v1/feeds/").json()["results"][0]["url"] == FEED["url"]
        assert (
            client.post("/api/v1/feeds/", FEED, content_type="application/json").status_code == 403
        )
        assert client.delete(f"/api/v1/feeds/{feed.pk}/").status_code == 403
    assert Feed.objects.count() == 1


def test_admins_pause_a_feed_and_paused_feeds_are_not_due(site_admin_client) -> None:
    from django.utils import timezone

    from postmortems.ingest.feeds.services import feeds_claim_due

    site_admin_client.post("/api/v1/feeds/", FEED, content_type="application/json")
    feed = Feed.objects.get()
    response = site_admin_client.patch(
        f"/api/v1/feeds/{feed.pk}/", {"state": "paused"}, content_type="application/json"
    )
    assert response.json()["state"] == "paused"
    assert feeds_claim_due(now=timezone.now()) == []


def test_add_feed_command_adds_and_refuses_with_clear_errors() -> None:
    call_command("add_feed", FEED["url"], provider="Example Chat", kind="statuspage")
    assert Feed.objects.get().kind == "statuspage"
    with pytest.raises(CommandError, match="already a feed"):
        call_command("add_feed", FEED["url"], provider="Example Chat", kind="statuspage")
    with pytest.raises(CommandError, match="http"):
        call_command("add_feed", "file:///etc/passwd", provider="X", kind="rss")


def test_feeds_page_shows_state_and_last_error_and_lets_admins_add(
    site_admin_client, viewer_client, django_assert_max_num_queries
) -> None:
    Feed.objects.create(
        provider="Broken",
        url="https://broken.example.com/feed",
        kind="rss",
        state=FeedState.FAILING,
        last_error="Could not fetch https://broken.example.com/feed: the server answered 500.",
    )
    with django_assert_max_num_queries(12):
        page = viewer_client.get("/feeds/").content.decode()
    assert "the server answered 500" in page
    assert "Add a feed" not in page  # viewers read only
    response = site_admin_client.post("/feeds/", {**FEED, "poll_interval": 600})
    assert response.status_code == 302
    assert Feed.objects.get(provider="Example Chat").poll_interval == 600
    assert viewer_client.post("/feeds/", FEED).status_code == 302
    assert Feed.objects.count() == 2


def test_an_admin_adds_a_proposed_component_to_the_catalogue(site_admin_client) -> None:
    proposal = ServiceProposal.objects.create(provider="Example Chat", name="Messaging")
    response = site_admin_client.post(f"/api/v1/service-proposals/{proposal.pk}/accept/")
    assert response.json()["state"] == "accepted"
    assert Service.objects.filter(provider="Example Chat", name="Messaging").exists()
    again = site_admin_client.post(f"/api/v1/service-proposals/{proposal.pk}/accept/")
    assert again.status_code == 400
