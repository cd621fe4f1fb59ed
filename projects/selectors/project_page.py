"""The project page's read: the project detail plus its timeline, burn-up and budget use."""

from dataclasses import dataclass
from datetime import date

from projects.selectors.burnup import burnup_series
from projects.selectors.charts import (
    BurnupChart,
    MilestoneMark,
    PhaseSpan,
    Timeline,
    burnup,
    timeline,
)
from projects.selectors.portfolio import ProjectDetail, project_detail


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
