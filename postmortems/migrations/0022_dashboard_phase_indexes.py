"""Indexes that hand the dashboard each phase's durations already sorted, on PostgreSQL only.

The dashboard's medians by root cause need every incident's time to detect, mitigate and
recover in order. Sorting 99,000 durations three times was most of the 270 ms the figures
took at 100,000 incidents (``postmortems.dashboard._figures_in_sql``). Each index below
holds one phase, ``(root_cause_category, moment - started_at)`` over confirmed incidents,
with the two moments included so the scan never reads the table; the median's sort then
finds its input sorted. The counts per cause read one of them too.

The expressions are the dashboard query's own (the planner only uses an expression index
for the identical expression). Not declared in the models' Meta: on SQLite Django would
build the difference of two times with its own SQL function, and SQLite's path sorts in
Python anyway; the operation does nothing there and leaves the migration state alone.
"""

from __future__ import annotations

from django.db import migrations

# (index name, the moment whose time from the start the index sorts)
PHASE_INDEXES = (
    ("incident_detect_idx", "detected_at"),
    ("incident_mitigate_idx", "mitigated_at"),
    ("incident_recover_idx", "resolved_at"),
)


class AddPhaseIndexes(migrations.operations.base.Operation):
    """Create the phase indexes on PostgreSQL; a no-op elsewhere and for the model state."""

    reversible = True
    reduces_to_sql = True

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = schema_editor.quote_name(
            to_state.apps.get_model(app_label, "incident")._meta.db_table
        )
        for name, moment in PHASE_INDEXES:
            schema_editor.execute(
                f"CREATE INDEX {name} ON {table} "
                f"(root_cause_category, ({moment} - started_at)) "
                f"INCLUDE (started_at, {moment}) WHERE NOT is_draft"
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, _ in PHASE_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    def describe(self):
        return "Create the dashboard's per-phase duration indexes (PostgreSQL only)"


class Migration(migrations.Migration):
    dependencies = [
        ("postmortems", "0021_one_generation"),
    ]

    operations = [
        AddPhaseIndexes(),
    ]
