"""My work: what I own, grouped overdue / this week / later, with inline controls, paged."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from notifications.models import NotificationPreference
from projects.selectors.my_work import WORK_PER_PAGE, my_work
from tests.factories import DeliverableFactory, MilestoneFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def section(page: str, title: str) -> str:
    start = page.index(f'class="group-title">{title} ')
    return page[start : page.index("</section>", start)]


def test_groups_my_open_work_by_due_date(signed_in, workspace, member, manager, outsider):
    today = workspace.today()
    project = ProjectFactory(workspace=workspace, name="Copper Kettle turns 10")
    MilestoneFactory(project=project, owner=member, title="Late one", due_date=today - timedelta(2))
    soon = MilestoneFactory(project=project, owner=member, title="Soon", due_date=today)
    MilestoneFactory(project=project, owner=member, title="Far", due_date=today + timedelta(30))
    MilestoneFactory(project=project, owner=manager, title="Someone else's")
    MilestoneFactory(
        project=project,
        owner=member,
        title="Done already",
        status="completed",
        completed_at="2026-01-01T00:00Z",
    )
    DeliverableFactory(milestone=soon, owner=member, title="Microsite copy", due_date=today)
    DeliverableFactory(
        milestone=soon,
        owner=member,
        title="Signed off",
        status="approved",
        approved_at="2026-01-01T00:00Z",
    )
    foreign = ProjectFactory(workspace=outsider.memberships.get().workspace)
    MilestoneFactory(project=foreign, owner=member, title="Foreign")

    page = signed_in(member).get(reverse("projects:my_work")).content.decode()
    assert "<title>My work · Milestones</title>" in page
    assert "Late one" in section(page, "Overdue")
    this_week = section(page, "This week")
    assert "Soon" in this_week and "Microsite copy" in this_week
    assert 'name="status"' in this_week  # inline milestone status
    assert "Submit for review: Microsite copy" in this_week  # inline deliverable move
    assert "Far" in section(page, "Later")
    for absent in ("Someone else&#x27;s", "Done already", "Signed off", "Foreign"):
        assert absent not in page


def test_empty_state(signed_in, member):
    page = signed_in(member).get(reverse("projects:my_work")).content.decode()
    assert "Nothing on your plate" in page


def listing(work) -> list[tuple[str, str]]:
    """(group, title) of every row on one page of my work, top to bottom."""
    return [
        (group.key, (row.milestone or row.deliverable).title)
        for group in work.groups
        for row in group.rows
    ]


MONDAY, WEDNESDAY = date(2026, 12, 7), date(2026, 12, 9)


def test_pages_cut_the_listing_across_groups_and_kinds(workspace, member):
    today = MONDAY
    project = ProjectFactory(workspace=workspace)
    for days, name in ((-3, "late"), (2, "soon"), (20, "far")):
        due = today + timedelta(days)
        milestone = MilestoneFactory(project=project, owner=member, title=f"{name} M", due_date=due)
        DeliverableFactory(milestone=milestone, owner=member, title=f"{name} D", due_date=due)
    DeliverableFactory(milestone=milestone, owner=member, title="undated D", due_date=None)
    expected = [
        ("overdue", "late M"),
        ("overdue", "late D"),
        ("this_week", "soon M"),
        ("this_week", "soon D"),
        ("later", "far M"),
        ("later", "far D"),
        ("later", "undated D"),  # no due date: later, after the dated ones
    ]

    pages = [
        my_work(user=member, workspace=workspace, page=n, per_page=3, today=today)
        for n in (1, 2, 3)
    ]

    assert [listing(work) for work in pages] == [expected[:3], expected[3:6], expected[6:]]
    for work in pages:  # a group's badge counts all its rows, not the page's
        assert [group.size for group in work.groups] == [2, 2, 3]
        assert work.total == 7
    assert pages[0].page.paginator.num_pages == 3


def test_milestones_and_deliverables_are_listed_together_by_due_date(workspace, member):
    """A deliverable due today comes before a milestone due on Sunday; on a shared day the
    milestone comes first."""
    project = ProjectFactory(workspace=workspace)
    sunday = MilestoneFactory(
        project=project, owner=member, title="Sunday M", due_date=WEDNESDAY + timedelta(4)
    )
    friday = MilestoneFactory(
        project=project, owner=member, title="Friday M", due_date=WEDNESDAY + timedelta(2)
    )
    DeliverableFactory(milestone=sunday, owner=member, title="Today D", due_date=WEDNESDAY)
    DeliverableFactory(milestone=friday, owner=member, title="Friday D", due_date=friday.due_date)
    DeliverableFactory(
        milestone=sunday, owner=member, title="Thursday D", due_date=WEDNESDAY + timedelta(1)
    )

    work = my_work(user=member, workspace=workspace, today=WEDNESDAY)

    assert listing(work) == [
        ("this_week", "Today D"),
        ("this_week", "Thursday D"),
        ("this_week", "Friday M"),
        ("this_week", "Friday D"),
        ("this_week", "Sunday M"),
    ]


def test_this_week_is_the_calendar_week_to_sunday(workspace, member):
    """On a Wednesday, "this week" ends on Sunday: Monday next is later, though it is within
    the next 7 days; Monday and Tuesday of this week are overdue."""
    project = ProjectFactory(workspace=workspace)
    for title, days in (("Monday", -2), ("Today", 0), ("Sunday", 4), ("Next Monday", 5)):
        MilestoneFactory(
            project=project, owner=member, title=title, due_date=WEDNESDAY + timedelta(days)
        )

    work = my_work(user=member, workspace=workspace, today=WEDNESDAY)

    assert listing(work) == [
        ("overdue", "Monday"),
        ("this_week", "Today"),
        ("this_week", "Sunday"),
        ("later", "Next Monday"),
    ]
    assert work.week_end == date(2026, 12, 13)
    assert [group.size for group in work.groups] == [1, 2, 1]


def test_the_page_says_when_this_week_ends(signed_in, workspace, member):
    today = workspace.today()
    sunday = today + timedelta(days=6 - today.weekday())
    MilestoneFactory(project=ProjectFactory(workspace=workspace), owner=member, due_date=today)

    page = signed_in(member).get(reverse("projects:my_work")).content.decode()

    assert f"Due from today to Sunday {sunday.day} {sunday:%B}" in section(page, "This week")


def test_this_week_is_the_week_of_the_readers_own_day(signed_in, workspace, member):
    """Sunday evening in the workspace (UTC) is already Monday in Kiritimati (UTC+14): for
    someone there "this week" is the new week."""
    NotificationPreference.objects.create(user=member, timezone="Pacific/Kiritimati")
    project = ProjectFactory(workspace=workspace)
    MilestoneFactory(project=project, owner=member, title="Wednesday", due_date=date(2026, 12, 9))
    MilestoneFactory(project=project, owner=member, title="Sunday", due_date=date(2026, 12, 6))

    with time_machine.travel(datetime(2026, 12, 6, 20, 0, tzinfo=UTC), tick=False):
        page = signed_in(member).get(reverse("projects:my_work")).content.decode()

    assert "Wednesday" in section(page, "This week")
    assert "Sunday" in section(page, "Overdue")
    assert "Due from today to Sunday 13 December" in page


def test_long_lists_are_paged(signed_in, workspace, member):
    project = ProjectFactory(workspace=workspace)
    today = workspace.today()
    for n in range(WORK_PER_PAGE + 5):
        MilestoneFactory(project=project, owner=member, title=f"Task {n:02}", due_date=today)
    client = signed_in(member)

    first = client.get(reverse("projects:my_work")).content.decode()
    second = client.get(reverse("projects:my_work") + "?page=2").content.decode()

    assert first.count('class="rowtitle"') == WORK_PER_PAGE
    assert second.count('class="rowtitle"') == 5
    assert "Task 00" in first and "Task 54" in second and "Task 54" not in first
    assert "Page 1 of 2" in first and 'href="?page=2" rel="next"' in first
    assert "Page 2 of 2" in second and 'href="?page=1" rel="prev"' in second
    for page in (first, second):
        assert f'This week <span class="badge">{WORK_PER_PAGE + 5}</span>' in page
