"""An incident as a file: Markdown, JSON, CSV, standalone HTML, SVG pictures and PDF.

Two halves. ``account_for`` is the one read: it loads what one audience may see into an
``Account``, a frozen value. Everything after it is a function of that value alone, so a
stakeholder export cannot reach what the account left out: proposed and rejected events,
review notes, impact notes, non-public action items, owners, authors, reviewers, the
draft postmortem. ``Audience.STAKEHOLDER`` decides that once, here, for the share page
and for every stakeholder file.
"""

from __future__ import annotations

import csv
import enum
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

import orjson
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from postmortems.markdown import markdown_to_text, render_markdown_safe
from postmortems.models import (
    ActionItem,
    Incident,
    Postmortem,
    PostmortemStatus,
)
from timelines import payloads, svg, wording
from timelines.cascade import EventRecord
from timelines.digest import event_digest
from timelines.selectors import Timeline, impact_windows, timeline_for


class Audience(enum.Enum):
    INTERNAL = "internal"
    STAKEHOLDER = "stakeholder"


@dataclass(frozen=True)
class ImpactLine:
    service: str
    level: str
    origin: bool
    started_at: datetime
    ended_at: datetime | None
    # The warning when the impact record and the events disagree on this window.
    disagreement: str = ""

    def duration(self) -> timedelta | None:
        """Return how long the service was impacted, if the impact has ended."""
        return None if self.ended_at is None else self.ended_at - self.started_at


@dataclass(frozen=True)
class ActionLine:
    title: str
    status: str
    priority: str
    due_date: date | None
    owner: str  # empty for stakeholders: owners are people and teams, which stay internal


@dataclass(frozen=True)
class Account:
    """What one audience may see of an incident, and nothing else."""

    audience: Audience
    slug: str
    title: str
    status: str
    summary: str
    started_at: datetime | None
    detected_at: datetime | None
    mitigated_at: datetime | None
    resolved_at: datetime | None
    timeline: Timeline
    impacts: tuple[ImpactLine, ...]
    action_items: tuple[ActionLine, ...]
    postmortem_markdown: str
    postmortem_note: str  # "Published 2025-11-02 10:00 UTC", "Draft", ...
    generated_at: datetime

    @property
    def duration(self) -> timedelta | None:
        """Return the time from start to resolution, when both are known."""
        if self.started_at and self.resolved_at:
            return self.resolved_at - self.started_at
        return None

    @property
    def key_times(self) -> list[tuple[str, datetime | None, timedelta | None]]:
        """Return (label, moment, time since start) for start, detection, mitigation, resolution."""
        rows = [
            ("Started", self.started_at),
            ("Detected", self.detected_at),
            ("Mitigated", self.mitigated_at),
            ("Resolved", self.resolved_at),
        ]
        return [
            (label, moment, moment - self.started_at if moment and self.started_at else None)
            for label, moment in rows
        ]

    @property
    def summary_text(self) -> str:
        """Return the summary as one line of plain text, for previews (og:description)."""
        return " ".join(self.summary.split())[:300]


# ----------------------------------------------------------------------------- the read


def account_for(
    incident: Incident,
    *,
    audience: Audience,
    include_postmortem: bool = True,
    now: datetime | None = None,
) -> Account:
    """Return what ``audience`` may see of an incident.

    Stakeholders get accepted events (the timeline never holds others), impact windows
    without notes, public action items without owners, and the published postmortem only
    when ``include_postmortem``; the internal audience gets the current postmortem body.
    """
    timeline = timeline_for(incident)
    stakeholder = audience is Audience.STAKEHOLDER
    items = (
        ActionItem.objects.filter(incident=incident)
        .select_related("assignee")
        .order_by("status", "due_date", "id")
    )
    if stakeholder:
        items = items.filter(public=True)
    action_items = tuple(
        ActionLine(
            title=item.title,
            status=item.get_status_display(),
            priority=item.get_priority_display(),
            due_date=item.due_date,
            owner="" if stakeholder else item.owner_name(),
        )
        for item in items
    )
    markdown_body, note = "", ""
    postmortem = Postmortem.objects.filter(incident=incident).only(
        "body", "status", "published_body", "published_at"
    )
    postmortem = postmortem.first()
    if postmortem is not None:
        if stakeholder:
            if include_postmortem and postmortem.published_body:
                markdown_body = postmortem.published_body
                note = f"Published {_utc(postmortem.published_at)}"
        else:
            markdown_body = postmortem.body
            note = postmortem.get_status_display()
            if postmortem.status != PostmortemStatus.PUBLISHED:
                note += " (not published)"
    rec = timeline.reconstruction
    if stakeholder:
        # Warnings are the reviewers' to-do list (sources that disagree), not findings;
        # except a disputed impact window, which qualifies a window the reader is shown.
        disputes = tuple(w for w in rec.warnings if w.code == "impact_window_disagrees")
        timeline = replace(timeline, reconstruction=replace(rec, warnings=disputes))
    return Account(
        audience=audience,
        slug=incident.slug,
        title=incident.title,
        status=incident.get_status_display(),
        summary=incident.summary,
        started_at=incident.started_at,
        detected_at=incident.detected_at,
        mitigated_at=incident.mitigated_at,
        resolved_at=incident.resolved_at,
        timeline=timeline,
        impacts=tuple(
            ImpactLine(
                service=row.service.name,
                level=row.window.level,
                origin=row.depth == 0,
                started_at=row.window.started_at,
                ended_at=row.window.ended_at,
                disagreement=row.disagreement.message if row.disagreement else "",
            )
            for row in impact_windows(timeline)
        ),
        action_items=action_items,
        postmortem_markdown=markdown_body,
        postmortem_note=note,
        generated_at=now or timezone.now(),
    )


def _service_name(timeline: Timeline, service_id: int) -> str:
    node = timeline.services.get(service_id)
    return node.name if node else f"Service {service_id}"


# ----------------------------------------------------------------------------- formats


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str


_utc = wording.utc
_duration = wording.duration


def _cell(text: str) -> str:
    # A pipe would split a Markdown table cell and a newline would end the row.
    return " ".join(str(text).replace("|", "\\|").split())


_HEADING = re.compile(r"^(#{1,5})(\s)")
_FENCE = re.compile(r"^\s*(```|~~~)")


def _demote_headings(markdown_text: str) -> str:
    """Return Markdown with every ATX heading one level deeper, outside code fences."""
    lines, fenced = [], False
    for line in markdown_text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        lines.append(line if fenced else _HEADING.sub(r"#\1\2", line))
    return "\n".join(lines)


def _service_names(account: Account, service_ids: tuple[int, ...]) -> str:
    return ", ".join(_service_name(account.timeline, pk) for pk in service_ids)


def key_times_markdown(account: Account) -> list[str]:
    """Return the key times as Markdown table lines (the export and new postmortems share it)."""
    lines = ["| Moment | Time (UTC) | Since start |", "| --- | --- | --- |"]
    lines += [
        f"| {label} | {_utc(moment)} | {_duration(since)} |"
        for label, moment, since in account.key_times
    ]
    return lines


def times_to_markdown(account: Account) -> str:
    """Return TTD, TTM and TTR on one line, from the key times above."""
    since = {label: delta for label, _moment, delta in account.key_times}
    return (
        f"**TTD** {_duration(since['Detected'])} · **TTM** {_duration(since['Mitigated'])} · "
        f"**TTR** {_duration(since['Resolved'])}"
    )


def impacts_markdown(account: Account) -> list[str]:
    """Return the impacted services with their windows as Markdown table lines."""
    if not account.impacts:
        return ["No impacted services recorded."]
    lines = [
        "| Service | Impact | From (UTC) | To (UTC) | Duration |",
        "| --- | --- | --- | --- | --- |",
    ]
    for impact in account.impacts:
        level = impact.level + (" (origin)" if impact.origin else "")
        lines.append(
            f"| {_cell(impact.service)} | {level} | {_utc(impact.started_at)} | "
            f"{_utc(impact.ended_at) if impact.ended_at else 'ongoing'} | {_duration(impact.duration())} |"
        )
    disputes = [impact.disagreement for impact in account.impacts if impact.disagreement]
    if disputes:
        lines += ["", "Impact windows in dispute:", ""]
        lines += [f"- {_cell(message)}" for message in disputes]
    return lines


def markdown_export(account: Account) -> str:
    """Return the incident as Markdown: facts, timeline table, action items, postmortem."""
    rec = account.timeline.reconstruction
    out = [f"# {account.title}", "", f"**Status:** {account.status}  "]
    out.append(
        f"**Duration:** {_duration(account.duration)} ({_utc(account.started_at)} to {_utc(account.resolved_at)})"
    )
    out.append("")
    if account.summary:
        out += [account.summary.strip(), ""]
    out += ["## Key times", "", *key_times_markdown(account)]
    out += ["", "## Impacted services", "", *impacts_markdown(account)]
    digest = event_digest(account.timeline.events)
    out += ["", "## Timeline", ""]
    if digest.summarised:
        out += [f"*{digest.note}*", "", "| From (UTC) | To (UTC) | Events | By kind |"]
        out.append("| --- | --- | --- | --- |")
        out += [
            f"| {_utc(window.started_at)} | {_utc(window.ended_at)} | {window.count:,} | "
            f"{', '.join(f'{kind} {count:,}' for kind, count in window.kinds)} |"
            for window in digest.windows
        ]
        out.append("")
    out += [
        "| Time (UTC) | T+ | Kind | What happened | Services |",
        "| --- | --- | --- | --- | --- |",
    ]
    for event in digest.listed:
        out.append(
            f"| {_utc(event.at)} | {rec.offsets.get(event.id, '')} | {event.kind} | {_cell(event.title)} | "
            f"{_cell(_service_names(account, event.service_ids))} |"
        )
    if not account.timeline.events:
        out.append("| | | | No accepted events yet. | |")
    out += ["", "## Action items", ""]
    if account.action_items:
        out += ["| Action | Priority | Status | Due |", "| --- | --- | --- | --- |"]
        out += [
            f"| {_cell(item.title)}{' (' + _cell(item.owner) + ')' if item.owner else ''} | {item.priority} | "
            f"{item.status} | {item.due_date.isoformat() if item.due_date else '—'} |"
            for item in account.action_items
        ]
    else:
        out.append("None listed.")
    if account.postmortem_markdown:
        out += [
            "",
            f"## Postmortem ({account.postmortem_note})",
            "",
            _demote_headings(account.postmortem_markdown),
        ]
    return "\n".join(out).rstrip() + "\n"


def json_export(account: Account) -> str:
    """Return the timeline payload (the API's shape) as indented JSON."""
    # orjson writes exactly what json.dumps(indent=2, ensure_ascii=False) writes, ten times
    # faster: this is the complete record of incidents whose documents summarise.
    payload = payloads.timeline_payload(account.timeline)
    return orjson.dumps(payload, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE).decode()


CSV_HEADER = ("time_utc", "offset", "kind", "title", "services", "source", "source_url", "quote")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(value: str) -> str:
    # A spreadsheet runs a cell that starts with = + - @ as a formula; article text is
    # not ours to trust. The apostrophe is what spreadsheets themselves use to mean "text".
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_export(account: Account) -> str:
    """Return one CSV row per accepted event, header first (RFC 4180 quoting, CRLF)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    timeline = account.timeline
    for event in timeline.events:
        source = timeline.sources.get(event.source_id) if event.source_id is not None else None
        writer.writerow(
            [
                payloads.iso(event.at),
                timeline.reconstruction.offsets.get(event.id, ""),
                event.kind,
                _csv_text(event.title),
                _csv_text(_service_names(account, event.service_ids)),
                _csv_text(source.title if source else ""),
                _csv_text(source.url if source else ""),
                _csv_text(timeline.details[event.id].quote),
            ]
        )
    return buffer.getvalue()


# Services a timeline picture gives a lane of its own, in cascade order, before it groups
# the rest by cascade depth (``svg.swimlanes_svg``): 300 lanes drew a picture 9,000 px
# tall and 1.35 MB. The "every lane" picture (``timeline-all.svg``) draws each.
PICTURE_LANES = 40


def timeline_svg(
    account: Account,
    events: Sequence[EventRecord] | None = None,
    *,
    every_lane: bool = False,
) -> str:
    """Return the swimlane timeline picture, marking ``events`` (default: every event).

    Past ``PICTURE_LANES`` impacted services the rest are grouped by cascade depth,
    unless ``every_lane``.
    """
    timeline = account.timeline
    return svg.swimlanes_svg(
        timeline.reconstruction,
        services=timeline.services,
        events=timeline.events if events is None else events,
        source_timezone=timeline.source_timezone(),
        lane_limit=None if every_lane else PICTURE_LANES,
    )


def cascade_svg(account: Account) -> str:
    """Return the cascade graph picture."""
    return svg.cascade_graph_svg(
        account.timeline.reconstruction, services=account.timeline.services
    )


def _svg_file(picture: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + picture + "\n"


# The PDF lists fewer events than the other documents: laying out a table of 500 rows
# took WeasyPrint minutes on the shared machine, and a printed table of hundreds of
# rows is read by nobody; the JSON and CSV exports hold every event.
PDF_EVENT_LIMIT = 100
# Past this many impacted services the PDF leaves the two pictures out (each service is
# a lane and a node: 300 of them made pictures 9,000 px tall and 29,000 px wide, which
# WeasyPrint spent most of a minute on and no page can show); it lists the services'
# windows instead and names the SVG exports.
PDF_PICTURE_LANES = 60
# The PDF lists this many impacted services (and their disputed windows), in cascade
# order, and counts the rest: 300 services' rows and 211 disputes were 40 of a 60-page
# PDF and most of WeasyPrint's layout time. The JSON export holds every window.
PDF_IMPACT_LIMIT = 60


@dataclass(frozen=True)
class ImpactsLeftOut:
    """The impacted services a document counts instead of listing."""

    count: int
    outage: int
    disputed: int


def document_context(
    account: Account,
    *,
    event_limit: int | None = None,
    pictures: bool = True,
    impact_limit: int | None = None,
) -> dict[str, Any]:
    """Return the template context the share page, the HTML file and the PDF have in common.

    ``event_limit`` overrides ``digest.DOCUMENT_EVENT_LIMIT``; without ``pictures`` the
    document says where the pictures are instead of drawing them; ``impact_limit``
    lists that many impacted services and counts the rest (and leaves out the list of
    lanes for phones, which a printed page never shows).
    """
    digest = event_digest(account.timeline.events, limit=event_limit)
    impacts = account.impacts if impact_limit is None else account.impacts[:impact_limit]
    rest = account.impacts[len(impacts) :]
    return {
        "account": account,
        "impacts": impacts,
        "impacts_left_out": ImpactsLeftOut(
            count=len(rest),
            outage=sum(1 for line in rest if line.level == "outage"),
            disputed=sum(1 for line in rest if line.disagreement),
        ),
        "digest": digest,
        "payload_events": payloads.events_payload(account.timeline, digest.listed),
        # The SVG writers escape every piece of text they draw. A summarised document's
        # picture marks the events it lists.
        "swimlanes": mark_safe(timeline_svg(account, digest.listed)) if pictures else "",
        "cascade_graph": mark_safe(cascade_svg(account)) if pictures else "",
        # The picture's lanes past PICTURE_LANES are grouped by depth; the page says so.
        "picture_lanes": PICTURE_LANES,
        "lanes_grouped": max(0, len(account.timeline.reconstruction.windows) - PICTURE_LANES),
        # On a phone the pictures give way to this list (see _lane_list.html).
        "lane_rows": impact_windows(account.timeline) if impact_limit is None else None,
        "postmortem_html": render_markdown_safe(account.postmortem_markdown),
    }


_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


def _without_images(html: str) -> str:
    # Images in a postmortem come from https hosts; a standalone file must not reach out
    # to them, and the PDF renderer must not fetch them from the server. The sanitiser's
    # output quotes every attribute and escapes ">" inside values, so this match is exact,
    # and removing a tag can only take markup away.
    return _IMG.sub("", html)


def html_export(account: Account, *, for_print: bool = False) -> str:
    """Return a standalone HTML document: styles inline, pictures inline, nothing fetched."""
    limit = PDF_EVENT_LIMIT if for_print else None
    pictures = not for_print or len(account.timeline.reconstruction.windows) <= PDF_PICTURE_LANES
    context = document_context(
        account,
        event_limit=limit,
        pictures=pictures,
        impact_limit=PDF_IMPACT_LIMIT if for_print else None,
    ) | {"for_print": for_print}
    return _without_images(render_to_string("timelines/export/document.html", context))


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # WeasyPrint would otherwise fetch any URL the document names, from the server's
    # network: an SSRF for anybody who can write a postmortem.
    raise ValueError(f"PDF export fetches nothing: {url[:80]}")


class ExportUnavailable(Exception):
    """This server cannot produce the format (a system library is missing)."""


def pdf_export(account: Account) -> bytes:
    """Return the whole account as a PDF (A4), pictures included, via WeasyPrint."""
    try:
        import weasyprint  # imported here: it loads Pango, which only the PDF export needs
    except (ImportError, OSError) as error:
        raise ExportUnavailable(
            "PDF export needs the Pango text library on the server "
            "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0); the other formats work."
        ) from error

    document = weasyprint.HTML(
        string=html_export(account, for_print=True), url_fetcher=_refuse_fetch
    )
    return document.write_pdf()


# Name -> (builder, content type, file name suffix). The suffix follows the slug.
FORMATS: dict[str, tuple[Callable[[Account], str | bytes], str, str]] = {
    "md": (markdown_export, "text/markdown; charset=utf-8", "postmortem.md"),
    "json": (json_export, "application/json", "timeline.json"),
    "csv": (csv_export, "text/csv; charset=utf-8", "timeline.csv"),
    "html": (html_export, "text/html; charset=utf-8", "postmortem.html"),
    "pdf": (pdf_export, "application/pdf", "postmortem.pdf"),
    "timeline.svg": (
        lambda account: _svg_file(timeline_svg(account)),
        "image/svg+xml",
        "timeline.svg",
    ),
    "timeline-all.svg": (
        lambda account: _svg_file(timeline_svg(account, every_lane=True)),
        "image/svg+xml",
        "timeline-all-lanes.svg",
    ),
    "cascade.svg": (
        lambda account: _svg_file(cascade_svg(account)),
        "image/svg+xml",
        "cascade.svg",
    ),
}
DOCUMENT_FORMATS = ("md", "json", "csv", "html", "pdf")
PICTURES = ("timeline", "cascade")


def export_file(account: Account, fmt: str) -> ExportFile:
    """Return one export of an account; ``fmt`` is a key of ``FORMATS`` (KeyError otherwise)."""
    builder, content_type, suffix = FORMATS[fmt]
    content = builder(account)
    return ExportFile(
        content=content.encode("utf-8") if isinstance(content, str) else content,
        content_type=content_type,
        filename=f"{account.slug}-{suffix}",
    )


def plain_summary(account: Account) -> str:
    """Return a one-line description for link previews: the summary, or the postmortem's start."""
    return account.summary_text or markdown_to_text(account.postmortem_markdown, max_length=200)
