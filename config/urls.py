from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("healthz", views.health, name="health"),
    path("api/v1/", include("timelines.api.urls")),
    path("api/v1/", include("postmortems.api.urls")),
    path("", include("timelines.urls")),
    path("", include("postmortems.urls")),
]

handler400 = "config.views.bad_request"
handler500 = "config.views.server_error"
