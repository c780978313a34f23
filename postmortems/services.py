"""Writes to the knowledge base. Each service is one transaction."""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models, transaction
from django.db.models import F
from django.utils import timezone

from postmortems import blameless, demo
from postmortems.models import (
    ActionItem,
    ApiToken,
    DashboardSnapshot,
    Dependency,
    Event,
    Generation,
    Impact,
    Incident,
    Postmortem,
    PostmortemApproval,
    PostmortemDraft,
    PostmortemRevision,
    PostmortemStatus,
    Region,
    ReviewState,
    RootCauseCategory,
    Service,
    Source,
    Tag,
)

logger = logging.getLogger(__name__)

ROLE_GROUPS = ("viewer", "editor", "admin")


class StaleRecord(Exception):
    """A change was based on a version of the record that is no longer the latest."""

    def __init__(self, current: models.Model) -> None:
        name, version = current._meta.verbose_name, getattr(current, "version", "?")
        super().__init__(
            f"Someone else saved this {name} since you opened it; it is at version {version} now."
        )
        self.current = current


# Records people edit in forms and through the API at the same time. Each save claims the
# next version; one based on an older version is refused instead of silently undoing the
# other person's change (the postmortem body has its own, postmortem_save).
VERSIONED: tuple[type[models.Model], ...] = (Incident, Event, ActionItem)


def _claim_version(record: Any, base_version: int | None) -> None:
    """Take the next version of a stored record, if it is still at ``base_version``.

    The check and the claim are one conditional UPDATE, as in ``postmortem_save``: of two
    saves based on the same version exactly one lands (the row stays locked until its
    transaction ends); the other raises StaleRecord with the record as it is now. Without
    a base version, the version the caller loaded is the base.
    """
    base = record.version if base_version is None else base_version
    model = type(record)
    if not model.objects.filter(pk=record.pk, version=base).update(version=F("version") + 1):
        raise StaleRecord(model.objects.get(pk=record.pk))
    record.version = base + 1


def record_validate(record: models.Model) -> None:
    """Raise ValidationError unless the record passes its fields, ``clean()`` and checks.

    What ``validated_save`` checks before it saves; also for records inserted in bulk.
    """
    exclude = {field.name for field in record._meta.concrete_fields if field.is_relation}
    record.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    for constraint in record._meta.constraints:
        if isinstance(constraint, models.CheckConstraint):
            constraint.validate(type(record), record, exclude=exclude)


def validated_save(
    record: models.Model, *, base_version: int | None = None, **save_kwargs: Any
) -> None:
    """Save a record after the model's own validation: its fields, ``clean()`` and checks.

    Every path that writes the knowledge base (forms, the API, the import, the demo) comes
    through here, so each refuses the same things with the same messages (a Django
    ValidationError keyed by field). Uniqueness is left to the database: it settles a race
    that a read-then-write check cannot, and callers answer its IntegrityError. References
    are left to the database too; checking each one here would cost a query per field.
    A stored record of a VERSIONED model also claims its next version (``base_version``).
    """
    record_validate(record)
    if record.pk is not None and isinstance(record, VERSIONED):
        _claim_version(record, base_version)
    record.save(**save_kwargs)


def generation_raise(*, using: str = "default") -> None:
    """Move the generation on: cached timelines and stored dashboard figures are stale.

    Called by ``postmortems.generation`` once a transaction that wrote a table either is
    built from has committed; in autocommit, so the row is locked for one statement. A
    raise lost to a crash right after a commit is bounded by the answers' expiry
    (``dashboard.SNAPSHOT_SECONDS``, the "timelines" cache's timeout).
    """
    if not Generation.objects.using(using).filter(pk=1).update(value=F("value") + 1):
        # The row is made by a migration; a database emptied since (a flush between tests)
        # makes it again, at a number no earlier row can have held: cached timelines live
        # outside the database and outlast a flush.
        # One statement and no transaction of its own (bulk_create would open one): this
        # may run right after a write in autocommit, whose statement SQLite has not
        # finished yet, and SQLite cannot commit while a statement is in progress.
        table = connections[using].ops.quote_name(Generation._meta.db_table)
        with connections[using].cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (id, value) VALUES (1, %s) ON CONFLICT DO NOTHING",
                [time.time_ns()],
            )
    if not settings.CELERY_TASK_ALWAYS_EAGER and using == "default":
        _refresh_dispatch()


# Seconds a worker waits before recomputing the dashboard after a write: a burst of writes
# (a feed poll commits 50 entries at a time) then costs one computation, not one each.
DASHBOARD_REFRESH_DELAY = 5


def _refresh_dispatch() -> None:
    """Have workers rebuild what a write retired before its next reader has to.

    The dashboard's figures (after ``DASHBOARD_REFRESH_DELAY``) and the timelines read
    lately (``timelines.refresh``). Only with a broker: without one the tasks would run
    here, in the writer's request. A broker outage costs nothing but this head start, so
    it is logged, never raised.
    """
    from kombu.exceptions import KombuError

    from postmortems.tasks import dashboard_refresh_task
    from timelines.refresh import REFRESH_DELAY
    from timelines.tasks import timeline_refresh_task

    generation = Generation.objects.filter(pk=1).values_list("value", flat=True).first()
    refreshes = (
        (dashboard_refresh_task, DASHBOARD_REFRESH_DELAY, "dashboard"),
        (timeline_refresh_task, REFRESH_DELAY, "timelines"),
    )
    for index, (task, delay, _what) in enumerate(refreshes):
        try:
            task.apply_async(args=[generation], countdown=delay, retry=False)
        except (KombuError, OSError) as error:
            # One unreachable broker is one connection timeout for the writer, not one
            # per refresh: the rest are not tried.
            missed = " and the ".join(what for _task, _delay, what in refreshes[index:])
            logger.warning("The %s will be rebuilt by the next reader (%s)", missed, error)
            return


def dashboard_snapshot_save(*, key: str, generation: int, figures: dict[str, Any]) -> None:
    """Store the dashboard's figures for ``key`` as of ``generation``, replacing older ones.

    One upsert, so two requests computing the same figures at once both succeed.
    """
    DashboardSnapshot.objects.bulk_create(
        [
            DashboardSnapshot(
                key=key, generation=generation, figures=figures, computed_at=timezone.now()
            )
        ],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["generation", "figures", "computed_at"],
    )


def content_hash(text: str) -> str:
    """Return the SHA-256 of a text, the key that makes one text one source."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@transaction.atomic
def roles_ensure() -> dict[str, Group]:
    """Create the role groups (viewer, editor, admin) if they are missing."""
    return {name: Group.objects.get_or_create(name=name)[0] for name in ROLE_GROUPS}


@transaction.atomic
def demo_user_ensure(*, password: str | None = None) -> AbstractBaseUser:
    """Create the demo editor account, or leave it as it is.

    The well-known default password is refused unless DEBUG is on: a demo login must
    never be what guards a deployment.
    """
    if password is None:
        if not settings.DEBUG:
            raise ImproperlyConfigured(
                "Refusing to create the demo account with the default password while DEBUG is off; "
                "pass a password of your own."
            )
        password = demo.DEMO_PASSWORD
    groups = roles_ensure()
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=demo.DEMO_USERNAME)
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    user.groups.add(groups["editor"])
    return user


# ------------------------------------------------------------------ incidents and records


@transaction.atomic
def incident_save(
    *,
    form_data: dict,
    regions: list[str],
    tags: list[str],
    incident: Incident | None = None,
    base_version: int | None = None,
) -> Incident:
    """Create or update an incident from validated form data, with its regions and tags.

    Raises StaleRecord when the incident is no longer at ``base_version``.
    """
    incident = incident or Incident()
    for field, value in form_data.items():
        setattr(incident, field, value)
    validated_save(incident, base_version=base_version)
    incident.regions.set([Region.objects.get_or_create(code=code)[0] for code in regions])
    incident.tags.set([Tag.objects.get_or_create(name=name)[0] for name in tags])
    return incident


@transaction.atomic
def event_save(
    *,
    incident: Incident,
    form_data: dict,
    services: list[Service],
    author: AbstractBaseUser,
    event: Event | None = None,
    base_version: int | None = None,
) -> Event:
    """Create or update an event typed by a person: it is accepted as it is written.

    Raises StaleRecord when the event is no longer at ``base_version``.
    """
    event = event or Event(incident=incident, added_by=author, review_state=ReviewState.ACCEPTED)
    for field, value in form_data.items():
        setattr(event, field, value)
    validated_save(event, base_version=base_version)
    event.services.set(services)
    return event


@transaction.atomic
def event_review(*, event: Event, state: str, note: str = "") -> Event:
    """Accept or reject an event (a proposal from an import, or an earlier decision)."""
    event.review_state = state
    if note:
        event.review_note = note
    # A decision changes the record: an edit based on the version before it is stale.
    event.version = F("version") + 1
    event.save(update_fields=["review_state", "review_note", "version"])
    event.refresh_from_db(fields=["version"])
    return event


# --------------------------------------------------------------------------- postmortems


class StaleVersion(Exception):
    """A save was based on a version that is no longer the latest."""

    def __init__(self, postmortem: Postmortem) -> None:
        super().__init__(f"The postmortem is at version {postmortem.version} now.")
        self.postmortem = postmortem


class ReadOnly(Exception):
    """A published postmortem is read-only until it is reopened."""


def _timeline_rows(incident: Incident) -> list[blameless.TimelineRow]:
    events = (
        incident.events.filter(review_state=ReviewState.ACCEPTED)
        .select_related("source")
        .prefetch_related("services")
    )
    return [
        blameless.TimelineRow(
            at=event.occurred_at,
            kind=event.kind,
            title=event.title,
            services=tuple(service.name for service in event.services.all()),
            source=(event.source.title or event.source.publisher) if event.source else "",
            source_url=event.source.url if event.source else "",
        )
        for event in events.order_by("occurred_at", "id")
    ]


def _known_facts(incident: Incident) -> blameless.Prefill:
    # The same account the exports read, so a new postmortem states the key times,
    # TTD/TTM/TTR and impact windows exactly as the incident's other surfaces do.
    from timelines.exports import (
        Audience,
        account_for,
        impacts_markdown,
        key_times_markdown,
        times_to_markdown,
    )

    account = account_for(incident, audience=Audience.INTERNAL, include_postmortem=False)
    category = incident.root_cause_category
    return blameless.Prefill(
        summary=incident.summary,
        key_times=tuple(key_times_markdown(account)),
        times_to=times_to_markdown(account),
        impacts=tuple(impacts_markdown(account)),
        root_cause_category=""
        if category == RootCauseCategory.UNKNOWN
        else incident.get_root_cause_category_display(),
    )


@transaction.atomic
def postmortem_start(*, incident: Incident, author: AbstractBaseUser) -> Postmortem:
    """Return the incident's postmortem, creating it from the blameless template if needed.

    A new postmortem starts from what the knowledge base knows: the summary, key times
    with TTD/TTM/TTR, impacted services with their windows, the accepted timeline with
    its sources and the root-cause category.
    """
    existing = Postmortem.objects.filter(incident=incident).first()
    if existing is not None:
        return existing
    postmortem, created = Postmortem.objects.get_or_create(
        incident=incident,
        defaults={
            "body": blameless.blameless_template(
                title=incident.title, rows=_timeline_rows(incident), known=_known_facts(incident)
            ),
            "updated_by": author,
        },
    )
    if created:
        PostmortemRevision.objects.create(
            postmortem=postmortem, version=1, body=postmortem.body, author=author
        )
    return postmortem


@transaction.atomic
def postmortem_save(
    *, postmortem: Postmortem, body: str, base_version: int, author: AbstractBaseUser
) -> PostmortemRevision:
    """Save a new version of the body, if nobody saved since ``base_version``.

    The version check and the write are one conditional UPDATE, so of two saves based on
    the same version exactly one lands; the other raises StaleVersion with the latest.
    """
    landed = (
        Postmortem.objects.filter(pk=postmortem.pk, version=base_version)
        .exclude(status=PostmortemStatus.PUBLISHED)
        .update(body=body, version=F("version") + 1, updated_by=author, updated_at=timezone.now())
    )
    if not landed:
        current = Postmortem.objects.get(pk=postmortem.pk)
        if current.status == PostmortemStatus.PUBLISHED:
            raise ReadOnly("This postmortem is published; reopen it to edit.")
        raise StaleVersion(current)
    revision = PostmortemRevision.objects.create(
        postmortem=postmortem, version=base_version + 1, body=body, author=author
    )
    PostmortemDraft.objects.filter(postmortem=postmortem, author=author).delete()
    postmortem.refresh_from_db()
    return revision


@transaction.atomic
def postmortem_autosave(
    *, postmortem: Postmortem, body: str, base_version: int, author: AbstractBaseUser
) -> PostmortemDraft:
    """Keep what an author is typing, apart from the document: an autosave clobbers nothing."""
    draft, _ = PostmortemDraft.objects.update_or_create(
        postmortem=postmortem, author=author, defaults={"body": body, "base_version": base_version}
    )
    return draft


@transaction.atomic
def postmortem_restore(
    *, postmortem: Postmortem, revision: PostmortemRevision, author: AbstractBaseUser
) -> PostmortemRevision:
    """Save an earlier revision's body as the newest version."""
    return postmortem_save(
        postmortem=postmortem, body=revision.body, base_version=postmortem.version, author=author
    )


def postmortem_refresh_timeline(*, postmortem: Postmortem, body: str) -> str:
    """Return the body with its timeline section regenerated from the accepted events."""
    return blameless.refresh_timeline(body, _timeline_rows(postmortem.incident))


# Which status may follow which, and what the step is called.
TRANSITIONS: dict[str, dict[str, str]] = {
    PostmortemStatus.DRAFT: {"submit": PostmortemStatus.IN_REVIEW},
    PostmortemStatus.IN_REVIEW: {
        "publish": PostmortemStatus.PUBLISHED,
        "return": PostmortemStatus.DRAFT,
    },
    PostmortemStatus.PUBLISHED: {"reopen": PostmortemStatus.DRAFT},
}


class InvalidTransition(Exception):
    """The requested workflow step does not apply to the postmortem's status."""


class PublishBlocked(InvalidTransition):
    """The postmortem may not be published yet; ``reasons`` says why, one sentence each."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = reasons


@transaction.atomic
def postmortem_transition(
    *,
    postmortem: Postmortem,
    action: str,
    author: AbstractBaseUser,
    override: bool = False,
    note: str = "",
) -> Postmortem:
    """Move a postmortem through draft, review and publication.

    Publishing checks the review (see ``postmortems.review.selectors.ReviewStatus``): no
    unwritten template section, no open comment, and another editor's approval of this
    version unless an admin overrides, which is recorded as an approval marked override.
    """
    from postmortems.review import mail
    from postmortems.review.selectors import review_status

    postmortem = (
        Postmortem.objects.select_for_update().select_related("incident").get(pk=postmortem.pk)
    )
    target = TRANSITIONS.get(postmortem.status, {}).get(action)
    if target is None:
        raise InvalidTransition(
            f"Cannot {action} a postmortem that is {postmortem.get_status_display().lower()}."
        )
    overriding = False
    if target == PostmortemStatus.PUBLISHED:
        status = review_status(postmortem)
        reasons = status.blockers(user=author, override=override)
        if reasons:
            raise PublishBlocked(reasons)
        overriding = status.requires_approval and not status.approved
        if overriding:
            PostmortemApproval.objects.create(
                postmortem=postmortem,
                reviewer=author,
                version=postmortem.version,
                override=True,
                note=note.strip(),
            )
    postmortem.status = target
    postmortem.updated_by = author
    fields = ["status", "updated_by", "updated_at"]
    if action == "submit":
        postmortem.submitted_by = author
        postmortem.submitted_at = timezone.now()
        fields += ["submitted_by", "submitted_at"]
    if target == PostmortemStatus.PUBLISHED:
        postmortem.published_body = postmortem.body
        postmortem.published_at = timezone.now()
        fields += ["published_body", "published_at"]
    postmortem.save(update_fields=fields)
    if action == "submit":
        mail.review_requested(postmortem=postmortem, actor=author)
    elif target == PostmortemStatus.PUBLISHED:
        mail.published(postmortem=postmortem, actor=author, override=overriding)
    return postmortem


# ----------------------------------------------------------------------------- accounts


@transaction.atomic
def user_create(*, username: str, password: str, role: str) -> AbstractBaseUser:
    """Create an account with one role."""
    user = get_user_model().objects.create_user(username=username, password=password)
    user_set_role(user=user, role=role)
    return user


@transaction.atomic
def user_set_role(*, user: AbstractBaseUser, role: str) -> None:
    """Give a user exactly one of the roles."""
    groups = roles_ensure()
    user.groups.remove(*groups.values())
    user.groups.add(groups[role])


# ---------------------------------------------------------------------------- API tokens

API_TOKEN_PREFIX = "csc_"  # recognisable in configs and by secret scanners


def api_token_digest(token: str) -> str:
    """Return the stored form of a token: its SHA-256."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenNameTaken(Exception):
    """The user already has a live token of that name."""


@transaction.atomic
def api_token_create(
    *, user: AbstractBaseUser, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a personal token and return it with its secret, which is never stored."""
    name = name.strip()
    if ApiToken.objects.filter(user=user, name=name, revoked_at=None).exists():
        raise TokenNameTaken(f"You already have a token named “{name}”; choose another name.")
    secret = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[: len(API_TOKEN_PREFIX) + 6],
        digest=api_token_digest(secret),
        expires_at=expires_at,
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token: it stops authenticating at once, and stays listed as revoked."""
    ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=timezone.now())
    token.refresh_from_db()
    return token


def api_token_touch(*, token: ApiToken, now: datetime) -> None:
    """Record when a token was last used, at most once a minute (no write per request)."""
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


# ------------------------------------------------------------------ records the API writes
# The web UI saves these through ModelForms; the API validates with serializers and
# comes here, so both paths save through one transaction each.


def _apply_fields(record: models.Model, data: dict[str, Any]) -> None:
    for field, value in data.items():
        setattr(record, field, value)
    validated_save(record)


@transaction.atomic
def event_bulk_create(
    *, items: list[dict[str, Any]], author: AbstractBaseUser, incident: Incident | None = None
) -> list[Event]:
    """Create every event or none: one transaction around the UI's own ``event_save``."""
    events = []
    for item in items:
        item = dict(item)
        services = item.pop("services", [])
        target = item.pop("incident", None) or incident
        item.pop("version", None)  # a new event starts at version 1
        events.append(event_save(incident=target, form_data=item, services=services, author=author))
    return events


@transaction.atomic
def event_update(
    *,
    event: Event,
    data: dict[str, Any],
    author: AbstractBaseUser,
    base_version: int | None = None,
) -> Event:
    """Change an event, keeping its services unless new ones are given."""
    data = dict(data)
    services = data.pop("services", None)
    if services is None:
        services = list(event.services.all())
    data.pop("incident", None)
    return event_save(
        incident=event.incident,
        form_data=data,
        services=services,
        author=author,
        event=event,
        base_version=base_version,
    )


@transaction.atomic
def impact_save(*, data: dict[str, Any], impact: Impact | None = None) -> Impact:
    """Create or change an impact of a service during an incident."""
    impact = impact or Impact()
    _apply_fields(impact, data)
    return impact


@transaction.atomic
def service_save(*, data: dict[str, Any], service: Service | None = None) -> Service:
    """Create or change a service of the catalogue."""
    service = service or Service()
    _apply_fields(service, data)
    return service


@transaction.atomic
def dependency_save(*, data: dict[str, Any], dependency: Dependency | None = None) -> Dependency:
    """Create or change a dependency between two services."""
    dependency = dependency or Dependency()
    _apply_fields(dependency, data)
    return dependency


@transaction.atomic
def action_item_save(
    *,
    data: dict[str, Any],
    item: ActionItem | None = None,
    actor: AbstractBaseUser | None = None,
    base_version: int | None = None,
) -> ActionItem:
    """Create or change an action item; a newly assigned owner is told by e-mail.

    A new due date clears the overdue notice, so the owner hears again if it passes too.
    Raises StaleRecord when the item is no longer at ``base_version``.
    """
    from postmortems.notifications import action_item_assigned

    item = item or ActionItem()
    # Compared with the stored row: a bound ModelForm has already changed ``item`` in memory.
    stored = ActionItem.objects.filter(pk=item.pk).values_list("assignee_id", "due_date").first()
    before_assignee, before_due = stored if stored else (None, None)
    for field, value in data.items():
        setattr(item, field, value)
    if item.due_date != before_due:
        item.overdue_notified_at = None
    validated_save(item, base_version=base_version)
    if item.assignee_id is not None and item.assignee_id != before_assignee:
        action_item_assigned(item=item, actor=actor)
    return item


@transaction.atomic
def action_item_overdue_claim(*, item: ActionItem) -> bool:
    """Mark an overdue item as notified; return False if it already was (by another run).

    One conditional UPDATE: of two overlapping runs of the periodic job, one claims it.
    """
    return bool(
        ActionItem.objects.filter(pk=item.pk, overdue_notified_at=None).update(
            overdue_notified_at=timezone.now()
        )
    )


@transaction.atomic
def record_delete(*, record: models.Model) -> None:
    """Delete a record; records still referring to it (an impacted service) refuse."""
    record.delete()


# ------------------------------------------------------------- the knowledge-base import
# postmortems/exchange.py decides what a document means; these write it, validated like
# every other path, so a document cannot store what a form or the API would refuse.


@transaction.atomic
def kb_record_apply(*, record: models.Model, values: dict[str, Any]) -> str | None:
    """Give a record these values and save it, validated, if anything differs.

    Returns "created", "updated", or None when the record already said all of it.
    """
    if record.pk is None:
        for name, value in values.items():
            setattr(record, name, value)
        validated_save(record)
        return "created"
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    if not changed:
        return None
    for name in changed:
        setattr(record, name, values[name])
    validated_save(record, update_fields=changed)
    return "updated"


@transaction.atomic
def kb_relations_set(*, manager: Any, wanted: list[models.Model]) -> bool:
    """Make a many-to-many relation exactly ``wanted``; return whether it changed."""
    if {item.pk for item in manager.all()} == {item.pk for item in wanted}:
        return False
    manager.set(wanted)
    return True


@transaction.atomic
def kb_relations_add(*, manager: Any, wanted: list[models.Model]) -> bool:
    """Add to a many-to-many relation what ``wanted`` holds and it lacks; return whether it did."""
    held = {item.pk for item in manager.all()}
    missing = [item for item in wanted if item.pk not in held]
    if missing:
        manager.add(*missing)
    return bool(missing)


@transaction.atomic
def kb_placeholder_user_create(*, username: str) -> AbstractBaseUser:
    """Create an account that cannot sign in, so authorship survives an import."""
    model = get_user_model()
    user = model(**{model.USERNAME_FIELD: username}, is_active=False)
    user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def tag_create(*, name: str) -> Tag:
    """Create a tag."""
    tag = Tag(name=name)
    validated_save(tag)
    return tag


@transaction.atomic
def region_create(*, code: str) -> Region:
    """Create a region."""
    region = Region(code=code)
    validated_save(region)
    return region


@transaction.atomic
def revision_date_set(*, revision: PostmortemRevision, created_at: Any) -> None:
    """Keep a revision's original time (the database stamps new rows with now)."""
    PostmortemRevision.objects.filter(pk=revision.pk).update(created_at=created_at)


@transaction.atomic
def source_link_checked(*, source: Source, at: Any, status: str | None, error: str = "") -> None:
    """Record a link check of a source; ``status`` None keeps the last known status.

    One UPDATE of the check's own columns: the text and anything else an editor changes
    meanwhile stay as they are.
    """
    values: dict[str, Any] = {"link_checked_at": at, "link_error": error[:500]}
    if status is not None:
        values["link_status"] = status
    Source.objects.filter(pk=source.pk).update(**values)


@transaction.atomic
def kb_review_clear(*, postmortem: Postmortem) -> tuple[int, int]:
    """Delete a postmortem's approvals and comments before an import rewrites them.

    Returns how many approvals and comments went.
    """
    comments = postmortem.comments.count()
    approvals, _ = postmortem.approvals.all().delete()
    postmortem.comments.all().delete()
    return approvals, comments
