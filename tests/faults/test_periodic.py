"""The periodic jobs beat runs: each is a registered task that calls its service."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from config.celery import app
from postmortems.maintenance import LinkCheckResult
from postmortems.models import ActionItem, ActionItemStatus
from postmortems.tasks import action_items_overdue_task, source_links_check_task
from tests.factories import IncidentFactory


def test_beat_schedules_the_sweeps_the_link_check_the_overdue_report_key_expiry_and_feed_polls(
    settings,
) -> None:
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled == {
        "postmortems.tasks.import_sweep_task",
        "postmortems.tasks.source_links_check_task",
        "postmortems.tasks.action_items_overdue_task",
        "postmortems.tasks.idempotency_keys_expire_task",
        "postmortems.tasks.feeds_poll_due_task",
        "timelines.tasks.export_jobs_expire_task",
    }
    app.loader.import_default_modules()
    assert scheduled <= set(app.tasks)


def test_link_check_task_runs_the_service(db: None) -> None:
    result = LinkCheckResult(checked=3, alive=2, dead=1, unchanged=0)
    with mock.patch("postmortems.maintenance.source_links_check", return_value=result) as check:
        assert source_links_check_task.apply(kwargs={"limit": 7}).get() == {
            "checked": 3,
            "alive": 2,
            "dead": 1,
        }
    check.assert_called_once_with(limit=7)


def test_overdue_task_counts_open_items_past_due(db: None) -> None:
    incident = IncidentFactory()
    yesterday = timezone.localdate() - timedelta(days=1)
    for status in (ActionItemStatus.OPEN, ActionItemStatus.DONE):
        ActionItem.objects.create(
            incident=incident, title=f"Fix {status}", owner="sre", due_date=yesterday, status=status
        )
    assert action_items_overdue_task.apply().get() == 1


@pytest.mark.parametrize("task", [source_links_check_task, action_items_overdue_task])
def test_periodic_tasks_are_acknowledged_late(task) -> None:
    assert task.acks_late is True
