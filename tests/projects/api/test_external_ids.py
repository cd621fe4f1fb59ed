"""External ids: an integration's own id on projects, milestones and deliverables, unique
per workspace and kind of row, written and read through the API and filterable."""

import pytest

from projects.models import Project
from projects.services import projects as project_services
from tests.factories import MembershipFactory, MilestoneFactory, WorkspaceFactory

API = "/api/v1"


def created(response) -> dict:
    assert response.status_code == 201, response.content
    return response.json()


@pytest.mark.django_db
def test_external_ids_are_written_shown_filtered_and_unique_per_workspace(
    api_as, manager, workspace, project
):
    api = api_as(manager)
    milestone = MilestoneFactory(project=project)
    made = {
        "projects": created(
            api.post(
                f"{API}/projects/",
                {
                    "workspace": workspace.pk,
                    "name": "P",
                    "start_date": "2027-01-01",
                    "external_id": "crm-7",
                },
            )
        ),
        "milestones": created(
            api.post(
                f"{API}/milestones/",
                {
                    "project": project.pk,
                    "title": "M",
                    "due_date": "2027-01-01",
                    "external_id": "crm-7",
                },
            )
        ),
        "deliverables": created(
            api.post(
                f"{API}/deliverables/",
                {"milestone": milestone.pk, "title": "D", "external_id": "crm-7"},
            )
        ),
    }
    for resource, row in made.items():
        # The same id on another kind of row is fine; twice on one kind is a field error.
        assert row["external_id"] == "crm-7"
        listed = api.get(f"{API}/{resource}/?external_id=crm-7&external_id=other")
        assert [r["id"] for r in listed.json()["results"]] == [row["id"]]
        assert api.get(f"{API}/{resource}/{row['id']}/").json()["external_id"] == "crm-7"
    duplicate = api.post(
        f"{API}/milestones/",
        {"project": project.pk, "title": "M2", "due_date": "2027-01-01", "external_id": "crm-7"},
    )
    assert duplicate.status_code == 400
    assert "unique per workspace" in duplicate.json()["errors"]["external_id"][0]
    renamed = api.patch(f"{API}/projects/{project.pk}/", {"external_id": "crm-7"})
    assert renamed.status_code == 400 and "external_id" in renamed.json()["errors"]
    moved = api.patch(f"{API}/deliverables/{made['deliverables']['id']}/", {"external_id": "crm-8"})
    assert moved.status_code == 200 and moved.json()["external_id"] == "crm-8"
    cleared = api.patch(f"{API}/projects/{made['projects']['id']}/", {"external_id": ""})
    assert cleared.json()["external_id"] == ""
    assert Project.objects.get(pk=made["projects"]["id"]).external_key is None


@pytest.mark.django_db
def test_another_workspace_may_use_the_same_external_id(manager, owner, workspace):
    elsewhere = WorkspaceFactory()
    MembershipFactory(workspace=elsewhere, user=owner, role="owner")
    for target in (workspace, elsewhere):
        project_services.project_create(
            workspace=target, actor=owner, name="P", start_date="2027-01-01", external_id="x-1"
        )
    assert Project.objects.filter(external_id="x-1").count() == 2


@pytest.mark.django_db
def test_project_totals_count_what_the_project_lists_count(api_as, manager, plan):
    api = api_as(manager)
    project = plan["project"]
    ok = api.patch(f"{API}/milestones/{plan['launch'].pk}/", {"status": "cancelled"})
    assert ok.status_code == 200, ok.content
    shown = api.get(f"{API}/projects/{project.pk}/").json()
    milestones = api.get(f"{API}/milestones/?project={project.pk}").json()["count"]
    deliverables = api.get(f"{API}/deliverables/?project={project.pk}").json()["count"]
    assert shown["milestones_total"] == milestones == 2
    assert shown["deliverables_total"] == deliverables == 1
    assert shown["milestones_in_scope"] == 1  # the cancelled one is out of progress
    listed = api.get(f"{API}/projects/?page_size=50").json()["results"]
    assert [p["milestones_total"] for p in listed if p["id"] == project.pk] == [2]
