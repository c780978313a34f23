"""Every write of the import pipeline: submit, dispatch, sweep, run, and the review of proposals.

The Celery task in ``postmortems.tasks`` only claims an import and calls
``source_import_run``. The run does all its reading and extracting first and writes in
one transaction at the end, under a lock on the import row, so a run killed half-way
leaves nothing behind and a second run of a finished import writes nothing.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify

from postmortems.ingest.articles import (
    DISPATCH_STALE_AFTER,
    FINISHED,
    UNFINISHED,
    ImportFailed,
    extract,
    import_content_key,
    import_dedupe_key,
    normalise_url,
    read_article,
    reference_date,
    validate_submission,
)
from postmortems.ingest.decoding import clean_text, first_line
from postmortems.ingest.extraction import (
    CatalogueEntry,
    Extraction,
    detect_language,
)
from postmortems.ingest.extraction.model import GUESSED_ZONES, ProposedEvent
from postmortems.ingest.fetching import FetchError
from postmortems.ingest.markup import ArticleText
from postmortems.ingest.proposals import (
    TimelineTwins,
    foreign_proposals,
    group_proposals,
    incident_anchor_day,
    moments_of,
)
from postmortems.ingest.selectors import (
    review_events,
    service_catalogue,
    source_import_sweep_candidates,
)
from postmortems.ingest.titles import proposal_title
from postmortems.models import (
    Citation,
    Event,
    EventKind,
    ImportKind,
    Incident,
    IncidentOrigin,
    Precision,
    ReviewState,
    Service,
    Source,
    SourceImport,
    SourceStatus,
)
from postmortems.services import content_hash

logger = logging.getLogger(__name__)


@transaction.atomic
def source_import_submit(
    *,
    kind: str,
    url: str = "",
    payload: str = "",
    filename: str = "",
    incident: Incident | None = None,
    language_hint: str = "",
    timezone_hint: str = "",
    user: AbstractBaseUser | None = None,
) -> tuple[SourceImport, bool]:
    """Store an import and hand it to the broker after commit; return it and whether it is new.

    Without an incident a draft incident is created for the import; it is named after the
    article's headline once the run has read it. Submitting a URL or content that was
    imported before returns that first import, whatever incident it was sent for (a
    failed one is queued again). Never fails because the broker is down: see ``source_import_dispatch``.
    """
    url = normalise_url(url) if kind == ImportKind.URL else ""
    payload = clean_text(payload) if kind != ImportKind.URL else ""
    validate_submission(
        kind=kind,
        url=url,
        payload=payload,
        filename=filename,
        language_hint=language_hint,
        timezone_hint=timezone_hint,
    )
    dedupe_key = import_dedupe_key(
        url=url, payload=payload, incident_id=incident.pk if incident else None
    )
    content_key = import_content_key(url=url, payload=payload)

    # The same article sent again, for whichever incident, lands on its first import.
    existing = (
        SourceImport.objects.filter(content_key=content_key).order_by("created_at", "id").first()
        or SourceImport.objects.filter(dedupe_key=dedupe_key).first()
    )
    if existing is None:
        try:
            # A savepoint: losing the race to a simultaneous submission must not poison
            # the caller's transaction, and must not leave our draft incident behind.
            with transaction.atomic():
                source_import = SourceImport.objects.create(
                    kind=kind,
                    url=url,
                    filename=filename[:255],
                    payload=payload,
                    dedupe_key=dedupe_key,
                    content_key=content_key,
                    incident=incident or _draft_incident_create(kind=kind),
                    language_hint=language_hint,
                    timezone_hint=timezone_hint,
                    created_by=user,
                )
        except IntegrityError:
            existing = SourceImport.objects.get(dedupe_key=dedupe_key)
        else:
            _dispatch_after_commit(source_import.pk, size=len(payload))
            return source_import, True

    # Sending a failed import again is how a user retries it.
    requeued = SourceImport.objects.filter(pk=existing.pk, status=SourceStatus.FAILED).update(
        status=SourceStatus.QUEUED,
        progress=0,
        error="",
        attempts=0,
        dispatched_at=None,
        finished_at=None,
    )
    if requeued:
        _dispatch_after_commit(existing.pk, size=len(existing.payload))
        existing.refresh_from_db()
    return existing, False


DRAFT_PLACEHOLDER_TITLES = {
    ImportKind.URL: "Draft: article from a URL",
    ImportKind.UPLOAD: "Draft: uploaded article",
    ImportKind.TEXT: "Draft: pasted article",
}


def _draft_incident_create(
    *, kind: str, title: str = "", started_at: datetime | None = None
) -> Incident:
    # A placeholder until the run has read the article's headline (see _draft_name);
    # never the file name or the first line, which is often another story's teaser.
    title = (title or DRAFT_PLACEHOLDER_TITLES.get(kind, "Draft from an import"))[:200]
    slug = f"draft-{slugify(title)[:60].strip('-') or 'import'}-{secrets.token_hex(4)}"
    return Incident.objects.create(
        slug=slug,
        title=title,
        summary="Created by an article import; review and confirm.",
        is_draft=True,
        origin=IncidentOrigin.IMPORT,
        started_at=started_at,
    )


def _draft_name(*, incident: Incident, article: ArticleText, extraction: Extraction) -> None:
    """Name an import's draft incident after the article's headline and date it by its moments."""
    changed = []
    if incident.title in DRAFT_PLACEHOLDER_TITLES.values() and article.title.strip():
        incident.title = article.title.strip()[:200]
        changed.append("title")
    if incident.started_at is None:
        moments = [proposal.at for proposal in extraction.events]
        if moments:
            day = incident_anchor_day(None, moments)
            same_day = [moment for moment in moments if moment.astimezone(UTC).date() == day]
            incident.started_at = min(same_day or moments)
        elif article.published is not None:
            incident.started_at = datetime.combine(article.published, time(), tzinfo=UTC)
        if incident.started_at is not None:
            changed.append("started_at")
    if changed:
        incident.save(update_fields=[*changed, "updated_at"])


@transaction.atomic
def incident_confirm(*, incident: Incident, user: AbstractBaseUser | None = None) -> Incident:
    """Confirm a draft incident: it joins the lists, figures, related incidents and search."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.is_draft:
        incident.is_draft = False
        incident.save(update_fields=["is_draft", "updated_at"])
    return incident


# Without a broker tasks run eagerly, inside the request that submitted them. Up to this
# size a paste is extracted there and the user sees the proposals at once; a larger one
# must not hold the request, so it runs in a thread of its own while the page polls.
SYNC_EXTRACTION_MAX_CHARS = 20_000


def _dispatch_after_commit(import_id: int, *, size: int = 0) -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER and size > SYNC_EXTRACTION_MAX_CHARS:
        transaction.on_commit(lambda: _dispatch_in_background(import_id))
    else:
        transaction.on_commit(lambda: source_import_dispatch(import_id=import_id))


def _dispatch_in_background(import_id: int) -> threading.Thread:
    thread = threading.Thread(
        target=_dispatch_and_close, args=(import_id,), name=f"import-{import_id}", daemon=True
    )
    thread.start()
    return thread


def _dispatch_and_close(import_id: int) -> None:
    try:
        source_import_dispatch(import_id=import_id)
    finally:
        # The thread's own database connection must not outlive it.
        connections.close_all()


def source_import_dispatch(*, import_id: int) -> bool:
    """Hand an import to the broker; return False, logged, when the broker is unreachable.

    Not atomic on purpose: it runs after the submission committed, and a broker outage
    must leave the import queued with ``dispatched_at`` empty for the sweep to find.
    """
    from kombu.exceptions import KombuError

    from postmortems.tasks import import_run_task

    # Marked before sending: an eager or very fast worker may finish the import before
    # apply_async returns, and the sweep must not see a dispatched import as undispatched.
    dispatched_at = timezone.now()
    SourceImport.objects.filter(pk=import_id, status=SourceStatus.QUEUED).update(
        dispatched_at=dispatched_at
    )
    try:
        import_run_task.apply_async(
            args=[import_id],
            # Give up quickly: a web request waits on this, and the sweep will try again.
            retry=True,
            retry_policy={
                "max_retries": 1,
                "interval_start": 0,
                "interval_step": 0.5,
                "interval_max": 0.5,
            },
        )
    except (KombuError, OSError) as error:
        logger.warning("Import %s stays queued: the broker is unreachable (%s)", import_id, error)
        SourceImport.objects.filter(pk=import_id, dispatched_at=dispatched_at).update(
            dispatched_at=None
        )
        return False
    return True


def source_imports_sweep(
    *, now: datetime | None = None, stale_after: timedelta = DISPATCH_STALE_AFTER
) -> list[int]:
    """Dispatch again every import whose dispatch is missing or stale; return their ids.

    That is: queued and never handed to the broker, queued and handed over long ago, or
    fetching/extracting for longer than a task may run (its worker died and the broker
    did not hand the message on).
    """
    now = now or timezone.now()
    stuck_before = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 30)
    candidates = source_import_sweep_candidates(
        now=now, stale_after=stale_after, stuck_before=stuck_before
    )
    dispatched = []
    for import_id in candidates:
        # Stuck mid-way: put it back in the queue, unless it moved on since we looked.
        SourceImport.objects.filter(
            pk=import_id,
            status__in=[SourceStatus.FETCHING, SourceStatus.EXTRACTING],
            updated_at__lt=stuck_before,
        ).update(status=SourceStatus.QUEUED, dispatched_at=None, updated_at=now)
        if source_import_dispatch(import_id=import_id):
            dispatched.append(import_id)
    return dispatched


def source_import_claim(*, import_id: int) -> bool:
    """Mark an unfinished import as being fetched; return False if it is finished or gone.

    Deliberately not exclusive: a message the broker redelivers after its worker died
    must be able to take over. Two runs at once are harmless, because only the first to
    reach the final transaction writes (see ``_store_result``).
    """
    return bool(
        SourceImport.objects.filter(pk=import_id, status__in=UNFINISHED).update(
            status=SourceStatus.FETCHING,
            progress=10,
            attempts=F("attempts") + 1,
            updated_at=timezone.now(),
        )
    )


def source_import_run(*, import_id: int) -> SourceImport:
    """Fetch, extract and store one import's article and proposed events.

    Every failure is recorded on the import (status failed, a sentence in ``error``) and
    nothing else is written, except transient fetch errors: those are raised for the
    caller (the Celery task) to retry, and recorded by it when it gives up.
    """
    source_import = SourceImport.objects.select_related("incident").get(pk=import_id)
    if source_import.status in FINISHED:
        return source_import
    try:
        article = read_article(source_import)
        _progress(import_id, SourceStatus.EXTRACTING, 50)
        if not article.text.strip():
            raise ImportFailed("No article text could be extracted from this content.")
        language = source_import.language_hint or detect_language(article.text)
        catalogue = service_catalogue()
        reference = reference_date(source_import.incident)
        extraction = extract(article.text, source_import, catalogue, language, reference, article)
        _progress(import_id, SourceStatus.EXTRACTING, 80)
        return _store_result(
            import_id=import_id,
            article=article,
            extraction=extraction,
            catalogue=catalogue,
            reference=reference,
        )
    except FetchError as error:
        if error.transient:
            raise
        return source_import_fail(import_id=import_id, error=error.message)
    except ImportFailed as error:
        return source_import_fail(import_id=import_id, error=str(error))
    except SoftTimeLimitExceeded:
        return source_import_fail(
            import_id=import_id,
            error=f"The import took longer than {settings.CELERY_TASK_SOFT_TIME_LIMIT} s and was stopped.",
        )
    except Exception as error:
        # A bug must not leave the import spinning forever; it is logged with its traceback.
        logger.exception("Import %s failed unexpectedly", import_id)
        return source_import_fail(
            import_id=import_id, error=f"Import failed unexpectedly: {error!r}"
        )


def _progress(import_id: int, status: str, progress: int) -> None:
    SourceImport.objects.filter(pk=import_id, status__in=UNFINISHED).update(
        status=status, progress=progress, updated_at=timezone.now()
    )


@transaction.atomic
def source_import_fail(*, import_id: int, error: str) -> SourceImport:
    """Record that an import failed, unless another run finished it meanwhile."""
    SourceImport.objects.filter(pk=import_id, status__in=UNFINISHED).update(
        status=SourceStatus.FAILED,
        error=error[:5000],
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    return SourceImport.objects.get(pk=import_id)


@transaction.atomic
def source_import_retry_scheduled(*, import_id: int, error: str, countdown: int) -> None:
    """Record a transient failure and that the task will try again after ``countdown`` seconds."""
    SourceImport.objects.filter(pk=import_id, status__in=UNFINISHED).update(
        status=SourceStatus.QUEUED,
        progress=0,
        error=f"{error} Trying again in {countdown} s.",
        dispatched_at=timezone.now(),
        updated_at=timezone.now(),
    )


@transaction.atomic
def _store_result(
    *,
    import_id: int,
    article: ArticleText,
    extraction: Extraction,
    catalogue: Sequence[CatalogueEntry],
    reference: date | None,
) -> SourceImport:
    # The lock serialises two runs of one import (a redelivered message racing the
    # original): the second waits here, then sees the import done and writes nothing.
    source_import = (
        SourceImport.objects.select_for_update(of=("self",))
        .select_related("incident")
        .get(pk=import_id)
    )
    if source_import.status in FINISHED:
        return source_import
    source = _source_get_or_create(source_import, article, extraction.language)
    if source.text != article.text:
        # Another run stored this article first, from a slightly different copy: the
        # offsets must point into the text that was kept.
        extraction = extract(
            source.text, source_import, catalogue, source.language, reference, article
        )
    incident = source_import.incident
    proposed = 0
    if incident is not None:
        source.incidents.add(incident)
        if incident.is_draft:
            _draft_name(incident=incident, article=article, extraction=extraction)
        proposed = _proposals_create(incident=incident, source=source, extraction=extraction)
    source_import.source = source
    source_import.status = SourceStatus.DONE
    source_import.progress = 100
    source_import.error = ""
    source_import.warnings = [
        {
            "code": warning.code,
            "message": warning.message,
            "start": warning.start,
            "end": warning.end,
        }
        for warning in extraction.warnings
    ]
    source_import.events_proposed = proposed
    source_import.finished_at = timezone.now()
    source_import.save()
    return source_import


def _source_get_or_create(
    source_import: SourceImport, article: ArticleText, language: str
) -> Source:
    digest = content_hash(article.text)
    lookups = [Q(url=source_import.url)] if source_import.url else []
    lookups.append(Q(content_hash=digest))

    def existing() -> Source | None:
        for lookup in lookups:
            found = Source.objects.filter(lookup).first()
            if found is not None:
                return found
        return None

    source = existing()
    if source is not None:
        return source
    try:
        with transaction.atomic():
            return Source.objects.create(
                url=source_import.url,
                title=article.title
                or (source_import.url or source_import.filename or first_line(article.text))[:300],
                language=language,
                retrieved_at=timezone.now(),
                published_at=datetime.combine(article.published, time(), tzinfo=UTC)
                if article.published
                else None,
                raw_content=article.raw_content,
                text=article.text,
                content_hash=digest,
                status=SourceStatus.DONE,
            )
    except IntegrityError:
        # A simultaneous import of the same URL or text committed first; theirs is ours.
        source = existing()
        if source is None:
            raise
        return source


def _proposals_create(*, incident: Incident, source: Source, extraction: Extraction) -> int:
    services_by_name: dict[str, list[Service]] = {}
    for service in Service.objects.all():
        services_by_name.setdefault(service.name, []).append(service)
    event_ids = set()
    for proposal in extraction.events:
        kind = proposal.kind if proposal.kind in EventKind.values else EventKind.NOTE
        # get_or_create stands on event_unique_per_source_moment: a proposal that exists
        # (a second import of this source for this incident) is found, not doubled.
        event, created = Event.objects.get_or_create(
            incident=incident,
            source=source,
            quote_start=proposal.start,
            occurred_at=proposal.at,
            kind=kind,
            defaults={
                "precision": proposal.precision
                if proposal.precision in Precision.values
                else Precision.APPROXIMATE,
                "source_timezone": (proposal.source_timezone or "UTC")[:64],
                "title": proposal_title(
                    proposal.quote,
                    kind=kind,
                    at=proposal.at,
                    language=extraction.language,
                    services=proposal.services,
                )[:300],
                "quote": proposal.quote,
                "quote_end": proposal.end,
                "review_state": ReviewState.PROPOSED,
                "review_note": f"Proposed by the importer (confidence {proposal.confidence:.2f}).",
                "proposal_details": _proposal_details(proposal),
            },
        )
        if created:
            matched = [
                service
                for name in proposal.services
                for service in _pick_services(services_by_name.get(name, []), incident.provider)
            ]
            event.services.set(matched)
        event_ids.add(event.pk)
    return len(event_ids)


def _proposal_details(proposal: ProposedEvent) -> dict[str, Any]:
    details: dict[str, Any] = {}
    new_services = [
        {"name": item.name.strip()[:120], "provider": (item.provider or "").strip()[:120]}
        for item in proposal.new_services
        if item.name.strip()
    ]
    if new_services:
        details["new_services"] = new_services
    if proposal.date_evidence.strip():
        details["date_evidence"] = proposal.date_evidence.strip()[:500]
    if proposal.zone_evidence.strip():
        details["zone_evidence"] = proposal.zone_evidence.strip()[:500]
    if proposal.zone_basis in GUESSED_ZONES:
        details["zone_guess"] = GUESSED_ZONES[proposal.zone_basis]
    return details


def _pick_services(candidates: list[Service], provider: str) -> list[Service]:
    # Two providers may both have a "Compute" service; the incident's provider wins.
    if len(candidates) > 1 and provider:
        preferred = [
            service for service in candidates if service.provider.lower() == provider.lower()
        ]
        if preferred:
            return preferred
    return candidates


def _event_for_review(event_id: int) -> Event:
    return Event.objects.select_for_update().get(pk=event_id)


@transaction.atomic
def proposal_accept(*, event: Event, user: AbstractBaseUser | None) -> Event:
    """Accept a proposed event; return the event that is on the timeline afterwards.

    A proposal telling a moment already on the timeline (same minute, overlapping
    services) is not added beside it: its sentence becomes a further citation of the
    existing event, and the proposal is marked rejected as merged. The services it
    proposes for the catalogue are created (once) and linked.
    """
    return _proposal_accept(
        event=event, user=user, timeline=TimelineTwins(_accepted_events(event.incident_id))
    )


def _proposal_accept(
    *, event: Event, user: AbstractBaseUser | None, timeline: TimelineTwins
) -> Event:
    # ``timeline`` holds the incident's accepted events and learns each one accepted here,
    # so accepting many proposals reads the timeline once, not once per proposal.
    event = _event_for_review(event.pk)
    twin = timeline.twin_of(event)
    if twin is not None:
        return _proposal_merge(proposal=event, into=twin, user=user)
    event.review_state = ReviewState.ACCEPTED
    event.added_by = user
    event.save(update_fields=["review_state", "added_by"])
    _new_services_link(event=event, incident_provider=event.incident.provider)
    timeline.add(event)
    return event


def _accepted_events(incident_id: int) -> list[Event]:
    return list(
        Event.objects.filter(incident_id=incident_id, review_state=ReviewState.ACCEPTED)
        .prefetch_related("services")
        .order_by("occurred_at", "id")
    )


def _proposal_merge(*, proposal: Event, into: Event, user: AbstractBaseUser | None) -> Event:
    if proposal.source_id is not None and proposal.source_id != into.source_id:
        Citation.objects.get_or_create(
            event=into,
            source_id=proposal.source_id,
            defaults={
                "quote": proposal.quote,
                "quote_start": proposal.quote_start,
                "quote_end": proposal.quote_end,
                "added_by": user,
            },
        )
    proposal.review_state = ReviewState.REJECTED
    proposal.review_note = (
        f"Merged into event {into.pk}, already in the timeline, as a further citation."
    )
    proposal.save(update_fields=["review_state", "review_note"])
    return into


def _new_services_link(*, event: Event, incident_provider: str) -> list[Service]:
    created = []
    for item in (event.proposal_details or {}).get("new_services", []):
        if not isinstance(item, dict) or not str(item.get("name", "")).strip():
            continue
        created.append(
            service_add_to_catalogue(
                name=str(item["name"]), provider=str(item.get("provider") or incident_provider)
            )
        )
    if created:
        event.services.add(*created)
    return created


@transaction.atomic
def service_add_to_catalogue(*, name: str, provider: str) -> Service:
    """Return the catalogue's service of this name and provider, creating it the first time."""
    name, provider = name.strip()[:120], provider.strip()[:120]
    existing = Service.objects.filter(name__iexact=name, provider__iexact=provider).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Service.objects.create(name=name, provider=provider)
    except IntegrityError:
        # Created meanwhile by a simultaneous accept: the unique constraint keeps it one.
        return Service.objects.get(name__iexact=name, provider__iexact=provider)


@transaction.atomic
def proposal_reject(*, event: Event, user: AbstractBaseUser | None, note: str = "") -> Event:
    """Reject a proposed (or accepted) event; it stays, rejected, so a re-import does not propose it again."""
    event = _event_for_review(event.pk)
    event.review_state = ReviewState.REJECTED
    if note:
        event.review_note = note
    event.save(update_fields=["review_state", "review_note"])
    return event


@transaction.atomic
def proposal_edit(
    *,
    event: Event,
    user: AbstractBaseUser | None,
    occurred_at: datetime,
    kind: str,
    title: str,
    services: Sequence[Service],
    precision: str | None = None,
) -> Event:
    """Correct a proposal's time, kind, title and services, and accept it."""
    if timezone.is_naive(occurred_at):
        raise ValidationError(
            {"occurred_at": "Give the time with its zone (times are stored in UTC)."}
        )
    if kind not in EventKind.values:
        raise ValidationError({"kind": f"Unknown kind {kind!r}."})
    if not title.strip():
        raise ValidationError({"title": "The title cannot be empty."})
    event = _event_for_review(event.pk)
    event.occurred_at = occurred_at
    event.kind = kind
    event.title = title.strip()[:300]
    if precision:
        event.precision = precision
    event.review_state = ReviewState.ACCEPTED
    event.added_by = user
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:
        raise ValidationError(
            {"occurred_at": "The same sentence already gave an event of this kind at this time."}
        ) from None
    event.services.set(services)
    return event


@transaction.atomic
def proposals_accept_all(
    *, incident: Incident, user: AbstractBaseUser | None, source: Source | None = None
) -> int:
    """Accept every proposal of the incident (of one source, if given) that is safe to accept.

    Left for the reviewer: proposals in a conflict (accepting both sides would put one
    moment twice on the timeline) and moments that belong to another incident. A
    proposal already on the timeline is merged as a citation. Returns how many were taken.
    """
    events = list(review_events(incident))
    held = {
        event.pk for group in group_proposals(events) if group.conflict for event in group.events
    }
    held |= {
        event.pk
        for event in foreign_proposals(
            events, incident_anchor_day(incident.started_at, moments_of(events))
        )
    }
    proposals = [
        event
        for event in events
        if event.review_state == ReviewState.PROPOSED
        and event.pk not in held
        and (source is None or event.source_id == source.pk)
    ]
    timeline = TimelineTwins(_accepted_events(incident.pk))
    for proposal in proposals:
        _proposal_accept(event=proposal, user=user, timeline=timeline)
    return len(proposals)


@transaction.atomic
def proposal_conflict_resolve(*, keep: Event, user: AbstractBaseUser | None) -> list[Event]:
    """Keep one event of a moment: accept ``keep``, reject every other event of its group.

    "Keep this one" means exactly that: afterwards the group has one event on the
    timeline, ``keep`` (or the accepted event it was merged into). Returns the rejected.
    """
    group = next(
        (
            group
            for group in group_proposals(review_events(keep.incident))
            if keep.pk in {e.pk for e in group.events}
        ),
        None,
    )
    others = [other for other in (group.events if group else []) if other.pk != keep.pk]
    rejected = [
        proposal_reject(
            event=other, user=user, note=f"Conflict resolved in favour of event {keep.pk}."
        )
        for other in others
    ]
    proposal_accept(event=keep, user=user)
    return rejected


@transaction.atomic
def proposals_split_off(
    *, incident: Incident, events: Sequence[Event], user: AbstractBaseUser | None
) -> Incident:
    """Move moments that belong to another incident into a new draft incident; return it."""
    moved = [event for event in events if event.incident_id == incident.pk]
    if not moved:
        raise ValidationError("No moments of this incident were chosen.")
    first = min(moved, key=lambda event: event.occurred_at)
    source = first.source
    title = f"Draft: {first.occurred_at:%-d %B %Y} moments from {source or 'an import'}"
    draft = _draft_incident_create(kind="", title=title, started_at=first.occurred_at)
    return proposals_move(incident=incident, events=moved, to=draft, user=user)


@transaction.atomic
def proposals_move(
    *,
    incident: Incident,
    events: Sequence[Event],
    to: Incident,
    user: AbstractBaseUser | None,
) -> Incident:
    """Move proposed moments from ``incident`` to the incident ``to``, with their sources."""
    ids = [event.pk for event in events if event.incident_id == incident.pk]
    if to.pk == incident.pk:
        raise ValidationError("The moments are in this incident already.")
    Event.objects.filter(pk__in=ids, review_state=ReviewState.PROPOSED).update(incident=to)
    for source_id in {event.source_id for event in events if event.source_id}:
        to.sources.add(source_id)
    return to
