"""Which slice of an incident's events a page shows: pages of a fixed size, and a time.

An incident may hold ten thousand events; its page and its timeline page show one page
of them, with a link to every page (labelled with the times it covers) and a form to go
to a moment. Both pages order events by (time, id) and use this one function, so a page
number means the same events on both. Plain values in and out, no ORM.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

PER_PAGE = 100


@dataclass(frozen=True)
class PageLink:
    number: int
    first_at: datetime
    last_at: datetime
    current: bool


@dataclass(frozen=True)
class EventPages:
    number: int
    start: int  # index of the page's first event in the whole ordered list
    stop: int  # one past its last
    total: int
    per_page: int
    links: tuple[PageLink, ...]
    error: str = ""  # a page or time that could not be read, said in words
    focus: int | None = None  # with ``at``: index of the first event at or after it

    @property
    def paginated(self) -> bool:
        """Return whether there is more than one page."""
        return len(self.links) > 1

    def page_of(self, index: int) -> int:
        """Return the page number that shows the event at ``index`` of the ordered list."""
        return index // self.per_page + 1


def event_pages(
    times: Sequence[datetime],
    ids: Sequence[int] = (),
    *,
    page: str | None = None,
    at: str | None = None,
    event: str | None = None,
    per_page: int | None = None,
) -> EventPages:
    """Return the page to show of events at ``times`` (sorted), chosen by ``page``, ``at``
    or ``event``.

    ``page`` is a number or "last". ``at`` is an ISO 8601 moment (UTC when it names no
    zone) and wins over ``page``: the page holding the first event at or after it.
    ``event`` is one of ``ids`` (the events' ids in the same order) and wins over both.
    Either sets ``focus``. A page out of range shows the nearest page; an unreadable one
    shows the first, with ``error`` saying why.
    """
    per_page = per_page or PER_PAGE
    total = len(times)
    count = max(1, -(-total // per_page))
    number, error, focus = 1, "", None
    if event:
        try:
            focus = list(ids).index(int(event))
        except ValueError:
            error = f"This timeline has no event {event[:20]}: showing the first page."
        else:
            number = focus // per_page + 1
    elif at:
        moment = parse_moment(at)
        if moment is None:
            error = f"“{at[:40]}” is not a time: use YYYY-MM-DD HH:MM (UTC)."
        else:
            index = bisect_left(times, moment)
            number = min(count, index // per_page + 1)
            focus = index if index < total else None
    elif page:
        if page == "last":
            number = count
        elif page.isdigit():
            number = min(max(1, int(page)), count)
        else:
            error = f"“{page[:40]}” is not a page number: showing the first page."
    links = tuple(
        PageLink(
            number=n,
            first_at=times[(n - 1) * per_page],
            last_at=times[min(n * per_page, total) - 1],
            current=n == number,
        )
        for n in range(1, count + 1)
        if total
    )
    start = (number - 1) * per_page
    return EventPages(
        number=number,
        start=start,
        stop=min(start + per_page, total),
        total=total,
        per_page=per_page,
        links=links,
        error=error,
        focus=focus,
    )


def parse_moment(text: str) -> datetime | None:
    """Return an ISO 8601 moment as an aware UTC datetime (UTC if it names no zone), or None."""
    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError:
        return None
    try:
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except OverflowError:  # an offset that pushes year 1 or 9999 out of range
        return None
