"""Cutting a source text into plain runs and highlighted quotes for the review page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from postmortems.models import (
    Event,
)


@dataclass(frozen=True)
class TextPiece:
    """A run of source text, highlighted when it is a proposal's quote."""

    text: str
    event_id: int | None = None
    review_state: str = ""


def highlighted_pieces(text: str, events: Iterable[Event]) -> list[TextPiece]:
    """Cut a source text into plain runs and quotes (by their offsets), for escaping in a template.

    Overlapping quotes keep the first; offsets that do not match the text are skipped,
    never trusted.
    """
    spans = sorted(
        (event.quote_start, event.quote_end, event)
        for event in events
        if event.quote_start is not None
        and event.quote_end is not None
        and 0 <= event.quote_start < event.quote_end <= len(text)
    )
    pieces: list[TextPiece] = []
    position = 0
    for start, end, event in spans:
        if start < position:
            continue
        if start > position:
            pieces.append(TextPiece(text[position:start]))
        pieces.append(
            TextPiece(text[start:end], event_id=event.pk, review_state=event.review_state)
        )
        position = end
    if position < len(text):
        pieces.append(TextPiece(text[position:]))
    return pieces


def pieces_html(pieces: Iterable[TextPiece]) -> SafeString:
    """Return the pieces as escaped HTML, each quote a ``<mark>`` the proposals link to.

    Built in Python rather than by a template loop: a long article has hundreds of
    quotes, and the loop's per-piece tags cost more than the rest of the review page.
    """
    parts: list[str] = []
    for piece in pieces:
        if piece.event_id is None:
            parts.append(escape(piece.text))
        else:
            parts.append(
                f'<mark id="quote-{int(piece.event_id)}" class="quote review-'
                f'{escape(piece.review_state)}">{escape(piece.text)}</mark>'
            )
    return mark_safe("".join(parts))  # every part is escaped above
