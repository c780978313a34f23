"""``/api/v1/incidents/{slug}/postmortem/``: the document, its revisions and its workflow.

Optimistic concurrency: a save names the ``version`` it is based on; if someone saved
since, the answer is 409 with the current version and body in ``error.current``. GET sends
``ETag: W/"<version>"``; a PUT with ``If-Match`` that no longer matches gets 412 before
anything is compared.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from postmortems import services
from postmortems.api import serializers
from postmortems.api.errors import Conflict, PreconditionFailed
from postmortems.api.throttling import ThrottleFirstMixin
from postmortems.api.versions import IF_MATCH, etag
from postmortems.models import Incident, Postmortem, PostmortemRevision
from postmortems.review import services as review_services

ETAG_HEADER = {"ETag": {"schema": {"type": "string"}, "description": 'W/"<version>"'}}


def _matches(if_match: str, postmortem: Postmortem) -> bool:
    wanted = {tag.strip() for tag in if_match.split(",")}
    current = etag(postmortem)
    return "*" in wanted or current in wanted or current.removeprefix("W/") in wanted


def _current(postmortem: Postmortem) -> dict[str, Any]:
    return {"version": postmortem.version, "body": postmortem.body, "status": postmortem.status}


class PostmortemViewSet(ThrottleFirstMixin, viewsets.GenericViewSet):
    serializer_class = serializers.PostmortemSerializer
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self) -> Any:
        return Postmortem.objects.select_related("incident", "updated_by")

    def get_object(self) -> Postmortem:
        return get_object_or_404(self.get_queryset(), incident__slug=self.kwargs["slug"])

    def _render(self, postmortem: Postmortem, code: int = status.HTTP_200_OK) -> Response:
        postmortem = self.get_queryset().get(pk=postmortem.pk)
        return Response(
            serializers.PostmortemSerializer(postmortem).data,
            status=code,
            headers={"ETag": etag(postmortem)},
        )

    @extend_schema(
        summary="The postmortem of an incident",
        responses={200: OpenApiResponse(serializers.PostmortemSerializer)},
    )
    def retrieve(self, request: Request, slug: str) -> Response:
        return self._render(self.get_object())

    @extend_schema(
        summary="Start the postmortem from the blameless template (or return the existing one)",
        request=None,
        responses={
            201: serializers.PostmortemSerializer,
            200: serializers.PostmortemSerializer,
        },
    )
    def start(self, request: Request, slug: str) -> Response:
        incident = get_object_or_404(Incident, slug=slug)
        existed = Postmortem.objects.filter(incident=incident).exists()
        postmortem = services.postmortem_start(incident=incident, author=request.user)
        return self._render(postmortem, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(
        summary="Save a new version of the body",
        description="`version` is the version the body is based on. 409 `stale_version` "
        "when someone saved since (the current version and body are in `error.current`), "
        "409 `read_only` when published, 412 when If-Match does not match.",
        request=serializers.PostmortemSaveSerializer,
        parameters=[IF_MATCH],
        responses={200: serializers.PostmortemSerializer},
    )
    def update(self, request: Request, slug: str) -> Response:
        postmortem = self.get_object()
        if_match = request.headers.get("If-Match")
        if if_match and not _matches(if_match, postmortem):
            raise PreconditionFailed(current=_current(postmortem))
        incoming = serializers.PostmortemSaveSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            services.postmortem_save(
                postmortem=postmortem,
                body=incoming.validated_data["body"],
                base_version=incoming.validated_data["version"],
                author=request.user,
            )
        except services.ReadOnly as error:
            raise Conflict(str(error), code="read_only") from None
        except services.StaleVersion as stale:
            raise Conflict(
                str(stale), code="stale_version", current=_current(stale.postmortem)
            ) from None
        return self._render(postmortem)

    @extend_schema(
        summary="Every saved version, newest first",
        responses=serializers.PostmortemRevisionSerializer(many=True),
    )
    def revisions(self, request: Request, slug: str) -> Response:
        postmortem = self.get_object()
        revisions = postmortem.revisions.select_related("author").order_by("-version")
        return Response(serializers.PostmortemRevisionSerializer(revisions, many=True).data)

    @extend_schema(
        summary="Save an earlier version's body as the newest version",
        request=None,
        responses=serializers.PostmortemSerializer,
    )
    def restore(self, request: Request, slug: str, version: int) -> Response:
        postmortem = self.get_object()
        revision = get_object_or_404(PostmortemRevision, postmortem=postmortem, version=version)
        try:
            services.postmortem_restore(
                postmortem=postmortem, revision=revision, author=request.user
            )
        except services.ReadOnly as error:
            raise Conflict(str(error), code="read_only") from None
        except services.StaleVersion as stale:
            raise Conflict(
                str(stale), code="stale_version", current=_current(stale.postmortem)
            ) from None
        return self._render(postmortem)

    def _transition(self, request: Request, slug: str, step: str) -> Response:
        postmortem = self.get_object()
        try:
            postmortem = services.postmortem_transition(
                postmortem=postmortem, action=step, author=request.user
            )
        except services.PublishBlocked as blocked:
            raise Conflict(
                str(blocked),
                code="publish_blocked",
                reasons=blocked.reasons,
                current=_current(postmortem),
            ) from None
        except services.InvalidTransition as error:
            raise Conflict(
                str(error), code="invalid_transition", current=_current(postmortem)
            ) from None
        return self._render(postmortem)

    @extend_schema(
        summary="Approve the current version of a postmortem in review",
        description="Publishing needs another editor's approval: the one who sent it to "
        "review cannot approve it.",
        request=None,
        responses=serializers.PostmortemSerializer,
    )
    def approve(self, request: Request, slug: str) -> Response:
        postmortem = self.get_object()
        try:
            review_services.postmortem_approve(postmortem=postmortem, reviewer=request.user)
        except review_services.ReviewRefused as error:
            raise Conflict(
                str(error), code="approval_refused", current=_current(postmortem)
            ) from None
        return self._render(postmortem)

    @extend_schema(
        summary="Submit a draft for review",
        request=None,
        responses=serializers.PostmortemSerializer,
    )
    def submit(self, request: Request, slug: str) -> Response:
        return self._transition(request, slug, "submit")

    @extend_schema(
        summary="Publish a postmortem in review",
        request=None,
        responses=serializers.PostmortemSerializer,
    )
    def publish(self, request: Request, slug: str) -> Response:
        return self._transition(request, slug, "publish")

    @extend_schema(
        summary="Return a postmortem in review to its authors",
        request=None,
        responses=serializers.PostmortemSerializer,
    )
    def return_to_draft(self, request: Request, slug: str) -> Response:
        return self._transition(request, slug, "return")

    @extend_schema(
        summary="Reopen a published postmortem for editing",
        request=None,
        responses=serializers.PostmortemSerializer,
    )
    def reopen(self, request: Request, slug: str) -> Response:
        return self._transition(request, slug, "reopen")
