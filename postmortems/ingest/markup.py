"""A document's markup (HTML, Markdown, plain text) to the article text an import reads."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from postmortems.ingest.decoding import clean_text


@dataclass(frozen=True)
class ArticleText:
    """What an import reads: the raw content kept for the record and its main text."""

    raw_content: str
    text: str
    title: str = ""
    final_url: str = ""
    published: date | None = None


def article_from_content(raw: str, *, content_type: str, final_url: str = "") -> ArticleText:
    """Return the main text of a document: trafilatura for HTML, Markdown stripped, text as is."""
    if content_type in ("text/html", "application/xhtml+xml"):
        import trafilatura

        document = trafilatura.bare_extraction(
            raw,
            url=final_url or None,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
        )
        text = document.text if document is not None and document.text else ""
        title = (document.title or "") if document is not None else ""
        published = _iso_date(document.date if document is not None else None)
        if not text.strip():
            # Pages too small for the boilerplate heuristics: keep every visible word.
            text = trafilatura.html2txt(raw) or ""
        text = clean_text(text).strip()
        return ArticleText(
            raw_content=raw,
            text=text,
            title=(title or plain_text_headline(text))[:300],
            final_url=final_url,
            published=published or plain_text_date(text),
        )
    if content_type in ("text/markdown", "text/x-markdown"):
        text = markdown_to_text(raw)
        return ArticleText(
            raw_content=raw,
            text=text,
            title=markdown_title(raw),
            final_url=final_url,
            published=plain_text_date(text),
        )
    text = clean_text(raw).strip()
    return ArticleText(
        raw_content=raw,
        text=text,
        title=plain_text_headline(text)[:300],
        final_url=final_url,
        published=plain_text_date(text),
    )


_MD_FENCE_RE = re.compile(r"^[ \t]*(```|~~~).*$", re.MULTILINE)
_MD_HEADING_RE = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", re.MULTILINE)
_MD_SETEXT_RE = re.compile(r"^[ \t]{0,3}(=+|-{3,})[ \t]*$", re.MULTILINE)
_MD_IMAGE_RE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK_RE = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_REF_LINK_RE = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_MD_REF_DEF_RE = re.compile(r"^[ \t]{0,3}\[[^\]]+\]:[ \t]+\S+.*$", re.MULTILINE)
_MD_BOLD_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_ITALIC_RE = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_MD_CODE_RE = re.compile(r"`([^`]*)`")
_MD_QUOTE_RE = re.compile(r"^[ \t]{0,3}>[ \t]?", re.MULTILINE)
_MD_BULLET_RE = re.compile(r"^([ \t]*)[*+][ \t]+", re.MULTILINE)
_MD_HTML_TAG_RE = re.compile(r"</?[a-zA-Z][^>\n]*>")
_BLANK_LINES_RE = re.compile(r"\n{3,}")


def markdown_to_text(markdown: str) -> str:
    """Return Markdown as plain text: markup removed, words, lines and paragraphs kept."""
    text = clean_text(markdown).replace("\r\n", "\n")
    text = _MD_FENCE_RE.sub("", text)
    text = _MD_HEADING_RE.sub(r"\1", text)
    text = _MD_SETEXT_RE.sub("", text)
    text = _MD_REF_DEF_RE.sub("", text)
    text = _MD_IMAGE_RE.sub(r"\1", text)
    text = _MD_LINK_RE.sub(r"\1", text)
    text = _MD_REF_LINK_RE.sub(r"\1", text)
    text = _MD_BOLD_RE.sub(r"\2", text)
    text = _MD_ITALIC_RE.sub(r"\2", text)
    text = _MD_CODE_RE.sub(r"\1", text)
    text = _MD_QUOTE_RE.sub("", text)
    text = _MD_BULLET_RE.sub(r"\1- ", text)
    text = _MD_HTML_TAG_RE.sub("", text)
    return _BLANK_LINES_RE.sub("\n\n", text).strip()


def markdown_title(markdown: str) -> str:
    """Return a Markdown article's first heading, or its plain-text headline when it has none."""
    match = _MD_HEADING_RE.search(markdown)
    return (match.group(1).strip() if match else plain_text_headline(markdown_to_text(markdown)))[
        :300
    ]


# A date stamp as news sites print it beside a story: 22/10/2025, 22.10.2025, 2025-10-22.
_DATE_STAMP_RE = re.compile(
    r"^(?:(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})|(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2}))"
)
HEADLINE_MAX_CHARS = 160
PARAGRAPH_MIN_CHARS = 200


def _is_heading(line: str) -> bool:
    return 3 <= len(line) <= HEADLINE_MAX_CHARS and not line.endswith((".", ",", ";", ":"))


def plain_text_headline(text: str) -> str:
    """Return the headline of a plain-text article: its first heading that is not a teaser.

    Copied web pages start with the site's teasers for other stories: short lines each
    followed by a date-stamped line ("22/10/2025Andrej Karpathy sagt ..."). Those, and any
    date-stamped line, are skipped; a heading is a short line that does not end like a
    sentence and comes before a paragraph. Returns "" when the text has no such line,
    so the caller names the draft otherwise, never after a teaser.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if _DATE_STAMP_RE.match(line) or _DATE_STAMP_RE.match(following):
            continue  # a teaser, or a date stamp glued to a line
        if _is_heading(line) and len(following) >= PARAGRAPH_MIN_CHARS:
            return line
    return ""


def plain_text_date(text: str) -> date | None:
    """Return the date stamped before the article's first paragraph, if the text has one.

    That is the publication date a copied news page prints above its story
    ("22/10/2025Der jüngste AWS-Ausfall ..."); teasers are short, so only a stamp in front
    of a paragraph counts.
    """
    for line in text.splitlines():
        match = _DATE_STAMP_RE.match(line.strip())
        if match and len(line) - match.end() >= PARAGRAPH_MIN_CHARS:
            parts = match.groupdict()
            try:
                if parts["y"]:
                    return date(int(parts["y"]), int(parts["m"]), int(parts["d"]))
                return date(int(parts["iy"]), int(parts["im"]), int(parts["id"]))
            except ValueError:
                continue
    return None


def _iso_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
