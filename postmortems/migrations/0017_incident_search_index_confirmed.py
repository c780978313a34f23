"""Rebuild the incident search index as a partial index over confirmed incidents.

Search never lists drafts (``Incident.objects.confirmed()``), so every incident search query
carries ``NOT is_draft``. A full GIN index then competes with the partial dashboard index
that matches that condition; on small or freshly analysed tables the planner chose the
dashboard index and filtered every row through the text match. A GIN index with the same
condition serves both halves of the query. PostgreSQL only, like 0004.
"""

from __future__ import annotations

import importlib

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations
from django.db.models import Q

_search = importlib.import_module("postmortems.migrations.0004_search_indexes")
NAME = "incident_search_idx"


def _full() -> GinIndex:
    return GinIndex(_search._incident_document(), name=NAME)


def _confirmed() -> GinIndex:
    return GinIndex(_search._incident_document(), name=NAME, condition=Q(is_draft=False))


class SwapIncidentSearchIndex(migrations.operations.base.Operation):
    """Replace one PostgreSQL index by another; a no-op elsewhere and for the model state."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, *, old, new) -> None:
        self.old, self.new = old, new

    def state_forwards(self, app_label, state):
        pass

    def _swap(self, schema_editor, apps, old, new) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        model = apps.get_model("postmortems", "incident")
        schema_editor.remove_index(model, old())
        schema_editor.add_index(model, new())

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._swap(schema_editor, to_state.apps, self.old, self.new)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._swap(schema_editor, from_state.apps, self.new, self.old)

    def describe(self):
        return "Rebuild the incident search index over confirmed incidents (PostgreSQL only)"


class Migration(migrations.Migration):
    dependencies = [
        ("postmortems", "0016_api_tokens"),
    ]

    operations = [
        SwapIncidentSearchIndex(old=_full, new=_confirmed),
    ]
