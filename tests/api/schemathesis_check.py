"""Schemathesis against the live schema, in-process, with a valid token.

Not collected by the normal suite (the name does not start with ``test_``); CI runs it on
its own through ``.ci/schemathesis``, on PostgreSQL, with the demo knowledge base loaded:

    .venv/bin/python -m pytest tests/api/schemathesis_check.py -q -s

Every operation of ``/api/v1/schema/`` gets ``EXAMPLES_PER_OPERATION`` generated requests,
half of them aimed at records that exist (demo slugs and ids), so the checks see real 200s
and not only 404s. Each response must not be a 5xx and must match the schema: status code,
content type, headers and body. The number of cases is printed and must reach
``MINIMUM_CASES``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from postmortems.models import (
    ActionItem,
    Dependency,
    Event,
    Feed,
    Impact,
    Incident,
    IncidentLink,
    Service,
    ServiceProposal,
    Source,
    SourceImport,
)
from tests.conftest import _user_with_role
from timelines import services
from timelines.models import ExportJob

EXAMPLES_PER_OPERATION = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "14"))
MINIMUM_CASES = 500
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _real_path_parameters(path: str) -> dict[str, list[Any]]:
    """Return values that exist for each path parameter of this path."""
    ids = {
        "/api/v1/events/": Event,
        "/api/v1/services/": Service,
        "/api/v1/dependencies/": Dependency,
        "/api/v1/impacts/": Impact,
        "/api/v1/sources/": Source,
        "/api/v1/action-items/": ActionItem,
        "/api/v1/imports/": SourceImport,
        "/api/v1/feeds/": Feed,
        "/api/v1/incident-links/": IncidentLink,
        "/api/v1/service-proposals/": ServiceProposal,
        "/api/v1/exports/": ExportJob,
    }
    values: dict[str, list[Any]] = {}
    if "{slug}" in path:
        values["slug"] = list(Incident.objects.values_list("slug", flat=True)) or ["none"]
    if "{id}" in path:
        model = next((m for prefix, m in ids.items() if path.startswith(prefix)), None)
        values["id"] = list(model.objects.values_list("pk", flat=True)[:5]) if model else []
    if "{version}" in path:
        values["version"] = [1, 2]
    return {name: found for name, found in values.items() if found}


@pytest.fixture
def _keep_the_test_connection() -> Iterator[None]:
    # Django's test client does this too: the WSGI call would otherwise close the
    # connection at the end of each request, and with it the test's transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(
    demo: dict[str, int], settings: Any, _keep_the_test_connection: None
) -> tuple[Any, str]:
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # 4xx by the hundred
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"},
    }
    admin = _user_with_role("schemathesis", "admin")
    token = Token.objects.create(user=admin).key
    # A finished and an unfinished export job of the caller's, so the job endpoints answer
    # 200 and 409 as well as 404.
    incident = Incident.objects.order_by("pk").first()
    for finished in (True, False):
        job = services.export_job_create(incident=incident, fmt="html", requested_by=admin)
        if finished:
            services.export_job_claim(job_id=job.pk)
            services.export_job_finish(
                job_id=job.pk,
                content=b"<!doctype html><title>Export</title>",
                content_type="text/html; charset=utf-8",
                filename=f"{incident.slug}-postmortem.html",
            )
    headers = {"Authorization": f"Token {token}"}
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json", get_wsgi_application(), headers=headers
    )
    return schema, token


def _fuzz(
    strategy: Any, label: str, headers: dict[str, str], counts: dict, failures: list[str]
) -> None:
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        counts[label] = counts.get(label, 0) + 1
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except BaseException as error:  # collect them all, then fail once with the list
            if isinstance(error, KeyboardInterrupt):
                raise
            failures.append(f"{label}: {str(error)[:1500]}")

    run()


def test_the_api_keeps_its_schema_under_generated_requests(api_schema: tuple[Any, str]) -> None:
    schema, token = api_schema
    headers = {"Authorization": f"Token {token}"}
    counts: dict[str, int] = {}
    failures: list[str] = []

    for result in schema.get_all_operations():
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"
        strategies = [operation.as_strategy()]
        real = _real_path_parameters(operation.path)
        if real and operation.method.lower() != "delete":
            strategies.append(
                st.fixed_dictionaries(
                    {name: st.sampled_from(v) for name, v in real.items()}
                ).flatmap(lambda params, op=operation: op.as_strategy(path_parameters=params))
            )

        _fuzz(st.one_of(strategies), label, headers, counts, failures)

    total = sum(counts.values())
    print(f"\nschemathesis: {total} generated cases over {len(counts)} operations")
    print(f"schemathesis: {len(failures)} failing cases")
    assert not failures, "\n\n".join(failures[:15])
    assert total >= MINIMUM_CASES, f"only {total} cases"
