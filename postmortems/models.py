"""The knowledge base: incidents, the services they hit, how services depend on each other,
timeline events with their sources, postmortem documents and action items."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse

from postmortems.validators import (
    http_url_constraint,
    moments_in_order_constraint,
    moments_order_errors,
    validate_http_url,
    validate_plausible_year,
)

PLAUSIBLE = [validate_plausible_year]


class ServiceCategory(models.TextChoices):
    DNS = "dns", "DNS"
    DATABASE = "database", "Database"
    COMPUTE = "compute", "Compute"
    NETWORK = "network", "Network"
    LOAD_BALANCING = "load_balancing", "Load balancing"
    SERVERLESS = "serverless", "Serverless"
    CONTAINERS = "containers", "Containers"
    STORAGE = "storage", "Storage"
    IDENTITY = "identity", "Identity"
    MONITORING = "monitoring", "Monitoring"
    AUTOMATION = "automation", "Automation"
    SUPPORT = "support", "Support tooling"
    CUSTOMER_APP = "customer_app", "Customer app"
    OTHER = "other", "Other"


class Service(models.Model):
    name = models.CharField(max_length=120)
    provider = models.CharField(
        max_length=120, help_text="A cloud such as AWS, or the company behind a customer app."
    )
    category = models.CharField(
        max_length=32, choices=ServiceCategory.choices, default=ServiceCategory.OTHER
    )
    aliases = models.JSONField(
        default=list,
        blank=True,
        help_text="Other names used in articles, e.g. “Amazon DynamoDB”, “DDB”.",
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["provider", "name"]
        constraints = [
            # Case-insensitive: "DynamoDB" and "dynamodb" at AWS are one service.
            models.UniqueConstraint(
                Lower("provider"), Lower("name"), name="service_unique_per_provider"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.provider})"

    def get_absolute_url(self) -> str:
        """Return the service's page in the catalogue."""
        return reverse("postmortems:service_detail", args=[self.pk])

    def names(self) -> list[str]:
        """Return the name and every alias, the words that identify the service in an article."""
        return [self.name, *self.aliases]


class DependencyKind(models.TextChoices):
    HARD = "hard", "Hard (fails when the upstream fails)"
    SOFT = "soft", "Soft (degrades when the upstream fails)"


class Dependency(models.Model):
    downstream = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="dependencies")
    upstream = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="dependents")
    kind = models.CharField(
        max_length=8, choices=DependencyKind.choices, default=DependencyKind.HARD
    )
    note = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "dependencies"
        ordering = ["downstream__name", "upstream__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["downstream", "upstream"], name="dependency_unique_pair"
            ),
            models.CheckConstraint(
                condition=~Q(downstream=F("upstream")), name="dependency_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.downstream.name} → {self.upstream.name} ({self.kind})"


class Region(models.Model):
    code = models.CharField(max_length=40, unique=True, help_text="e.g. us-east-1")
    name = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Tag(models.Model):
    name = models.SlugField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Severity(models.IntegerChoices):
    SEV1 = 1, "SEV1"
    SEV2 = 2, "SEV2"
    SEV3 = 3, "SEV3"
    SEV4 = 4, "SEV4"
    SEV5 = 5, "SEV5"


class IncidentStatus(models.TextChoices):
    INVESTIGATING = "investigating", "Investigating"
    IDENTIFIED = "identified", "Identified"
    MONITORING = "monitoring", "Monitoring"
    RESOLVED = "resolved", "Resolved"


class RootCauseCategory(models.TextChoices):
    DNS = "dns", "DNS"
    CONFIGURATION_CHANGE = "configuration_change", "Configuration change"
    CAPACITY = "capacity", "Capacity"
    SOFTWARE_DEFECT = "software_defect", "Software defect"
    NETWORK = "network", "Network"
    HARDWARE = "hardware", "Hardware"
    UPSTREAM_DEPENDENCY = "upstream_dependency", "Upstream dependency"
    SECURITY = "security", "Security"
    UNKNOWN = "unknown", "Unknown"


# Milestones of an incident that cannot come before another one. Detection is in no
# order: an alarm on a precursor may fire before the impact starts, and an outage may be
# found only after it is over; the dashboard leaves such times out of its medians.
INCIDENT_TIME_ORDER = (
    ("mitigated_at", "started_at", "Mitigation cannot come before the start."),
    ("resolved_at", "started_at", "Resolution cannot come before the start."),
    ("resolved_at", "mitigated_at", "Resolution cannot come before mitigation."),
)


class IncidentOrigin(models.TextChoices):
    MANUAL = "manual", "Written by hand"
    IMPORT = "import", "From an article import"
    FEED = "feed", "From a status feed"


class IncidentQuerySet(models.QuerySet):
    """Incidents, with the one rule for which of them the knowledge base shows."""

    def confirmed(self) -> IncidentQuerySet:
        """Return incidents an editor has confirmed: every list, figure and search uses these."""
        return self.filter(is_draft=False)

    def drafts(self) -> IncidentQuerySet:
        """Return incidents created by an import or a feed that wait for an editor's confirmation."""
        return self.filter(is_draft=True)


class Incident(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    provider = models.CharField(max_length=120, blank=True)
    regions = models.ManyToManyField(Region, blank=True, related_name="incidents")
    severity = models.PositiveSmallIntegerField(choices=Severity.choices, default=Severity.SEV3)
    status = models.CharField(
        max_length=16, choices=IncidentStatus.choices, default=IncidentStatus.INVESTIGATING
    )
    # The incident's own milestones are kept in an order that can happen (TIME_ORDER);
    # events from sources that disagree are not forced into order: the reconstruction
    # flags an order that makes no sense instead of refusing the record.
    started_at = models.DateTimeField(null=True, blank=True, validators=PLAUSIBLE)
    detected_at = models.DateTimeField(null=True, blank=True, validators=PLAUSIBLE)
    mitigated_at = models.DateTimeField(null=True, blank=True, validators=PLAUSIBLE)
    resolved_at = models.DateTimeField(null=True, blank=True, validators=PLAUSIBLE)
    root_cause_category = models.CharField(
        max_length=32, choices=RootCauseCategory.choices, default=RootCauseCategory.UNKNOWN
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="incidents")
    services = models.ManyToManyField(
        Service, through="Impact", related_name="incidents", blank=True
    )
    # A draft (made by an import or a feed) stays out of lists, figures, related incidents
    # and search until an editor confirms it; see IncidentQuerySet.confirmed().
    is_draft = models.BooleanField(default=False)
    origin = models.CharField(
        max_length=8, choices=IncidentOrigin.choices, default=IncidentOrigin.MANUAL
    )
    # Optimistic concurrency, as the postmortem has: every save claims the next version,
    # and a save based on an older one is refused (services.StaleRecord).
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__gte=1, severity__lte=5), name="incident_severity_range"
            ),
            *(
                moments_in_order_constraint(
                    later, earlier, name=f"incident_{later}_not_before_{earlier}", message=message
                )
                for later, earlier, message in INCIDENT_TIME_ORDER
            ),
        ]
        indexes = [
            # The incident list orders and filters by start.
            models.Index(fields=["-started_at", "-id"], name="incident_started_idx"),
            # The dashboard reads only these columns of every incident: an index-only scan
            # instead of reading the table (summaries and all) at 100,000 incidents.
            models.Index(
                fields=[
                    "started_at",
                    "severity",
                    "root_cause_category",
                    "detected_at",
                    "mitigated_at",
                    "resolved_at",
                ],
                name="incident_dashboard_idx",
                # Drafts are not in the figures (IncidentQuerySet.confirmed).
                condition=Q(is_draft=False),
            ),
            # Lists filtered by severity, often with a start: the ids of every SEV1 since
            # 2021 from the index alone, to meet the service and region filters' ids.
            models.Index(
                fields=["severity", "started_at", "id"],
                condition=Q(is_draft=False),
                name="incident_severity_started_idx",
            ),
            # The dashboard's provider choices: one probe per provider (providers()).
            models.Index(
                fields=["provider"], condition=Q(is_draft=False), name="incident_provider_idx"
            ),
            # The "Drafts from imports" list.
            models.Index(
                fields=["-created_at"], condition=Q(is_draft=True), name="incident_draft_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """Return the incident's page."""
        return reverse("postmortems:incident_detail", args=[self.slug])

    def clean(self) -> None:
        if errors := moments_order_errors(self, INCIDENT_TIME_ORDER):
            raise ValidationError(errors)

    def duration(self):
        """Return how long the incident lasted, from start to resolution, if both are known."""
        if self.started_at and self.resolved_at:
            return self.resolved_at - self.started_at
        return None


class ImpactLevel(models.TextChoices):
    OUTAGE = "outage", "Outage"
    DEGRADED = "degraded", "Degraded"


class ImpactRole(models.TextChoices):
    ORIGIN = "origin", "Origin"
    CASCADED = "cascaded", "Cascaded"
    CUSTOMER_FACING = "customer_facing", "Customer-facing"


IMPACT_ORDER = (("ended_at", "started_at", "The impact cannot end before it starts."),)


class Impact(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="impacts")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="impacts")
    level = models.CharField(max_length=16, choices=ImpactLevel.choices, default=ImpactLevel.OUTAGE)
    role = models.CharField(max_length=16, choices=ImpactRole.choices, default=ImpactRole.CASCADED)
    started_at = models.DateTimeField(validators=PLAUSIBLE)
    ended_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty while the impact lasts.", validators=PLAUSIBLE
    )
    note = models.TextField(blank=True)
    # An editor compared this record with the events' window for the service and kept
    # the record. Both ends are kept, so new events that move the window warn again.
    kept_over_events_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    kept_over_events_ended_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "service", "started_at"], name="impact_unique_start_per_service"
            ),
            moments_in_order_constraint(
                "ended_at", "started_at", name="impact_ends_after_start", message=IMPACT_ORDER[0][2]
            ),
        ]
        indexes = [
            # The dashboard's most-hit services count distinct incidents per service: an
            # index-only scan in service order (0.8 s -> 0.18 s over 250,000 impacts).
            models.Index(fields=["service", "incident"], name="impact_service_incident_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.service.name}: {self.level}"

    def clean(self) -> None:
        if errors := moments_order_errors(self, IMPACT_ORDER):
            raise ValidationError(errors)


class Precision(models.TextChoices):
    SECOND = "second", "Second"
    MINUTE = "minute", "Minute"
    HOUR = "hour", "Hour"
    DAY = "day", "Day"
    APPROXIMATE = "approximate", "Approximate"


class EventKind(models.TextChoices):
    TRIGGER = "trigger", "Trigger"
    DETECTION = "detection", "Detection"
    IMPACT = "impact", "Impact"
    ESCALATION = "escalation", "Escalation"
    MITIGATION = "mitigation", "Mitigation"
    RECOVERY = "recovery", "Recovery"
    COMMUNICATION = "communication", "Communication"
    NOTE = "note", "Note"


class ReviewState(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class SourceStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    FETCHING = "fetching", "Fetching"
    EXTRACTING = "extracting", "Extracting"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class LinkStatus(models.TextChoices):
    UNCHECKED = "unchecked", "Not checked yet"
    ALIVE = "alive", "Alive"
    DEAD = "dead", "Dead"


class Source(models.Model):
    """An article or status page. Its text is kept so the knowledge base survives link rot."""

    url = models.URLField(max_length=2000, blank=True, validators=[validate_http_url])
    title = models.CharField(max_length=300, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=8, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    retrieved_at = models.DateTimeField(null=True, blank=True)
    raw_content = models.TextField(blank=True)
    text = models.TextField(blank=True, help_text="The main text, extracted from the raw content.")
    content_hash = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the extracted text."
    )
    status = models.CharField(
        max_length=16, choices=SourceStatus.choices, default=SourceStatus.DONE
    )
    error = models.TextField(blank=True)
    incidents = models.ManyToManyField(Incident, blank=True, related_name="sources")
    # Links rot; the text above is what the knowledge base keeps. These say whether the
    # original is still there, from the periodic link check.
    link_status = models.CharField(
        max_length=12, choices=LinkStatus.choices, default=LinkStatus.UNCHECKED
    )
    link_checked_at = models.DateTimeField(null=True, blank=True)
    link_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One URL, or one text, is one source however often it is submitted.
            models.UniqueConstraint(fields=["url"], condition=~Q(url=""), name="source_unique_url"),
            models.UniqueConstraint(
                fields=["content_hash"], condition=~Q(content_hash=""), name="source_unique_content"
            ),
            http_url_constraint("url", name="source_url_http"),
        ]

    def __str__(self) -> str:
        return self.title or self.url or f"Source {self.pk}"

    def get_absolute_url(self) -> str:
        """Return the source's page, where its kept text is always readable."""
        return reverse("postmortems:source_detail", args=[self.pk])


class Event(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    occurred_at = models.DateTimeField(help_text="In UTC.", validators=PLAUSIBLE)
    precision = models.CharField(max_length=16, choices=Precision.choices, default=Precision.MINUTE)
    source_timezone = models.CharField(
        max_length=64,
        default="UTC",
        help_text="The time zone the source stated the time in (IANA name).",
    )
    kind = models.CharField(max_length=16, choices=EventKind.choices, default=EventKind.NOTE)
    services = models.ManyToManyField(Service, blank=True, related_name="events")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    quote = models.TextField(
        blank=True, help_text="The sentence of the source this event came from."
    )
    quote_start = models.PositiveIntegerField(null=True, blank=True)
    quote_end = models.PositiveIntegerField(null=True, blank=True)
    review_state = models.CharField(
        max_length=16, choices=ReviewState.choices, default=ReviewState.PROPOSED
    )
    review_note = models.TextField(blank=True)
    # What the extractor said about a proposal beyond its fields, for the review page:
    # {"new_services": [{"name", "provider"}], "date_evidence": str, "zone_evidence": str}.
    proposal_details = models.JSONField(default=dict, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)  # as Incident.version
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quote_start__isnull=True)
                | Q(quote_end__isnull=True)
                | Q(quote_end__gte=F("quote_start")),
                name="event_quote_span_ordered",
            ),
            # An import that runs twice proposes each moment of a source once.
            models.UniqueConstraint(
                fields=["incident", "source", "quote_start", "occurred_at", "kind"],
                condition=Q(source__isnull=False, quote_start__isnull=False),
                name="event_unique_per_source_moment",
            ),
        ]
        indexes = [
            # The timeline reads an incident's events in time order, filtered by review state.
            models.Index(
                fields=["incident", "review_state", "occurred_at"], name="event_timeline_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.title}"


class Citation(models.Model):
    """A further source for an event: the same moment told by another article.

    The event's own ``source`` and ``quote`` stay its primary citation; these are the
    others, added when a reviewer merges a proposal into an event already on the timeline.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="citations")
    quote = models.TextField(blank=True)
    quote_start = models.PositiveIntegerField(null=True, blank=True)
    quote_end = models.PositiveIntegerField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # Merging the same proposal twice cites its source once.
            models.UniqueConstraint(fields=["event", "source"], name="citation_unique_per_event"),
        ]

    def __str__(self) -> str:
        return f"{self.source} for event {self.event_id}"


class ImportKind(models.TextChoices):
    URL = "url", "URL"
    UPLOAD = "upload", "Uploaded file"
    TEXT = "text", "Pasted text"


class SourceImport(models.Model):
    """One submission of an article to import: a URL, an uploaded file or pasted text.

    Its ``dedupe_key`` makes the same URL or the same content, submitted for the same
    incident, one import however often (and however simultaneously) it is sent.
    """

    kind = models.CharField(max_length=8, choices=ImportKind.choices)
    url = models.URLField(max_length=2000, blank=True, validators=[validate_http_url])
    filename = models.CharField(max_length=255, blank=True)
    payload = models.TextField(
        blank=True, help_text="The uploaded or pasted content, as submitted."
    )
    dedupe_key = models.CharField(max_length=64, unique=True)
    # The URL or the content alone, whatever the incident: the same article submitted
    # again lands on its first import instead of proposing everything a second time.
    content_key = models.CharField(max_length=64, blank=True, db_index=True)
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.CASCADE, related_name="imports"
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="imports"
    )
    language_hint = models.CharField(max_length=8, blank=True)
    timezone_hint = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        max_length=16, choices=SourceStatus.choices, default=SourceStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    error = models.TextField(blank=True)
    warnings = models.JSONField(default=list, blank=True)
    events_proposed = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    dispatched_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was last handed to the broker."
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="import_progress_percent"),
            http_url_constraint("url", name="import_url_http"),
        ]
        indexes = [
            # The sweep finds imports still queued or stuck mid-way.
            models.Index(fields=["status", "dispatched_at"], name="import_sweep_idx"),
        ]

    def __str__(self) -> str:
        return self.url or self.filename or f"Import {self.pk}"


class PostmortemStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"


class Postmortem(models.Model):
    incident = models.OneToOneField(Incident, on_delete=models.CASCADE, related_name="postmortem")
    body = models.TextField(blank=True, help_text="Markdown.")
    status = models.CharField(
        max_length=16, choices=PostmortemStatus.choices, default=PostmortemStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    published_body = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Who asked for the review: they may not approve (or publish unapproved) their own text.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="postmortem_version_positive"),
        ]

    def __str__(self) -> str:
        return f"Postmortem: {self.incident.title}"


class PostmortemRevision(models.Model):
    postmortem = models.ForeignKey(Postmortem, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    body = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["postmortem", "version"], name="revision_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.postmortem} v{self.version}"


class PostmortemDraft(models.Model):
    """What one author typed but has not saved yet, kept as they type.

    Kept apart from the postmortem itself, so an autosave never overwrites anybody's
    saved work: it becomes a revision only when its author saves.
    """

    postmortem = models.ForeignKey(Postmortem, on_delete=models.CASCADE, related_name="drafts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(blank=True)
    base_version = models.PositiveIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["postmortem", "author"], name="draft_one_per_author"),
        ]

    def __str__(self) -> str:
        return f"Draft of {self.postmortem} by {self.author}"


class PostmortemApproval(models.Model):
    """An editor's approval of one version, or an admin's recorded override of the rule.

    An approval is for the version it names: text saved after it needs approving again.
    """

    postmortem = models.ForeignKey(Postmortem, on_delete=models.CASCADE, related_name="approvals")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField()
    override = models.BooleanField(
        default=False, help_text="An admin published without another editor's approval."
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["postmortem", "reviewer", "version", "override"],
                name="approval_once_per_version",
            ),
        ]

    def __str__(self) -> str:
        what = "Override" if self.override else "Approval"
        return f"{what} of {self.postmortem} v{self.version} by {self.reviewer}"


class PostmortemComment(models.Model):
    """A reviewer's remark on one section of a postmortem, or a reply in its thread.

    ``section`` is the heading the thread is anchored to. Only a thread's first comment
    is resolved; its replies go with it.
    """

    postmortem = models.ForeignKey(Postmortem, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    section = models.CharField(max_length=300)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The review page and the publish check read a postmortem's open threads.
            models.Index(fields=["postmortem", "resolved_at"], name="comment_open_idx"),
        ]

    def __str__(self) -> str:
        return f"Comment on {self.section} by {self.author}"


class ActionItemStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    WONT_DO = "wont_do", "Won't do"


class Priority(models.TextChoices):
    P1 = "p1", "P1"
    P2 = "p2", "P2"
    P3 = "p3", "P3"
    P4 = "p4", "P4"


class ActionItem(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="action_items")
    title = models.CharField(max_length=300)
    # The owner is a user who gets the e-mails; the free text names someone outside Cascade.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    owner = models.CharField(
        max_length=120, blank=True, help_text="Someone without a Cascade account."
    )
    due_date = models.DateField(null=True, blank=True, validators=PLAUSIBLE)
    status = models.CharField(
        max_length=16, choices=ActionItemStatus.choices, default=ActionItemStatus.OPEN
    )
    priority = models.CharField(max_length=4, choices=Priority.choices, default=Priority.P2)
    link = models.URLField(max_length=2000, blank=True, validators=[validate_http_url])
    public = models.BooleanField(
        default=False, help_text="Shown to stakeholders through share links."
    )
    # Set when the owner was told the item is overdue; a new due date clears it.
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)  # as Incident.version
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["status", "due_date", "id"]
        constraints = [http_url_constraint("link", name="actionitem_link_http")]
        indexes = [
            # The open and overdue overview filters by status and sorts by due date.
            models.Index(fields=["status", "due_date"], name="actionitem_open_due_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def owner_name(self) -> str:
        """Return who owns the item: the user's name, else the free-text owner."""
        if self.assignee_id is not None and self.assignee is not None:
            return self.assignee.get_full_name() or self.assignee.get_username()
        return self.owner


class IdempotencyKey(models.Model):
    """A POST sent with an ``Idempotency-Key`` header, and the answer it got.

    A retry with the same key and the same request gets the stored answer instead of a
    second record. The unique constraint is what makes two simultaneous retries one
    creation: the second insert waits for the first transaction and then fails.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=2000)
    request_hash = models.CharField(max_length=64, help_text="SHA-256 of the request body.")
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user"),
        ]
        indexes = [
            # Expiring old keys reads them by age.
            models.Index(fields=["created_at"], name="idempotency_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"


# The feed door's records live in their own folder; importing them here registers them.
from postmortems.ingest.feeds.models import (  # noqa: E402, F401
    Feed,
    FeedEntry,
    FeedKind,
    FeedState,
    FeedUpdate,
    IncidentLink,
    LinkState,
    ServiceProposal,
    ServiceProposalState,
)


class ApiToken(models.Model):
    """A personal API token: named by its owner, shown once, stored only as a digest.

    The secret is 32 random bytes, so a fast SHA-256 digest is as safe as a slow hash
    and a lookup costs one indexed query. ``prefix`` is the public start of the token,
    enough to recognise it in a list or a leaked log.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token.")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Names tell a user's live tokens apart.
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=Q(revoked_at__isnull=True),
                name="apitoken_live_name_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_active(self, now: datetime) -> bool:
        """Return True when the token may authenticate at ``now``."""
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class Generation(models.Model):
    """One row counting the committed writes that can change a timeline or the dashboard.

    Timeline answers and dashboard snapshots are good while they carry the current count.
    A write to a table either is built from raises it once its transaction has committed
    (``postmortems.generation``), never inside it: a counter row updated inside every write
    would queue all writers behind one lock (and deadlock two that also lock each other's
    incidents).
    """

    value = models.BigIntegerField(default=1)

    def __str__(self) -> str:
        return f"generation {self.value}"


class DashboardSnapshot(models.Model):
    """The dashboard's figures for one choice of filters, as computed at a generation.

    Derived data, not knowledge: any row may be deleted at any time, and the dashboard
    recomputes it (100,000 incidents take about a second; a snapshot, one small query).
    """

    key = models.CharField(max_length=200, unique=True)  # the filters, dashboard.snapshot_key
    generation = models.BigIntegerField()
    figures = models.JSONField()  # dashboard.dashboard_to_json
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.key} @ {self.generation}"
