"""The portfolio and project selectors cost the same number of queries at any size."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.selectors.portfolio import portfolio_overview
from projects.selectors.project_page import project_detail
from tests.factories import (
    DeliverableFactory,
    MilestoneFactory,
    PhaseFactory,
    ProjectFactory,
    StatusUpdateFactory,
    depend,
    one_refresh,
)

TODAY = date(2026, 11, 25)


@one_refresh()
def build_portfolio(workspace, owner, *, projects: int, milestones_each: int) -> None:
    for _ in range(projects):
        project = ProjectFactory(workspace=workspace, owner=owner)
        phase = PhaseFactory(project=project)
        StatusUpdateFactory(project=project, author=owner)
        for n in range(milestones_each):
            milestone = MilestoneFactory(
                project=project, phase=phase, owner=owner, due_date=TODAY + timedelta(days=n - 2)
            )
            DeliverableFactory(milestone=milestone, owner=owner)


def portfolio_queries(user, workspace) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        overview = portfolio_overview(user=user, workspace=workspace, today=TODAY)
        rows = [
            (p.name, p.health, p.milestone_progress, p.next_milestone.title, p.overdue_count)
            for p in overview.page.object_list
        ]
    return len(captured.captured_queries), len(rows)


def project_queries(user, project) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        detail = project_detail(user=user, project_id=project.pk, today=TODAY)
        shown = [
            (
                m.title,
                m.health,
                m.slip_days,
                m.owner_name,
                [(d.title, d.status, d.owner_name) for d in m.deliverable_list],
                m.depends_on_ids,
            )
            for group in detail.phases
            for m in group.milestones
        ]
    return len(captured.captured_queries), len(shown)


@pytest.mark.django_db
def test_portfolio_overview_query_count_does_not_grow_with_projects(workspace, manager):
    build_portfolio(workspace, manager, projects=2, milestones_each=2)
    small, shown_small = portfolio_queries(manager, workspace)
    build_portfolio(workspace, manager, projects=38, milestones_each=2)
    large, shown_large = portfolio_queries(manager, workspace)
    assert (shown_small, shown_large) == (2, 25)  # a page of the 40
    assert small == large


@one_refresh()
def add_milestones(project, owner, count: int) -> None:
    phase = PhaseFactory(project=project)
    milestones = [
        MilestoneFactory(
            project=project, phase=phase, owner=owner, due_date=TODAY + timedelta(days=n % 30)
        )
        for n in range(count)
    ]
    for milestone in milestones[::5]:
        DeliverableFactory(milestone=milestone, owner=owner)
    depend(milestones[-1], milestones[0])


@pytest.mark.django_db
def test_project_detail_query_count_does_not_grow_with_milestones(workspace, manager):
    small_project = ProjectFactory(workspace=workspace, owner=manager)
    large_project = ProjectFactory(workspace=workspace, owner=manager)
    add_milestones(small_project, manager, 10)
    add_milestones(large_project, manager, 400)
    small, shown_small = project_queries(manager, small_project)
    large, shown_large = project_queries(manager, large_project)
    assert (shown_small, shown_large) == (10, 400)
    assert small == large
