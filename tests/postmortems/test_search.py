"""Search: every kind of record, ranking, filters with text, escaping, query counts.

Most tests run on both databases (full-text search on PostgreSQL, the ``icontains``
fallback on SQLite); the ones about PostgreSQL's index are marked ``postgres``.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from postmortems import search
from postmortems.models import (
    Incident,
    Postmortem,
    PostmortemStatus,
    RootCauseCategory,
    Service,
    Severity,
    Tag,
)
from tests.factories import (
    EventFactory,
    ImpactFactory,
    IncidentFactory,
    ServiceFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def _titles(results: search.SearchResults, kind: str) -> list[str]:
    group = next(group for group in results.groups if group.kind == kind)
    return [str(hit.title) for hit in group.hits]


def _plain(html: str) -> str:
    return html.replace("<mark>", "").replace("</mark>", "")


def test_search_finds_each_kind_of_record() -> None:
    incident = IncidentFactory(title="Quokka gateway outage")
    EventFactory(
        incident=incident, title="Pager fired", description="The quokka health check failed."
    )
    Postmortem.objects.create(
        incident=incident, body="## Root cause\n\nA **quokka** ran out of memory."
    )
    source = SourceFactory(title="Status page", text="We saw quokka errors in eu-west-1.")
    source.incidents.add(incident)
    IncidentFactory(title="Unrelated storage outage")

    results = search.search("quokka")

    assert [group.total for group in results.groups] == [1, 1, 1, 1, 0]
    assert _plain(_titles(results, "incident")[0]) == "Quokka gateway outage"
    assert _titles(results, "event") == ["Pager fired"]
    assert _titles(results, "postmortem") == ["Postmortem: Quokka gateway outage"]
    postmortem_hit = results.groups[2].hits[0]
    # The snippet is the Markdown's text, not its syntax.
    assert "**" not in postmortem_hit.snippet
    assert "<mark>quokka</mark>" in postmortem_hit.snippet
    assert _plain(_titles(results, "source")[0]) == "Status page"
    assert results.groups[3].hits[0].incidents == (incident,)


def test_search_finds_german_words() -> None:
    IncidentFactory(title="Globaler Ausfall", summary="Der Ausfall betraf alle Regionen.")
    results = search.search("Ausfall")
    assert results.groups[0].total == 1


def test_title_and_summary_hit_ranks_above_a_single_summary_hit() -> None:
    once = IncidentFactory(title="Storage degradation", summary="A wombat chewed a cable.")
    twice = IncidentFactory(title="Wombat incident", summary="The wombat was found in the rack.")
    IncidentFactory(title="Nothing to see", summary="Quiet day.")

    hits = search.search("wombat").groups[0].hits

    assert [hit.incident for hit in hits] == [twice, once]


def test_page_lists_incidents_best_first(viewer_client: Client) -> None:
    IncidentFactory(title="Storage degradation", summary="A wombat chewed a cable.")
    IncidentFactory(title="Wombat incident", summary="The wombat was found in the rack.")
    body = viewer_client.get("/search/", {"q": "wombat"}).content.decode()
    assert body.index("incident</a>") < body.index("Storage degradation")


def test_every_term_must_match() -> None:
    IncidentFactory(title="DNS race condition")
    IncidentFactory(title="DNS cache expiry")
    assert [hit.incident.title for hit in search.search("dns race").groups[0].hits] == [
        "DNS race condition"
    ]
    assert [hit.incident.title for hit in search.search("dns -race").groups[0].hits] == [
        "DNS cache expiry"
    ]
    assert search.search('"race condition"').groups[0].total == 1


def test_a_filter_combined_with_text_narrows_every_kind(viewer_client: Client) -> None:
    database = ServiceFactory(name="Database")
    severe = IncidentFactory(
        title="Gecko outage", severity=Severity.SEV1, root_cause_category=RootCauseCategory.DNS
    )
    mild = IncidentFactory(title="Gecko slowness", severity=Severity.SEV3)
    ImpactFactory(incident=severe, service=database)
    for incident in (severe, mild):
        EventFactory(incident=incident, title=f"Gecko event of {incident.title}")
        Postmortem.objects.create(incident=incident, body=f"The gecko did it ({incident.title}).")
        SourceFactory(title=f"Gecko article on {incident.title}").incidents.add(incident)
    SourceFactory(title="Gecko article about nothing in particular")

    assert search.search("gecko").total == 9
    for filters in (
        {"severity": ["1"]},
        {"service": str(database.pk)},
        {"root_cause_category": ["dns"]},
    ):
        response = viewer_client.get("/search/", {"q": "gecko", **filters})
        results = response.context["results"]
        assert [group.total for group in results.groups] == [1, 1, 1, 1, 0], filters
        body = response.content.decode()
        assert "Gecko slowness" not in body
        assert "about nothing in particular" not in body


def test_tag_provider_and_date_filters_combine_with_text() -> None:
    network = Tag.objects.create(name="network")
    tagged = IncidentFactory(
        title="Heron packet loss",
        provider="Azure",
        started_at=datetime(2025, 3, 5, tzinfo=UTC),
        tags=[network],
    )
    IncidentFactory(
        title="Heron packet loss again",
        provider="Azure",
        started_at=datetime(2025, 6, 5, tzinfo=UTC),
    )
    IncidentFactory(
        title="Heron packet loss elsewhere",
        provider="GCP",
        started_at=datetime(2025, 3, 6, tzinfo=UTC),
    )

    def titles(**filters: str) -> list[str]:
        filterset = search.search_filterset(_query_dict(filters))
        assert filterset.is_valid()
        results = search.search("heron", incidents=search.filtered_incidents(filterset))
        return sorted(hit.incident.title for hit in results.groups[0].hits)

    assert titles(tag="network") == [tagged.title]
    assert titles(provider="azure") == ["Heron packet loss", "Heron packet loss again"]
    assert titles(date_from="2025-03-01", date_to="2025-03-31") == [
        "Heron packet loss",
        "Heron packet loss elsewhere",
    ]
    assert titles(provider="Azure", date_to="2025-03-31") == ["Heron packet loss"]


def _query_dict(values: dict[str, str]):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    query.update(values)
    return query


def test_empty_query_shows_the_filters_and_no_error(viewer_client: Client) -> None:
    IncidentFactory(title="Anything")
    response = viewer_client.get("/search/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="severity"' in body
    assert 'name="service"' in body
    assert 'name="root_cause_category"' in body
    assert "Type some words to search" in body
    assert viewer_client.get("/search/", {"q": "   ", "severity": "1"}).status_code == 200


def test_bad_filter_values_give_a_form_error_not_a_500(viewer_client: Client) -> None:
    IncidentFactory(title="Heron outage")
    response = viewer_client.get(
        "/search/", {"q": "heron", "severity": "9", "service": "nope", "date_from": "yesterday-ish"}
    )
    assert response.status_code == 200
    assert response.context["results"] is None
    errors = response.context["filter"].form.errors
    assert set(errors) == {"severity", "service", "date_from"}
    assert 'role="alert"' in response.content.decode()


def test_a_query_of_punctuation_finds_nothing_without_error(viewer_client: Client) -> None:
    IncidentFactory(title="Heron outage")
    for query in ['"', "-", "!!! & | ()", "'", "or"]:
        assert viewer_client.get("/search/", {"q": query}).status_code == 200, query


def test_highlighting_is_escaped(viewer_client: Client) -> None:
    incident = IncidentFactory(
        title="<script>alert(1)</script> kestrel failure",
        summary='The kestrel <img src=x onerror="alert(2)"> broke & stayed down.',
    )
    EventFactory(
        incident=incident, title="<b>kestrel</b> alarm", description="<script>kestrel()</script>"
    )
    SourceFactory(
        title="<i>kestrel</i>", text="kestrel <iframe src=javascript:alert(3)>"
    ).incidents.add(incident)

    body = viewer_client.get("/search/", {"q": "kestrel"}).content.decode()

    assert "<script>" not in body.split("<main", 1)[1]
    assert "<img" not in body
    assert "<iframe" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>kestrel</mark> failure" in body
    assert "<mark>kestrel</mark>" in body
    assert "&lt;b&gt;<mark>kestrel</mark>&lt;/b&gt; alarm" in body


def test_highlight_wraps_matches_in_escaped_text() -> None:
    assert (
        search.highlight("a <b> & Foo foo", ["foo"])
        == "a &lt;b&gt; &amp; <mark>Foo</mark> <mark>foo</mark>"
    )
    # Matching happens on the raw text, so an entity is never split by a mark.
    assert search.highlight("R&D amp", ["amp"]) == "R&amp;D <mark>amp</mark>"
    assert search.marked("x \ue000<y>\ue001 \ue000 z") == "x <mark>&lt;y&gt;</mark>  z"


def test_event_hits_link_to_their_place_on_the_timeline(viewer_client: Client) -> None:
    event = EventFactory(title="Osprey alarm")
    body = viewer_client.get("/search/", {"q": "osprey"}).content.decode()
    assert f'href="/incidents/{event.incident.slug}/#event-{event.pk}"' in body


def test_postmortem_search_reads_the_published_version() -> None:
    incident = IncidentFactory()
    Postmortem.objects.create(
        incident=incident,
        body="Draft mentions pelican.",
        published_body="Published says albatross.",
        status=PostmortemStatus.DRAFT,
    )
    assert search.search("albatross").groups[2].total == 1
    assert search.search("pelican").groups[2].total == 0


def _make_hits(count: int) -> None:
    service = ServiceFactory()
    for number in range(count):
        incident = IncidentFactory(title=f"Falcon outage {number}", summary="falcon")
        ImpactFactory(incident=incident, service=service)
        EventFactory(incident=incident, title=f"Falcon event {number}")
        Postmortem.objects.create(incident=incident, body="The falcon again.")
        SourceFactory(title=f"Falcon article {number}").incidents.add(incident)


@pytest.mark.parametrize("hits", [1, 25])
def test_search_page_query_count_is_fixed(
    viewer_client: Client, django_assert_max_num_queries, hits: int
) -> None:
    _make_hits(hits)
    # Session, user and the user's groups, the service list of the filter form, one
    # query per kind of hit (its count included), the linked incidents of the sources, and
    # for the incidents by impacted service: the catalogue's names, the incidents (with
    # their count) and the named service's impacts.
    with django_assert_max_num_queries(12):
        response = viewer_client.get("/search/", {"q": "falcon", "severity": "2"})
    assert response.context["results"].total == 4 * hits


def test_search_query_count_does_not_grow_with_hits(viewer_client: Client) -> None:
    _make_hits(2)
    with CaptureQueriesContext(connection) as few:
        viewer_client.get("/search/", {"q": "falcon"})
    _make_hits(30)
    with CaptureQueriesContext(connection) as many:
        response = viewer_client.get("/search/", {"q": "falcon"})
    assert response.context["results"].groups[0].total == 32
    assert len(response.context["results"].groups[0].hits) == search.PER_KIND
    assert len(many) == len(few)


def test_anonymous_visitors_cannot_search(client: Client) -> None:
    response = client.get("/search/", {"q": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def _hide_the_dashboard_index(cursor) -> None:
    """Drop the incidents' partial btree indexes for the rest of the test's transaction.

    They match the ``NOT is_draft`` that every search query carries (the dashboard's, the
    providers', the severity one), and on a test-sized table the planner prefers any of
    them over a text index. These tests pin that the search expression matches its GIN
    index, so they take those competitors away; PostgreSQL's DDL is transactional, and
    the test's rollback restores them.
    """
    # The model's partial indexes, and the dashboard's expression indexes that a migration
    # creates on PostgreSQL only (so they are not in the model's Meta): any partial index.
    cursor.execute(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'postmortems_incident'"
        " AND indexdef LIKE '% WHERE %' AND indexname NOT LIKE '%search_idx'"
    )
    names = {row[0] for row in cursor.fetchall()}
    names |= {index.name for index in Incident._meta.indexes if index.condition is not None}
    for name in sorted(names):
        cursor.execute(f"DROP INDEX IF EXISTS {name}")


@pytest.mark.postgres
def test_postgres_search_uses_the_gin_indexes() -> None:
    IncidentFactory(title="Condor outage")
    builders = {
        "incident_search_idx": search._PostgresSearch("condor").incidents,
        "event_search_idx": search._PostgresSearch("condor").events,
        "postmortem_search_idx": search._PostgresSearch("condor").postmortems,
        "source_search_idx": search._PostgresSearch("condor").sources,
    }
    # SET LOCAL lasts until the end of the transaction, so open one for it explicitly.
    with transaction.atomic(), connection.cursor() as cursor:
        # A handful of rows would be read sequentially anyway; forbid that so the plan
        # shows whether the index matches the query's expression at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        # Nor may it walk a btree index end to end with a filter (which it prefers when the
        # table statistics left by earlier tests are stale): only an index that matches the
        # search expression can then serve the query.
        cursor.execute("SET LOCAL enable_indexscan = off")
        _hide_the_dashboard_index(cursor)
        for index_name, build in builders.items():
            plan = build(None).explain()
            assert index_name in plan, plan


@pytest.mark.postgres
def test_postgres_incident_query_plan_shows_a_bitmap_scan_of_the_index() -> None:
    for number in range(300):
        IncidentFactory(title=f"Routine incident {number}", summary="Nothing remarkable at all.")
    IncidentFactory(title="Condor outage", summary="The condor landed on the switch.")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE postmortems_incident")
        cursor.execute("SET LOCAL enable_seqscan = off")
        _hide_the_dashboard_index(cursor)
    plan = search._PostgresSearch("condor").incidents(None).explain()
    assert "Bitmap Index Scan on incident_search_idx" in plan, plan


@pytest.mark.postgres
def test_postgres_web_search_syntax() -> None:
    IncidentFactory(title="Disk full on primary", summary="The database disk filled up.")
    IncidentFactory(title="Disk latency", summary="Slow volumes.")
    assert search.search("disk or volumes").groups[0].total == 2
    assert search.search('"disk filled"').groups[0].total == 1
    assert search.search("disk -latency").groups[0].total == 1


@pytest.mark.postgres
def test_postgres_marks_whole_titles_and_headline_snippets() -> None:
    IncidentFactory(title="Ibis and more ibis", summary="Long text " * 40 + "about an ibis.")
    hit = search.search("ibis").groups[0].hits[0]
    assert hit.title == "<mark>Ibis</mark> and more <mark>ibis</mark>"
    assert "<mark>ibis</mark>" in hit.snippet


def test_searching_an_impacted_services_name_lists_every_incident_it_hit(
    demo: dict[str, int], viewer_client: Client
) -> None:
    signal = Service.objects.get(name="Signal")
    hit_signal = sorted(
        Incident.objects.confirmed()
        .filter(impacts__service=signal)
        .distinct()
        .values_list("title", flat=True)
    )
    assert hit_signal

    results = search.search("signal")
    page = viewer_client.get("/search/", {"q": "Signal"}).content.decode()

    assert sorted(_titles(results, "impacted")) == hit_signal
    assert "Impacted: Signal (outage, customer-facing)" in page
    for title in hit_signal:
        assert escape(title) in page
    assert _titles(search.search("Signal Foundation"), "impacted") == []
