"""Playbooks: built-ins ship with the app, plan forward or backward, instantiate all or
nothing, and any project can become a template."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from deliverables.models import ChecklistItem, Deliverable
from projects.models import Milestone, Project, Template
from projects.playbooks.services import (
    library_playbooks,
    playbooks_sync,
    template_instantiate,
    template_plan,
    template_save_from_project,
)
from tests.factories import WorkspaceFactory, forced

BLACK_FRIDAY = date(2026, 11, 27)


def builtin(key: str) -> Template:
    return Template.objects.get(workspace=None, key=key)


def structure(project: Project) -> list[tuple]:
    """A project's shape without dates' absolute position: what a template must keep."""
    start = project.start_date
    rows = []
    for m in project.milestones.select_related("phase").prefetch_related(
        "depends_on", "deliverables"
    ):
        rows.append(
            (
                m.phase.name if m.phase else "",
                m.title,
                m.category,
                (m.due_date - start).days,
                sorted(d.title for d in m.depends_on.all()),
                sorted((d.title, d.kind, (d.due_date - start).days) for d in m.deliverables.all()),
                sorted(m.checklist.values_list("text", flat=True)),
            )
        )
    return sorted(rows)


@pytest.mark.django_db
def test_every_builtin_playbook_is_shipped_and_realistic():
    keys = {spec["key"] for spec in library_playbooks()}
    assert keys == {
        "product-launch",
        "black-friday-cyber-monday",
        "brand-anniversary",
        "market-expansion",
        "agency-client-onboarding",
        "seo-content-program",
        "awards-pr",
        "employee-milestones",
        "customer-milestones",
    }
    for template in Template.objects.filter(workspace=None):
        assert 6 <= template.milestones.count() <= 15, template.name
        assert template.phases.count() >= 3, template.name
        assert template.milestones.filter(deliverables__isnull=False).exists(), template.name
        assert set(template.milestones.values_list("owner_role", flat=True)) <= {
            *template.roles,
            "",
        }


@pytest.mark.django_db
def test_syncing_the_library_twice_changes_nothing():
    before = (Template.objects.count(), Milestone.objects.count())
    shapes = {t.key: t.milestones.count() for t in Template.objects.filter(workspace=None)}
    assert playbooks_sync() == 9
    assert (Template.objects.count(), Milestone.objects.count()) == before
    assert {t.key: t.milestones.count() for t in Template.objects.filter(workspace=None)} == shapes


@pytest.mark.django_db
@pytest.mark.parametrize("direction", ["forward", "backward"])
def test_every_builtin_playbook_instantiates_and_passes_validation(workspace, manager, direction):
    for template in Template.objects.filter(workspace=None):
        project = template_instantiate(
            template=template,
            workspace=workspace,
            actor=manager,
            name=f"{template.name} {direction}",
            direction=direction,
            on=date(2027, 3, 1),
            skip_weekends=True,
        )
        assert project.milestones.count() == template.milestones.count()
        assert project.kind == template.project_kind
        for milestone in project.milestones.all():
            milestone.full_clean()
            assert project.start_date <= milestone.due_date <= project.target_date
            for prerequisite in milestone.depends_on.all():
                assert prerequisite.due_date <= milestone.due_date
        if direction == "backward":
            # The marked anchor, else the plan's last milestone, lands on the event date.
            anchor = template.milestones.order_by("-is_anchor", "-offset_days", "-id").first()
            assert project.milestones.get(title=anchor.title).due_date == date(2027, 3, 1)
        else:
            assert project.start_date == date(2027, 3, 1)


@pytest.mark.django_db
def test_manager_plans_black_friday_backward_from_the_sale_date_with_the_team(
    workspace, manager, member
):
    template = builtin("black-friday-cyber-monday")
    roles = {"Campaign manager": manager, "CRM lead": member}
    plan = template_plan(
        template=template,
        workspace=workspace,
        direction="backward",
        on=BLACK_FRIDAY,
        skip_weekends=True,
        role_map=roles,
    )
    preview = {m.title: m.due_date for m in plan.milestones}
    assert preview["Black Friday sale starts"] == BLACK_FRIDAY
    assert preview["Cyber Monday close"] == date(2026, 11, 30)
    assert Project.objects.count() == 0, "a preview writes nothing"

    project = template_instantiate(
        template=template,
        workspace=workspace,
        actor=manager,
        name="BFCM 2026",
        direction="backward",
        on=BLACK_FRIDAY,
        skip_weekends=True,
        role_map=roles,
    )
    created = {m.title: m for m in project.milestones.all()}
    assert {title: m.due_date for title, m in created.items()} == preview
    assert created["Black Friday sale starts"].owner == manager
    assert created["Email and SMS programme scheduled"].owner == member
    assert created["Cyber Monday close"].depends_on.get() == created["Black Friday sale starts"]
    assert Deliverable.objects.filter(milestone__project=project).count() == sum(
        len(m.deliverables) for m in plan.milestones
    )
    assert ChecklistItem.objects.filter(deliverable__milestone__project=project).exists()
    assert project.activity.filter(verb="project.planned_from_template").exists()


@pytest.mark.django_db
def test_project_to_template_to_project_keeps_the_structure(workspace, manager):
    original = template_instantiate(
        template=builtin("product-launch"),
        workspace=workspace,
        actor=manager,
        name="Launch",
        direction="forward",
        on=date(2026, 9, 7),
    )
    first = original.milestones.order_by("due_date").first()
    forced(first.deliverables.all(), status="approved", approved_at="2026-09-08T10:00:00Z")
    template = template_save_from_project(project=original, actor=manager, name="Our launch")
    assert template.workspace == workspace
    copy = template_instantiate(
        template=template,
        workspace=workspace,
        actor=manager,
        name="Launch again",
        direction="forward",
        on=date(2027, 1, 4),
    )
    assert structure(copy) == structure(original)
    assert not Deliverable.objects.filter(milestone__project=copy, status="approved").exists()


@pytest.mark.django_db
def test_viewers_and_members_cannot_instantiate(workspace, viewer, member):
    for user in (viewer, member):
        with pytest.raises(PermissionDenied):
            template_instantiate(
                template=builtin("awards-pr"),
                workspace=workspace,
                actor=user,
                name="Awards",
                direction="backward",
                on=date(2027, 2, 1),
            )
    assert Project.objects.count() == 0


@pytest.mark.django_db
def test_instantiation_is_all_or_nothing(workspace, manager, outsider):
    with pytest.raises(ValidationError) as refused:
        template_instantiate(
            template=builtin("brand-anniversary"),
            workspace=workspace,
            actor=manager,
            name="10 years",
            direction="backward",
            on=date(2027, 5, 1),
            role_map={"Brand manager": outsider},
        )
    assert "Brand manager" in str(refused.value.message_dict["roles"])
    assert (Project.objects.count(), Milestone.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_plan_refuses_an_unknown_direction_and_unknown_roles(workspace, manager):
    template = builtin("seo-content-program")
    with pytest.raises(ValidationError) as refused:
        template_plan(
            template=template, workspace=workspace, direction="sideways", on=date(2027, 1, 4)
        )
    assert "direction" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        template_plan(
            template=template,
            workspace=workspace,
            direction="forward",
            on=date(2027, 1, 4),
            role_map={"Astronaut": manager},
        )
    assert "Astronaut" in str(refused.value.message_dict["roles"])


@pytest.mark.django_db
def test_templates_are_visible_to_their_workspace_only(workspace, manager, outsider):
    project = template_instantiate(
        template=builtin("awards-pr"),
        workspace=workspace,
        actor=manager,
        name="Awards",
        direction="forward",
        on=date(2027, 1, 4),
    )
    own = template_save_from_project(project=project, actor=manager)
    assert own in Template.objects.visible_to(manager)
    assert own not in Template.objects.visible_to(outsider)
    assert Template.objects.visible_to(outsider).filter(workspace=None).count() == 9
    other = WorkspaceFactory()
    with pytest.raises(ValidationError):
        template_instantiate(
            template=own,
            workspace=other,
            actor=None,
            name="x",
            direction="forward",
            on=date(2027, 1, 4),
        )
