"""The pure feed parsers: bytes in, frozen provider incidents out, no database."""

from __future__ import annotations

import contextlib
import json
from dataclasses import FrozenInstanceError
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postmortems.ingest.feeds.parsing import FeedParseError, parse_feed
from tests.postmortems.feeds import recorded


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def test_statuspage_updates_come_oldest_first_with_states_and_seconds() -> None:
    (incident,) = parse_feed(
        "statuspage", recorded.statuspage_feed(recorded.statuspage_incident())
    ).incidents
    assert [(u.update_id, u.state, u.at, u.precision) for u in incident.updates] == [
        ("u1", "investigating", _at("2025-10-20T07:05:12"), "second"),
        ("u2", "identified", _at("2025-10-20T07:40:27"), "second"),
        ("u3", "monitoring", _at("2025-10-20T09:33:00"), "minute"),
        ("u4", "resolved", _at("2025-10-20T09:51:40"), "second"),
    ]
    assert incident.updates[0].text == "We are investigating reports that messages fail to send."
    assert incident.components == ("Messaging", "Push delivery")
    assert (incident.level, incident.resolved_at) == ("outage", _at("2025-10-20T09:51:40"))
    with pytest.raises(FrozenInstanceError):
        incident.title = "changed"  # type: ignore[misc]


def test_an_unreadable_statuspage_incident_is_skipped_with_why_and_the_rest_kept() -> None:
    broken = recorded.statuspage_incident(incident_id="broken")
    broken["incident_updates"][0]["display_at"] = "yesterday"
    broken["incident_updates"][0]["created_at"] = "yesterday"
    parsed = parse_feed(
        "statuspage", recorded.statuspage_feed(broken, recorded.statuspage_incident())
    )
    assert [incident.entry_id for incident in parsed.incidents] == ["chat-2025-10-20"]
    assert len(parsed.skipped) == 1
    assert "'yesterday' is not an ISO 8601 time" in parsed.skipped[0]


def test_an_update_time_without_a_zone_is_not_guessed() -> None:
    naive = recorded.statuspage_incident()
    for update in naive["incident_updates"]:
        update["display_at"] = update["display_at"].rstrip("Z")
    parsed = parse_feed("statuspage", recorded.statuspage_feed(naive))
    assert parsed.incidents == ()
    assert "has no time zone" in parsed.skipped[0]


@pytest.mark.parametrize(
    ("kind", "body", "message"),
    [
        ("statuspage", b"{not json", "not valid JSON"),
        ("statuspage", b'{"page": {}}', 'no "incidents" list'),
        ("gcp", b'{"incidents": []}', "not a list of incidents"),
        ("statuspage", b"\xff\xfe\x00", "not"),
        ("atom", b"<html><body>Status page</body></html>", "not an Atom or RSS feed"),
        ("rss", b"", "not an Atom or RSS feed"),
        ("xml", b"", "Unknown feed kind"),
    ],
)
def test_what_is_not_a_feed_raises_a_clear_error(kind: str, body: bytes, message: str) -> None:
    with pytest.raises(FeedParseError, match=message):
        parse_feed(kind, body)


def test_google_cloud_updates_are_identified_by_their_time_and_available_means_resolved() -> None:
    (incident,) = parse_feed("gcp", recorded.gcp_feed()).incidents
    assert [(u.update_id, u.state) for u in incident.updates] == [
        ("2025-06-12T18:18:38+00:00", ""),
        ("2025-06-12T20:49:00+00:00", "resolved"),
    ]
    assert incident.link == "https://status.cloud.google.com/incidents/gcp-1"
    assert incident.components == ("Identity and Access Management",)
    assert incident.level == "outage"


def test_a_december_update_in_a_january_statuspage_entry_belongs_to_the_year_before() -> None:
    body = recorded.STATUSPAGE_ATOM.replace(b"2025-10-20T07:18:00Z", b"2026-01-01T00:20:00Z")
    body = body.replace(
        b"Oct &lt;var data-var='date'&gt;20&lt;/var&gt;, &lt;var data-var='time'&gt;07:18",
        b"Dec &lt;var data-var='date'&gt;31&lt;/var&gt;, &lt;var data-var='time'&gt;23:58",
    )
    body = body.replace(
        b"Oct &lt;var data-var='date'&gt;20&lt;/var&gt;, &lt;var data-var='time'&gt;10:20",
        b"Jan &lt;var data-var='date'&gt;1&lt;/var&gt;, &lt;var data-var='time'&gt;00:20",
    )
    (incident,) = parse_feed("atom", body).incidents
    assert [u.at for u in incident.updates] == [
        _at("2025-12-31T23:58:00"),
        _at("2026-01-01T00:20:00"),
    ]


def test_rss_items_thread_by_title_without_status_prefixes_and_split_after_a_day() -> None:
    later_item = b"""<item>
      <title>Informational message: Increased Error Rates</title>
      <pubDate>Wed, 22 Oct 2025 15:00:00 GMT</pubDate>
      <guid isPermaLink="false">ddb-later</guid>
      <description>Another event, two days later.</description>
    </item>
  </channel>"""
    body = recorded.AWS_RSS.replace(b"</channel>", later_item)
    incidents = parse_feed("rss", body).incidents
    assert [(incident.title, len(incident.updates)) for incident in incidents] == [
        ("Increased Error Rates", 2),
        ("Increased Error Rates", 1),
    ]
    first = incidents[0]
    assert [u.state for u in first.updates] == ["", "resolved"]
    assert first.entry_id == "increased error rates@2025-10-20T07:11:00Z"
    assert incidents[1].entry_id != first.entry_id


def test_the_content_hash_is_stable_and_changes_when_an_update_is_edited() -> None:
    def digest(text: str) -> str:
        feed = recorded.statuspage_feed(recorded.statuspage_incident(resolved_text=text))
        return parse_feed("statuspage", feed).incidents[0].content_hash()

    assert digest("Fixed.") == digest("Fixed.")
    assert digest("Fixed.") != digest("Fixed at 09:51.")


def test_links_that_are_not_http_are_dropped() -> None:
    incident = recorded.statuspage_incident()
    incident["shortlink"] = "javascript:alert(1)"
    (parsed,) = parse_feed("statuspage", recorded.statuspage_feed(incident)).incidents
    assert parsed.link == ""


@settings(max_examples=60, deadline=None)
@given(kind=st.sampled_from(["statuspage", "gcp", "atom", "rss"]), body=st.binary(max_size=300))
def test_any_bytes_give_incidents_or_a_feed_parse_error(kind: str, body: bytes) -> None:
    messages: list[str] = []
    try:
        parsed = parse_feed(kind, body)
    except FeedParseError as error:
        messages.append(error.message)
    else:
        assert all(incident.updates for incident in parsed.incidents)
    assert all(messages)


@settings(max_examples=60, deadline=None)
@given(
    data=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=12), children, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_any_json_shape_gives_incidents_or_a_feed_parse_error(data: object) -> None:
    for kind in ("statuspage", "gcp"):
        for shaped in (data, {"incidents": [data]}, [data]):
            with contextlib.suppress(FeedParseError):
                parse_feed(kind, json.dumps(shaped).encode())
