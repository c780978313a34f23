"""Load the recorded feeds of 20 October 2025 through the same code a poll runs.

The feeds are registered paused (the demo never reaches the internet), their snapshots
parsed and ingested like fetched documents, and the Atlassian incident's proposed link to
the AWS incident accepted, so the demo cascade shows a customer incident that came in
from a feed. Signal's link is left proposed, for the review page to show one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser

from postmortems.ingest.feeds.models import Feed, FeedKind, FeedState, IncidentLink, LinkState
from postmortems.ingest.feeds.parsing import parse_feed
from postmortems.ingest.feeds.polling import feed_ingest
from postmortems.ingest.feeds.services import feed_create, feed_update, incident_link_decide

SNAPSHOTS = Path(__file__).resolve().parents[2] / "demo_data" / "feeds"


@dataclass(frozen=True)
class DemoFeed:
    provider: str  # as the demo catalogue names it
    url: str
    kind: str
    snapshot: str
    accept_link: bool = False


DEMO_FEEDS: tuple[DemoFeed, ...] = (
    DemoFeed(
        "AWS",
        "https://status.aws.amazon.com/rss/multipleservices-us-east-1.rss",
        FeedKind.RSS,
        "aws-multipleservices-us-east-1.rss",
    ),
    DemoFeed(
        "Atlassian",
        "https://status.atlassian.com/api/v2/incidents.json",
        FeedKind.STATUSPAGE,
        "atlassian-incidents.json",
        accept_link=True,
    ),
    DemoFeed(
        "Signal Foundation",
        "https://status.signal.org/api/v2/incidents.json",
        FeedKind.STATUSPAGE,
        "signal-incidents.json",
    ),
)


def demo_feeds_load(*, user: AbstractBaseUser | None) -> int:
    """Ingest the recorded demo feeds (again: nothing changes); return how many feeds."""
    for item in DEMO_FEEDS:
        feed = Feed.objects.filter(url=item.url).first()
        if feed is None:
            feed = feed_create(url=item.url, provider=item.provider, kind=item.kind)
            feed = feed_update(feed=feed, data={"state": FeedState.PAUSED})
        parsed = parse_feed(item.kind, (SNAPSHOTS / item.snapshot).read_bytes())
        result = feed_ingest(feed=feed, parsed=parsed)
        if result.error:
            raise ValueError(f"Demo feed {item.snapshot} did not load: {result.error}")
        if item.accept_link:
            proposed = IncidentLink.objects.filter(
                downstream__feed_entries__feed=feed, state=LinkState.PROPOSED
            )
            for link in proposed:
                incident_link_decide(link=link, accept=True, user=user)
    return len(DEMO_FEEDS)
