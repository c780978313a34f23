"""Which stretch of an incident the timeline shows, and which markers it groups.

A pure module shared by the page (its presets and drag-to-zoom) and the SVG writer, so
the view a link names and the picture drawn for it are computed in one place.

- ``spread_window``: where the cascade spread. Impacts usually start in one burst and
  the long tail (a late recovery, one service hit hours later) would squeeze that
  burst into a sliver of a fifteen-hour axis; the burst is what a reader came to see.
- ``views``: the presets (spread, until mitigation, whole incident) as plain windows.
- ``group_by_position``: markers closer on screen than a marker's width become one
  group with a count, at whatever scale the picture is drawn. A view of ten thousand
  events draws as many groups as the axis has room for, not ten thousand shapes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import TypeVar

from timelines.cascade import Reconstruction

T = TypeVar("T")

# A new impact more than this long after the previous one (and longer than the spread
# so far) is the tail, not the spread.
SPREAD_GAP = timedelta(minutes=30)
# The spread takes two thirds of the opening view: room on both sides for context.
SPREAD_SHARE = 2 / 3
MIN_VIEW = timedelta(minutes=10)

VIEW_NAMES = {
    "spread": "Cascade spread",
    "mitigation": "Until mitigation",
    "whole": "Whole incident",
}


def spread_window(reconstruction: Reconstruction) -> tuple[datetime, datetime] | None:
    """Return (first impact, last impact of the initial burst), or None with no impact."""
    starts = sorted(window.started_at for window in reconstruction.windows)
    if not starts:
        return None
    first = last = starts[0]
    for moment in starts[1:]:
        if moment - last > max(SPREAD_GAP, last - first):
            break
        last = moment
    return first, last


def around(
    window: tuple[datetime, datetime], share: float = SPREAD_SHARE
) -> tuple[datetime, datetime]:
    """Return a view in which ``window`` takes ``share`` of the axis, centred."""
    start, end = window
    span = max(end - start, MIN_VIEW * share)
    padding = span * (1 / share - 1) / 2
    return shift(start, -padding), shift(end, padding)


def views(
    reconstruction: Reconstruction, whole: tuple[datetime, datetime]
) -> dict[str, tuple[datetime, datetime]]:
    """Return the named views of an incident; ``whole`` is the full axis already drawn."""
    named: dict[str, tuple[datetime, datetime]] = {}
    spread = spread_window(reconstruction)
    if spread is not None:
        named["spread"] = around(spread)
    mitigated = reconstruction.phases.mitigated_at
    if mitigated is not None and mitigated > whole[0]:
        named["mitigation"] = (whole[0], shift(mitigated, (mitigated - whole[0]) * 0.03))
    named["whole"] = whole
    return named


def group_by_position(items: Sequence[T], x: Callable[[T], float], width: float) -> list[list[T]]:
    """Return items in groups whose on-screen positions lie within ``width`` of the first.

    ``items`` must be sorted by position. A group is at least one item.
    """
    groups: list[list[T]] = []
    group_x = 0.0
    for item in items:
        position = x(item)
        if groups and position - group_x < width:
            groups[-1].append(item)
        else:
            groups.append([item])
            group_x = position
    return groups


def shift(moment: datetime, delta: timedelta) -> datetime:
    """Return moment + delta, stopped at the first or last moment the calendar holds.

    Stored dates reach 0001-01-01 and 9999-12-31; padding a view around them must reach
    the edge of the calendar rather than fail.
    """
    try:
        return moment + delta
    except OverflowError:
        edge = datetime.max if delta > timedelta(0) else datetime.min  # noqa: DTZ901
        return edge.replace(tzinfo=moment.tzinfo)  # the moment's own zone, given here
