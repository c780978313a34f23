"""What both pictures share: XML text, time labels, axis ticks, the legend, the root."""

from __future__ import annotations

import contextlib
import hashlib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from timelines import wording, zoom
from timelines.cascade import (
    ServiceNode,
    format_offset,
)

SVG_NS = "http://www.w3.org/2000/svg"

MARKER_KINDS = (
    "trigger",
    "detection",
    "impact",
    "escalation",
    "mitigation",
    "recovery",
    "communication",
    "note",
)

# ----------------------------------------------------------------------------- ticks

_TICK_LADDER = (
    *(timedelta(minutes=count) for count in (1, 2, 5, 10, 15, 30)),
    *(timedelta(hours=count) for count in (1, 2, 3, 6, 12)),
    *(timedelta(days=count) for count in (1, 2, 7)),
)
# Past a week the ladder doubles weeks, so a year-long incident still gets a handful of
# ticks and every tick stays on a Monday.
_LONG_STEPS = tuple(timedelta(weeks=2**power) for power in range(1, 20))
# A Monday midnight: sub-day steps divide a day, so they land on round clock times, and
# week steps land on Mondays.
_TICK_ANCHOR = datetime(1970, 1, 5, tzinfo=UTC)


def tick_step(span: timedelta, target: int = 8) -> timedelta:
    """Return the ladder step that cuts ``span`` into the number of ticks nearest ``target``.

    "Nearest" is by ratio, not difference: 12 ticks for a target of 8 is as far off as
    5.3, which is how crowded or sparse an axis looks.
    """
    if target < 1:
        raise ValueError(f"target must be at least 1, not {target}")
    if span <= timedelta(0):
        return _TICK_LADDER[0]

    def misfit(step: timedelta) -> float:
        return abs(math.log(span / step / target))

    # On a tie the longer step wins: fewer labels read better than more.
    return min((*_TICK_LADDER, *_LONG_STEPS), key=lambda step: (misfit(step), -step))


def ticks(start: datetime, end: datetime, target: int = 8) -> list[datetime]:
    """Return the aligned tick moments (UTC) between start and end, both included."""
    start, end = _utc(start), _utc(end)
    if end < start:
        start, end = end, start
    step = tick_step(end - start, target)
    # Integer division on timedeltas is exact; a float ceil would drift by microseconds
    # for dates far from the anchor.
    first = _TICK_ANCHOR - ((_TICK_ANCHOR - start) // step) * step
    moments = []
    moment = first
    while moment <= end:
        moments.append(moment)
        moment = _shift(moment, step)
        if moment == moments[-1]:  # the calendar ends here
            break
    return moments


# Padding an axis must stop at the calendar's edge (stored dates reach 9999-12-31).
_shift = zoom.shift


# ------------------------------------------------------------------------- text, XML

# XML 1.0 cannot hold C0 controls (other than tab and newlines), lone surrogates or the
# two non-characters; a title pasted from a terminal would otherwise break the picture.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ID_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
_FONT = 'system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif'
# Narrower than this, neither picture has room for its labels.
_MIN_WIDTH = 360
# Average advance of system-ui text, in em. Rounded up: a label cut one letter early
# reads better than one running under its neighbour.
_CHAR_EM = 0.6
# A label whose estimate fills this share of its room may be wider than estimated.
_SQUEEZE_FROM = 0.75


def _clean(value: str) -> str:
    return _NOT_XML.sub("", value)


def _text(value: str) -> str:
    """Return user or label text as escaped XML character data."""
    return escape(_clean(value), quote=False)


def _num(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _attrs(attributes: Mapping[str, object]) -> str:
    parts = []
    for name, value in attributes.items():
        if value is None or value is False:
            continue
        text = _num(value) if isinstance(value, float) else str(value)
        parts.append(f' {name}="{escape(_clean(text), quote=True)}"')
    return "".join(parts)


def _el(tag: str, attributes: Mapping[str, object] | None = None, *children: str) -> str:
    """Return one element; children must already be markup (from _el or _text)."""
    attribute_text = _attrs(attributes or {})
    if not children:
        return f"<{tag}{attribute_text}/>"
    return f"<{tag}{attribute_text}>{''.join(children)}</{tag}>"


def _text_width(text: str, size: float) -> float:
    return len(text) * size * _CHAR_EM


def _fit(text: str, width: float, size: float) -> str:
    """Return text cut with an ellipsis to fit width pixels at the given font size."""
    most = int(width // (size * _CHAR_EM))
    if len(text) <= most:
        return text
    if most <= 1:
        return "\u2026" if most == 1 else ""
    return text[: most - 1].rstrip() + "\u2026"


def _fitted_text(attributes: Mapping[str, object], text: str, width: float, size: float) -> str:
    """Return a <text> element of `text` that never runs past `width` pixels.

    _fit counts average letters; bold capitals ("DynamoDB DNS autom...") are wider, so a
    label that fills most of its room is drawn at exactly its estimated length
    (textLength), a little narrower where its letters are wide.
    """
    shown = _fit(text, width, size)
    estimate = _text_width(shown, size)
    attrs = dict(attributes)
    if estimate >= _SQUEEZE_FROM * width:
        attrs.update(textLength=_num(min(estimate, width)), lengthAdjust="spacingAndGlyphs")
    return _el("text", attrs, _text(shown))


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _service_name(services: Mapping[int, ServiceNode], service_id: int) -> str:
    node = services.get(service_id)
    name = " ".join(node.name.split()) if node is not None and node.name else ""
    return name or f"service #{service_id}"


def _ids(kind: str, id_prefix: str | None, *parts: object) -> str:
    if id_prefix is not None:
        if not _ID_PREFIX.match(id_prefix):
            raise ValueError(
                f"id_prefix must be letters, digits, - or _, starting with a letter: {id_prefix!r}"
            )
        return id_prefix
    # Derived from the content rather than random, so the same incident renders to the
    # same bytes (cacheable, diffable) while two different pictures on a page differ.
    digest = hashlib.blake2s(repr((kind, *parts)).encode(), digest_size=4).hexdigest()
    return f"cz-{digest}-"


def _empty_picture(
    *,
    root_class: str,
    ids: str,
    width: float,
    title: str,
    desc: str,
    message: str,
    style: str,
    extra: Mapping[str, object],
) -> str:
    """Return a small picture that says there is nothing to draw yet."""
    height = 80.0
    return _root(
        root_class=root_class,
        ids=ids,
        width=width,
        height=height,
        title=title,
        desc=desc,
        style=style,
        defs="",
        body=[
            _el("rect", {"class": "backdrop", "width": width, "height": height}),
            _el("text", {"class": "empty", "x": 16, "y": 44}, _text(message)),
        ],
        extra=extra,
    )


def _root(
    *,
    root_class: str,
    ids: str,
    width: float,
    height: float,
    title: str,
    desc: str,
    style: str,
    defs: str,
    body: Iterable[str],
    extra: Mapping[str, object] | None = None,
) -> str:
    attributes: dict[str, object] = {
        "xmlns": SVG_NS,
        "class": f"cz {root_class}",
        "viewBox": f"0 0 {_num(width)} {_num(height)}",
        "width": _num(width),
        "height": _num(height),
        "role": "img",
        "aria-labelledby": f"{ids}title {ids}desc",
        **(extra or {}),
    }
    return _el(
        "svg",
        attributes,
        _el("title", {"id": f"{ids}title"}, _text(title)),
        _el("desc", {"id": f"{ids}desc"}, _text(desc)),
        _el("style", None, style),
        _el("defs", None, defs) if defs else "",
        *body,
    )


def _scoped(root_class: str, rules: str) -> str:
    """Return CSS with every selector placed under the picture's root class."""
    scoped = []
    for rule in rules.strip().splitlines():
        selectors, _, body = rule.partition("{")
        prefixed = ",".join(
            f".{root_class} {selector.strip()}".rstrip() for selector in selectors.split(",")
        )
        scoped.append(f"{prefixed}{{{body}")
    return "".join(scoped)


# ---------------------------------------------------------------------------- times


# Times are worded once, in timelines.wording, for pages, pictures and exports alike.
_utc = wording.to_utc
_duration = wording.duration
_lag = wording.lag


def _iso(moment: datetime) -> str:
    return wording.iso(moment) or ""


def _format(moment: datetime, fmt: str) -> str:
    if fmt == "date":
        return wording.day(moment)
    if fmt == "datetime":
        return f"{wording.day(moment)} {wording.clock(moment)}"
    return wording.clock(moment)


def _source_zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        # The zone comes from an imported record; a typo there should cost the
        # source-zone labels, not the whole picture.
        return None


@dataclass(frozen=True)
class _Clock:
    origin: datetime | None
    zone: ZoneInfo | None
    # The picture covers more than one UTC day, so a bare HH:MM would be ambiguous.
    dated: bool

    @property
    def fmt(self) -> str:
        return "datetime" if self.dated else "time"

    def attrs(self, moment: datetime, fmt: str | None) -> dict[str, object]:
        """Return a time label's attributes; ``fmt`` None means the picture's own (its root's)."""
        attributes: dict[str, object] = {"class": "t", "data-utc": _iso(moment), "data-fmt": fmt}
        if self.origin is not None:
            attributes["data-offset"] = format_offset(moment - self.origin)
        if self.zone is not None:
            # At the calendar's edge the zone's wall clock may not exist; UTC still shows.
            with contextlib.suppress(OverflowError):
                attributes["data-src"] = _format(moment.astimezone(self.zone), fmt or self.fmt)
        return attributes

    def title(self, moment: datetime, *, before: str = "", after: str = "") -> str:
        """Return a tooltip naming a moment in UTC, with text before and after the time.

        ``data-at`` says where the time starts (in UTF-16 code units, as a script counts);
        the time runs to the " UTC" that follows it. A dense picture has thousands of
        tooltips, so the text around the time is not repeated in attributes.
        """
        attributes = self.attrs(moment, None)
        if before or after:
            attributes["data-at"] = len(_clean(before).encode("utf-16-le")) // 2
        label = f"{before}{_format(_utc(moment), self.fmt)} UTC{after}"
        return _el("title", attributes, _text(label))


def _root_time_attrs(clock: _Clock, zone_name: str | None) -> dict[str, object]:
    return {
        "data-start": None if clock.origin is None else _iso(clock.origin),
        "data-source-tz": zone_name if clock.zone is not None else None,
        # The shape of the labels that carry no data-fmt of their own (the tooltips).
        "data-fmt": clock.fmt,
    }


# --------------------------------------------------------------------------- legend


@dataclass(frozen=True)
class _LegendItem:
    icon: str  # markup drawn from x=0, centred on y=0
    label: str
    icon_width: float = 16.0


def _legend(
    items: Sequence[_LegendItem], *, left: float, top: float, right: float
) -> tuple[str, float]:
    """Return the legend markup, wrapped onto rows, and the height it takes."""
    size, row_height = 11.0, 20.0
    parts, x, y = [], left, top + row_height / 2
    for item in items:
        item_width = item.icon_width + 6 + _text_width(item.label, size) + 14
        if x > left and x + item_width > right:
            x, y = left, y + row_height
        parts.append(
            _el(
                "g",
                {"class": "legend-item", "transform": f"translate({_num(x)} {_num(y)})"},
                item.icon,
                _el(
                    "text",
                    {"class": "legend-label", "x": item.icon_width + 5, "y": 4},
                    _text(item.label),
                ),
            )
        )
        x += item_width
    return _el("g", {"class": "legend"}, *parts), y + row_height / 2 - top
