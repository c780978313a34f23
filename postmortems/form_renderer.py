"""The form renderer: Django's widget templates written as Python for the common widgets.

Django renders every widget through templates, and a ``<select>`` renders one included
template per ``<option>`` (plus one for its attributes). The incident list's filter form
and the incident page's event form are on the pages people browse most, and their
widgets were a quarter of those pages' CPU time. ``FastWidgetRenderer`` writes exactly
the markup of Django's own templates for inputs, text areas, selects, checkbox and radio
lists (tests/postmortems/test_form_renderer.py compares them, widget by widget), and
hands every other template to Django unchanged, so a widget with a template of its own
still renders as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

WIDGETS = "django/forms/widgets/"


def _text(value: Any) -> str:
    # What ``{{ value }}`` prints: localized, then escaped unless already safe.
    return conditional_escape(localize(value))


def _formatted(value: Any) -> str:
    # What ``{{ value|stringformat:'s' }}`` prints (str() keeps a safe string safe).
    return conditional_escape(str(value))


def _attrs(attrs: Mapping[str, Any]) -> str:
    """Return ``django/forms/widgets/attrs.html``."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(
            f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"'
        )
    return "".join(parts)


def _input(widget: Mapping[str, Any]) -> str:
    """Return ``input.html`` (and every template that only includes it)."""
    value = widget["value"]
    shown = f' value="{_formatted(value)}"' if value is not None else ""
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}'
        f"{_attrs(widget['attrs'])}>"
    )


def _input_option(option: Mapping[str, Any]) -> str:
    """Return ``checkbox_option.html`` or ``radio_option.html`` (``input_option.html``)."""
    field = _input(option) + "\n"
    if option.get("wrap_label"):
        target = option["attrs"].get("id")
        opening = f'<label for="{_text(target)}">' if target else "<label>"
        field = f"{opening}{field} {_text(option['label'])}</label>\n"
    return field + "\n"


def _multiple_input(widget: Mapping[str, Any]) -> str:
    """Return ``multiple_input.html``: checkbox and radio lists."""
    element_id, css = widget["attrs"].get("id"), widget["attrs"].get("class")
    parts = [
        "<div",
        f' id="{_text(element_id)}"' if element_id else "",
        f' class="{_text(css)}"' if css else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_text(group)}</label>")
        for option in options:
            parts.append(f"<div>\n    {_input_option(option)}</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


def _select(widget: Mapping[str, Any]) -> str:
    """Return ``select.html`` with its ``select_option.html`` options."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f'\n  <optgroup label="{_text(group)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget: Mapping[str, Any]) -> str:
    """Return ``textarea.html``."""
    value = widget["value"]
    return (
        f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{_text(value) if value else ''}</textarea>"
    )


_INPUTS = (
    "checkbox",
    "color",
    "date",
    "datetime",
    "email",
    "file",
    "hidden",
    "input",
    "number",
    "password",
    "search",
    "tel",
    "text",
    "time",
    "url",
)
# Each writer returns the template's text without the newline every template file ends with.
FAST: dict[str, Callable[[Mapping[str, Any]], str]] = {
    **{f"{WIDGETS}{name}.html": _input for name in _INPUTS},
    f"{WIDGETS}checkbox_select.html": _multiple_input,
    f"{WIDGETS}radio.html": _multiple_input,
    f"{WIDGETS}select.html": _select,
    f"{WIDGETS}textarea.html": _textarea,
}


# The option templates the writers above stand for; a widget naming another one of its
# own is rendered by its templates.
OPTIONS = {f"{WIDGETS}{name}.html" for name in ("select_option", "checkbox_option", "radio_option")}


def _standard_options(widget: Mapping[str, Any]) -> bool:
    return all(
        option["template_name"] in OPTIONS
        for _group, options, _index in widget.get("optgroups", ())
        for option in options
    )


class FastWidgetRenderer(DjangoTemplates):
    """Django's default renderer, with the common widget templates written in Python."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        write = FAST.get(template_name)
        widget = context.get("widget")
        if write is None or widget is None or not _standard_options(widget):
            return super().render(template_name, context, request)
        return mark_safe(write(widget))
