"""The demo knowledge base: the AWS us-east-1 outages of 20 October 2025 and 7 December 2021.

The demo is a document, ``demo_data/demo.cascade-kb.json``, in the format ``export_kb``
writes and ``import_kb`` and ``POST /api/v1/kb/import/`` read, loaded by that same import
(``postmortems.exchange.kb_import``), so it is validated by the same service functions as
every other write. It is loaded as a merge: loading it again makes its records say what
the document says and deletes nothing, so what people added to the demo incidents (events,
action items, comments, postmortem versions) stays. ``demo_data/README.md`` says where its
facts come from and how to change it.

The customer status feeds of that day come in through their own door, the feed poller,
from recorded snapshots (``postmortems/ingest/feeds/demo.py``).
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from postmortems import exchange, services

DEMO_DIR = Path(__file__).resolve().parent / "demo_data"
DOCUMENT = DEMO_DIR / "demo.cascade-kb.json"

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"


@transaction.atomic
def demo_load(*, password: str | None = None) -> dict[str, int]:
    """Load the demo knowledge base; running it again changes nothing.

    Returns the number of records of each kind the demo consists of.
    """
    # First: the document names the demo account as the author of its events and
    # postmortem, and an account the import does not find becomes a placeholder.
    user = services.demo_user_ensure(password=password)
    document = exchange.kb_loads(DOCUMENT.read_bytes())
    exchange.kb_import(document=document, merge=True)
    # Deferred: the feed door imports this module's neighbours, not the other way round.
    from postmortems.ingest.feeds.demo import demo_feeds_load

    feeds = demo_feeds_load(user=user)
    return {
        "feeds": feeds,
        "services": len(document["services"]),
        "dependencies": len(document["dependencies"]),
        "sources": len(document["sources"]),
        "incidents": len(document["incidents"]),
        "events": sum(len(incident["events"]) for incident in document["incidents"]),
    }
