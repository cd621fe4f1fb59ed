"""Reads for pages and reports: each returns data already annotated and prefetched for the
page that shows it, in a number of queries that does not grow with the rows."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.http import Http404

from deliverables.models import Deliverable

from .models import ActivityEvent, Milestone, Phase, Project, StatusUpdate, Workspace
from .querysets import milestone_at_risk

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


def annotated_projects(*, user, today: date) -> QuerySet:
    """Projects the user may see, with progress, health, next milestone and latest update."""
    latest = StatusUpdate.objects.filter(project=OuterRef("pk")).order_by("-created_at", "-id")
    return (
        Project.objects.visible_to(user)
        .select_related("client", "owner", "workspace")
        .with_overview(today=today)
        .annotate(
            latest_update_summary=Subquery(latest.values("summary")[:1]),
            latest_update_at=Subquery(latest.values("created_at")[:1]),
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
    projects = annotated_projects(user=user, today=today).filter(workspace=workspace)
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

    milestones = Milestone.objects.visible_to(user).filter(project__workspace=workspace).open()
    milestone_counts = milestones.aggregate(
        due_next_7_days=Count(
            "pk", filter=Q(due_date__gte=today, due_date__lte=today + timedelta(days=7))
        ),
        overdue=Count("pk", filter=Q(due_date__lt=today)),
        at_risk=Count(
            "pk",
            filter=milestone_at_risk(
                today=today, warning_window=Value(workspace.warning_window_days)
            ),
        ),
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
        **milestone_counts,
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


def project_detail(
    *, user, project_id: int, today: date | None = None, activity_limit: int = 20
) -> ProjectDetail:
    """Everything the project page shows; raises Http404 outside the user's workspaces."""
    scoped = (
        Project.objects.visible_to(user)
        .filter(pk=project_id)
        .select_related("workspace")
        .only("workspace")
        .first()
    )
    if scoped is None:
        raise Http404("No such project.")
    today = today or scoped.workspace.today()
    project = annotated_projects(user=user, today=today).get(pk=project_id)
    deliverables = Deliverable.objects.select_related("owner").order_by("due_date", "id")
    milestones = list(
        Milestone.objects.filter(project=project)
        .with_derived(today=today)
        .with_dependency_ids()
        .select_related("owner", "phase")
        .prefetch_related(Prefetch("deliverables", queryset=deliverables))
        .order_by("due_date", "id")
    )
    groups = {
        phase.pk: PhaseGroup(phase)
        for phase in Phase.objects.filter(project=project).order_by("order", "id")
    }
    unphased = PhaseGroup(None)
    for milestone in milestones:
        groups.get(milestone.phase_id, unphased).milestones.append(milestone)
    phases = list(groups.values()) + ([unphased] if unphased.milestones else [])
    return ProjectDetail(
        project=project,
        today=today,
        phases=phases,
        milestones=milestones,
        latest_update=StatusUpdate.objects.filter(project=project).select_related("author").first(),
        activity=list(
            ActivityEvent.objects.filter(project=project)
            .select_related("actor")
            .order_by("-created_at", "-id")[:activity_limit]
        ),
    )
