"""The burn-up series replays the activity log: scope and completed milestones per day."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from projects.models import ActivityEvent
from projects.selectors.burnup import MilestoneEvent, burnup_series, replay
from projects.selectors.charts import BurnupPoint
from projects.services import milestones as milestone_services

D1, D2, D3 = date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 3)


def test_replay_counts_scope_and_done_per_day():
    events = [
        MilestoneEvent(D1, "milestone.created", 1),
        MilestoneEvent(D1, "milestone.created", 2),
        MilestoneEvent(D1, "milestone.created", 3),
        MilestoneEvent(D2, "milestone.completed", 1),
        MilestoneEvent(D2, "milestone.status_changed", 2, "cancelled"),
        MilestoneEvent(D3, "milestone.reopened", 1, "in_progress"),
        MilestoneEvent(D3, "milestone.status_changed", 2, "planned"),
        MilestoneEvent(D3, "milestone.completed", 3),
        MilestoneEvent(D3, "milestone.deleted", 3),
    ]
    assert replay(events) == [
        BurnupPoint(D1, 3, 0),
        BurnupPoint(D2, 2, 1),
        BurnupPoint(D3, 2, 0),
    ]


@pytest.mark.django_db
def test_burnup_series_from_real_services(workspace, manager, project):
    today = workspace.today()
    first = milestone_services.milestone_create(
        project=project, actor=manager, title="Brief", due_date=today
    )
    second = milestone_services.milestone_create(
        project=project, actor=manager, title="Launch", due_date=today + timedelta(days=9)
    )
    # Pretend the plan was made a week ago.
    ActivityEvent.objects.filter(verb="milestone.created").update(
        created_at=timezone.now() - timedelta(days=7)
    )
    milestone_services.milestone_complete(milestone=first, actor=manager)
    milestone_services.milestone_delete(milestone=second, actor=manager)

    points = burnup_series(project=project, today=today)
    assert points == [
        BurnupPoint(today - timedelta(days=7), 2, 0),
        BurnupPoint(today, 1, 1),
    ]


@pytest.mark.django_db
def test_burnup_series_reads_status_changes_from_the_log(workspace, manager, project):
    today = workspace.today()
    milestone_services.milestone_create(
        project=project, actor=manager, title="Brief", due_date=today
    )
    dropped = milestone_services.milestone_create(
        project=project, actor=manager, title="Teaser", due_date=today
    )
    milestone_services.milestone_set_status(milestone=dropped, status="cancelled", actor=manager)
    assert burnup_series(project=project, today=today) == [BurnupPoint(today, 1, 0)]

    dropped.refresh_from_db()
    milestone_services.milestone_set_status(milestone=dropped, status="planned", actor=manager)
    assert burnup_series(project=project, today=today) == [BurnupPoint(today, 2, 0)]


@pytest.mark.django_db
def test_burnup_series_counts_a_day_by_where_each_milestone_ended_it(workspace, manager, project):
    """Several events about a milestone in one day: only where it ended the day counts, and
    days whose events changed nothing still get their point."""
    today = workspace.today()
    toggled, done, deleted = (
        milestone_services.milestone_create(
            project=project, actor=manager, title=title, due_date=today
        )
        for title in ("Toggled", "Done", "Deleted")
    )
    ActivityEvent.objects.update(created_at=timezone.now() - timedelta(days=2))
    for status in ("in_progress", "cancelled", "blocked", "cancelled", "planned"):
        toggled = milestone_services.milestone_set_status(
            milestone=toggled, status=status, actor=manager
        )
    done = milestone_services.milestone_complete(milestone=done, actor=manager)
    done = milestone_services.milestone_set_status(milestone=done, status="planned", actor=manager)
    done = milestone_services.milestone_complete(milestone=done, actor=manager)
    yesterday = ActivityEvent.objects.exclude(verb="milestone.created")
    yesterday.update(created_at=timezone.now() - timedelta(days=1))
    milestone_services.milestone_set_status(milestone=toggled, status="cancelled", actor=manager)
    milestone_services.milestone_set_status(milestone=deleted, status="in_progress", actor=manager)
    milestone_services.milestone_delete(milestone=deleted, actor=manager)

    assert burnup_series(project=project, today=today) == [
        BurnupPoint(today - timedelta(days=2), 3, 0),
        BurnupPoint(today - timedelta(days=1), 3, 1),
        BurnupPoint(today, 1, 1),
    ]


def test_replay_keeps_a_completion_logged_before_the_creation():
    """A history written out of order (completed on day 1, created on day 2) does not read
    the later creation as a reopening."""
    events = [
        MilestoneEvent(D1, "milestone.completed", 1),
        MilestoneEvent(D2, "milestone.created", 1),
        MilestoneEvent(D2, "milestone.created", 2),
    ]
    assert replay(events) == [BurnupPoint(D1, 1, 1), BurnupPoint(D2, 2, 1)]


@pytest.mark.django_db
def test_burnup_series_counts_a_completion_timed_before_the_creation(workspace, manager, project):
    """One milestone completed (by its timestamp) the day before it was created, another
    completed earlier the same day it was created: both count as completed."""
    today = workspace.today()
    earlier, same_day = (
        milestone_services.milestone_create(
            project=project, actor=manager, title=title, due_date=today
        )
        for title in ("Brief", "Media plan")
    )
    for milestone in (earlier, same_day):
        milestone_services.milestone_complete(milestone=milestone, actor=manager)
    now = timezone.now()
    completions = ActivityEvent.objects.filter(verb="milestone.completed")
    completions.filter(target_id=earlier.pk).update(created_at=now - timedelta(days=1))
    completions.filter(target_id=same_day.pk).update(created_at=now - timedelta(seconds=5))

    assert burnup_series(project=project, today=today) == [
        BurnupPoint(today - timedelta(days=1), 1, 1),
        BurnupPoint(today, 2, 2),
    ]
