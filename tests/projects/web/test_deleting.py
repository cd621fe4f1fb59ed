"""Deleting a project, phase, milestone or deliverable in the browser: a confirmation page
that says what goes with it, then a POST that deletes and returns to the parent."""

import pytest
from django.urls import reverse

from deliverables.models import Deliverable
from projects.models import ActivityEvent, Milestone, Phase, Project

pytestmark = pytest.mark.django_db

# kind: (delete view, edit view, the plan's object, its model, consequences shown)
KINDS = {
    "project": (
        "projects:project_delete",
        "projects:project_edit",
        "project",
        Project,
        ["Deleted with it: 1 phase, 2 milestones and 1 deliverable"],
    ),
    "phase": (
        "projects:phase_delete",
        "projects:phase_edit",
        "phase",
        Phase,
        ["Kept in the project, without a phase: 2 milestones."],
    ),
    "milestone": (
        "projects:milestone_delete",
        "projects:milestone_edit",
        "film",
        Milestone,
        ["Deleted with it: 1 deliverable,", "No longer waiting for it: 1 milestone."],
    ),
    "deliverable": (
        "deliverables:deliverable_delete",
        "deliverables:deliverable_edit",
        "cut",
        Deliverable,
        ["Deleted with it: its checklist of 1 item."],
    ),
}


def parent_url(kind: str, plan) -> str:
    if kind == "project":
        return reverse("projects:dashboard")
    if kind == "deliverable":
        return reverse("projects:milestone_detail", args=[plan["film"].pk])
    return reverse("projects:project_detail", args=[plan["project"].pk])


@pytest.mark.parametrize("kind", KINDS)
def test_the_confirmation_page_says_what_goes_and_deletes_nothing(kind, signed_in, plan, manager):
    view, _, key, model, consequences = KINDS[kind]
    target = plan[key]
    page = signed_in(manager).get(reverse(view, args=[target.pk])).content.decode()

    assert f"Delete {kind} “{target}”?" in page
    for consequence in consequences:
        assert consequence in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert model.objects.filter(pk=target.pk).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_confirming_deletes_and_returns_to_the_parent(kind, signed_in, plan, manager):
    view, _, key, model, _ = KINDS[kind]
    target = plan[key]
    response = signed_in(manager).post(reverse(view, args=[target.pk]), follow=True)

    assert response.redirect_chain == [(parent_url(kind, plan), 302)]
    assert f"{kind.capitalize()} “{target}” deleted." in response.content.decode()
    assert not model.objects.filter(pk=target.pk).exists()
    assert ActivityEvent.objects.filter(verb=f"{kind}.deleted").count() == 1


def test_what_goes_with_each_deletion(signed_in, plan, manager):
    client = signed_in(manager)
    client.post(reverse("projects:phase_delete", args=[plan["phase"].pk]))
    assert set(Milestone.objects.values_list("title", "phase")) == {
        ("Launch film locked", None),
        ("Launch day", None),
    }
    client.post(reverse("projects:milestone_delete", args=[plan["film"].pk]))
    assert not Deliverable.objects.exists()
    assert not plan["launch"].depends_on.exists()
    client.post(reverse("projects:project_delete", args=[plan["project"].pk]))
    assert not Milestone.objects.exists()


@pytest.mark.parametrize("kind", KINDS)
def test_a_member_may_not_delete(kind, signed_in, plan, member):
    view, _, key, model, _ = KINDS[kind]
    target = plan[key]
    client = signed_in(member)
    assert client.get(reverse(view, args=[target.pk])).status_code == 403
    assert client.post(reverse(view, args=[target.pk])).status_code == 403
    assert model.objects.filter(pk=target.pk).exists()


@pytest.mark.parametrize("kind", KINDS)
def test_another_workspace_sees_no_such_object(kind, signed_in, plan, outsider):
    view, _, key, model, _ = KINDS[kind]
    target = plan[key]
    assert signed_in(outsider).post(reverse(view, args=[target.pk])).status_code == 404
    assert model.objects.filter(pk=target.pk).exists()


@pytest.mark.parametrize("kind", ["milestone", "deliverable"])
def test_edit_pages_link_to_delete_only_for_roles_that_may(kind, signed_in, plan, manager, member):
    view, edit, key, _, _ = KINDS[kind]
    target = plan[key]
    link = f'href="{reverse(view, args=[target.pk])}"'
    assert link in signed_in(manager).get(reverse(edit, args=[target.pk])).content.decode()
    assert link not in signed_in(member).get(reverse(edit, args=[target.pk])).content.decode()
