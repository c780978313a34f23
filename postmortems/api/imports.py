"""``/api/v1/imports/``: submit an article (URL, file or text) and follow its import."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from postmortems.api.serializers import SourceRefSerializer
from postmortems.ingest.articles import LANGUAGES
from postmortems.ingest.decoding import read_upload
from postmortems.ingest.selectors import source_import_list
from postmortems.ingest.services import source_import_submit
from postmortems.models import ImportKind, Incident, SourceImport


class SourceImportSerializer(serializers.ModelSerializer):
    incident = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    source = SourceRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = SourceImport
        fields = [
            "id",
            "kind",
            "url",
            "filename",
            "incident",
            "source",
            "language_hint",
            "timezone_hint",
            "status",
            "progress",
            "error",
            "warnings",
            "events_proposed",
            "attempts",
            "dispatched_at",
            "finished_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class SourceImportCreateSerializer(serializers.Serializer):
    """One of ``url``, ``file`` or ``text``; without ``incident`` a draft incident is created."""

    url = serializers.URLField(required=False, allow_blank=True, max_length=2000)
    file = serializers.FileField(required=False, allow_empty_file=False)
    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    incident = serializers.SlugRelatedField(
        slug_field="slug", queryset=Incident.objects.all(), required=False, allow_null=True
    )
    language = serializers.ChoiceField(
        choices=[("", "detect"), *((code, code) for code in LANGUAGES)], required=False
    )
    timezone = serializers.CharField(required=False, allow_blank=True, max_length=64)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [name for name in ("url", "file", "text") if attrs.get(name)]
        if len(given) != 1:
            raise serializers.ValidationError("Give exactly one of url, file or text.")
        return attrs


class SourceImportViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Imports: editors submit, every signed-in user follows status, progress and errors."""

    serializer_class = SourceImportSerializer
    filterset_fields = ["status", "kind"]
    ordering_fields = ["created_at", "status"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[SourceImport]:
        return source_import_list()

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if self.action == "create":
            return SourceImportCreateSerializer
        return SourceImportSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = SourceImportCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            if data.get("file"):
                filename, payload = read_upload(data["file"])
                fields: dict[str, Any] = {
                    "kind": ImportKind.UPLOAD,
                    "filename": filename,
                    "payload": payload,
                }
            elif data.get("url"):
                fields = {"kind": ImportKind.URL, "url": data["url"]}
            else:
                fields = {"kind": ImportKind.TEXT, "payload": data["text"]}
            source_import, created = source_import_submit(
                **fields,
                incident=data.get("incident"),
                language_hint=data.get("language", ""),
                timezone_hint=data.get("timezone", ""),
                user=request.user,
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(_api_errors(error)) from None
        # The task may already have run (eagerly, or on a fast worker): show the row as it is.
        source_import.refresh_from_db()
        return Response(
            SourceImportSerializer(source_import).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


def _api_errors(error: DjangoValidationError) -> dict[str, list[str]] | list[str]:
    # The service speaks in model field names; the API in its own.
    renamed = {
        "payload": "text",
        "filename": "file",
        "language_hint": "language",
        "timezone_hint": "timezone",
    }
    if hasattr(error, "error_dict"):
        return {renamed.get(name, name): messages for name, messages in error.message_dict.items()}
    return error.messages
