"""The demo's recorded feeds: loaded through the feed door, a customer linked into the AWS cascade."""

from __future__ import annotations

from datetime import UTC, datetime

from postmortems.ingest.feeds.models import Feed, FeedState, IncidentLink, LinkState
from postmortems.models import Event, Incident

AWS_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"


def test_the_recorded_aws_updates_join_the_demo_aws_incident_as_proposals(demo) -> None:
    aws = Incident.objects.get(slug=AWS_SLUG)
    from_feed = Event.objects.filter(incident=aws, feed_update__isnull=False).order_by(
        "occurred_at"
    )
    assert [event.occurred_at for event in from_feed][:2] == [
        datetime(2025, 10, 20, 7, 11, tzinfo=UTC),
        datetime(2025, 10, 20, 8, 26, tzinfo=UTC),
    ]
    assert from_feed.last().kind == "recovery"
    assert {event.review_state for event in from_feed} == {"proposed"}
    # Joining an incident people wrote up adds proposals, never a second AWS incident.
    assert Incident.objects.filter(provider="AWS", started_at__date="2025-10-20").count() == 1


def test_the_demo_shows_a_customer_incident_linked_into_the_aws_cascade(
    demo, viewer_client
) -> None:
    links = {link.downstream.provider: link.state for link in IncidentLink.objects.all()}
    assert links == {"Atlassian": LinkState.ACCEPTED, "Signal Foundation": LinkState.PROPOSED}
    atlassian = Incident.objects.get(provider="Atlassian")
    cascade = viewer_client.get(f"/api/v1/incidents/{AWS_SLUG}/cascade/").json()
    lane = next(service for service in cascade["services"] if service["name"] == "Atlassian")
    # The written-up impact ends at 10:30 (approximate); the feed's resolution at 10:35
    # is part of the lane now.
    assert atlassian.resolved_at == datetime(2025, 10, 20, 10, 35, tzinfo=UTC)
    assert lane["window"]["ended_at"].startswith("2025-10-20T10:35")


def test_demo_feeds_are_paused_so_the_demo_never_polls_the_internet(demo) -> None:
    assert set(Feed.objects.values_list("state", flat=True)) == {FeedState.PAUSED}
