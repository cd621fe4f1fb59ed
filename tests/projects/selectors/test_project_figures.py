"""The project page counts its headline figures from the rows it loads; they must match the
portfolio's, which the database computes (ProjectQuerySet.with_overview)."""

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projects.selectors.portfolio import portfolio_overview
from projects.selectors.project_figures import percent
from projects.selectors.project_page import project_detail
from tests.factories import DeliverableFactory, MilestoneFactory, StatusUpdateFactory, depend

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 10)
MILESTONE_STATUSES = ["planned", "in_progress", "blocked", "completed", "cancelled"]
DELIVERABLE_STATUSES = ["not_started", "in_review", "changes_requested", "approved", "delivered"]


@pytest.mark.parametrize(
    ("part", "whole", "shown"), [(0, 0, 0), (1, 3, 33), (2, 3, 66), (3, 3, 100), (0, 4, 0)]
)
def test_percent_rounds_down_like_the_database(part, whole, shown):
    assert percent(part, whole) == shown


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    window=st.integers(0, 5),
    milestones=st.lists(
        st.tuples(
            st.sampled_from(MILESTONE_STATUSES),
            st.integers(-4, 8),
            st.lists(st.sampled_from(DELIVERABLE_STATUSES), max_size=3),
        ),
        max_size=5,
    ),
    dependencies=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), max_size=3),
    update=st.none() | st.sampled_from(["on_track", "at_risk", "off_track"]),
)
def test_project_page_figures_match_the_portfolio(
    project, manager, window, milestones, dependencies, update
):
    with transaction.atomic():
        project.workspace.warning_window_days = window
        project.workspace.save()
        rows = []
        for status, due_in, deliverable_statuses in milestones:
            due = TODAY + timedelta(days=due_in)
            milestone = MilestoneFactory(
                project=project,
                status=status,
                due_date=due,
                baseline_due_date=due,
                completed_at=timezone.now() if status == "completed" else None,
            )
            for deliverable_status in deliverable_statuses:
                done = deliverable_status in ("approved", "delivered")
                DeliverableFactory(
                    milestone=milestone,
                    status=deliverable_status,
                    approved_at=timezone.now() if done else None,
                )
            rows.append(milestone)
        for dependent, prerequisite in dependencies:
            if dependent != prerequisite and max(dependent, prerequisite) < len(rows):
                depend(rows[dependent], rows[prerequisite])
        if update:
            StatusUpdateFactory(project=project, health=update)

        figures = project_detail(user=manager, project_id=project.pk, today=TODAY).figures
        overview = portfolio_overview(user=manager, workspace=project.workspace, today=TODAY)
        (row,) = overview.page.object_list
        next_milestone = figures.next_milestone
        assert (
            figures.milestones_total,
            figures.milestones_completed,
            figures.milestone_progress,
            figures.deliverables_total,
            figures.deliverables_done,
            figures.deliverable_progress,
            figures.overdue_count,
            figures.health,
            next_milestone.pk if next_milestone else None,
        ) == (
            row.milestones_in_scope,
            row.milestones_completed,
            row.milestone_progress,
            row.deliverables_in_scope,
            row.deliverables_done,
            row.deliverable_progress,
            row.overdue_count,
            row.health,
            row.next_milestone_id,
        )
        transaction.set_rollback(True)
