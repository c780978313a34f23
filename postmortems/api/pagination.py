from __future__ import annotations

from django.db.models import QuerySet
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.views import APIView


class StablePageNumberPagination(PageNumberPagination):
    """Page numbers with a client-chosen size; every list orders by a unique key last,
    so rows never repeat or vanish between pages."""

    page_size_query_param = "page_size"
    max_page_size = 500


class StableOrderingFilter(OrderingFilter):
    """The client's ordering, with the primary key as the last tiebreaker."""

    def get_ordering(self, request: Request, queryset: QuerySet, view: APIView) -> list[str] | None:
        ordering = super().get_ordering(request, queryset, view)
        if ordering and not any(field.lstrip("-") in {"pk", "id"} for field in ordering):
            ordering = [*ordering, "pk"]
        return ordering
