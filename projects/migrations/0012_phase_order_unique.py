"""Two phases of a project can no longer share an order. Projects where some do are
renumbered first: their phases keep the order they were listed in (by order, then by when
they were added) and take 0, 1, 2, …"""

from django.db import migrations, models
from django.db.models import Count


def renumber_shared_orders(apps, schema_editor):
    Phase = apps.get_model("projects", "Phase")
    shared = (
        Phase.objects.values("project_id", "order")
        .annotate(phases=Count("id"))
        .filter(phases__gt=1)
        .values_list("project_id", flat=True)
    )
    for project_id in set(shared):
        phases = list(Phase.objects.filter(project_id=project_id).order_by("order", "id"))
        for order, phase in enumerate(phases):
            phase.order = order
        Phase.objects.bulk_update(phases, ["order"])


class Migration(migrations.Migration):
    dependencies = [("projects", "0011_single_line_names")]

    operations = [
        migrations.RunPython(renumber_shared_orders, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="phase",
            constraint=models.UniqueConstraint(
                fields=("project", "order"), name="phase_order_unique"
            ),
        ),
    ]
