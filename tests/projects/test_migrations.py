"""Data migrations, run forwards on rows written before them."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("projects", "0011_single_line_names")
AFTER = ("projects", "0012_phase_order_unique")
START = date(2027, 3, 1)


def migrate(target):
    """Migrate to `target`; the historical models of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()
    return executor.loader.project_state([target]).apps


@pytest.mark.django_db(transaction=True)
def test_phases_sharing_an_order_are_renumbered_before_the_order_is_made_unique():
    old = migrate(BEFORE)
    try:
        workspace = old.get_model("projects", "Workspace").objects.create(name="W", slug="w")
        Project = old.get_model("projects", "Project")
        shared, clean = (
            Project.objects.create(
                workspace=workspace, name=name, start_date=START, target_date=START
            )
            for name in ("Shared", "Clean")
        )
        Phase = old.get_model("projects", "Phase")
        for order, name in ((0, "Brief"), (1, "Shoot"), (1, "Edit"), (1, "Grade"), (4, "Launch")):
            Phase.objects.create(project=shared, name=name, order=order)
        for order, name in ((3, "Only"), (7, "Spaced")):
            Phase.objects.create(project=clean, name=name, order=order)

        new = migrate(AFTER)

        Phase = new.get_model("projects", "Phase")
        listed = Phase.objects.order_by("project_id", "order").values_list("name", "order")
        assert list(listed) == [
            ("Brief", 0),
            ("Shoot", 1),
            ("Edit", 2),
            ("Grade", 3),
            ("Launch", 4),
            ("Only", 3),  # no order shared: left as it was
            ("Spaced", 7),
        ]
        with pytest.raises(IntegrityError), transaction.atomic():
            Phase.objects.create(project_id=shared.pk, name="Twin", order=0)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes("projects")[0])
