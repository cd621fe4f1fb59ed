"""Derived values computed in the database: overdue, slip, milestone and project health,
progress and the next milestone. The date logic is checked against a plain-Python
statement of the DESIGN.md rules with hypothesis, on whichever database the suite runs."""

from datetime import date, timedelta
from itertools import pairwise

import pytest
from django.db import transaction
from django.db.models import F, Value
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deliverables.models import Deliverable
from milestones_site.querysets.expressions import DaysBetween
from projects.models import Milestone, Project
from projects.querysets import milestone_at_risk
from projects.selectors.portfolio import overdue_counts
from tests.factories import (
    ChecklistItemFactory,
    DeliverableFactory,
    MilestoneFactory,
    ProjectFactory,
    StatusUpdateFactory,
    WorkspaceFactory,
    depend,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 10)
MILESTONE_STATUSES = ["planned", "in_progress", "blocked", "completed", "cancelled"]
DELIVERABLE_STATUSES = [
    "not_started",
    "in_progress",
    "in_review",
    "changes_requested",
    "approved",
    "delivered",
]
DONE = {"approved", "delivered"}
CLOSED = {"completed", "cancelled"}
HYPOTHESIS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def in_days(days: int) -> date:
    return TODAY + timedelta(days=days)


def milestone_in(project, *, status="planned", due=TODAY, baseline=None, **fields) -> Milestone:
    completed_at = timezone.now() if status == "completed" else None
    return MilestoneFactory(
        project=project,
        status=status,
        due_date=due,
        baseline_due_date=baseline or due,
        completed_at=completed_at,
        **fields,
    )


def deliverable_in(milestone, status: str):
    approved_at = timezone.now() if status in DONE else None
    return DeliverableFactory(milestone=milestone, status=status, approved_at=approved_at)


def derived(milestone, today=TODAY) -> Milestone:
    return Milestone.objects.with_derived(today=today).get(pk=milestone.pk)


def reference_health(*, status, due, today, window, deliverables, dependencies) -> str:
    """DESIGN.md: completed; off_track when overdue; at_risk when blocked, when a dependency
    is late (still open and overdue, or due after this milestone), or when due within the
    warning window with open deliverables; else on_track. Cancelled is out of the count."""
    if status in CLOSED:
        return status
    if due < today:
        return "off_track"
    if status == "blocked":
        return "at_risk"
    if any(s not in CLOSED and (d < today or d > due) for s, d in dependencies):
        return "at_risk"
    if (due - today).days <= window and any(s not in DONE for s in deliverables):
        return "at_risk"
    return "on_track"


# DaysBetween ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("later", "earlier", "days"),
    [
        (date(2026, 11, 10), date(2026, 11, 10), 0),
        (date(2026, 11, 12), date(2026, 11, 10), 2),
        (date(2026, 11, 10), date(2026, 11, 12), -2),
        (date(2027, 1, 2), date(2026, 12, 30), 3),
        (date(2028, 3, 1), date(2028, 2, 28), 2),
        (date(2026, 3, 30), date(2026, 3, 28), 2),
        (date(2030, 1, 1), date(2020, 1, 1), 3653),
    ],
)
def test_days_between_counts_calendar_days(project, later, earlier, days):
    milestone = milestone_in(project, due=later, baseline=earlier)
    row = Milestone.objects.annotate(
        from_fields=DaysBetween(F("due_date"), F("baseline_due_date")),
        from_value=DaysBetween(Value(later), F("baseline_due_date")),
    ).get(pk=milestone.pk)
    assert (row.from_fields, row.from_value) == (days, days)


def test_today_is_the_workspace_s_calendar_date():
    """UTC+14 and UTC-11 are 25 hours apart: their calendar dates always differ."""
    ahead = WorkspaceFactory(timezone="Pacific/Kiritimati")
    behind = WorkspaceFactory(timezone="Pacific/Pago_Pago")
    assert 1 <= (ahead.today() - behind.today()).days <= 2


# Overdue and slip -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "due_in", "overdue"),
    [
        ("planned", -1, True),
        ("in_progress", -30, True),
        ("blocked", -1, True),
        ("planned", 0, False),
        ("planned", 1, False),
        ("completed", -5, False),
        ("cancelled", -5, False),
    ],
)
def test_is_overdue(project, status, due_in, overdue):
    milestone = milestone_in(project, status=status, due=in_days(due_in))
    assert derived(milestone).is_overdue is overdue
    assert Milestone.objects.overdue(today=TODAY).filter(pk=milestone.pk).exists() is overdue


@pytest.mark.parametrize(("due_in", "baseline_in", "slip"), [(5, 0, 5), (0, 5, -5), (3, 3, 0)])
def test_slip_days_is_due_minus_baseline(project, due_in, baseline_in, slip):
    milestone = milestone_in(project, due=in_days(due_in), baseline=in_days(baseline_in))
    assert derived(milestone).slip_days == slip


@HYPOTHESIS
@given(
    due=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    baseline=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    today=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    status=st.sampled_from(MILESTONE_STATUSES),
)
def test_slip_and_overdue_for_any_dates(project, due, baseline, today, status):
    with transaction.atomic():
        milestone = milestone_in(project, status=status, due=due, baseline=baseline)
        row = derived(milestone, today=today)
        assert row.slip_days == (due - baseline).days
        assert row.is_overdue is (due < today and status not in CLOSED)
        transaction.set_rollback(True)


# Milestone health -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "due_in", "deliverables", "health"),
    [
        ("completed", -3, ["not_started"], "completed"),
        ("cancelled", -3, [], "cancelled"),
        ("planned", -1, [], "off_track"),
        ("blocked", -1, [], "off_track"),
        ("blocked", 30, [], "at_risk"),
        ("planned", 0, ["in_review"], "at_risk"),
        ("planned", 3, ["approved", "not_started"], "at_risk"),
        ("planned", 4, ["not_started"], "on_track"),
        ("planned", 2, ["approved", "delivered"], "on_track"),
        ("planned", 2, [], "on_track"),
        ("in_progress", 30, ["in_progress"], "on_track"),
    ],
)
def test_milestone_health(project, status, due_in, deliverables, health):
    milestone = milestone_in(project, status=status, due=in_days(due_in))
    for deliverable_status in deliverables:
        deliverable_in(milestone, deliverable_status)
    assert derived(milestone).health == health


def test_the_warning_window_is_the_workspaces(project):
    milestone = milestone_in(project, due=in_days(7))
    deliverable_in(milestone, "in_progress")
    assert derived(milestone).health == "on_track"
    project.workspace.warning_window_days = 7
    project.workspace.save()
    assert derived(milestone).health == "at_risk"


@pytest.mark.parametrize(
    ("dependency_status", "dependency_due_in", "late", "health"),
    [
        ("planned", -1, True, "at_risk"),
        ("in_progress", 15, True, "at_risk"),
        ("planned", 10, False, "on_track"),
        ("planned", 5, False, "on_track"),
        ("completed", -1, False, "on_track"),
        ("cancelled", 15, False, "on_track"),
    ],
)
def test_a_late_dependency_puts_the_milestone_at_risk(
    project, dependency_status, dependency_due_in, late, health
):
    milestone = milestone_in(project, due=in_days(10))
    depend(
        milestone, milestone_in(project, status=dependency_status, due=in_days(dependency_due_in))
    )
    row = derived(milestone)
    assert (row.has_late_dependency, row.health) == (late, health)


def test_a_dependent_does_not_make_its_prerequisite_late(project):
    prerequisite = milestone_in(project, due=in_days(10))
    dependent = milestone_in(project, due=in_days(-2))
    depend(dependent, prerequisite)
    assert derived(prerequisite).health == "on_track"


def test_deliverable_counts(project):
    milestone = milestone_in(project)
    for status in ["not_started", "in_review", "approved", "delivered"]:
        deliverable_in(milestone, status)
    row = derived(milestone)
    assert (row.deliverables_total, row.deliverables_done) == (4, 2)
    empty = derived(milestone_in(project))
    assert (empty.deliverables_total, empty.deliverables_done) == (0, 0)


@HYPOTHESIS
@given(
    status=st.sampled_from(MILESTONE_STATUSES),
    due_in=st.integers(-10, 10),
    window=st.integers(0, 7),
    deliverables=st.lists(st.sampled_from(DELIVERABLE_STATUSES), max_size=3),
    dependencies=st.lists(
        st.tuples(st.sampled_from(MILESTONE_STATUSES), st.integers(-10, 20)), max_size=2
    ),
)
def test_milestone_health_follows_the_rules(
    project, status, due_in, window, deliverables, dependencies
):
    with transaction.atomic():
        project.workspace.warning_window_days = window
        project.workspace.save()
        milestone = milestone_in(project, status=status, due=in_days(due_in))
        for deliverable_status in deliverables:
            deliverable_in(milestone, deliverable_status)
        for dependency_status, dependency_due_in in dependencies:
            depend(
                milestone,
                milestone_in(project, status=dependency_status, due=in_days(dependency_due_in)),
            )
        expected = reference_health(
            status=status,
            due=in_days(due_in),
            today=TODAY,
            window=window,
            deliverables=deliverables,
            dependencies=[(s, in_days(d)) for s, d in dependencies],
        )
        assert derived(milestone).health == expected
        transaction.set_rollback(True)


# Deliverables -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "due_in", "overdue"),
    [
        ("in_progress", -1, True),
        ("changes_requested", -9, True),
        ("in_review", 0, False),
        ("not_started", None, False),
        ("approved", -1, False),
        ("delivered", -1, False),
    ],
)
def test_deliverable_is_overdue(project, status, due_in, overdue):
    due_date = None if due_in is None else in_days(due_in)
    deliverable = deliverable_in(milestone_in(project, due=in_days(5)), status)
    Deliverable.objects.filter(pk=deliverable.pk).update(due_date=due_date)
    row = Deliverable.objects.with_derived(today=TODAY).get(pk=deliverable.pk)
    assert row.is_overdue is overdue


def test_deliverable_checklist_counts(project):
    deliverable = deliverable_in(milestone_in(project), "in_progress")
    ChecklistItemFactory(deliverable=deliverable, done=True, done_at=timezone.now())
    ChecklistItemFactory(deliverable=deliverable)
    ChecklistItemFactory(
        deliverable=None, milestone=deliverable.milestone, done=True, done_at=timezone.now()
    )
    row = Deliverable.objects.with_derived(today=TODAY).get(pk=deliverable.pk)
    assert (row.checklist_total, row.checklist_done) == (2, 1)
    bare = deliverable_in(milestone_in(project), "in_progress")
    row = Deliverable.objects.with_derived(today=TODAY).get(pk=bare.pk)
    assert (row.checklist_total, row.checklist_done) == (0, 0)


# Project health ---------------------------------------------------------------------------


def project_row(project, today=TODAY) -> Project:
    """The project as a portfolio row shows it (its overdue count is counted for a page)."""
    row = Project.objects.with_overview(today=today).get(pk=project.pk)
    row.overdue_count = overdue_counts([row], today).get(row.pk, 0)
    return row


def test_the_latest_status_update_decides_project_health(project):
    milestone_in(project, due=in_days(-5))
    StatusUpdateFactory(
        project=project, health="off_track", created_at=timezone.now() - timedelta(days=2)
    )
    StatusUpdateFactory(project=project, health="on_track", created_at=timezone.now())
    row = project_row(project)
    assert (row.health, row.latest_update_health, row.overdue_count) == ("on_track", "on_track", 1)


def test_the_latest_status_update_wins_even_when_older_rows_come_later(project):
    StatusUpdateFactory(project=project, health="at_risk", created_at=timezone.now())
    StatusUpdateFactory(
        project=project, health="on_track", created_at=timezone.now() - timedelta(days=1)
    )
    assert project_row(project).health == "at_risk"


@pytest.mark.parametrize(
    ("milestones", "health"),
    [
        ([], "on_track"),
        ([("planned", 30)], "on_track"),
        ([("planned", 30), ("blocked", 30)], "at_risk"),
        ([("blocked", 30), ("planned", -1), ("planned", 30)], "off_track"),
        ([("completed", -9), ("cancelled", -9), ("planned", 30)], "on_track"),
    ],
)
def test_without_updates_the_worst_open_milestone_decides(project, milestones, health):
    for status, due_in in milestones:
        milestone_in(project, status=status, due=in_days(due_in))
    row = project_row(project)
    assert (row.health, row.latest_update_health) == (health, None)


@HYPOTHESIS
@given(
    milestones=st.lists(
        st.tuples(st.sampled_from(MILESTONE_STATUSES), st.integers(-5, 5)), max_size=4
    ),
    update=st.none() | st.sampled_from(["on_track", "at_risk", "off_track"]),
)
def test_project_health_follows_the_rules(project, milestones, update):
    with transaction.atomic():
        for status, due_in in milestones:
            milestone_in(project, status=status, due=in_days(due_in))
        if update:
            StatusUpdateFactory(project=project, health=update)
        healths = {
            reference_health(
                status=status,
                due=in_days(due_in),
                today=TODAY,
                window=3,
                deliverables=[],
                dependencies=[],
            )
            for status, due_in in milestones
        }
        worst = next((h for h in ("off_track", "at_risk") if h in healths), "on_track")
        assert project_row(project).health == (update or worst)
        transaction.set_rollback(True)


@HYPOTHESIS
@given(
    window=st.integers(0, 7),
    milestones=st.lists(
        st.tuples(
            st.sampled_from(MILESTONE_STATUSES),
            st.integers(-5, 10),
            st.lists(st.sampled_from(DELIVERABLE_STATUSES), max_size=2),
        ),
        min_size=1,
        max_size=4,
    ),
    dependencies=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), max_size=3),
)
def test_project_health_and_at_risk_agree_with_milestone_health(
    project, window, milestones, dependencies
):
    """Project health and milestone_at_risk test the rules without the milestone health
    expression; with deliverables, dependencies and any warning window they must agree
    with it."""
    with transaction.atomic():
        project.workspace.warning_window_days = window
        project.workspace.save()
        rows = []
        for status, due_in, deliverable_statuses in milestones:
            milestone = milestone_in(project, status=status, due=in_days(due_in))
            for deliverable_status in deliverable_statuses:
                deliverable_in(milestone, deliverable_status)
            rows.append(milestone)
        for dependent, prerequisite in dependencies:
            if dependent != prerequisite and max(dependent, prerequisite) < len(rows):
                depend(rows[dependent], rows[prerequisite])
        healths = dict(
            Milestone.objects.filter(project=project)
            .with_health(today=TODAY)
            .values_list("pk", "health")
        )
        at_risk = Milestone.objects.filter(
            milestone_at_risk(today=TODAY, warning_window=Value(window)), project=project
        )
        assert set(at_risk.values_list("pk", flat=True)) == {
            pk for pk, health in healths.items() if health == "at_risk"
        }
        worst = next((h for h in ("off_track", "at_risk") if h in healths.values()), "on_track")
        assert project_row(project).health == worst
        transaction.set_rollback(True)


# Progress and next milestone --------------------------------------------------------------


def test_progress_leaves_cancelled_milestones_out(project):
    done = milestone_in(project, status="completed")
    milestone_in(project, status="in_progress")
    milestone_in(project, status="planned")
    cancelled = milestone_in(project, status="cancelled")
    for status in ["approved", "delivered", "in_review", "not_started"]:
        deliverable_in(done, status)
    deliverable_in(cancelled, "not_started")
    row = project_row(project)
    assert (row.milestones_completed, row.milestones_in_scope, row.milestone_progress) == (1, 3, 33)
    assert (row.milestones_total, row.milestones_cancelled) == (4, 1)
    assert (row.deliverables_done, row.deliverables_in_scope, row.deliverable_progress) == (
        2,
        4,
        50,
    )
    assert row.deliverables_total == 5


def test_progress_of_an_empty_project_is_zero(project):
    row = project_row(project)
    assert (row.milestones_total, row.milestone_progress, row.deliverable_progress) == (0, 0, 0)


def test_progress_counts_only_its_own_project(project):
    milestone_in(project, status="completed")
    other = ProjectFactory(workspace=project.workspace)
    milestone_in(other, status="planned")
    assert project_row(project).milestone_progress == 100
    assert project_row(other).milestone_progress == 0


def test_the_next_milestone_is_the_earliest_open_one(project):
    milestone_in(project, status="completed", due=in_days(-10))
    milestone_in(project, status="cancelled", due=in_days(-5))
    first = milestone_in(project, due=in_days(2), title="Teaser live")
    milestone_in(project, due=in_days(2))
    milestone_in(project, due=in_days(9))
    row = project_row(project)
    next_milestone = row.next_milestone
    assert (next_milestone.pk, next_milestone.title, next_milestone.due_date) == (
        first.pk,
        "Teaser live",
        in_days(2),
    )


def test_no_next_milestone_when_everything_is_closed(project):
    milestone_in(project, status="completed")
    assert project_row(project).next_milestone is None


# Query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 20])
def test_derived_values_cost_one_query_for_any_number_of_rows(
    project, django_assert_num_queries, count
):
    milestones = [milestone_in(project, due=in_days(index - 5)) for index in range(count)]
    for prerequisite, dependent in pairwise(milestones):
        depend(dependent, prerequisite)
        deliverable_in(dependent, "in_review")
        ProjectFactory(workspace=project.workspace)
    ProjectFactory(workspace=project.workspace)
    with django_assert_num_queries(1):
        rows = list(Milestone.objects.with_derived(today=TODAY))
    assert len(rows) == count
    with django_assert_num_queries(1):
        projects = list(Project.objects.with_overview(today=TODAY))
    assert len(projects) == count + 1
