"""The import review page in pages of moments: every page linked, bulk actions over all of them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from postmortems.ingest.services import proposals_accept_all
from postmortems.models import Event, ReviewState
from postmortems.views.imports import REVIEW_PAGE_SIZE
from tests.factories import EventFactory, IncidentFactory, ServiceFactory, SourceFactory

START = datetime(2025, 10, 20, 6, 0, tzinfo=UTC)


def _incident_with_proposals(slug: str, count: int, *, accepted: int = 0) -> list[Event]:
    """Return ``count`` proposals of separate moments (each its own service), quoted in one source."""
    incident = IncidentFactory(slug=slug, started_at=START)
    source = SourceFactory(text="".join(f"Sentence {number:04d}. " for number in range(count)))
    source.incidents.add(incident)
    services = [ServiceFactory() for _ in range(count)]
    events = [
        EventFactory(
            incident=incident,
            source=source,
            occurred_at=START + timedelta(minutes=10 * number),
            kind="impact",
            review_state=ReviewState.PROPOSED,
            quote_start=number * 15,
            quote_end=number * 15 + 13,
            services=[services[number]],
        )
        for number in range(count)
    ]
    for number in range(accepted):
        EventFactory(
            incident=incident,
            occurred_at=START + timedelta(minutes=10 * number + 5),
            kind="recovery",
            review_state=ReviewState.ACCEPTED,
            services=[services[number % count]],
        )
    return events


def _other_report(event: Event, *, minutes: int) -> Event:
    """Return another source's proposal of ``event``'s moment, ``minutes`` later (a conflict)."""
    return EventFactory(
        incident=event.incident,
        source=SourceFactory(),
        occurred_at=event.occurred_at + timedelta(minutes=minutes),
        kind=event.kind,
        review_state=ReviewState.PROPOSED,
        services=list(event.services.all()),
    )


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_review_page_queries_are_the_same_for_3_and_75_proposals(editor_client: Client, db) -> None:
    _incident_with_proposals("few", 3, accepted=3)
    _incident_with_proposals("many", 75, accepted=60)

    few = _queries(editor_client, "/incidents/few/review/")
    many = _queries(editor_client, "/incidents/many/review/")
    last_page = _queries(editor_client, "/incidents/many/review/?page=3")

    assert few == many == last_page
    assert many <= 12


def test_review_page_shows_one_page_of_moments_and_links_every_page(
    editor_client: Client, db
) -> None:
    events = _incident_with_proposals("paged", 2 * REVIEW_PAGE_SIZE + 5)

    page = editor_client.get("/incidents/paged/review/").content.decode()

    shown = re.findall(r'id="proposal-(\d+)"', page)
    assert shown == [str(event.pk) for event in events[:REVIEW_PAGE_SIZE]]
    assert f"Moments 1–{REVIEW_PAGE_SIZE} of {2 * REVIEW_PAGE_SIZE + 5}, page 1 of 3" in page
    for number in (1, 2, 3):
        assert f'?source={events[0].source_id}&amp;page={number}"' in page
    # The total, the bulk action and the source text count every proposal, not one page's.
    assert f"{2 * REVIEW_PAGE_SIZE + 5} proposals to review" in page
    assert f"Accept all {2 * REVIEW_PAGE_SIZE + 5}" in page
    assert page.count('class="quote review-proposed"') == 2 * REVIEW_PAGE_SIZE + 5

    last = editor_client.get("/incidents/paged/review/?page=3").content.decode()
    assert re.findall(r'id="proposal-(\d+)"', last) == [
        str(event.pk) for event in events[2 * REVIEW_PAGE_SIZE :]
    ]
    assert 'aria-current="page">3<' in last


@pytest.mark.parametrize("page", ["0", "99", "abc", "-1"])
def test_a_page_number_out_of_range_shows_a_page_instead_of_failing(
    editor_client: Client, db, page: str
) -> None:
    _incident_with_proposals("odd", REVIEW_PAGE_SIZE + 1)

    response = editor_client.get(f"/incidents/odd/review/?page={page}")

    assert response.status_code == 200
    assert "proposal-" in response.content.decode()


def test_accept_all_from_a_later_page_accepts_every_page(editor_client: Client, db) -> None:
    events = _incident_with_proposals("bulk", 2 * REVIEW_PAGE_SIZE + 5)

    response = editor_client.post(
        "/incidents/bulk/review/accept-all/",
        {"source": events[0].source_id, "page": "3"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert set(
        Event.objects.filter(pk__in=[event.pk for event in events]).values_list(
            "review_state", flat=True
        )
    ) == {ReviewState.ACCEPTED}
    assert "Nothing left to review" in response.content.decode()


def test_acting_on_a_proposal_keeps_the_reviewer_on_its_page(editor_client: Client, db) -> None:
    events = _incident_with_proposals("stay", 2 * REVIEW_PAGE_SIZE + 5)
    second_page = events[REVIEW_PAGE_SIZE : 2 * REVIEW_PAGE_SIZE]
    source = events[0].source_id

    page = editor_client.get("/incidents/stay/review/?page=2").content.decode()
    assert '<input type="hidden" name="page" value="2">' in page

    answer = editor_client.post(
        f"/proposals/{second_page[0].pk}/accept/",
        {"source": source, "page": "2"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert f'id="proposal-{second_page[1].pk}"' in answer
    assert f'id="proposal-{events[0].pk}"' not in answer

    redirect = editor_client.post(
        f"/proposals/{second_page[1].pk}/reject/", {"source": source, "page": "2"}
    )
    assert redirect.status_code == 302
    assert redirect["Location"] == f"/incidents/stay/review/?source={source}&page=2"


def test_the_pager_names_the_pages_holding_conflicts(editor_client: Client, db) -> None:
    events = _incident_with_proposals("clash", 2 * REVIEW_PAGE_SIZE + 5)
    last = events[-1]
    # A second source's time for the last moment, 20 minutes off: a conflict on page 3.
    _other_report(last, minutes=20)

    page = editor_client.get("/incidents/clash/review/").content.decode()

    assert "1 conflict" in page
    assert "conflicts on page 3" in page
    assert 'class="has-conflict"' in page


def test_a_long_list_of_another_incidents_moments_is_cut_with_a_count(
    editor_client: Client, db
) -> None:
    events = _incident_with_proposals("mixed", 3)
    for number in range(25):
        EventFactory(
            incident=events[0].incident,
            occurred_at=START + timedelta(days=30, minutes=number),
            kind="impact",
            title=f"Old outage moment {number}",
            review_state=ReviewState.PROPOSED,
        )

    page = editor_client.get("/incidents/mixed/review/").content.decode()

    assert "25 moments from another incident" in page
    assert page.count("Old outage moment") == 20
    assert "and 5 more, moved with them." in page


def test_source_text_and_quotes_are_escaped(editor_client: Client, db) -> None:
    incident = IncidentFactory(slug="escaped", started_at=START)
    text = 'Before <script>alert(1)</script> then <img src=x onerror="alert(2)"> & after.'
    source = SourceFactory(text=text)
    source.incidents.add(incident)
    start = text.index("<img")
    event = EventFactory(
        incident=incident,
        source=source,
        occurred_at=START,
        review_state=ReviewState.PROPOSED,
        quote_start=start,
        quote_end=text.index(" &"),
    )

    page = editor_client.get("/incidents/escaped/review/").content.decode()

    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page
    assert (
        f'<mark id="quote-{event.pk}" class="quote review-proposed">'
        "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;</mark> &amp; after."
    ) in page
    assert "Before &lt;script&gt;alert(1)&lt;/script&gt; then " in page


def test_accept_all_merges_a_second_report_of_a_moment_it_just_accepted(db, editor) -> None:
    incident = IncidentFactory(slug="twice", started_at=START)
    service = ServiceFactory()
    first, second = (
        EventFactory(
            incident=incident,
            source=SourceFactory(),
            occurred_at=START + timedelta(seconds=seconds),
            kind="impact",
            review_state=ReviewState.PROPOSED,
            services=[service],
        )
        for seconds in (0, 30)
    )
    later = EventFactory(
        incident=incident,
        occurred_at=START + timedelta(hours=3),
        kind="impact",
        review_state=ReviewState.PROPOSED,
        services=[service],
    )

    assert proposals_accept_all(incident=incident, user=editor) == 3

    first.refresh_from_db()
    second.refresh_from_db()
    later.refresh_from_db()
    assert (first.review_state, later.review_state) == (ReviewState.ACCEPTED,) * 2
    assert second.review_state == ReviewState.REJECTED
    assert second.review_note.startswith(f"Merged into event {first.pk}")
    assert first.citations.filter(source=second.source).exists()


def test_conflicts_on_many_pages_are_counted_and_marked(
    editor_client: Client, db, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("postmortems.views.imports.REVIEW_PAGE_SIZE", 2)
    events = _incident_with_proposals("clashes", 12)
    for event in events[::2]:  # one conflict on each of the six pages
        _other_report(event, minutes=4)

    page = editor_client.get("/incidents/clashes/review/").content.decode()

    assert "page 1 of 6; conflicts on 6 of the pages (marked)." in page
    assert page.count('class="has-conflict"') == 2 * 5  # every other page, top and bottom
