from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django import template

from postmortems.validators import is_http_url

register = template.Library()


@register.filter
def http_url(value: object) -> str:
    """Return a stored URL fit for an ``href``: http(s), or a path of this site; else "".

    Every template links a stored URL through this filter, so a ``javascript:`` link that
    reached the database some other way is shown as text, never as a link.
    """
    if not isinstance(value, str):
        return ""
    if is_http_url(value):
        return value
    if value.startswith("/") and not value.startswith(("//", "/\\")):
        return value
    return ""


@register.filter
def duration(value: timedelta | None) -> str:
    """Render a duration the way an SRE says it: "15h 13m", "2d 4h", "45m"."""
    if value is None:
        return "—"
    minutes = int(value.total_seconds() // 60)
    sign = "-" if minutes < 0 else ""
    minutes = abs(minutes)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{sign}{days}d {hours}h"
    if hours:
        return f"{sign}{hours}h {minutes:02d}m"
    return f"{sign}{minutes}m"


@register.filter
def utc(value: datetime | None) -> str:
    """Render a moment in UTC with its zone spelled out, so nobody guesses."""
    if value is None:
        return "—"
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


@register.filter
def since(value: datetime | None, start: datetime | None) -> timedelta | None:
    """Return the time from ``start`` to ``value``."""
    if value is None or start is None:
        return None
    return value - start
