"""Roles: viewers read, editors write, admins manage users and the catalogue.

Roles are Django groups named ``viewer``, ``editor`` and ``admin``; a superuser is an admin.
Any signed-in user may read. The same checks serve the web pages and the API.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from rest_framework import permissions

if TYPE_CHECKING:  # DRF imports this module while it builds its own views: no cycle at run time.
    from rest_framework.request import Request
    from rest_framework.views import APIView

VIEWER, EDITOR, ADMIN = "viewer", "editor", "admin"

User = AbstractBaseUser | AnonymousUser
View = Callable[..., HttpResponse]


def _groups(user: User) -> set[str]:
    # Cached on the user object: a page asks several times and the answer cannot change mid-request.
    cached = getattr(user, "_cascade_roles", None)
    if cached is None:
        cached = {group.name for group in user.groups.all()} if user.is_authenticated else set()
        user._cascade_roles = cached
    return cached


def is_admin(user: User) -> bool:
    """Return True when the user may manage users and the service catalogue."""
    return bool(user.is_authenticated and (user.is_superuser or ADMIN in _groups(user)))


def is_editor(user: User) -> bool:
    """Return True when the user may write incidents, events, postmortems and action items."""
    return is_admin(user) or bool(user.is_authenticated and EDITOR in _groups(user))


def role_of(user: User) -> str:
    """Return the user's strongest role, for display."""
    if is_admin(user):
        return ADMIN
    if is_editor(user):
        return EDITOR
    return VIEWER


def _require(
    check: Callable[[User], bool], what: str
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                raise PermissionDenied(f"Only {what} can do this.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


editor_required = _require(is_editor, "editors")
admin_required = _require(is_admin, "admins")


class ReadOrEdit(permissions.BasePermission):
    """API: any signed-in user reads; editors write."""

    message = "Only editors can change the knowledge base."

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or is_editor(request.user)


class ReadOrAdmin(permissions.BasePermission):
    """API: any signed-in user reads; admins change the service catalogue."""

    message = "Only admins can change the service catalogue."

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or is_admin(request.user)
