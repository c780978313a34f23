"""The signed-in user's personal API tokens: create (shown once), list, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from postmortems import services
from postmortems.forms import ApiTokenForm
from postmortems.models import ApiToken

# The new token's secret waits in the session for exactly one page view.
_SHOW_ONCE = "api_token_secret"


def api_tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.api_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                expires_at=form.expires_at(timezone.now()),
            )
        except services.TokenNameTaken as error:
            form.add_error("name", str(error))
        else:
            request.session[_SHOW_ONCE] = {"id": token.pk, "secret": secret}
            return redirect("postmortems:api_tokens")
    shown = request.session.pop(_SHOW_ONCE, None)
    tokens = list(ApiToken.objects.filter(user=request.user).order_by("-created_at", "-id"))
    return render(
        request,
        "postmortems/api_tokens.html",
        {
            "form": form,
            "tokens": tokens,
            "new_secret": shown["secret"] if shown else None,
            "new_id": shown["id"] if shown else None,
            "now": timezone.now(),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    # Only the owner's own tokens: anyone else's is a 404, not a hint that it exists.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.api_token_revoke(token=token)
    messages.success(request, f"Token “{token.name}” revoked; it no longer works.")
    return redirect("postmortems:api_tokens")
