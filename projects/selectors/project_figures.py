"""The project page's headline figures (progress, health, overdue count, next milestone),
counted from the milestones and deliverables the page loads anyway.

The portfolio computes the same figures in SQL for many projects at once
(`ProjectQuerySet.with_overview`). For the one project whose rows are already in memory,
building, compiling and running those dozen correlated subqueries cost about 20 ms a page;
counting the rows costs well under one. tests/projects/selectors/test_project_figures.py holds both
to the same results."""

from dataclasses import dataclass

from projects.models import Milestone, StatusUpdate
from projects.statuses import DELIVERABLE_DONE_STATUSES, MILESTONE_CLOSED_STATUSES


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


def project_figures(
    *, milestones: list[Milestone], latest_update: StatusUpdate | None
) -> ProjectFigures:
    """`milestones`: all of the project's, earliest due first, with `health` annotated
    (`MilestoneQuerySet.with_health`) and their deliverables in `deliverable_list`.

    Cancelled milestones and their deliverables leave the scope. The health is the latest
    status update's, else the worst open milestone's."""
    in_scope = [m for m in milestones if m.status != Milestone.Status.CANCELLED]
    statuses = [d.status for m in in_scope for d in m.deliverable_list]
    healths = {m.health for m in milestones}
    worst = next((h for h in ("off_track", "at_risk") if h in healths), "on_track")
    return ProjectFigures(
        milestones_total=len(in_scope),
        milestones_completed=sum(m.status == Milestone.Status.COMPLETED for m in in_scope),
        deliverables_total=len(statuses),
        deliverables_done=sum(status in DELIVERABLE_DONE_STATUSES for status in statuses),
        # An open milestone is off track exactly when it is overdue.
        overdue_count=sum(m.health == "off_track" for m in milestones),
        health=latest_update.health if latest_update else worst,
        next_milestone=next(
            (m for m in milestones if m.status not in MILESTONE_CLOSED_STATUSES), None
        ),
    )
