"""The dashboard, project page, milestone page and my work cost the same number of queries
whatever the number of rows they show."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    ChecklistItemFactory,
    DeliverableFactory,
    MilestoneFactory,
    PhaseFactory,
    ProjectFactory,
    StatusUpdateFactory,
    depend,
    one_refresh,
)

pytestmark = pytest.mark.django_db


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@one_refresh()
def add_projects(workspace, owner, count: int) -> None:
    today = workspace.today()
    for _ in range(count):
        project = ProjectFactory(workspace=workspace, owner=owner)
        StatusUpdateFactory(project=project, author=owner)
        milestone = MilestoneFactory(project=project, owner=owner, due_date=today + timedelta(3))
        DeliverableFactory(milestone=milestone, owner=owner, status="in_review")


def test_dashboard(signed_in, workspace, manager):
    client = signed_in(manager)
    add_projects(workspace, manager, 2)
    small = queries_for(client, reverse("projects:dashboard"))
    add_projects(workspace, manager, 38)  # 40 projects: a full first page and more
    assert queries_for(client, reverse("projects:dashboard")) == small


@pytest.mark.parametrize(
    "url",
    [
        reverse("projects:portfolio_milestones") + "?when=due_soon",
        reverse("projects:portfolio_reviews"),
    ],
)
def test_the_lists_the_headline_cards_open(signed_in, workspace, manager, url):
    client = signed_in(manager)
    add_projects(workspace, manager, 2)
    small = queries_for(client, url)
    add_projects(workspace, manager, 58)  # 60 rows: a full first page and more
    assert queries_for(client, url) == small


@one_refresh()
def add_milestones(project, owner, count: int) -> None:
    today = project.workspace.today()
    phase = PhaseFactory(project=project)
    milestones = [
        MilestoneFactory(
            project=project,
            phase=phase if n % 2 else None,
            owner=owner,
            due_date=today + timedelta(days=n % 40),
            baseline_due_date=today + timedelta(days=n % 30),
        )
        for n in range(count)
    ]
    for milestone in milestones[::4]:
        DeliverableFactory(milestone=milestone, owner=owner)
    depend(milestones[-1], milestones[0])


def test_project_page(signed_in, workspace, manager):
    client = signed_in(manager)
    small, large = (ProjectFactory(workspace=workspace) for _ in range(2))
    add_milestones(small, manager, 10)
    add_milestones(large, manager, 400)
    assert queries_for(client, reverse("projects:project_detail", args=[small.pk])) == queries_for(
        client, reverse("projects:project_detail", args=[large.pk])
    )


def test_milestone_page(signed_in, workspace, manager, project):
    client = signed_in(manager)
    pages = []
    for count in (1, 15):
        milestone = MilestoneFactory(project=project, owner=manager)
        for _ in range(count):
            ChecklistItemFactory(deliverable=DeliverableFactory(milestone=milestone, owner=manager))
        pages.append(reverse("projects:milestone_detail", args=[milestone.pk]))
    client.get(pages[0])  # warm the content-type cache the comments lookup uses
    assert queries_for(client, pages[0]) == queries_for(client, pages[1])


def add_work(workspace, owner, count: int) -> None:
    """`count` projects, each with an overdue and a later milestone, each of those with a
    deliverable due with it: every page of my work then shows milestones and deliverables."""
    today = workspace.today()
    for _ in range(count):
        project = ProjectFactory(workspace=workspace, owner=owner)
        for days in (-2, 30):
            due = today + timedelta(days=days)
            milestone = MilestoneFactory(project=project, owner=owner, due_date=due)
            DeliverableFactory(milestone=milestone, owner=owner, due_date=due)


def test_my_work(signed_in, workspace, member):
    client = signed_in(member)
    add_work(workspace, member, 2)
    small = queries_for(client, reverse("projects:my_work"))
    add_work(workspace, member, 38)  # 160 rows: 4 pages
    for page in (1, 2, 3):
        assert queries_for(client, reverse("projects:my_work") + f"?page={page}") == small
    # The last page holds only deliverables: the milestones are not even asked for.
    assert queries_for(client, reverse("projects:my_work") + "?page=4") == small - 1
