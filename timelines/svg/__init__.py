"""Draw an incident's timeline and cascade as standalone SVG, on the server.

A pure core like ``timelines.cascade``: a ``Reconstruction`` plus plain values in, SVG
text out; no Django, no templates, stdlib only. The pictures work as a file, as an
``<img>``, in an export and inline in a page, so they carry their own ``<style>`` and
reference nothing outside themselves.

Safety: every piece of user text (service names, event titles) passes through
``_text`` or ``_attrs``, which drop characters XML cannot hold and escape the rest;
markup is only ever built from those two and from numbers.

Inline in a page, two rules keep pictures from disturbing each other or the page:
every ``id`` carries a per-picture prefix (``cz-<hash>-`` unless ``id_prefix`` is
given), and every CSS rule is scoped under the picture's root class (``cz-timeline``
or ``cz-cascade``), because a ``<style>`` inside inline SVG applies to the whole page.

Time labels: every element that shows a clock time has ``class="t"`` and

- ``data-utc``: the moment, ISO 8601 with ``Z``;
- ``data-fmt``: ``time`` (HH:MM), ``datetime`` (``1 Mar HH:MM``) or ``date`` (``1 Mar``);
  absent on ``<title>`` elements, which take the root's ``data-fmt``;
- ``data-offset``: ``T+hh:mm`` from the incident start (absent when the start is unknown);
- ``data-src``: the same label in the source time zone, when one was given; the root
  then carries ``data-source-tz``;
- on ``<title>`` elements with text around the time, ``data-at``: where the time starts
  in the text (UTF-16 code units); it runs to the " UTC" after it.

So a script can set ``textContent = before + format(utc) + zone suffix + after``. The
default text is UTC: ``<title>`` labels end the time with " UTC"; axis ticks are bare and
the axis caption (``class="tz"``) says which zone they are in.
"""

from __future__ import annotations

from timelines.svg.common import MARKER_KINDS, tick_step, ticks
from timelines.svg.graph import cascade_graph_svg
from timelines.svg.swimlanes import swimlanes_svg

__all__ = ["MARKER_KINDS", "cascade_graph_svg", "swimlanes_svg", "tick_step", "ticks"]
