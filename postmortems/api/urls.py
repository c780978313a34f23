from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.urls import include, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from postmortems.api import docs, feeds, kb, views
from postmortems.api import imports as import_views
from postmortems.api.postmortems import PostmortemViewSet


class CascadeRouter(DefaultRouter):
    APIRootView = docs.CascadeAPIRootView


router = CascadeRouter()
router.register("incidents", views.IncidentViewSet, basename="incident")
router.register("services", views.ServiceViewSet, basename="service")
router.register("dependencies", views.DependencyViewSet, basename="dependency")
router.register("events", views.EventViewSet, basename="event")
router.register("impacts", views.ImpactViewSet, basename="impact")
router.register("sources", views.SourceViewSet, basename="source")
router.register("action-items", views.ActionItemViewSet, basename="action-item")
router.register("imports", import_views.SourceImportViewSet, basename="import")
router.register("feeds", feeds.FeedViewSet, basename="feed")
router.register("incident-links", feeds.IncidentLinkViewSet, basename="incident-link")
router.register("service-proposals", feeds.ServiceProposalViewSet, basename="service-proposal")

DOCS_POLICY = csp_replace(
    {
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "worker-src": [SELF, "blob:"],
    }
)

postmortem = PostmortemViewSet.as_view
incident_events = views.IncidentEventViewSet.as_view({"get": "list", "post": "create"})
POSTMORTEM = "incidents/<slug:slug>/postmortem/"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's start script comes from the same address (?script), not inline; both
    # documentation apps style and draw with inline styles, data: images and a worker.
    path("docs/", DOCS_POLICY(SpectacularSwaggerSplitView.as_view(url_name="schema")), name="docs"),
    path("docs/redoc/", DOCS_POLICY(SpectacularRedocView.as_view(url_name="schema")), name="redoc"),
    re_path(r"^docs/assets/(?P<path>.+)$", docs.docs_asset, name="docs-asset"),
    path("kb/export/", kb.KnowledgeBaseExportView.as_view(), name="kb-export"),
    path("kb/import/", kb.KnowledgeBaseImportView.as_view(), name="kb-import"),
    path(
        "incidents/<slug:slug>/kb-export/",
        kb.IncidentKnowledgeBaseExportView.as_view(),
        name="incident-kb-export",
    ),
    path("incidents/<slug:slug>/events/", incident_events, name="incident-events"),
    path(
        POSTMORTEM,
        postmortem({"get": "retrieve", "put": "update", "post": "start"}),
        name="postmortem",
    ),
    path(
        POSTMORTEM + "revisions/",
        postmortem({"get": "revisions"}),
        name="postmortem-revisions",
    ),
    path(
        POSTMORTEM + "revisions/<int:version>/restore/",
        postmortem({"post": "restore"}),
        name="postmortem-restore",
    ),
    path(POSTMORTEM + "submit/", postmortem({"post": "submit"}), name="postmortem-submit"),
    path(POSTMORTEM + "approve/", postmortem({"post": "approve"}), name="postmortem-approve"),
    path(POSTMORTEM + "publish/", postmortem({"post": "publish"}), name="postmortem-publish"),
    path(POSTMORTEM + "return/", postmortem({"post": "return_to_draft"}), name="postmortem-return"),
    path(POSTMORTEM + "reopen/", postmortem({"post": "reopen"}), name="postmortem-reopen"),
    path("", include(router.urls)),
    # Last: whatever else under /api/v1/ is a JSON 404, not Django's HTML page.
    re_path(r"^.*$", docs.NotFoundView.as_view(), name="api-not-found"),
]
