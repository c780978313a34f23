from __future__ import annotations

from django.urls import path, re_path

from postmortems.views import editing, incidents, insights, postmortem, review, tokens
from postmortems.views import feeds as feed_views
from postmortems.views import imports as import_views

app_name = "postmortems"

urlpatterns = [
    path("", incidents.incident_list, name="incident_list"),
    path("incidents/new/", editing.incident_create, name="incident_create"),
    path("incidents/<slug:slug>/", incidents.incident_detail, name="incident_detail"),
    path("incidents/<slug:slug>/edit/", editing.incident_edit, name="incident_edit"),
    path("incidents/<slug:slug>/events/new/", editing.event_create, name="event_create"),
    path("events/<int:pk>/edit/", editing.event_edit, name="event_edit"),
    path("events/<int:pk>/", editing.event_row, name="event_row"),
    path("incidents/<slug:slug>/impacts/new/", editing.impact_create, name="impact_create"),
    path("impacts/<int:pk>/edit/", editing.impact_edit, name="impact_edit"),
    path(
        "incidents/<slug:slug>/actions/new/", editing.action_item_create, name="action_item_create"
    ),
    path("actions/<int:pk>/edit/", editing.action_item_edit, name="action_item_edit"),
    path("actions/", editing.action_items, name="action_items"),
    path(
        "incidents/<slug:slug>/postmortem/", postmortem.postmortem_detail, name="postmortem_detail"
    ),
    path(
        "incidents/<slug:slug>/postmortem/start/",
        postmortem.postmortem_start,
        name="postmortem_start",
    ),
    path(
        "incidents/<slug:slug>/postmortem/edit/", postmortem.postmortem_edit, name="postmortem_edit"
    ),
    path(
        "incidents/<slug:slug>/postmortem/preview/",
        postmortem.postmortem_preview,
        name="postmortem_preview",
    ),
    path(
        "incidents/<slug:slug>/postmortem/autosave/",
        postmortem.postmortem_autosave,
        name="postmortem_autosave",
    ),
    path(
        "incidents/<slug:slug>/postmortem/refresh-timeline/",
        postmortem.postmortem_refresh_timeline,
        name="postmortem_refresh_timeline",
    ),
    path(
        "incidents/<slug:slug>/postmortem/revisions/",
        postmortem.postmortem_revisions,
        name="postmortem_revisions",
    ),
    path(
        "incidents/<slug:slug>/postmortem/revisions/<int:version>/restore/",
        postmortem.postmortem_restore,
        name="postmortem_restore",
    ),
    path(
        "incidents/<slug:slug>/postmortem/review/",
        review.postmortem_review,
        name="postmortem_review",
    ),
    path(
        "incidents/<slug:slug>/postmortem/review/comments/",
        review.postmortem_comment_add,
        name="postmortem_comment_add",
    ),
    path(
        "incidents/<slug:slug>/postmortem/review/comments/<int:pk>/resolve/",
        review.postmortem_comment_resolve,
        name="postmortem_comment_resolve",
    ),
    path(
        "incidents/<slug:slug>/postmortem/review/approve/",
        review.postmortem_approve,
        name="postmortem_approve",
    ),
    path(
        "incidents/<slug:slug>/postmortem/<str:action>/",
        postmortem.postmortem_transition,
        name="postmortem_transition",
    ),
    path("services/", incidents.service_list, name="service_list"),
    path("services/new/", editing.service_create, name="service_create"),
    path("services/<int:pk>/", incidents.service_detail, name="service_detail"),
    path("services/<int:pk>/edit/", editing.service_edit, name="service_edit"),
    path(
        "services/<int:pk>/dependencies/new/", editing.dependency_create, name="dependency_create"
    ),
    path("dependencies/<int:pk>/delete/", editing.dependency_delete, name="dependency_delete"),
    path("sources/<int:pk>/", incidents.source_detail, name="source_detail"),
    path("account/tokens/", tokens.api_tokens, name="api_tokens"),
    path("account/tokens/<int:pk>/revoke/", tokens.api_token_revoke, name="api_token_revoke"),
    path("users/", editing.users, name="users"),
    path("feeds/", feed_views.feed_list, name="feed_list"),
    re_path(
        r"^feeds/(?P<pk>[0-9]+)/(?P<action>poll|pause|resume)/$",
        feed_views.feed_action,
        name="feed_action",
    ),
    re_path(
        r"^service-proposals/(?P<pk>[0-9]+)/(?P<action>accept|reject)/$",
        feed_views.service_proposal_action,
        name="service_proposal_action",
    ),
    re_path(
        r"^incident-links/(?P<pk>[0-9]+)/(?P<action>accept|reject)/$",
        feed_views.incident_link_action,
        name="incident_link_action",
    ),
    path("users/<int:pk>/role/", editing.user_role, name="user_role"),
    path("search/", insights.search, name="search"),
    path("dashboard/", insights.dashboard, name="dashboard"),
    # The import pipeline: submit, follow, review.
    path("imports/", import_views.import_list, name="import_list"),
    path("imports/new/", import_views.import_new, name="import_new"),
    path("imports/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("imports/<int:pk>/status/", import_views.import_status, name="import_status"),
    path("imports/<int:pk>/review/", import_views.import_review, name="import_review"),
    path("incidents/<slug:slug>/review/", import_views.incident_review, name="incident_review"),
    path(
        "incidents/<slug:slug>/review/accept-all/",
        import_views.incident_review_accept_all,
        name="incident_review_accept_all",
    ),
    path(
        "incidents/<slug:slug>/review/split/",
        import_views.incident_review_split,
        name="incident_review_split",
    ),
    path("imports/drafts/", import_views.draft_list, name="draft_list"),
    path("incidents/<slug:slug>/confirm/", import_views.incident_confirm, name="incident_confirm"),
    path(
        "proposals/<int:pk>/add-service/",
        import_views.proposal_add_service,
        name="proposal_add_service",
    ),
    path("proposals/<int:pk>/accept/", import_views.proposal_accept, name="proposal_accept"),
    path("proposals/<int:pk>/reject/", import_views.proposal_reject, name="proposal_reject"),
    path("proposals/<int:pk>/keep/", import_views.proposal_keep, name="proposal_keep"),
    path("proposals/<int:pk>/edit/", import_views.proposal_edit, name="proposal_edit"),
]
