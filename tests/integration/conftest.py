"""Fixtures the integration tests share with the tests of the parts they drive."""

from __future__ import annotations

from tests.integration.test_import_worker import workers
from tests.postmortems.feeds.server import feed_server

# ``workers`` starts workers on whatever ``queue`` the requesting test module defines.
__all__ = ["feed_server", "workers"]
