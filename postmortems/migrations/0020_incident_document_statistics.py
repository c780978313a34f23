"""Statistics on the incident search document, on PostgreSQL only.

The planner estimates how many incidents a text search matches from statistics on the
searched expression. An expression index provides them, but not a partial one (the
planner ignores a partial index's statistics as not describing the whole table), and
since 0017 the incident search index is partial. Without them every search was guessed
to match 0.5% of incidents: a word in 60% of them was then read in full and sorted
(124 ms at 100,000 incidents) instead of walking the start-time index until the page is
full (1 ms). ``CREATE STATISTICS`` on the expression gives the planner what the index
no longer does; ANALYZE (autovacuum) fills it. The expression is compiled from the same
definition as the index's (0004), so the two cannot drift apart.
"""

from __future__ import annotations

import importlib

from django.db import migrations
from django.db.models.sql import Query

_search = importlib.import_module("postmortems.migrations.0004_search_indexes")
NAME = "incident_document_stats"


def _expression_sql(model, schema_editor) -> str:
    query = Query(model, alias_cols=False)
    compiler = query.get_compiler(connection=schema_editor.connection)
    sql, params = compiler.compile(_search._incident_document().resolve_expression(query))
    return sql % tuple(schema_editor.quote_value(param) for param in params)


class CreateExpressionStatistics(migrations.operations.base.Operation):
    """CREATE STATISTICS on the incident search document; a no-op elsewhere."""

    reversible = True
    reduces_to_sql = True

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = to_state.apps.get_model(app_label, "incident")
        table = schema_editor.quote_name(model._meta.db_table)
        schema_editor.execute(
            f"CREATE STATISTICS {NAME} ON ({_expression_sql(model, schema_editor)}) FROM {table}"
        )
        schema_editor.execute(f"ANALYZE {table}")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {NAME}")

    def describe(self):
        return "Create statistics on the incident search document (PostgreSQL only)"


class Migration(migrations.Migration):
    dependencies = [
        ("postmortems", "0019_incident_severity_index"),
    ]

    operations = [
        CreateExpressionStatistics(),
    ]
