"""A document's markup (HTML, Markdown, plain text) to the article text an import reads."""

from __future__ import annotations

import re
from dataclasses import dataclass

from postmortems.ingest.decoding import clean_text, first_line


@dataclass(frozen=True)
class ArticleText:
    """What an import reads: the raw content kept for the record and its main text."""

    raw_content: str
    text: str
    title: str = ""
    final_url: str = ""


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
        if not text.strip():
            # Pages too small for the boilerplate heuristics: keep every visible word.
            text = trafilatura.html2txt(raw) or ""
        return ArticleText(
            raw_content=raw, text=clean_text(text).strip(), title=title[:300], final_url=final_url
        )
    if content_type in ("text/markdown", "text/x-markdown"):
        return ArticleText(
            raw_content=raw,
            text=markdown_to_text(raw),
            title=markdown_title(raw),
            final_url=final_url,
        )
    return ArticleText(
        raw_content=raw,
        text=clean_text(raw).strip(),
        title=first_line(raw)[:300],
        final_url=final_url,
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
    match = _MD_HEADING_RE.search(markdown)
    return (match.group(1) if match else first_line(markdown))[:300]
