"""The database itself refuses rows that break the model's invariants, whatever code
writes them (services are bypassed on purpose here)."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from deliverables.models import ChecklistItem, Deliverable
from projects.models import Milestone, MilestoneDateChange, Phase, Project, Workspace
from tests.factories import (
    ChecklistItemFactory,
    ClientFactory,
    DeliverableFactory,
    MembershipFactory,
    MilestoneFactory,
    PhaseFactory,
    ProjectFactory,
    StatusUpdateFactory,
)

pytestmark = pytest.mark.django_db

START = date(2026, 10, 1)


def now():
    return timezone.now()


def duplicate_membership():
    membership = MembershipFactory()
    MembershipFactory(user=membership.user, workspace=membership.workspace, role="viewer")


def duplicate_client_name():
    client = ClientFactory(name="Lumen Coffee")
    ClientFactory(workspace=client.workspace, name="Lumen Coffee")


BROKEN_ROWS = {
    "milestone completed_at without completed status": lambda: MilestoneFactory(
        status="in_progress", completed_at=now()
    ),
    "milestone completed without completed_at": lambda: MilestoneFactory(status="completed"),
    "milestone with an unknown status": lambda: MilestoneFactory(status="done"),
    "milestone with an unknown category": lambda: MilestoneFactory(category="party"),
    "project target before start": lambda: ProjectFactory(
        start_date=START, target_date=date(2026, 9, 30)
    ),
    "project with an unknown kind": lambda: ProjectFactory(kind="podcast"),
    "project with an unknown status": lambda: ProjectFactory(status="paused"),
    "project with a negative budget": lambda: ProjectFactory(budget_spent=-1),
    "phase ending before it starts": lambda: PhaseFactory(
        start_date=START, end_date=date(2026, 9, 30)
    ),
    "membership with an unknown role": lambda: MembershipFactory(role="admin"),
    "duplicate membership": duplicate_membership,
    "duplicate client name": duplicate_client_name,
    "status update with an unknown health": lambda: StatusUpdateFactory(health="great"),
    "deliverable with an unknown status": lambda: DeliverableFactory(status="draft"),
    "approved deliverable without approved_at": lambda: DeliverableFactory(status="approved"),
    "delivered deliverable without approved_at": lambda: DeliverableFactory(status="delivered"),
    "checklist item on two parents": lambda: ChecklistItemFactory(milestone=MilestoneFactory()),
    "checklist item on no parent": lambda: ChecklistItemFactory(deliverable=None),
    "checklist item done without done_at": lambda: ChecklistItemFactory(done=True),
    "checklist item done_at without done": lambda: ChecklistItemFactory(done_at=now()),
    "date change that moves nothing": lambda: MilestoneDateChange.objects.create(
        milestone=MilestoneFactory(), old_date=START, new_date=START, reason="None"
    ),
    "date change without a reason": lambda: MilestoneDateChange.objects.create(
        milestone=MilestoneFactory(), old_date=START, new_date=date(2026, 10, 2), reason=""
    ),
    "workspace repeating overdue reminders every 0 days": lambda: Workspace.objects.create(
        name="Zero", slug="zero", overdue_repeat_days=0
    ),
}


@pytest.mark.parametrize("build", BROKEN_ROWS.values(), ids=BROKEN_ROWS.keys())
def test_the_database_refuses(build):
    with pytest.raises(IntegrityError), transaction.atomic():
        build()


def test_comment_without_a_body_is_refused():
    milestone = MilestoneFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        milestone.project.comments.create(target=milestone, body="")


@pytest.mark.parametrize(
    ("model", "update"),
    [
        (Milestone, {"completed_at": None, "status": "completed"}),
        (Project, {"target_date": date(2020, 1, 1)}),
        (Phase, {"end_date": date(2020, 1, 1), "start_date": START}),
        (Deliverable, {"status": "approved"}),
        (ChecklistItem, {"done": True}),
    ],
)
def test_updates_that_break_a_rule_are_refused_too(model, update):
    rows = {
        Milestone: MilestoneFactory,
        Project: ProjectFactory,
        Phase: PhaseFactory,
        Deliverable: DeliverableFactory,
        ChecklistItem: ChecklistItemFactory,
    }
    row = rows[model]()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**update)


def test_valid_rows_are_accepted():
    """The constraints above do not refuse the rows they are meant to allow."""
    milestone = MilestoneFactory(status="completed", completed_at=now())
    DeliverableFactory(milestone=milestone, status="delivered", approved_at=now())
    ChecklistItemFactory(done=True, done_at=now())
    ChecklistItemFactory(deliverable=None, milestone=milestone)
    ProjectFactory(start_date=START, target_date=START)
    PhaseFactory(start_date=START, end_date=None)
    ClientFactory(name="Lumen Coffee")
    ClientFactory(name="Lumen Coffee")
    assert Milestone.objects.get(pk=milestone.pk).status == "completed"
    assert Deliverable.objects.filter(milestone=milestone, status="delivered").count() == 1
    assert ChecklistItem.objects.filter(done=True).count() == 1
    assert Phase.objects.filter(start_date=START, end_date=None).exists()
    assert Project.objects.filter(start_date=START, target_date=START).exists()
