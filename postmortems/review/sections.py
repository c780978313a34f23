"""A postmortem body cut into its sections, and which of them still hold template text.

Pure: Markdown text in, frozen values out. Comments are anchored to a section by its
heading, so a section is identified by its heading's text (and an anchor made from it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.text import slugify

from postmortems.blameless import SECTIONS

# The opening part before the first "## " heading: the title and the blameless note.
INTRO = "Introduction"

_HEADING = re.compile(r"^##[ \t]+(?P<title>.+?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^(```|~~~)")
_TEMPLATE_HINTS = {heading: hint.strip() for heading, hint in SECTIONS if heading != "Timeline"}
# What "still the template" looks like besides the exact hint: nothing, or empty bullets.
_EMPTY = re.compile(r"^[\s\-*]*$")


@dataclass(frozen=True)
class Section:
    heading: str
    anchor: str
    text: str  # the section's Markdown, heading line included


def section_anchor(heading: str) -> str:
    """Return the HTML id of a section, the same on every page that shows it."""
    return "section-" + (slugify(heading) or "untitled")


def split_sections(body: str) -> list[Section]:
    """Return the body's sections in order: the introduction, then one per "## " heading.

    Headings inside fenced code blocks are text, not sections.
    """
    sections: list[Section] = []
    heading, lines, fenced = INTRO, [], False
    for line in body.splitlines():
        if _FENCE.match(line.strip()):
            fenced = not fenced
        match = None if fenced else _HEADING.match(line)
        if match:
            if heading != INTRO or "".join(lines).strip():
                sections.append(Section(heading, section_anchor(heading), "\n".join(lines)))
            heading, lines = match.group("title"), []
        lines.append(line)
    if heading != INTRO or "".join(lines).strip():
        sections.append(Section(heading, section_anchor(heading), "\n".join(lines)))
    return sections


def _content(section: Section) -> str:
    lines = section.text.splitlines()
    return "\n".join(lines[1:] if section.heading != INTRO else lines).strip()


def placeholder_sections(body: str) -> list[str]:
    """Return the headings of template sections nobody has written yet.

    A section counts as unwritten while it still holds the template's hint sentence
    (facts prefilled around it do not make it written), or, for the list sections,
    nothing but empty bullets. The generated timeline is never a placeholder.
    """
    unwritten = []
    for section in split_sections(body):
        hint = _TEMPLATE_HINTS.get(section.heading)
        if hint is None:
            continue
        content = _content(section)
        if _EMPTY.match(content) or (not _EMPTY.match(hint) and hint in content):
            unwritten.append(section.heading)
    return unwritten
