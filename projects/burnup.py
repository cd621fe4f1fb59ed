"""The burn-up series of a project — scope and completed milestones per day — replayed from
the activity log, so the chart shows the history as it happened, not today's state."""

import zoneinfo
from dataclasses import dataclass
from datetime import date

from .charts import BurnupPoint
from .models import ActivityEvent, Project

SCOPE_VERBS = (
    "milestone.created",
    "milestone.deleted",
    "milestone.status_changed",
    "milestone.completed",
    "milestone.reopened",
)
CANCELLED = "cancelled"


@dataclass(frozen=True)
class MilestoneEvent:
    day: date
    verb: str
    target_id: int
    status_after: str = ""


def replay(events: list[MilestoneEvent]) -> list[BurnupPoint]:
    """Fold events (oldest first) into one point per day that changed something.

    Cancelled milestones leave the scope; a deleted milestone leaves both the scope and,
    when it was done, the completed count."""
    states: dict[int, str] = {}
    points: dict[date, BurnupPoint] = {}
    for event in events:
        if event.verb == "milestone.created":
            states[event.target_id] = "open"
        elif event.verb == "milestone.deleted":
            states.pop(event.target_id, None)
        elif event.verb == "milestone.completed":
            states[event.target_id] = "done"
        else:
            states[event.target_id] = CANCELLED if event.status_after == CANCELLED else "open"
        scope = sum(1 for state in states.values() if state != CANCELLED)
        done = sum(1 for state in states.values() if state == "done")
        points[event.day] = BurnupPoint(event.day, scope, done)
    return list(points.values())


def burnup_series(*, project: Project, today: date) -> list[BurnupPoint]:
    """The project's burn-up points up to today, in one query. Deletions are logged against
    the project with the milestone's id in `data`, so they are matched by that id."""
    zone = zoneinfo.ZoneInfo(project.workspace.timezone)
    rows = (
        ActivityEvent.objects.filter(project=project, verb__in=SCOPE_VERBS)
        .order_by("created_at", "id")
        .values_list("verb", "target_id", "changes", "data", "created_at")
    )
    events = [
        MilestoneEvent(
            day=created_at.astimezone(zone).date(),
            verb=verb,
            target_id=data.get("milestone_id", target_id)
            if verb == "milestone.deleted"
            else target_id,
            status_after=(changes.get("status") or ["", ""])[1],
        )
        for verb, target_id, changes, data, created_at in rows
    ]
    points = replay(events)
    if points and points[-1].day < today:
        points.append(BurnupPoint(today, points[-1].scope, points[-1].done))
    return points
