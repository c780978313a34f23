from django.db import migrations


class Migration(migrations.Migration):
    """The timelines' counter gave way to postmortems.Generation, which counts for both."""

    dependencies = [
        ("timelines", "0003_timeline_generation"),
        ("postmortems", "0021_one_generation"),
    ]

    operations = [
        migrations.DeleteModel(name="TimelineGeneration"),
    ]
