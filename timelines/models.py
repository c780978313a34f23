"""Share links: read-only windows onto one incident for people without an account."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse

from postmortems.models import Incident


class ShareScope(models.TextChoices):
    TIMELINE = "timeline", "Timeline only"
    POSTMORTEM = "postmortem", "Timeline and the published postmortem"


class ShareLink(models.Model):
    """A link an editor hands to stakeholders.

    Only the SHA-256 of the token is kept: a copy of the database (a backup, a replica, a
    leaked dump) must not open anybody's links. The plain token is shown once, at creation.
    """

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(
        max_length=64, unique=True, editable=False, help_text="SHA-256 hex of the token."
    )
    scope = models.CharField(max_length=16, choices=ShareScope.choices, default=ShareScope.TIMELINE)
    label = models.CharField(
        max_length=80, blank=True, help_text="Who the link is for, e.g. “customers”, “board”."
    )
    allow_embed = models.BooleanField(
        default=False, help_text="Other sites may show the timeline in an iframe."
    )
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty: the link lives until revoked."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    view_count = models.PositiveIntegerField(default=0)
    last_viewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The share page lists one incident's links, newest first.
            models.Index(fields=["incident", "-created_at"], name="sharelink_incident_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.label or 'Share link'} · {self.incident}"

    def get_absolute_url(self) -> str:
        """Return the incident's share page, where this link is listed."""
        return reverse("timelines:share_links", args=[self.incident.slug])

    def is_expired(self, now: datetime) -> bool:
        """Return True from the expiry second on."""
        return self.expires_at is not None and now >= self.expires_at

    def is_active(self, now: datetime) -> bool:
        """Return True while the link is neither revoked nor expired at ``now``."""
        return self.revoked_at is None and not self.is_expired(now)

    def includes_postmortem(self) -> bool:
        """Return True when stakeholders also see the published postmortem."""
        return self.scope == ShareScope.POSTMORTEM


class ExportJobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ExportJob(models.Model):
    """A document export built by a worker: the PDF or HTML file of a large incident.

    The request that asks for it answers at once with a page (or, in the API, a resource)
    that follows the job's progress. The file is kept for ``EXPORT_JOB_RETENTION`` after
    the job finished, then the sweep deletes the job (``services.export_jobs_expire``).

    A job asked for through a share link is that link's: its file is the stakeholder
    account the link grants, and only the link opens it (a revoked link deletes its jobs).
    Any other job is its requester's, and holds the internal account.
    """

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="export_jobs")
    fmt = models.CharField(max_length=8, help_text="A key of timelines.exports.FORMATS.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    share_link = models.ForeignKey(
        ShareLink,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="export_jobs",
        help_text="Set when a stakeholder asked through this link.",
    )
    status = models.CharField(
        max_length=8, choices=ExportJobStatus.choices, default=ExportJobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    stage = models.CharField(max_length=80, blank=True, help_text="What the worker is doing.")
    error = models.TextField(blank=True)
    content = models.BinaryField(null=True, blank=True, editable=False)
    content_type = models.CharField(max_length=80, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweep finds finished jobs past retention and jobs stuck unfinished.
            models.Index(fields=["status", "finished_at"], name="exportjob_sweep_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.fmt} export of {self.incident} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        """Return the page that follows this job and offers its file."""
        return reverse("timelines:export_job", args=[self.pk])

    def is_finished(self) -> bool:
        """Return True once the job is done or has failed."""
        return self.status in {ExportJobStatus.DONE, ExportJobStatus.FAILED}
