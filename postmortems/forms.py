"""Forms of the web UI. They validate input and say what is wrong; services do the writing."""

from __future__ import annotations

import itertools
import zoneinfo
from datetime import datetime, timedelta
from functools import cache
from typing import Any
from urllib.parse import unquote

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from postmortems.models import (
    ActionItem,
    Dependency,
    Event,
    EventKind,
    Impact,
    Incident,
    Precision,
    ReviewState,
    Service,
)
from postmortems.permissions import ADMIN, EDITOR, VIEWER
from postmortems.validators import EARLIEST_YEAR, LATEST_YEAR

# The browser's picker offers only the years every path accepts; the server checks anyway.
MOMENT_INPUT = {
    "type": "datetime-local",
    "min": f"{EARLIEST_YEAR}-01-01T00:00",
    "max": f"{LATEST_YEAR}-12-31T23:59",
}
DAY_INPUT = {"type": "date", "min": f"{EARLIEST_YEAR}-01-01", "max": f"{LATEST_YEAR}-12-31"}


def moment_input() -> forms.DateTimeInput:
    """Return the input of a date and time (no seconds), limited to plausible years."""
    return forms.DateTimeInput(attrs=MOMENT_INPUT, format="%Y-%m-%dT%H:%M")


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones()) | {"UTC"}


def zone_choices() -> list[tuple[str, str]]:
    """Return the IANA zones, the common ones for outage write-ups first."""
    common = [
        "UTC",
        "America/Los_Angeles",
        "America/New_York",
        "Europe/London",
        "Europe/Berlin",
        "Asia/Kolkata",
    ]
    rest = sorted(_zone_names() - set(common))
    return [(name, name) for name in common + rest]


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time typed in a zone the form names in another field."""

    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]
    widget = moment_input()

    def to_python(self, value: Any) -> datetime | None:
        # Parse naive: the zone comes from the form's time zone field, not the server's.
        value = value.strip() if isinstance(value, str) else value
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value
        for fmt in self.input_formats:
            try:
                # Naive on purpose: the form's time zone field gives the zone (_in_zone).
                return datetime.strptime(value, fmt)  # noqa: DTZ007
            except (TypeError, ValueError):
                continue
        raise forms.ValidationError("Enter a date and time, e.g. 2025-10-20 06:48.", code="invalid")


def _in_zone(moment: datetime | None, zone_name: str) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=zoneinfo.ZoneInfo(zone_name))


def is_zone(name: str) -> bool:
    """Return True when ``name`` is an IANA time zone this server knows."""
    return name in _zone_names()


ZONE_COOKIE = "cascade_tz"  # set by static/js/zone.js from the browser's own zone


def browser_zone(request: HttpRequest) -> str | None:
    """Return the zone the user's browser reported, if it is a real one."""
    zone = unquote(request.COOKIES.get(ZONE_COOKIE, ""))
    return zone if is_zone(zone) else None


@cache
def _zones_by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in _zone_names()}


@cache
def _all_zone_options() -> str:
    # Rendered once per process: the zones never change while it runs, and building
    # ~600 options through templates on every incident page cost over 100 ms.
    return "".join(format_html('<option value="{}"></option>', name) for _, name in zone_choices())


class ZoneInput(forms.TextInput):
    """A zone typed into a searchable list: the preferred zones first, labelled, then all.

    A ``<datalist>`` lets the browser filter ~600 names as one types ("berlin" finds
    Europe/Berlin) with no script. ``preferred`` is set per form: the user's own zone
    and the zones this incident's sources used.
    """

    _list_ids = itertools.count(1)

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.preferred: list[tuple[str, str]] = []

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> str:
        # Unique per render: an incident page holds the add form and inline edit forms.
        list_id = f"zones-{next(self._list_ids)}"
        field = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        preferred = "".join(
            format_html('<option value="{}" label="{} · {}"></option>', zone, zone, why)
            for zone, why in self.preferred
        )
        return mark_safe(
            f'{field}<datalist id="{list_id}">{preferred}{_all_zone_options()}</datalist>'
        )


class TimeZoneField(forms.ChoiceField):
    widget = ZoneInput
    default_error_messages = {
        "invalid_choice": "%(value)s is not a time zone name; pick one from the list, "
        "e.g. Europe/Berlin or America/New_York.",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=zone_choices, initial="UTC", **kwargs)

    def to_python(self, value: Any) -> str:
        # "europe/berlin" and " Europe/Berlin " mean the zone everyone recognises.
        text = super().to_python(value).strip()
        return _zones_by_folded_name().get(text.casefold(), text)


class VersionedModelForm(forms.ModelForm):
    """A model form that carries the version of the record the person started from.

    The service refuses a save based on an older version (services.StaleRecord), so two
    people editing the same record cannot silently undo each other's changes.
    """

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["base_version"] = self.instance.version

    def record_data(self) -> dict[str, Any]:
        """Return the cleaned values of the record's own fields (not the base version)."""
        return {
            name: value for name, value in self.cleaned_data.items() if name in self._meta.fields
        }

    def rebase(self, version: int) -> None:
        """Base the form on ``version``: saving it again then deliberately replaces that one."""
        self.data = self.data.copy()
        self.data[self.add_prefix("base_version")] = str(version)


class IncidentForm(VersionedModelForm):
    regions_text = forms.CharField(
        required=False, label="Regions", help_text="Comma-separated, e.g. us-east-1, eu-west-1"
    )
    tags_text = forms.CharField(
        required=False, label="Tags", help_text="Comma-separated, e.g. dns, automation"
    )

    class Meta:
        model = Incident
        fields = [
            "title",
            "slug",
            "summary",
            "provider",
            "severity",
            "status",
            "root_cause_category",
            "started_at",
            "detected_at",
            "mitigated_at",
            "resolved_at",
        ]
        widgets = {
            name: moment_input()
            for name in ("started_at", "detected_at", "mitigated_at", "resolved_at")
        }
        help_texts = {"started_at": "All incident times in UTC."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = "Leave empty to derive it from the title."
        if self.instance.pk:
            self.fields["regions_text"].initial = ", ".join(
                r.code for r in self.instance.regions.all()
            )
            self.fields["tags_text"].initial = ", ".join(t.name for t in self.instance.tags.all())

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or slugify(self.cleaned_data.get("title", ""))[:100]
        if not slug:
            raise forms.ValidationError("Give the incident a title or a slug.")
        clash = Incident.objects.filter(slug=slug).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(f"The slug “{slug}” is taken by another incident.")
        return slug

    def clean_regions_text(self) -> list[str]:
        return _split(self.cleaned_data.get("regions_text", ""))

    def clean_tags_text(self) -> list[str]:
        tags = [slugify(tag) for tag in _split(self.cleaned_data.get("tags_text", ""))]
        return [tag for tag in tags if tag]


def _split(text: str) -> list[str]:
    return list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))


class EventForm(VersionedModelForm):
    occurred_at = LocalDateTimeField(
        label="Time", help_text="As the source states it, in the zone below."
    )
    source_timezone = TimeZoneField(label="Time zone")
    services = forms.ModelMultipleChoiceField(
        queryset=Service.objects.order_by("provider", "name"), required=False
    )

    class Meta:
        model = Event
        fields = [
            "occurred_at",
            "source_timezone",
            "precision",
            "kind",
            "title",
            "description",
            "services",
            "quote",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "quote": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(
        self, *args: Any, preferred_zones: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source_timezone"].widget.preferred = list(preferred_zones or [])
        self.fields["precision"].choices = Precision.choices
        self.fields["kind"].choices = EventKind.choices
        if self.instance.pk and not self.is_bound:
            zone = zoneinfo.ZoneInfo(self.instance.source_timezone or "UTC")
            self.initial["occurred_at"] = self.instance.occurred_at.astimezone(zone).replace(
                tzinfo=None
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        zone = cleaned.get("source_timezone") or "UTC"
        cleaned["occurred_at"] = _in_zone(cleaned.get("occurred_at"), zone)
        return cleaned


class ImpactForm(forms.ModelForm):
    class Meta:
        model = Impact
        fields = ["service", "level", "role", "started_at", "ended_at", "note"]
        widgets = {
            "started_at": moment_input(),
            "ended_at": moment_input(),
            "note": forms.TextInput(),
        }
        help_texts = {"started_at": "UTC.", "ended_at": "UTC; empty while the impact lasts."}


class ServiceForm(forms.ModelForm):
    aliases_text = forms.CharField(
        required=False,
        label="Aliases",
        help_text="Comma-separated names used in articles, e.g. Amazon DynamoDB, DDB",
    )

    class Meta:
        model = Service
        fields = ["name", "provider", "category", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["aliases_text"].initial = ", ".join(self.instance.aliases)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        name, provider = cleaned.get("name"), cleaned.get("provider")
        if name and provider:
            clash = Service.objects.filter(name__iexact=name, provider__iexact=provider).exclude(
                pk=self.instance.pk
            )
            if clash.exists():
                self.add_error("name", f"{provider} already has a service called “{name}”.")
        cleaned["aliases"] = _split(cleaned.get("aliases_text", ""))
        return cleaned

    def record_data(self) -> dict[str, Any]:
        """Return the service's values, aliases included, for services.service_save."""
        fields = [*self._meta.fields, "aliases"]
        return {name: value for name, value in self.cleaned_data.items() if name in fields}


class DependencyForm(forms.ModelForm):
    class Meta:
        model = Dependency
        fields = ["upstream", "kind", "note"]
        labels = {"upstream": "Depends on"}
        widgets = {"note": forms.TextInput()}

    def __init__(self, *args: Any, downstream: Service, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.downstream = downstream
        self.fields["upstream"].queryset = Service.objects.exclude(pk=downstream.pk).order_by(
            "provider", "name"
        )

    def clean_upstream(self) -> Service:
        upstream = self.cleaned_data["upstream"]
        if Dependency.objects.filter(downstream=self.downstream, upstream=upstream).exists():
            raise forms.ValidationError(
                f"{self.downstream.name} already depends on {upstream.name}."
            )
        return upstream


class ActionItemForm(VersionedModelForm):
    link = forms.URLField(
        required=False,
        max_length=2000,
        assume_scheme="https",
        label="Tracker link",
        help_text="The ticket in your tracker (http or https).",
    )

    class Meta:
        model = ActionItem
        fields = ["title", "assignee", "owner", "due_date", "priority", "status", "link", "public"]
        widgets = {"due_date": forms.DateInput(attrs=DAY_INPUT)}
        labels = {
            "public": "Show to stakeholders",
            "assignee": "Owner",
            "owner": "Or someone outside Cascade",
        }
        help_texts = {"assignee": "Gets an e-mail when assigned and when the item is overdue."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("username")
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("assignee") and cleaned.get("owner", "").strip():
            self.add_error("owner", "Choose a user or type a name, not both.")
        return cleaned


class PostmortemForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "true"}), required=False, strip=False
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean_body(self) -> str:
        # Browsers send a textarea's lines with CRLF; stored text, diffs and the
        # "did anything change" check before sending to review all use LF.
        return self.cleaned_data["body"].replace("\r\n", "\n")


class ReviewForm(forms.Form):
    review_state = forms.ChoiceField(choices=ReviewState.choices)


class UserForm(forms.Form):
    username = forms.CharField(max_length=150)
    password = forms.CharField(
        widget=forms.PasswordInput,
        help_text="At least 8 characters; not a common password, not all digits, not the username.",
    )
    role = forms.ChoiceField(choices=[(VIEWER, "Viewer"), (EDITOR, "Editor"), (ADMIN, "Admin")])

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("That username is taken.")
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            # Django's validators (AUTH_PASSWORD_VALIDATORS): length, common, numeric, and
            # too similar to the username.
            candidate = get_user_model()(username=cleaned.get("username", ""))
            try:
                password_validation.validate_password(password, user=candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=[(VIEWER, "Viewer"), (EDITOR, "Editor"), (ADMIN, "Admin")])


class ApiTokenForm(forms.Form):
    EXPIRY_CHOICES = [
        ("30", "In 30 days"),
        ("90", "In 90 days"),
        ("365", "In a year"),
        ("7", "In 7 days"),
        ("never", "Never"),
    ]
    name = forms.CharField(
        max_length=100, help_text="What it is for, e.g. “on-call laptop” or “CI export job”."
    )
    expires = forms.ChoiceField(choices=EXPIRY_CHOICES, initial="90", label="Expires")

    def expires_at(self, now: datetime) -> datetime | None:
        """Return when the token stops working, from the chosen lifetime."""
        choice = self.cleaned_data["expires"]
        return None if choice == "never" else now + timedelta(days=int(choice))
