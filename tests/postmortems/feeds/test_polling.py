"""Polling recorded feeds from a local server: exact times, 304s, edits, errors, SSRF."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from postmortems.ingest.feeds.models import (
    Feed,
    FeedEntry,
    FeedState,
    FeedUpdate,
    ServiceProposal,
)
from postmortems.ingest.feeds.polling import feed_poll
from postmortems.ingest.feeds.services import feed_create
from postmortems.models import Event, Impact, Incident, ReviewState, Service, Source
from tests.postmortems.feeds import recorded

pytestmark = pytest.mark.django_db


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Incident, Event, Source, Impact, FeedEntry, FeedUpdate)
    }


@pytest.fixture
def chat_app(db: None) -> Service:
    return Service.objects.create(
        name="Example Chat", provider="Example Chat", category="customer_app"
    )


def test_first_statuspage_poll_creates_the_incident_and_events_at_their_exact_times(
    feed_server, chat_app
) -> None:
    url = feed_server.serve(
        "/api/v2/incidents.json", recorded.statuspage_feed(recorded.statuspage_incident())
    )
    feed = feed_create(url=url, provider="Example Chat", kind="statuspage")

    result = feed_poll(feed_id=feed.pk)

    assert (result.outcome, result.created) == ("fetched", 1)
    incident = Incident.objects.get(feed_entries__feed=feed)
    assert incident.provider == "Example Chat"
    assert incident.started_at == _at("2025-10-20T07:05:12")
    assert incident.resolved_at == _at("2025-10-20T09:51:40")
    assert incident.mitigated_at == _at("2025-10-20T09:33:00")
    events = list(incident.events.order_by("occurred_at"))
    assert [(event.occurred_at, event.kind, event.precision) for event in events] == [
        (_at("2025-10-20T07:05:12"), "detection", "second"),
        (_at("2025-10-20T07:40:27"), "escalation", "second"),
        (_at("2025-10-20T09:33:00"), "mitigation", "minute"),
        (_at("2025-10-20T09:51:40"), "recovery", "second"),
    ]
    assert events[0].quote == "We are investigating reports that messages fail to send."
    assert all(event.review_state == ReviewState.PROPOSED for event in events)
    source = events[0].source
    assert source.url == "https://stspg.example/chat-2025-10-20"
    assert source.text[events[0].quote_start : events[0].quote_end] == events[0].quote
    assert {event.source_id for event in events} == {source.pk}
    # The catalogue knows the app as one service: its components are that service.
    assert list(events[0].services.all()) == [chat_app]
    impact = Impact.objects.get(incident=incident)
    assert (impact.service, impact.level, impact.ended_at) == (
        chat_app,
        "outage",
        _at("2025-10-20T09:51:40"),
    )
    feed.refresh_from_db()
    assert feed.state == FeedState.OK
    assert feed.etag
    assert feed.last_error == ""
    assert feed.next_poll_at == feed.last_polled_at + timedelta(seconds=feed.poll_interval)


def test_unknown_components_are_proposed_as_new_services(feed_server, chat_app) -> None:
    url = feed_server.serve(
        "/incidents.json", recorded.statuspage_feed(recorded.statuspage_incident())
    )
    feed = feed_create(url=url, provider="Example Chat", kind="statuspage")
    feed_poll(feed_id=feed.pk)
    assert sorted(ServiceProposal.objects.values_list("provider", "name", "state")) == [
        ("Example Chat", "Messaging", "proposed"),
        ("Example Chat", "Push delivery", "proposed"),
    ]


def test_second_poll_gets_304_and_changes_nothing(feed_server, chat_app) -> None:
    url = feed_server.serve(
        "/incidents.json", recorded.statuspage_feed(recorded.statuspage_incident())
    )
    feed = feed_create(url=url, provider="Example Chat", kind="statuspage")
    feed_poll(feed_id=feed.pk)
    before = _counts()
    etag = Feed.objects.get(pk=feed.pk).etag

    result = feed_poll(feed_id=feed.pk)

    assert result.outcome == "not_modified"
    assert feed_server.requests[-1][1].get("If-None-Match") == etag
    assert feed_server.requests[-1][1].get("If-Modified-Since") == "Mon, 20 Oct 2025 10:00:00 GMT"
    assert _counts() == before


def test_an_edited_entry_updates_its_events_in_place(feed_server, chat_app) -> None:
    path = "/incidents.json"
    url = feed_server.serve(path, recorded.statuspage_feed(recorded.statuspage_incident()))
    feed = feed_create(url=url, provider="Example Chat", kind="statuspage")
    feed_poll(feed_id=feed.pk)
    recovery = Event.objects.get(kind="recovery")
    recovery.review_state = ReviewState.ACCEPTED
    recovery.save()
    before = _counts()

    edited = recorded.statuspage_incident(
        resolved_text="Delivery is back; a backlog drained by 10:30."
    )
    feed_server.serve(path, recorded.statuspage_feed(edited))
    result = feed_poll(feed_id=feed.pk)

    assert (result.outcome, result.updated, result.created) == ("fetched", 1, 0)
    assert _counts() == before
    recovery.refresh_from_db()
    assert recovery.quote == "Delivery is back; a backlog drained by 10:30."
    assert recovery.source.text[recovery.quote_start : recovery.quote_end] == recovery.quote
    # A person had accepted the old words: the new ones wait for review again, with why.
    assert recovery.review_state == ReviewState.PROPOSED
    assert "edited" in recovery.review_note


def test_a_malformed_feed_records_an_error_and_loses_nothing_stored(feed_server, chat_app) -> None:
    path = "/incidents.json"
    url = feed_server.serve(path, recorded.statuspage_feed(recorded.statuspage_incident()))
    feed = feed_create(url=url, provider="Example Chat", kind="statuspage")
    feed_poll(feed_id=feed.pk)
    before = _counts()
    good_etag = Feed.objects.get(pk=feed.pk).etag

    feed_server.serve(path, b'{"incidents": [{"id": "x", "incident_updates": [')
    result = feed_poll(feed_id=feed.pk)

    assert result.outcome == "failed"
    feed.refresh_from_db()
    assert feed.state == FeedState.FAILING
    assert "not valid JSON" in feed.last_error
    assert "Nothing stored was changed" in feed.last_error
    assert feed.consecutive_failures == 1
    assert feed.etag == good_etag  # the next poll asks for the document again
    assert feed.next_poll_at > timezone.now()
    assert _counts() == before


def test_failures_in_a_row_back_off_doubling_and_a_good_poll_clears_them(
    feed_server, chat_app
) -> None:
    url = feed_server.serve("/x.json", b"<html>not json</html>", content_type="text/html")
    feed = feed_create(url=url, provider="Example Chat", kind="statuspage", poll_interval=60)
    waits = []
    for _ in range(3):
        feed_poll(feed_id=feed.pk)
        feed.refresh_from_db()
        waits.append(feed.next_poll_at - feed.last_polled_at)
    assert waits == [timedelta(seconds=60), timedelta(seconds=120), timedelta(seconds=240)]
    assert "text/html" in feed.last_error

    feed_server.serve("/x.json", recorded.statuspage_feed(recorded.statuspage_incident()))
    feed_poll(feed_id=feed.pk)
    feed.refresh_from_db()
    assert (feed.state, feed.consecutive_failures, feed.last_error) == (FeedState.OK, 0, "")


def test_a_feed_that_redirects_to_a_private_address_is_refused(feed_server, chat_app) -> None:
    url = feed_server.redirect("/moved.json", "http://169.254.169.254/latest/meta-data/")
    feed = feed_create(url=url, provider="Example Chat", kind="statuspage")

    result = feed_poll(feed_id=feed.pk)

    assert result.outcome == "failed"
    feed.refresh_from_db()
    assert feed.state == FeedState.FAILING
    assert "169.254.169.254" in feed.last_error
    assert Incident.objects.count() == 0


def test_google_cloud_feed_becomes_an_incident_with_exact_times(feed_server) -> None:
    url = feed_server.serve("/incidents.json", recorded.gcp_feed())
    feed = feed_create(url=url, provider="Google Cloud", kind="gcp")
    feed_poll(feed_id=feed.pk)
    incident = Incident.objects.get()
    events = list(incident.events.order_by("occurred_at"))
    assert [(event.occurred_at, event.kind) for event in events] == [
        (_at("2025-06-12T18:18:38"), "communication"),
        (_at("2025-06-12T20:49:00"), "recovery"),
    ]
    assert incident.resolved_at == _at("2025-06-12T20:49:00")
    assert ServiceProposal.objects.get().name == "Identity and Access Management"


def test_statuspage_atom_history_is_split_into_its_updates(feed_server) -> None:
    url = feed_server.serve("/history.atom", recorded.STATUSPAGE_ATOM, "application/atom+xml")
    feed = feed_create(url=url, provider="Example Tracker", kind="atom")
    feed_poll(feed_id=feed.pk)
    incident = Incident.objects.get()
    assert [
        (event.occurred_at, event.kind, event.precision, event.quote)
        for event in incident.events.order_by("occurred_at")
    ] == [
        (_at("2025-10-20T07:18:00"), "detection", "minute", "Users cannot sign in."),
        (_at("2025-10-20T10:20:00"), "recovery", "minute", "Products are working normally again."),
    ]


def test_rss_items_of_one_incident_become_one_incident(feed_server) -> None:
    dynamodb = Service.objects.create(name="DynamoDB", provider="AWS", aliases=["Amazon DynamoDB"])
    url = feed_server.serve("/dynamodb.rss", recorded.AWS_RSS, "application/rss+xml")
    feed = feed_create(url=url, provider="AWS", kind="rss")
    feed_poll(feed_id=feed.pk)
    incident = Incident.objects.get()
    assert incident.title == "AWS: Increased Error Rates"
    assert [
        (event.occurred_at, event.kind) for event in incident.events.order_by("occurred_at")
    ] == [
        (_at("2025-10-20T07:11:00"), "communication"),
        (_at("2025-10-20T09:40:00"), "recovery"),
    ]
    # One incident, one source (the items all link to the same page).
    assert Source.objects.count() == 1
    assert dynamodb.impacts.count() == 0  # the items name no component


def test_poll_feeds_once_polls_what_is_due_in_process(feed_server, chat_app) -> None:
    url = feed_server.serve(
        "/incidents.json", recorded.statuspage_feed(recorded.statuspage_incident())
    )
    call_command("add_feed", url, provider="Example Chat", kind="statuspage")
    call_command("poll_feeds", once=True)
    assert Event.objects.count() == 4
    call_command("poll_feeds", once=True)  # not due again yet: nothing fetched
    assert len(feed_server.requests) == 1


def test_two_provider_incidents_told_in_the_same_words_are_two_sources(
    feed_server, chat_app
) -> None:
    twins = [recorded.statuspage_incident(incident_id=f"maintenance-{n}") for n in (1, 2)]
    url = feed_server.serve("/incidents.json", recorded.statuspage_feed(*twins))
    feed = feed_create(url=url, provider="Example Chat", kind="statuspage")

    result = feed_poll(feed_id=feed.pk)

    assert (result.outcome, result.created, result.error) == ("fetched", 2, "")
    assert Source.objects.count() == 2
    for event in Event.objects.all():
        assert event.source.text[event.quote_start : event.quote_end] == event.quote


def test_a_feed_incident_arrives_as_a_draft_from_a_feed_until_an_editor_confirms_it(
    feed_server, chat_app, viewer_client, editor
) -> None:
    from postmortems.ingest.services import incident_confirm
    from postmortems.models import IncidentOrigin

    url = feed_server.serve(
        "/incidents.json", recorded.statuspage_feed(recorded.statuspage_incident())
    )
    feed = feed_create(url=url, provider="Example Chat", kind="statuspage")
    feed_poll(feed_id=feed.pk)
    incident = Incident.objects.get()
    assert (incident.is_draft, incident.origin) == (True, IncidentOrigin.FEED)
    assert incident.title not in viewer_client.get("/").content.decode()

    incident_confirm(incident=incident, user=editor)
    assert incident.title in viewer_client.get("/").content.decode()
    # A later edit of the entry keeps the editor's confirmation.
    edited = recorded.statuspage_incident(resolved_text="Fixed for everyone.")
    feed_server.serve("/incidents.json", recorded.statuspage_feed(edited))
    feed_poll(feed_id=feed.pk)
    assert Incident.objects.get().is_draft is False


def _poll_with_resolved_text(feed_server, text: str):
    """Serve the recorded incident with ``text`` as its resolved update, and poll it once."""
    resolved = recorded.statuspage_incident(resolved_text=text)
    url = feed_server.serve("/api/v2/incidents.json", recorded.statuspage_feed(resolved))
    return feed_poll(feed_id=feed_create(url=url, provider="Example Chat", kind="statuspage").pk)


def test_a_resolved_update_that_gives_an_earlier_time_is_the_recovery_at_that_time(
    feed_server, chat_app
) -> None:
    # Posted at 09:51:40, it says when delivery came back: the text wins over the post time,
    # and the incident's resolved time is the event's, not a second reading.
    _poll_with_resolved_text(feed_server, "By 09:40 UTC all messages were delivered again.")

    recovery = Event.objects.get(kind="recovery")
    assert recovery.occurred_at == _at("2025-10-20T09:40:00")
    assert recovery.precision == "minute"
    evidence = recovery.proposal_details["time_evidence"]
    assert "By 09:40 UTC all messages were delivered again." in evidence
    assert "posted at 2025-10-20 09:51 UTC" in evidence
    assert recovery.incident.resolved_at == recovery.occurred_at


def test_an_update_whose_words_give_no_earlier_time_keeps_its_post_time(
    feed_server, chat_app
) -> None:
    # "by 10:30" lies after the 09:51 post (a backlog still draining): no earlier moment.
    _poll_with_resolved_text(feed_server, "Delivery is back; a backlog drained by 10:30.")

    recovery = Event.objects.get(kind="recovery")
    assert recovery.occurred_at == _at("2025-10-20T09:51:40")
    assert recovery.proposal_details == {}


def test_an_edit_to_one_update_leaves_the_reviewed_others_as_they_were(
    feed_server, chat_app
) -> None:
    path = "/incidents.json"
    url = feed_server.serve(path, recorded.statuspage_feed(recorded.statuspage_incident()))
    feed = feed_create(url=url, provider="Example Chat", kind="statuspage")
    feed_poll(feed_id=feed.pk)
    detection = Event.objects.get(kind="detection")
    detection.review_state = ReviewState.ACCEPTED
    detection.save()

    edited = recorded.statuspage_incident(resolved_text="Every message is delivered again.")
    feed_server.serve(path, recorded.statuspage_feed(edited))
    result = feed_poll(feed_id=feed.pk)

    assert result.updated == 1  # the resolved update alone
    detection.refresh_from_db()
    assert detection.review_state == ReviewState.ACCEPTED


def test_a_recovery_dated_before_the_monitoring_post_is_mitigated_by_then(
    feed_server, chat_app
) -> None:
    # Monitoring was posted at 09:33; the resolved update says delivery was back at 09:20.
    result = _poll_with_resolved_text(feed_server, "The issue was resolved at 09:20 UTC.")

    assert result.created == 1
    incident = Incident.objects.get()
    assert incident.resolved_at == incident.mitigated_at == _at("2025-10-20T09:20:00")
