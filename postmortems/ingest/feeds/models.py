"""Records of the feed door: feeds, their entries and updates, and cross-provider links.

They belong to the ``postmortems`` app (``postmortems.models`` imports them), so they live
in its migrations; they are kept here so the whole door is one folder.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from postmortems.validators import http_url_constraint, validate_http_url


class FeedKind(models.TextChoices):
    STATUSPAGE = "statuspage", "Statuspage JSON (/api/v2/incidents.json)"
    ATOM = "atom", "Atom"
    RSS = "rss", "RSS"
    GCP = "gcp", "Google Cloud incidents.json"


class FeedState(models.TextChoices):
    NEW = "new", "Not polled yet"
    OK = "ok", "OK"
    FAILING = "failing", "Failing"
    PAUSED = "paused", "Paused"


# What polling writes on a feed (never a person): the admin and the API show them read-only.
FEED_SETTINGS = ("provider", "url", "kind", "poll_interval", "state")
FEED_POLL_STATUS = (
    "last_polled_at",
    "next_poll_at",
    "etag",
    "last_modified",
    "last_error",
    "last_error_at",
    "consecutive_failures",
    "entries_seen",
)


class Feed(models.Model):
    """A provider's status feed, polled every ``poll_interval`` seconds."""

    provider = models.CharField(
        max_length=120, help_text="The company, as named in the service catalogue (e.g. AWS)."
    )
    url = models.URLField(max_length=2000, unique=True, validators=[validate_http_url])
    kind = models.CharField(max_length=16, choices=FeedKind.choices)
    poll_interval = models.PositiveIntegerField(default=300, help_text="Seconds between polls.")
    state = models.CharField(max_length=16, choices=FeedState.choices, default=FeedState.NEW)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    next_poll_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty: due now. Pushed back after errors."
    )
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    entries_seen = models.PositiveIntegerField(
        default=0, help_text="Entries in the last feed read."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["provider", "url"]
        constraints = [
            models.CheckConstraint(
                condition=Q(poll_interval__gte=30), name="feed_poll_interval_min"
            ),
            http_url_constraint("url", name="feed_url_http"),
        ]
        indexes = [
            # The poller picks the feeds that are due.
            models.Index(fields=["state", "next_poll_at"], name="feed_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.url}"


class FeedEntry(models.Model):
    """One provider incident as its feed tells it; ``content_hash`` spots later edits."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="entries")
    entry_id = models.CharField(max_length=500, help_text="The provider's id of the incident.")
    title = models.CharField(max_length=300, blank=True)
    link = models.URLField(max_length=2000, blank=True, validators=[validate_http_url])
    content_hash = models.CharField(max_length=64)
    incident = models.ForeignKey(
        "postmortems.Incident", on_delete=models.CASCADE, related_name="feed_entries"
    )
    created_incident = models.BooleanField(
        default=False, help_text="The feed created the incident (rather than joining one)."
    )
    source = models.ForeignKey(
        "postmortems.Source", on_delete=models.PROTECT, related_name="feed_entries"
    )
    components = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "feed entries"
        ordering = ["-created_at", "-id"]
        constraints = [
            # A redelivered poll finds the entry, never makes a second one.
            models.UniqueConstraint(fields=["feed", "entry_id"], name="feed_entry_unique"),
            http_url_constraint("link", name="feed_entry_link_http"),
        ]

    def __str__(self) -> str:
        return self.title or self.entry_id


class FeedUpdate(models.Model):
    """One status update of an entry and the event it became (updated in place on edits)."""

    entry = models.ForeignKey(FeedEntry, on_delete=models.CASCADE, related_name="updates")
    update_id = models.CharField(max_length=500)
    event = models.OneToOneField(
        "postmortems.Event", on_delete=models.CASCADE, related_name="feed_update"
    )

    class Meta:
        constraints = [
            # Idempotent by entry id + update id: a poll run twice makes one event.
            models.UniqueConstraint(fields=["entry", "update_id"], name="feed_update_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.entry}: {self.update_id}"


class ServiceProposalState(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Added to the catalogue"
    REJECTED = "rejected", "Rejected"


class ServiceProposal(models.Model):
    """A component named by a feed that the catalogue does not know yet."""

    provider = models.CharField(max_length=120)
    name = models.CharField(max_length=120)
    state = models.CharField(
        max_length=16, choices=ServiceProposalState.choices, default=ServiceProposalState.PROPOSED
    )
    feed = models.ForeignKey(
        Feed, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["provider", "name"]
        constraints = [
            models.UniqueConstraint(
                Lower("provider"), Lower("name"), name="service_proposal_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.provider})"


class LinkState(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class IncidentLink(models.Model):
    """A downstream provider's incident that may be part of an upstream provider's cascade.

    Proposed when the catalogue says the downstream provider depends on the upstream one
    and the two incidents overlap in time; a person accepts or rejects it.
    """

    upstream = models.ForeignKey(
        "postmortems.Incident", on_delete=models.CASCADE, related_name="downstream_links"
    )
    downstream = models.ForeignKey(
        "postmortems.Incident", on_delete=models.CASCADE, related_name="upstream_links"
    )
    state = models.CharField(max_length=16, choices=LinkState.choices, default=LinkState.PROPOSED)
    reason = models.TextField(blank=True, help_text="The dependencies and overlap it rests on.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["upstream", "downstream"], name="incident_link_unique"),
            models.CheckConstraint(
                condition=~Q(upstream=F("downstream")), name="incident_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.downstream} → {self.upstream} ({self.state})"
