"""The one Markdown renderer: every page, preview, share view and export goes through here.

Text written by anyone who can edit a postmortem ends up on public share pages, so the
output is treated as hostile until nh3 (the ammonia sanitiser) has re-parsed it with a
real HTML5 parser and kept only an allow-list. Python-Markdown passes raw HTML through
untouched; that is fine because sanitising is always the last step and nothing touches
the HTML after it. ``render_markdown_safe`` is the only place in the project that may
call ``mark_safe`` on user-authored text.

Decisions worth knowing before changing the allow-lists:

* Images are allowed, but only from absolute ``https://`` URLs (no ``http:``, no
  relative paths, no ``data:``). Graphs and screenshots are a large part of a good
  postmortem; plain-http images would be blocked as mixed content anyway, and relative
  paths would let a postmortem fire GET requests at our own endpoints as the viewer.
  Images get ``referrerpolicy="no-referrer"`` so a third-party host does not learn which
  private postmortem was being read.
* No ``style`` attribute anywhere and no ``<style>``: CSS can overlay the page, fake
  login forms and exfiltrate via ``url()``. Table alignment uses the ``align`` attribute
  (``use_align_attribute``) instead, restricted to left/center/right.
* ``class`` survives only as ``language-*`` on ``<code>`` and the few classes our own
  extensions emit (footnotes, table of contents).
* Every ``id`` is prefixed with ``pm-`` and every fragment link is rewritten to match,
  so user content cannot clobber ids (or ``window`` globals) the page itself relies on.
* ``attr_list`` is deliberately not enabled: ``# Title {onclick=...}`` stays text.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import markdown
import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions.toc import slugify_unicode

ID_PREFIX = "pm-"

_EXTENSIONS = ["tables", "fenced_code", "sane_lists", "toc", "footnotes"]
_EXTENSION_CONFIGS: dict[str, dict[str, object]] = {
    # The default emits style="text-align: …", and we allow no style attribute at all.
    "tables": {"use_align_attribute": True},
    "toc": {"slugify": slugify_unicode},
    # "fn-1" rather than "fn:1": a colon in an id needs escaping in every CSS selector.
    "footnotes": {"SEPARATOR": "-"},
}

ALLOWED_TAGS = frozenset(
    {
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "p",
        "br",
        "hr",
        "blockquote",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "pre",
        "code",
        "kbd",
        "samp",
        "em",
        "strong",
        "del",
        "s",
        "ins",
        "mark",
        "sup",
        "sub",
        "a",
        "img",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "caption",
        "details",
        "summary",
        # Footnotes and [TOC] wrap themselves in a div.
        "div",
    }
)

# Removed together with everything inside them; leaving "alert(1)" or a stylesheet as
# visible text helps nobody. Everything else that is not allowed is unwrapped to text.
_DROP_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "template",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "noscript",
        "noembed",
        "noframes",
        "xmp",
        "title",
        "textarea",
        "select",
        "svg",
        "math",
    }
)

_ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title", "class"},
    "img": {"src", "alt", "title", "width", "height"},
    "code": {"class"},
    "div": {"class"},
    "ol": {"start"},
    "sup": {"id"},
    "li": {"id"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
}
_ALIGN = {"align": {"left", "center", "right"}}
_ATTRIBUTE_VALUES: dict[str, dict[str, set[str]]] = {"th": _ALIGN, "td": _ALIGN}

_URL_SCHEMES = {"http", "https", "mailto"}
_LINK_REL = "noopener noreferrer nofollow"

_ALLOWED_CLASSES = {
    "div": {"footnote", "toc"},
    "a": {"footnote-ref", "footnote-backref"},
}
_LANGUAGE_CLASS = re.compile(r"language-[A-Za-z0-9_+#.-]{1,40}")
_DIMENSION = re.compile(r"[0-9]{1,4}")

# Browsers drop ASCII tab/newline anywhere in a URL and C0 controls/space at its ends
# before reading the scheme. We are stricter than that: remove all whitespace and
# control characters everywhere, and unescape repeatedly, so that no spelling of these
# schemes survives even in an attribute some future code decodes a second time.
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff\s]+")
_DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")


def _looks_dangerous(url: str) -> bool:
    """Return True if the URL, however it is encoded, names a script-capable scheme."""
    previous = None
    decoded = url
    for _ in range(5):
        if decoded == previous:
            break
        previous, decoded = decoded, html.unescape(decoded)
    squeezed = _INVISIBLE.sub("", decoded).lower()
    return squeezed.startswith(_DANGEROUS_SCHEMES)


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    # ammonia has already checked the tag/attribute allow-list and decoded entities; this
    # callback narrows values further where a plain allow-list cannot express the rule.
    if attribute == "href":
        if _looks_dangerous(value):
            return None
        if value.startswith("#") and len(value) > 1:
            return f"#{ID_PREFIX}{value[1:]}"
        return value
    if attribute == "src":
        # Images only from absolute https URLs; see the module docstring for why.
        if _looks_dangerous(value):
            return None
        parts = urlsplit(value.strip())
        if parts.scheme.lower() != "https" or not parts.netloc:
            return None
        return value.strip()
    if attribute == "id":
        return f"{ID_PREFIX}{value}" if value else None
    if attribute == "class":
        allowed = _ALLOWED_CLASSES.get(element, set())
        if element == "code":
            kept = [name for name in value.split() if _LANGUAGE_CLASS.fullmatch(name)]
        else:
            kept = [name for name in value.split() if name in allowed]
        return " ".join(kept) or None
    if attribute == "start":
        return value if value.isascii() and value.isdigit() and len(value) <= 9 else None
    if attribute in {"width", "height"}:
        return value if _DIMENSION.fullmatch(value) else None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(_DROP_WITH_CONTENT),
    attributes=_ALLOWED_ATTRIBUTES,
    tag_attribute_values=_ATTRIBUTE_VALUES,
    set_tag_attribute_values={"img": {"referrerpolicy": "no-referrer", "loading": "lazy"}},
    attribute_filter=_filter_attribute,
    url_schemes=_URL_SCHEMES,
    link_rel=_LINK_REL,
    strip_comments=True,
)

# Strips every tag (keeping text) for the plain-text rendering; only applied to output
# that has already been through _CLEANER, so script and style bodies are gone by then.
_TEXT_ONLY = nh3.Cleaner(
    tags=set(), attributes={}, clean_content_tags=set(_DROP_WITH_CONTENT), link_rel=None
)

_INLINE_CODE = re.compile(r"`([^`\n]+)`")
_INPUT_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")
_XML_INCOMPATIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _markdown_to_html(text: str) -> str:
    # A fresh instance per call: markdown.Markdown keeps per-document state (footnotes,
    # toc slugs) and is not thread-safe. Building one costs well under a millisecond.
    md = markdown.Markdown(
        extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS, output_format="html"
    )
    return md.convert(text)


def _without_control_characters(text: str) -> str:
    # NUL and the other C0 controls are never meaningful in a document (pasted terminal
    # output is the usual source), old browsers skipped NUL inside scheme names, and lone
    # surrogates cannot even be encoded as UTF-8. Removing them before parsing is safe:
    # anything they join up is still seen by the sanitiser afterwards.
    return _SURROGATES.sub("\ufffd", _INPUT_CONTROLS.sub("", text))


def render_markdown(text: str | None) -> str:
    """Return sanitised HTML for Markdown ``text``; safe to embed inside a ``<div>``.

    The result contains no XML-incompatible characters either, so exports can feed it to
    XML tooling without tripping over a stray ``&#1;``.
    """
    if not text:
        return ""
    cleaned = _CLEANER.clean(_markdown_to_html(_without_control_characters(text)))
    # Character references such as &#1; come back as raw controls after sanitising. They
    # are replaced, not deleted, so no two characters that were apart end up adjacent.
    return _XML_INCOMPATIBLE.sub("\ufffd", cleaned)


def render_markdown_safe(text: str | None) -> SafeString:
    """Return ``render_markdown(text)`` marked safe for templates."""
    # mark_safe on user text happens only in this module: the string comes straight out
    # of the allow-list sanitiser above, with nothing appended afterwards.
    return mark_safe(render_markdown(text))


def render_inline(text: str | None) -> SafeString:
    """Return a short field (a title) escaped, with `backtick` spans shown as code.

    Titles are often links themselves, so no other Markdown is interpreted here: a
    heading marker or list number in a title stays exactly as typed.
    """
    if not text:
        return mark_safe("")
    escaped = str(escape(_without_control_characters(text)))
    # The code span's content is already escaped, so wrapping it adds no markup of the
    # user's; the second clean is belt and braces.
    with_code = _INLINE_CODE.sub(r"<code>\1</code>", escaped)
    return mark_safe(nh3.clean(with_code, tags={"code"}, attributes={}, link_rel=None))


def markdown_to_text(text: str | None, *, max_length: int | None = None) -> str:
    """Return Markdown ``text`` as one line of plain (unescaped) text, for search and previews.

    The result is plain text, not HTML: templates must still escape it.
    """
    stripped = _TEXT_ONLY.clean(render_markdown(text))
    # Footnote back-links are an arrow glyph that means nothing outside the page.
    plain = html.unescape(stripped).replace("\u21a9", "")
    plain = " ".join(plain.split())
    if max_length is not None and len(plain) > max_length:
        plain = plain[: max(max_length - 1, 0)].rstrip() + "\u2026"
    return plain
