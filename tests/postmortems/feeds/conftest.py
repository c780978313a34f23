"""The recorded-feed server for every feed test here."""

from __future__ import annotations

from tests.postmortems.feeds.server import feed_server

__all__ = ["feed_server"]
