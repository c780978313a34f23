"""The dashboard: exact figures for a hand-built dataset, valid charts, an empty state and
a query count that does not grow with the incidents."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from postmortems import dashboard, services
from postmortems.ingest.services import incident_confirm
from postmortems.models import (
    DashboardSnapshot,
    Generation,
    Impact,
    Incident,
    RootCauseCategory,
    Severity,
)
from tests.factories import ImpactFactory, IncidentFactory, ServiceFactory

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def _incident(start: datetime, ttd: int, ttm: int, ttr: int, **fields: object):
    return IncidentFactory(
        started_at=start,
        detected_at=start + timedelta(minutes=ttd),
        mitigated_at=start + timedelta(minutes=ttm),
        resolved_at=start + timedelta(minutes=ttr),
        **fields,
    )


@pytest.fixture
def three_incidents() -> None:
    """Two incidents in October 2025 and one in November, with known times."""
    database = ServiceFactory(name="Database")
    queue = ServiceFactory(name="Queue")
    october_dns = _incident(
        datetime(2025, 10, 3, 8, tzinfo=UTC),
        10,
        60,
        120,
        severity=Severity.SEV1,
        root_cause_category=RootCauseCategory.DNS,
    )
    october_capacity = _incident(
        datetime(2025, 10, 20, 8, tzinfo=UTC),
        30,
        90,
        240,
        severity=Severity.SEV2,
        root_cause_category=RootCauseCategory.CAPACITY,
    )
    november_dns = _incident(
        datetime(2025, 11, 1, 23, 30, tzinfo=UTC),
        20,
        40,
        360,
        severity=Severity.SEV1,
        root_cause_category=RootCauseCategory.DNS,
    )
    for incident in (october_dns, october_capacity, november_dns):
        ImpactFactory(incident=incident, service=database)
    ImpactFactory(incident=november_dns, service=queue)


def _row(body: str, label: str) -> list[str]:
    match = re.search(
        rf'<th scope="row">(?:<a [^>]*>)?{re.escape(label)}(?:</a>)?</th>(.*?)</tr>', body
    )
    assert match, label
    return re.findall(r"<td[^>]*>(.*?)</td>", match.group(1))


def test_figures_are_exact_for_a_small_dataset(
    viewer_client: Client, three_incidents: None
) -> None:
    response = viewer_client.get("/dashboard/")
    assert response.status_code == 200
    body = response.content.decode()

    # Counts by month and severity: SEV1..SEV5, then the total.
    assert _row(body, "2025-10") == ["1", "1", "0", "0", "0", "2"]
    assert _row(body, "2025-11") == ["1", "0", "0", "0", "0", "1"]
    figures = response.context["dashboard"]
    assert [(m.label, m.total) for m in figures.months] == [("2025-10", 2), ("2025-11", 1)]

    # Medians by month: October's are the middle of 10/30, 60/90 and 120/240 minutes.
    october, november = figures.medians_by_month
    assert (october.ttd, october.ttm, october.ttr) == (
        timedelta(minutes=20),
        timedelta(minutes=75),
        timedelta(hours=3),
    )
    assert (november.ttd, november.ttm, november.ttr) == (
        timedelta(minutes=20),
        timedelta(minutes=40),
        timedelta(hours=6),
    )
    # By root cause: DNS is October's first and November's incident.
    assert [
        (row.label, row.incidents, row.ttd, row.ttm, row.ttr) for row in figures.medians_by_cause
    ] == [
        ("DNS", 2, timedelta(minutes=15), timedelta(minutes=50), timedelta(hours=4)),
        ("Capacity", 1, timedelta(minutes=30), timedelta(minutes=90), timedelta(hours=4)),
    ]
    # The table rows of the three medians tables (the month table repeats the label, so
    # the second match is the medians one).
    medians = body.split('id="month-medians-head"', 1)[1]
    assert _row(medians, "2025-10") == ["2", "20m", "1h 15m", "3h 00m"]
    assert _row(medians, "2025-11") == ["1", "20m", "40m", "6h 00m"]
    by_cause = body.split('id="cause-medians-head"', 1)[1]
    assert _row(by_cause, "DNS") == ["2", "15m", "50m", "4h 00m"]
    assert _row(by_cause, "Capacity") == ["1", "30m", "1h 30m", "4h 00m"]

    # Most-affected services.
    assert [(s.name, s.incidents) for s in figures.top_services] == [("Database", 3), ("Queue", 1)]
    assert _row(body.split('id="services-head"', 1)[1], "Database") == ["ACME", "3"]


def test_charts_are_valid_accessible_svg(viewer_client: Client, three_incidents: None) -> None:
    ImpactFactory(service=ServiceFactory(name='R&D <api> "core"'), incident=IncidentFactory())
    body = viewer_client.get("/dashboard/").content.decode()

    charts = re.findall(r"<svg .*?</svg>", body, flags=re.DOTALL)
    # Each chart twice: wide for a desktop card, narrow for a phone (the page shows one).
    assert len(charts) == 8
    variants = [ET.fromstring(chart).get("class") for chart in charts]
    assert variants == ["chart chart-wide", "chart chart-narrow"] * 4
    ids = re.findall(r' id="([^"]+)"', "".join(charts))
    assert len(ids) == len(set(ids)) == 16
    for chart in charts:
        root = ET.fromstring(chart)  # raises on invalid XML
        assert root.get("role") == "img"
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title is not None
        assert title.text
        assert desc is not None
        assert desc.text
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert root.findall(f".//{SVG}rect")
        labels = [text.text for text in root.iter(f"{SVG}text")]
        assert any(label and label[0].isalpha() for label in labels)  # axis labels are there
    for services_chart in (ET.fromstring(charts[6]), ET.fromstring(charts[7])):
        assert 'R&D <api> "core" (ACME)' in [
            text.text for text in services_chart.iter(f"{SVG}text")
        ]
    # A data table accompanies every chart.
    assert body.count("<summary>Data table</summary>") == 4


def test_severity_chart_stacks_bars_per_month(three_incidents: None) -> None:
    figures = dashboard.dashboard(dashboard.dashboard_incidents())
    root = ET.fromstring(str(figures.severity_chart()))
    bar_titles = sorted(
        rect.find(f"{SVG}title").text
        for rect in root.iter(f"{SVG}rect")
        if rect.find(f"{SVG}title") is not None
    )
    assert bar_titles == ["2025-10 SEV1: 1", "2025-10 SEV2: 1", "2025-11 SEV1: 1"]


def test_months_without_incidents_are_shown_empty() -> None:
    _incident(datetime(2025, 1, 5, tzinfo=UTC), 5, 10, 20)
    _incident(datetime(2025, 4, 5, tzinfo=UTC), 5, 10, 20)
    figures = dashboard.dashboard(dashboard.dashboard_incidents())
    assert [(m.label, m.total) for m in figures.months] == [
        ("2025-01", 1),
        ("2025-02", 0),
        ("2025-03", 0),
        ("2025-04", 1),
    ]
    assert figures.medians_by_month[1].ttd is None


def test_times_before_the_start_and_missing_times_are_left_out_of_medians() -> None:
    start = datetime(2025, 5, 1, tzinfo=UTC)
    IncidentFactory(
        started_at=start,
        detected_at=start - timedelta(minutes=5),
        mitigated_at=None,
        resolved_at=start + timedelta(hours=1),
    )
    IncidentFactory(
        started_at=start,
        detected_at=start + timedelta(minutes=8),
        mitigated_at=None,
        resolved_at=start + timedelta(hours=3),
    )
    IncidentFactory(started_at=None, resolved_at=None)
    figures = dashboard.dashboard(dashboard.dashboard_incidents())
    (may,) = figures.medians_by_month
    assert (may.ttd, may.ttm, may.ttr) == (timedelta(minutes=8), None, timedelta(hours=2))
    assert figures.undated_count == 1
    assert figures.incident_count == 3


def _reference_median(durations: list[timedelta]) -> timedelta | None:
    """The median as PostgreSQL's percentile_cont takes it over intervals: the lower middle
    value plus half the gap to the upper one, to the microsecond, halves to even."""
    ordered = sorted(duration // timedelta(microseconds=1) for duration in durations)
    if not ordered:
        return None
    lower, upper = ordered[(len(ordered) - 1) // 2], ordered[len(ordered) // 2]
    return timedelta(microseconds=lower + round(Fraction(upper - lower, 2)))


def _reference_figures(incidents: list[Incident]) -> tuple[dict, dict]:
    """Medians by month and by cause, computed plainly from the incidents."""

    def medians(group: list[Incident]) -> tuple:
        phases = [
            [
                getattr(incident, moment) - incident.started_at
                for incident in group
                if incident.started_at is not None
                and getattr(incident, moment) is not None
                and getattr(incident, moment) >= incident.started_at
            ]
            for moment in ("detected_at", "mitigated_at", "resolved_at")
        ]
        middles = []  # (lower, upper) in microseconds, for the test to check its data
        for phase in phases:
            ordered = sorted(duration // timedelta(microseconds=1) for duration in phase)
            if ordered:
                middles.append((ordered[(len(ordered) - 1) // 2], ordered[len(ordered) // 2]))
        return (len(group), *(_reference_median(phase) for phase in phases), middles)

    by_month, by_cause = defaultdict(list), defaultdict(list)
    for incident in incidents:
        by_cause[RootCauseCategory(incident.root_cause_category).label].append(incident)
        if incident.started_at is not None:
            by_month[f"{incident.started_at.astimezone(UTC):%Y-%m}"].append(incident)
    return (
        {label: medians(group) for label, group in by_month.items()},
        {label: medians(group) for label, group in by_cause.items()},
    )


@pytest.fixture
def microsecond_ties() -> None:
    """Incidents over three months and three causes whose middle durations are an odd
    number of microseconds apart, from odd and even lower values, with even and odd group
    sizes, times before the start, missing times, an undated incident and a draft."""
    causes = [RootCauseCategory.DNS, RootCauseCategory.CAPACITY, RootCauseCategory.SOFTWARE_DEFECT]
    for number in range(29):
        began = datetime(2025, 3, 1, tzinfo=UTC) + timedelta(days=3 * number, hours=number)
        IncidentFactory(
            started_at=began,
            detected_at=began
            + timedelta(seconds=37 * (number % 7) - 40, microseconds=number * 7919 % 1000),
            mitigated_at=None
            if number % 5 == 0
            else began + timedelta(minutes=number % 11, microseconds=number * 104729 % 997),
            resolved_at=began + timedelta(hours=1 + number % 4, microseconds=number * 31 % 17),
            severity=1 + number % 5,
            root_cause_category=causes[number % 3],
            provider="AWS" if number % 2 else "GCP",
            is_draft=number == 28,
        )
    IncidentFactory(
        started_at=None,
        detected_at=None,
        mitigated_at=None,
        resolved_at=None,
        root_cause_category=RootCauseCategory.DNS,
    )


@pytest.mark.parametrize("provider", ["", "AWS"])
def test_medians_match_a_plain_computation_to_the_microsecond(
    microsecond_ties: None, provider: str
) -> None:
    incidents = dashboard.dashboard_incidents(provider=provider)
    by_month, by_cause = _reference_figures(list(incidents))
    figures = dashboard.dashboard(incidents)

    def shown(rows: list) -> dict:
        return {
            row.label: (row.incidents, row.ttd, row.ttm, row.ttr) for row in rows if row.incidents
        }

    assert shown(figures.medians_by_month) == {k: v[:-1] for k, v in by_month.items()}
    assert shown(figures.medians_by_cause) == {k: v[:-1] for k, v in by_cause.items()}
    assert figures.incident_count == incidents.count()
    assert figures.undated_count == (0 if provider else 1)
    # The data has the case the rounding is about: middle values an odd number of
    # microseconds apart, from an odd and from an even lower value.
    halves = {
        lower % 2
        for row in [*by_month.values(), *by_cause.values()]
        for lower, upper in row[-1]
        if (upper - lower) % 2
    }
    assert halves == {0, 1}


@pytest.mark.postgres
def test_medians_are_postgresqls_percentile_cont_to_the_microsecond(microsecond_ties: None) -> None:
    # The figures of every incident read sorted indexes; a choice of filters, and the
    # dashboard before those indexes, took percentile_cont over intervals.
    phases = ", ".join(
        f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {moment} - started_at) "
        f"FILTER (WHERE {moment} >= started_at)"
        for moment in ("detected_at", "mitigated_at", "resolved_at")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT root_cause_category, count(*), {phases} FROM postmortems_incident "
            "WHERE NOT is_draft GROUP BY root_cause_category"
        )
        expected = {cause: tuple(rest) for cause, *rest in cursor.fetchall()}
    every = dashboard.dashboard_incidents()
    assert dashboard._figures_from_indexes(every) == dashboard._figures_grouped(every)
    _, _, cause_medians, _, _ = dashboard._figures_from_indexes(every)
    assert cause_medians == expected


def test_filters_narrow_the_figures(viewer_client: Client) -> None:
    _incident(datetime(2025, 1, 5, tzinfo=UTC), 5, 10, 20, provider="AWS")
    _incident(datetime(2025, 3, 5, tzinfo=UTC), 5, 10, 20, provider="AWS")
    _incident(datetime(2025, 3, 6, tzinfo=UTC), 5, 10, 20, provider="Azure")
    figures = viewer_client.get("/dashboard/", {"provider": "AWS"}).context["dashboard"]
    assert figures.incident_count == 2
    figures = viewer_client.get(
        "/dashboard/", {"date_from": "2025-03-01", "date_to": "2025-03-31"}
    ).context["dashboard"]
    assert figures.incident_count == 2
    assert [m.label for m in figures.months] == ["2025-03"]


def test_bad_filter_values_give_a_form_error(viewer_client: Client) -> None:
    response = viewer_client.get("/dashboard/", {"date_from": "soon", "provider": "Nobody"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"date_from", "provider"}
    assert response.context["dashboard"] is None


def test_an_empty_knowledge_base_shows_a_friendly_empty_state(viewer_client: Client) -> None:
    response = viewer_client.get("/dashboard/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "No incidents to chart yet" in body
    assert "<svg" not in body


def test_filters_that_match_nothing_say_so(viewer_client: Client) -> None:
    _incident(datetime(2025, 1, 5, tzinfo=UTC), 5, 10, 20, provider="AWS")
    body = viewer_client.get("/dashboard/", {"date_from": "2030-01-01"}).content.decode()
    assert "No incident matches these filters" in body


def _make_incidents(count: int) -> None:
    services = [ServiceFactory() for _ in range(12)]
    for number in range(count):
        incident = _incident(
            datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=9 * number),
            5 + number,
            30 + number,
            90 + number,
            severity=number % 5 + 1,
        )
        for service in services[: number % 4 + 1]:
            ImpactFactory(incident=incident, service=service)


@pytest.mark.parametrize("count", [5, 40])
# Every incident (on PostgreSQL, the figures read from the sorted indexes) and a choice of
# filters (the grouped query): one query for the figures either way.
@pytest.mark.parametrize("filters", [{}, {"provider": "ACME"}])
def test_dashboard_query_count_is_pinned(
    viewer_client: Client, django_assert_max_num_queries, count: int, filters: dict
) -> None:
    _make_incidents(count)
    # Session, user and the user's groups, the provider choices, the stored figures (none
    # yet), the incidents' times, the per-service counts and storing the figures.
    with django_assert_max_num_queries(8):
        response = viewer_client.get("/dashboard/", filters)
    assert response.context["dashboard"].incident_count == count
    # Then the stored figures answer: no incident is read.
    with django_assert_max_num_queries(5):
        again = viewer_client.get("/dashboard/", filters)
    assert again.context["dashboard"] == response.context["dashboard"]


def test_dashboard_query_count_does_not_grow_with_incidents(viewer_client: Client) -> None:
    _make_incidents(5)
    with CaptureQueriesContext(connection) as few:
        viewer_client.get("/dashboard/")
    _make_incidents(35)
    services.generation_raise()  # as the commit of those writes does
    with CaptureQueriesContext(connection) as many:
        response = viewer_client.get("/dashboard/")
    assert response.context["dashboard"].incident_count == 40
    assert len(many) == len(few)


def test_stored_figures_are_the_computed_figures(three_incidents: None) -> None:
    figures = dashboard.dashboard(dashboard.dashboard_incidents())
    assert figures.medians_by_month
    assert figures.top_services
    assert dashboard.dashboard_from_json(dashboard.dashboard_to_json(figures)) == figures


# Committed writes: the generation moves on when a transaction commits (postmortems.generation).
@pytest.mark.django_db(transaction=True)
def test_writes_through_the_services_make_the_dashboard_count_again(
    viewer_client: Client, three_incidents: None
) -> None:
    assert viewer_client.get("/dashboard/").context["dashboard"].incident_count == 3
    stored = DashboardSnapshot.objects.get().generation
    draft = _incident(datetime(2025, 11, 5, tzinfo=UTC), 5, 10, 20, is_draft=True)
    assert Generation.objects.get().value > stored  # any write of an incident counts
    assert viewer_client.get("/dashboard/").context["dashboard"].incident_count == 3
    incident_confirm(incident=draft)
    assert viewer_client.get("/dashboard/").context["dashboard"].incident_count == 4

    impact = Impact.objects.get(service__name="Queue")
    services.record_delete(record=impact)
    figures = viewer_client.get("/dashboard/").context["dashboard"]
    assert [(s.name, s.incidents) for s in figures.top_services] == [("Database", 3)]

    incident = Incident.objects.get(started_at=datetime(2025, 10, 3, 8, tzinfo=UTC))
    services.validated_save(incident_with(incident, severity=Severity.SEV4))
    october = viewer_client.get("/dashboard/").context["dashboard"].months[0]
    assert october.by_severity == {Severity.SEV2: 1, Severity.SEV4: 1}


def incident_with(incident: Incident, **fields: object) -> Incident:
    for name, value in fields.items():
        setattr(incident, name, value)
    return incident


@pytest.mark.django_db(transaction=True)
def test_a_write_rolled_back_leaves_the_stored_figures(
    viewer_client: Client, three_incidents: None
) -> None:
    viewer_client.get("/dashboard/")
    try:
        with transaction.atomic():
            Incident.objects.update(severity=Severity.SEV5)
            raise RuntimeError("the write failed")
    except RuntimeError:
        pass
    assert DashboardSnapshot.objects.get().generation == Generation.objects.get().value


def test_figures_stored_too_long_ago_are_computed_again(
    viewer_client: Client, three_incidents: None
) -> None:
    viewer_client.get("/dashboard/")
    # A write whose generation raise was lost (a crash right after its commit) ...
    _incident(datetime(2025, 11, 5, tzinfo=UTC), 5, 10, 20)
    assert viewer_client.get("/dashboard/").context["dashboard"].incident_count == 3
    # ... shows once the stored figures are older than the bound.
    DashboardSnapshot.objects.update(
        computed_at=timezone.now() - timedelta(seconds=dashboard.SNAPSHOT_SECONDS + 1)
    )
    assert viewer_client.get("/dashboard/").context["dashboard"].incident_count == 4


def test_without_the_generation_row_figures_are_computed_each_time(
    viewer_client: Client, three_incidents: None
) -> None:
    stored = Generation.objects.get().value
    Generation.objects.all().delete()  # as a flushed database has it
    viewer_client.get("/dashboard/")
    assert not DashboardSnapshot.objects.exists()
    _incident(datetime(2025, 11, 5, tzinfo=UTC), 5, 10, 20)
    assert viewer_client.get("/dashboard/").context["dashboard"].incident_count == 4
    # The next write's commit brings the row back, above any generation stored before.
    services.generation_raise()
    assert Generation.objects.get().value > stored


def test_each_choice_of_filters_has_its_own_figures(viewer_client: Client) -> None:
    _incident(datetime(2025, 1, 5, tzinfo=UTC), 5, 10, 20, provider="AWS")
    _incident(datetime(2025, 3, 6, tzinfo=UTC), 5, 10, 20, provider="Azure")
    assert viewer_client.get("/dashboard/").context["dashboard"].incident_count == 2
    aws = viewer_client.get("/dashboard/", {"provider": "AWS"}).context["dashboard"]
    assert aws.incident_count == 1
    assert DashboardSnapshot.objects.count() == 2


def test_anonymous_visitors_cannot_see_the_dashboard(client: Client) -> None:
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.postgres
def test_dashboard_figures_from_postgresql_match_the_python_summary(db: None) -> None:
    from tests.factories import IncidentFactory

    start = datetime(2025, 1, 3, 10, tzinfo=UTC)
    for n in range(9):
        began = start + timedelta(days=17 * n, hours=n)
        IncidentFactory(
            started_at=began,
            detected_at=began + timedelta(minutes=5 + n),
            mitigated_at=None if n % 3 == 0 else began + timedelta(minutes=40 + 7 * n),
            resolved_at=began + timedelta(hours=2, minutes=n),
            severity=1 + n % 5,
            root_cause_category=["dns", "configuration_change", "capacity"][n % 3],
        )
    IncidentFactory(started_at=None, detected_at=None, mitigated_at=None, resolved_at=None)
    incidents = dashboard.dashboard_incidents()
    in_python = dashboard._figures_in_python(incidents)
    assert dashboard._figures_from_indexes(incidents) == in_python
    assert dashboard._figures_grouped(incidents) == in_python


def test_months_years_apart_are_drawn_with_one_gap_and_readable_bars() -> None:
    _incident(datetime(2021, 12, 7, tzinfo=UTC), 5, 10, 20)
    _incident(datetime(2025, 10, 20, tzinfo=UTC), 5, 10, 20)
    _incident(datetime(2025, 11, 2, tzinfo=UTC), 5, 10, 20)
    figures = dashboard.dashboard(dashboard.dashboard_incidents())

    assert [label for label, _ in figures.chart_months()] == [
        "2021-12",
        "(45 months without)",
        "2025-10",
        "2025-11",
    ]
    assert len(figures.months) == 48  # the data tables keep every month
    drawn = figures.severity_chart().split('<g class="bars">')[1]
    bars = re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"', drawn)
    assert len(bars) == 3
    assert all(40 <= float(width) <= dashboard.MAX_BAR for width in bars)


def test_the_narrow_charts_thin_their_labels_instead_of_turning_them() -> None:
    for month in range(1, 13):
        _incident(datetime(2025, month, 3, tzinfo=UTC), 5, 10, 20 * month)
    figures = dashboard.dashboard(dashboard.dashboard_incidents())

    for chart in (
        figures.severity_chart(dashboard.NARROW),
        figures.month_medians_chart(dashboard.NARROW),
    ):
        root = ET.fromstring(str(chart))
        assert root.get("viewBox").split()[2] == str(dashboard.NARROW.width)
        [categories] = [g for g in root.iter(f"{SVG}g") if g.get("class") == "categories"]
        labels = list(categories.iter(f"{SVG}text"))
        assert [label.text for label in labels] == ["2025-01", "2025-04", "2025-07", "2025-10"]
        assert not any(label.get("transform") for label in labels)
        # Every legend entry lies inside the drawing, in as many rows as it takes.
        [legend] = [g for g in root.iter(f"{SVG}g") if g.get("class") == "legend"]
        for text in legend.iter(f"{SVG}text"):
            right = float(text.get("x")) + len(text.text) * dashboard.NARROW.char_width
            assert right <= dashboard.NARROW.width, text.text
    wide = ET.fromstring(str(figures.severity_chart()))
    [categories] = [g for g in wide.iter(f"{SVG}g") if g.get("class") == "categories"]
    assert len(list(categories.iter(f"{SVG}text"))) == 12


def test_a_worker_stores_the_figures_unless_a_later_write_came(three_incidents: None) -> None:
    generation = Generation.objects.get().value
    assert not dashboard.dashboard_refresh(generation=generation - 1)
    assert not DashboardSnapshot.objects.exists()
    assert dashboard.dashboard_refresh(generation=generation)
    stored = DashboardSnapshot.objects.get()
    assert (stored.key, stored.generation) == (
        dashboard.snapshot_key(date_from=None, date_to=None, provider=""),
        generation,
    )
    assert stored.figures["incident_count"] == 3


def test_with_a_broker_a_write_queues_the_refresh_and_survives_a_broker_outage(
    settings, monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    from postmortems.tasks import dashboard_refresh_task
    from timelines.tasks import timeline_refresh_task

    settings.CELERY_TASK_ALWAYS_EAGER = False
    sent: list[tuple] = []
    monkeypatch.setattr(
        dashboard_refresh_task, "apply_async", lambda args, **options: sent.append((args, options))
    )
    monkeypatch.setattr(timeline_refresh_task, "apply_async", lambda args, **options: None)
    before = Generation.objects.get().value
    services.generation_raise()  # as the commit of a write does
    assert sent == [([before + 1], {"countdown": services.DASHBOARD_REFRESH_DELAY, "retry": False})]

    attempts: list[str] = []

    def unreachable(*args: object, **options: object) -> None:
        attempts.append("sent")
        raise OSError("connection refused")

    monkeypatch.setattr(dashboard_refresh_task, "apply_async", unreachable)
    monkeypatch.setattr(timeline_refresh_task, "apply_async", unreachable)
    services.generation_raise()
    assert Generation.objects.get().value == before + 2
    # A broker that is down costs the writer one attempt (one connection timeout), not one
    # per refresh, and the warning names every refresh that was not queued.
    assert attempts == ["sent"]
    assert "The dashboard and the timelines will be rebuilt by the next reader" in caplog.text
