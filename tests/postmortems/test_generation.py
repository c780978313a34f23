"""One generation for every derived answer: a committed write by any path makes both the
stored dashboard figures and the cached timeline answers stale (``postmortems.generation``).

``transactional_db``: the generation moves on when a transaction commits, and the ``db``
fixture's transaction never does.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import caches
from django.db import transaction
from django.test import Client
from rest_framework.test import APIClient

from postmortems.dashboard import Dashboard
from postmortems.models import DashboardSnapshot, Generation, Impact, Incident, Severity
from tests.factories import ImpactFactory, IncidentFactory, ServiceFactory
from timelines.api.views import ANSWER_FORMAT

URL = "/api/v1/incidents/both/timeline/"


@pytest.fixture
def incident(transactional_db: None) -> Incident:
    incident = IncidentFactory(slug="both", title="Before", severity=Severity.SEV2)
    ImpactFactory(incident=incident, service=ServiceFactory(name="db"))
    return incident


def _raise_severity_in_one_update(incident: Incident) -> None:
    # A queryset UPDATE: no model saved, no signal sent, no service named.
    with transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(title="After", severity=Severity.SEV1)


def _impact_a_service_in_bulk(incident: Incident) -> None:
    # bulk_create: no save() per row; in autocommit, committed by its own statement.
    service = ServiceFactory(name="After")
    Impact.objects.bulk_create(
        [Impact(incident=incident, service=service, started_at=incident.started_at)]
    )


def _severities(figures: Dashboard) -> object:
    return figures.months[0].by_severity


def _top_services(figures: Dashboard) -> object:
    return [row.name for row in figures.top_services]


@pytest.mark.parametrize(
    ("write", "figure", "expected"),
    [
        (_raise_severity_in_one_update, _severities, {Severity.SEV1: 1}),
        (_impact_a_service_in_bulk, _top_services, ["After", "db"]),
    ],
)
def test_one_write_by_an_unusual_path_makes_the_dashboard_and_the_timeline_stale(
    viewer_client: Client,
    editor_api: APIClient,
    incident: Incident,
    write: Callable[[Incident], None],
    figure: Callable[[Dashboard], object],
    expected: object,
) -> None:
    assert figure(viewer_client.get("/dashboard/").context["dashboard"]) != expected
    assert b"After" not in editor_api.get(URL).content
    stamp = Generation.objects.get().value
    assert DashboardSnapshot.objects.get().generation == stamp
    assert caches["timelines"].get(f"{ANSWER_FORMAT}:both")[0] == stamp

    write(incident)

    assert Generation.objects.get().value > stamp
    assert figure(viewer_client.get("/dashboard/").context["dashboard"]) == expected
    assert b"After" in editor_api.get(URL).content


def test_a_write_to_a_table_neither_reads_moves_nothing(
    viewer_client: Client, incident: Incident
) -> None:
    viewer_client.get("/dashboard/")
    stamp = Generation.objects.get().value
    DashboardSnapshot.objects.update(figures={})  # derived data: not watched
    assert Generation.objects.get().value == stamp


def test_one_raise_per_commit_for_both_caches(incident: Incident) -> None:
    stamp = Generation.objects.get().value
    with transaction.atomic():
        Incident.objects.update(severity=Severity.SEV3)
        ServiceFactory(name="another")
        Impact.objects.filter(incident=incident).update(ended_at=None)
    assert Generation.objects.get().value == stamp + 1


def test_with_a_broker_a_write_by_any_path_queues_the_dashboard_refresh(
    settings, monkeypatch: pytest.MonkeyPatch, incident: Incident
) -> None:
    from postmortems.services import DASHBOARD_REFRESH_DELAY
    from postmortems.tasks import dashboard_refresh_task
    from timelines.tasks import timeline_refresh_task

    settings.CELERY_TASK_ALWAYS_EAGER = False
    sent: list[tuple] = []
    monkeypatch.setattr(
        dashboard_refresh_task, "apply_async", lambda args, **options: sent.append((args, options))
    )
    monkeypatch.setattr(timeline_refresh_task, "apply_async", lambda args, **options: None)
    with transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(severity=Severity.SEV4)
        assert sent == []  # not before the commit
    generation = Generation.objects.get().value
    assert sent == [([generation], {"countdown": DASHBOARD_REFRESH_DELAY, "retry": False})]
