"""Forms of the timelines app: what an editor types to create a share link."""

from __future__ import annotations

from datetime import UTC, datetime

from django import forms
from django.utils import timezone

from postmortems.forms import moment_input
from postmortems.validators import validate_plausible_year
from timelines.models import ShareScope


class ShareLinkForm(forms.Form):
    label = forms.CharField(
        max_length=80,
        required=False,
        help_text="Who it is for: “customers”, “board”, “payments team”.",
    )
    scope = forms.ChoiceField(
        choices=ShareScope.choices, initial=ShareScope.TIMELINE, widget=forms.RadioSelect
    )
    expires_at = forms.DateTimeField(
        required=False,
        label="Expires (UTC)",
        help_text="Leave empty for a link that lives until it is revoked.",
        input_formats=[
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M:%S",
        ],
        widget=moment_input(),
        validators=[validate_plausible_year],
    )
    allow_embed = forms.BooleanField(
        required=False, label="Allow embedding the timeline in other sites (iframe)"
    )

    def __init__(self, *args: object, now: datetime | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()

    def clean_expires_at(self) -> datetime | None:
        expires_at = self.cleaned_data["expires_at"]
        if expires_at is None:
            return None
        # The form says UTC whatever zone the server runs in.
        expires_at = (
            expires_at.replace(tzinfo=UTC)
            if timezone.is_naive(expires_at)
            else expires_at.astimezone(UTC)
        )
        if expires_at <= self.now:
            raise forms.ValidationError("The expiry must be in the future.", code="past")
        return expires_at
