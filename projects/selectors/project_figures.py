"""The headline figures of a project (progress, health, overdue count, next milestone),
from its stored roll-ups (projects.rollups): the project page and the share page show them,
and the portfolio's rows carry the same values (tests/projects/selectors/
test_project_figures.py holds them to the same results)."""

from dataclasses import dataclass

from projects.models import Milestone, Project


def percent(part: int, whole: int) -> int:
    """Whole percent rounded down, as the SQL's integer division does (0 of nothing)."""
    return part * 100 // whole if whole else 0


@dataclass(frozen=True)
class ProjectFigures:
    milestones_total: int
    milestones_completed: int
    deliverables_total: int
    deliverables_done: int
    overdue_count: int
    health: str
    next_milestone: Milestone | None

    @property
    def milestone_progress(self) -> int:
        return percent(self.milestones_completed, self.milestones_total)

    @property
    def deliverable_progress(self) -> int:
        return percent(self.deliverables_done, self.deliverables_total)

    @classmethod
    def of(cls, project: Project, *, overdue_count: int) -> "ProjectFigures":
        """`project` comes `with_overview` (its health for today annotated). Cancelled
        milestones and their deliverables leave the scope."""
        return cls(
            milestones_total=project.milestones_total - project.milestones_cancelled,
            milestones_completed=project.milestones_completed,
            deliverables_total=project.deliverables_in_scope,
            deliverables_done=project.deliverables_done,
            overdue_count=overdue_count,
            health=project.health,
            next_milestone=project.next_milestone,
        )
