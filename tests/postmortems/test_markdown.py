"""The Markdown renderer: what normal documents look like, and that no script survives.

The XSS checks deliberately do not trust the renderer's own allow-lists: they re-parse
the output twice (lxml's tree builder and the stdlib tokenizer, which sees every start
tag even where a tree builder would move or drop it) and apply a deny-list of their own,
so loosening the allow-list by mistake still fails here.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import lxml.html
import pytest
from django.utils.safestring import SafeString
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postmortems.markdown import (
    ALLOWED_TAGS,
    ID_PREFIX,
    markdown_to_text,
    render_inline,
    render_markdown,
    render_markdown_safe,
)

PAYLOAD_FILE = Path(__file__).resolve().parent.parent / "data" / "xss_payloads.txt"

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "0": "\0"}


def load_xss_payloads_with_lines() -> list[tuple[int, str]]:
    """Return (line number, payload) pairs, parsed as the file's header describes."""
    payloads = []
    for number, line in enumerate(PAYLOAD_FILE.read_text(encoding="utf-8").split("\n"), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        payloads.append((number, re.sub(r"\\[nrt0]", lambda match: _ESCAPES[match[0][1]], line)))
    return payloads


def load_xss_payloads() -> list[str]:
    """Return the payloads from tests/data/xss_payloads.txt."""
    return [payload for _, payload in load_xss_payloads_with_lines()]


PAYLOADS = load_xss_payloads_with_lines()

FORBIDDEN_ELEMENTS = frozenset(
    {
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "svg",
        "math",
        "base",
        "meta",
        "link",
        "form",
        "input",
        "button",
        "textarea",
        "select",
        "isindex",
        "template",
        "noscript",
        "title",
        "xmp",
        "video",
        "audio",
        "source",
        "marquee",
    }
)
URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "background",
        "dynsrc",
        "lowsrc",
        "data",
        "xlink:href",
        "poster",
        "srcset",
        "cite",
        "longdesc",
        "codebase",
        "ping",
    }
)
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\s]+")


def _normalised_url(value: str) -> str:
    for _ in range(5):
        value = html.unescape(value)
    return _INVISIBLE.sub("", value).lower()


def _attribute_dangers(tag: str, attributes: list[tuple[str, str | None]]) -> list[str]:
    found = []
    if tag.lower() in FORBIDDEN_ELEMENTS:
        found.append(f"<{tag}> element")
    for name, value in attributes:
        name = name.lower()
        if name.startswith("on"):
            found.append(f"{name} on <{tag}>")
        if name in {"style", "srcdoc"}:
            found.append(f"{name} attribute on <{tag}>")
        if name in URL_ATTRIBUTES and _normalised_url(value or "").startswith(DANGEROUS_SCHEMES):
            found.append(f"{name}={value!r} on <{tag}>")
    return found


class _TokenScanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.dangers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.dangers.extend(_attribute_dangers(tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.dangers.extend(_attribute_dangers(tag, attrs))

    def handle_comment(self, data: str) -> None:
        self.dangers.append(f"comment {data!r}")


def find_dangers(rendered: str) -> list[str]:
    """Return every scriptable element, attribute or URL in ``rendered`` (empty if clean)."""
    dangers = []
    if rendered.strip():
        root = lxml.html.fragment_fromstring(rendered, create_parent="div")
        for element in root.iter():
            if not isinstance(element.tag, str):  # comments and processing instructions
                dangers.append(f"non-element node {lxml.html.tostring(element)!r}")
                continue
            dangers.extend(_attribute_dangers(element.tag, list(element.attrib.items())))
    scanner = _TokenScanner()
    scanner.feed(rendered)
    scanner.close()
    dangers.extend(scanner.dangers)
    return dangers


def find_disallowed_tags(rendered: str) -> set[str]:
    """Return element names in ``rendered`` that the renderer's allow-list does not name."""
    if not rendered.strip():
        return set()
    root = lxml.html.fragment_fromstring(rendered, create_parent="div")
    return {element.tag for element in root.iter() if isinstance(element.tag, str)} - ALLOWED_TAGS


# Each wraps a payload in ordinary Markdown, because a payload that is harmless at the
# top level can behave differently once a list, table or link parser has split it.
CONTEXTS = {
    "alone": "{payload}",
    "list_item": "Steps taken:\n\n- restarted the pod\n- {payload}\n- paged the on-call\n",
    "table_cell": "| Time | Event |\n|------|-------|\n| 10:02 | {payload} |\n",
    "link_text": "See [the {payload} report](https://status.example.com/incidents/42).",
    "blockquote": "> Customer said: {payload}\n",
    "emphasis": "Root cause: **{payload}** and _{payload}_",
    "after_heading": "## Impact\n\n{payload}\n\nMore text.",
}


@pytest.mark.parametrize(("line", "payload"), PAYLOADS, ids=[f"L{line}" for line, _ in PAYLOADS])
def test_payload_renders_without_script(line: int, payload: str) -> None:
    rendered = render_markdown(payload)
    assert find_dangers(rendered) == [], rendered
    assert find_disallowed_tags(rendered) == set(), rendered


@pytest.mark.parametrize("context", sorted(CONTEXTS))
@pytest.mark.parametrize(("line", "payload"), PAYLOADS, ids=[f"L{line}" for line, _ in PAYLOADS])
def test_payload_inside_markdown_renders_without_script(
    line: int, payload: str, context: str
) -> None:
    rendered = render_markdown(CONTEXTS[context].format(payload=payload))
    assert find_dangers(rendered) == [], rendered


def test_payload_corpus_is_large_and_parsed_as_documented() -> None:
    payloads = load_xss_payloads()
    assert len(payloads) >= 60
    assert len(set(payloads)) == len(payloads), "duplicate payloads"
    assert "<IMG SRC=\"jav\tascript:alert('XSS');\">" in payloads
    assert '<IMG SRC=java\0script:alert("XSS")>' in payloads
    assert "[x][1]\n\n[1]: javascript:alert(1)" in payloads
    # A backslash not followed by n/r/t/0 is literal.
    assert '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>' in payloads


def test_whole_corpus_as_one_document_renders_without_script() -> None:
    document = "\n\n".join(load_xss_payloads())
    rendered = render_markdown(document)
    assert find_dangers(rendered) == []
    assert find_disallowed_tags(rendered) == set()


# The checker itself must be able to fail, or every test above passes vacuously.
@pytest.mark.parametrize(
    "unsafe",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href=" &#14; JaVa&#x53;cript:alert(1)">x</a>',
        '<a href="&amp;#106;avascript:alert(1)">x</a>',
        '<p style="color:red">x</p>',
        "<svg></svg>",
        "<!-- hidden -->",
        '<form action="data:text/html,x"></form>',
    ],
)
def test_danger_checker_flags_unsafe_html(unsafe: str) -> None:
    assert find_dangers(unsafe) != []


# --- Normal documents ------------------------------------------------------------


def test_headings_get_prefixed_ids_and_fragment_links_follow_them() -> None:
    rendered = render_markdown(
        "# Root cause\n\n## Timeline of events\n\nSee [the timeline](#timeline-of-events)."
    )
    assert f'<h1 id="{ID_PREFIX}root-cause">Root cause</h1>' in rendered
    assert f'<h2 id="{ID_PREFIX}timeline-of-events">' in rendered
    assert f'href="#{ID_PREFIX}timeline-of-events"' in rendered


def test_user_written_ids_are_prefixed_too() -> None:
    rendered = render_markdown('<h2 id="csrf_token">x</h2>')
    assert f'id="{ID_PREFIX}csrf_token"' in rendered


def test_duplicate_headings_get_distinct_ids() -> None:
    rendered = render_markdown("## Impact\n\ntext\n\n## Impact\n")
    ids = re.findall(r'id="([^"]+)"', rendered)
    assert len(ids) == 2
    assert len(set(ids)) == 2


def test_table_renders_with_alignment_but_no_style() -> None:
    rendered = render_markdown("| Service | Errors |\n|:--------|-------:|\n| api | 5% |\n")
    assert "<table>" in rendered
    assert '<th align="left">Service</th>' in rendered
    assert '<td align="right">5%</td>' in rendered
    assert "style=" not in rendered


def test_fenced_code_shows_html_as_text_and_keeps_language_class() -> None:
    rendered = render_markdown('```html\n<script>alert("x")</script>\n```\n')
    assert '<pre><code class="language-html">' in rendered
    root = lxml.html.fragment_fromstring(rendered, create_parent="div")
    assert root.xpath("string(.//code)").strip() == '<script>alert("x")</script>'
    assert root.xpath("//script") == []


def test_code_classes_other_than_language_are_dropped() -> None:
    rendered = render_markdown(
        '<code class="language-go evil-overlay">x</code> <p class="hero">y</p>'
    )
    assert 'class="language-go"' in rendered
    assert "evil-overlay" not in rendered
    assert "hero" not in rendered


def test_lists_render_including_a_numbered_start() -> None:
    rendered = render_markdown("- one\n- two\n\n3. third\n4. fourth\n")
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in rendered
    assert '<ol start="3">' in rendered


def test_links_get_rel_noopener_noreferrer_nofollow() -> None:
    rendered = render_markdown(
        "[status page](https://status.example.com/) and <https://example.org/x>"
    )
    assert rendered.count('rel="noopener noreferrer nofollow"') == 2
    assert 'href="https://status.example.com/"' in rendered


def test_mailto_and_relative_links_survive() -> None:
    rendered = render_markdown("[mail](mailto:sre@example.com) [other](/incidents/7/) [up](../x)")
    assert 'href="mailto:sre@example.com"' in rendered
    assert 'href="/incidents/7/"' in rendered
    assert 'href="../x"' in rendered


def test_script_scheme_link_keeps_its_text_but_loses_href() -> None:
    rendered = render_markdown("[click me](javascript:alert(1))")
    assert "click me" in rendered
    assert "href" not in rendered


def test_emphasis_inline_code_and_inline_html_tags_render() -> None:
    rendered = render_markdown("*slow* **down** `kubectl` <del>old</del> H<sub>2</sub>O")
    for fragment in (
        "<em>slow</em>",
        "<strong>down</strong>",
        "<code>kubectl</code>",
        "<del>old</del>",
        "<sub>2</sub>",
    ):
        assert fragment in rendered


def test_https_images_are_kept_with_no_referrer() -> None:
    rendered = render_markdown("![latency graph](https://grafana.example.com/p.png)")
    assert 'src="https://grafana.example.com/p.png"' in rendered
    assert 'alt="latency graph"' in rendered
    assert 'referrerpolicy="no-referrer"' in rendered


@pytest.mark.parametrize(
    "source",
    [
        "http://example.com/p.png",
        "/media/p.png",
        "//example.com/p.png",
        "data:image/png;base64,AAAA",
    ],
)
def test_images_from_anything_but_absolute_https_lose_their_src(source: str) -> None:
    rendered = render_markdown(f"![graph]({source})")
    assert "src=" not in rendered


def test_footnotes_link_to_each_other_with_prefixed_ids() -> None:
    rendered = render_markdown("The cache expired.[^ttl]\n\n[^ttl]: TTL was 60s.\n")
    assert f'id="{ID_PREFIX}fnref-ttl"' in rendered
    assert f'href="#{ID_PREFIX}fn-ttl"' in rendered
    assert f'id="{ID_PREFIX}fn-ttl"' in rendered
    assert 'class="footnote"' in rendered


def test_comments_style_and_unknown_tags_are_removed() -> None:
    rendered = render_markdown(
        "<!-- secret -->\n<style>body{display:none}</style>\n<blink>hi</blink>"
    )
    assert "secret" not in rendered
    assert "display" not in rendered
    assert "<blink" not in rendered
    assert "hi" in rendered


def test_attr_list_syntax_stays_literal_text() -> None:
    rendered = render_markdown("# Title {onclick=alert(1)}")
    assert "onclick=" not in re.sub(r">[^<]*<", "><", rendered)


def test_control_characters_and_lone_surrogates_never_reach_the_output() -> None:
    rendered = render_markdown("a\x00b\x1b[31mred &#1; &#xFFFE; \ud800 <a title='&#2;'>x</a>")
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", rendered)
    assert "ab[31mred" in rendered
    rendered.encode("utf-8")


def test_empty_and_none_render_to_empty_string() -> None:
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


def test_safe_variant_is_marked_safe_and_equal() -> None:
    text = "**bold** <script>x</script>"
    safe = render_markdown_safe(text)
    assert isinstance(safe, SafeString)
    assert str(safe) == render_markdown(text)


# --- Determinism -----------------------------------------------------------------


def test_rendering_twice_gives_identical_output() -> None:
    document = "# A\n\ntext[^1]\n\n[^1]: note\n\n" + "\n\n".join(load_xss_payloads()[:40])
    assert render_markdown(document) == render_markdown(document)


def test_renders_do_not_share_state_between_documents() -> None:
    # A shared Markdown instance would carry footnotes and toc slug counters over.
    first = render_markdown("## Impact\n\nx[^1]\n\n[^1]: first note")
    second = render_markdown("## Impact\n\nno footnotes here")
    assert f'id="{ID_PREFIX}impact"' in first
    assert f'id="{ID_PREFIX}impact"' in second
    assert "first note" not in second
    assert 'class="footnote"' not in second


# --- Inline and plain text -------------------------------------------------------


def test_render_inline_escapes_html_and_shows_backticks_as_code() -> None:
    rendered = render_inline('<img src=x onerror=alert(1)> `etcd` & "quorum"')
    assert isinstance(rendered, SafeString)
    assert rendered.startswith("&lt;img src=x onerror=alert(1)&gt; <code>etcd</code> &amp;")
    assert find_dangers(str(rendered)) == []


def test_render_inline_leaves_markdown_block_syntax_alone() -> None:
    assert str(render_inline("# 1. *not* a heading")) == "# 1. *not* a heading"


def test_markdown_to_text_drops_markup_and_scripts() -> None:
    text = markdown_to_text(
        "# Outage\n\nThe **API** & <script>alert(1)</script>workers [failed](https://x.example)."
    )
    assert text == "Outage The API & workers failed."


def test_markdown_to_text_truncates_with_an_ellipsis() -> None:
    assert markdown_to_text("word " * 50, max_length=20) == "word word word word\u2026"


# --- Properties ------------------------------------------------------------------

_MARKDOWN_PIECES = [
    "\n",
    "\n\n",
    "# ",
    "- ",
    "1. ",
    "> ",
    "| a | b |\n|---|---|\n| ",
    " |",
    "```\n",
    "`",
    "*",
    "**",
    "[",
    "](",
    ")",
    "![",
    "[^1]",
    "\n\n[^1]: ",
    "\n\n[1]: ",
    "][1]",
    "<",
    ">",
    '"',
    "'",
    "=",
    "&#",
    ";",
    "&#x6A;",
    "javascript:",
    "JaVaScRiPt:",
    "data:",
    " onerror=",
    " style=",
    "<a href=",
    "<img src=",
    "<svg",
    "<math>",
    "<style>",
    "<!--",
    "-->",
    "\t",
    "\x00",
    "\x0e",
]


@st.composite
def _payload_fragment(draw: st.DrawFn) -> str:
    payload = draw(st.sampled_from(load_xss_payloads()))
    start = draw(st.integers(min_value=0, max_value=len(payload)))
    end = draw(st.integers(min_value=start, max_value=len(payload)))
    return payload[start:end]


_documents_from_fragments = st.lists(
    st.one_of(_payload_fragment(), st.sampled_from(_MARKDOWN_PIECES), st.text(max_size=8)),
    max_size=25,
).map("".join)

_PROPERTY_SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@_PROPERTY_SETTINGS
@given(st.text())
def test_arbitrary_text_never_renders_script(text: str) -> None:
    assert find_dangers(render_markdown(text)) == []


@_PROPERTY_SETTINGS
@given(_documents_from_fragments)
def test_payload_fragments_recombined_never_render_script(text: str) -> None:
    rendered = render_markdown(text)
    assert find_dangers(rendered) == [], rendered
    assert find_disallowed_tags(rendered) == set(), rendered


@_PROPERTY_SETTINGS
@given(_documents_from_fragments)
def test_inline_rendering_never_emits_markup_beyond_code(text: str) -> None:
    rendered = str(render_inline(text))
    assert find_dangers(rendered) == []
    assert set(re.findall(r"<\s*/?\s*([a-zA-Z][^\s/>]*)", rendered)) <= {"code"}
