"""Stored URLs are http(s) only, whatever path wrote them, and templates link nothing else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from rest_framework.test import APIClient

from postmortems.exchange import kb_export
from postmortems.models import ActionItem, Incident, Source
from postmortems.templatetags.cascade import http_url
from postmortems.validators import validate_http_url

HOSTILE = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "ftp://example.com/file",
    "//evil.example/x",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_kb_import_refuses_a_source_url_that_is_not_http(
    demo: dict[str, int], admin_api: APIClient, url: str
) -> None:
    document = kb_export()
    document["sources"][0]["url"] = url
    response = admin_api.post("/api/v1/kb/import/", document, format="json")
    assert response.status_code == 400, response.content
    assert "http" in response.content.decode()
    assert not Source.objects.filter(url=url).exists()


def test_kb_import_refuses_an_action_item_link_that_is_not_http(
    demo: dict[str, int], admin_api: APIClient
) -> None:
    document = kb_export()
    incident = next(item for item in document["incidents"] if item["action_items"])
    incident["action_items"][0]["link"] = "javascript:alert(document.cookie)"
    response = admin_api.post("/api/v1/kb/import/", document, format="json")
    assert response.status_code == 400, response.content
    assert not ActionItem.objects.filter(link__icontains="javascript").exists()


@pytest.mark.parametrize(
    ("model", "field"), [(Source, "url"), (ActionItem, "link")], ids=["source", "action"]
)
def test_the_database_refuses_a_url_that_is_not_http(
    db: None, model: type[models.Model], field: str
) -> None:
    incident = Incident.objects.create(slug="x", title="X")
    values = {"title": "t", field: "javascript:alert(1)"}
    if model is ActionItem:
        values["incident"] = incident
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**values)


@pytest.mark.parametrize("url", HOSTILE)
def test_model_validation_refuses_a_url_that_is_not_http(url: str) -> None:
    with pytest.raises(ValidationError):
        validate_http_url(url)


@pytest.mark.parametrize("url", ["http://example.com/a", "https://EXAMPLE.com/a?b=c#d", ""])
def test_model_validation_accepts_http_urls(url: str) -> None:
    validate_http_url(url)


def test_action_item_form_refuses_a_javascript_link(demo: dict[str, int], editor_client) -> None:
    incident = Incident.objects.get(slug="aws-us-east-1-dynamodb-dns-2025-10-20")
    response = editor_client.post(
        f"/incidents/{incident.slug}/actions/new/",
        {"title": "Fix", "priority": "p2", "status": "open", "link": "javascript:alert(1)"},
    )
    assert response.status_code == 400
    assert not ActionItem.objects.filter(title="Fix").exists()


@pytest.mark.parametrize("url", HOSTILE)
def test_templates_never_link_a_url_that_is_not_http(url: str) -> None:
    assert http_url(url) == ""


@pytest.mark.parametrize("url", ["https://aws.amazon.com/message/101925/", "/incidents/x/"])
def test_templates_link_http_urls_and_paths_of_the_site(url: str) -> None:
    assert http_url(url) == url


def test_every_url_field_is_http_only_in_validation_and_in_the_database() -> None:
    for model in apps.get_models():
        if not model.__module__.startswith(("postmortems.", "timelines.")):
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, models.URLField):
                continue
            where = f"{model.__name__}.{field.name}"
            assert validate_http_url in field.validators, f"{where} lacks validate_http_url"
            checks = [
                constraint
                for constraint in model._meta.constraints
                if isinstance(constraint, models.CheckConstraint)
                and f"'{field.name}__istartswith', 'http://'" in str(constraint.condition)
            ]
            assert checks, f"{where} lacks an http_url_constraint"


# An href whose value is a record's attribute ("source.url", "item.link") is a stored URL.
STORED_HREF = re.compile(r'href="\{\{\s*([^}]*?\.(?:url|link)\b[^}]*?)\s*\}\}')


def test_every_template_links_stored_urls_through_the_http_url_filter() -> None:
    roots = [Path(settings.BASE_DIR)]
    offenders = []
    for root in roots:
        for path in root.glob("**/templates/**/*.html"):
            if ".venv" in path.parts:
                continue
            for expression in STORED_HREF.findall(path.read_text()):
                if not expression.replace(" ", "").endswith("|http_url"):
                    offenders.append(f"{path.relative_to(root)}: {expression}")
    assert not offenders
