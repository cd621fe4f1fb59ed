"""The portfolio dashboard's read: the workspace's projects with their progress, health,
next milestone, budget and KPIs, filtered and ordered; the counts of its headline cards
(over the same filtered projects), and the lists those cards open: the milestones due soon,
overdue or at risk, and the deliverables awaiting review."""

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


# What a headline card counts, as the milestone list names it (`?when=`).
MILESTONE_LISTS = {
    "open": "Open milestones",
    "due_soon": "Milestones due in 7 days",
    "overdue": "Overdue milestones",
    "at_risk": "Milestones at risk",
}


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
ROWS_PER_PAGE = 50


def milestone_conditions(today: date) -> dict[str, Q]:
    """Which open milestones each headline card and list means, on `today`."""
    return {
        "open": Q(),
        "due_soon": Q(due_date__gte=today, due_date__lte=today + timedelta(days=7)),
        "overdue": Q(due_date__lt=today),
        "at_risk": milestone_at_risk(
            today=today, warning_window=F("project__workspace__warning_window_days")
        ),
    }


def filtered_projects(
    *, user, workspace: Workspace, filters: PortfolioFilters, today: date
) -> QuerySet:
    """The projects of `workspace` that `user` sees and the dashboard's filters keep, with
    their progress, health and next milestone."""
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
    return projects


def headline_counts(projects: QuerySet, today: date) -> dict[str, int]:
    """The headline cards' counts over `projects` (the filtered ones): active projects, open
    milestones due soon / overdue / at risk, deliverables awaiting review."""
    conditions = milestone_conditions(today)
    in_projects = projects.order_by().values("pk")
    milestones = Milestone.objects.open().filter(project__in=in_projects)
    counts = milestones.aggregate(
        due_next_7_days=Count("pk", filter=conditions["due_soon"]),
        overdue=Count("pk", filter=conditions["overdue"]),
        at_risk=Count("pk", filter=conditions["at_risk"]),
    )
    return {
        **counts,
        "active_projects": projects.filter(status=Project.Status.ACTIVE).count(),
        "awaiting_review": Deliverable.objects.awaiting_review()
        .filter(milestone__project__in=in_projects)
        .count(),
    }


def kpi_counts(projects: list[Project]) -> dict[int, tuple[int, int]]:
    """{project id: (KPIs met, KPIs with a target)} of its milestones, one query for a page."""
    with_target = (
        Milestone.objects.filter(project__in=projects, kpi_target__isnull=False)
        .exclude(status=Milestone.Status.CANCELLED)
        .order_by()
        .values("project_id")
        .annotate(
            met=Count("pk", filter=Q(kpi_actual__gte=F("kpi_target"))),
            total=Count("pk"),
        )
    )
    return {row["project_id"]: (row["met"], row["total"]) for row in with_target}


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
    Each row carries its stored roll-ups, its health for today, its next milestone (and
    `next_is_overdue`) and latest update, its overdue count (`overdue_count`), the share of
    its budget spent (`budget_percent`) and its KPIs met (`kpis_met` of `kpis_total`)."""
    filters = filters or PortfolioFilters()
    today = today or workspace.today()
    projects = filtered_projects(user=user, workspace=workspace, filters=filters, today=today)
    counts = headline_counts(projects, today)
    ordering = PORTFOLIO_ORDERINGS.get(filters.ordering, PORTFOLIO_ORDERINGS["name"])
    if ordering[0].lstrip("-") == "overdue_count":
        # Ordering by a count of today's overdue milestones counts them for every project.
        overdue = Q(milestones__due_date__lt=today) & ~Q(milestones__status__in=CLOSED)
        projects = projects.annotate(overdue_count=Count("milestones", filter=overdue))
    projects = projects.order_by(*ordering)
    shown = Paginator(projects, PROJECTS_PER_PAGE).get_page(page)
    rows = list(shown.object_list)
    overdue, kpis = overdue_counts(rows, today), kpi_counts(rows)
    for project in rows:
        project.overdue_count = overdue.get(project.pk, 0)
        project.kpis_met, project.kpis_total = kpis.get(project.pk, (0, 0))
        project.budget_percent = (
            int(project.budget_spent * 100 / project.budget_planned)
            if project.budget_planned
            else None
        )
        project.next_is_overdue = bool(
            project.next_milestone and project.next_milestone.due_date < today
        )
    return PortfolioOverview(
        workspace=workspace, today=today, projects=projects, page=shown, **counts
    )


def portfolio_milestones(
    *,
    user,
    workspace: Workspace,
    filters: PortfolioFilters,
    when: str = "open",
    today: date | None = None,
    page: int | str | None = 1,
) -> Page:
    """A page of the open milestones a headline card counts (`when`, a MILESTONE_LISTS key)
    in the filtered projects, soonest due first, with their project and owner."""
    today = today or workspace.today()
    projects = filtered_projects(user=user, workspace=workspace, filters=filters, today=today)
    milestones = (
        Milestone.objects.open()
        .filter(milestone_conditions(today)[when], project__in=projects.order_by().values("pk"))
        .with_health(today=today)
        .select_related("project__client", "owner")
        .order_by("due_date", "id")
    )
    return Paginator(milestones, ROWS_PER_PAGE).get_page(page)


def portfolio_reviews(
    *,
    user,
    workspace: Workspace,
    filters: PortfolioFilters,
    today: date | None = None,
    page: int | str | None = 1,
) -> Page:
    """A page of the deliverables awaiting review in the filtered projects, soonest due
    first (undated last), with their milestone and project."""
    today = today or workspace.today()
    projects = filtered_projects(user=user, workspace=workspace, filters=filters, today=today)
    deliverables = (
        Deliverable.objects.awaiting_review()
        .filter(milestone__project__in=projects.order_by().values("pk"))
        .with_derived(today=today)
        .select_related("milestone__project", "owner")
        .order_by(F("due_date").asc(nulls_last=True), "id")
    )
    return Paginator(deliverables, ROWS_PER_PAGE).get_page(page)
