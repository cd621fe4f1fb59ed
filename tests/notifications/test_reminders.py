"""The reminder scan: lead days, overdue repeats, recipients, timezones, idempotence, cost."""

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from notifications.models import Kind, Notification, NotificationPreference
from notifications.preferences import local_today
from notifications.reminders import occasion_on, overdue_offsets, reminder_scan
from projects.models import Milestone, Project, Role
from projects.services import milestones as milestone_services
from tests.factories import (
    DeliverableFactory,
    MembershipFactory,
    MilestoneFactory,
    ProjectFactory,
    WorkspaceFactory,
    made_in_bulk,
)

LOS_ANGELES = "America/Los_Angeles"  # UTC-8 in winter, UTC-7 in summer
TOKYO = "Asia/Tokyo"  # UTC+9 all year


def at(zone: str, *args) -> datetime:
    """An instant given as a wall-clock time somewhere."""
    return datetime(*args, tzinfo=ZoneInfo(zone))


def person(workspace, role=Role.MEMBER, *, zone: str | None = None):
    user = MembershipFactory(workspace=workspace, role=role).user
    if zone:
        NotificationPreference.objects.create(user=user, timezone=zone)
    return user


def reminders_of(user):
    return list(
        Notification.objects.filter(recipient=user, kind__startswith="reminder").values_list(
            "kind", "key"
        )
    )


# The date logic -----------------------------------------------------------------------------


leads = st.lists(st.integers(0, 30), max_size=5, unique=True)


@given(
    due=st.dates(date(2025, 1, 1), date(2028, 12, 31)),
    today=st.dates(date(2025, 1, 1), date(2028, 12, 31)),
    lead_days=leads,
    repeat_days=st.integers(1, 10),
    repeat_limit=st.integers(0, 6),
)
def test_an_occasion_falls_only_on_a_lead_day_or_a_scheduled_overdue_day(
    due, today, lead_days, repeat_days, repeat_limit
):
    occasion = occasion_on(
        due=due,
        today=today,
        lead_days=lead_days,
        repeat_days=repeat_days,
        repeat_limit=repeat_limit,
    )
    days_left = (due - today).days
    if days_left >= 0:
        assert (occasion is not None) == (days_left in lead_days)
        if occasion:
            assert occasion.kind == Kind.REMINDER_DUE and occasion.lead == days_left
    else:
        overdue = -days_left
        scheduled = overdue >= 1 and (overdue - 1) % repeat_days == 0
        scheduled = scheduled and (overdue - 1) // repeat_days < repeat_limit
        assert (occasion is not None) == scheduled
        if occasion:
            assert occasion.kind == Kind.REMINDER_OVERDUE and occasion.lead == days_left


@given(repeat_days=st.integers(1, 10), repeat_limit=st.integers(0, 10))
def test_overdue_reminders_start_the_day_after_and_are_capped(repeat_days, repeat_limit):
    offsets = overdue_offsets(repeat_days, repeat_limit)
    assert len(offsets) == repeat_limit
    assert offsets[:1] in ([], [1])
    assert all(b - a == repeat_days for a, b in pairwise(offsets))


@given(
    instant=st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 31), timezones=st.just(UTC)),
    zone=st.sampled_from([LOS_ANGELES, TOKYO]),
    lead=st.integers(0, 14),
)
def test_the_reminder_day_is_the_recipients_local_date(instant, zone, lead):
    """At any instant, a lead-`lead` reminder falls exactly when the recipient's own
    calendar (not UTC's) shows the due date minus `lead`; DST changes included."""
    local_date = instant.astimezone(ZoneInfo(zone)).date()
    due = local_date + timedelta(days=lead)
    assert local_today(instant, zone) == local_date
    occasion = occasion_on(
        due=due, today=local_today(instant, zone), lead_days=[lead], repeat_days=1, repeat_limit=1
    )
    assert occasion is not None and occasion.lead == lead


# The scan against the database -----------------------------------------------------------


@pytest.fixture
def campaign(db):
    workspace = WorkspaceFactory(timezone="UTC", reminder_lead_days=[7, 1])
    manager = person(workspace, Role.MANAGER)
    project = ProjectFactory(workspace=workspace, owner=manager)
    return workspace, manager, project


def test_owner_is_reminded_at_each_lead_day_and_nothing_in_between(campaign):
    workspace, manager, project = campaign
    owner = person(workspace)
    milestone = MilestoneFactory(project=project, owner=owner, due_date=date(2026, 12, 10))
    for day, expected in [(2, 0), (3, 1), (4, 1), (8, 1), (9, 2), (10, 2)]:
        reminder_scan(now=datetime(2026, 12, day, 12, tzinfo=UTC))
        assert len(reminders_of(owner)) == expected, f"on 2026-12-{day:02d}"
    assert set(reminders_of(owner)) == {
        ("reminder_due", f"reminder_due:milestone:{milestone.pk}:2026-12-10:7"),
        ("reminder_due", f"reminder_due:milestone:{milestone.pk}:2026-12-10:1"),
    }
    assert reminders_of(manager) == [], "the project owner hears only about overdue ones"


def test_scanning_twice_makes_no_second_reminder(campaign):
    workspace, _, project = campaign
    owner = person(workspace)
    MilestoneFactory(project=project, owner=owner, due_date=date(2026, 12, 10))
    now = datetime(2026, 12, 3, 9, tzinfo=UTC)
    assert reminder_scan(now=now) == 1
    assert reminder_scan(now=now + timedelta(minutes=15)) == 1
    assert Notification.objects.filter(recipient=owner).count() == 1


def test_milestone_override_replaces_the_workspace_lead_days(campaign):
    workspace, _, project = campaign
    owner = person(workspace)
    MilestoneFactory(project=project, owner=owner, due_date=date(2026, 12, 20), reminder_days=[14])
    reminder_scan(now=datetime(2026, 12, 6, 9, tzinfo=UTC))
    reminder_scan(now=datetime(2026, 12, 13, 9, tzinfo=UTC))  # 7 days before: not wanted
    assert [key.rsplit(":", 1)[1] for _, key in reminders_of(owner)] == ["14"]


def test_overdue_reminders_go_to_owner_and_project_owner_then_repeat_up_to_the_cap(campaign):
    workspace, manager, project = campaign
    workspace.overdue_repeat_days, workspace.overdue_repeat_limit = 3, 2
    workspace.save()
    owner = person(workspace)
    MilestoneFactory(project=project, owner=owner, due_date=date(2026, 12, 10))
    for day in range(11, 25):
        reminder_scan(now=datetime(2026, 12, day, 9, tzinfo=UTC))
    overdue_days = sorted(-int(key.rsplit(":", 1)[1]) for _, key in reminders_of(owner))
    assert overdue_days == [1, 4]
    assert sorted(-int(key.rsplit(":", 1)[1]) for _, key in reminders_of(manager)) == [1, 4]


def test_deliverable_owner_is_reminded_before_its_due_date(campaign):
    workspace, _, project = campaign
    designer = person(workspace)
    milestone = MilestoneFactory(project=project, due_date=date(2026, 12, 20))
    deliverable = DeliverableFactory(
        milestone=milestone, owner=designer, due_date=date(2026, 12, 10)
    )
    reminder_scan(now=datetime(2026, 12, 9, 9, tzinfo=UTC))
    assert reminders_of(designer) == [
        ("reminder_due", f"reminder_due:deliverable:{deliverable.pk}:2026-12-10:1")
    ]


def test_rescheduling_brings_reminders_for_the_new_date(campaign, settings):
    workspace, manager, project = campaign
    owner = person(workspace)
    milestone = MilestoneFactory(project=project, owner=owner, due_date=date(2026, 12, 10))
    reminder_scan(now=datetime(2026, 12, 9, 9, tzinfo=UTC))
    milestone_services.milestone_reschedule(
        milestone=milestone, new_date=date(2026, 12, 12), reason="Creative late", actor=manager
    )
    reminder_scan(now=datetime(2026, 12, 11, 9, tzinfo=UTC))
    assert sorted(key for _, key in reminders_of(owner)) == [
        f"reminder_due:milestone:{milestone.pk}:2026-12-10:1",
        f"reminder_due:milestone:{milestone.pk}:2026-12-12:1",
    ]


def test_closed_milestones_and_projects_get_no_reminders(campaign):
    workspace, _, project = campaign
    owner = person(workspace)
    MilestoneFactory(
        project=project, owner=owner, due_date=date(2026, 12, 10), status=Milestone.Status.CANCELLED
    )
    closed = ProjectFactory(workspace=workspace, status=Project.Status.COMPLETED)
    MilestoneFactory(project=closed, owner=owner, due_date=date(2026, 12, 10))
    reminder_scan(now=datetime(2026, 12, 9, 9, tzinfo=UTC))
    assert reminders_of(owner) == []


# Timezones ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "local_before", "local_after"),
    [
        # Los Angeles (UTC-8): 23:59 on the 2nd is 07:59 UTC on the 3rd.
        (LOS_ANGELES, (2026, 12, 2, 23, 59), (2026, 12, 3, 0, 1)),
        # Tokyo (UTC+9): 00:01 on the 3rd is still 15:01 UTC on the 2nd.
        (TOKYO, (2026, 12, 2, 23, 59), (2026, 12, 3, 0, 1)),
    ],
)
def test_reminder_falls_on_the_recipients_local_day_around_midnight(
    campaign, zone, local_before, local_after
):
    workspace, _, project = campaign
    owner = person(workspace, zone=zone)
    MilestoneFactory(project=project, owner=owner, due_date=date(2026, 12, 10))
    reminder_scan(now=at(zone, *local_before))
    assert reminders_of(owner) == [], "still the 2nd where the owner lives"
    reminder_scan(now=at(zone, *local_after))
    assert len(reminders_of(owner)) == 1, "the 3rd has begun where the owner lives"


def test_owner_and_project_owner_are_reminded_on_their_own_dates(campaign):
    """At 16:00 UTC on the 11th it is already the 12th in Tokyo but the 11th in LA."""
    workspace, manager, project = campaign
    NotificationPreference.objects.create(user=manager, timezone=TOKYO)
    owner = person(workspace, zone=LOS_ANGELES)
    MilestoneFactory(project=project, owner=owner, due_date=date(2026, 12, 10))
    reminder_scan(now=datetime(2026, 12, 11, 16, tzinfo=UTC))
    assert [key.rsplit(":", 1)[1] for _, key in reminders_of(owner)] == ["-1"]
    assert reminders_of(manager) == [], "day 2 overdue in Tokyo is not a reminder day"
    reminder_scan(now=datetime(2026, 12, 11, 14, tzinfo=UTC))  # 23:00 on the 11th in Tokyo
    assert [key.rsplit(":", 1)[1] for _, key in reminders_of(manager)] == ["-1"]


@pytest.mark.parametrize(
    ("utc_instant", "expected_local_day"),
    [
        # US daylight saving starts 2026-03-08 02:00 (UTC-8 → UTC-7).
        (datetime(2026, 3, 8, 7, 30, tzinfo=UTC), 7),  # 23:30 PST on the 7th
        (datetime(2026, 3, 9, 6, 30, tzinfo=UTC), 8),  # 23:30 PDT on the 8th
        (datetime(2026, 3, 9, 7, 30, tzinfo=UTC), 9),  # 00:30 PDT on the 9th
        # and ends 2026-11-01 02:00 (UTC-7 → UTC-8).
        (datetime(2026, 11, 1, 6, 30, tzinfo=UTC), 31),  # 23:30 PDT on 31 Oct
        (datetime(2026, 11, 2, 7, 30, tzinfo=UTC), 1),  # 23:30 PST on 1 Nov
        (datetime(2026, 11, 2, 8, 30, tzinfo=UTC), 2),  # 00:30 PST on 2 Nov
    ],
)
def test_reminders_follow_the_local_day_across_daylight_saving_changes(
    campaign, utc_instant, expected_local_day
):
    workspace, _, project = campaign
    owner = person(workspace, zone=LOS_ANGELES)
    local = utc_instant.astimezone(ZoneInfo(LOS_ANGELES)).date()
    assert local.day == expected_local_day
    MilestoneFactory(project=project, owner=owner, due_date=local + timedelta(days=1))
    MilestoneFactory(project=project, owner=owner, due_date=local + timedelta(days=2))
    reminder_scan(now=utc_instant)
    assert [key.split(":")[3] for _, key in reminders_of(owner)] == [
        (local + timedelta(days=1)).isoformat()
    ]


def test_workspace_timezone_applies_until_the_person_chooses(db):
    workspace = WorkspaceFactory(timezone=TOKYO, reminder_lead_days=[1])
    owner = person(workspace)
    project = ProjectFactory(workspace=workspace, owner=owner)
    MilestoneFactory(project=project, owner=owner, due_date=date(2026, 12, 10))
    reminder_scan(now=datetime(2026, 12, 8, 15, 30, tzinfo=UTC))  # 00:30 on the 9th in Tokyo
    assert len(reminders_of(owner)) == 1


# Cost -----------------------------------------------------------------------------------------


def bench_shaped(workspace, owners, *, projects: int, milestones_per_project: int, today: date):
    """Projects full of milestones spread over a year, a few of them due for a reminder."""
    project_rows = Project.objects.bulk_create(
        ProjectFactory.build(workspace=workspace, owner=owners[0]) for _ in range(projects)
    )
    rows = []
    for p, project in enumerate(project_rows):
        for m in range(milestones_per_project):
            due = today + timedelta(days=2 + (p * milestones_per_project + m) % 360)
            rows.append(
                Milestone(
                    project=project,
                    title=f"Milestone {p}-{m}",
                    owner=owners[m % len(owners)],
                    due_date=due,
                    baseline_due_date=due,
                )
            )
    Milestone.objects.bulk_create(rows)
    made_in_bulk()


def test_scan_runs_in_a_constant_number_of_queries(db):
    workspace = WorkspaceFactory(reminder_lead_days=[7, 1])
    owners = [person(workspace, zone=zone) for zone in ("", LOS_ANGELES, TOKYO)]
    today = date(2026, 12, 1)
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    counts = []
    for projects in (5, 40):
        bench_shaped(workspace, owners, projects=projects, milestones_per_project=25, today=today)
        Notification.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            created = reminder_scan(now=now)
        assert created > 0
        counts.append(len(queries))
    assert Milestone.objects.count() == 45 * 25
    assert counts[0] == counts[1], counts
