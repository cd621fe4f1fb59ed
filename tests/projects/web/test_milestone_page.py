"""The milestone page and its forms: create, edit, reschedule, complete, comment, and the
inline status change with its conflict message."""

from datetime import timedelta

import pytest
from django.urls import reverse

from projects.models import Comment, Milestone
from projects.services import comments as comment_services
from projects.services import milestones as milestone_services
from tests.factories import MilestoneFactory

pytestmark = pytest.mark.django_db


def url(name: str, milestone) -> str:
    return reverse(f"projects:{name}", args=[milestone.pk])


def test_milestone_page_shows_details_dependencies_work_and_history(signed_in, plan, manager):
    film, launch = plan["film"], plan["launch"]
    milestone_services.milestone_reschedule(
        milestone=film, new_date=film.due_date + timedelta(days=3), reason="Reshoot", actor=manager
    )
    comment_services.comment_post(target=film, actor=manager, body="Colourist booked.")
    response = signed_in(manager).get(url("milestone_detail", film))
    page = response.content.decode()

    assert "<title>Launch film locked · Ridgeback launch · Milestones</title>" in page
    assert "+3d slip" in page
    assert "Needed by" in page and "Launch day" in page
    assert "Hero film cut" in page and "Music licensed" in page
    assert "“Reshoot”" in page and "Colourist booked." in page
    assert "Deliverable “Hero film cut” — not started" in page  # why completing is refused
    launch_page = signed_in(manager).get(url("milestone_detail", launch)).content.decode()
    assert "Waits for" in launch_page and "Launch film locked" in launch_page


def test_other_workspaces_milestones_are_not_found(signed_in, outsider, plan):
    client = signed_in(outsider)
    film = plan["film"]
    assert client.get(url("milestone_detail", film)).status_code == 404
    assert client.get(url("milestone_edit", film)).status_code == 404
    for name in ("milestone_reschedule", "milestone_complete", "milestone_status"):
        assert client.post(url(name, film), {"version": film.version}).status_code == 404


def test_create_milestone_sets_the_baseline(signed_in, plan, member):
    project = plan["project"]
    response = signed_in(member).post(
        reverse("projects:milestone_create", args=[project.pk]),
        {
            "title": "Retail windows live",
            "phase": plan["phase"].pk,
            "category": "launch",
            "due_date": "2027-02-01",
            "depends_on": [plan["launch"].pk],
        },
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get(title="Retail windows live")
    assert milestone.baseline_due_date == milestone.due_date
    assert list(milestone.depends_on.all()) == [plan["launch"]]


def test_create_milestone_validation_and_viewer_refusal(signed_in, plan, member, viewer):
    create = reverse("projects:milestone_create", args=[plan["project"].pk])
    response = signed_in(member).post(create, {"title": "", "category": "launch"})
    page = response.content.decode()
    assert page.count("This field is required.") == 2  # title and due date
    assert signed_in(viewer).get(create).status_code == 403
    assert (
        signed_in(viewer).post(create, {"title": "x", "due_date": "2027-01-01"}).status_code == 403
    )


def test_edit_refuses_a_dependency_cycle_and_a_stale_version(signed_in, plan, manager):
    film, launch = plan["film"], plan["launch"]
    client = signed_in(manager)
    data = {"title": "Film locked", "category": "launch", "version": film.version}
    response = client.post(url("milestone_edit", film), {**data, "depends_on": [launch.pk]})
    assert "These dependencies would create a cycle." in response.content.decode()
    film.refresh_from_db()
    assert (film.title, film.version) == ("Launch film locked", 1)  # nothing half-saved

    client.post(url("milestone_edit", film), data)
    film.refresh_from_db()
    assert film.title == "Film locked"
    response = client.post(url("milestone_edit", film), {**data, "title": "Overwrite"})
    assert "changed this to a newer version" in response.content.decode()
    film.refresh_from_db()
    assert film.title == "Film locked"


def test_reschedule_needs_a_reason(signed_in, plan, member):
    film = plan["film"]
    client = signed_in(member)
    new_date = film.due_date + timedelta(days=7)
    data = {"reschedule-new_date": new_date.isoformat(), "reschedule-version": film.version}
    response = client.post(url("milestone_reschedule", film), data)
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()

    response = client.post(
        url("milestone_reschedule", film), {**data, "reschedule-reason": "Supplier late"}
    )
    assert response.status_code == 302
    film.refresh_from_db()
    assert (film.due_date, film.date_changes.get().reason) == (new_date, "Supplier late")


def test_reschedule_is_refused_to_viewers(signed_in, plan, viewer):
    film = plan["film"]
    response = signed_in(viewer).post(
        url("milestone_reschedule", film),
        {
            "reschedule-new_date": "2027-03-01",
            "reschedule-reason": "x",
            "reschedule-version": film.version,
        },
    )
    assert response.status_code == 403


def test_complete_is_refused_while_deliverables_are_open(signed_in, plan, member, manager):
    film = plan["film"]
    data = {"complete-version": film.version}
    response = signed_in(member).post(url("milestone_complete", film), data)
    assert response.status_code == 422
    assert "Open deliverables: “Hero film cut”." in response.content.decode()
    film.refresh_from_db()
    assert film.status == "planned"

    # Forcing needs a manager...
    forced = {**data, "complete-force": "on", "complete-reason": "Client accepted as is"}
    assert signed_in(member).post(url("milestone_complete", film), forced).status_code == 403
    # ...and a reason.
    response = signed_in(manager).post(
        url("milestone_complete", film), {**data, "complete-force": "on"}
    )
    assert "Say why the milestone is completed with work still open." in response.content.decode()
    assert signed_in(manager).post(url("milestone_complete", film), forced).status_code == 302
    film.refresh_from_db()
    assert film.status == "completed"


def test_comment(signed_in, plan, member, viewer):
    film = plan["film"]
    response = signed_in(member).post(url("milestone_comment", film), {"body": ""})
    assert response.status_code == 422
    signed_in(member).post(url("milestone_comment", film), {"body": "Proofs approved."})
    assert Comment.objects.get().body == "Proofs approved."
    assert signed_in(viewer).post(url("milestone_comment", film), {"body": "Hi"}).status_code == 403


HTMX = {"HTTP_HX_REQUEST": "true"}


def test_inline_status_change_returns_the_control(signed_in, plan, member):
    film = plan["film"]
    response = signed_in(member).post(
        url("milestone_status", film), {"status": "in_progress", "version": film.version}, **HTMX
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert '<option value="in_progress" selected>' in page
    assert f'name="version" value="{film.version + 1}"' in page
    assert "<html" not in page


def test_inline_status_conflict_names_who_changed_it(signed_in, plan, member, manager):
    film = plan["film"]
    stale_version = film.version
    milestone_services.milestone_set_status(milestone=film, status="blocked", actor=manager)
    response = signed_in(member).post(
        url("milestone_status", film), {"status": "in_progress", "version": stale_version}, **HTMX
    )
    assert response.status_code == 409
    name = manager.get_full_name()
    assert f"{name} changed this to Blocked at " in response.content.decode()
    assert "reload" in response.content.decode()
    film.refresh_from_db()
    assert film.status == "blocked"  # never overwritten


def test_inline_complete_explains_the_refusal(signed_in, plan, member):
    film = plan["film"]
    response = signed_in(member).post(
        url("milestone_status", film), {"status": "completed", "version": film.version}, **HTMX
    )
    assert response.status_code == 422
    assert "Open deliverables: “Hero film cut”." in response.content.decode()


def test_inline_status_without_javascript_redirects_back(signed_in, plan, member):
    film = plan["film"]
    back = reverse("projects:project_detail", args=[plan["project"].pk])
    response = signed_in(member).post(
        url("milestone_status", film),
        {"status": "in_progress", "version": film.version, "next": back},
        follow=True,
    )
    assert response.redirect_chain == [(back, 302)]
    assert "“Launch film locked” is now In progress." in response.content.decode()


def test_inline_status_is_refused_to_viewers(signed_in, plan, viewer):
    film = plan["film"]
    response = signed_in(viewer).post(
        url("milestone_status", film), {"status": "blocked", "version": film.version}, **HTMX
    )
    assert response.status_code == 403
    film.refresh_from_db()
    assert film.status == "planned"


def test_viewer_reads_the_milestone_page_without_controls(signed_in, plan, viewer):
    page = signed_in(viewer).get(url("milestone_detail", plan["film"])).content.decode()
    main = page.split("<main")[1]
    assert "Hero film cut" in main
    for control in ("<form", "<select", "Reschedule", "Mark completed", "Add deliverable"):
        assert control not in main


def test_a_completed_milestone_offers_no_reschedule(signed_in, workspace, manager, project):
    done = MilestoneFactory(project=project)
    milestone_services.milestone_complete(milestone=done, actor=manager)
    page = signed_in(manager).get(url("milestone_detail", done)).content.decode()
    assert "Reschedule" not in page and "Mark completed" not in page


def test_rebaseline_is_for_managers(signed_in, plan, manager, member):
    film = plan["film"]
    film = milestone_services.milestone_reschedule(
        milestone=film, new_date=film.due_date + timedelta(days=4), reason="Late", actor=manager
    )
    rebaseline = url("milestone_rebaseline", film)
    assert (
        "Re-baseline to"
        not in signed_in(member).get(url("milestone_detail", film)).content.decode()
    )
    assert signed_in(member).post(rebaseline, {"version": film.version}).status_code == 403
    assert (
        "Re-baseline to" in signed_in(manager).get(url("milestone_detail", film)).content.decode()
    )
    signed_in(manager).post(rebaseline, {"version": film.version})
    film.refresh_from_db()
    assert film.baseline_due_date == film.due_date
