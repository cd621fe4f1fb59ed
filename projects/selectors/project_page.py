"""The project page's read: the project detail plus its timeline, burn-up and budget use."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404

from deliverables.models import Deliverable
from milestones_site.querysets.expressions import DaysBetween
from milestones_site.querysets.names import person_name
from projects.models import ActivityEvent, Milestone, Phase, Project, StatusUpdate
from projects.selectors.burnup import burnup_series
from projects.selectors.charts import (
    BurnupChart,
    MilestoneMark,
    PhaseSpan,
    Timeline,
    burnup,
    timeline,
)
from projects.selectors.project_figures import ProjectFigures, project_figures


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


@dataclass
class ProjectPage:
    detail: ProjectDetail
    timeline: Timeline
    burnup: BurnupChart | None
    budget_used_percent: int

    @property
    def project(self):
        return self.detail.project


def budget_used_percent(planned, spent) -> int:
    """Spent as a whole percentage of planned (0 when nothing is planned)."""
    return round(spent * 100 / planned) if planned else 0


def project_timeline(detail: ProjectDetail) -> Timeline:
    phases = [
        PhaseSpan(group.phase.pk, group.phase.name, group.phase.start_date, group.phase.end_date)
        for group in detail.phases
        if group.phase is not None
    ]
    marks = [
        MilestoneMark(
            id=m.pk,
            title=m.title,
            phase_id=m.phase_id,
            due=m.due_date,
            baseline=m.baseline_due_date,
            health=m.health,
            depends_on=tuple(m.depends_on_ids),
        )
        for m in detail.milestones
    ]
    project = detail.project
    return timeline(
        phases=phases,
        milestones=marks,
        today=detail.today,
        start=project.start_date,
        end=project.target_date,
    )


def project_page(*, user, project_id: int, today: date | None = None) -> ProjectPage:
    """Http404 outside the user's workspaces (from project_detail)."""
    detail = project_detail(user=user, project_id=project_id, today=today)
    project = detail.project
    return ProjectPage(
        detail=detail,
        timeline=project_timeline(detail),
        burnup=burnup(
            points=burnup_series(project=project, today=detail.today),
            today=detail.today,
            start=project.start_date,
            end=project.target_date,
        ),
        budget_used_percent=budget_used_percent(project.budget_planned, project.budget_spent),
    )
