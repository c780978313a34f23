"""The knowledge base as one JSON document, out and back in, with nothing lost.

Records are keyed by natural keys, never by database ids: an incident by its slug, a
service by ``[provider, name]``, a source by its URL or else ``sha256:<content hash>``,
a user by username. Every list is sorted, and the document is written with fixed key
order and indentation, so two exports of the same knowledge base are byte-identical.

Import makes the records of the document exist as the document says. For an incident in
the document its children (impacts, events, action items, postmortem, revisions, drafts)
are made exactly those of the document; records that are not in the document at all are
left alone. Importing the same document twice changes nothing the second time.

A merge (``kb_import(..., merge=True)``, ``import_kb --merge``, ``POST
/api/v1/kb/import/?merge=true``) deletes nothing: the document's records are made as it
says, but what people added to its incidents stays (other impacts, events and action
items; other regions, tags and sources), and an incident that already has a postmortem
keeps it as its authors left it (body, versions, drafts, review). The demo is loaded so
(``postmortems/demo.py``), so loading it again never loses what someone added to it.

Left out on purpose: import-pipeline bookkeeping (SourceImport rows), share links,
idempotency keys, passwords and roles, and the ``created_at``/``updated_at`` stamps the
database sets itself.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch

from postmortems import services
from postmortems.models import (
    ActionItem,
    Dependency,
    Event,
    Impact,
    Incident,
    Postmortem,
    PostmortemApproval,
    PostmortemComment,
    PostmortemDraft,
    PostmortemRevision,
    Region,
    Service,
    Source,
    Tag,
)

FORMAT = "cascade-kb"
VERSION = 1


class ExchangeError(ValueError):
    """The document cannot be imported; the message says why and where."""


# ---------------------------------------------------------------------------- values


def _time(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _parse_time(value: str | None, where: str) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (TypeError, ValueError, AttributeError):
        raise ExchangeError(f"{where}: not an ISO 8601 time: {value!r}") from None
    if moment.tzinfo is None:
        raise ExchangeError(f"{where}: the time has no offset: {value!r}")
    return moment.astimezone(UTC)


def _parse_day(value: str | None, where: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ExchangeError(f"{where}: not an ISO 8601 date: {value!r}") from None


def service_key(service: Service) -> list[str]:
    """Return the natural key of a service."""
    return [service.provider, service.name]


def source_key(source: Source) -> str:
    """Return the natural key of a source: its URL, else the hash of its text."""
    if source.url:
        return source.url
    if source.content_hash:
        return f"sha256:{source.content_hash}"
    return f"source:{source.title}"


def _username(user: AbstractBaseUser | None) -> str | None:
    return user.get_username() if user else None


def _sorted(items: list[dict[str, Any]], *key_fields: str) -> list[dict[str, Any]]:
    # The natural key first; the whole record breaks ties, so the order is total.
    def order(item: dict[str, Any]) -> tuple[str, str]:
        head = json.dumps([item.get(name) for name in key_fields], sort_keys=True, default=str)
        return head, json.dumps(item, sort_keys=True, default=str)

    return sorted(items, key=order)


# ---------------------------------------------------------------------------- export


def _incidents_for_export(slug: str | None) -> list[Incident]:
    incidents = Incident.objects.prefetch_related(
        "regions",
        "tags",
        Prefetch("sources", queryset=Source.objects.only("id", "url", "content_hash", "title")),
        Prefetch("impacts", queryset=Impact.objects.select_related("service")),
        Prefetch(
            "events",
            queryset=Event.objects.select_related("source", "added_by").prefetch_related(
                "services"
            ),
        ),
        Prefetch("action_items", queryset=ActionItem.objects.select_related("assignee")),
        Prefetch(
            "postmortem__revisions", queryset=PostmortemRevision.objects.select_related("author")
        ),
        Prefetch("postmortem__drafts", queryset=PostmortemDraft.objects.select_related("author")),
        Prefetch(
            "postmortem__approvals",
            queryset=PostmortemApproval.objects.select_related("reviewer"),
        ),
        Prefetch(
            "postmortem__comments",
            queryset=PostmortemComment.objects.select_related("author", "resolved_by"),
        ),
    ).select_related("postmortem", "postmortem__updated_by", "postmortem__submitted_by")
    if slug is not None:
        incidents = incidents.filter(slug=slug)
    return list(incidents.order_by("slug"))


def _review_document(postmortem: Postmortem) -> dict[str, Any]:
    """Return who sent the postmortem to review, the approvals and the comment threads."""
    approvals = [
        {
            "reviewer": _username(approval.reviewer),
            "version": approval.version,
            "override": approval.override,
            "note": approval.note,
            "created_at": _time(approval.created_at),
        }
        for approval in postmortem.approvals.all()
    ]
    comments = list(postmortem.comments.all())
    replies: dict[int, list[PostmortemComment]] = defaultdict(list)
    for comment in comments:
        if comment.parent_id is not None:
            replies[comment.parent_id].append(comment)

    def one(comment: PostmortemComment) -> dict[str, Any]:
        return {
            "author": _username(comment.author),
            "body": comment.body,
            "created_at": _time(comment.created_at),
        }

    threads = [
        {
            **one(root),
            "section": root.section,
            "resolved_at": _time(root.resolved_at),
            "resolved_by": _username(root.resolved_by),
            "replies": [
                one(reply) for reply in sorted(replies[root.pk], key=lambda c: (c.created_at, c.pk))
            ],
        }
        for root in comments
        if root.parent_id is None
    ]
    return {
        "submitted_by": _username(postmortem.submitted_by),
        "submitted_at": _time(postmortem.submitted_at),
        "approvals": _sorted(approvals, "created_at"),
        "comments": _sorted(threads, "created_at"),
    }


def _postmortem_document(incident: Incident) -> dict[str, Any] | None:
    try:
        postmortem = incident.postmortem
    except Postmortem.DoesNotExist:
        return None
    return {
        "body": postmortem.body,
        "status": postmortem.status,
        "version": postmortem.version,
        "published_body": postmortem.published_body,
        "published_at": _time(postmortem.published_at),
        "updated_by": _username(postmortem.updated_by),
        "revisions": sorted(
            (
                {
                    "version": revision.version,
                    "body": revision.body,
                    "author": _username(revision.author),
                    "created_at": _time(revision.created_at),
                }
                for revision in postmortem.revisions.all()
            ),
            key=lambda item: item["version"],
        ),
        "drafts": _sorted(
            [
                {
                    "author": _username(draft.author),
                    "body": draft.body,
                    "base_version": draft.base_version,
                }
                for draft in postmortem.drafts.all()
            ],
            "author",
        ),
        "review": _review_document(postmortem),
    }


def _incident_document(incident: Incident) -> dict[str, Any]:
    return {
        "slug": incident.slug,
        "title": incident.title,
        "summary": incident.summary,
        "provider": incident.provider,
        "severity": incident.severity,
        "status": incident.status,
        "root_cause_category": incident.root_cause_category,
        "started_at": _time(incident.started_at),
        "detected_at": _time(incident.detected_at),
        "mitigated_at": _time(incident.mitigated_at),
        "resolved_at": _time(incident.resolved_at),
        "regions": sorted(region.code for region in incident.regions.all()),
        "tags": sorted(tag.name for tag in incident.tags.all()),
        "sources": sorted(source_key(source) for source in incident.sources.all()),
        "impacts": _sorted(
            [
                {
                    "service": service_key(impact.service),
                    "started_at": _time(impact.started_at),
                    "ended_at": _time(impact.ended_at),
                    "level": impact.level,
                    "role": impact.role,
                    "note": impact.note,
                }
                for impact in incident.impacts.all()
            ],
            "service",
            "started_at",
        ),
        "events": _sorted(
            [
                {
                    "occurred_at": _time(event.occurred_at),
                    "kind": event.kind,
                    "title": event.title,
                    "description": event.description,
                    "precision": event.precision,
                    "source_timezone": event.source_timezone,
                    "services": sorted(service_key(service) for service in event.services.all()),
                    "source": source_key(event.source) if event.source else None,
                    "quote": event.quote,
                    "quote_start": event.quote_start,
                    "quote_end": event.quote_end,
                    "review_state": event.review_state,
                    "review_note": event.review_note,
                    "added_by": _username(event.added_by),
                }
                for event in incident.events.all()
            ],
            "occurred_at",
            "kind",
            "title",
        ),
        "action_items": _sorted(
            [
                {
                    "title": item.title,
                    "assignee": _username(item.assignee),
                    "owner": item.owner,
                    "due_date": _day(item.due_date),
                    "status": item.status,
                    "priority": item.priority,
                    "link": item.link,
                    "public": item.public,
                }
                for item in incident.action_items.all()
            ],
            "title",
        ),
        "postmortem": _postmortem_document(incident),
    }


def kb_export(*, incident_slug: str | None = None) -> dict[str, Any]:
    """Return the knowledge base, or one incident and what it refers to, as a document.

    Raises Incident.DoesNotExist for an unknown slug.
    """
    incidents = _incidents_for_export(incident_slug)
    if incident_slug is not None and not incidents:
        raise Incident.DoesNotExist(f"No incident {incident_slug!r}.")
    documents = [_incident_document(incident) for incident in incidents]

    services = Service.objects.all()
    sources = Source.objects.all()
    regions = Region.objects.all()
    tags = Tag.objects.all()
    dependencies = Dependency.objects.select_related("downstream", "upstream")
    if incident_slug is not None:
        incident = incidents[0]
        service_ids = {impact.service_id for impact in incident.impacts.all()} | {
            service.pk for event in incident.events.all() for service in event.services.all()
        }
        services = services.filter(pk__in=service_ids)
        dependencies = dependencies.filter(
            downstream_id__in=service_ids, upstream_id__in=service_ids
        )
        source_ids = {source.pk for source in incident.sources.all()} | {
            event.source_id for event in incident.events.all() if event.source_id
        }
        sources = sources.filter(pk__in=source_ids)
        regions = regions.filter(incidents=incident)
        tags = tags.filter(incidents=incident)

    return {
        "format": FORMAT,
        "version": VERSION,
        "scope": {"incident": incident_slug} if incident_slug else {"incident": None},
        "services": _sorted(
            [
                {
                    "provider": service.provider,
                    "name": service.name,
                    "category": service.category,
                    "aliases": list(service.aliases),
                    "description": service.description,
                }
                for service in services
            ],
            "provider",
            "name",
        ),
        "dependencies": _sorted(
            [
                {
                    "downstream": service_key(dependency.downstream),
                    "upstream": service_key(dependency.upstream),
                    "kind": dependency.kind,
                    "note": dependency.note,
                }
                for dependency in dependencies
            ],
            "downstream",
            "upstream",
        ),
        "regions": _sorted(
            [{"code": region.code, "name": region.name} for region in regions], "code"
        ),
        "tags": sorted(tag.name for tag in tags),
        "sources": _sorted(
            [
                {
                    "key": source_key(source),
                    "url": source.url,
                    "title": source.title,
                    "publisher": source.publisher,
                    "language": source.language,
                    "published_at": _time(source.published_at),
                    "retrieved_at": _time(source.retrieved_at),
                    "status": source.status,
                    "error": source.error,
                    "content_hash": source.content_hash,
                    "text": source.text,
                    "raw_content": source.raw_content,
                }
                for source in sources
            ],
            "key",
        ),
        "incidents": documents,
    }


def kb_dumps(document: dict[str, Any]) -> str:
    """Return the document as the exact text an export writes (stable for diffs)."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------------- import


@dataclass
class ImportReport:
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    updated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    deleted: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def as_dict(self) -> dict[str, dict[str, int]]:
        """Return the counts per kind of record, for people and for the API."""
        return {
            "created": dict(sorted(self.created.items())),
            "updated": dict(sorted(self.updated.items())),
            "deleted": dict(sorted(self.deleted.items())),
        }

    @property
    def changed(self) -> bool:
        """Return True when the import changed anything."""
        return bool(self.created or self.updated or self.deleted)


def kb_loads(text: str | bytes) -> dict[str, Any]:
    """Return the parsed document, or raise ExchangeError on bad JSON or a foreign format."""
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ExchangeError(f"Not JSON: {error}") from None
    except RecursionError:
        raise ExchangeError("Not a knowledge-base export: the JSON is nested too deeply.") from None
    check_header(document)
    return document


def check_header(document: Any) -> None:
    """Raise ExchangeError unless this is a knowledge-base document of a known version."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ExchangeError(f'Not a knowledge-base export: expected "format": "{FORMAT}".')
    if document.get("version") != VERSION:
        raise ExchangeError(
            f"Unknown version {document.get('version')!r} of {FORMAT}; this Cascade reads "
            f"version {VERSION}."
        )


class _Importer:
    def __init__(self, *, merge: bool = False) -> None:
        self.merge = merge
        self.report = ImportReport()
        self.services: dict[tuple[str, str], Service] = {
            (service.provider.lower(), service.name.lower()): service
            for service in Service.objects.all()
        }
        self.sources: dict[str, Source] = {
            source_key(source): source for source in Source.objects.all()
        }
        self.users: dict[str, AbstractBaseUser] = {}

    # -- helpers

    def _save(self, record: Any, values: dict[str, Any], kind: str) -> Any:
        """Set the values; save (validated) only what differs, and count it."""
        outcome = services.kb_record_apply(record=record, values=values)
        if outcome == "created":
            self.report.created[kind] += 1
        elif outcome == "updated":
            self.report.updated[kind] += 1
        return record

    def _set_many(self, manager: Any, wanted: list[Any], kind: str) -> None:
        write = services.kb_relations_add if self.merge else services.kb_relations_set
        if write(manager=manager, wanted=wanted):
            self.report.updated[kind] += 1

    def user(self, username: str | None) -> AbstractBaseUser | None:
        if username is None:
            return None
        if username not in self.users:
            model = get_user_model()
            user = model.objects.filter(**{model.USERNAME_FIELD: username}).first()
            if user is None:
                # A placeholder that cannot sign in, so authorship survives the trip.
                user = services.kb_placeholder_user_create(username=username)
                self.report.created["users"] += 1
            self.users[username] = user
        return self.users[username]

    def service(self, key: Any, where: str) -> Service:
        try:
            provider, name = key
            return self.services[(provider.lower(), name.lower())]
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ExchangeError(f"{where}: unknown service {key!r}.") from None

    def source(self, key: str | None, where: str) -> Source | None:
        if key is None:
            return None
        try:
            return self.sources[key]
        except (KeyError, TypeError):
            raise ExchangeError(f"{where}: unknown source {key!r}.") from None

    # -- top-level records

    def import_services(self, items: list[dict[str, Any]]) -> None:
        for item in items:
            lookup = (item["provider"].lower(), item["name"].lower())
            service = self.services.get(lookup) or Service()
            self.services[lookup] = self._save(
                service,
                {
                    "provider": item["provider"],
                    "name": item["name"],
                    "category": item["category"],
                    "aliases": list(item["aliases"]),
                    "description": item["description"],
                },
                "services",
            )

    def import_dependencies(self, items: list[dict[str, Any]]) -> None:
        for number, item in enumerate(items):
            where = f"dependencies[{number}]"
            downstream = self.service(item["downstream"], where)
            upstream = self.service(item["upstream"], where)
            dependency = Dependency.objects.filter(downstream=downstream, upstream=upstream).first()
            self._save(
                dependency or Dependency(downstream=downstream, upstream=upstream),
                {"kind": item["kind"], "note": item["note"]},
                "dependencies",
            )

    def import_regions(self, items: list[dict[str, Any]], tags: list[str]) -> None:
        for item in items:
            region = Region.objects.filter(code=item["code"]).first() or Region(code=item["code"])
            self._save(region, {"name": item["name"]}, "regions")
        existing = set(Tag.objects.filter(name__in=tags).values_list("name", flat=True))
        for name in tags:
            if name not in existing:
                services.tag_create(name=name)
                self.report.created["tags"] += 1

    def import_sources(self, items: list[dict[str, Any]]) -> None:
        for number, item in enumerate(items):
            where = f"sources[{number}]"
            source = self.sources.get(item["key"])
            if source is None and item["url"]:
                source = Source.objects.filter(url=item["url"]).first()
            if source is None and item["content_hash"]:
                source = Source.objects.filter(content_hash=item["content_hash"]).first()
            self.sources[item["key"]] = self._save(
                source or Source(),
                {
                    "url": item["url"],
                    "title": item["title"],
                    "publisher": item["publisher"],
                    "language": item["language"],
                    "published_at": _parse_time(item["published_at"], where),
                    "retrieved_at": _parse_time(item["retrieved_at"], where),
                    "status": item["status"],
                    "error": item["error"],
                    "content_hash": item["content_hash"],
                    "text": item["text"],
                    "raw_content": item["raw_content"],
                },
                "sources",
            )

    # -- incidents

    def import_incident(self, item: dict[str, Any], number: int) -> None:
        where = f"incidents[{number}] ({item.get('slug')!r})"
        incident = Incident.objects.filter(slug=item["slug"]).first() or Incident()
        incident = self._save(
            incident,
            {
                "slug": item["slug"],
                "title": item["title"],
                "summary": item["summary"],
                "provider": item["provider"],
                "severity": item["severity"],
                "status": item["status"],
                "root_cause_category": item["root_cause_category"],
                **{
                    name: _parse_time(item[name], where)
                    for name in ("started_at", "detected_at", "mitigated_at", "resolved_at")
                },
            },
            "incidents",
        )
        regions = list(Region.objects.filter(code__in=item["regions"]))
        regions += [
            services.region_create(code=code)
            for code in sorted(set(item["regions"]) - {region.code for region in regions})
        ]
        self._set_many(incident.regions, regions, "incident regions")
        tags = list(Tag.objects.filter(name__in=item["tags"]))
        tags += [
            services.tag_create(name=name)
            for name in sorted(set(item["tags"]) - {tag.name for tag in tags})
        ]
        self._set_many(incident.tags, tags, "incident tags")
        self._set_many(
            incident.sources,
            [self.source(key, where) for key in item["sources"]],
            "incident sources",
        )
        self._import_impacts(incident, item["impacts"], where)
        self._import_events(incident, item["events"], where)
        self._import_action_items(incident, item["action_items"], where)
        self._import_postmortem(incident, item["postmortem"], where)

    def _match(
        self, existing: list[Any], items: list[dict[str, Any]], key: Any
    ) -> list[tuple[Any | None, dict[str, Any]]]:
        """Pair each item with an existing record of the same key (first come, first paired)."""
        pool: dict[Any, list[Any]] = defaultdict(list)
        for record in existing:
            pool[key(record, None)].append(record)
        pairs = [(None, item) for item in items]
        for index, item in enumerate(items):
            candidates = pool.get(key(None, item))
            if candidates:
                pairs[index] = (candidates.pop(0), item)
        self._leftovers = [record for records in pool.values() for record in records]
        return pairs

    def _delete_leftovers(self, kind: str) -> None:
        if self.merge:  # a merge keeps what is not in the document
            return
        for record in self._leftovers:
            services.record_delete(record=record)
            self.report.deleted[kind] += 1

    def _import_impacts(self, incident: Incident, items: list[dict], where: str) -> None:
        def key(record: Impact | None, item: dict | None) -> tuple:
            if record is not None:
                return (record.service_id, record.started_at)
            return (
                self.service(item["service"], where).pk,
                _parse_time(item["started_at"], where),
            )

        for impact, item in self._match(list(incident.impacts.all()), items, key):
            self._save(
                impact or Impact(incident=incident),
                {
                    "service": self.service(item["service"], where),
                    "started_at": _parse_time(item["started_at"], where),
                    "ended_at": _parse_time(item["ended_at"], where),
                    "level": item["level"],
                    "role": item["role"],
                    "note": item["note"],
                },
                "impacts",
            )
        self._delete_leftovers("impacts")

    def _import_events(self, incident: Incident, items: list[dict], where: str) -> None:
        def key(record: Event | None, item: dict | None) -> tuple:
            # An event quoting a source is that moment of that sentence (the database's
            # event_unique_per_source_moment), whatever its title now says; others are
            # told apart by their title too.
            if record is not None:
                moment = (record.occurred_at, record.kind, record.source_id, record.quote_start)
                title = record.title
            else:
                source = self.source(item["source"], where)
                moment = (
                    _parse_time(item["occurred_at"], where),
                    item["kind"],
                    source.pk if source else None,
                    item["quote_start"],
                )
                title = item["title"]
            return (*moment, "" if None not in moment[2:] else title)

        existing = list(incident.events.prefetch_related("services"))
        pairs = self._match(existing, items, key)
        self._delete_leftovers("events")  # first: a leftover may hold a unique slot
        for event, item in pairs:
            event = self._save(
                event or Event(incident=incident),
                {
                    "occurred_at": _parse_time(item["occurred_at"], where),
                    "kind": item["kind"],
                    "title": item["title"],
                    "description": item["description"],
                    "precision": item["precision"],
                    "source_timezone": item["source_timezone"],
                    "source": self.source(item["source"], where),
                    "quote": item["quote"],
                    "quote_start": item["quote_start"],
                    "quote_end": item["quote_end"],
                    "review_state": item["review_state"],
                    "review_note": item["review_note"],
                    "added_by": self.user(item["added_by"]),
                },
                "events",
            )
            self._set_many(
                event.services,
                [self.service(key, where) for key in item["services"]],
                "event services",
            )

    def _import_action_items(self, incident: Incident, items: list[dict], where: str) -> None:
        def key(record: ActionItem | None, item: dict | None) -> str:
            return record.title if record is not None else item["title"]

        for action, item in self._match(list(incident.action_items.all()), items, key):
            self._save(
                action or ActionItem(incident=incident),
                {
                    "title": item["title"],
                    "assignee": self.user(item.get("assignee")),
                    "owner": item["owner"],
                    "due_date": _parse_day(item["due_date"], where),
                    "status": item["status"],
                    "priority": item["priority"],
                    "link": item["link"],
                    "public": item["public"],
                },
                "action items",
            )
        self._delete_leftovers("action items")

    def _import_postmortem(self, incident: Incident, item: dict | None, where: str) -> None:
        current = Postmortem.objects.filter(incident=incident).first()
        if self.merge and current is not None:
            return  # its authors' since the document was written: a merge keeps it
        if item is None:
            if current is not None:
                services.record_delete(record=current)
                self.report.deleted["postmortems"] += 1
            return
        postmortem = self._save(
            current or Postmortem(incident=incident),
            {
                "body": item["body"],
                "status": item["status"],
                "version": item["version"],
                "published_body": item["published_body"],
                "published_at": _parse_time(item["published_at"], where),
                "updated_by": self.user(item["updated_by"]),
            },
            "postmortems",
        )
        revisions = {revision.version: revision for revision in postmortem.revisions.all()}
        wanted = set()
        for revision_item in item["revisions"]:
            wanted.add(revision_item["version"])
            revision = self._save(
                revisions.get(revision_item["version"])
                or PostmortemRevision(postmortem=postmortem, version=revision_item["version"]),
                {
                    "body": revision_item["body"],
                    "author": self.user(revision_item["author"]),
                },
                "revisions",
            )
            # created_at is set by the database on insert; history keeps its own times.
            created_at = _parse_time(revision_item["created_at"], where)
            if created_at and revision.created_at != created_at:
                services.revision_date_set(revision=revision, created_at=created_at)
        for version, revision in revisions.items():
            if version not in wanted:
                services.record_delete(record=revision)
                self.report.deleted["revisions"] += 1
        drafts = {draft.author_id: draft for draft in postmortem.drafts.all()}
        wanted_authors = set()
        for draft_item in item.get("drafts", []):
            author = self.user(draft_item["author"])
            wanted_authors.add(author.pk)
            self._save(
                drafts.get(author.pk) or PostmortemDraft(postmortem=postmortem, author=author),
                {"body": draft_item["body"], "base_version": draft_item["base_version"]},
                "drafts",
            )
        for author_id, draft in drafts.items():
            if author_id not in wanted_authors:
                services.record_delete(record=draft)
                self.report.deleted["drafts"] += 1
        if "review" in item:  # documents written before reviews existed have none
            self._import_review(postmortem, item["review"], where)

    def _import_review(self, postmortem: Postmortem, item: dict[str, Any], where: str) -> None:
        """Make the review as the document says: rewritten whole when it differs."""
        self._save(
            postmortem,
            {
                "submitted_by": self.user(item["submitted_by"]),
                "submitted_at": _parse_time(item["submitted_at"], where),
            },
            "postmortems",
        )
        current = Postmortem.objects.prefetch_related(
            "approvals__reviewer", "comments__author", "comments__resolved_by"
        ).get(pk=postmortem.pk)
        mine = _review_document(current)
        if (mine["approvals"], mine["comments"]) == (item["approvals"], item["comments"]):
            return
        deleted_approvals, deleted_comments = services.kb_review_clear(postmortem=postmortem)
        self.report.deleted["approvals"] += deleted_approvals
        self.report.deleted["comments"] += deleted_comments
        for approval in item["approvals"]:
            created = PostmortemApproval(postmortem=postmortem)
            services.kb_record_apply(
                record=created,
                values={
                    "reviewer": self.user(approval["reviewer"]),
                    "version": approval["version"],
                    "override": approval["override"],
                    "note": approval["note"],
                },
            )
            self._keep_time(PostmortemApproval, created, approval["created_at"], where)
            self.report.created["approvals"] += 1
        for thread in item["comments"]:
            root = PostmortemComment(postmortem=postmortem)
            services.kb_record_apply(
                record=root,
                values={
                    "section": thread["section"],
                    "author": self.user(thread["author"]),
                    "body": thread["body"],
                    "resolved_at": _parse_time(thread["resolved_at"], where),
                    "resolved_by": self.user(thread["resolved_by"]),
                },
            )
            self._keep_time(PostmortemComment, root, thread["created_at"], where)
            for reply in thread["replies"]:
                created = PostmortemComment(postmortem=postmortem, parent=root)
                services.kb_record_apply(
                    record=created,
                    values={
                        "section": thread["section"],
                        "author": self.user(reply["author"]),
                        "body": reply["body"],
                    },
                )
                self._keep_time(PostmortemComment, created, reply["created_at"], where)
            self.report.created["comments"] += 1 + len(thread["replies"])

    @staticmethod
    def _keep_time(model: Any, record: Any, created_at: str | None, where: str) -> None:
        # created_at is set by the database on insert; the review keeps its own times.
        moment = _parse_time(created_at, where)
        if moment is not None:
            model.objects.filter(pk=record.pk).update(created_at=moment)


@transaction.atomic
def kb_import(*, document: dict[str, Any], merge: bool = False) -> ImportReport:
    """Make the records of the document exist as it says; all of it or nothing.

    With ``merge``, nothing is deleted and existing postmortems are kept (see above).
    Raises ExchangeError on a document that is not a knowledge-base export of a known
    version, or whose records are incomplete or contradict each other.
    """
    check_header(document)
    importer = _Importer(merge=merge)
    try:
        importer.import_services(document["services"])
        importer.import_dependencies(document["dependencies"])
        importer.import_regions(document["regions"], document["tags"])
        importer.import_sources(document["sources"])
        for number, item in enumerate(document["incidents"]):
            importer.import_incident(item, number)
    except KeyError as error:
        raise ExchangeError(f"A record lacks the field {error}.") from None
    except (TypeError, AttributeError) as error:
        raise ExchangeError(f"A record has a value of the wrong type: {error}.") from None
    except IntegrityError as error:
        raise ExchangeError(f"The records contradict each other or the database: {error}") from None
    except ValidationError as error:
        problems = "; ".join(
            f"{field}: {' '.join(messages)}"
            for field, messages in getattr(
                error, "message_dict", {"record": error.messages}
            ).items()
        )
        raise ExchangeError(f"A record is not valid: {problems}") from None
    return importer.report


__all__ = [
    "FORMAT",
    "VERSION",
    "ExchangeError",
    "ImportReport",
    "kb_dumps",
    "kb_export",
    "kb_import",
    "kb_loads",
    "source_key",
]
