"""The project page's read: the project detail plus its timeline, burn-up and budget use."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.http import Http404

from deliverables.models import Deliverable
from milestones_site.querysets.names import person_names
from projects.models import ActivityEvent, Milestone, Phase, Project, StatusUpdate
from projects.rollups import MILESTONE_ROLLUPS
from projects.selectors.activity import ActivityRun, activity_runs
from projects.selectors.burnup import burnup_series
from projects.selectors.charts import (
    BurnupChart,
    MilestoneMark,
    PhaseSpan,
    Timeline,
    burnup,
    timeline,
)
from projects.selectors.project_figures import ProjectFigures
from projects.selectors.resources import dependency_ids


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
    activity: list[ActivityRun]
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


def project_page_milestones(project: Project, today: date) -> list[Milestone]:
    """The project page's milestones as of `today`, earliest due first, with their health
    and slip (`with_derived`), the ids they depend on (`depends_on_ids`), their owners'
    names (`owner_name`) and their deliverables (`deliverable_list`, with `owner_name`):
    four queries whatever their number."""
    deliverables = Deliverable.objects.only(*PAGE_DELIVERABLE_FIELDS, "owner_id").order_by(
        "due_date", "id"
    )
    milestones = list(
        Milestone.objects.filter(project=project)
        .only(*PAGE_MILESTONE_FIELDS, "owner_id", *MILESTONE_ROLLUPS)
        .with_derived(today=today)
        .prefetch_related(
            Prefetch("deliverables", queryset=deliverables, to_attr="deliverable_list")
        )
        .order_by("due_date", "id")
    )
    waits = dependency_ids([m.pk for m in milestones])
    names = person_names(
        [m.owner_id for m in milestones]
        + [d.owner_id for m in milestones for d in m.deliverable_list]
    )
    for milestone in milestones:
        milestone.depends_on_ids = waits.get(milestone.pk, [])
        milestone.owner_name = names.get(milestone.owner_id)
        for deliverable in milestone.deliverable_list:
            deliverable.owner_name = names.get(deliverable.owner_id)
    return milestones


def project_detail(
    *, user, project_id: int, today: date | None = None, activity_limit: int = 20
) -> ProjectDetail:
    """Everything the project page shows; raises Http404 outside the user's workspaces.

    Owners come as names (`owner_name`), not as users: the page shows nothing else of them."""
    visible = Project.objects.visible_to(user).select_related("client", "owner", "workspace")
    try:
        workspace_today = today or visible.get(pk=project_id).workspace.today()
    except Project.DoesNotExist:
        raise Http404("No such project.") from None
    project = visible.with_overview(today=workspace_today).get(pk=project_id)
    today = workspace_today
    milestones = project_page_milestones(project, today)
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
        activity=activity_runs(
            list(
                ActivityEvent.objects.filter(project=project).order_by("-created_at", "-id")[
                    :activity_limit
                ]
            )
        ),
        figures=ProjectFigures.of(
            project, overdue_count=sum(m.health == "off_track" for m in milestones)
        ),
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
