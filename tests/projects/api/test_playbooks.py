"""Playbooks through the API: list and read templates, preview with `dry_run`,
instantiate, save a project as a template."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Milestone, Project, Template
from projects.playbooks.services import template_instantiate, template_save_from_project
from tests.factories import WorkspaceFactory

pytestmark = pytest.mark.django_db

BLACK_FRIDAY = "2026-11-27"


def bfcm() -> Template:
    return Template.objects.get(workspace=None, key="black-friday-cyber-monday")


def instantiate(api, template, **body):
    return api.post(f"/api/v1/templates/{template.pk}/instantiate/", body, format="json")


def test_list_shows_builtins_and_own_templates_with_their_shape(
    api_as, workspace, manager, outsider
):
    project = template_instantiate(
        template=bfcm(), workspace=workspace, actor=manager, name="BFCM 2025",
        direction="backward", on=date(2025, 11, 28),
    )  # fmt: skip
    own = template_save_from_project(project=project, actor=manager, name="Our BFCM")
    rows = api_as(manager).get("/api/v1/templates/?page_size=50").json()["results"]
    by_name = {row["name"]: row for row in rows}
    assert len(rows) == 10
    assert by_name["Our BFCM"]["workspace"] == workspace.pk
    shipped = by_name["Black Friday / Cyber Monday"]
    assert shipped["is_builtin"] and shipped["plans_backward"]
    assert (shipped["phase_count"], shipped["milestone_count"]) == (4, 11)
    assert shipped["anchor_title"] == "Black Friday sale starts"
    outsiders = api_as(outsider).get("/api/v1/templates/").json()
    assert own.pk not in {row["id"] for row in outsiders["results"]}
    assert outsiders["count"] == 9
    builtins = api_as(manager).get("/api/v1/templates/?builtin=true").json()
    assert builtins["count"] == 9


def test_detail_shows_the_structure(api_as, member):
    body = api_as(member).get(f"/api/v1/templates/{bfcm().pk}/").json()
    assert [phase["name"] for phase in body["phases"]][:2] == ["Offer planning", "Build"]
    titles = {m["id"]: m["title"] for m in body["milestones"]}
    sale = next(m for m in body["milestones"] if m["is_anchor"])
    assert sale["title"] == "Black Friday sale starts" and sale["offset_days"] == 49
    assert {titles[pk] for pk in sale["depends_on"]} >= {"Site ready for peak traffic"}
    assert any(m["deliverables"] for m in body["milestones"])


def test_dry_run_previews_every_date_and_creates_nothing(api_as, workspace, manager):
    response = instantiate(
        api_as(manager), bfcm(), workspace=workspace.pk, direction="backward",
        date=BLACK_FRIDAY, skip_weekends=True, dry_run=True,
    )  # fmt: skip
    assert response.status_code == 200, response.json()
    plan = response.json()
    dates = {m["title"]: m["due_date"] for p in plan["phases"] for m in p["milestones"]}
    assert dates["Black Friday sale starts"] == BLACK_FRIDAY
    assert dates["Cyber Monday close"] == "2026-11-30"
    assert len(dates) == 11
    assert Project.objects.count() == 0


def test_manager_creates_a_planned_black_friday_campaign_with_the_team(
    api_as, workspace, manager, member
):
    response = instantiate(
        api_as(manager), bfcm(), workspace=workspace.pk, name="BFCM 2026",
        direction="backward", date=BLACK_FRIDAY, skip_weekends=True,
        roles={"Campaign manager": manager.pk, "CRM lead": member.pk},
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    project = response.json()
    assert project["name"] == "BFCM 2026" and project["milestones_total"] == 11
    assert response["ETag"]
    sale = Milestone.objects.get(project_id=project["id"], title="Black Friday sale starts")
    assert (sale.due_date, sale.owner) == (date(2026, 11, 27), manager)
    crm = Milestone.objects.get(project_id=project["id"], title="Email and SMS programme scheduled")
    assert crm.owner == member


def test_bad_input_is_a_400_with_field_messages_and_writes_nothing(
    api_as, workspace, manager, outsider
):
    api = api_as(manager)
    base = {"direction": "forward", "date": BLACK_FRIDAY, "name": "x"}
    cases = [
        ({**base, "direction": "sideways"}, "direction"),
        ({**base, "date": "27/11/2026"}, "date"),
        ({"direction": "forward", "date": BLACK_FRIDAY}, "name"),
        ({**base, "roles": {"CRM lead": 999999}}, "roles"),
        ({**base, "roles": {"CRM lead": outsider.pk}}, "roles"),
        ({**base, "colour": "red"}, "colour"),
    ]
    for body, field in cases:
        response = instantiate(api, bfcm(), workspace=workspace.pk, **body)
        assert response.status_code == 400, (body, response.json())
        assert field in response.json()["errors"], (body, response.json())
    assert Project.objects.count() == 0


def test_viewers_and_members_cannot_instantiate_or_preview(api_as, workspace, viewer, member):
    for user in (viewer, member):
        for dry_run in (True, False):
            response = instantiate(
                api_as(user), bfcm(), workspace=workspace.pk, name="x",
                direction="forward", date=BLACK_FRIDAY, dry_run=dry_run,
            )  # fmt: skip
            assert response.status_code == 403
    assert Project.objects.count() == 0


def test_another_workspaces_template_cannot_be_used(api_as, workspace, manager):
    other = WorkspaceFactory()
    foreign = Template.objects.create(workspace=other, name="Theirs")
    response = instantiate(
        api_as(manager), foreign, workspace=workspace.pk, name="x", direction="forward",
        date=BLACK_FRIDAY,
    )  # fmt: skip
    assert response.status_code == 404


def test_save_as_template_keeps_the_structure(api_as, workspace, manager):
    project = template_instantiate(
        template=bfcm(), workspace=workspace, actor=manager, name="BFCM 2026",
        direction="backward", on=date(2026, 11, 27),
    )  # fmt: skip
    response = api_as(manager).post(
        f"/api/v1/projects/{project.pk}/save-as-template/", {"name": "Our BFCM"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["workspace"] == workspace.pk and body["milestone_count"] == 11
    assert len(body["milestones"]) == 11


def test_template_list_query_count_does_not_grow(api_as, workspace, manager):
    api = api_as(manager)
    project = template_instantiate(
        template=bfcm(), workspace=workspace, actor=manager, name="Base",
        direction="forward", on=date(2027, 1, 4),
    )  # fmt: skip

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get("/api/v1/templates/?page_size=100").status_code == 200
        return len(captured.captured_queries)

    template_save_from_project(project=project, actor=manager, name="One")
    count_queries()  # the token's first use records its last-used time
    few = count_queries()
    for n in range(10):
        template_save_from_project(project=project, actor=manager, name=f"Copy {n}")
    assert count_queries() == few
