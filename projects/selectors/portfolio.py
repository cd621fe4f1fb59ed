"""The portfolio dashboard's read: the workspace's projects with their progress, health and
next milestone, filtered and ordered, and the milestone counts of its headline cards."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from deliverables.models import Deliverable
from projects.models import Milestone, Project, StatusUpdate, Workspace
from projects.querysets import milestone_at_risk

PORTFOLIO_ORDERINGS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "target": ("target_date", "id"),
    "-target": ("-target_date", "-id"),
    "progress": ("milestone_progress", "id"),
    "-progress": ("-milestone_progress", "-id"),
    "overdue": ("overdue_count", "id"),
    "-overdue": ("-overdue_count", "-id"),
    "next": ("next_milestone_due", "id"),
    "-next": ("-next_milestone_due", "-id"),
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


def portfolio_rows(today: date) -> QuerySet:
    """Every project as a portfolio row (progress, health, next milestone, latest update),
    unscoped: callers chain `visible_to`."""
    latest = StatusUpdate.objects.filter(project=OuterRef("pk")).order_by("-created_at", "-id")
    return (
        Project.objects.select_related("client", "owner", "workspace")
        .with_overview(today=today)
        .annotate(
            latest_update_summary=Subquery(latest.values("summary")[:1]),
            latest_update_at=Subquery(latest.values("created_at")[:1]),
        )
    )


MILESTONE_COUNTS = ("due_next_7_days", "overdue", "at_risk")


def milestone_counts_by_workspace(today: date) -> QuerySet:
    """The headline counts of open milestones (`MILESTONE_COUNTS`), one row per workspace."""
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


def portfolio_overview(
    *,
    user,
    workspace: Workspace,
    filters: PortfolioFilters | None = None,
    today: date | None = None,
) -> PortfolioOverview:
    """Headline figures and the filtered, sorted projects table of one workspace."""
    filters = filters or PortfolioFilters()
    today = today or workspace.today()
    projects = portfolio_rows(today).visible_to(user).filter(workspace=workspace)
    if filters.client:
        projects = projects.filter(client_id=filters.client)
    if filters.status:
        projects = projects.filter(status=filters.status)
    if filters.owner:
        projects = projects.filter(owner_id=filters.owner)
    if filters.health:
        projects = projects.filter(health=filters.health)
    projects = projects.order_by(
        *PORTFOLIO_ORDERINGS.get(filters.ordering, PORTFOLIO_ORDERINGS["name"])
    )

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
        **next(iter(milestone_counts), dict.fromkeys(MILESTONE_COUNTS, 0)),
    )
