"""Fixtures the integration tests share with the tests of the parts they drive."""

from __future__ import annotations

from tests.postmortems.feeds.server import feed_server

__all__ = ["feed_server"]
