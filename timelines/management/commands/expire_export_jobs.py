"""Sweep background exports in this process: what beat's expire-export-jobs does, without Redis."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from timelines.services import export_jobs_expire


class Command(BaseCommand):
    help = (
        "Delete background exports finished longer ago than EXPORT_JOB_RETENTION (their files "
        "with them) and mark those stuck past EXPORT_JOB_TIMEOUT failed. Safe to run any time."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        expired = export_jobs_expire()
        self.stdout.write(f"Deleted {expired.deleted} export job(s); failed {expired.failed}.")
