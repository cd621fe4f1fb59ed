"""CSV export of milestones and deliverables, per project and for the filtered portfolio."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deliverables.models import Deliverable
from deliverables.services import deliverables as deliverable_services
from projects.models import Project
from tests.factories import (
    ClientFactory,
    DeliverableFactory,
    MilestoneFactory,
    PhaseFactory,
    ProjectFactory,
    ShareLinkFactory,
    one_refresh,
)

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_project_milestones_csv_has_headers_and_derived_columns(
    client, viewer, workspace, project, manager
):
    today = workspace.today()
    project.client = ClientFactory(workspace=workspace, name="Northwind Coffee")
    project.save()
    late = MilestoneFactory(
        project=project,
        phase=PhaseFactory(project=project, name="Production"),
        owner=manager,
        title="Holiday creatives approved",
        due_date=today - timedelta(days=2),
        baseline_due_date=today - timedelta(days=5),
        kpi_name="Sign-ups",
        kpi_target=5000,
    )
    DeliverableFactory(milestone=late, status=Deliverable.Status.IN_PROGRESS)
    MilestoneFactory(project=project, title="Launch", due_date=today + timedelta(days=40))
    client.force_login(viewer)

    response = client.get(reverse("projects:export_milestones", args=[project.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{project.name.lower().replace(" ", "-")}'
        f'-milestones-{today.isoformat()}.csv"'
    )
    rows = rows_of(response)
    assert [row["Milestone"] for row in rows] == ["Holiday creatives approved", "Launch"]
    first = rows[0]
    assert first["Project"] == project.name
    assert first["Client"] == "Northwind Coffee"
    assert first["Phase"] == "Production"
    assert first["Owner"] == manager.get_full_name()
    assert first["Due date"] == (today - timedelta(days=2)).isoformat()
    assert first["Slip (days)"] == "3"
    assert first["Overdue"] == "yes"
    assert first["Health"] == "Off track"
    assert (first["Deliverables done"], first["Deliverables total"]) == ("0", "1")
    assert (first["KPI"], first["KPI target"]) == ("Sign-ups", "5000.00")
    assert (rows[1]["Overdue"], rows[1]["Health"], rows[1]["Slip (days)"]) == (
        "no",
        "On track",
        "0",
    )


def test_project_deliverables_csv_names_the_external_approver(
    client, member, workspace, project, manager
):
    today = workspace.today()
    milestone = MilestoneFactory(project=project, title="Launch")
    approved = DeliverableFactory(
        milestone=milestone, title="Hero video", status=Deliverable.Status.IN_REVIEW
    )
    deliverable_services.deliverable_client_signoff(
        link=ShareLinkFactory(project=project),
        deliverable=approved,
        decision="approve",
        reviewer_name="Dana Client",
        reviewer_email="d@c.example",
    )
    DeliverableFactory(milestone=milestone, title="Banner", due_date=today - timedelta(days=1))
    client.force_login(member)

    response = client.get(reverse("projects:export_deliverables", args=[project.pk]))

    rows = {row["Deliverable"]: row for row in rows_of(response)}
    assert response["Content-Disposition"].endswith(f'-deliverables-{today.isoformat()}.csv"')
    assert rows["Hero video"]["Status"] == "Approved"
    assert rows["Hero video"]["Approved by"] == "Dana Client"
    assert rows["Hero video"]["Overdue"] == "no"
    assert rows["Banner"]["Overdue"] == "yes"
    assert rows["Banner"]["Milestone"] == "Launch"


def test_cells_that_look_like_formulas_are_kept_as_text(client, member, project):
    MilestoneFactory(project=project, title='=HYPERLINK("http://evil.example","Click")')
    client.force_login(member)

    rows = rows_of(client.get(reverse("projects:export_milestones", args=[project.pk])))

    assert rows[0]["Milestone"] == '\'=HYPERLINK("http://evil.example","Click")'


def test_portfolio_export_applies_the_dashboard_filters(client, member, workspace):
    active = ProjectFactory(workspace=workspace, name="Spring sale", status=Project.Status.ACTIVE)
    paused = ProjectFactory(workspace=workspace, name="Podcast", status=Project.Status.ON_HOLD)
    MilestoneFactory(project=active, title="Sale starts")
    MilestoneFactory(project=paused, title="Pilot episode")
    client.force_login(member)

    everything = rows_of(client.get(reverse("projects:export_milestones")))
    filtered = client.get(reverse("projects:export_milestones"), {"status": "active"})

    assert {row["Milestone"] for row in everything} == {"Sale starts", "Pilot episode"}
    assert [row["Milestone"] for row in rows_of(filtered)] == ["Sale starts"]
    assert filtered["Content-Disposition"].startswith(f'attachment; filename="{workspace.slug}-')


def test_portfolio_export_leaves_out_other_workspaces(client, member, project):
    MilestoneFactory(project=project, title="Ours")
    MilestoneFactory(project=ProjectFactory(), title="Theirs")
    client.force_login(member)

    rows = rows_of(client.get(reverse("projects:export_deliverables")))
    milestones = rows_of(client.get(reverse("projects:export_milestones")))

    assert rows == []
    assert [row["Milestone"] for row in milestones] == ["Ours"]


def test_another_workspaces_project_is_404(client, outsider, project):
    client.force_login(outsider)

    assert client.get(reverse("projects:export_milestones", args=[project.pk])).status_code == 404
    assert client.get(reverse("projects:export_deliverables", args=[project.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, project):
    response = client.get(reverse("projects:export_milestones", args=[project.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@one_refresh()
def build(workspace, owner, *, projects: int, milestones: int) -> None:
    created = [ProjectFactory(workspace=workspace, owner=owner) for _ in range(projects)]
    for n in range(milestones):
        milestone = MilestoneFactory(project=created[n % projects], owner=owner)
        DeliverableFactory(milestone=milestone, owner=owner)


def export_queries(client) -> dict[str, tuple[int, int]]:
    """{export: (queries, rows)} for both portfolio exports."""
    counts = {}
    for name in ("projects:export_milestones", "projects:export_deliverables"):
        with CaptureQueriesContext(connection) as captured:
            rows = rows_of(client.get(reverse(name)))
        counts[name] = (len(captured.captured_queries), len(rows))
    return counts


def test_query_count_does_not_grow_with_rows(client, workspace, manager):
    client.force_login(manager)
    build(workspace, manager, projects=2, milestones=10)
    small = export_queries(client)
    build(workspace, manager, projects=38, milestones=390)
    large = export_queries(client)

    for name, (queries, rows) in small.items():
        assert rows == 10
        assert large[name] == (queries, 400)
