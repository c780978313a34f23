"""The dashboard: incidents by month and severity, median times to detect, mitigate and
recover, and the services hit most often, with small server-side SVG charts.

Two queries whatever the number of incidents. On PostgreSQL the database groups by month
and by root cause and picks the middle durations (``percentile_disc``, mostly reading
them already sorted from indexes), so a handful of rows come back; on SQLite one ``values_list`` of the incidents' times is summarised in Python, with
the same results. Then one aggregate of impacts per service. Months and medians use UTC.

The charts are plain SVG strings. Every piece of text that goes into them passes through
``escape``; the numbers are formatted by us. Each chart carries ``<title>`` and ``<desc>``
and the page shows its figures as a table too.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, timedelta
from typing import Any

from django import forms
from django.db import connection
from django.db.models import Count, JSONField, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from postmortems import services
from postmortems.forms import DAY_INPUT
from postmortems.models import (
    DashboardSnapshot,
    Generation,
    Impact,
    Incident,
    RootCauseCategory,
    Service,
    Severity,
)
from postmortems.templatetags.cascade import duration
from postmortems.validators import validate_plausible_year

TOP_SERVICES = 10
SEVERITY_COLOURS = {1: "#c62828", 2: "#e65100", 3: "#b08900", 4: "#2e7d32", 5: "#546e7a"}
PHASES = (
    ("ttd", "Time to detect", "#f57c00"),
    ("ttm", "Time to mitigate", "#1976d2"),
    ("ttr", "Time to recover", "#2e7d32"),
)


@dataclass(frozen=True)
class Frame:
    """The drawing area of one variant of a chart, in SVG user units.

    Each chart is drawn twice, wide for a desktop card and narrow for a phone, and the
    stylesheet shows the one that fits (``svg.chart-wide`` / ``svg.chart-narrow``): an SVG
    shrunk to a phone's width would print its labels a few pixels tall, and one kept at
    desktop size would scroll inside its card. The narrow one draws fewer labels, a
    legend in rows and horizontal bars under their labels.
    """

    variant: str  # "wide" or "narrow", the class the stylesheet picks by
    width: int
    height: int
    margin_left: int
    margin_right: int
    margin_top: int
    margin_bottom: int
    max_bar: float
    max_labels: int  # category labels drawn at most; the rest are thinned out
    char_width: float  # how wide one character of the chart's text is, to fit labels

    @property
    def plot_width(self) -> int:
        """Return the width of the plotting area."""
        return self.width - self.margin_left - self.margin_right

    def suffix(self) -> str:
        """Return what this variant adds to element ids, so both can be on one page."""
        return "" if self.variant == "wide" else f"-{self.variant}"


WIDE = Frame("wide", 760, 320, 64, 16, 40, 84, 72, 24, 7.0)
# 360 units drawn across a phone's card (about 340 px at 390 px) keep 12-unit text at
# about 11 px on screen.
NARROW = Frame("narrow", 360, 300, 44, 10, 40, 78, 40, 5, 7.6)
WIDTH, HEIGHT, MAX_BAR = WIDE.width, WIDE.height, WIDE.max_bar


class DashboardForm(forms.Form):
    date_from = forms.DateField(
        required=False,
        label="From",
        widget=forms.DateInput(attrs=DAY_INPUT),
        validators=[validate_plausible_year],
    )
    date_to = forms.DateField(
        required=False,
        label="To",
        widget=forms.DateInput(attrs=DAY_INPUT),
        validators=[validate_plausible_year],
    )
    provider = forms.ChoiceField(required=False, label="Provider")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "All providers"), *((p, p) for p in providers())]


def providers() -> list[str]:
    """Return the providers of confirmed incidents, in order.

    A loose index scan: each step asks incident_provider_idx for the next provider after
    the last one, so a handful of providers cost a handful of probes, not a pass over
    100,000 incidents (DISTINCT read them all: 134 ms on a loaded machine).
    """
    table = Incident._meta.db_table
    sql = f"""
        WITH RECURSIVE found(provider) AS (
            SELECT MIN(provider) FROM {table} WHERE NOT is_draft AND provider > ''
            UNION ALL
            SELECT (
                SELECT MIN(provider) FROM {table} WHERE NOT is_draft AND provider > found.provider
            )
            FROM found WHERE found.provider IS NOT NULL
        )
        SELECT provider FROM found WHERE provider IS NOT NULL
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [provider for (provider,) in cursor.fetchall()]


@dataclass(frozen=True)
class MonthCounts:
    month: date
    by_severity: dict[int, int]

    @property
    def label(self) -> str:
        """Return the month as 2025-10."""
        return f"{self.month:%Y-%m}"

    @property
    def total(self) -> int:
        """Return the month's incident count."""
        return sum(self.by_severity.values())

    def severity_counts(self) -> list[int]:
        """Return the counts in severity order, SEV1 first."""
        return [self.by_severity.get(severity, 0) for severity in Severity.values]


@dataclass(frozen=True)
class Medians:
    label: str
    incidents: int
    ttd: timedelta | None
    ttm: timedelta | None
    ttr: timedelta | None

    def phases(self) -> list[timedelta | None]:
        """Return the three medians in the order of PHASES."""
        return [self.ttd, self.ttm, self.ttr]


@dataclass(frozen=True)
class ServiceCount:
    service_id: int
    name: str
    provider: str
    incidents: int


@dataclass(frozen=True)
class Dashboard:
    incident_count: int
    undated_count: int
    months: list[MonthCounts]
    medians_by_month: list[Medians]
    medians_by_cause: list[Medians]
    top_services: list[ServiceCount]

    @property
    def is_empty(self) -> bool:
        """Return whether there is nothing to chart."""
        return self.incident_count == 0

    def severities(self) -> list[tuple[int, str, str]]:
        """Return (severity, label, colour) for the legend and tables."""
        return [(value, label, SEVERITY_COLOURS[value]) for value, label in Severity.choices]

    def phases(self) -> list[tuple[str, str, str]]:
        """Return (key, label, colour) of the three medians."""
        return list(PHASES)

    def chart_months(self) -> list[tuple[str, int | None]]:
        """Return the months the monthly charts draw: (label, index into months).

        A run of three or more months without incidents is drawn as one narrow gap,
        index None, so incidents years apart do not shrink every bar to a hairline.
        """
        shown: list[tuple[str, int | None]] = []
        index = 0
        while index < len(self.months):
            end = index
            while end < len(self.months) and self.months[end].total == 0:
                end += 1
            if end - index >= GAP_MONTHS:
                shown.append((f"({end - index} months without)", None))
                index = end
            else:
                shown.append((self.months[index].label, index))
                index += 1
        return shown

    def severity_chart(self, frame: Frame = WIDE) -> SafeString:
        """Return the stacked bar chart of incidents by month and severity."""
        shown = self.chart_months()
        return stacked_bar_chart(
            chart_id="chart-severity",
            title="Incidents by month and severity",
            description=_describe_months(self.months),
            categories=[label for label, _ in shown],
            series=[
                (
                    label,
                    colour,
                    [
                        0 if index is None else self.months[index].by_severity.get(value, 0)
                        for _, index in shown
                    ],
                )
                for value, label, colour in self.severities()
            ],
            x_label=_month_axis(frame),
            y_label="Incidents",
            frame=frame,
        )

    def month_medians_chart(self, frame: Frame = WIDE) -> SafeString:
        """Return the grouped bar chart of median TTD/TTM/TTR by month."""
        empty = Medians("", 0, None, None, None)
        return _medians_chart(
            "chart-medians-month",
            "Median times by month",
            [
                replace(self.medians_by_month[index] if index is not None else empty, label=label)
                for label, index in self.chart_months()
            ],
            _month_axis(frame),
            frame,
        )

    def cause_medians_chart(self, frame: Frame = WIDE) -> SafeString:
        """Return the grouped bar chart of median TTD/TTM/TTR by root-cause category."""
        return _medians_chart(
            "chart-medians-cause",
            "Median times by root-cause category",
            self.medians_by_cause,
            "Root-cause category",
            frame,
        )

    def services_chart(self, frame: Frame = WIDE) -> SafeString:
        """Return the horizontal bar chart of the most-affected services."""
        return horizontal_bar_chart(
            chart_id="chart-services",
            title=f"Most-affected services (top {TOP_SERVICES})",
            description="; ".join(
                f"{s.name} ({s.provider}): {s.incidents}" for s in self.top_services
            )
            or "No impacted services recorded.",
            labels=[f"{s.name} ({s.provider})" for s in self.top_services],
            values=[s.incidents for s in self.top_services],
            x_label="Incidents",
            frame=frame,
        )

    def charts(self) -> dict[str, SafeString]:
        """Return each chart in both variants, for the page to show the one that fits."""
        drawn = {
            "severity": self.severity_chart,
            "month_medians": self.month_medians_chart,
            "cause_medians": self.cause_medians_chart,
            "services": self.services_chart,
        }
        return {name: mark_safe(draw(WIDE) + draw(NARROW)) for name, draw in drawn.items()}


def _month_axis(frame: Frame) -> str:
    if frame.variant == "narrow":
        return "Month (UTC)"  # a gap's own label says how many months it stands for
    return "Month (UTC); long runs without incidents drawn as one gap"


def dashboard_incidents(
    *, date_from: date | None = None, date_to: date | None = None, provider: str = ""
) -> QuerySet[Incident]:
    """Return the incidents the dashboard covers."""
    queryset = Incident.objects.confirmed()
    if date_from:
        queryset = queryset.filter(started_at__date__gte=date_from)
    if date_to:
        queryset = queryset.filter(started_at__date__lte=date_to)
    if provider:
        queryset = queryset.filter(provider__iexact=provider)
    return queryset


def dashboard(incidents: QuerySet[Incident]) -> Dashboard:
    """Return the dashboard's figures for ``incidents``.

    On PostgreSQL the database counts and takes the medians (a handful of grouped rows
    come back, whatever the number of incidents: 100,000 incidents took 8 s the other
    way); elsewhere one ``values_list`` of the incidents' times is summarised here.
    """
    if connection.vendor == "postgresql":
        by_month, month_medians, cause_medians, incident_count, undated = _figures_in_sql(incidents)
    else:
        by_month, month_medians, cause_medians, incident_count, undated = _figures_in_python(
            incidents
        )
    months = _month_range(min(by_month), max(by_month)) if by_month else []
    cause_labels = dict(RootCauseCategory.choices)
    top_services = _top_services(incidents)
    empty = (0, None, None, None)
    return Dashboard(
        incident_count=incident_count,
        undated_count=undated,
        months=[
            MonthCounts(month=month, by_severity=dict(by_month.get(month, {}))) for month in months
        ],
        medians_by_month=[
            Medians(f"{month:%Y-%m}", *month_medians.get(month, empty)) for month in months
        ],
        medians_by_cause=[
            Medians(cause_labels.get(cause, cause), *cause_medians[cause])
            for cause in RootCauseCategory.values
            if cause in cause_medians
        ],
        top_services=top_services,
    )


def _every_confirmed(incidents: QuerySet[Incident]) -> bool:
    """Return whether ``incidents`` are every confirmed incident: the unfiltered dashboard."""
    return str(incidents.order_by().query) == str(Incident.objects.confirmed().order_by().query)


def _top_services(incidents: QuerySet[Incident]) -> list[ServiceCount]:
    """Return the TOP_SERVICES services that the most of ``incidents`` impacted."""
    if not incidents.query.has_filters():
        impacts = Impact.objects.all()
    elif _every_confirmed(incidents):
        # Every confirmed incident: leave out the few drafts (a hashed NOT IN) rather than
        # join the 100,000 confirmed ones, so the count reads (service, incident) from its
        # index alone (0.66 s -> 0.2 s over 250,000 impacts, loaded machine).
        impacts = Impact.objects.exclude(incident__in=Incident.objects.drafts().values("pk"))
    else:
        impacts = Impact.objects.filter(incident__in=incidents.values("pk"))
    # Grouped by the service id alone and named afterwards: grouping by the names too
    # sorted all 250,000 rows by them.
    counts, params = (
        impacts.order_by()
        .values("service_id")
        .annotate(incidents=Count("incident", distinct=True))
        .query.sql_with_params()
    )
    sql = f"""
        SELECT counts.service_id, service.name, service.provider, counts.incidents
        FROM ({counts}) AS counts
        JOIN {Service._meta.db_table} AS service ON service.id = counts.service_id
        ORDER BY counts.incidents DESC, service.name, counts.service_id
        LIMIT {int(TOP_SERVICES)}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [ServiceCount(*row) for row in cursor.fetchall()]


# A snapshot older than this is recomputed even if no write was recorded since: the
# bound on staleness should a generation raise be lost (a crash right after a commit).
SNAPSHOT_SECONDS = 600


def snapshot_key(*, date_from: date | None, date_to: date | None, provider: str) -> str:
    """Return the name the figures of these filters are stored under."""
    return f"from={date_from or ''}&to={date_to or ''}&provider={provider}"


def dashboard_for(
    *, date_from: date | None = None, date_to: date | None = None, provider: str = ""
) -> Dashboard:
    """Return the dashboard for these filters: stored figures while the knowledge base has
    not changed since they were computed, else computed now and stored.

    Computing every incident's figures takes about 130 ms of PostgreSQL at 100,000
    incidents (the medians read sorted indexes, _figures_from_indexes); a choice of
    filters groups and sorts what it selects. The stored figures are one small query. Any process may serve any request: the figures
    and the generation they belong to live in the database (postmortems.generation).
    """
    key = snapshot_key(date_from=date_from, date_to=date_to, provider=provider)
    fresh = DashboardSnapshot.objects.filter(
        key=key,
        generation=OuterRef("value"),
        computed_at__gte=timezone.now() - timedelta(seconds=SNAPSHOT_SECONDS),
    ).values("figures")[:1]
    found = (
        Generation.objects.filter(pk=1)
        .annotate(figures=Subquery(fresh, output_field=JSONField()))
        .values_list("value", "figures")
        .first()
    )
    if found and found[1] is not None:
        return dashboard_from_json(found[1])
    figures = dashboard_to_json(
        dashboard(dashboard_incidents(date_from=date_from, date_to=date_to, provider=provider))
    )
    if found:  # without the generation row (a flushed database) nothing can be kept
        services.dashboard_snapshot_save(key=key, generation=found[0], figures=figures)
    # Decoded from what was stored, so a stored and a fresh answer are the same figures.
    return dashboard_from_json(figures)


def dashboard_refresh(*, generation: int) -> bool:
    """Store the figures over every incident if the knowledge base is still at ``generation``.

    What a worker does after a write, so the next reader finds them stored. A later write
    has queued its own refresh: this one is skipped. Returns whether it ran.
    """
    current = Generation.objects.filter(pk=1).values_list("value", flat=True).first()
    if current != generation:
        return False
    dashboard_for()
    return True


def _microseconds(value: timedelta | None) -> int | None:
    return None if value is None else value // timedelta(microseconds=1)


def _timedelta(value: int | None) -> timedelta | None:
    return None if value is None else timedelta(microseconds=value)


def _medians_to_json(medians: Medians) -> list:
    return [medians.label, medians.incidents, *(_microseconds(v) for v in medians.phases())]


def _medians_from_json(row: list) -> Medians:
    label, incidents, *phases = row
    return Medians(label, incidents, *(_timedelta(value) for value in phases))


def dashboard_to_json(figures: Dashboard) -> dict[str, Any]:
    """Return the dashboard's figures as JSON values (durations in whole microseconds)."""
    return {
        "incident_count": figures.incident_count,
        "undated_count": figures.undated_count,
        "months": [
            [month.month.isoformat(), {str(k): v for k, v in month.by_severity.items()}]
            for month in figures.months
        ],
        "medians_by_month": [_medians_to_json(row) for row in figures.medians_by_month],
        "medians_by_cause": [_medians_to_json(row) for row in figures.medians_by_cause],
        "top_services": [
            [row.service_id, row.name, row.provider, row.incidents] for row in figures.top_services
        ],
    }


def dashboard_from_json(data: dict[str, Any]) -> Dashboard:
    """Return the dashboard that ``dashboard_to_json`` wrote."""
    return Dashboard(
        incident_count=data["incident_count"],
        undated_count=data["undated_count"],
        months=[
            MonthCounts(
                month=date.fromisoformat(month), by_severity={int(k): v for k, v in counts.items()}
            )
            for month, counts in data["months"]
        ],
        medians_by_month=[_medians_from_json(row) for row in data["medians_by_month"]],
        medians_by_cause=[_medians_from_json(row) for row in data["medians_by_cause"]],
        top_services=[ServiceCount(*row) for row in data["top_services"]],
    )


# (incidents, median TTD, TTM, TTR) of one month or one root-cause category.
_PhaseMedians = tuple[int, timedelta | None, timedelta | None, timedelta | None]
_Figures = tuple[
    dict[date, Counter[int]], dict[date, _PhaseMedians], dict[str, _PhaseMedians], int, int
]


# The moments whose times from the start are the three phases, in the order of PHASES.
_PHASE_MOMENTS = ("detected_at", "mitigated_at", "resolved_at")
# percentile_disc returns the value at position ceil(fraction * n): at 0.5 the lower middle
# value, just above it the upper one (the same one when n is odd), for n up to 10**8.
_MIDDLE = "ARRAY[0.5, 0.500000001]"

# What the dashboard reads of each incident (and what incident_dashboard_idx covers).
_COLUMNS = (
    "started_at",
    "detected_at",
    "mitigated_at",
    "resolved_at",
    "severity",
    "root_cause_category",
)


def _figures_in_python(incidents: QuerySet[Incident]) -> _Figures:
    rows = list(incidents.order_by().values_list(*_COLUMNS))
    by_month: dict[date, Counter[int]] = defaultdict(Counter)
    month_times: dict[date, list[tuple]] = defaultdict(list)
    cause_times: dict[str, list[tuple]] = defaultdict(list)
    undated = 0
    for started, detected, mitigated, resolved, severity, cause in rows:
        cause_times[cause].append((started, detected, mitigated, resolved))
        if started is None:
            undated += 1
            continue
        month = started.astimezone(UTC).date().replace(day=1)
        by_month[month][severity] += 1
        month_times[month].append((started, detected, mitigated, resolved))
    return (
        by_month,
        {month: _phase_medians(times) for month, times in month_times.items()},
        {cause: _phase_medians(times) for cause, times in cause_times.items()},
        len(rows),
        undated,
    )


def _figures_in_sql(incidents: QuerySet[Incident]) -> _Figures:
    # Every confirmed incident (the page unfiltered, and what a worker refreshes after a
    # write) reads sorted indexes; a choice of filters groups and sorts what it selects.
    # The indexes hold every confirmed incident: walking them for a filter that keeps 3%
    # of the incidents read them all (provider=AWS since 2024: 43 ms grouped, 220 ms by
    # the indexes), so the filtered figures keep the grouping they always had.
    if _every_confirmed(incidents):
        return _figures_from_indexes(incidents)
    return _figures_grouped(incidents)


def _figures_from_indexes(incidents: QuerySet[Incident]) -> _Figures:
    # One query (so the page keeps its query count), built to sort as little as possible:
    # the medians of 99,000 incidents grouped by month and again by root cause sorted
    # every duration six times, plus the rows twice for the groupings (about 270 ms of
    # PostgreSQL CPU at 100,000 incidents, a third of that this way).
    #
    # - Months: the months with incidents, each found by one probe of
    #   incident_dashboard_idx for the first start after the last month (as providers()
    #   does; generate_series would be planned as 1,000 months, a cost that switches JIT
    #   on, a second of compiling); then one small aggregate per month over the month's
    #   range of that index (index-only, no sort of the rows; each median sorts one
    #   month's durations). percentile_disc at 0.5 and just above gives the two middle
    #   durations from one sort.
    # - Root causes: a cause's n durations of a phase are counted, then its phase's
    #   index (incident_detect_idx and friends, migration 0022) is read in duration
    #   order, skipping the first (n - 1) / 2: no sort at all.
    #
    # _middle averages the two middle durations as percentile_cont did; NULLs and phases
    # that end before the start are left out, as _phase_medians does.
    inner, params = incidents.order_by().values(*_COLUMNS).query.sql_with_params()
    severities = ", ".join(
        f"count(*) FILTER (WHERE severity = {int(value)})" for value in Severity.values
    )
    month_middles = ", ".join(
        f"percentile_disc({_MIDDLE}) WITHIN GROUP (ORDER BY {moment} - started_at) "
        f"FILTER (WHERE {moment} >= started_at)"
        for moment in _PHASE_MOMENTS
    )
    # The middle one (n odd) or two (n even) of a cause's n durations.
    cause_middles = ", ".join(
        f"""(
            SELECT array_agg(phase ORDER BY phase)
            FROM (
                SELECT {moment} - started_at AS phase FROM incidents
                WHERE root_cause_category = causes.cause AND {moment} >= started_at
                ORDER BY 1 OFFSET (causes.timed_{index} - 1) / 2 LIMIT 2 - mod(causes.timed_{index}, 2)
            ) AS middle
        )"""
        for index, moment in enumerate(_PHASE_MOMENTS)
    )
    timed = ", ".join(
        f"count(*) FILTER (WHERE {moment} >= started_at) AS timed_{index}"
        for index, moment in enumerate(_PHASE_MOMENTS)
    )
    no_severities = ", ".join("NULL::bigint" for _ in Severity.values)
    sql = f"""
        WITH RECURSIVE incidents AS NOT MATERIALIZED ({inner}),
        months(month) AS (
            SELECT date_trunc('month', min(started_at) AT TIME ZONE 'UTC') FROM incidents
            UNION ALL
            SELECT (
                SELECT date_trunc('month', min(started_at) AT TIME ZONE 'UTC') FROM incidents
                WHERE started_at >= (months.month + interval '1 month') AT TIME ZONE 'UTC'
            )
            FROM months WHERE months.month IS NOT NULL
        )
        SELECT month, NULL, figures.*
        FROM months
        CROSS JOIN LATERAL (
            SELECT count(*), {severities}, {month_middles}
            FROM incidents
            WHERE started_at >= month AT TIME ZONE 'UTC'
              AND started_at < (month + interval '1 month') AT TIME ZONE 'UTC'
        ) AS figures
        WHERE month IS NOT NULL  -- where the probes ran out
        UNION ALL
        SELECT NULL, cause, count, {no_severities}, {cause_middles}
        FROM (
            SELECT root_cause_category AS cause, count(*) AS count, {timed}
            FROM incidents GROUP BY root_cause_category
        ) AS causes
    """
    rows = _fetch_all(sql, params)
    by_month: dict[date, Counter[int]] = defaultdict(Counter)
    month_medians: dict[date, _PhaseMedians] = {}
    cause_medians: dict[str, _PhaseMedians] = {}
    incident_count = dated = 0
    severity_count = len(Severity.values)
    for month, cause, count, *rest in rows:
        counts, middles = rest[:severity_count], rest[severity_count:]
        ttd, ttm, ttr = (
            None if middle is None else _middle(middle[0], middle[-1]) for middle in middles
        )
        if month is None:
            cause_medians[cause] = (count, ttd, ttm, ttr)
            incident_count += count
        elif count:
            dated += count
            month_start = month.date()
            by_month[month_start] = _severity_counts(counts)
            month_medians[month_start] = (count, ttd, ttm, ttr)
    return by_month, month_medians, cause_medians, incident_count, incident_count - dated


def _figures_grouped(incidents: QuerySet[Incident]) -> _Figures:
    # One query for both groupings (GROUPING SETS: by month, and by root-cause category),
    # so the page keeps its query count. Medians as statistics.median takes them
    # (percentile_cont interpolates between the middle two), leaving out NULLs and, as
    # _phase_medians does, phases that end before the start.
    inner, params = incidents.order_by().values(*_COLUMNS).query.sql_with_params()
    year = "EXTRACT(YEAR FROM started_at AT TIME ZONE 'UTC')::int"
    month = "EXTRACT(MONTH FROM started_at AT TIME ZONE 'UTC')::int"
    severities = ", ".join(
        f"count(*) FILTER (WHERE severity = {int(value)})" for value in Severity.values
    )
    medians = ", ".join(
        f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {moment} - started_at) "
        f"FILTER (WHERE {moment} >= started_at)"
        for moment in ("detected_at", "mitigated_at", "resolved_at")
    )
    sql = f"""
        SELECT GROUPING(root_cause_category) = 1, {year}, {month}, root_cause_category,
               count(*), {severities}, {medians}
        FROM ({inner}) AS incidents
        GROUP BY GROUPING SETS (({year}, {month}), (root_cause_category))
    """
    rows = _fetch_all(sql, params)
    by_month: dict[date, Counter[int]] = defaultdict(Counter)
    month_medians: dict[date, _PhaseMedians] = {}
    cause_medians: dict[str, _PhaseMedians] = {}
    incident_count = undated = 0
    severity_count = len(Severity.values)
    for by_months, year_value, month_value, cause, count, *rest in rows:
        counts, (ttd, ttm, ttr) = rest[:severity_count], rest[severity_count:]
        if not by_months:
            cause_medians[cause] = (count, ttd, ttm, ttr)
            continue
        incident_count += count
        if year_value is None:
            undated += count
            continue
        month_start = date(year_value, month_value, 1)
        by_month[month_start] = _severity_counts(counts)
        month_medians[month_start] = (count, ttd, ttm, ttr)
    return by_month, month_medians, cause_medians, incident_count, undated


def _fetch_all(sql: str, params: Sequence[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _severity_counts(counts: Sequence[int]) -> Counter[int]:
    """Return a month's counts, given in severity order, keyed by severity."""
    return Counter({value: n for value, n in zip(Severity.values, counts, strict=True) if n})


def _month_range(first: date, last: date) -> list[date]:
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def _median(values: list[timedelta]) -> timedelta | None:
    if not values:
        return None
    ordered = sorted(values)
    return _middle(ordered[(len(ordered) - 1) // 2], ordered[len(ordered) // 2])


def _middle(lower: timedelta, upper: timedelta) -> timedelta:
    """Return the median of two middle values as percentile_cont takes it over intervals.

    Half the gap, rounded to a whole microsecond with halves to even, added to the lower
    one (PostgreSQL's interval_lerp), so both databases give the same microsecond.
    """
    gap = (upper - lower) // timedelta(microseconds=1)
    return lower + timedelta(microseconds=(gap + gap // 2 % 2) // 2)


def _phase_medians(times: list[tuple]) -> _PhaseMedians:
    phases: list[list[timedelta]] = [[], [], []]
    for started, *moments in times:
        for phase, moment in zip(phases, moments, strict=True):
            # Sources disagree about times; a phase that ends before the start is a data
            # problem the incident page flags, not a negative duration to average in.
            if started is not None and moment is not None and moment >= started:
                phase.append(moment - started)
    ttd, ttm, ttr = (_median(phase) for phase in phases)
    return len(times), ttd, ttm, ttr


def _describe_months(months: list[MonthCounts]) -> str:
    if not months:
        return "No incidents with a start time."
    busiest = max(months, key=lambda month: month.total)
    total = sum(month.total for month in months)
    return (
        f"{total} incidents from {months[0].label} to {months[-1].label}; "
        f"the busiest month was {busiest.label} with {busiest.total}."
    )


def _medians_chart(
    chart_id: str, title: str, rows: list[Medians], x_label: str, frame: Frame
) -> SafeString:
    minutes = [[_minutes(value) for value in row.phases()] for row in rows]
    largest = max((value for row in minutes for value in row if value is not None), default=0)
    # Minutes read better for fast incidents, hours for the usual multi-hour ones.
    unit, divisor = ("minutes", 1) if largest < 180 else ("hours", 60)
    description = "; ".join(
        f"{row.label}: "
        + ", ".join(
            f"{label} {duration(value)}"
            for (_, label, _), value in zip(PHASES, row.phases(), strict=True)
        )
        for row in rows
    )
    return grouped_bar_chart(
        chart_id=chart_id,
        title=title,
        description=description or "No incidents with a start time.",
        categories=[row.label for row in rows],
        series=[
            (
                label,
                colour,
                [None if row[index] is None else row[index] / divisor for row in minutes],
            )
            for index, (_, label, colour) in enumerate(PHASES)
        ],
        x_label=x_label,
        y_label=f"Median ({unit})",
        frame=frame,
    )


def _minutes(value: timedelta | None) -> float | None:
    return None if value is None else value.total_seconds() / 60


# SVG drawing. Everything textual is escaped; coordinates are numbers we format.

# Runs of at least this many months without incidents become one gap in monthly charts.
GAP_MONTHS = 3
Series = tuple[str, str, Sequence[float | None]]


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))


def _nice_ticks(largest: float, *, whole: bool = False) -> list[float]:
    if largest <= 0:
        return [0, 1]
    raw = largest / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    if whole:
        step = max(step, 1)
    ticks = [0.0]
    while ticks[-1] < largest:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _open_svg(frame: Frame, chart_id: str, title: str, description: str, height: int) -> list[str]:
    chart_id += frame.suffix()
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{frame.variant}" '
        f'viewBox="0 0 {frame.width} {height}" width="{frame.width}" height="{height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def _legend(frame: Frame, series: Sequence[Series]) -> tuple[list[str], int]:
    """Return the legend, in as many rows as the width needs, and the height it takes."""
    parts = ['<g class="legend" aria-hidden="true">']
    x, y = frame.margin_left, 12
    for label, colour, _ in series:
        width = 24 + frame.char_width * len(label)
        if x > frame.margin_left and x + width > frame.width - frame.margin_right:
            x, y = frame.margin_left, y + 18
        parts.append(f'<rect x="{x:.0f}" y="{y}" width="12" height="12" fill="{escape(colour)}"/>')
        parts.append(f'<text x="{x + 16:.0f}" y="{y + 10}">{escape(label)}</text>')
        x += width
    parts.append("</g>")
    return parts, y - 12


def _axes(
    frame: Frame, ticks: list[float], y_label: str, x_label: str, top: int, plot_height: int
) -> list[str]:
    bottom = top + plot_height
    left, right = frame.margin_left, frame.width - frame.margin_right
    parts = ['<g class="axis" aria-hidden="true">']
    for tick in ticks:
        y = bottom - tick / ticks[-1] * plot_height
        parts.append(f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" class="gridline"/>')
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_number(tick)}</text>'
        )
    parts.append(f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" class="baseline"/>')
    middle = top + plot_height / 2
    parts.append(
        f'<text class="axis-label" x="14" y="{middle:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 14 {middle:.1f})">{escape(y_label)}</text>'
    )
    centre = (left + right) / 2
    parts.append(
        f'<text class="axis-label" x="{centre:.1f}" y="{bottom + frame.margin_bottom - 6}" '
        f'text-anchor="middle">{escape(x_label)}</text>'
    )
    parts.append("</g>")
    return parts


def _two_lines(label: str) -> list[str]:
    """Return a label cut at its middlemost space, or whole when it has none."""
    spaces = [index for index, char in enumerate(label) if char == " "]
    if not spaces:
        return [label]
    cut = min(spaces, key=lambda index: abs(len(label) / 2 - index))
    return [label[:cut], label[cut + 1 :]]


def _category_labels(
    frame: Frame, categories: Sequence[str], band: float, bottom: int
) -> list[str]:
    # Crowded labels are thinned out; one too long for its place goes on two lines, and
    # only when that is not enough are they all turned so they do not overlap.
    every = math.ceil(len(categories) / frame.max_labels) if categories else 1
    room = band * every - 4

    def fits(lines: list[str]) -> bool:
        return max(len(line) for line in lines) * frame.char_width <= room

    slanted = not all(fits([label]) or fits(_two_lines(label)) for label in categories)
    parts = ['<g class="categories" aria-hidden="true">']
    for index, label in enumerate(categories):
        if index % every:
            continue
        x = frame.margin_left + band * (index + 0.5)
        y = bottom + 16
        if slanted:
            parts.append(
                f'<text x="{x:.1f}" y="{y}" text-anchor="end" transform="rotate(-35 {x:.1f} {y})">{escape(label)}</text>'
            )
        elif fits([label]):
            parts.append(f'<text x="{x:.1f}" y="{y}" text-anchor="middle">{escape(label)}</text>')
        else:
            first, second = _two_lines(label)
            parts.append(
                f'<text x="{x:.1f}" y="{y}" text-anchor="middle">{escape(first)}'
                f'<tspan x="{x:.1f}" dy="1.2em">{escape(second)}</tspan></text>'
            )
    parts.append("</g>")
    return parts


def _bar_frame(
    frame: Frame,
    chart_id: str,
    title: str,
    description: str,
    series: Sequence[Series],
    ticks: list[float],
    labels: tuple[str, str],
) -> tuple[list[str], int, int]:
    """Return the opening of a vertical bar chart, and its plot's top and height."""
    legend, legend_extra = _legend(frame, series)
    top = frame.margin_top + legend_extra
    plot_height = frame.height - frame.margin_top - frame.margin_bottom
    height = top + plot_height + frame.margin_bottom
    y_label, x_label = labels
    parts = (
        _open_svg(frame, chart_id, title, description, height)
        + legend
        + _axes(frame, ticks, y_label, x_label, top, plot_height)
    )
    return parts, top, plot_height


def stacked_bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    x_label: str,
    y_label: str,
    frame: Frame = WIDE,
) -> SafeString:
    """Return an SVG chart with one bar per category, its series stacked."""
    totals = [
        sum(values[index] or 0 for _, _, values in series) for index in range(len(categories))
    ]
    ticks = _nice_ticks(max(totals, default=0), whole=True)
    parts, top, plot_height = _bar_frame(
        frame, chart_id, title, description, series, ticks, (y_label, x_label)
    )
    bottom = top + plot_height
    band = frame.plot_width / max(len(categories), 1)
    # Few months: bars of a readable width, not slabs across the card.
    bar_width = min(band * 0.7, frame.max_bar)
    parts.append('<g class="bars">')
    for index, category in enumerate(categories):
        stacked = 0.0
        for label, colour, values in series:
            value = values[index] or 0
            if not value:
                continue
            height = value / ticks[-1] * plot_height
            y = bottom - (stacked + value) / ticks[-1] * plot_height
            parts.append(
                f'<rect x="{frame.margin_left + band * index + (band - bar_width) / 2:.1f}" y="{y:.1f}" width="{bar_width:.1f}" '
                f'height="{height:.1f}" fill="{escape(colour)}"><title>{escape(category)} {escape(label)}: '
                f"{_number(value)}</title></rect>"
            )
            stacked += value
    parts.append("</g>")
    parts += _category_labels(frame, categories, band, bottom)
    parts.append("</svg>")
    return mark_safe("".join(parts))


def grouped_bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    x_label: str,
    y_label: str,
    frame: Frame = WIDE,
) -> SafeString:
    """Return an SVG chart with one group of bars per category, one bar per series."""
    largest = max(
        (value for _, _, values in series for value in values if value is not None), default=0
    )
    ticks = _nice_ticks(largest)
    parts, top, plot_height = _bar_frame(
        frame, chart_id, title, description, series, ticks, (y_label, x_label)
    )
    bottom = top + plot_height
    band = frame.plot_width / max(len(categories), 1)
    bar = min(band * 0.8 / max(len(series), 1), frame.max_bar / 2)
    group_width = bar * len(series)
    parts.append('<g class="bars">')
    for index, category in enumerate(categories):
        for position, (label, colour, values) in enumerate(series):
            value = values[index]
            if value is None:
                continue
            height = value / ticks[-1] * plot_height
            x = frame.margin_left + band * index + (band - group_width) / 2 + bar * position
            parts.append(
                f'<rect x="{x:.1f}" y="{bottom - height:.1f}" width="{bar:.1f}" height="{height:.1f}" '
                f'fill="{escape(colour)}"><title>{escape(category)} {escape(label)}: {_number(value)} '
                f"{escape(y_label.split('(')[-1].rstrip(')'))}</title></rect>"
            )
    parts.append("</g>")
    parts += _category_labels(frame, categories, band, bottom)
    parts.append("</svg>")
    return mark_safe("".join(parts))


def horizontal_bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    values: Sequence[int],
    x_label: str,
    frame: Frame = WIDE,
) -> SafeString:
    """Return an SVG chart with one horizontal bar per label, longest first as given.

    Wide, the labels stand left of their bars; narrow, each label stands over its bar,
    which then has the whole width.
    """
    narrow = frame.variant == "narrow"
    row = 38 if narrow else 26
    label_width = 8 if narrow else 240
    top = 24 if narrow else frame.margin_top
    plot_width = frame.width - label_width - frame.margin_right - (28 if narrow else 40)
    bottom = top + row * len(labels)
    height = bottom + 40
    ticks = _nice_ticks(max(values, default=0), whole=True)
    parts = _open_svg(frame, chart_id, title, description, height)
    parts.append('<g class="axis" aria-hidden="true">')
    for tick in ticks:
        x = label_width + tick / ticks[-1] * plot_width
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 6}" y2="{bottom}" class="gridline"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle">{_number(tick)}</text>'
        )
    parts.append(
        f'<text class="axis-label" x="{label_width + plot_width / 2:.1f}" y="{height - 6}" '
        f'text-anchor="middle">{escape(x_label)}</text>'
    )
    parts.append("</g>")
    parts.append('<g class="bars">')
    longest = int((frame.width - label_width - frame.margin_right) / frame.char_width)
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + row * index
        width = value / ticks[-1] * plot_width
        if narrow:
            short = label if len(label) <= longest else label[: longest - 1] + "…"
            parts.append(f'<text x="{label_width}" y="{y + 12}">{escape(short)}</text>')
            bar_y, bar_height = y + 17, row - 23
            parts.append(
                f'<text x="{label_width + width + 4:.1f}" y="{bar_y + bar_height - 2}">{value}</text>'
            )
        else:
            short = label if len(label) <= 34 else label[:33] + "…"
            parts.append(
                f'<text x="{label_width - 8}" y="{y + row * 0.65:.1f}" text-anchor="end">{escape(short)}</text>'
            )
            bar_y, bar_height = y + 4, row - 8
        parts.append(
            f'<rect x="{label_width}" y="{bar_y}" width="{width:.1f}" height="{bar_height}" fill="#2357d9">'
            f"<title>{escape(label)}: {value}</title></rect>"
        )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))
