"""Playbook pages: the gallery, a template's structure, preview and create, save as template."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deliverables.models import Deliverable
from projects.models import Milestone, Phase, Project, Template, TemplateMilestone, TemplatePhase
from projects.playbooks.selectors import offset_label
from projects.playbooks.services import template_instantiate
from tests.factories import ClientFactory, UserFactory, WorkspaceFactory

BLACK_FRIDAY = date(2026, 11, 27)

pytestmark = pytest.mark.django_db


def builtin(key: str) -> Template:
    return Template.objects.get(workspace=None, key=key)


def black_friday() -> Template:
    return builtin("black-friday-cyber-monday")


def use_url(template: Template) -> str:
    return reverse("projects:playbook_use", args=[template.pk])


def role_fields(template: Template, assignments: dict) -> dict:
    """The form's role_<index> fields for {role name: user}."""
    return {f"role_{template.roles.index(role)}": user.pk for role, user in assignments.items()}


def workspace_template(workspace, name: str, milestones: int = 2, created_by=None) -> Template:
    template = Template.objects.create(
        workspace=workspace, name=name, summary=f"{name} shape", created_by=created_by
    )
    phase = TemplatePhase.objects.create(template=template, name="Build")
    for offset in range(milestones):
        TemplateMilestone.objects.create(
            template=template, phase=phase, title=f"{name} step {offset}", offset_days=offset * 7
        )
    return template


@pytest.fixture
def bfcm_form(manager, member):
    return {
        "name": "BFCM 2026",
        "direction": "backward",
        "on": BLACK_FRIDAY.isoformat(),
        "skip_weekends": "on",
        **role_fields(black_friday(), {"Campaign manager": manager, "CRM lead": member}),
    }


def row_counts() -> tuple[int, int, int, int]:
    return (
        Project.objects.count(),
        Phase.objects.count(),
        Milestone.objects.count(),
        Deliverable.objects.count(),
    )


def test_gallery_lists_builtins_and_own_templates_but_not_another_workspaces(
    signed_in, workspace, viewer
):
    workspace_template(workspace, "Spring trail shoe relaunch", created_by=viewer)
    workspace_template(WorkspaceFactory(), "Rival agency secret plan")

    response = signed_in(viewer).get(reverse("projects:playbooks"))

    assert response.status_code == 200
    gallery = response.context["gallery"]
    assert len(gallery.builtins) == 9
    assert [t.name for t in gallery.workspace_templates] == ["Spring trail shoe relaunch"]
    html = response.content.decode()
    assert "Black Friday / Cyber Monday" in html
    assert "Plans backward from <strong>Black Friday sale starts</strong>" in html
    assert "4 phases · 11 milestones" in html
    assert "Spring trail shoe relaunch" in html
    assert f"Saved by {viewer.get_full_name() or viewer.username}" in html
    # The onboarding and SEO playbooks and the saved template mark no anchor.
    assert html.count("Plans forward from a start date") == 4
    assert "Rival agency secret plan" not in html
    assert "Use playbook" not in html, "a viewer reads the gallery without a way to use it"


def test_gallery_offers_use_to_managers(signed_in, manager):
    html = signed_in(manager).get(reverse("projects:playbooks")).content.decode()
    # Each button's name starts with what it shows ("Use playbook: Product launch").
    assert html.count(">Use playbook</a>") == 9


def test_gallery_query_count_does_not_grow_with_templates(signed_in, workspace, manager):
    client = signed_in(manager)
    url = reverse("projects:playbooks")

    def queries_with(total: int) -> int:
        while Template.objects.filter(workspace=workspace).count() < total:
            name = f"Template {Template.objects.count()}"
            workspace_template(workspace, name, milestones=3, created_by=manager)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert len(response.context["gallery"].workspace_templates) == total
        return len(captured)

    assert queries_with(2) == queries_with(20)


def test_template_page_shows_the_structure(signed_in, viewer):
    template = black_friday()
    response = signed_in(viewer).get(reverse("projects:playbook_detail", args=[template.pk]))

    assert response.status_code == 200
    outline = response.context["outline"]
    assert [phase.name for phase in outline.phases] == [
        "Offer planning",
        "Build",
        "Peak week",
        "Wrap-up",
    ]
    rows = {row.milestone.title: row for phase in outline.phases for row in phase.milestones}
    assert rows["Black Friday sale starts"].is_anchor
    assert rows["Black Friday sale starts"].offset_label == "day 0 + 49"
    assert rows["Last year's peak reviewed"].offset_label == "day 0"
    assert rows["Cyber Monday close"].depends_on == ["Black Friday sale starts"]
    html = response.content.decode()
    assert "day 0 + 49" in html
    assert "Campaign manager" in html
    assert "Sale key visual and banners" in html
    assert "Creative asset · Designer" in html
    assert "Category banners" in html, "a deliverable's checklist"
    assert "Margin check with finance" in html, "a milestone's checklist"
    assert "Use this playbook" not in html


@pytest.mark.parametrize(("offset", "label"), [(0, "day 0"), (49, "day 0 + 49"), (-3, "day 0 - 3")])
def test_offset_label(offset, label):
    assert offset_label(offset) == label


def test_another_workspaces_template_is_a_404(signed_in, manager):
    foreign = workspace_template(WorkspaceFactory(), "Rival agency secret plan")
    client = signed_in(manager)
    assert client.get(reverse("projects:playbook_detail", args=[foreign.pk])).status_code == 404
    assert client.get(use_url(foreign)).status_code == 404
    assert client.post(use_url(foreign), {"name": "Stolen"}).status_code == 404


def test_preview_shows_every_computed_date_and_creates_nothing(signed_in, manager, bfcm_form):
    before = row_counts()

    response = signed_in(manager).post(use_url(black_friday()), {**bfcm_form, "intent": "preview"})

    assert response.status_code == 200
    assert row_counts() == before
    rows = {
        row.planned.title: row for group in response.context["preview"] for row in group.milestones
    }
    assert len(rows) == 11
    anchor = rows["Black Friday sale starts"]
    assert anchor.planned.is_anchor and anchor.planned.due_date == BLACK_FRIDAY
    assert rows["Cyber Monday close"].planned.due_date == date(2026, 11, 30)
    moved = {title: row for title, row in rows.items() if row.moved}
    assert all(row.moved_reason == "weekend" for row in moved.values())
    assert all(row.planned.due_date.weekday() < 5 for row in rows.values())
    html = response.content.decode()
    assert "Fri 27 Nov 2026" in html
    assert html.count('class="preview-anchor"') == 1
    assert "Create project" in html


def test_preview_shows_weekend_moves(signed_in, manager):
    """Planned forward from Saturday 3 Oct 2026, day 0 moves to Monday and says so."""
    response = signed_in(manager).post(
        use_url(black_friday()),
        {
            "name": "BFCM",
            "direction": "forward",
            "on": "2026-10-03",
            "skip_weekends": "on",
            "intent": "preview",
        },
    )
    first = response.context["preview"][0].milestones[0]
    assert first.planned.title == "Last year's peak reviewed"
    assert (first.offset_date, first.planned.due_date) == (date(2026, 10, 3), date(2026, 10, 5))
    assert "moved from Sat 3 Oct (weekend)" in response.content.decode()


def test_create_plans_the_project_and_redirects_to_it(signed_in, workspace, manager, bfcm_form):
    client_org = ClientFactory(workspace=workspace, name="Northwind Outdoor")
    response = signed_in(manager).post(
        use_url(black_friday()), {**bfcm_form, "client": client_org.pk, "intent": "create"}
    )

    project = Project.objects.get(name="BFCM 2026")
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:project_detail", args=[project.pk])
    assert project.workspace == workspace and project.client == client_org
    assert project.milestones.count() == 11
    launch = project.milestones.get(title="Black Friday sale starts")
    assert launch.due_date == BLACK_FRIDAY and launch.owner == manager


def test_role_mapped_to_a_non_member_is_a_form_error(signed_in, manager, bfcm_form):
    stranger = UserFactory()
    data = {**bfcm_form, **role_fields(black_friday(), {"Designer": stranger}), "intent": "create"}

    response = signed_in(manager).post(use_url(black_friday()), data)

    assert response.status_code == 422
    designer_field = f"role_{black_friday().roles.index('Designer')}"
    assert response.context["form"].errors[designer_field]
    assert Project.objects.count() == 0


def test_missing_date_and_name_are_form_errors_not_a_500(signed_in, manager):
    response = signed_in(manager).post(
        use_url(black_friday()), {"direction": "sideways", "intent": "create"}
    )
    assert response.status_code == 422
    assert set(response.context["form"].errors) >= {"name", "on", "direction"}


def test_service_errors_land_on_the_form(signed_in, workspace, manager):
    """A template without milestones passes the form but not the planner."""
    empty = Template.objects.create(workspace=workspace, name="Empty shell")
    response = signed_in(manager).post(
        use_url(empty),
        {"name": "Nothing", "direction": "forward", "on": "2026-12-01", "intent": "preview"},
    )
    assert response.status_code == 422
    assert "no milestones" in " ".join(response.context["form"].non_field_errors())


def test_date_label_follows_the_direction(signed_in, workspace, manager):
    client = signed_in(manager)
    assert client.get(use_url(black_friday())).context["form"]["on"].label == (
        "Launch / event date"
    )
    saved = workspace_template(workspace, "Webinar series")
    assert client.get(use_url(saved)).context["form"]["on"].label == "Start date"


@pytest.mark.parametrize("role", ["viewer", "member"])
def test_viewers_and_members_cannot_use_a_playbook(signed_in, request, role, bfcm_form):
    client = signed_in(request.getfixturevalue(role))
    assert client.post(use_url(black_friday()), {**bfcm_form, "intent": "create"}).status_code == (
        403
    )
    assert client.post(use_url(black_friday()), {**bfcm_form, "intent": "preview"}).status_code == (
        403
    )
    assert Project.objects.count() == 0


@pytest.fixture
def planned_project(workspace, manager, member):
    return template_instantiate(
        template=builtin("product-launch"),
        workspace=workspace,
        actor=manager,
        name="Trail shoe launch",
        direction="forward",
        on=date(2026, 9, 1),
    )


def test_manager_saves_a_project_as_a_workspace_template(
    signed_in, workspace, manager, planned_project
):
    response = signed_in(manager).post(
        reverse("projects:project_save_as_template", args=[planned_project.pk]),
        {"name": "Our launch recipe"},
    )

    template = Template.objects.get(name="Our launch recipe")
    assert template.workspace == workspace
    assert response["Location"] == reverse("projects:playbook_detail", args=[template.pk])
    assert template.milestones.count() == planned_project.milestones.count()
    page = signed_in(manager).get(response["Location"])
    assert "Template of" in page.content.decode()


def test_project_page_offers_save_as_template_to_managers_only(
    signed_in, manager, viewer, planned_project
):
    url = reverse("projects:project_detail", args=[planned_project.pk])
    assert "Save as template" in signed_in(manager).get(url).content.decode()
    assert "Save as template" not in signed_in(viewer).get(url).content.decode()


def test_viewer_cannot_save_as_template(signed_in, viewer, planned_project):
    before = Template.objects.count()
    response = signed_in(viewer).post(
        reverse("projects:project_save_as_template", args=[planned_project.pk])
    )
    assert response.status_code == 403
    assert Template.objects.count() == before


def test_saving_another_workspaces_project_is_a_404(signed_in, outsider, planned_project):
    response = signed_in(outsider).post(
        reverse("projects:project_save_as_template", args=[planned_project.pk])
    )
    assert response.status_code == 404
