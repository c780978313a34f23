from __future__ import annotations

from django.contrib import admin

from timelines.models import ExportJob, ShareLink


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    list_display = (
        "incident",
        "label",
        "scope",
        "allow_embed",
        "expires_at",
        "revoked_at",
        "view_count",
    )
    list_filter = ("scope", "allow_embed")
    search_fields = ("label", "incident__title", "incident__slug")
    list_select_related = ("incident",)
    # Links are created in the app, where the token is shown once; the admin only inspects.
    readonly_fields = (
        "token_hash",
        "incident",
        "created_by",
        "created_at",
        "view_count",
        "last_viewed_at",
    )

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ("incident", "fmt", "status", "progress", "requested_by", "created_at")
    list_filter = ("status", "fmt")
    search_fields = ("incident__title", "incident__slug")
    exclude = ("content",)
    readonly_fields = ("started_at", "finished_at")
