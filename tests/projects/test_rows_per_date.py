"""Annotated rows built once per date (projects/querysets.py `rows_per_date`): their
annotations are compiled once, and must still be right wherever the rows are used."""

from datetime import date, timedelta

import pytest

from projects.api.views import milestone_rows
from projects.models import Milestone
from tests.factories import MilestoneFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 10)


@pytest.fixture
def overdue_and_upcoming(project):
    overdue = MilestoneFactory(project=project, due_date=TODAY - timedelta(days=3))
    upcoming = MilestoneFactory(project=project, due_date=TODAY + timedelta(days=60))
    return overdue, upcoming


def test_rows_filter_and_order_on_their_annotations(overdue_and_upcoming, manager):
    overdue, upcoming = overdue_and_upcoming
    rows = milestone_rows(TODAY).visible_to(manager)
    for _ in range(2):  # compiled the first time, reused the second
        assert list(rows.filter(health="off_track")) == [overdue]
        assert list(rows.filter(is_overdue=False)) == [upcoming]
        assert [row.slip_days for row in rows.order_by("-health")] == [0, 0]
        assert rows.filter(health="off_track").count() == 1


def test_rows_compiled_once_stay_right_inside_another_query(overdue_and_upcoming, manager):
    overdue, upcoming = overdue_and_upcoming
    rows = milestone_rows(TODAY)
    assert {row.health for row in rows.visible_to(manager)} == {"off_track", "on_track"}
    # As a subquery the rows' tables are renamed: the annotations must follow.
    off_track = rows.filter(health="off_track").values("pk")
    assert list(Milestone.objects.filter(pk__in=off_track)) == [overdue]
    on_track = rows.filter(health="on_track", slip_days=0).values("pk")
    assert list(Milestone.objects.filter(pk__in=on_track)) == [upcoming]
