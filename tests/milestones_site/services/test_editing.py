"""The mechanics of update services (projects/editing.py)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from milestones_site.services.editing import lock_for_update
from milestones_site.services.errors import StaleVersion
from projects.models import Milestone
from tests.factories import MilestoneFactory, ProjectFactory, forced

pytestmark = pytest.mark.django_db


def loaded(milestone: Milestone) -> Milestone:
    return Milestone.objects.select_related("project__workspace").get(pk=milestone.pk)


def test_the_locked_row_keeps_the_project_already_read(project):
    milestone = loaded(MilestoneFactory(project=project))
    with transaction.atomic():
        locked = lock_for_update(milestone, milestone.version)
        with CaptureQueriesContext(connection) as queries:
            assert locked.project.workspace == project.workspace
    assert len(queries) == 0


def test_a_project_changed_before_the_lock_is_read_anew(project):
    milestone = loaded(MilestoneFactory(project=project))
    other = ProjectFactory(workspace=project.workspace)
    forced(Milestone.objects.filter(pk=milestone.pk), project=other)
    with transaction.atomic():
        locked = lock_for_update(milestone, None)
    assert locked.project == other
    assert milestone.project == project  # the caller's copy is left as it was


def test_a_moved_version_is_refused(project):
    milestone = loaded(MilestoneFactory(project=project))
    Milestone.objects.filter(pk=milestone.pk).update(version=milestone.version + 1)
    with transaction.atomic(), pytest.raises(StaleVersion):
        lock_for_update(milestone, milestone.version)
