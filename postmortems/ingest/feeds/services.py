"""Writes of the feed door: feeds, their entries as incidents and events, links, proposals.

Every write here is keyword-only and atomic. An entry is ingested in one transaction of its
own, locked by its ``(feed, entry_id)`` row, and each update is one event found again by
``(entry, update_id)``: a poll that runs twice, or a worker killed half-way through, leaves
the same rows as one clean run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from postmortems.ingest.extraction import extract_timeline
from postmortems.ingest.feeds.models import (
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
from postmortems.ingest.feeds.parsing import ProviderIncident, StatusUpdate
from postmortems.models import (
    Dependency,
    Event,
    EventKind,
    Impact,
    ImpactLevel,
    ImpactRole,
    Incident,
    IncidentOrigin,
    IncidentStatus,
    ReviewState,
    Service,
    ServiceCategory,
    Source,
    SourceStatus,
)
from postmortems.services import record_validate, validated_save
from postmortems.validators import is_http_url

# A provider's words for the state of an incident, as the moments of our timelines.
STATE_KINDS = {
    "investigating": EventKind.DETECTION,
    "identified": EventKind.ESCALATION,
    "monitoring": EventKind.MITIGATION,
    "resolved": EventKind.RECOVERY,
}
MIN_POLL_INTERVAL = 30
BACKOFF_CAP = timedelta(hours=6)
# Two incidents "overlap" if their spans meet within this: providers post a few minutes apart.
OVERLAP_SLACK = timedelta(minutes=15)
JOIN_LOOKBACK = timedelta(days=7)


# How long before its post an update's text may date the moment it reports.
TOLD_WITHIN = timedelta(days=1)


def event_kind_for(state: str) -> str:
    """Return the event kind of a provider's update state; an update without one is communication."""
    return STATE_KINDS.get(state, EventKind.COMMUNICATION)


def told_moments(record: ProviderIncident) -> ProviderIncident:
    """Return ``record`` with the moment each update's own words give for its state.

    A "resolved" update posted at 3:53 PM that says "By 3:01 PM every service was back"
    reports a recovery at 3:01 PM: the text wins over the post time, and the event says
    where its time came from. An update whose text gives no earlier time of its own kind
    keeps its post time.
    """
    return replace(record, updates=tuple(_told(update) for update in record.updates))


def _told(update: StatusUpdate) -> StatusUpdate:
    kind = STATE_KINDS.get(update.state)
    if kind is None or not any(character.isdigit() for character in update.text):
        return update
    extraction = extract_timeline(update.text, reference_date=update.at.date())
    earlier = [
        event
        for event in extraction.events
        if event.kind == kind
        and not event.date_only
        and update.at - TOLD_WITHIN <= event.at <= update.at - timedelta(minutes=1)
    ]
    if not earlier:
        return update
    told = max(earlier, key=lambda event: event.at)
    return replace(update, told_at=told.at, told=told.quote)


def poll_backoff(*, interval: int, failures: int) -> timedelta:
    """Return how long to wait after ``failures`` failed polls in a row: doubling, capped."""
    return min(timedelta(seconds=interval * 2 ** max(failures - 1, 0)), BACKOFF_CAP)


# --- feeds ----------------------------------------------------------------------------


def _validate_feed(*, url: str, provider: str, kind: str, poll_interval: int) -> None:
    errors: dict[str, str] = {}
    if not is_http_url(url):
        errors["url"] = "A feed URL must start with http:// or https://."
    if not provider.strip():
        errors["provider"] = "Name the provider, as the service catalogue names it."
    if kind not in FeedKind.values:
        errors["kind"] = f"The kind must be one of {', '.join(FeedKind.values)}."
    if poll_interval < MIN_POLL_INTERVAL:
        errors["poll_interval"] = f"Poll at most every {MIN_POLL_INTERVAL} seconds."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def feed_create(*, url: str, provider: str, kind: str, poll_interval: int = 300) -> Feed:
    """Add a feed to poll; the same URL twice is refused with a clear message."""
    url, provider = url.strip(), provider.strip()
    _validate_feed(url=url, provider=provider, kind=kind, poll_interval=poll_interval)
    if Feed.objects.filter(url=url).exists():
        raise ValidationError({"url": f"{url} is already a feed."})
    return Feed.objects.create(url=url, provider=provider, kind=kind, poll_interval=poll_interval)


@transaction.atomic
def feed_update(*, feed: Feed, data: dict[str, Any]) -> Feed:
    """Change a feed's provider, URL, kind, interval or pause it (state "paused"/"ok")."""
    merged = {
        "url": str(data.get("url", feed.url)).strip(),
        "provider": str(data.get("provider", feed.provider)).strip(),
        "kind": data.get("kind", feed.kind),
        "poll_interval": int(data.get("poll_interval", feed.poll_interval)),
    }
    _validate_feed(**merged)
    if Feed.objects.filter(url=merged["url"]).exclude(pk=feed.pk).exists():
        raise ValidationError({"url": f"{merged['url']} is already a feed."})
    if merged["url"] != feed.url or merged["kind"] != feed.kind:
        # Validators belong to the old document.
        feed.etag, feed.last_modified = "", ""
    for name, value in merged.items():
        setattr(feed, name, value)
    if "state" in data:
        paused = data["state"] == FeedState.PAUSED
        feed.state = FeedState.PAUSED if paused else FeedState.NEW
        if not paused:
            feed.next_poll_at = None
    feed.save()
    return feed


@transaction.atomic
def feed_delete(*, feed: Feed) -> None:
    """Stop watching a feed; what it brought in stays in the knowledge base."""
    feed.delete()


@transaction.atomic
def feeds_claim_due(*, now: datetime, limit: int = 100) -> list[int]:
    """Return the ids of feeds due for a poll, each pushed back by its interval so a second
    dispatcher does not pick it up again before this poll is over."""
    due = list(
        Feed.objects.select_for_update(skip_locked=True)
        .exclude(state=FeedState.PAUSED)
        .filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
        .order_by("next_poll_at", "id")
        .values_list("id", "poll_interval")[:limit]
    )
    for feed_id, interval in due:
        Feed.objects.filter(pk=feed_id).update(next_poll_at=now + timedelta(seconds=interval))
    return [feed_id for feed_id, _ in due]


@transaction.atomic
def feed_poll_failed(*, feed_id: int, error: str, now: datetime) -> Feed:
    """Record why a poll failed and push the next one back (doubling per failure in a row)."""
    feed = Feed.objects.select_for_update().get(pk=feed_id)
    feed.consecutive_failures += 1
    feed.state = FeedState.FAILING
    feed.last_error = error
    feed.last_error_at = now
    feed.last_polled_at = now
    feed.next_poll_at = now + poll_backoff(
        interval=feed.poll_interval, failures=feed.consecutive_failures
    )
    feed.save()
    return feed


@transaction.atomic
def feed_poll_succeeded(
    *,
    feed_id: int,
    now: datetime,
    etag: str | None = None,
    last_modified: str | None = None,
    entries_seen: int | None = None,
    warning: str = "",
) -> Feed:
    """Record a good poll: validators for the next conditional GET, the next poll time."""
    feed = Feed.objects.select_for_update().get(pk=feed_id)
    if etag is not None:
        feed.etag = etag
    if last_modified is not None:
        feed.last_modified = last_modified
    if entries_seen is not None:
        feed.entries_seen = entries_seen
    if feed.state != FeedState.PAUSED:
        feed.state = FeedState.OK
    feed.consecutive_failures = 0
    # Entries a feed could not read are worth a look, but the poll itself worked.
    feed.last_error = warning
    feed.last_error_at = now if warning else feed.last_error_at
    feed.last_polled_at = now
    feed.next_poll_at = now + timedelta(seconds=feed.poll_interval)
    feed.save()
    return feed


# --- entries --------------------------------------------------------------------------


@dataclass
class Catalogue:
    """The services of one provider, by every name and alias, read once per poll."""

    provider: str
    by_name: dict[str, Service] = field(default_factory=dict)
    whole_app: Service | None = None
    proposed: set[str] = field(default_factory=set)  # unknown names already proposed

    @classmethod
    def for_provider(cls, provider: str) -> Catalogue:
        """Return the catalogue of ``provider`` (case-insensitive)."""
        services = list(Service.objects.filter(provider__iexact=provider).order_by("id"))
        catalogue = cls(provider=provider)
        for service in services:
            for name in service.names():
                if isinstance(name, str) and name.strip():
                    catalogue.by_name.setdefault(name.strip().lower(), service)
        apps = [item for item in services if item.category == ServiceCategory.CUSTOMER_APP]
        # A customer app's status page names parts of the app ("Messaging", "Login"); when
        # the catalogue knows the app as one service, its components are that service.
        if len(apps) == 1 and len(services) == 1:
            catalogue.whole_app = apps[0]
        return catalogue

    def match(self, components: Sequence[str]) -> tuple[list[Service], list[str]]:
        """Return the services the components name, and the components it does not know."""
        matched: dict[int, Service] = {}
        unknown: list[str] = []
        for component in components:
            service = self.by_name.get(component.strip().lower())
            if service is None:
                unknown.append(component)
            else:
                matched.setdefault(service.pk, service)
        if not matched and self.whole_app is not None:
            matched[self.whole_app.pk] = self.whole_app
        return list(matched.values()), unknown


@dataclass(frozen=True)
class EntryOutcome:
    entry_id: str
    result: str  # "created" | "updated" | "unchanged"
    incident_id: int
    events_created: int = 0
    events_updated: int = 0


@transaction.atomic
def feed_entry_ingest(
    *, feed: Feed, record: ProviderIncident, catalogue: Catalogue | None = None
) -> EntryOutcome:
    """Make one provider incident knowledge: its incident, its source, one event per update.

    Idempotent: an unchanged entry writes nothing, an edited one updates its events in
    place (found by update id), and two runs at once serialise on the entry's row.
    """
    catalogue = catalogue or Catalogue.for_provider(feed.provider)
    digest = record.content_hash()
    entry = _locked_entry(feed, record.entry_id)
    if entry is None:
        try:
            with transaction.atomic():
                return _entry_create(feed=feed, record=record, digest=digest, catalogue=catalogue)
        except IntegrityError:
            # A simultaneous poll stored this entry first; carry on as an update of theirs.
            entry = _locked_entry(feed, record.entry_id)
            if entry is None:
                raise
    if entry.content_hash == digest:
        return EntryOutcome(record.entry_id, "unchanged", entry.incident_id)
    return _entry_update(entry=entry, record=record, digest=digest, catalogue=catalogue)


def _locked_entry(feed: Feed, entry_id: str) -> FeedEntry | None:
    return (
        FeedEntry.objects.select_for_update(of=("self",))
        .select_related("incident", "source")
        .filter(feed=feed, entry_id=entry_id)
        .first()
    )


def _entry_create(
    *, feed: Feed, record: ProviderIncident, digest: str, catalogue: Catalogue
) -> EntryOutcome:
    record = told_moments(record)
    services, unknown = catalogue.match(record.components)
    _services_propose(feed=feed, names=unknown, catalogue=catalogue)
    incident = _matching_incident(feed=feed, record=record, services=services)
    created_incident = incident is None
    if incident is None:
        # A draft, like an article import's: out of lists and figures until confirmed.
        incident = Incident(
            slug=_incident_slug(feed, record),
            title=f"{feed.provider}: {record.title}"[:200],
            provider=feed.provider,
            summary=_incident_summary(feed),
            is_draft=True,
            origin=IncidentOrigin.FEED,
            **_incident_times(record),
        )
        validated_save(incident)
    text, offsets = source_text(record, provider=feed.provider)
    source = Source(
        url=_source_url(feed, record),
        title=f"{feed.provider} status: {record.title}"[:300],
        publisher=feed.provider,
        language="en",
        published_at=record.started_at,
        retrieved_at=timezone.now(),
        raw_content=text,
        text=text,
        content_hash=_text_hash(text),
        status=SourceStatus.DONE,
    )
    validated_save(source)
    # A new source: its link to the incident is new too (one insert, no read first).
    Source.incidents.through.objects.create(source=source, incident=incident)
    entry = FeedEntry.objects.create(
        feed=feed,
        entry_id=record.entry_id,
        title=record.title[:300],
        link=record.link,
        content_hash=digest,
        incident=incident,
        created_incident=created_incident,
        source=source,
        components=list(record.components),
    )
    _impacts_record(incident=incident, record=record, services=services, own=created_incident)
    # Three inserts for all of an entry's updates, not three per update: a 5,000-entry
    # first poll is bounded by this (bench/feed_ingest_bench.py).
    events = [
        Event(incident=incident, source=source, **_event_fields(feed, update, offsets[key]))
        for update in record.updates
        for key in (update.update_id,)
    ]
    for event in events:
        record_validate(event)
    events = Event.objects.bulk_create(events)
    through = Event.services.through
    through.objects.bulk_create(
        [
            through(event_id=event.pk, service_id=service.pk)
            for event in events
            for service in services
        ]
    )
    FeedUpdate.objects.bulk_create(
        [
            FeedUpdate(entry=entry, update_id=update.update_id, event=event)
            for update, event in zip(record.updates, events, strict=True)
        ]
    )
    incident_links_propose(
        incident=incident,
        service_ids=[service.pk for service in services] if created_incident else None,
    )
    return EntryOutcome(record.entry_id, "created", incident.pk, events_created=len(events))


def _entry_update(
    *, entry: FeedEntry, record: ProviderIncident, digest: str, catalogue: Catalogue
) -> EntryOutcome:
    record = told_moments(record)
    feed = entry.feed
    services, unknown = catalogue.match(record.components)
    _services_propose(feed=feed, names=unknown, catalogue=catalogue)
    incident = entry.incident
    if entry.created_incident:
        for name, value in _incident_times(record).items():
            setattr(incident, name, value)
        incident.title = f"{feed.provider}: {record.title}"[:200]
        validated_save(incident)
    text, offsets = source_text(record, provider=feed.provider)
    source = entry.source
    source.text = source.raw_content = text
    source.content_hash = _text_hash(text)
    source.title = f"{feed.provider} status: {record.title}"[:300]
    source.retrieved_at = timezone.now()
    validated_save(source)
    _impacts_record(incident=incident, record=record, services=services, own=entry.created_incident)
    known = {item.update_id: item.event for item in entry.updates.select_related("event")}
    created = updated = 0
    for update in record.updates:
        fields = _event_fields(feed, update, offsets[update.update_id])
        event = known.get(update.update_id)
        if event is None:
            event = Event(incident=incident, source=source, **fields)
            validated_save(event)
            FeedUpdate.objects.create(entry=entry, update_id=update.update_id, event=event)
            created += 1
        else:
            # What the provider wrote, not where a person's review left the event.
            changed = any(
                getattr(event, name) != value
                for name, value in fields.items()
                if name not in ("review_state", "review_note")
            )
            if not changed:
                continue
            reviewed = event.review_state != ReviewState.PROPOSED
            for name, value in fields.items():
                if name in ("review_state", "review_note"):
                    continue
                setattr(event, name, value)
            if reviewed:
                # The provider rewrote what a person already judged: they judge it again.
                event.review_state = ReviewState.PROPOSED
                event.review_note = (
                    f"The provider edited this update after it was reviewed "
                    f"(seen {timezone.now():%Y-%m-%d %H:%M} UTC); review it again."
                )
            validated_save(event)
            updated += 1
        event.services.set(services)
    entry.content_hash = digest
    entry.title = record.title[:300]
    entry.link = record.link
    entry.components = list(record.components)
    entry.save()
    incident_links_propose(incident=incident)
    return EntryOutcome(
        record.entry_id, "updated", incident.pk, events_created=created, events_updated=updated
    )


def source_text(
    record: ProviderIncident, *, provider: str
) -> tuple[str, dict[str, tuple[int, int]]]:
    """Return the text kept for a provider incident, and where each update's text sits in it.

    The second line names the provider's incident: two incidents told in the same words
    (a recurring maintenance) are two sources, and a text is one source (its hash is unique).
    """
    identity = f"{provider} status feed, incident {record.entry_id}"
    parts = [record.title, identity, ""]
    offsets: dict[str, tuple[int, int]] = {}
    position = len(record.title) + 1 + len(identity) + 2
    for update in record.updates:
        state = update.state.capitalize() or "Update"
        stamp = update.at.strftime(
            "%Y-%m-%d %H:%M:%S UTC" if update.precision == "second" else "%Y-%m-%d %H:%M UTC"
        )
        heading = f"{stamp} · {state}"
        body = update.text or "(no text)"
        start = position + len(heading) + 1
        offsets[update.update_id] = (start, start + len(body))
        parts.extend([heading, body, ""])
        position = start + len(body) + 2
    return "\n".join(parts), offsets


def _event_fields(feed: Feed, update: StatusUpdate, span: tuple[int, int]) -> dict[str, Any]:
    state = update.state.capitalize() or "Update"
    first_line = (update.text.split("\n", 1)[0] or "(no text)").strip()
    details = {}
    if update.told_at is not None:
        details["time_evidence"] = (
            f"from the update's words \u201c{update.told}\u201d; "
            f"it was posted at {update.at:%Y-%m-%d %H:%M} UTC"
        )
    return {
        "occurred_at": update.moment,
        "precision": "minute" if update.told_at is not None else update.precision,
        "source_timezone": "UTC",
        "kind": event_kind_for(update.state),
        "title": f"{feed.provider} {state.lower()}: {first_line}"[:300],
        "quote": update.text,
        "quote_start": span[0],
        "quote_end": span[1],
        "proposal_details": details,
        "review_state": ReviewState.PROPOSED,
        "review_note": f"From the {feed.provider} status feed ({state.lower()}).",
    }


def _incident_times(record: ProviderIncident) -> dict[str, Any]:
    last_state = next((u.state for u in reversed(record.updates) if u.state), "")
    return {
        "status": last_state or IncidentStatus.INVESTIGATING,
        "started_at": record.started_at,
        "detected_at": record.started_at,
        # A recovery whose text dates it before the "monitoring" post was mitigated by then.
        "mitigated_at": min(
            (at for at in (record.first_at("monitoring"), record.resolved_at) if at is not None),
            default=None,
        ),
        "resolved_at": record.resolved_at,
    }


def _incident_slug(feed: Feed, record: ProviderIncident) -> str:
    # Deterministic, so loading recorded feeds twice finds the same incidents.
    digest = hashlib.sha256(f"{feed.url}\n{record.entry_id}".encode()).hexdigest()[:8]
    label = slugify(f"{feed.provider} {record.title}")[:80].strip("-") or "feed"
    return f"{label}-{digest}"


def _incident_summary(feed: Feed) -> str:
    # The feed's URL is on the feeds page and the source; a long URL here would not wrap.
    return (
        f"From the {feed.provider} status feed. Each status update is a proposed event "
        "waiting for review."
    )


def _source_url(feed: Feed, record: ProviderIncident) -> str:
    if record.link and not Source.objects.filter(url=record.link).exists():
        return record.link
    # Feeds such as AWS's link every item to the same page: the entry id tells them apart.
    return f"{feed.url}#{quote(record.entry_id, safe='')}"[:2000]


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _impact_level(record: ProviderIncident) -> str:
    return ImpactLevel.OUTAGE if record.level == "outage" else ImpactLevel.DEGRADED


def _impacts_record(
    *, incident: Incident, record: ProviderIncident, services: Iterable[Service], own: bool
) -> None:
    existing = {impact.service_id: impact for impact in Impact.objects.filter(incident=incident)}
    for service in services:
        impact = existing.get(service.pk)
        if impact is None:
            impact = Impact(
                incident=incident,
                service=service,
                level=_impact_level(record),
                role=ImpactRole.CUSTOMER_FACING
                if service.category == ServiceCategory.CUSTOMER_APP
                else ImpactRole.CASCADED,
                started_at=record.started_at,
                ended_at=record.resolved_at,
                note=f"As the {incident.provider or 'provider'} status feed reported it.",
            )
            validated_save(impact)
        elif own:
            # The feed made this incident; its word on the impact's span stands.
            impact.started_at = record.started_at
            impact.ended_at = record.resolved_at
            impact.level = _impact_level(record)
            validated_save(impact)
        # An incident the feed only joined keeps the impacts people recorded.


def _matching_incident(
    *, feed: Feed, record: ProviderIncident, services: Sequence[Service]
) -> Incident | None:
    """Return an incident this provider incident is part of: same provider, overlapping
    time, and a service in common when both name services."""
    start = record.started_at - OVERLAP_SLACK
    end = (record.resolved_at or record.updates[-1].at) + OVERLAP_SLACK
    candidates = list(
        Incident.objects.filter(
            provider__iexact=feed.provider,
            # Bounded on both sides so the started_at index serves it, however many
            # incidents the feed brought before (an incident that began more than
            # JOIN_LOOKBACK earlier is not the one the provider is reporting now).
            started_at__range=(start - JOIN_LOOKBACK, end),
        )
        .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=start))
        .order_by("started_at", "id")
    )
    if not candidates:
        return None
    # Two incidents of one feed are two incidents, however close in time.
    own = set(
        FeedEntry.objects.filter(
            feed=feed, created_incident=True, incident_id__in=[c.pk for c in candidates]
        ).values_list("incident_id", flat=True)
    )
    wanted = {service.pk for service in services}
    for incident in candidates:
        if incident.pk in own:
            continue
        if not wanted:
            return incident
        theirs = set(incident_service_ids(incident))
        if not theirs or theirs & wanted:
            return incident
    return None


def incident_service_ids(incident: Incident) -> list[int]:
    """Return the services an incident touched: its impacts and its events' services."""
    impacted = Impact.objects.filter(incident=incident).values_list("service_id", flat=True)
    named = Event.services.through.objects.filter(event__incident=incident).values_list(
        "service_id", flat=True
    )
    return sorted(set(impacted) | set(named))


def _services_propose(*, feed: Feed, names: Iterable[str], catalogue: Catalogue) -> None:
    for name in names:
        name = name.strip()[:120]
        if not name or name.lower() in catalogue.proposed:
            continue
        catalogue.proposed.add(name.lower())
        if ServiceProposal.objects.filter(
            provider__iexact=feed.provider, name__iexact=name
        ).exists():
            continue
        try:
            with transaction.atomic():
                ServiceProposal.objects.create(provider=feed.provider, name=name, feed=feed)
        except IntegrityError:
            pass  # proposed by a simultaneous poll


@transaction.atomic
def service_proposal_decide(*, proposal: ServiceProposal, accept: bool) -> Service | None:
    """Add a proposed component to the catalogue as a service, or reject the proposal."""
    proposal = ServiceProposal.objects.select_for_update().get(pk=proposal.pk)
    if not accept:
        proposal.state = ServiceProposalState.REJECTED
        proposal.save()
        return None
    service = Service.objects.filter(
        provider__iexact=proposal.provider, name__iexact=proposal.name
    ).first()
    if service is None:
        service = Service.objects.create(provider=proposal.provider, name=proposal.name)
    proposal.state = ServiceProposalState.ACCEPTED
    proposal.save()
    return service


# --- cross-provider links -------------------------------------------------------------


def _span(incident: Incident) -> tuple[datetime, datetime | None] | None:
    if incident.started_at is None:
        return None
    return incident.started_at, incident.resolved_at


def _overlap(first: Incident, second: Incident) -> bool:
    a, b = _span(first), _span(second)
    if a is None or b is None:
        return False
    far = datetime.max.replace(tzinfo=a[0].tzinfo)
    return a[0] - OVERLAP_SLACK <= (b[1] or far) and b[0] - OVERLAP_SLACK <= (a[1] or far)


def _provider_services(incident: Incident) -> list[int]:
    own = incident_service_ids(incident)
    if own or not incident.provider:
        return own
    return list(
        Service.objects.filter(provider__iexact=incident.provider).values_list("id", flat=True)
    )


@transaction.atomic
def incident_links_propose(
    *, incident: Incident, service_ids: list[int] | None = None
) -> list[IncidentLink]:
    """Propose linking ``incident`` with overlapping incidents of providers it depends on,
    or that depend on it (catalogue dependencies across providers)."""
    if not incident.provider or incident.started_at is None:
        return []
    # ``service_ids``: the caller knows them already (an incident it just created).
    mine = set(service_ids) if service_ids else set(_provider_services(incident))
    if (
        not mine
        or not Dependency.objects.filter(
            Q(downstream_id__in=mine) | Q(upstream_id__in=mine)
        ).exists()
    ):
        return []
    proposed: list[IncidentLink] = []
    across = Dependency.objects.select_related("downstream", "upstream")
    as_downstream = across.filter(downstream_id__in=mine).exclude(
        upstream__provider__iexact=incident.provider
    )
    as_upstream = across.filter(upstream_id__in=mine).exclude(
        downstream__provider__iexact=incident.provider
    )
    for dependencies, incident_is_downstream in ((as_downstream, True), (as_upstream, False)):
        by_provider: dict[str, list[Dependency]] = {}
        for dependency in dependencies:
            far_end = dependency.upstream if incident_is_downstream else dependency.downstream
            by_provider.setdefault(far_end.provider.lower(), []).append(dependency)
        for provider, edges in by_provider.items():
            others = Incident.objects.filter(provider__iexact=provider).exclude(pk=incident.pk)
            for other in others.filter(started_at__isnull=False):
                if not _overlap(incident, other):
                    continue
                theirs = set(_provider_services(other))
                relevant = [
                    edge
                    for edge in edges
                    if (edge.upstream_id if incident_is_downstream else edge.downstream_id)
                    in theirs
                ]
                if not relevant:
                    continue
                upstream, downstream = (
                    (other, incident) if incident_is_downstream else (incident, other)
                )
                link, _ = IncidentLink.objects.get_or_create(
                    upstream=upstream,
                    downstream=downstream,
                    defaults={"reason": _link_reason(upstream, downstream, relevant)},
                )
                proposed.append(link)
    return proposed


def _link_reason(upstream: Incident, downstream: Incident, edges: Sequence[Dependency]) -> str:
    depends = "; ".join(
        f"{edge.downstream.name} depends on {edge.upstream.name} ({edge.kind})" for edge in edges
    )
    return (
        f"{depends}. {downstream.provider}'s incident began "
        f"{downstream.started_at:%Y-%m-%d %H:%M} UTC, during {upstream.provider}'s "
        f"(from {upstream.started_at:%Y-%m-%d %H:%M} UTC)."
    )


@transaction.atomic
def incident_link_decide(
    *, link: IncidentLink, accept: bool, user: AbstractBaseUser | None
) -> IncidentLink:
    """Accept a proposed link (the downstream impact joins the upstream cascade) or reject it."""
    link = IncidentLink.objects.select_for_update().get(pk=link.pk)
    link.state = LinkState.ACCEPTED if accept else LinkState.REJECTED
    link.decided_by_id = user.pk if user is not None and user.is_authenticated else None
    link.decided_at = timezone.now()
    link.save()
    return link
