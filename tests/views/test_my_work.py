"""My work: what I own, grouped overdue / this week / later, with inline controls."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.factories import DeliverableFactory, MilestoneFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def section(page: str, title: str) -> str:
    start = page.index(f'class="group-title">{title} ')
    return page[start : page.index("</section>", start)]


def test_groups_my_open_work_by_due_date(signed_in, workspace, member, manager, outsider):
    today = workspace.today()
    project = ProjectFactory(workspace=workspace, name="Copper Kettle turns 10")
    MilestoneFactory(project=project, owner=member, title="Late one", due_date=today - timedelta(2))
    soon = MilestoneFactory(
        project=project, owner=member, title="Soon", due_date=today + timedelta(3)
    )
    MilestoneFactory(project=project, owner=member, title="Far", due_date=today + timedelta(30))
    MilestoneFactory(project=project, owner=manager, title="Someone else's")
    MilestoneFactory(
        project=project,
        owner=member,
        title="Done already",
        status="completed",
        completed_at="2026-01-01T00:00Z",
    )
    DeliverableFactory(milestone=soon, owner=member, title="Microsite copy", due_date=today)
    DeliverableFactory(
        milestone=soon,
        owner=member,
        title="Signed off",
        status="approved",
        approved_at="2026-01-01T00:00Z",
    )
    foreign = ProjectFactory(workspace=outsider.memberships.get().workspace)
    MilestoneFactory(project=foreign, owner=member, title="Foreign")

    page = signed_in(member).get(reverse("projects:my_work")).content.decode()
    assert "<title>My work · Milestones</title>" in page
    assert "Late one" in section(page, "Overdue")
    this_week = section(page, "This week")
    assert "Soon" in this_week and "Microsite copy" in this_week
    assert 'name="status"' in this_week  # inline milestone status
    assert "Submit for review: Microsite copy" in this_week  # inline deliverable move
    assert "Far" in section(page, "Later")
    for absent in ("Someone else&#x27;s", "Done already", "Signed off", "Foreign"):
        assert absent not in page


def test_empty_state(signed_in, member):
    page = signed_in(member).get(reverse("projects:my_work")).content.decode()
    assert "Nothing on your plate" in page
