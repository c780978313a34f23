"""A new postmortem starts from what the knowledge base knows about the incident."""

from __future__ import annotations

from django.test import Client

from postmortems.models import Incident, Postmortem
from postmortems.review.sections import placeholder_sections
from tests.factories import IncidentFactory
from timelines.exports import Audience, account_for, impacts_markdown, key_times_markdown

DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"


def _start_fresh(client: Client, slug: str) -> str:
    Postmortem.objects.filter(incident__slug=slug).delete()
    assert client.post(f"/incidents/{slug}/postmortem/start/").status_code == 302
    return Postmortem.objects.get(incident__slug=slug).body


def test_a_new_postmortem_states_the_demo_incidents_key_times_services_and_recovery(
    editor_client: Client, demo: dict[str, int]
) -> None:
    body = _start_fresh(editor_client, DEMO_SLUG)
    incident = Incident.objects.get(slug=DEMO_SLUG)
    assert incident.summary.strip() in body
    # Key times, each with its time since the start.
    for row in (
        "| Started | 2025-10-20 06:48 UTC | 0m |",
        "| Detected | 2025-10-20 07:11 UTC | 23m |",
        "| Mitigated | 2025-10-20 09:25 UTC | 2h 37m |",
        "| Resolved | 2025-10-20 22:01 UTC | 15h 13m |",
    ):
        assert row in body
    assert "**TTD** 23m · **TTM** 2h 37m · **TTR** 15h 13m" in body
    # Impacted services with their windows.
    for service in ("DynamoDB", "EC2", "Network Load Balancer", "Lambda"):
        assert f"| {service} |" in body
    assert "| DynamoDB DNS automation | outage (origin) | 2025-10-20 06:48 UTC |" in body
    assert "| DynamoDB | outage | 2025-10-20 06:48 UTC | 2025-10-20 09:40 UTC | 2h 52m |" in body
    # The accepted timeline, with its sources, includes the 09:35 UTC recovery.
    assert (
        "| 2025-10-20 09:35 | recovery | Services restored (as the German article reports)" in body
    )
    assert "](https://" in body  # sources linked
    assert "**Category:** DNS" in body


def test_the_prefill_and_the_export_state_the_same_facts(
    editor_client: Client, demo: dict[str, int]
) -> None:
    body = _start_fresh(editor_client, DEMO_SLUG)
    account = account_for(
        Incident.objects.get(slug=DEMO_SLUG), audience=Audience.INTERNAL, include_postmortem=False
    )
    assert "\n".join(key_times_markdown(account)) in body
    assert "\n".join(impacts_markdown(account)) in body


def test_prefilled_sections_still_need_writing_where_only_facts_are_known(
    editor_client: Client, demo: dict[str, int]
) -> None:
    body = _start_fresh(editor_client, DEMO_SLUG)
    unwritten = placeholder_sections(body)
    assert "Summary" not in unwritten  # the incident's own summary
    assert "Impact" in unwritten
    assert "Root cause" in unwritten


def test_refreshing_the_timeline_keeps_the_prefill_and_adds_new_events(
    editor_client: Client, demo: dict[str, int]
) -> None:
    from postmortems.models import Event

    body = _start_fresh(editor_client, DEMO_SLUG)
    postmortem = Postmortem.objects.get(incident__slug=DEMO_SLUG)
    event = Event.objects.filter(incident=postmortem.incident, review_state="accepted").first()
    Event.objects.filter(pk=event.pk).update(title="Renamed for the refresh")
    response = editor_client.post(
        f"/incidents/{DEMO_SLUG}/postmortem/refresh-timeline/",
        {"body": body, "base_version": postmortem.version},
    )
    refreshed = response.content.decode()
    assert "Renamed for the refresh" in refreshed
    assert "**TTD** 23m" in refreshed


def test_an_incident_with_nothing_known_gets_the_plain_template(
    editor_client: Client, db: None
) -> None:
    IncidentFactory(slug="bare", title="Bare", summary="", started_at=None, resolved_at=None)
    body = _start_fresh(editor_client, "bare")
    assert "No impacted services recorded." in body
    assert "No accepted events yet." in body
