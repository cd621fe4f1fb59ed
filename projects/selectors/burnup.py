"""The burn-up series of a project — scope and completed milestones per day — replayed from
the activity log, so the chart shows the history as it happened, not today's state."""

import zoneinfo
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, F, PositiveBigIntegerField, When, Window
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, RowNumber, TruncDate

from projects.models import ActivityEvent, Project
from projects.selectors.charts import BurnupPoint

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


def state_after(event: MilestoneEvent, before: str | None) -> str | None:
    """The milestone's state once the event happened: open, done, cancelled, None (deleted).

    A creation can only be a milestone's first event; one logged after others (a history
    whose timestamps were written out of order, as an import or a backdated seed leaves)
    says nothing new, so it keeps the state those events left rather than reopening it."""
    if event.verb == "milestone.created":
        return before or "open"
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
        after = state_after(event, before)
        if after is not None:
            states[event.target_id] = after
        scope += in_scope(after) - in_scope(before)
        done += (after == "done") - (before == "done")
        points[event.day] = BurnupPoint(event.day, scope, done)
    return list(points.values())


def burnup_series(*, project: Project, today: date) -> list[BurnupPoint]:
    """The project's burn-up points up to today, in one query. Deletions are logged against
    the project with the milestone's id in `data`, so they are matched by that id.

    A day's point depends only on the state each milestone was left in that day, and that
    state only on the day's last event about it (`state_after`). So the database returns
    that last event per milestone and day, rather than the whole log, which only grows
    (a milestone whose status is toggled all day would otherwise send every toggle); a
    creation counts as the day's first event whatever its time, for the reason `state_after`
    gives. It
    also picks out the values read from the events' JSON and the day in the workspace's
    time zone, rather than Python decoding every row."""
    zone = zoneinfo.ZoneInfo(project.workspace.timezone)
    deleted_id = Cast(KT("data__milestone_id"), PositiveBigIntegerField())
    rows = (
        ActivityEvent.objects.filter(project=project, verb__in=SCOPE_VERBS)
        .annotate(
            day=TruncDate("created_at", tzinfo=zone),
            milestone_id=Coalesce(
                Case(When(verb="milestone.deleted", then=deleted_id)), F("target_id")
            ),
            newest_first=Window(
                RowNumber(),
                partition_by=[F("day"), F("milestone_id")],
                order_by=[
                    Case(When(verb="milestone.created", then=0), default=1).desc(),
                    F("created_at").desc(),
                    F("id").desc(),
                ],
            ),
        )
        .filter(newest_first=1)
        .order_by("created_at", "id")
        .values_list(
            "day",
            "verb",
            "milestone_id",
            KT("changes__status__1"),  # changes hold [before, after]
        )
    )
    points = replay(
        [
            MilestoneEvent(day, verb, milestone_id, status_after or "")
            for day, verb, milestone_id, status_after in rows
        ]
    )
    if points and points[-1].day < today:
        points.append(BurnupPoint(today, points[-1].scope, points[-1].done))
    return points
