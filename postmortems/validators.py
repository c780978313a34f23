"""Validators for values the knowledge base stores and later renders.

A stored URL ends up in an ``href``. A browser runs ``javascript:`` (and ``data:``,
``vbscript:``) links when clicked, so a URL field accepts the two schemes a link to an
article or a ticket has, http and https, whatever path wrote it: model validation (forms,
API serializers, the services) refuses the rest, and a database check constraint refuses
what bypasses validation. Templates link stored URLs through the ``http_url`` filter too,
for rows written before the constraint existed.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, F, Q

HTTP_SCHEMES = ("http", "https")


def is_http_url(value: object) -> bool:
    """Return True for an absolute http(s) URL with a host."""
    if not isinstance(value, str) or value != value.strip():
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    # Compare the raw prefix too: urlsplit drops tabs and newlines a browser would also drop.
    return (
        parts.scheme.lower() in HTTP_SCHEMES
        and bool(parts.netloc)
        and value.lower().startswith(tuple(f"{scheme}://" for scheme in HTTP_SCHEMES))
    )


def validate_http_url(value: str) -> None:
    """Refuse a non-empty URL whose scheme is not http or https."""
    if value and not is_http_url(value):
        raise ValidationError(
            "Enter an http:// or https:// address; other kinds of links are not stored.",
            code="url_scheme",
        )


def http_url_constraint(field: str, *, name: str) -> CheckConstraint:
    """Return the check constraint that keeps ``field`` empty or an http(s) URL."""
    return CheckConstraint(
        condition=Q(**{field: ""})
        | Q(**{f"{field}__istartswith": "http://"})
        | Q(**{f"{field}__istartswith": "https://"}),
        name=name,
        violation_error_message="Only http:// and https:// addresses are stored.",
    )


# Outages happen in the age of computers; a year like 378 is a typo, and some readers of
# our payloads (and other tools) cannot even print a year of fewer than four digits. Every
# path that writes a time (forms, the API, the import) refuses years outside this range.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2999


def validate_plausible_year(value: date | None) -> None:
    """Refuse a date or time whose year is outside EARLIEST_YEAR..LATEST_YEAR."""
    if value is not None and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(
            f"Give a year between {EARLIEST_YEAR} and {LATEST_YEAR}.", code="implausible_year"
        )


def moments_in_order_constraint(
    later: str, earlier: str, *, name: str, message: str
) -> CheckConstraint:
    """Return the check constraint that keeps ``later`` at or after ``earlier`` when both are set."""
    return CheckConstraint(
        condition=Q(**{f"{later}__isnull": True})
        | Q(**{f"{earlier}__isnull": True})
        | Q(**{f"{later}__gte": F(earlier)}),
        name=name,
        violation_error_message=message,
    )


def moments_order_errors(
    record: object, order: tuple[tuple[str, str, str], ...]
) -> dict[str, list[str]]:
    """Return, per field, the messages of each (later, earlier, message) that ``record`` breaks."""
    errors: dict[str, list[str]] = {}
    for later, earlier, message in order:
        later_value, earlier_value = getattr(record, later), getattr(record, earlier)
        if later_value is not None and earlier_value is not None and later_value < earlier_value:
            errors.setdefault(later, []).append(message)
    return errors
