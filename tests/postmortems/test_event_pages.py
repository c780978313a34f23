"""Paging an incident's events: the pure choice of page, and the two pages that use it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from postmortems import event_pages as paging
from postmortems.event_pages import event_pages, parse_moment
from postmortems.models import ReviewState
from tests.factories import EventFactory, IncidentFactory, ServiceFactory

START = datetime(2025, 10, 20, 6, 0, tzinfo=UTC)
TIMES = [START + timedelta(minutes=n) for n in range(25)]
IDS = list(range(100, 125))


def test_pages_cover_every_event_once_with_the_times_they_span() -> None:
    pages = event_pages(TIMES, IDS, per_page=10)
    assert [(link.number, link.first_at, link.last_at) for link in pages.links] == [
        (1, TIMES[0], TIMES[9]),
        (2, TIMES[10], TIMES[19]),
        (3, TIMES[20], TIMES[24]),
    ]
    assert (pages.number, pages.start, pages.stop, pages.total) == (1, 0, 10, 25)
    assert pages.paginated


def test_last_page_holds_the_remainder() -> None:
    pages = event_pages(TIMES, IDS, page="last", per_page=10)
    assert (pages.number, pages.start, pages.stop) == (3, 20, 25)
    assert [link.current for link in pages.links] == [False, False, True]


@pytest.mark.parametrize(("page", "number"), [("0", 1), ("2", 2), ("99", 3)])
def test_a_page_out_of_range_shows_the_nearest(page: str, number: int) -> None:
    assert event_pages(TIMES, IDS, page=page, per_page=10).number == number


def test_an_unreadable_page_shows_the_first_and_says_why() -> None:
    pages = event_pages(TIMES, IDS, page="two", per_page=10)
    assert pages.number == 1
    assert "not a page number" in pages.error


def test_a_time_picks_the_page_of_the_first_event_at_or_after_it() -> None:
    pages = event_pages(TIMES, IDS, at="2025-10-20T06:12:30", per_page=10)
    assert (pages.number, pages.focus) == (2, 13)


def test_a_time_with_a_zone_is_read_in_that_zone() -> None:
    pages = event_pages(TIMES, IDS, at="2025-10-20T08:21+02:00", per_page=10)
    assert (pages.number, pages.focus) == (3, 21)


def test_a_time_after_every_event_shows_the_last_page_without_focus() -> None:
    pages = event_pages(TIMES, IDS, at="2025-10-21 00:00", per_page=10)
    assert (pages.number, pages.focus) == (3, None)


@pytest.mark.parametrize("text", ["yesterday", "2025-13-01T00:00", "0001-01-01T00:00+05:00"])
def test_an_unreadable_time_shows_the_first_page_and_says_why(text: str) -> None:
    pages = event_pages(TIMES, IDS, at=text, per_page=10)
    assert (pages.number, pages.focus) == (1, None)
    assert "is not a time" in pages.error


def test_an_event_id_picks_its_page() -> None:
    pages = event_pages(TIMES, IDS, event="117", per_page=10)
    assert (pages.number, pages.focus) == (2, 17)


@pytest.mark.parametrize("text", ["999", "abc"])
def test_an_unknown_event_shows_the_first_page_and_says_why(text: str) -> None:
    pages = event_pages(TIMES, IDS, event=text, per_page=10)
    assert (pages.number, pages.focus) == (1, None)
    assert "no event" in pages.error


def test_no_events_is_one_empty_page() -> None:
    pages = event_pages([], [], page="last")
    assert (pages.number, pages.start, pages.stop, pages.links) == (1, 0, 0, ())
    assert not pages.paginated


def test_parse_moment_reads_naive_times_as_utc() -> None:
    assert parse_moment("2025-10-20 06:48") == datetime(2025, 10, 20, 6, 48, tzinfo=UTC)


# ------------------------------------------------------------------------------ pages


@pytest.fixture
def long_incident(db: None, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """An incident of 12 accepted events (5 a page) and 3 proposed; return accepted ids."""
    monkeypatch.setattr(paging, "PER_PAGE", 5)
    incident = IncidentFactory(slug="long", started_at=START)
    service = ServiceFactory(name="Paged service")
    ids = [
        EventFactory(
            incident=incident,
            occurred_at=START + timedelta(minutes=n),
            title=f"Accepted event {n:02d}",
            services=[service],
        ).pk
        for n in range(12)
    ]
    for n in range(3):
        EventFactory(
            incident=incident,
            occurred_at=START + timedelta(minutes=n),
            title=f"Proposed event {n}",
            review_state=ReviewState.PROPOSED,
        )
    return ids


@pytest.mark.parametrize(
    ("url", "anchor"), [("/incidents/long/", "event"), ("/incidents/long/timeline/", "row")]
)
def test_each_page_shows_its_own_events_and_links_every_page(
    viewer_client: Client, long_incident: list[int], url: str, anchor: str
) -> None:
    first = viewer_client.get(url).content.decode()
    last = viewer_client.get(f"{url}?page=3").content.decode()
    assert [pk for pk in long_incident if f'id="{anchor}-{pk}"' in first] == long_incident[:5]
    assert [pk for pk in long_incident if f'id="{anchor}-{pk}"' in last] == long_incident[10:]
    for body in (first, last):
        assert 'href="?page=2#' in body
        assert 'name="at"' in body
        assert "of 12" in body


@pytest.mark.parametrize(
    ("url", "anchor"), [("/incidents/long/", "event"), ("/incidents/long/timeline/", "row")]
)
def test_a_time_redirects_to_the_page_and_row_of_its_first_event(
    viewer_client: Client, long_incident: list[int], url: str, anchor: str
) -> None:
    response = viewer_client.get(f"{url}?at=2025-10-20T06:07")
    assert response.status_code == 302
    assert response["Location"] == f"{url}?page=2#{anchor}-{long_incident[7]}"


def test_a_marker_of_another_pages_event_redirects_to_its_page(
    viewer_client: Client, long_incident: list[int]
) -> None:
    response = viewer_client.get(f"/incidents/long/timeline/?event={long_incident[11]}")
    assert response["Location"] == f"/incidents/long/timeline/?page=3#row-{long_incident[11]}"


def test_a_bad_time_is_explained_not_a_failure(
    viewer_client: Client, long_incident: list[int]
) -> None:
    response = viewer_client.get("/incidents/long/?at=noon")
    assert response.status_code == 200
    assert "is not a time" in response.content.decode()


def test_timeline_page_embeds_only_its_pages_events_for_the_script(
    viewer_client: Client, long_incident: list[int]
) -> None:
    import json
    import re

    body = viewer_client.get("/incidents/long/timeline/?page=2").content.decode()
    data = re.search(r'<script id="timeline-data" type="application/json">(.*?)</script>', body)
    assert data is not None
    assert [event["id"] for event in json.loads(data.group(1))["events"]] == long_incident[5:10]


def test_incident_page_counts_and_lists_events_under_review(
    viewer_client: Client, long_incident: list[int]
) -> None:
    body = viewer_client.get("/incidents/long/?page=3").content.decode()
    assert 'Under review or rejected <span class="muted">(3)</span>' in body
    assert "Proposed event 2" in body
