from __future__ import annotations

import pytest
from django.test import Client

from tests.xss import active_content, payloads, seed_incident


def test_the_payload_list_is_large_enough() -> None:
    assert len(payloads()) >= 40
    assert any("onerror" in payload.lower() for payload in payloads())


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href=" javascript:alert(1)">x</a>',
        "<iframe src=//evil></iframe>",
        '<p style="position:fixed">x</p>',
    ],
)
def test_the_inertness_check_catches_live_content(snippet: str) -> None:
    assert active_content(f"<html><body>{snippet}</body></html>") != []


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/incidents/xss/",
        "/incidents/xss/timeline/",
        "/incidents/xss/postmortem/",
        "/incidents/xss/postmortem/edit/",
        "/incidents/xss/postmortem/revisions/",
        "/services/",
        "/search/?q=alert",
    ],
)
def test_payloads_in_titles_events_and_markdown_render_inert(
    editor_client: Client, db: None, url: str
) -> None:
    seed_incident()
    response = editor_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert active_content(html) == []


def test_preview_of_every_payload_is_inert(editor_client: Client, db: None) -> None:
    incident = seed_incident()
    for payload in payloads():
        response = editor_client.post(
            f"/incidents/{incident.slug}/postmortem/preview/", {"body": payload}
        )
        assert active_content(response.content.decode()) == [], payload
