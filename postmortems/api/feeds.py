"""``/api/v1/feeds/``, ``/api/v1/incident-links/`` and ``/api/v1/service-proposals/``.

Feeds are configuration: any signed-in user reads them (state, last poll, last error),
admins write. Links between incidents are knowledge: editors accept or reject them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from postmortems.api.views import RecordViewSet, _record_schema
from postmortems.ingest.feeds.models import (
    FEED_POLL_STATUS,
    FEED_SETTINGS,
    Feed,
    FeedKind,
    FeedState,
    IncidentLink,
    ServiceProposal,
    ServiceProposalState,
)
from postmortems.ingest.feeds.services import (
    MIN_POLL_INTERVAL,
    feed_create,
    feed_delete,
    feed_update,
    incident_link_decide,
    service_proposal_decide,
)
from postmortems.permissions import ReadOrAdmin, ReadOrEdit

MAX_POLL_INTERVAL = 7 * 24 * 3600


class FeedSerializer(serializers.ModelSerializer):
    class Meta:
        model = Feed
        fields = ["id", *FEED_SETTINGS, *FEED_POLL_STATUS, "created_at"]
        read_only_fields = fields


class FeedInputSerializer(serializers.ModelSerializer):
    """A feed to poll. ``state`` pauses it (``paused``) or resumes it (``ok``)."""

    kind = serializers.ChoiceField(choices=FeedKind.choices)
    poll_interval = serializers.IntegerField(
        min_value=MIN_POLL_INTERVAL, max_value=MAX_POLL_INTERVAL, required=False
    )
    state = serializers.ChoiceField(
        choices=[(FeedState.OK, "Poll it"), (FeedState.PAUSED, "Paused")], required=False
    )

    class Meta:
        model = Feed
        fields = list(FEED_SETTINGS)


def _as_api_error(error: DjangoValidationError) -> serializers.ValidationError:
    if hasattr(error, "error_dict"):
        return serializers.ValidationError(error.message_dict)
    return serializers.ValidationError(error.messages)


@_record_schema(FeedInputSerializer, FeedSerializer)
class FeedViewSet(RecordViewSet):
    """Providers' status feeds; admins add, change, pause and remove them."""

    permission_classes = [ReadOrAdmin]
    queryset = Feed.objects.order_by("provider", "url", "id")
    serializer_class = output_serializer_class = FeedSerializer
    input_serializer_class = FeedInputSerializer
    filterset_fields = ["kind", "state", "provider"]
    ordering_fields = ["provider", "last_polled_at", "state"]

    def write(self, data: dict[str, Any], record: Feed | None) -> Feed:
        try:
            if record is None:
                created = feed_create(
                    url=data["url"],
                    provider=data["provider"],
                    kind=data["kind"],
                    poll_interval=data.get("poll_interval", 300),
                )
                if data.get("state") == FeedState.PAUSED:
                    created = feed_update(feed=created, data={"state": FeedState.PAUSED})
                return created
            return feed_update(feed=record, data=data)
        except DjangoValidationError as error:
            raise _as_api_error(error) from None

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        feed_delete(feed=self.get_object())
        return Response(status=204)


class IncidentLinkSerializer(serializers.ModelSerializer):
    upstream = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    downstream = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    upstream_provider = serializers.CharField(source="upstream.provider", read_only=True)
    downstream_provider = serializers.CharField(source="downstream.provider", read_only=True)

    class Meta:
        model = IncidentLink
        fields = [
            "id",
            "upstream",
            "upstream_provider",
            "downstream",
            "downstream_provider",
            "state",
            "reason",
            "decided_at",
            "created_at",
        ]
        read_only_fields = fields


class _Decision(serializers.Serializer):
    """No body needed: the URL says what is decided."""


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "incident", str, description="Only links of this incident (its slug), either end."
            )
        ]
    )
)
class IncidentLinkViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Proposed links between a provider's incident and its upstream provider's; editors decide."""

    permission_classes = [ReadOrEdit]
    serializer_class = IncidentLinkSerializer
    filterset_fields = ["state"]
    extra_query_parameters = ["incident"]  # read in get_queryset

    def get_queryset(self) -> QuerySet[IncidentLink]:
        links = IncidentLink.objects.select_related("upstream", "downstream").order_by("id")
        slug = self.request.query_params.get("incident")
        if slug:
            links = links.filter(upstream__slug=slug) | links.filter(downstream__slug=slug)
        return links

    @extend_schema(request=_Decision, responses=IncidentLinkSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        """Accept: the downstream impact becomes part of the upstream incident's cascade."""
        return self._decide(accept=True)

    @extend_schema(request=_Decision, responses=IncidentLinkSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """Reject: the two incidents stay apart."""
        return self._decide(accept=False)

    def _decide(self, *, accept: bool) -> Response:
        link = incident_link_decide(link=self.get_object(), accept=accept, user=self.request.user)
        return Response(IncidentLinkSerializer(self.get_queryset().get(pk=link.pk)).data)


class ServiceProposalSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceProposal
        fields = ["id", "provider", "name", "state", "created_at"]
        read_only_fields = fields


class ServiceProposalViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Components feeds named that the catalogue does not know; admins add or reject them."""

    permission_classes = [ReadOrAdmin]
    serializer_class = ServiceProposalSerializer
    queryset = ServiceProposal.objects.order_by("provider", "name", "id")
    filterset_fields = ["state", "provider"]

    @extend_schema(request=_Decision, responses=ServiceProposalSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        """Add the component to the service catalogue."""
        return self._decide(accept=True)

    @extend_schema(request=_Decision, responses=ServiceProposalSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """Leave the component out of the catalogue."""
        return self._decide(accept=False)

    def _decide(self, *, accept: bool) -> Response:
        proposal = self.get_object()
        if proposal.state != ServiceProposalState.PROPOSED:
            raise serializers.ValidationError({"state": [f"Already {proposal.state}."]})
        service_proposal_decide(proposal=proposal, accept=accept)
        proposal.refresh_from_db()
        return Response(ServiceProposalSerializer(proposal).data)
