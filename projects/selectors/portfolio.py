"""The portfolio dashboard's read: the workspace's projects with their progress, health and
next milestone, filtered and ordered, and the milestone counts of its headline cards."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet

from deliverables.models import Deliverable
from projects.models import Milestone, Project, Workspace
from projects.querysets import milestone_at_risk
from projects.statuses import MILESTONE_CLOSED_STATUSES as CLOSED

PORTFOLIO_ORDERINGS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "target": ("target_date", "id"),
    "-target": ("-target_date", "-id"),
    "progress": ("milestone_progress", "id"),
    "-progress": ("-milestone_progress", "-id"),
    "overdue": ("overdue_count", "id"),
    "-overdue": ("-overdue_count", "-id"),
    "next": ("next_milestone__due_date", "id"),
    "-next": ("-next_milestone__due_date", "-id"),
}


@dataclass(frozen=True)
class PortfolioFilters:
    client: int | None = None
    status: str = ""
    owner: int | None = None
    health: str = ""
    ordering: str = "name"


@dataclass
class PortfolioOverview:
    workspace: Workspace
    today: date
    active_projects: int
    due_next_7_days: int
    overdue: int
    at_risk: int
    awaiting_review: int
    projects: QuerySet
    page: Page


PROJECTS_PER_PAGE = 25
MILESTONE_COUNTS = ("due_next_7_days", "overdue", "at_risk")


def milestone_counts_by_workspace(today: date) -> QuerySet:
    """The headline counts of open milestones (`MILESTONE_COUNTS`), one row per workspace,
    from the milestones' stored roll-ups."""
    window = F("project__workspace__warning_window_days")
    return (
        Milestone.objects.open()
        .order_by()
        .values("project__workspace")
        .annotate(
            due_next_7_days=Count(
                "pk", filter=Q(due_date__gte=today, due_date__lte=today + timedelta(days=7))
            ),
            overdue=Count("pk", filter=Q(due_date__lt=today)),
            at_risk=Count("pk", filter=milestone_at_risk(today=today, warning_window=window)),
        )
    )


def overdue_counts(projects: list[Project], today: date) -> dict[int, int]:
    """{project id: its open milestones overdue on `today`}, in one query for a page."""
    overdue = Milestone.objects.overdue(today=today).filter(project__in=projects).order_by()
    return dict(overdue.values("project_id").annotate(n=Count("*")).values_list("project_id", "n"))


def portfolio_overview(
    *,
    user,
    workspace: Workspace,
    filters: PortfolioFilters | None = None,
    today: date | None = None,
    page: int | str | None = 1,
) -> PortfolioOverview:
    """Headline figures and a page of the filtered, sorted projects table of one workspace.
    Each row carries its stored roll-ups, its health for today, its next milestone and
    latest update, and its overdue count (`overdue_count`)."""
    filters = filters or PortfolioFilters()
    today = today or workspace.today()
    projects = (
        Project.objects.visible_to(user)
        .filter(workspace=workspace)
        .with_overview(today=today)
        .select_related("client", "owner")
    )
    if filters.client:
        projects = projects.filter(client_id=filters.client)
    if filters.status:
        projects = projects.filter(status=filters.status)
    if filters.owner:
        projects = projects.filter(owner_id=filters.owner)
    if filters.health:
        projects = projects.filter(health=filters.health)
    ordering = PORTFOLIO_ORDERINGS.get(filters.ordering, PORTFOLIO_ORDERINGS["name"])
    if ordering[0].lstrip("-") == "overdue_count":
        # Ordering by a count of today's overdue milestones counts them for every project.
        overdue = Q(milestones__due_date__lt=today) & ~Q(milestones__status__in=CLOSED)
        projects = projects.annotate(overdue_count=Count("milestones", filter=overdue))
    projects = projects.order_by(*ordering)
    shown = Paginator(projects, PROJECTS_PER_PAGE).get_page(page)
    counts = overdue_counts(list(shown.object_list), today)
    for project in shown.object_list:
        project.overdue_count = counts.get(project.pk, 0)

    milestone_counts = (
        milestone_counts_by_workspace(today)
        .visible_to(user)
        .filter(project__workspace=workspace)
        .values(*MILESTONE_COUNTS)
    )
    return PortfolioOverview(
        workspace=workspace,
        today=today,
        active_projects=Project.objects.visible_to(user)
        .filter(workspace=workspace, status=Project.Status.ACTIVE)
        .count(),
        awaiting_review=Deliverable.objects.visible_to(user)
        .filter(milestone__project__workspace=workspace)
        .awaiting_review()
        .count(),
        projects=projects,
        page=shown,
        **next(iter(milestone_counts), dict.fromkeys(MILESTONE_COUNTS, 0)),
    )
