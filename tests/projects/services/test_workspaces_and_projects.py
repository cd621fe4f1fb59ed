"""Services for workspaces, memberships, clients, projects, phases, status updates and
comments: each rule, each refusal with its message, and the audit event of each write."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from milestones_site.services.errors import StaleVersion
from projects.models import (
    ActivityEvent,
    Client,
    Comment,
    Membership,
    Phase,
    Project,
    Role,
    StatusUpdate,
    Workspace,
)
from projects.services import comments as comment_services
from projects.services import milestones as milestone_services
from projects.services import projects as project_services
from projects.services import workspaces as workspace_services
from tests.audit import assert_recorded, table_counts
from tests.factories import (
    ClientFactory,
    MembershipFactory,
    MilestoneFactory,
    PhaseFactory,
    ProjectFactory,
    UserFactory,
    WorkspaceFactory,
)

pytestmark = pytest.mark.django_db


def messages(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


# Workspaces -------------------------------------------------------------------------------


def test_workspace_create_makes_the_creator_owner_and_records_it():
    creator = UserFactory()
    workspace = workspace_services.workspace_create(name="Northwind Agency", actor=creator)
    assert workspace.slug == "northwind-agency"
    assert Membership.objects.get(workspace=workspace, user=creator).role == Role.OWNER
    assert_recorded("workspace.created", actor=creator, target=workspace)


def test_workspace_create_refuses_an_unknown_timezone_and_writes_nothing():
    before = table_counts(Workspace, Membership, ActivityEvent)
    with pytest.raises(ValidationError) as error:
        workspace_services.workspace_create(
            name="Northwind", actor=UserFactory(), timezone="Mars/Base"
        )
    assert "timezone" in messages(error.value)
    assert table_counts(Workspace, Membership, ActivityEvent) == before


def test_workspace_create_refuses_a_slug_in_use():
    WorkspaceFactory(slug="northwind")
    with pytest.raises(ValidationError) as error:
        workspace_services.workspace_create(name="Northwind", actor=UserFactory())
    assert list(messages(error.value)) == ["slug"]
    assert Workspace.objects.count() == 1


def test_workspace_update_records_changed_fields(workspace, owner):
    workspace_services.workspace_update(
        workspace=workspace, actor=owner, data={"warning_window_days": 5, "name": workspace.name}
    )
    workspace.refresh_from_db()
    assert workspace.warning_window_days == 5
    assert_recorded(
        "workspace.updated", actor=owner, target=workspace, changes={"warning_window_days": [3, 5]}
    )


def test_workspace_update_refuses_invalid_reminder_days(workspace, owner):
    with pytest.raises(ValidationError) as error:
        workspace_services.workspace_update(
            workspace=workspace, actor=owner, data={"reminder_lead_days": [7, -1]}
        )
    assert messages(error.value) == {
        "reminder_lead_days": ["Enter a list of whole days between 0 and 365, e.g. [7, 1]."]
    }
    workspace.refresh_from_db()
    assert workspace.reminder_lead_days == [7, 1]


def test_workspace_update_refuses_fields_it_does_not_own(workspace, owner):
    with pytest.raises(ValidationError) as error:
        workspace_services.workspace_update(
            workspace=workspace, actor=owner, data={"slug": "elsewhere"}
        )
    assert messages(error.value) == {"slug": ["This field cannot be changed here."]}


def test_workspace_update_without_a_change_records_nothing(workspace, owner):
    workspace_services.workspace_update(
        workspace=workspace, actor=owner, data={"name": workspace.name}
    )
    assert not ActivityEvent.objects.filter(verb="workspace.updated").exists()


def test_workspace_update_needs_an_owner(workspace, manager):
    with pytest.raises(PermissionDenied):
        workspace_services.workspace_update(
            workspace=workspace, actor=manager, data={"name": "Renamed"}
        )


# Memberships ------------------------------------------------------------------------------


def test_membership_add_records_the_new_member(workspace, owner):
    newcomer = UserFactory()
    membership = workspace_services.membership_add(
        workspace=workspace, user=newcomer, role=Role.MEMBER, actor=owner
    )
    assert membership.role == Role.MEMBER
    event = assert_recorded("membership.added", actor=owner, target=workspace)
    assert event.data == {"user": newcomer.pk, "role": "member"}


def test_membership_add_refuses_a_duplicate(workspace, owner, member):
    with pytest.raises(ValidationError) as error:
        workspace_services.membership_add(
            workspace=workspace, user=member, role=Role.VIEWER, actor=owner
        )
    assert messages(error.value) == {"user": [f"{member} is already a member of {workspace}."]}
    assert Membership.objects.get(workspace=workspace, user=member).role == Role.MEMBER


def test_membership_add_refuses_an_unknown_role(workspace, owner):
    with pytest.raises(ValidationError) as error:
        workspace_services.membership_add(
            workspace=workspace, user=UserFactory(), role="admin", actor=owner
        )
    assert messages(error.value) == {"role": ["Choose one of: owner, manager, member, viewer."]}


def test_membership_add_needs_an_owner(workspace, manager):
    with pytest.raises(PermissionDenied):
        workspace_services.membership_add(
            workspace=workspace, user=UserFactory(), role=Role.MEMBER, actor=manager
        )


def test_a_new_member_gains_rights_at_once(workspace, owner, project):
    """The role cache on the user object must not hide a membership just added."""
    newcomer = UserFactory()
    with pytest.raises(PermissionDenied):
        milestone_services.milestone_create(
            project=project, actor=newcomer, title="Teaser", due_date=date(2026, 11, 2)
        )
    workspace_services.membership_add(
        workspace=workspace, user=newcomer, role=Role.MEMBER, actor=owner
    )
    milestone_services.milestone_create(
        project=project, actor=newcomer, title="Teaser", due_date=date(2026, 11, 2)
    )


def test_membership_update_records_before_and_after(workspace, owner, member):
    membership = Membership.objects.get(workspace=workspace, user=member)
    workspace_services.membership_update(
        membership=membership, actor=owner, data={"role": Role.MANAGER}
    )
    membership.refresh_from_db()
    assert membership.role == Role.MANAGER
    event = assert_recorded(
        "membership.role_changed",
        actor=owner,
        target=workspace,
        changes={"role": ["member", "manager"]},
    )
    assert event.data == {"user": member.pk}


def test_membership_update_to_the_same_role_records_nothing(workspace, owner, member):
    membership = Membership.objects.get(workspace=workspace, user=member)
    workspace_services.membership_update(
        membership=membership, actor=owner, data={"role": Role.MEMBER}
    )
    assert not ActivityEvent.objects.filter(verb="membership.role_changed").exists()


def test_the_last_owner_cannot_be_demoted(workspace, owner):
    membership = Membership.objects.get(workspace=workspace, user=owner)
    with pytest.raises(ValidationError) as error:
        workspace_services.membership_update(
            membership=membership, actor=owner, data={"role": Role.MANAGER}
        )
    assert messages(error.value) == {
        "role": ["A workspace needs at least one owner; make someone else owner first."]
    }
    membership.refresh_from_db()
    assert membership.role == Role.OWNER


def test_one_of_two_owners_can_be_demoted(workspace, owner):
    co_owner = MembershipFactory(workspace=workspace, role=Role.OWNER)
    workspace_services.membership_update(
        membership=co_owner, actor=owner, data={"role": Role.MANAGER}
    )
    co_owner.refresh_from_db()
    assert co_owner.role == Role.MANAGER


def test_the_last_owner_cannot_be_removed(workspace, owner):
    membership = Membership.objects.get(workspace=workspace, user=owner)
    with pytest.raises(ValidationError) as error:
        workspace_services.membership_remove(membership=membership, actor=owner)
    assert "role" in messages(error.value)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_owner_can_step_down_once_another_owner_exists(workspace, owner):
    successor = MembershipFactory(workspace=workspace, role=Role.OWNER).user
    membership = Membership.objects.get(workspace=workspace, user=owner)
    workspace_services.membership_remove(membership=membership, actor=successor)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    event = assert_recorded("membership.removed", actor=successor, target=workspace)
    assert event.data == {"user": owner.pk}


def test_a_removed_member_loses_rights(workspace, owner, member, project):
    milestone_services.milestone_create(
        project=project, actor=member, title="Brief", due_date=date.today()
    )
    membership = Membership.objects.get(workspace=workspace, user=member)
    workspace_services.membership_remove(membership=membership, actor=owner)
    # Their next request loads the user afresh.
    returning = type(member).objects.get(pk=member.pk)
    with pytest.raises(PermissionDenied):
        milestone_services.milestone_create(
            project=project, actor=returning, title="Brief 2", due_date=date.today()
        )


# Clients ----------------------------------------------------------------------------------


def test_client_create_records_it(workspace, manager):
    client = workspace_services.client_create(
        workspace=workspace, actor=manager, name="Lumen Coffee", contact_email="cmo@lumen.test"
    )
    assert_recorded("client.created", actor=manager, target=client)


@pytest.mark.parametrize("clash", ["Lumen Coffee", "lumen coffee", "LUMEN COFFEE"])
def test_client_names_are_unique_per_workspace_ignoring_case(workspace, manager, clash):
    ClientFactory(workspace=workspace, name="Lumen Coffee")
    with pytest.raises(ValidationError) as error:
        workspace_services.client_create(workspace=workspace, actor=manager, name=clash)
    assert messages(error.value) == {"name": [f"A client named “{clash}” already exists."]}
    assert Client.objects.filter(workspace=workspace).count() == 1


def test_the_same_client_name_is_fine_in_another_workspace(workspace, manager):
    ClientFactory(workspace=WorkspaceFactory(), name="Lumen Coffee")
    client = workspace_services.client_create(
        workspace=workspace, actor=manager, name="Lumen Coffee"
    )
    assert (client.workspace, client.name) == (workspace, "Lumen Coffee")


def test_client_update_refuses_a_name_taken_by_another_client(workspace, manager):
    ClientFactory(workspace=workspace, name="Lumen Coffee")
    client = ClientFactory(workspace=workspace, name="Harbor Bikes")
    with pytest.raises(ValidationError):
        workspace_services.client_update(
            client=client, actor=manager, data={"name": "LUMEN coffee"}
        )
    client.refresh_from_db()
    assert client.name == "Harbor Bikes"


def test_client_update_may_keep_its_own_name_in_another_case(workspace, manager):
    client = ClientFactory(workspace=workspace, name="Harbor Bikes")
    workspace_services.client_update(client=client, actor=manager, data={"name": "HARBOR Bikes"})
    assert_recorded(
        "client.updated",
        actor=manager,
        target=client,
        changes={"name": ["Harbor Bikes", "HARBOR Bikes"]},
    )


def test_client_create_needs_a_manager(workspace, member):
    with pytest.raises(PermissionDenied):
        workspace_services.client_create(workspace=workspace, actor=member, name="Lumen Coffee")


# Projects ---------------------------------------------------------------------------------


def test_project_create_is_owned_by_its_creator_and_recorded(workspace, manager):
    project = project_services.project_create(
        workspace=workspace,
        actor=manager,
        name="Holiday Gift Guide",
        kind=Project.Kind.SEASONAL,
        start_date=date(2026, 10, 1),
        target_date=date(2026, 12, 24),
    )
    assert project.owner == manager
    assert project.version == 1
    assert_recorded("project.created", actor=manager, target=project)


def test_project_create_refuses_a_client_of_another_workspace(workspace, manager):
    foreign_client = ClientFactory(workspace=WorkspaceFactory())
    with pytest.raises(ValidationError) as error:
        project_services.project_create(
            workspace=workspace,
            actor=manager,
            name="Spring Launch",
            start_date=date(2026, 3, 1),
            client=foreign_client,
        )
    assert messages(error.value) == {"client": ["Choose a client of this workspace."]}
    assert not Project.objects.exists()


def test_project_create_refuses_an_owner_who_is_not_a_member(workspace, manager, outsider):
    with pytest.raises(ValidationError) as error:
        project_services.project_create(
            workspace=workspace,
            actor=manager,
            name="Spring Launch",
            start_date=date(2026, 3, 1),
            owner=outsider,
        )
    assert messages(error.value) == {"owner": [f"{outsider} is not a member of {workspace}."]}
    assert table_counts(Project, ActivityEvent) == {"Project": 0, "ActivityEvent": 0}


def test_project_create_refuses_a_target_before_the_start(workspace, manager):
    with pytest.raises(ValidationError) as error:
        project_services.project_create(
            workspace=workspace,
            actor=manager,
            name="Spring Launch",
            start_date=date(2026, 3, 1),
            target_date=date(2026, 2, 1),
        )
    assert messages(error.value) == {
        "target_date": ["The target date cannot be before the start date."]
    }


def test_project_create_refuses_an_unknown_kind_and_currency(workspace, manager):
    with pytest.raises(ValidationError) as error:
        project_services.project_create(
            workspace=workspace,
            actor=manager,
            name="Spring Launch",
            start_date=date(2026, 3, 1),
            kind="podcast",
            currency="euro",
        )
    assert set(messages(error.value)) == {"kind", "currency"}


def test_project_create_needs_a_manager(workspace, member):
    with pytest.raises(PermissionDenied):
        project_services.project_create(
            workspace=workspace, actor=member, name="Spring", start_date=date(2026, 3, 1)
        )


def test_project_update_bumps_the_version_and_records_changes(project, manager):
    updated = project_services.project_update(
        project=project, actor=manager, data={"status": "on_hold"}, expected_version=1
    )
    assert updated.version == 2
    assert_recorded(
        "project.updated", actor=manager, target=project, changes={"status": ["active", "on_hold"]}
    )
    again = project_services.project_update(
        project=updated, actor=manager, data={"name": "Renamed"}, expected_version=2
    )
    assert again.version == 3


def test_project_update_without_a_change_keeps_the_version(project, manager):
    updated = project_services.project_update(
        project=project, actor=manager, data={"name": project.name}
    )
    assert updated.version == 1
    assert not ActivityEvent.objects.filter(verb="project.updated").exists()


def test_project_update_compares_values_as_the_field_reads_them(project, manager):
    """A date or amount given as text is no change when it means the stored value."""
    updated = project_services.project_update(
        project=project,
        actor=manager,
        data={"start_date": project.start_date.isoformat(), "budget_planned": "0.00"},
    )
    assert updated.version == 1
    assert not ActivityEvent.objects.exists()


def test_project_update_refuses_a_value_its_field_cannot_read(project, manager):
    with pytest.raises(ValidationError) as error:
        project_services.project_update(project=project, actor=manager, data={"start_date": "soon"})
    assert list(messages(error.value)) == ["start_date"]
    project.refresh_from_db()
    assert project.start_date == date(2026, 10, 1)


def test_project_update_with_a_stale_version_carries_the_current_row(project, manager):
    project_services.project_update(project=project, actor=manager, data={"name": "Fresh name"})
    with pytest.raises(StaleVersion) as error:
        project_services.project_update(
            project=project, actor=manager, data={"name": "Lost edit"}, expected_version=1
        )
    assert error.value.current.version == 2
    assert error.value.current.name == "Fresh name"
    project.refresh_from_db()
    assert project.name == "Fresh name"


def test_project_update_refuses_a_client_of_another_workspace(project, manager):
    with pytest.raises(ValidationError) as error:
        project_services.project_update(
            project=project,
            actor=manager,
            data={"client": ClientFactory(workspace=WorkspaceFactory())},
        )
    assert messages(error.value) == {"client": ["Choose a client of this workspace."]}
    project.refresh_from_db()
    assert project.client is None
    assert project.version == 1


def test_project_delete_records_it_on_the_workspace(project, manager, workspace):
    name = project.name
    project_services.project_delete(project=project, actor=manager)
    assert not Project.objects.exists()
    event = assert_recorded("project.deleted", actor=manager, target=workspace)
    assert event.data == {"project": name}


# Phases -----------------------------------------------------------------------------------


def test_phase_create_appends_in_order(project, manager):
    first = project_services.phase_create(project=project, actor=manager, name="Strategy")
    second = project_services.phase_create(project=project, actor=manager, name="Production")
    assert (first.order, second.order) == (0, 1)
    assert ActivityEvent.objects.filter(verb="phase.created").count() == 2


def phase_names(project) -> list[tuple[int, str]]:
    return list(project.phases.order_by("order").values_list("order", "name"))


def test_phase_create_after_a_deleted_phase_takes_the_next_free_order(project, manager):
    for name in ("Strategy", "Production", "Launch"):
        project_services.phase_create(project=project, actor=manager, name=name)
    project_services.phase_delete(phase=project.phases.get(name="Production"), actor=manager)
    project_services.phase_create(project=project, actor=manager, name="Follow-up")
    assert phase_names(project) == [(0, "Strategy"), (2, "Launch"), (3, "Follow-up")]


def test_phase_create_at_a_taken_order_moves_the_rest_down(project, manager):
    for name in ("Strategy", "Production", "Launch"):
        project_services.phase_create(project=project, actor=manager, name=name)
    project_services.phase_create(project=project, actor=manager, name="Research", order=1)
    assert phase_names(project) == [
        (0, "Strategy"),
        (1, "Research"),
        (2, "Production"),
        (3, "Launch"),
    ]


@pytest.mark.parametrize(
    ("moved", "to", "expected"),
    [
        ("Launch", 0, ["Launch", "Strategy", "Production", "Wrap-up"]),
        ("Strategy", 2, ["Production", "Launch", "Strategy", "Wrap-up"]),
        ("Production", 3, ["Strategy", "Launch", "Wrap-up", "Production"]),
        ("Production", 7, ["Strategy", "Launch", "Wrap-up", "Production"]),
    ],
)
def test_phase_update_moves_a_phase_and_shifts_those_between(project, manager, moved, to, expected):
    for name in ("Strategy", "Production", "Launch", "Wrap-up"):
        project_services.phase_create(project=project, actor=manager, name=name)
    phase = project.phases.get(name=moved)
    project_services.phase_update(phase=phase, actor=manager, data={"order": to})
    assert [name for _order, name in phase_names(project)] == expected
    assert project.phases.get(name=moved).order == to
    assert len({order for order, _name in phase_names(project)}) == 4


def test_a_phase_placed_where_the_others_have_no_room_to_move_is_refused(project, manager):
    project_services.phase_create(project=project, actor=manager, name="Wrap-up", order=32767)
    with pytest.raises(ValidationError) as refused:
        project_services.phase_create(project=project, actor=manager, name="Last", order=32767)
    assert list(refused.value.message_dict) == ["order"]
    with pytest.raises(ValidationError) as beyond:
        project_services.phase_create(project=project, actor=manager, name="After")
    assert list(beyond.value.message_dict) == ["order"]
    assert phase_names(project) == [(32767, "Wrap-up")]


def test_two_phases_of_a_project_cannot_share_an_order(project, manager):
    project_services.phase_create(project=project, actor=manager, name="Strategy")
    with pytest.raises(IntegrityError), transaction.atomic():
        Phase.objects.create(project=project, name="Twin", order=0)
    PhaseFactory(project=ProjectFactory(workspace=project.workspace), order=0)  # another project


def test_phase_create_refuses_an_end_before_the_start(project, manager):
    with pytest.raises(ValidationError) as error:
        project_services.phase_create(
            project=project,
            actor=manager,
            name="Launch",
            start_date=date(2026, 11, 10),
            end_date=date(2026, 11, 1),
        )
    assert messages(error.value) == {"end_date": ["A phase cannot end before it starts."]}
    assert not Phase.objects.exists()


def test_phase_update_records_changes(project, manager):
    phase = PhaseFactory(project=project, name="Strategy")
    project_services.phase_update(phase=phase, actor=manager, data={"name": "Research"})
    assert_recorded(
        "phase.updated", actor=manager, target=phase, changes={"name": ["Strategy", "Research"]}
    )


def test_phase_delete_keeps_its_milestones(project, manager):
    phase = PhaseFactory(project=project)
    milestone = MilestoneFactory(project=project, phase=phase)
    project_services.phase_delete(phase=phase, actor=manager)
    milestone.refresh_from_db()
    assert milestone.phase is None
    assert_recorded("phase.deleted", actor=manager, target=project)


def test_phase_edits_need_a_manager(project, member):
    with pytest.raises(PermissionDenied):
        project_services.phase_create(project=project, actor=member, name="Strategy")


# Status updates and comments --------------------------------------------------------------


def test_status_update_post_records_its_health(project, manager):
    update = project_services.status_update_post(
        project=project, actor=manager, health="at_risk", summary="  Print slot moved.  "
    )
    assert update.summary == "Print slot moved."
    assert update.author == manager
    event = assert_recorded("status_update.posted", actor=manager, target=project)
    assert event.data == {"health": "at_risk", "id": update.pk}


@pytest.mark.parametrize(
    ("health", "summary", "field"),
    [("great", "Fine.", "health"), ("on_track", "   ", "summary")],
)
def test_status_update_post_refuses_bad_input(project, manager, health, summary, field):
    with pytest.raises(ValidationError) as error:
        project_services.status_update_post(
            project=project, actor=manager, health=health, summary=summary
        )
    assert list(messages(error.value)) == [field]
    assert not StatusUpdate.objects.exists()


def test_status_update_post_needs_a_manager(project, member):
    with pytest.raises(PermissionDenied):
        project_services.status_update_post(
            project=project, actor=member, health="on_track", summary="Ok"
        )


def test_comment_post_on_a_milestone(project, member):
    milestone = MilestoneFactory(project=project)
    comment = comment_services.comment_post(target=milestone, actor=member, body=" Copy is in. ")
    assert comment.body == "Copy is in."
    assert comment.target == milestone
    event = assert_recorded("comment.posted", actor=member, target=milestone)
    assert event.data == {"comment": comment.pk}
    assert event.project == project


def test_comment_post_refuses_an_empty_body(project, member):
    with pytest.raises(ValidationError) as error:
        comment_services.comment_post(
            target=MilestoneFactory(project=project), actor=member, body="  "
        )
    assert list(messages(error.value)) == ["body"]
    assert not Comment.objects.exists()


@pytest.mark.parametrize("kind", ["project", "phase"])
def test_comments_belong_on_milestones_and_deliverables(project, member, kind):
    target = project if kind == "project" else PhaseFactory(project=project)
    with pytest.raises(ValidationError) as error:
        comment_services.comment_post(target=target, actor=member, body="Looks good")
    assert messages(error.value) == {"target": ["Comment on a milestone or a deliverable."]}
    assert not Comment.objects.exists()


def test_comment_post_needs_a_member(project, viewer):
    with pytest.raises(PermissionDenied):
        comment_services.comment_post(
            target=MilestoneFactory(project=project), actor=viewer, body="Hi"
        )
