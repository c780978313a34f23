from __future__ import annotations

from django.http import HttpRequest

from postmortems.permissions import is_admin, is_editor, role_of


def roles(request: HttpRequest) -> dict[str, object]:
    """Tell every template what the signed-in user may do."""
    user = request.user
    return {"can_edit": is_editor(user), "can_admin": is_admin(user), "role": role_of(user)}
