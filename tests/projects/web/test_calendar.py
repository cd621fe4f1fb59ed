"""The calendar page: a month of milestone and deliverable due dates."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.selectors.calendar import calendar_month
from tests.factories import DeliverableFactory, MilestoneFactory, ProjectFactory, one_refresh

pytestmark = pytest.mark.django_db

NOVEMBER = date(2026, 11, 1)
URL = reverse("projects:calendar")


def shown_titles(response) -> list[str]:
    return [
        item.title
        for week in response.context["calendar"].weeks
        for day in week
        for item in day.items
    ]


def test_month_shows_due_dates_on_their_days(client, viewer, project):
    launch = MilestoneFactory(project=project, title="Launch day", due_date=date(2026, 11, 27))
    DeliverableFactory(milestone=launch, title="Press kit", due_date=date(2026, 11, 20))
    MilestoneFactory(project=project, title="January recap", due_date=date(2027, 1, 15))
    client.force_login(viewer)

    response = client.get(URL, {"month": "2026-11"})

    assert response.status_code == 200
    days = {day.day: day for week in response.context["calendar"].weeks for day in week}
    assert [item.title for item in days[date(2026, 11, 27)].items] == ["Launch day"]
    assert [item.title for item in days[date(2026, 11, 20)].items] == ["Press kit"]
    assert "January recap" not in shown_titles(response)
    page = response.content.decode()
    assert "November 2026" in page
    assert f'href="/milestones/{launch.pk}/"' in page
    assert '<form method="post"' not in page.split('id="main"')[1]  # nothing to change here


def test_weeks_start_on_monday_and_spill_into_neighbouring_months(client, viewer, project):
    MilestoneFactory(project=project, title="Kick-off", due_date=date(2026, 10, 26))
    client.force_login(viewer)

    calendar = client.get(URL, {"month": "2026-11"}).context["calendar"]

    assert calendar.weeks[0][0].day == date(2026, 10, 26)
    assert not calendar.weeks[0][0].in_month
    assert [item.title for item in calendar.weeks[0][0].items] == ["Kick-off"]
    assert calendar.item_count == 0  # the spill-over day is not in November
    assert (calendar.previous_month, calendar.next_month) == (date(2026, 10, 1), date(2026, 12, 1))


def test_filter_by_project(client, member, workspace, project):
    other = ProjectFactory(workspace=workspace, name="Brand refresh")
    MilestoneFactory(project=project, title="Mine", due_date=date(2026, 11, 5))
    MilestoneFactory(project=other, title="Theirs", due_date=date(2026, 11, 6))
    client.force_login(member)

    response = client.get(URL, {"month": "2026-11", "project": other.pk})

    assert shown_titles(response) == ["Theirs"]
    assert response.context["calendar"].project == other


def test_other_workspaces_stay_out_and_their_project_filter_is_404(client, member, project):
    foreign = ProjectFactory(name="Competitor launch")
    MilestoneFactory(project=foreign, title="Their secret", due_date=date(2026, 11, 5))
    client.force_login(member)

    assert shown_titles(client.get(URL, {"month": "2026-11"})) == []
    assert client.get(URL, {"month": "2026-11", "project": foreign.pk}).status_code == 404


def test_bad_month_falls_back_to_the_current_month(client, member, workspace):
    client.force_login(member)

    response = client.get(URL, {"month": "2026-13"})

    assert response.status_code == 200
    assert response.context["calendar"].month == workspace.today().replace(day=1)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@one_refresh()
def build(workspace, owner, *, projects: int, milestones: int) -> None:
    """`milestones` spread over `projects` new projects, each with a deliverable due."""
    created = [ProjectFactory(workspace=workspace, owner=owner) for _ in range(projects)]
    for n in range(milestones):
        milestone = MilestoneFactory(
            project=created[n % projects], owner=owner, due_date=NOVEMBER + timedelta(days=n % 30)
        )
        DeliverableFactory(milestone=milestone, due_date=milestone.due_date)


def page_queries(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, {"month": "2026-11"})
    assert response.status_code == 200
    return len(captured.captured_queries), response.context["calendar"].item_count


def test_query_count_does_not_grow_with_projects_or_milestones(client, workspace, manager):
    client.force_login(manager)
    build(workspace, manager, projects=2, milestones=10)
    small, small_items = page_queries(client)
    build(workspace, manager, projects=38, milestones=390)
    large, large_items = page_queries(client)

    assert (small_items, large_items) == (20, 800)  # a milestone and a deliverable each
    assert small == large


def test_selector_costs_three_queries(workspace, manager):
    build(workspace, manager, projects=3, milestones=30)
    with CaptureQueriesContext(connection) as captured:
        month = calendar_month(user=manager, workspace=workspace, month=NOVEMBER)
    assert month.item_count == 60
    assert len(captured.captured_queries) == 3  # projects, milestones, deliverables


def chip_classes(page: str) -> dict[str, str]:
    """The classes of each calendar chip, by the address it links to."""
    found = re.findall(r'<li class="x-chip ([^"]+)">\s*<a href="([^"]+)"', page)
    return {href: classes for classes, href in found}


def test_chips_take_the_status_palette(client, viewer, project):
    """Completed work looks completed on the calendar too, and only late work is red."""
    done = MilestoneFactory(
        project=project,
        title="Teaser live",
        due_date=date(2026, 11, 3),
        status="completed",
        completed_at="2026-11-03T10:00Z",
    )
    late = MilestoneFactory(project=project, title="Press day", due_date=date(2026, 11, 4))
    later = MilestoneFactory(project=project, title="Recap", due_date=date(2099, 3, 9))
    review = DeliverableFactory(
        milestone=later, title="Recap deck", due_date=date(2099, 3, 5), status="in_review"
    )
    client.force_login(viewer)

    past = chip_classes(client.get(URL, {"month": "2026-11"}).content.decode())
    future = chip_classes(client.get(URL, {"month": "2099-03"}).content.decode())

    assert past[f"/milestones/{done.pk}/"] == "x-chip--milestone tone-done"
    assert past[f"/milestones/{late.pk}/"] == "x-chip--milestone tone-late"  # past due, open
    assert future[f"/milestones/{later.pk}/"] == "x-chip--milestone tone-idle"
    assert future[f"/milestones/{later.pk}/#deliverable-{review.pk}"] == (
        "x-chip--deliverable tone-review"
    )
