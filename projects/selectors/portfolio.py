"""Reads for pages and reports: each returns data already annotated and prefetched for the
page that shows it, in a number of queries that does not grow with the rows."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from deliverables.models import Deliverable
from milestones_site.querysets.expressions import DaysBetween
from milestones_site.querysets.names import person_name
from projects.models import ActivityEvent, Milestone, Phase, Project, StatusUpdate, Workspace
from projects.querysets import milestone_at_risk
from projects.selectors.project_figures import ProjectFigures, project_figures

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


@dataclass
class PhaseGroup:
    phase: Phase | None
    milestones: list[Milestone] = field(default_factory=list)


@dataclass
class ProjectDetail:
    project: Project
    today: date
    phases: list[PhaseGroup]
    milestones: list[Milestone]
    latest_update: StatusUpdate | None
    activity: list[ActivityEvent]
    figures: ProjectFigures


# What the project page shows of a milestone and of a deliverable; descriptions and the
# like stay in the database.
PAGE_MILESTONE_FIELDS = (
    "id",
    "project_id",
    "phase_id",
    "title",
    "category",
    "status",
    "due_date",
    "baseline_due_date",
    "kpi_name",
    "kpi_target",
    "kpi_actual",
    "kpi_unit",
    "version",
)
PAGE_DELIVERABLE_FIELDS = ("id", "milestone_id", "title", "status", "due_date", "link", "version")


def project_page_milestones(today: date) -> QuerySet:
    """The project page's milestone rows as of `today`, earliest due first: health, slip,
    dependency ids, owner's name, and deliverables (`deliverable_list`) with their owners'
    names. Each request filters a copy to its project."""
    deliverables = (
        Deliverable.objects.only(*PAGE_DELIVERABLE_FIELDS)
        .annotate(owner_name=person_name("owner_id"))
        .order_by("due_date", "id")
    )
    return (
        Milestone.objects.only(*PAGE_MILESTONE_FIELDS)
        .with_health(today=today)
        .with_dependency_ids()
        .annotate(
            slip_days=DaysBetween(F("due_date"), F("baseline_due_date")),
            owner_name=person_name("owner_id"),
        )
        .prefetch_related(
            Prefetch("deliverables", queryset=deliverables, to_attr="deliverable_list")
        )
        .order_by("due_date", "id")
    )


def project_detail(
    *, user, project_id: int, today: date | None = None, activity_limit: int = 20
) -> ProjectDetail:
    """Everything the project page shows; raises Http404 outside the user's workspaces.

    Owners come as names (`owner_name`), not as users: the page shows nothing else of them."""
    visible = Project.objects.visible_to(user).select_related("client", "owner", "workspace")
    try:
        project = visible.get(pk=project_id)
    except Project.DoesNotExist:
        raise Http404("No such project.") from None
    today = today or project.workspace.today()
    milestones = list(project_page_milestones(today).filter(project=project))
    groups = {
        phase.pk: PhaseGroup(phase)
        for phase in Phase.objects.filter(project=project).order_by("order", "id")
    }
    unphased = PhaseGroup(None)
    for milestone in milestones:
        groups.get(milestone.phase_id, unphased).milestones.append(milestone)
    phases = list(groups.values()) + ([unphased] if unphased.milestones else [])
    latest_update = StatusUpdate.objects.filter(project=project).select_related("author").first()
    return ProjectDetail(
        project=project,
        today=today,
        phases=phases,
        milestones=milestones,
        latest_update=latest_update,
        # The feed shows the name recorded with each event, not the user behind it.
        activity=list(
            ActivityEvent.objects.filter(project=project).order_by("-created_at", "-id")[
                :activity_limit
            ]
        ),
        figures=project_figures(milestones=milestones, latest_update=latest_update),
    )
