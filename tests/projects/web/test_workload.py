"""The workload page: each member's open milestones and deliverables due per week across
the workspace's planning and active projects, weeks over the workspace's limit flagged, the
items behind a cell, filters by client and project, and a query count that does not grow."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects.selectors.workload import workload
from tests.factories import (
    ClientFactory,
    DeliverableFactory,
    MembershipFactory,
    MilestoneFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 23)  # Black Friday week: Monday 23 to Sunday 29 November 2026
PAGE = reverse("projects:workload")


@pytest.fixture
def team(workspace, manager, member):
    """Hand-counted: in the week of 23 November the member owns 2 milestones and 2 open
    deliverables (4, over a limit of 3), the manager 1 milestone; the next week the member
    owns 1 deliverable. Done, cancelled, unowned and closed-project work does not count."""
    workspace.weekly_load_limit = 3
    workspace.save()
    fjord = ClientFactory(workspace=workspace, name="Fjordline")
    copper = ClientFactory(workspace=workspace, name="Copper Kettle")
    bfcm = ProjectFactory(workspace=workspace, client=fjord, name="BFCM", status="active")
    bakery = ProjectFactory(workspace=workspace, client=copper, name="Bakery", status="planning")
    done = ProjectFactory(workspace=workspace, client=fjord, name="Done", status="completed")
    sale = MilestoneFactory(project=bfcm, owner=member, due_date=MONDAY + timedelta(4))
    MilestoneFactory(project=bakery, owner=member, due_date=MONDAY + timedelta(6))
    MilestoneFactory(project=bfcm, owner=manager, due_date=MONDAY)
    MilestoneFactory(
        project=bfcm, owner=member, due_date=MONDAY, status="completed", completed_at=timezone.now()
    )
    MilestoneFactory(project=bfcm, owner=member, due_date=MONDAY, status="cancelled")
    MilestoneFactory(project=bfcm, owner=None, due_date=MONDAY)
    MilestoneFactory(project=done, owner=member, due_date=MONDAY)
    DeliverableFactory(milestone=sale, owner=member, due_date=MONDAY + timedelta(2))
    DeliverableFactory(milestone=sale, owner=member, due_date=MONDAY + timedelta(3))
    DeliverableFactory(
        milestone=sale,
        owner=member,
        due_date=MONDAY + timedelta(3),
        status="approved",
        approved_at=timezone.now(),
    )
    DeliverableFactory(milestone=sale, owner=member, due_date=MONDAY + timedelta(8))
    return {"fjord": fjord, "copper": copper, "bfcm": bfcm}


def loads(result) -> dict[str, list[int]]:
    return {person.name: [week.total for week in person.weeks] for person in result.people}


def test_counts_per_person_and_week_match_the_hand_count(team, workspace, manager, member):
    result = workload(user=manager, workspace=workspace, start=MONDAY + timedelta(2), weeks=3)
    assert result.weeks == [MONDAY, MONDAY + timedelta(7), MONDAY + timedelta(14)]
    by_name = {person.name: person for person in result.people}
    mine = by_name[member.get_full_name()]
    assert [(w.milestones, w.deliverables) for w in mine.weeks] == [(2, 2), (0, 1), (0, 0)]
    assert [w.overloaded for w in mine.weeks] == [True, False, False]
    assert [w.total for w in by_name[manager.get_full_name()].weeks] == [1, 0, 0]
    assert len(result.people) == 2  # every member, idle ones too


def test_filters_by_client_and_project(team, workspace, manager, member):
    copper = workload(
        user=manager, workspace=workspace, start=MONDAY, weeks=1, client=team["copper"].pk
    )
    assert loads(copper)[member.get_full_name()] == [1]
    bfcm = workload(
        user=manager, workspace=workspace, start=MONDAY, weeks=1, project=team["bfcm"].pk
    )
    assert loads(bfcm)[member.get_full_name()] == [3]


def test_the_page_flags_the_overloaded_week_and_links_to_its_items(
    signed_in, team, manager, member
):
    client = signed_in(manager)
    page = client.get(PAGE + f"?start={MONDAY}&weeks=4").content.decode()
    assert "Week of 23 Nov" in page and "Week of 14 Dec" in page
    [row] = [row for row in page.split("<tr>") if f"person={member.pk}&" in row]
    assert "Overloaded" in row
    assert row.count("workload__cell--over") == 1
    link = f"?start={MONDAY}&amp;weeks=4&amp;person={member.pk}&amp;week={MONDAY}#week-items"
    assert f'href="{link}"' in row

    items = client.get(
        PAGE + f"?start={MONDAY}&weeks=4&person={member.pk}&week={MONDAY}"
    ).content.decode()
    listed = items.split('id="week-items"')[1]
    assert listed.count("◆") == 2 and listed.count("▪") == 2


def test_the_weekly_limit_is_a_workspace_setting(signed_in, workspace, owner):
    response = signed_in(owner).post(
        reverse("projects:workspace_update"),
        {
            "name": workspace.name,
            "timezone": workspace.timezone,
            "reminder_lead_days": "7, 1",
            "overdue_repeat_days": 1,
            "overdue_repeat_limit": 5,
            "warning_window_days": 3,
            "weekly_load_limit": 8,
        },
    )
    assert response.status_code == 302
    workspace.refresh_from_db()
    assert workspace.weekly_load_limit == 8


def test_another_workspaces_people_and_work_never_show(signed_in, team, outsider, member):
    page = signed_in(outsider).get(PAGE + f"?start={MONDAY}").content.decode()
    assert member.get_full_name() not in page
    items = signed_in(outsider).get(PAGE + f"?person={member.pk}&week={MONDAY}").content.decode()
    assert 'id="week-items"' not in items


def test_query_count_does_not_grow_with_people_and_items(signed_in, workspace, manager):
    client = signed_in(manager)

    def queries_after_adding(count: int) -> int:
        project = ProjectFactory(workspace=workspace, status="active")
        for n in range(count):
            person = MembershipFactory(workspace=workspace).user
            milestone = MilestoneFactory(
                project=project, owner=person, due_date=MONDAY + timedelta(n % 7)
            )
            DeliverableFactory(milestone=milestone, owner=person, due_date=MONDAY)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PAGE + f"?start={MONDAY}").status_code == 200
        return len(captured.captured_queries)

    assert queries_after_adding(2) == queries_after_adding(20)


def test_the_dashboard_leads_to_the_workload(signed_in, workspace, member):
    page = signed_in(member).get(reverse("projects:dashboard")).content.decode()
    assert f'<a class="btn" href="{PAGE}">Workload</a>' in page
