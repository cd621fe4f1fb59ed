"""Work out the new roll-ups of rows made before they existed (nothing to do on a new
database). The roll-up code reads and writes only the roll-up columns and the columns they
are worked out from, all present at this point."""

from django.db import migrations


def fill(apps, schema_editor):
    from deliverables import rollups as checklist_rollups
    from projects import rollups

    rollups.recompute(repair=True)
    checklist_rollups.recompute(repair=True)


class Migration(migrations.Migration):
    dependencies = [("projects", "0009_rollups"), ("deliverables", "0005_rollups")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
