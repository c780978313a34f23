from __future__ import annotations

from typing import Any

from django.contrib import admin

from postmortems import models
from postmortems.ingest.feeds.models import FEED_POLL_STATUS, FEED_SETTINGS


@admin.register(models.Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "provider", "category"]
    list_filter = ["provider", "category"]
    search_fields = ["name", "provider", "aliases", "description"]


@admin.register(models.Dependency)
class DependencyAdmin(admin.ModelAdmin):
    list_display = ["downstream", "upstream", "kind"]
    list_filter = ["kind", "downstream__provider"]
    search_fields = ["downstream__name", "upstream__name", "note"]
    list_select_related = ["downstream", "upstream"]
    autocomplete_fields = ["downstream", "upstream"]


@admin.register(models.Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(models.Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class EventInline(admin.TabularInline):
    model = models.Event
    extra = 0
    fields = ["occurred_at", "precision", "kind", "title", "source", "review_state"]
    autocomplete_fields = ["source"]
    show_change_link = True


class ImpactInline(admin.TabularInline):
    model = models.Impact
    extra = 0
    autocomplete_fields = ["service"]


class ActionItemInline(admin.TabularInline):
    model = models.ActionItem
    extra = 0


@admin.register(models.Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "slug",
        "severity",
        "status",
        "provider",
        "started_at",
        "root_cause_category",
        "is_draft",
        "origin",
    ]
    list_filter = [
        "is_draft",
        "origin",
        "severity",
        "status",
        "provider",
        "root_cause_category",
        "regions",
        "tags",
    ]
    search_fields = ["title", "slug", "summary"]
    date_hierarchy = "started_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["regions", "tags"]
    inlines = [ImpactInline, EventInline, ActionItemInline]


@admin.register(models.Impact)
class ImpactAdmin(admin.ModelAdmin):
    list_display = ["incident", "service", "level", "role", "started_at", "ended_at"]
    list_filter = ["level", "role"]
    search_fields = ["incident__title", "service__name"]
    list_select_related = ["incident", "service"]
    autocomplete_fields = ["incident", "service"]


@admin.register(models.Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "publisher", "language", "status", "retrieved_at"]
    list_filter = ["status", "language"]
    search_fields = ["title", "url", "publisher", "text"]
    filter_horizontal = ["incidents"]


@admin.register(models.Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "title", "incident", "kind", "review_state", "precision"]
    list_filter = ["kind", "review_state", "precision"]
    search_fields = ["title", "description", "quote"]
    list_select_related = ["incident"]
    autocomplete_fields = ["incident", "source", "services"]
    date_hierarchy = "occurred_at"


@admin.register(models.Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["event", "source", "created_at"]
    search_fields = ["quote", "source__title", "event__title"]
    list_select_related = ["event", "source"]
    autocomplete_fields = ["event", "source"]


class RevisionInline(admin.TabularInline):
    model = models.PostmortemRevision
    extra = 0
    readonly_fields = ["version", "author", "created_at"]
    fields = ["version", "author", "created_at"]


@admin.register(models.Postmortem)
class PostmortemAdmin(admin.ModelAdmin):
    list_display = ["incident", "status", "version", "updated_at"]
    list_filter = ["status"]
    search_fields = ["incident__title", "body"]
    inlines = [RevisionInline]


@admin.register(models.PostmortemApproval)
class PostmortemApprovalAdmin(admin.ModelAdmin):
    list_display = ["postmortem", "version", "reviewer", "override", "created_at"]
    list_filter = ["override"]
    search_fields = ["postmortem__incident__title", "reviewer__username", "note"]
    list_select_related = ["postmortem__incident", "reviewer"]
    # Approvals are the review's record; the review page writes them, the admin reads them.
    readonly_fields = ["postmortem", "version", "reviewer", "override", "note", "created_at"]


@admin.register(models.PostmortemComment)
class PostmortemCommentAdmin(admin.ModelAdmin):
    list_display = ["postmortem", "section", "author", "resolved_at", "created_at"]
    search_fields = ["postmortem__incident__title", "section", "body", "author__username"]
    list_select_related = ["postmortem__incident", "author"]
    raw_id_fields = ["parent"]


@admin.register(models.ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "incident", "owner", "due_date", "status", "priority", "public"]
    list_filter = ["status", "priority", "public"]
    search_fields = ["title", "owner", "incident__title"]
    list_select_related = ["incident"]


@admin.register(models.PostmortemRevision)
class PostmortemRevisionAdmin(admin.ModelAdmin):
    list_display = ["postmortem", "version", "author", "created_at"]
    search_fields = ["postmortem__incident__title", "body"]
    list_select_related = ["postmortem__incident", "author"]
    # History is written by saves only; the admin reads it.
    readonly_fields = ["postmortem", "version", "body", "author", "created_at"]


@admin.register(models.PostmortemDraft)
class PostmortemDraftAdmin(admin.ModelAdmin):
    list_display = ["postmortem", "author", "base_version", "updated_at"]
    search_fields = ["postmortem__incident__title", "author__username"]
    list_select_related = ["postmortem__incident", "author"]


@admin.register(models.SourceImport)
class SourceImportAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "kind",
        "status",
        "progress",
        "incident",
        "events_proposed",
        "created_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["url", "filename", "error", "incident__title"]
    list_select_related = ["incident"]
    readonly_fields = [
        "dedupe_key",
        "source",
        "attempts",
        "dispatched_at",
        "finished_at",
        "created_by",
    ]


@admin.register(models.IdempotencyKey)
class IdempotencyKeyAdmin(admin.ModelAdmin):
    list_display = ["key", "user", "method", "path", "response_status", "created_at"]
    list_filter = ["method", "response_status"]
    search_fields = ["key", "path", "user__username"]
    list_select_related = ["user"]


# --- status feeds ---------------------------------------------------------------------


@admin.register(models.Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ["provider", "url", "kind", "state", "last_polled_at", "consecutive_failures"]
    list_filter = ["kind", "state"]
    search_fields = ["provider", "url", "last_error"]
    fields = list(FEED_SETTINGS)
    readonly_fields = list(FEED_POLL_STATUS)
    actions = ["poll_now"]

    def get_fields(self, request: Any, obj: Any = None) -> list[str]:
        return [*self.fields, *self.readonly_fields] if obj else list(self.fields)

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        # Through the feed services, like every other door.
        from postmortems.ingest.feeds.services import feed_create, feed_update

        data = {name: form.cleaned_data[name] for name in self.fields if name in form.cleaned_data}
        if change:
            feed_update(feed=models.Feed.objects.get(pk=obj.pk), data=data)
        else:
            created = feed_create(
                url=data["url"],
                provider=data["provider"],
                kind=data["kind"],
                poll_interval=data["poll_interval"],
            )
            obj.pk = created.pk

    @admin.action(description="Poll the selected feeds now")
    def poll_now(self, request: Any, queryset: Any) -> None:
        from postmortems.ingest.feeds.polling import feed_poll

        results = [feed_poll(feed_id=feed_id) for feed_id in queryset.values_list("id", flat=True)]
        failed = [result for result in results if result.outcome == "failed"]
        self.message_user(request, f"Polled {len(results)} feed(s); {len(failed)} failed.")


class FeedUpdateInline(admin.TabularInline):
    model = models.FeedUpdate
    extra = 0
    fields = ["update_id", "event"]
    readonly_fields = fields
    can_delete = False


@admin.register(models.FeedEntry)
class FeedEntryAdmin(admin.ModelAdmin):
    list_display = ["title", "feed", "incident", "created_incident", "updated_at"]
    list_filter = ["feed"]
    search_fields = ["title", "entry_id"]
    list_select_related = ["feed", "incident"]
    readonly_fields = ["feed", "entry_id", "content_hash", "incident", "source", "components"]
    inlines = [FeedUpdateInline]


@admin.register(models.IncidentLink)
class IncidentLinkAdmin(admin.ModelAdmin):
    list_display = ["downstream", "upstream", "state", "decided_at"]
    list_filter = ["state"]
    search_fields = ["downstream__title", "upstream__title", "reason"]
    list_select_related = ["downstream", "upstream"]
    readonly_fields = ["upstream", "downstream", "reason", "decided_by", "decided_at"]


@admin.register(models.ServiceProposal)
class ServiceProposalAdmin(admin.ModelAdmin):
    list_display = ["name", "provider", "state", "created_at"]
    list_filter = ["state", "provider"]
    search_fields = ["name", "provider"]


@admin.register(models.FeedUpdate)
class FeedUpdateAdmin(admin.ModelAdmin):
    list_display = ["update_id", "entry", "event"]
    search_fields = ["update_id", "entry__title"]
    list_select_related = ["entry", "event"]
    readonly_fields = ["entry", "update_id", "event"]


@admin.register(models.ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    list_select_related = ["user"]
    # Only the digest is stored; nobody, admins included, can read or change a token here.
    readonly_fields = ["user", "name", "prefix", "digest", "created_at", "last_used_at"]


# The dashboard's derived figures and the generation they (and cached timelines) are checked
# against: shown to look at, never edited (postmortems/generation.py moves it on).
@admin.register(models.Generation)
class GenerationAdmin(admin.ModelAdmin):
    list_display = ["id", "value"]
    search_fields = ["value"]
    readonly_fields = ["value"]


@admin.register(models.DashboardSnapshot)
class DashboardSnapshotAdmin(admin.ModelAdmin):
    list_display = ["key", "generation", "computed_at"]
    search_fields = ["key"]
    readonly_fields = ["key", "generation", "figures", "computed_at"]
