import time

from django.db import migrations, models


def start_above_every_earlier_number(apps, schema_editor):
    # Cached timeline answers (outside the database) carry numbers of the timelines app's
    # own counter, which this row replaces: start above anything either counter held.
    apps.get_model("postmortems", "Generation").objects.using(
        schema_editor.connection.alias
    ).update_or_create(pk=1, defaults={"value": time.time_ns()})


class Migration(migrations.Migration):
    """One generation for every derived answer (timelines, dashboard figures)."""

    dependencies = [
        ("postmortems", "0020_incident_document_statistics"),
    ]

    operations = [
        migrations.RenameModel(old_name="FiguresGeneration", new_name="Generation"),
        migrations.AlterField(
            model_name="generation",
            name="value",
            field=models.BigIntegerField(default=1),
        ),
        migrations.RunPython(start_above_every_earlier_number, migrations.RunPython.noop),
    ]
