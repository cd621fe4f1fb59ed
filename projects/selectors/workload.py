"""The workload read: what each member of a workspace has due per week, across its open
projects (planning or active): the milestones and deliverables they own and have not
finished, counted per Monday-to-Sunday week, each week flagged when it holds more than the
workspace's weekly limit; and the items behind one person's week."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncWeek

from deliverables.models import Deliverable
from projects.activity import display_name
from projects.models import Membership, Milestone, Project, Workspace
from projects.statuses import DELIVERABLE_DONE_STATUSES

User = get_user_model()

WORKLOAD_PROJECT_STATUSES = (Project.Status.PLANNING, Project.Status.ACTIVE)
MAX_WEEKS = 12


@dataclass(frozen=True)
class WeekLoad:
    start: date
    milestones: int
    deliverables: int
    limit: int

    @property
    def total(self) -> int:
        return self.milestones + self.deliverables

    @property
    def overloaded(self) -> bool:
        return self.total > self.limit


@dataclass(frozen=True)
class PersonLoad:
    person_id: int
    name: str
    weeks: list[WeekLoad]

    @property
    def overloaded_weeks(self) -> int:
        return sum(week.overloaded for week in self.weeks)


@dataclass(frozen=True)
class Workload:
    workspace: Workspace
    weeks: list[date]
    limit: int
    people: list[PersonLoad]


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def workload_projects(
    *, user, workspace: Workspace, client: int | None = None, project: int | None = None
) -> QuerySet:
    """The open projects of `workspace` the reader sees, narrowed to a client or a project."""
    projects = Project.objects.visible_to(user).filter(
        workspace=workspace, status__in=WORKLOAD_PROJECT_STATUSES
    )
    if client:
        projects = projects.filter(client_id=client)
    if project:
        projects = projects.filter(pk=project)
    return projects.order_by().values("pk")


def _open_milestones(projects: QuerySet) -> QuerySet:
    return Milestone.objects.open().filter(project__in=projects, owner__isnull=False)


def _open_deliverables(projects: QuerySet) -> QuerySet:
    return Deliverable.objects.exclude(status__in=DELIVERABLE_DONE_STATUSES).filter(
        milestone__project__in=projects,
        owner__isnull=False,
        due_date__isnull=False,
    )


def _counts(rows: QuerySet, first: date, end: date) -> dict[tuple[int, date], int]:
    """{(owner id, Monday): items due that week} for rows due in [first, end)."""
    per_week = (
        rows.filter(due_date__gte=first, due_date__lt=end)
        .annotate(week=TruncWeek("due_date"))
        .order_by()
        .values("owner_id", "week")
        .annotate(n=Count("pk"))
    )
    return {(row["owner_id"], row["week"]): row["n"] for row in per_week}


def workload(
    *,
    user,
    workspace: Workspace,
    start: date,
    weeks: int = 6,
    client: int | None = None,
    project: int | None = None,
) -> Workload:
    """Every member's load for `weeks` weeks from the week of `start`, in three queries
    whatever the number of people, projects or items."""
    first = week_start(start)
    mondays = [first + timedelta(weeks=n) for n in range(min(max(weeks, 1), MAX_WEEKS))]
    end = mondays[-1] + timedelta(weeks=1)
    projects = workload_projects(user=user, workspace=workspace, client=client, project=project)
    milestones = _counts(_open_milestones(projects), first, end)
    deliverables = _counts(_open_deliverables(projects), first, end)
    limit = workspace.weekly_load_limit
    members = (
        Membership.objects.filter(workspace=workspace)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    )
    return Workload(
        workspace=workspace,
        weeks=mondays,
        limit=limit,
        people=[
            PersonLoad(
                person_id=member.user_id,
                name=display_name(member.user),
                weeks=[
                    WeekLoad(
                        start=monday,
                        milestones=milestones.get((member.user_id, monday), 0),
                        deliverables=deliverables.get((member.user_id, monday), 0),
                        limit=limit,
                    )
                    for monday in mondays
                ],
            )
            for member in members
        ],
    )


@dataclass(frozen=True)
class WeekItems:
    person: object
    start: date
    milestones: list[Milestone]
    deliverables: list[Deliverable]


def workload_items(
    *,
    user,
    workspace: Workspace,
    person_id: int,
    start: date,
    client: int | None = None,
    project: int | None = None,
) -> WeekItems | None:
    """What one member has due in the week of `start` (None when they are not a member)."""
    membership = (
        Membership.objects.filter(workspace=workspace, user_id=person_id)
        .select_related("user")
        .first()
    )
    if membership is None:
        return None
    first = week_start(start)
    window = {"due_date__gte": first, "due_date__lt": first + timedelta(weeks=1)}
    projects = workload_projects(user=user, workspace=workspace, client=client, project=project)
    return WeekItems(
        person=membership.user,
        start=first,
        milestones=list(
            _open_milestones(projects)
            .filter(owner_id=person_id, **window)
            .select_related("project")
            .order_by("due_date", "id")
        ),
        deliverables=list(
            _open_deliverables(projects)
            .filter(owner_id=person_id, **window)
            .select_related("milestone__project")
            .order_by("due_date", "id")
        ),
    )
