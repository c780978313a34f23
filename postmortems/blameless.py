"""The blameless postmortem template and its generated timeline section.

The timeline section sits between two HTML comments, which the Markdown renderer drops,
so it can be regenerated from the accepted events without touching what authors wrote
around it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

TIMELINE_START = "<!-- cascade:timeline:start -->"
TIMELINE_END = "<!-- cascade:timeline:end -->"
_TIMELINE_BLOCK = re.compile(
    re.escape(TIMELINE_START) + r".*?" + re.escape(TIMELINE_END), re.DOTALL
)

SECTIONS: tuple[tuple[str, str], ...] = (
    ("Summary", "What happened, in two or three sentences a stakeholder can read."),
    ("Impact", "Who and what was affected, for how long, and how badly."),
    ("Timeline", ""),
    ("Root cause", "The conditions that made the failure possible. Systems, not people."),
    ("Trigger", "What set the failure off."),
    ("Detection", "How and when we learned of it; what would have told us sooner."),
    ("Resolution", "What we did to mitigate and recover."),
    ("What went well", "- "),
    ("What went wrong", "- "),
    ("Where we got lucky", "- "),
    ("Action items", "See the incident's action items; list the most important here."),
    ("Lessons learned", "- "),
)


@dataclass(frozen=True)
class TimelineRow:
    at: datetime
    kind: str
    title: str
    services: tuple[str, ...] = ()
    source: str = ""
    source_url: str = ""


@dataclass(frozen=True)
class Prefill:
    """What is already known of the incident, as Markdown, to start the sections with."""

    summary: str = ""
    key_times: tuple[str, ...] = ()  # table lines
    times_to: str = ""  # "TTD … · TTM … · TTR …"
    impacts: tuple[str, ...] = ()  # table lines
    root_cause_category: str = ""


def _cell(text: str) -> str:
    # A pipe would split the table cell; a newline would end the row.
    return text.replace("|", "\\|").replace("\n", " ").strip()


def _source_cell(row: TimelineRow) -> str:
    title = _cell(row.source or row.source_url)
    if not title:
        return ""
    if not row.source_url.startswith(("https://", "http://")):
        return title
    # Brackets, parentheses and spaces would end the link early: percent-encode them.
    url = "".join(f"%{ord(c):02X}" if c in " ()[]<>|" else c for c in row.source_url)
    return f"[{title.replace('[', '').replace(']', '')}]({url})"


def timeline_section(rows: Iterable[TimelineRow]) -> str:
    """Return the generated timeline block: a Markdown table of the accepted events."""
    lines = [
        TIMELINE_START,
        "",
        "| Time (UTC) | Kind | What happened | Services | Source |",
        "| --- | --- | --- | --- | --- |",
    ]
    count = 0
    for row in rows:
        count += 1
        when = row.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
        lines.append(
            f"| {when} | {row.kind} | {_cell(row.title)} | {_cell(', '.join(row.services))} "
            f"| {_source_cell(row)} |"
        )
    if not count:
        lines.append("| | | No accepted events yet. | | |")
    lines += ["", TIMELINE_END]
    return "\n".join(lines)


def _prefilled(heading: str, hint: str, known: Prefill) -> list[str]:
    """Return a section's opening text: what is known, then the hint for what is not."""
    if heading == "Summary" and known.summary.strip():
        return [known.summary.strip()]
    if heading == "Impact" and (known.key_times or known.impacts):
        lines = ["### Key times", "", *known.key_times]
        if known.times_to:
            lines += ["", known.times_to]
        lines += ["", "### Impacted services", "", *known.impacts, "", hint]
        return lines
    if heading == "Root cause" and known.root_cause_category:
        return [f"**Category:** {known.root_cause_category}", "", hint]
    return [hint]


def blameless_template(
    *, title: str, rows: Iterable[TimelineRow], known: Prefill | None = None
) -> str:
    """Return a new postmortem body with the usual blameless sections, started from what is known.

    Facts fill the sections they belong to; the hints stay where a person has to write,
    so a section that still holds its hint is recognisably unwritten.
    """
    known = known or Prefill()
    parts = [f"# Postmortem: {title}", "", "*Blameless. Times in UTC.*", ""]
    for heading, hint in SECTIONS:
        parts += [f"## {heading}", ""]
        if heading == "Timeline":
            parts.append(timeline_section(rows))
        else:
            parts += _prefilled(heading, hint, known)
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def refresh_timeline(body: str, rows: Iterable[TimelineRow]) -> str:
    """Return the body with its timeline block regenerated (appended if it has none)."""
    section = timeline_section(rows)
    if _TIMELINE_BLOCK.search(body):
        return _TIMELINE_BLOCK.sub(lambda _match: section, body, count=1)
    return body.rstrip() + "\n\n## Timeline\n\n" + section + "\n"
