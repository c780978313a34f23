"""Template filters: safe stored links, times and durations (worded by timelines.wording)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from postmortems.validators import is_http_url
from timelines import wording

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


@register.simple_tag(takes_context=True)
def picture(context: template.Context, svg: str) -> str:
    """Return a picture we drew, its ``<style>`` marked with the request's CSP nonce.

    The pictures are our own markup (every text in them is escaped), so the only
    ``<style>`` tags in them are the ones the drawing code wrote. Without a request (an
    export rendered to a file) the picture is returned as it is.
    """
    request = context.get("request")
    # str() first: django-csp's lazy nonce is falsy until it is read, and reading it is
    # what puts it in the header.
    nonce = str(getattr(request, "csp_nonce", "")) if request is not None else ""
    if not svg or not nonce:
        return svg
    return mark_safe(str(svg).replace("<style>", f'<style nonce="{escape(nonce)}">'))


@register.filter
def duration(value: timedelta | None) -> str:
    """Render a duration the way an SRE says it: "15h 13m", "2d 4h", "45m"."""
    return wording.duration(value)


@register.filter
def utc(value: datetime | None) -> str:
    """Render a moment in UTC with its zone spelled out, so nobody guesses."""
    return wording.utc(value)


@register.filter
def span(value: Any) -> str:
    """Render an impact window (anything with started_at/ended_at, or a pair)."""
    if value is None:
        return wording.EMPTY
    if isinstance(value, tuple):
        return wording.window(*value)
    return wording.window(value.started_at, value.ended_at)


@register.filter
def since(value: datetime | None, start: datetime | None) -> timedelta | None:
    """Return the time from ``start`` to ``value``."""
    if value is None or start is None:
        return None
    try:
        return value - start
    except OverflowError:
        return None


@register.filter
def get_item(mapping: dict, key: object) -> object:
    """Return ``mapping[key]``, or None when the key is missing."""
    return mapping.get(key) if isinstance(mapping, dict) else None
