"""A customer's status incident that overlaps the demo AWS incident joins its cascade."""

from __future__ import annotations

import pytest

from postmortems.ingest.feeds.models import IncidentLink, LinkState
from postmortems.ingest.feeds.polling import feed_poll
from postmortems.ingest.feeds.services import feed_create, incident_link_decide
from postmortems.models import Dependency, Incident, Service
from tests.postmortems.feeds import recorded

AWS_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"


@pytest.fixture
def chat_app(demo) -> Service:
    app = Service.objects.create(
        name="Example Chat", provider="Example Chat", category="customer_app"
    )
    Dependency.objects.create(
        downstream=app, upstream=Service.objects.get(provider="AWS", name="DynamoDB")
    )
    return app


@pytest.fixture
def chat_incident(feed_server, chat_app) -> Incident:
    url = feed_server.serve(
        "/api/v2/incidents.json", recorded.statuspage_feed(recorded.statuspage_incident())
    )
    feed = feed_create(url=url, provider="Example Chat", kind="statuspage")
    feed_poll(feed_id=feed.pk)
    return Incident.objects.get(provider="Example Chat")


def test_an_overlapping_customer_incident_is_proposed_as_part_of_the_aws_cascade(
    chat_incident,
) -> None:
    link = IncidentLink.objects.get(downstream__provider="Example Chat")
    assert (link.upstream.slug, link.downstream, link.state) == (
        AWS_SLUG,
        chat_incident,
        LinkState.PROPOSED,
    )
    assert "Example Chat depends on DynamoDB" in link.reason


def test_a_proposed_link_changes_nothing_in_the_cascade_until_accepted(
    chat_incident, viewer_client
) -> None:
    cascade = viewer_client.get(f"/api/v1/incidents/{AWS_SLUG}/cascade/").json()
    assert "Example Chat" not in {service["name"] for service in cascade["services"]}


def test_an_accepted_link_puts_the_customer_in_the_aws_cascade_api_and_page(
    chat_incident, editor_client, viewer_client
) -> None:
    link = IncidentLink.objects.get(downstream__provider="Example Chat")
    response = editor_client.post(f"/api/v1/incident-links/{link.pk}/accept/")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "accepted"

    cascade = viewer_client.get(f"/api/v1/incidents/{AWS_SLUG}/cascade/").json()
    lanes = {service["name"]: service for service in cascade["services"]}
    assert lanes["Example Chat"]["window"]["started_at"].startswith("2025-10-20T07:05:12")
    edges = {
        (edge["upstream"]["name"], edge["downstream"]["name"]): edge for edge in cascade["edges"]
    }
    # DynamoDB failed at 06:48; the customer's status page said so at 07:05:12.
    assert edges[("DynamoDB", "Example Chat")]["lag_seconds"] == 17 * 60 + 12

    page = viewer_client.get(f"/incidents/{AWS_SLUG}/timeline/")
    assert page.status_code == 200
    assert "Example Chat" in page.content.decode()

    # Both incidents show the link.
    upstream_page = viewer_client.get(f"/incidents/{AWS_SLUG}/").content.decode()
    downstream_page = viewer_client.get(chat_incident.get_absolute_url()).content.decode()
    for html in (upstream_page, downstream_page):
        assert "Cascade across providers" in html
        assert chat_incident.title in html
        assert "Accepted" in html


def test_a_rejected_link_stays_out_of_the_cascade_and_is_not_proposed_again(
    chat_incident, editor, viewer_client
) -> None:
    from postmortems.ingest.feeds.services import incident_links_propose

    link = incident_link_decide(
        link=IncidentLink.objects.get(downstream__provider="Example Chat"),
        accept=False,
        user=editor,
    )
    incident_links_propose(incident=chat_incident)
    assert (
        IncidentLink.objects.get(downstream__provider="Example Chat").state
        == LinkState.REJECTED
        == link.state
    )
    cascade = viewer_client.get(f"/api/v1/incidents/{AWS_SLUG}/cascade/").json()
    assert "Example Chat" not in {service["name"] for service in cascade["services"]}


def test_a_customer_incident_on_another_day_is_not_proposed(feed_server, chat_app) -> None:
    later = recorded.statuspage_incident(incident_id="later")
    for update in later["incident_updates"]:
        update["display_at"] = update["display_at"].replace("2025-10-20", "2025-11-03")
    url = feed_server.serve("/incidents.json", recorded.statuspage_feed(later))
    feed = feed_create(url=url, provider="Example Chat", kind="statuspage")
    feed_poll(feed_id=feed.pk)
    assert Incident.objects.filter(provider="Example Chat").count() == 1
    assert not IncidentLink.objects.filter(downstream__provider="Example Chat").exists()


def test_viewers_cannot_accept_links(chat_incident, viewer_client) -> None:
    link = IncidentLink.objects.get(downstream__provider="Example Chat")
    assert viewer_client.post(f"/api/v1/incident-links/{link.pk}/accept/").status_code == 403
    assert IncidentLink.objects.get(downstream__provider="Example Chat").state == LinkState.PROPOSED
