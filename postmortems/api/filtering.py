"""Query parameters of the API's lists: a name that is not understood is an error.

A misspelt filter (``?search=`` for ``?q=``, ``?sev=``) used to be ignored, so a client
got every row and believed it had filtered. Now it gets a 400 naming the parameters the
endpoint takes, the same ones its OpenAPI description lists.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.request import Request
from rest_framework.views import APIView

from postmortems.api.errors import UnknownParameter

# Understood by every view: DRF's format suffix parameter.
COMMON_PARAMETERS = ("format",)
PAGINATION_PARAMETERS = (
    "page_query_param",
    "page_size_query_param",
    "cursor_query_param",
    "limit_query_param",
    "offset_query_param",
)


def known_parameters(view: APIView) -> set[str]:
    """Return the query parameters a list view takes: filters, ordering, pages, extras."""
    names = set(COMMON_PARAMETERS) | set(getattr(view, "extra_query_parameters", ()))
    filterset_class = DjangoFilterBackend().get_filterset_class(view, view.get_queryset())
    if filterset_class is not None:
        names |= set(filterset_class.base_filters)
    for backend in getattr(view, "filter_backends", ()):
        if issubclass(backend, OrderingFilter):
            names.add(backend.ordering_param)
        if issubclass(backend, SearchFilter):
            names.add(backend.search_param)
    paginator = getattr(view, "paginator", None)
    for attribute in PAGINATION_PARAMETERS:
        if param := getattr(paginator, attribute, None):
            names.add(param)
    return names


class StrictDjangoFilterBackend(DjangoFilterBackend):
    """django-filter's backend, refusing query parameters a list does not understand."""

    def filter_queryset(self, request: Request, queryset: QuerySet, view: APIView) -> QuerySet:
        if getattr(view, "action", None) == "list":
            known = known_parameters(view)
            unknown = sorted(set(request.query_params) - known)
            if unknown:
                raise UnknownParameter(unknown, sorted(known))
        return super().filter_queryset(request, queryset, view)
