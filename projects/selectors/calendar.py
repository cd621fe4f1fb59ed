"""Reads for the calendar page and the iCalendar feeds: milestone and deliverable due
dates as flat `DueItem`s, fetched in two queries whatever their number."""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import F, QuerySet
from django.http import Http404
from django.urls import reverse

from deliverables.models import Deliverable
from projects.models import CalendarFeed, Milestone, Project, Workspace
from projects.statuses import DELIVERABLE_DONE_STATUSES, MILESTONE_CLOSED_STATUSES

# How far back a feed reaches: calendar apps keep older events themselves.
FEED_HISTORY_DAYS = 365

MILESTONE = "milestone"
DELIVERABLE = "deliverable"


@dataclass(frozen=True)
class DueItem:
    """One due date: a milestone's, or a deliverable's (with its milestone for linking)."""

    kind: str
    pk: int
    title: str
    due: date
    status: str
    status_label: str
    project_id: int
    project_name: str
    milestone_id: int
    updated_at: datetime
    is_overdue: bool

    @property
    def path(self) -> str:
        """Deliverables have no page of their own: they link to their milestone's."""
        page = reverse("projects:milestone_detail", args=[self.milestone_id])
        return page if self.kind == MILESTONE else f"{page}#deliverable-{self.pk}"

    @property
    def is_cancelled(self) -> bool:
        return self.kind == MILESTONE and self.status == Milestone.Status.CANCELLED


@dataclass(frozen=True)
class _Source:
    kind: str
    labels: dict
    closed: tuple[str, ...]
    project_path: str
    milestone_field: str


_MILESTONES = _Source(
    MILESTONE, dict(Milestone.Status.choices), MILESTONE_CLOSED_STATUSES, "project", "pk"
)
_DELIVERABLES = _Source(
    DELIVERABLE,
    dict(Deliverable.Status.choices),
    DELIVERABLE_DONE_STATUSES,
    "milestone__project",
    "milestone_id",
)


def _items(source: _Source, rows: QuerySet, today: date) -> list[DueItem]:
    values = rows.filter(due_date__isnull=False).values(
        "pk",
        "title",
        "due_date",
        "status",
        "updated_at",
        item_milestone_id=F(source.milestone_field),
        item_project_id=F(f"{source.project_path}_id"),
        item_project_name=F(f"{source.project_path}__name"),
    )
    return [
        DueItem(
            kind=source.kind,
            pk=row["pk"],
            title=row["title"],
            due=row["due_date"],
            status=row["status"],
            status_label=source.labels[row["status"]],
            project_id=row["item_project_id"],
            project_name=row["item_project_name"],
            milestone_id=row["item_milestone_id"],
            updated_at=row["updated_at"],
            is_overdue=row["due_date"] < today and row["status"] not in source.closed,
        )
        for row in values.order_by("due_date", "id")
    ]


def due_items(*, milestones: QuerySet, deliverables: QuerySet, today: date) -> list[DueItem]:
    """Both kinds in date order, milestones first on a shared day (two queries)."""
    items = _items(_MILESTONES, milestones, today) + _items(_DELIVERABLES, deliverables, today)
    return sorted(items, key=lambda item: (item.due, item.kind != MILESTONE, item.title))


@dataclass
class CalendarDay:
    day: date
    in_month: bool
    is_today: bool
    items: list[DueItem] = field(default_factory=list)


@dataclass
class CalendarMonth:
    workspace: Workspace
    month: date
    today: date
    weeks: list[list[CalendarDay]]
    projects: list[Project]
    project: Project | None
    item_count: int

    @property
    def previous_month(self) -> date:
        return (self.month - timedelta(days=1)).replace(day=1)

    @property
    def next_month(self) -> date:
        return (self.month + timedelta(days=31)).replace(day=1)


def calendar_month(
    *,
    user,
    workspace: Workspace,
    month: date,
    project_id: int | None = None,
    today: date | None = None,
) -> CalendarMonth:
    """Weeks (Monday first) of `month` with the due dates of the workspace's projects the
    user can see, optionally one project's; a project outside them is a 404."""
    today = today or workspace.today()
    month = month.replace(day=1)
    projects = list(Project.objects.visible_to(user).filter(workspace=workspace).only("id", "name"))
    project = None
    if project_id is not None:
        project = next((p for p in projects if p.pk == project_id), None)
        if project is None:
            raise Http404("No such project.")
    dates = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(
        month.year, month.month
    )
    start, end = dates[0][0], dates[-1][-1]
    milestones = Milestone.objects.visible_to(user).filter(
        project__workspace=workspace, due_date__range=(start, end)
    )
    deliverables = Deliverable.objects.visible_to(user).filter(
        milestone__project__workspace=workspace, due_date__range=(start, end)
    )
    if project is not None:
        milestones = milestones.filter(project=project)
        deliverables = deliverables.filter(milestone__project=project)
    items = due_items(milestones=milestones, deliverables=deliverables, today=today)
    by_day: dict[date, list[DueItem]] = {}
    for item in items:
        by_day.setdefault(item.due, []).append(item)
    weeks = [
        [
            CalendarDay(
                day=day,
                in_month=day.month == month.month,
                is_today=day == today,
                items=by_day.get(day, []),
            )
            for day in week
        ]
        for week in dates
    ]
    return CalendarMonth(
        workspace=workspace,
        month=month,
        today=today,
        weeks=weeks,
        projects=projects,
        project=project,
        item_count=sum(1 for item in items if item.due.month == month.month),
    )


def feed_items(*, feed: CalendarFeed, today: date) -> list[DueItem]:
    """A project feed holds all of the project's due dates; a personal feed the milestones
    and deliverables its owner is responsible for, in every workspace they belong to."""
    since = today - timedelta(days=FEED_HISTORY_DAYS)
    milestones = Milestone.objects.visible_to(feed.user).filter(due_date__gte=since)
    deliverables = Deliverable.objects.visible_to(feed.user).filter(due_date__gte=since)
    if feed.project_id is not None:
        milestones = milestones.filter(project_id=feed.project_id)
        deliverables = deliverables.filter(milestone__project_id=feed.project_id)
    else:
        milestones = milestones.filter(owner=feed.user)
        deliverables = deliverables.filter(owner=feed.user)
    return due_items(milestones=milestones, deliverables=deliverables, today=today)
