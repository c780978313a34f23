"""GIN expression indexes behind full-text search, on PostgreSQL only.

Each index is built from the same Django expression that ``postmortems/search.py`` filters
on (``incident_document()`` and friends, copied here so this migration keeps meaning the
same thing if search.py changes later). The planner only uses an expression index when the
query's expression is identical, so the two must be changed together;
``test_postgres_search_uses_the_gin_indexes`` fails when they drift apart.

The indexes are not declared in the models' Meta because SQLite has no GIN indexes; the
operation below does nothing on other databases and leaves the migration state untouched.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce, NullIf

CONFIG = "simple"


def _incident_document():
    return SearchVector("title", config=CONFIG, weight="A") + SearchVector(
        "summary", config=CONFIG, weight="B"
    )


def _event_document():
    return (
        SearchVector("title", config=CONFIG, weight="A")
        + SearchVector("description", config=CONFIG, weight="B")
        + SearchVector("quote", config=CONFIG, weight="C")
    )


def _postmortem_document():
    return SearchVector(
        Coalesce(
            NullIf("published_body", Value(""), output_field=TextField()),
            F("body"),
            output_field=TextField(),
        ),
        config=CONFIG,
        weight="B",
    )


def _source_document():
    return SearchVector("title", config=CONFIG, weight="A") + SearchVector(
        "text", config=CONFIG, weight="B"
    )


INDEXES = [
    ("incident", "incident_search_idx", _incident_document),
    ("event", "event_search_idx", _event_document),
    ("postmortem", "postmortem_search_idx", _postmortem_document),
    ("source", "source_search_idx", _source_document),
]


class AddPostgresSearchIndexes(migrations.operations.base.Operation):
    """Create the search indexes on PostgreSQL; a no-op elsewhere and for the model state."""

    reversible = True
    reduces_to_sql = True

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        for model_name, index_name, document in INDEXES:
            model = to_state.apps.get_model(app_label, model_name)
            schema_editor.add_index(model, GinIndex(document(), name=index_name))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        for model_name, index_name, document in INDEXES:
            model = from_state.apps.get_model(app_label, model_name)
            schema_editor.remove_index(model, GinIndex(document(), name=index_name))

    def describe(self):
        return "Create GIN full-text search indexes (PostgreSQL only)"


class Migration(migrations.Migration):
    dependencies = [
        ("postmortems", "0003_postmortem_drafts"),
    ]

    operations = [
        AddPostgresSearchIndexes(),
    ]
