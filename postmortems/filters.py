"""Filters for incidents, services and events, shared by the web pages and the API."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import DurationField, ExpressionWrapper, F, Q, QuerySet
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field

from postmortems.models import (
    ActionItem,
    ActionItemStatus,
    Dependency,
    DependencyKind,
    Event,
    EventKind,
    Impact,
    ImpactLevel,
    ImpactRole,
    Incident,
    IncidentStatus,
    Priority,
    ReviewState,
    RootCauseCategory,
    Service,
    ServiceCategory,
    Severity,
    Source,
    SourceStatus,
)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 time, turned into UTC here so the database never sees an odd offset."""

    def clean(self, value: object) -> datetime | None:
        moment = super().clean(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            raise forms.ValidationError("The time is out of range.") from None


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class IncidentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label="Search")
    # No filter here joins a to-many relation, so none needs DISTINCT (django-filter's
    # default for multiple choices): DISTINCT over the whole row keeps PostgreSQL from
    # walking the started_at index and doubles the cost of the count.
    severity = django_filters.MultipleChoiceFilter(
        choices=Severity.choices, distinct=False, widget=forms.CheckboxSelectMultiple
    )
    status = django_filters.MultipleChoiceFilter(
        choices=IncidentStatus.choices, distinct=False, widget=forms.CheckboxSelectMultiple
    )
    provider = django_filters.CharFilter(lookup_expr="iexact")
    region = django_filters.CharFilter(method="filter_region", label="Region code")
    tag = django_filters.CharFilter(method="filter_tag", label="Tag")
    service = django_filters.ModelChoiceFilter(
        queryset=Service.objects.all(), method="filter_service_record", label="Service"
    )
    root_cause_category = django_filters.MultipleChoiceFilter(
        choices=RootCauseCategory.choices, distinct=False
    )
    started_after = UtcDateTimeFilter(field_name="started_at", lookup_expr="gte")
    started_before = UtcDateTimeFilter(field_name="started_at", lookup_expr="lte")
    # Days in UTC, compared as moments (from the day's first instant, to before the next
    # day's) so the start index serves them; started_at__date would compute every row's day.
    date_from = django_filters.DateFilter(method="filter_day", label="From")
    date_to = django_filters.DateFilter(method="filter_day", label="To")

    class Meta:
        model = Incident
        fields = ["q", "severity", "status", "provider", "service", "date_from", "date_to"]

    def filter_text(
        self, queryset: QuerySet[Incident], name: str, value: str
    ) -> QuerySet[Incident]:
        """Words of the title or summary, as the search page finds them.

        On PostgreSQL, full text through the GIN index of migration 0004 (see
        postmortems/search.py): web-search syntax, whole words. A substring match there
        reads every incident (0.3 s at 100,000). SQLite has no such index: the text as a
        substring of the title, summary or slug.
        """
        value = value.strip()
        if not value:
            return queryset
        if connection.vendor != "postgresql":
            return queryset.filter(
                Q(title__icontains=value) | Q(summary__icontains=value) | Q(slug__icontains=value)
            )
        from postmortems.search import SEARCH_CONFIG, incident_document

        query = SearchQuery(value, search_type="websearch", config=SEARCH_CONFIG)
        return queryset.alias(document=incident_document()).filter(document=query)

    def filter_day(
        self, queryset: QuerySet[Incident], name: str, value: date
    ) -> QuerySet[Incident]:
        if name == "date_from":
            return queryset.filter(started_at__gte=_day_start(value))
        if value >= date.max:
            return queryset
        return queryset.filter(started_at__lt=_day_start(value + timedelta(days=1)))

    def filter_service_record(
        self, queryset: QuerySet[Incident], name: str, value: Service
    ) -> QuerySet[Incident]:
        return queryset.filter(pk__in=Impact.objects.filter(service=value).values("incident_id"))

    # Regions and tags as subqueries too: a join would need DISTINCT over the whole page.
    def filter_region(
        self, queryset: QuerySet[Incident], name: str, value: str
    ) -> QuerySet[Incident]:
        through = Incident.regions.through.objects.filter(region__code__iexact=value.strip())
        return queryset.filter(pk__in=through.values("incident_id"))

    def filter_tag(self, queryset: QuerySet[Incident], name: str, value: str) -> QuerySet[Incident]:
        through = Incident.tags.through.objects.filter(tag__name__iexact=value.strip())
        return queryset.filter(pk__in=through.values("incident_id"))


class ServiceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label="Search")
    provider = django_filters.CharFilter(lookup_expr="iexact")
    category = django_filters.MultipleChoiceFilter(choices=ServiceCategory.choices)

    class Meta:
        model = Service
        fields = ["q", "provider", "category"]

    def filter_text(self, queryset: QuerySet[Service], name: str, value: str) -> QuerySet[Service]:
        value = value.strip()
        if not value:
            return queryset
        # Aliases are a JSON list; matching its text form works on SQLite and PostgreSQL alike.
        return queryset.filter(
            Q(name__icontains=value) | Q(provider__icontains=value) | Q(aliases__icontains=value)
        )


class EventFilter(django_filters.FilterSet):
    incident = django_filters.CharFilter(field_name="incident__slug")
    kind = django_filters.MultipleChoiceFilter(choices=EventKind.choices)
    review_state = django_filters.MultipleChoiceFilter(choices=ReviewState.choices)
    service = django_filters.ModelChoiceFilter(
        field_name="services", queryset=Service.objects.all(), distinct=True
    )
    after = UtcDateTimeFilter(field_name="occurred_at", lookup_expr="gte")
    before = UtcDateTimeFilter(field_name="occurred_at", lookup_expr="lte")

    class Meta:
        model = Event
        fields = ["incident", "kind", "review_state", "service", "after", "before"]


# ------------------------------------------------------------------------------ the API


def incident_durations() -> dict[str, ExpressionWrapper]:
    """Return the time from start to detection, mitigation and resolution, computed in the DB."""
    return {
        f"time_to_{name}": ExpressionWrapper(
            F(field) - F("started_at"), output_field=DurationField()
        )
        for name, field in (
            ("detect", "detected_at"),
            ("mitigate", "mitigated_at"),
            ("recover", "resolved_at"),
        )
    }


class _SeverityField(forms.MultipleChoiceField):
    def to_python(self, value: object) -> list[str]:
        return [item.strip().upper() for item in super().to_python(value)]


_SEVERITY_NAMES = [str(value) for value, _ in Severity.choices] + [
    label for _, label in Severity.choices
]


@extend_schema_field({"type": "string", "enum": _SEVERITY_NAMES})
class SeverityFilter(django_filters.MultipleChoiceFilter):
    """Severity by its number or as the API's answers write it: ``1``, ``SEV1``, ``sev1``."""

    field_class = _SeverityField

    def __init__(self, **kwargs: object) -> None:
        super().__init__(
            choices=[(name, name) for name in _SEVERITY_NAMES], distinct=False, **kwargs
        )

    def filter(self, qs: QuerySet, value: list[str]) -> QuerySet:
        numbers = {label: str(number) for number, label in Severity.choices}
        return super().filter(qs, [numbers.get(item, item) for item in value])


class IncidentApiFilter(IncidentFilter):
    """The incident list of the API: the page's filters, and more that scripts ask for.

    ``service`` takes an id or a name (or alias-free name, case-insensitive); durations
    are in minutes and compare the database's own ``resolved_at - started_at``.
    """

    severity = SeverityFilter(label="Severity (1 or SEV1; repeat for several)")
    service = django_filters.CharFilter(
        method="filter_service", label="Impacted service (id or name)"
    )
    resolved_after = UtcDateTimeFilter(field_name="resolved_at", lookup_expr="gte")
    resolved_before = UtcDateTimeFilter(field_name="resolved_at", lookup_expr="lte")
    duration_min = django_filters.NumberFilter(
        method="filter_duration", label="Minimum minutes from start to resolution", min_value=0
    )
    duration_max = django_filters.NumberFilter(
        method="filter_duration", label="Maximum minutes from start to resolution", min_value=0
    )
    drafts = django_filters.ChoiceFilter(
        choices=[("only", "only")],
        method="filter_drafts",
        label="only: list the drafts from imports and feeds instead of confirmed incidents",
    )

    def filter_drafts(
        self, queryset: QuerySet[Incident], name: str, value: str
    ) -> QuerySet[Incident]:
        return queryset.filter(is_draft=True) if value == "only" else queryset

    class Meta:
        model = Incident
        fields = [
            "q",
            "severity",
            "status",
            "provider",
            "region",
            "tag",
            "service",
            "root_cause_category",
            "started_after",
            "started_before",
            "resolved_after",
            "resolved_before",
            "duration_min",
            "duration_max",
        ]

    def filter_service(
        self, queryset: QuerySet[Incident], name: str, value: str
    ) -> QuerySet[Incident]:
        value = value.strip()
        if value.isdigit():
            match = Q(service_id=int(value)) if int(value) < 2**63 else Q(pk__in=[])
        else:
            match = Q(service__name__iexact=value)
        # A subquery rather than a join: no duplicates, so no DISTINCT over the whole list.
        return queryset.filter(pk__in=Impact.objects.filter(match).values("incident_id"))

    def filter_duration(
        self, queryset: QuerySet[Incident], name: str, value: Decimal
    ) -> QuerySet[Incident]:
        if value > 10_000_000:  # beyond any outage, and beyond what a timedelta can hold
            return queryset.none() if name == "duration_min" else queryset
        lookup = "gte" if name == "duration_min" else "lte"
        return queryset.alias(duration_filter=incident_durations()["time_to_recover"]).filter(
            **{f"duration_filter__{lookup}": timedelta(minutes=float(value))}
        )


class ServiceApiFilter(ServiceFilter):
    name = django_filters.CharFilter(lookup_expr="iexact", help_text="Exact name, any case.")

    class Meta:
        model = Service
        fields = ["q", "provider", "name", "category"]


class IdFilter(django_filters.NumberFilter):
    """A row id: a whole number the database can hold (a larger one matches nothing)."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs: object) -> None:
        super().__init__(min_value=1, max_value=2**63 - 1, **kwargs)


class IncidentRecordFilter(django_filters.FilterSet):
    """For records that belong to an incident: impacts and action items."""

    incident = django_filters.CharFilter(field_name="incident__slug")


class ImpactFilter(IncidentRecordFilter):
    service = IdFilter(field_name="service_id")
    level = django_filters.MultipleChoiceFilter(choices=ImpactLevel.choices)
    role = django_filters.MultipleChoiceFilter(choices=ImpactRole.choices)

    class Meta:
        model = Impact
        fields = ["incident", "service", "level", "role"]


class ActionItemFilter(IncidentRecordFilter):
    status = django_filters.MultipleChoiceFilter(choices=ActionItemStatus.choices)
    priority = django_filters.MultipleChoiceFilter(choices=Priority.choices)
    public = django_filters.BooleanFilter()

    class Meta:
        model = ActionItem
        fields = ["incident", "status", "priority", "public"]


class DependencyFilter(django_filters.FilterSet):
    downstream = IdFilter(field_name="downstream_id")
    upstream = IdFilter(field_name="upstream_id")
    kind = django_filters.ChoiceFilter(choices=DependencyKind.choices)

    class Meta:
        model = Dependency
        fields = ["downstream", "upstream", "kind"]


class SourceFilter(django_filters.FilterSet):
    incident = django_filters.CharFilter(field_name="incidents__slug", distinct=True)
    language = django_filters.CharFilter()
    status = django_filters.MultipleChoiceFilter(choices=SourceStatus.choices)

    class Meta:
        model = Source
        fields = ["incident", "language", "status"]
