"""`manage.py seed_bench`: exact counts, rows that keep the model's rules, readable by its
users only, and a re-run that replaces instead of piling up."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from deliverables.models import Deliverable
from projects.models import Membership, Milestone, MilestoneDateChange, Phase, Project, Workspace
from tests.factories import ProjectFactory, UserFactory, WorkspaceFactory

pytestmark = pytest.mark.django_db

SCALE = {"projects": 3, "users": 8}
MILESTONES = 3 * 50  # default milestones per project
DELIVERABLES = MILESTONES * 4  # default deliverables per milestone


def seed_bench(**options) -> str:
    out = StringIO()
    call_command("seed_bench", stdout=out, **{**SCALE, **options})
    return out.getvalue()


def bench_rows() -> dict[str, list]:
    milestones = Milestone.objects.filter(project__workspace__slug="bench").order_by("pk")
    return {
        "projects": list(Project.objects.filter(workspace__slug="bench").values("name", "status")),
        "milestones": list(milestones.values("title", "status", "due_date", "baseline_due_date")),
        "deliverables": list(
            Deliverable.objects.filter(milestone__in=milestones).order_by("pk").values("status")
        ),
    }


def test_builds_exactly_the_requested_counts():
    output = seed_bench()
    workspace = Workspace.objects.get(slug="bench")
    assert Project.objects.filter(workspace=workspace).count() == 3
    assert Phase.objects.filter(project__workspace=workspace).count() == 3 * 4
    assert Milestone.objects.filter(project__workspace=workspace).count() == MILESTONES
    assert Deliverable.objects.filter(milestone__project__workspace=workspace).count() == (
        DELIVERABLES
    )
    assert Membership.objects.filter(workspace=workspace).count() == 8
    assert "150 milestones" in output
    assert "Built in" in output


def test_rows_keep_the_rules_of_the_model_and_spread_their_states():
    seed_bench()
    milestones = Milestone.objects.filter(project__workspace__slug="bench")
    deliverables = Deliverable.objects.filter(milestone__in=milestones)
    completed = milestones.filter(status=Milestone.Status.COMPLETED)
    assert completed.exists()
    assert not completed.filter(completed_at=None).exists()
    assert (
        not milestones.exclude(status=Milestone.Status.COMPLETED)
        .exclude(completed_at=None)
        .exists()
    )
    done = deliverables.filter(status__in=Deliverable.DONE_STATUSES)
    assert done.exists()
    assert not done.filter(approved_at=None).exists()
    assert (
        not deliverables.filter(milestone__status="completed")
        .exclude(status__in=Deliverable.DONE_STATUSES)
        .exists()
    )
    assert set(deliverables.values_list("status", flat=True)) == set(Deliverable.Status.values)
    workspace = Workspace.objects.get(slug="bench")
    assert milestones.overdue(today=workspace.today()).exists()
    slipped = milestones.with_derived(today=workspace.today()).filter(slip_days__gt=0)
    assert slipped.count() == MilestoneDateChange.objects.filter(milestone__in=milestones).count()
    assert slipped.exists()
    edges = Milestone.depends_on.through.objects.filter(from_milestone__in=milestones)
    assert edges.exists()
    assert all(
        edge.from_milestone.project_id == edge.to_milestone.project_id
        and edge.to_milestone.due_date <= edge.from_milestone.due_date
        for edge in edges.select_related("from_milestone", "to_milestone")
    )


def test_its_users_see_the_bench_and_outsiders_do_not():
    seed_bench()
    ProjectFactory()  # another workspace's campaign
    member = Membership.objects.filter(workspace__slug="bench").first().user
    outsider = UserFactory()
    assert Project.objects.visible_to(member).count() == 3
    assert Milestone.objects.visible_to(member).count() == MILESTONES
    assert Deliverable.objects.visible_to(member).count() == DELIVERABLES
    assert not Project.objects.visible_to(outsider).exists()


def test_running_again_replaces_the_bench_with_the_same_data():
    seed_bench()
    first = bench_rows()
    seed_bench()
    assert bench_rows() == first
    assert Workspace.objects.filter(slug="bench").count() == 1
    assert Milestone.objects.count() == MILESTONES


def test_refuses_a_slug_that_another_workspace_owns():
    WorkspaceFactory(slug="agency", name="Real agency")
    with pytest.raises(CommandError, match="seed_bench did not create"):
        seed_bench(workspace_slug="agency")
    assert Workspace.objects.get(slug="agency").name == "Real agency"
    assert not Project.objects.exists()
