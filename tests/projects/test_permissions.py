"""Who may read or change what: every action for every kind of actor, services refusing
those without the right, and `visible_to` hiding other workspaces' rows."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from deliverables.models import ChecklistItem, Deliverable
from deliverables.services import checklists as checklist_services
from deliverables.services import deliverables as deliverable_services
from projects.models import Client, Comment, Milestone, Phase, Project, Role
from projects.permissions import ACTION_MIN_ROLE, Action, can, can_read, ensure
from projects.services import comments as comment_services
from projects.services import milestones as milestone_services
from projects.services import projects as project_services
from projects.services import workspaces as workspace_services
from tests.factories import (
    ChecklistItemFactory,
    ClientFactory,
    DeliverableFactory,
    MembershipFactory,
    MilestoneFactory,
    PhaseFactory,
    ProjectFactory,
    UserFactory,
    WorkspaceFactory,
)

pytestmark = pytest.mark.django_db

# Lowest to highest: each role may do everything the roles before it may.
ROLE_ORDER = [Role.VIEWER, Role.MEMBER, Role.MANAGER, Role.OWNER]
ACTORS = ["owner", "manager", "member", "viewer", "outsider", "anonymous", "superuser", "system"]


@pytest.fixture
def actor(request, workspace):
    name = request.param
    if name in ("owner", "manager", "member", "viewer", "outsider"):
        return request.getfixturevalue(name)
    return {
        "anonymous": AnonymousUser(),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
        "system": None,
    }[name]


def expected_permission(actor_name: str, action: Action) -> bool:
    if actor_name in ("superuser", "system"):
        return True
    if actor_name in ("outsider", "anonymous"):
        return False
    return ROLE_ORDER.index(Role(actor_name)) >= ROLE_ORDER.index(ACTION_MIN_ROLE[action])


def test_every_action_has_a_minimum_role():
    assert set(ACTION_MIN_ROLE) == set(Action)


def test_the_rules_the_design_names():
    """Stakeholders only read; forcing completion and reviewing are for managers."""
    assert all(role != Role.VIEWER for role in ACTION_MIN_ROLE.values())
    assert ACTION_MIN_ROLE[Action.MILESTONE_FORCE_COMPLETE] == Role.MANAGER
    assert ACTION_MIN_ROLE[Action.MILESTONE_COMPLETE] == Role.MEMBER
    assert ACTION_MIN_ROLE[Action.DELIVERABLE_REVIEW] == Role.MANAGER
    assert ACTION_MIN_ROLE[Action.MEMBERSHIP_MANAGE] == Role.OWNER


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("actor", ACTORS, indirect=True)
def test_can_follows_the_minimum_role(request, workspace, actor, action):
    actor_name = request.node.callspec.params["actor"]
    assert can(actor, action, workspace) is expected_permission(actor_name, action)


@pytest.mark.parametrize(
    ("actor", "readable"),
    [
        ("owner", True),
        ("manager", True),
        ("member", True),
        ("viewer", True),
        ("outsider", False),
        ("anonymous", False),
        ("superuser", True),
        ("system", True),
    ],
    indirect=["actor"],
)
def test_can_read(workspace, actor, readable):
    assert can_read(actor, workspace) is readable


def test_an_inactive_member_may_change_nothing(workspace):
    user = MembershipFactory(workspace=workspace, role=Role.OWNER, user__is_active=False).user
    assert not any(can(user, action, workspace) for action in Action)


def test_a_role_elsewhere_gives_no_rights_here(workspace, outsider):
    assert not can(outsider, Action.COMMENT_POST, workspace)
    assert can(outsider, Action.MEMBERSHIP_MANAGE, outsider.memberships.get().workspace)


def test_ensure_names_the_workspace_and_action(workspace, viewer):
    with pytest.raises(PermissionDenied) as error:
        ensure(viewer, Action.MILESTONE_RESCHEDULE, workspace)
    assert str(error.value) == (
        f"Your role in {workspace.name} does not allow this (milestone.reschedule)."
    )


# Services refuse those without the right --------------------------------------------------


def refused_calls(project):
    milestone = MilestoneFactory(project=project)
    deliverable = DeliverableFactory(milestone=milestone, status="in_review")
    return {
        "project_update": lambda actor: project_services.project_update(
            project=project, actor=actor, data={"name": "Taken over"}
        ),
        "milestone_create": lambda actor: milestone_services.milestone_create(
            project=project, actor=actor, title="Sneaky", due_date=date(2026, 12, 1)
        ),
        "milestone_reschedule": lambda actor: milestone_services.milestone_reschedule(
            milestone=milestone, new_date=date(2027, 1, 1), reason="Because", actor=actor
        ),
        "milestone_complete": lambda actor: milestone_services.milestone_complete(
            milestone=milestone, actor=actor
        ),
        "deliverable_approve": lambda actor: deliverable_services.deliverable_approve(
            deliverable=deliverable, actor=actor
        ),
        "checklist_item_add": lambda actor: checklist_services.checklist_item_add(
            parent=deliverable, actor=actor, text="Sneaky"
        ),
        "comment_post": lambda actor: comment_services.comment_post(
            target=milestone, actor=actor, body="Hello"
        ),
        "status_update_post": lambda actor: project_services.status_update_post(
            project=project, actor=actor, health="off_track", summary="Sneaky"
        ),
    }


@pytest.mark.parametrize("who", ["viewer", "outsider"])
@pytest.mark.parametrize(
    "call",
    [
        "project_update",
        "milestone_create",
        "milestone_reschedule",
        "milestone_complete",
        "deliverable_approve",
        "checklist_item_add",
        "comment_post",
        "status_update_post",
    ],
)
def test_services_refuse_viewers_and_outsiders(request, project, who, call):
    actor = request.getfixturevalue(who)
    refused = refused_calls(project)[call]
    with pytest.raises(PermissionDenied):
        refused(actor)
    project.refresh_from_db()
    assert project.version == 1
    assert Milestone.objects.count() == 1
    assert not project.activity.exists()


# visible_to -------------------------------------------------------------------------------


def rows_of_one_workspace(workspace) -> dict[type, list]:
    """One row of every workspace-scoped model, all inside `workspace`."""
    project = ProjectFactory(workspace=workspace)
    milestone = MilestoneFactory(project=project)
    deliverable = DeliverableFactory(milestone=milestone)
    return {
        Project: [project],
        Client: [ClientFactory(workspace=workspace)],
        Phase: [PhaseFactory(project=project)],
        Milestone: [milestone],
        Deliverable: [deliverable],
        ChecklistItem: [
            ChecklistItemFactory(deliverable=deliverable),
            ChecklistItemFactory(deliverable=None, milestone=milestone),
        ],
        Comment: [
            comment_services.comment_post(target=milestone, actor=None, body="On the milestone"),
            comment_services.comment_post(
                target=deliverable, actor=None, body="On the deliverable"
            ),
        ],
    }


@pytest.fixture
def two_workspaces(workspace, viewer):
    return rows_of_one_workspace(workspace), rows_of_one_workspace(WorkspaceFactory())


@pytest.mark.parametrize(
    "model", [Project, Client, Phase, Milestone, Deliverable, ChecklistItem, Comment]
)
def test_visible_to_hides_other_workspaces(two_workspaces, viewer, model):
    mine, theirs = two_workspaces
    visible = set(model.objects.visible_to(viewer))
    assert visible == set(mine[model])
    assert not visible & set(theirs[model])


@pytest.mark.parametrize("model", [Project, Milestone, Deliverable, ChecklistItem, Comment])
def test_visible_to_a_superuser_is_everything_and_to_anonymous_nothing(two_workspaces, model):
    mine, theirs = two_workspaces
    superuser = UserFactory(is_superuser=True)
    assert set(model.objects.visible_to(superuser)) == set(mine[model]) | set(theirs[model])
    assert not model.objects.visible_to(AnonymousUser()).exists()
    assert not model.objects.visible_to(None).exists()


def test_visible_to_follows_membership_changes(two_workspaces, workspace, owner, viewer):
    mine, _ = two_workspaces
    assert Project.objects.visible_to(viewer).get() == mine[Project][0]
    workspace_services.membership_remove(membership=viewer.memberships.get(), actor=owner)
    assert not Project.objects.visible_to(viewer).exists()
