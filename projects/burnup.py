"""The burn-up series of a project — scope and completed milestones per day — replayed from
the activity log, so the chart shows the history as it happened, not today's state."""

import zoneinfo
from dataclasses import dataclass
from datetime import date

from django.db.models.fields.json import KT
from django.db.models.functions import TruncDate

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


def state_after(event: MilestoneEvent) -> str | None:
    """The milestone's state once the event happened: open, done, cancelled, None (deleted)."""
    if event.verb == "milestone.created":
        return "open"
    if event.verb == "milestone.deleted":
        return None
    if event.verb == "milestone.completed":
        return "done"
    return CANCELLED if event.status_after == CANCELLED else "open"


def in_scope(state: str | None) -> bool:
    return state is not None and state != CANCELLED


def replay(events: list[MilestoneEvent]) -> list[BurnupPoint]:
    """Fold events (oldest first) into one point per day that changed something.

    Cancelled milestones leave the scope; a deleted milestone leaves both the scope and,
    when it was done, the completed count. The counts move with each event rather than
    being recounted over every milestone, so a long log replays in linear time."""
    states: dict[int, str] = {}
    points: dict[date, BurnupPoint] = {}
    scope = done = 0
    for event in events:
        before = states.pop(event.target_id, None)
        after = state_after(event)
        if after is not None:
            states[event.target_id] = after
        scope += in_scope(after) - in_scope(before)
        done += (after == "done") - (before == "done")
        points[event.day] = BurnupPoint(event.day, scope, done)
    return list(points.values())


def burnup_series(*, project: Project, today: date) -> list[BurnupPoint]:
    """The project's burn-up points up to today, in one query. Deletions are logged against
    the project with the milestone's id in `data`, so they are matched by that id.

    The log only grows, so the database picks out the two values read from its JSON and
    the day in the workspace's time zone, rather than Python decoding every row."""
    zone = zoneinfo.ZoneInfo(project.workspace.timezone)
    rows = (
        ActivityEvent.objects.filter(project=project, verb__in=SCOPE_VERBS)
        .order_by("created_at", "id")
        .values_list(
            TruncDate("created_at", tzinfo=zone),
            "verb",
            "target_id",
            KT("data__milestone_id"),
            KT("changes__status__1"),  # changes hold [before, after]
        )
    )
    events = [
        MilestoneEvent(
            day=day,
            verb=verb,
            target_id=int(deleted_id)
            if verb == "milestone.deleted" and deleted_id is not None
            else target_id,
            status_after=status_after or "",
        )
        for day, verb, target_id, deleted_id, status_after in rows
    ]
    points = replay(events)
    if points and points[-1].day < today:
        points.append(BurnupPoint(today, points[-1].scope, points[-1].done))
    return points
