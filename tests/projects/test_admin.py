"""The admin of the projects app: every page renders with its columns, the milestone list
costs a constant number of queries, and every write goes through the services, whose
refusals come back as form errors or messages."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deliverables.services import deliverables as deliverable_services
from projects.models import (
    ActivityEvent,
    ApiToken,
    CalendarFeed,
    Client,
    Comment,
    Membership,
    Milestone,
    MilestoneDateChange,
    Phase,
    Project,
    Role,
    ShareLink,
    StatusUpdate,
    Workspace,
)
from projects.services import access, sharing
from projects.services import comments as comment_services
from projects.services import milestones as milestone_services
from projects.services import projects as project_services
from projects.services import workspaces as workspace_services
from tests.admin_forms import change_form_data
from tests.audit import assert_recorded
from tests.factories import MilestoneFactory, ProjectFactory, WorkspaceFactory

TODAY = timezone.localdate()


def admin_url(model, view="changelist", *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def workspace(db):
    return WorkspaceFactory(name="Brightside Agency", slug="brightside")


@pytest.fixture
def project(workspace, manager):
    return ProjectFactory(workspace=workspace, owner=manager, name="Northwind holiday campaign")


def write_plan(project, manager, client_name="Northwind Coffee") -> SimpleNamespace:
    """One row of every model, written the way the app writes them."""
    phase = project_services.phase_create(
        project=project, actor=manager, name="Creative production"
    )
    milestone = milestone_services.milestone_create(
        project=project,
        actor=manager,
        title="Holiday landing page live",
        due_date=TODAY + timedelta(days=20),
        phase=phase,
        owner=manager,
    )
    milestone = milestone_services.milestone_reschedule(
        milestone=milestone,
        new_date=TODAY + timedelta(days=24),
        reason="Legal review of the offer terms",
        actor=manager,
    )
    deliverable = deliverable_services.deliverable_create(
        milestone=milestone, actor=manager, title="Hero banner set"
    )
    workspace_services.client_create(
        workspace=project.workspace,
        actor=manager,
        name=client_name,
        contact_email="marketing@northwind.example",
    )
    project_services.status_update_post(
        project=project, actor=manager, health="at_risk", summary="Offer terms still with legal"
    )
    comment_services.comment_post(
        target=milestone, actor=manager, body="Copy approved by the client"
    )
    token, _ = access.api_token_create(user=manager, name="CRM sync")
    link, _ = sharing.share_link_create(project=project, actor=manager, label="Client dashboard")
    feed, _ = access.calendar_feed_create(user=manager, project=project)
    return SimpleNamespace(
        phase=phase, milestone=milestone, deliverable=deliverable, secrets=[token, link, feed]
    )


@pytest.fixture
def plan(project, manager):
    return write_plan(project, manager)


CHANGELIST_SHOWS = [
    (Workspace, ["Brightside Agency", "Members", "Projects"]),
    (Membership, ["manager-brightside", "Manager"]),
    (Client, ["Northwind Coffee", "marketing@northwind.example"]),
    (Project, ["Northwind holiday campaign", "Milestones done", "0%", "At risk"]),
    (Phase, ["Creative production", "Northwind holiday campaign"]),
    (
        Milestone,
        [
            "Holiday landing page live",
            "Baseline due date",
            "Slip (days)",
            '<td class="field-slip_days">4</td>',
            "On track",
        ],
    ),
    (MilestoneDateChange, ["Holiday landing page live", "Legal review of the offer terms"]),
    (StatusUpdate, ["Northwind holiday campaign", "Offer terms still with legal"]),
    (ActivityEvent, ["milestone.rescheduled", "Holiday landing page live"]),
    (Comment, ["Copy approved by the client", "Northwind holiday campaign"]),
    (ApiToken, ["CRM sync", "ms_"]),
    (ShareLink, ["Client dashboard", "sh_"]),
    (CalendarFeed, ["cal_", "Northwind holiday campaign"]),
]


@pytest.mark.parametrize(
    ("model", "texts"), CHANGELIST_SHOWS, ids=lambda v: getattr(v, "__name__", "")
)
def test_changelist_shows_the_rows_with_their_columns(admin_client, plan, model, texts):
    response = admin_client.get(admin_url(model))

    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1
    for text in texts:
        assert text in response.text


ADD_FORM_ASKS = [
    (Workspace, ["name", "slug", "timezone"], ["reminder_lead_days"]),
    (Membership, ["workspace", "user", "role"], []),
    (Client, ["workspace", "name", "contact_email"], []),
    (Project, ["workspace", "name", "client", "kind", "status", "owner", "start_date"], []),
    (Phase, ["project", "name", "order", "start_date", "end_date"], []),
    (Milestone, ["project", "title", "due_date", "depends_on"], ["reschedule_reason"]),
    (StatusUpdate, ["project", "health", "summary"], ["author"]),
    (Comment, ["target_type", "target_id", "body"], []),
]


@pytest.mark.parametrize(
    ("model", "asked", "not_asked"), ADD_FORM_ASKS, ids=lambda v: getattr(v, "__name__", "")
)
def test_add_page_asks_what_the_create_service_takes(admin_client, db, model, asked, not_asked):
    response = admin_client.get(admin_url(model, "add"))

    assert response.status_code == 200
    fields = set(response.context["adminform"].form.fields)
    assert set(asked) <= fields
    assert not set(not_asked) & fields


@pytest.mark.parametrize(
    "model", [ActivityEvent, MilestoneDateChange, ApiToken, ShareLink, CalendarFeed]
)
def test_logs_and_secrets_are_read_only(admin_client, plan, model):
    row = model.objects.first()

    assert admin_client.get(admin_url(model, "add")).status_code == 403
    page = admin_client.get(admin_url(model, "change", row.pk))
    assert page.status_code == 200
    assert not page.context["adminform"].form.fields
    assert page.context["has_change_permission"] is False


def test_no_page_shows_a_secret_hash(admin_client, plan):
    for secret in plan.secrets:
        for page in (admin_url(type(secret)), admin_url(type(secret), "change", secret.pk)):
            text = admin_client.get(page).text
            assert secret.prefix in text
            assert secret.secret_hash not in text
            assert "secret_hash" not in text


def test_no_list_page_costs_more_queries_with_more_rows(admin_client, plan, workspace, manager):
    def queries_per_list() -> dict[str, int]:
        counts = {}
        for model, _ in CHANGELIST_SHOWS:
            with CaptureQueriesContext(connection) as queries:
                admin_client.get(admin_url(model))
            counts[model.__name__] = len(queries)
        return counts

    queries_per_list()  # the first request fills the session and content-type caches
    with_one_plan = queries_per_list()
    for number in range(3):
        project = ProjectFactory(workspace=workspace, owner=manager)
        write_plan(project, manager, client_name=f"Client {number}")

    assert queries_per_list() == with_one_plan


def test_milestone_list_costs_the_same_queries_for_5_and_50_milestones(
    admin_client, workspace, manager
):
    projects = ProjectFactory.create_batch(2, workspace=workspace, owner=manager)

    def queries_listing(total: int) -> int:
        for number in range(Milestone.objects.count(), total):
            MilestoneFactory(
                project=projects[number % 2],
                owner=manager,
                due_date=TODAY + timedelta(days=number * 9 - 100),
            )
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(admin_url(Milestone))
        assert response.context["cl"].result_count == total
        return len(queries)

    assert queries_listing(5) == queries_listing(50)


def test_adding_a_project_runs_project_create(admin_client, admin_user, workspace, manager):
    response = admin_client.post(
        admin_url(Project, "add"),
        {
            "workspace": workspace.pk,
            "name": "Spring espresso launch",
            "kind": "product_launch",
            "status": "planning",
            "owner": manager.pk,
            "start_date": "2027-02-01",
            "target_date": "2027-04-30",
            "budget_planned": "25000",
            "budget_spent": "0",
            "currency": "EUR",
        },
    )

    assert response.status_code == 302
    project = Project.objects.get(name="Spring espresso launch")
    assert_recorded("project.created", actor=admin_user, target=project)


def test_a_refused_project_owner_is_an_error_on_the_owner_field(admin_client, workspace, outsider):
    response = admin_client.post(
        admin_url(Project, "add"),
        {
            "workspace": workspace.pk,
            "name": "Spring espresso launch",
            "kind": "product_launch",
            "status": "planning",
            "owner": outsider.pk,
            "start_date": "2027-02-01",
            "budget_planned": "0",
            "budget_spent": "0",
            "currency": "EUR",
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["owner"] == [f"{outsider} is not a member of Brightside Agency."]
    assert not Project.objects.filter(name="Spring espresso launch").exists()


def milestone_form(admin_client, milestone, **changes) -> dict:
    data = change_form_data(admin_client.get(admin_url(Milestone, "change", milestone.pk)))
    return data | changes


def test_moving_a_due_date_without_a_reason_is_a_form_error(admin_client, plan):
    milestone = plan.milestone
    new_date = milestone.due_date + timedelta(days=7)

    response = admin_client.post(
        admin_url(Milestone, "change", milestone.pk),
        milestone_form(admin_client, milestone, due_date=new_date.isoformat()),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["reschedule_reason"] == [
        "Say why the date moves; the reason stays in the history."
    ]
    milestone.refresh_from_db()
    assert milestone.due_date == TODAY + timedelta(days=24)
    assert milestone.date_changes.count() == 1


def test_moving_a_due_date_with_a_reason_reschedules_and_keeps_the_baseline(
    admin_client, admin_user, plan
):
    milestone = plan.milestone
    new_date = milestone.due_date + timedelta(days=7)

    response = admin_client.post(
        admin_url(Milestone, "change", milestone.pk),
        milestone_form(
            admin_client,
            milestone,
            due_date=new_date.isoformat(),
            reschedule_reason="Print proofs arrive late",
        ),
    )

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.due_date == new_date
    assert milestone.baseline_due_date == TODAY + timedelta(days=20)
    change = milestone.date_changes.first()
    assert (change.old_date, change.new_date) == (TODAY + timedelta(days=24), new_date)
    assert (change.reason, change.changed_by) == ("Print proofs arrive late", admin_user)


def test_completing_with_an_open_deliverable_is_refused_naming_it(admin_client, plan):
    milestone = plan.milestone

    response = admin_client.post(
        admin_url(Milestone, "change", milestone.pk),
        milestone_form(admin_client, milestone, status="completed"),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["status"] == ["Open deliverables: “Hero banner set”."]
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.PLANNED
    assert not ActivityEvent.objects.filter(verb="milestone.completed").exists()


def test_completing_a_milestone_without_open_work_runs_milestone_complete(
    admin_client, admin_user, project, manager
):
    milestone = milestone_services.milestone_create(
        project=project, actor=manager, title="Press release out", due_date=TODAY
    )

    response = admin_client.post(
        admin_url(Milestone, "change", milestone.pk),
        milestone_form(admin_client, milestone, status="completed"),
    )

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.COMPLETED
    assert milestone.completed_at is not None
    assert_recorded("milestone.completed", actor=admin_user, target=milestone)


def test_a_phase_added_inline_on_the_project_runs_phase_create(admin_client, admin_user, plan):
    project = plan.phase.project
    data = change_form_data(admin_client.get(admin_url(Project, "change", project.pk)))
    data |= {"phases-1-name": "Launch week", "phases-1-order": "1"}

    response = admin_client.post(admin_url(Project, "change", project.pk), data)

    assert response.status_code == 302
    phase = project.phases.get(name="Launch week")
    assert ActivityEvent.objects.get(verb="phase.created", target_id=phase.pk).actor == admin_user


def test_a_date_moved_in_the_project_inline_is_refused_pointing_to_reschedule(admin_client, plan):
    project = plan.phase.project
    data = change_form_data(admin_client.get(admin_url(Project, "change", project.pk)))
    data["milestones-0-due_date"] = (TODAY + timedelta(days=60)).isoformat()

    response = admin_client.post(admin_url(Project, "change", project.pk), data)

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][1].formset.errors[0] == {
        "due_date": ["Reschedule the milestone to move its due date (a reason is required)."]
    }
    plan.milestone.refresh_from_db()
    assert plan.milestone.due_date == TODAY + timedelta(days=24)


def test_a_failing_inline_row_undoes_what_the_page_already_wrote(admin_client, plan):
    project = plan.phase.project
    data = change_form_data(admin_client.get(admin_url(Project, "change", project.pk)))
    data |= {
        "name": "Renamed campaign",
        "phases-1-name": "Launch week",
        "phases-1-start_date": "2027-01-10",
        "phases-1-end_date": "2027-01-01",
    }

    response = admin_client.post(admin_url(Project, "change", project.pk), data)

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[1] == {
        "end_date": ["A phase cannot end before it starts."]
    }
    project.refresh_from_db()
    assert project.name == "Northwind holiday campaign"
    assert not ActivityEvent.objects.filter(verb="project.updated").exists()


def test_removing_the_last_owner_is_refused_with_a_message(admin_client, workspace, owner):
    membership = Membership.objects.get(user=owner, workspace=workspace)

    response = admin_client.post(admin_url(Membership, "delete", membership.pk), {"post": "yes"})

    assert response.status_code == 302
    assert response.url == admin_url(Membership, "change", membership.pk)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "A workspace needs at least one owner; make someone else owner first."
    ]
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_member_added_inline_on_the_workspace_runs_membership_add(
    admin_client, admin_user, workspace, owner, outsider
):
    data = change_form_data(admin_client.get(admin_url(Workspace, "change", workspace.pk)))
    data |= {"memberships-1-user": outsider.pk, "memberships-1-role": Role.VIEWER}

    response = admin_client.post(admin_url(Workspace, "change", workspace.pk), data)

    assert response.status_code == 302
    assert Membership.objects.get(workspace=workspace, user=outsider).role == Role.VIEWER
    assert_recorded("membership.added", actor=admin_user, target=workspace)


def test_a_member_removed_inline_goes_through_membership_remove(
    admin_client, workspace, owner, manager
):
    page = admin_url(Workspace, "change", workspace.pk)
    data = change_form_data(admin_client.get(page))
    rows = [data[f"memberships-{row}-id"] for row in range(2)]
    manager_row = rows.index(Membership.objects.get(user=manager).pk)
    owner_row = 1 - manager_row

    refused = admin_client.post(page, data | {f"memberships-{owner_row}-DELETE": "on"})
    removed = admin_client.post(page, data | {f"memberships-{manager_row}-DELETE": "on"})

    assert refused.context["inline_admin_formsets"][0].formset.errors[owner_row] == {
        "role": ["A workspace needs at least one owner; make someone else owner first."]
    }
    assert removed.status_code == 302
    assert list(workspace.memberships.values_list("user", flat=True)) == [owner.pk]
    assert ActivityEvent.objects.filter(verb="membership.removed").count() == 1


def test_revoke_action_revokes_through_the_access_service(admin_client, admin_user, plan):
    link = ShareLink.objects.get()

    response = admin_client.post(
        admin_url(ShareLink), {"action": "revoke_selected", "_selected_action": [link.pk]}
    )

    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert ActivityEvent.objects.get(verb="share_link.revoked").actor == admin_user


@pytest.fixture
def staff_viewer(viewer):
    """A stakeholder let into the admin with every model permission of our apps."""
    viewer.is_staff = True
    viewer.save()
    ours = Permission.objects.filter(content_type__app_label__in=["projects", "deliverables"])
    viewer.user_permissions.set(ours)
    return viewer


def test_staff_see_only_the_rows_of_their_workspaces(client, staff_viewer, project):
    ProjectFactory(name="Another agency's campaign")
    client.force_login(staff_viewer)

    response = client.get(admin_url(Project))

    assert [row.name for row in response.context["cl"].result_list] == [project.name]


def test_a_role_refusal_is_an_error_on_the_form(client, staff_viewer, workspace):
    client.force_login(staff_viewer)

    response = client.post(
        admin_url(Client, "add"), {"workspace": workspace.pk, "name": "Fjordline Outdoor"}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Your role in Brightside Agency does not allow this (client.edit)."
    ]
    assert not Client.objects.exists()
