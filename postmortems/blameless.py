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


def _cell(text: str) -> str:
    # A pipe would split the table cell; a newline would end the row.
    return text.replace("|", "\\|").replace("\n", " ").strip()


def timeline_section(rows: Iterable[TimelineRow]) -> str:
    """Return the generated timeline block: a Markdown table of the accepted events."""
    lines = [
        TIMELINE_START,
        "",
        "| Time (UTC) | Kind | What happened | Services |",
        "| --- | --- | --- | --- |",
    ]
    count = 0
    for row in rows:
        count += 1
        when = row.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
        lines.append(
            f"| {when} | {row.kind} | {_cell(row.title)} | {_cell(', '.join(row.services))} |"
        )
    if not count:
        lines.append("| | | No accepted events yet. | |")
    lines += ["", TIMELINE_END]
    return "\n".join(lines)


def blameless_template(*, title: str, rows: Iterable[TimelineRow]) -> str:
    """Return a new postmortem body with the usual blameless sections."""
    parts = [f"# Postmortem: {title}", "", "*Blameless. Times in UTC.*", ""]
    for heading, hint in SECTIONS:
        parts += [f"## {heading}", ""]
        parts.append(timeline_section(rows) if heading == "Timeline" else hint)
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def refresh_timeline(body: str, rows: Iterable[TimelineRow]) -> str:
    """Return the body with its timeline block regenerated (appended if it has none)."""
    section = timeline_section(rows)
    if _TIMELINE_BLOCK.search(body):
        return _TIMELINE_BLOCK.sub(lambda _match: section, body, count=1)
    return body.rstrip() + "\n\n## Timeline\n\n" + section + "\n"
