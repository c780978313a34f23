"""Filters for incidents, services and events, shared by the web pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from postmortems.models import (
    Event,
    EventKind,
    Incident,
    IncidentStatus,
    ReviewState,
    RootCauseCategory,
    Service,
    ServiceCategory,
    Severity,
)


class IncidentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label="Search")
    severity = django_filters.MultipleChoiceFilter(choices=Severity.choices)
    status = django_filters.MultipleChoiceFilter(choices=IncidentStatus.choices)
    provider = django_filters.CharFilter(lookup_expr="iexact")
    region = django_filters.CharFilter(
        field_name="regions__code", lookup_expr="iexact", distinct=True
    )
    tag = django_filters.CharFilter(field_name="tags__name", lookup_expr="iexact", distinct=True)
    service = django_filters.ModelChoiceFilter(
        field_name="impacts__service", queryset=Service.objects.all(), distinct=True
    )
    root_cause_category = django_filters.MultipleChoiceFilter(choices=RootCauseCategory.choices)
    started_after = django_filters.IsoDateTimeFilter(field_name="started_at", lookup_expr="gte")
    started_before = django_filters.IsoDateTimeFilter(field_name="started_at", lookup_expr="lte")
    date_from = django_filters.DateFilter(
        field_name="started_at", lookup_expr="date__gte", label="From"
    )
    date_to = django_filters.DateFilter(
        field_name="started_at", lookup_expr="date__lte", label="To"
    )

    class Meta:
        model = Incident
        fields = ["q", "severity", "status", "provider", "service", "date_from", "date_to"]

    def filter_text(
        self, queryset: QuerySet[Incident], name: str, value: str
    ) -> QuerySet[Incident]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(summary__icontains=value) | Q(slug__icontains=value)
        )


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
    after = django_filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="gte")
    before = django_filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="lte")

    class Meta:
        model = Event
        fields = ["incident", "kind", "review_state", "service", "after", "before"]
