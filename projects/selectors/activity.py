"""Reading the audit log for people: one-line descriptions of events, runs of one person's
consecutive events (the activity feeds), and who last changed a row (for the conflict
message when an inline change arrives stale)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models

from projects.models import ActivityEvent

VERB_PHRASES = {
    "project.created": "created the project",
    "project.updated": "edited the project",
    "phase.created": "added phase",
    "phase.updated": "edited phase",
    "phase.deleted": "removed a phase",
    "milestone.created": "added milestone",
    "milestone.updated": "edited milestone",
    "milestone.status_changed": "changed the status of",
    "milestone.completed": "completed",
    "milestone.reopened": "reopened",
    "milestone.rescheduled": "rescheduled",
    "milestone.rebaselined": "re-baselined",
    "milestone.deleted": "deleted a milestone",
    "deliverable.created": "added deliverable",
    "deliverable.updated": "edited deliverable",
    "deliverable.started": "started",
    "deliverable.submitted": "submitted for review",
    "deliverable.approved": "approved",
    "deliverable.changes_requested": "requested changes on",
    "deliverable.delivered": "delivered",
    "deliverable.deleted": "deleted a deliverable from",
    "checklist_item.added": "added a checklist item to",
    "checklist_item.checked": "ticked a checklist item on",
    "checklist_item.unchecked": "unticked a checklist item on",
    "checklist_item.removed": "removed a checklist item from",
    "status_update.posted": "posted a status update on",
    "comment.posted": "commented on",
}


def describe(event: ActivityEvent) -> str:
    """“rescheduled”, “approved”… — the verb in words; unknown verbs read as they are."""
    return VERB_PHRASES.get(event.verb, event.verb.replace(".", " ").replace("_", " "))


def last_change(target: models.Model) -> ActivityEvent | None:
    """The most recent audit event about `target`."""
    return (
        ActivityEvent.objects.filter(
            target_type=ContentType.objects.get_for_model(target), target_id=target.pk
        )
        .order_by("-created_at", "-id")
        .first()
    )


# Events of one person further apart than this start a new run in the feeds.
RUN_GAP = timedelta(hours=1)


@dataclass
class ActivityLine:
    """An event of a run, standing for `times` identical ones in a row (the same change to
    the same row, e.g. three edits of one milestone)."""

    event: ActivityEvent
    times: int = 1


@dataclass
class ActivityRun:
    """Consecutive events of one person, newest first, shown under their name once."""

    actor_id: int | None
    actor_name: str
    lines: list[ActivityLine] = field(default_factory=list)

    @property
    def latest(self) -> datetime:
        return self.lines[0].event.created_at

    @property
    def earliest(self) -> datetime:
        return self.lines[-1].event.created_at

    @property
    def size(self) -> int:
        return sum(line.times for line in self.lines)


def activity_runs(events: list[ActivityEvent]) -> list[ActivityRun]:
    """`events` (newest first) as runs: an event joins the run before it when the same
    person acted (the same account, or the same name for people without one) less than
    RUN_GAP later, and repeats its previous line when it is the same verb on the same row
    with nothing to tell apart (no reason or note of its own)."""
    runs: list[ActivityRun] = []
    for event in events:
        run = runs[-1] if runs else None
        if (
            run is None
            or (run.actor_id, run.actor_name) != (event.actor_id, event.actor_name)
            or run.earliest - event.created_at > RUN_GAP
        ):
            run = ActivityRun(actor_id=event.actor_id, actor_name=event.actor_name)
            runs.append(run)
        last = run.lines[-1] if run.lines else None
        if last is not None and repeats(last.event, event):
            last.times += 1
        else:
            run.lines.append(ActivityLine(event))
    return runs


def repeats(shown: ActivityEvent, event: ActivityEvent) -> bool:
    """Whether `event` reads the same as `shown` in a feed: same verb, same row, and no
    details (a reason, a note, a version) that the feed shows."""
    return (
        (shown.verb, shown.target_type_id, shown.target_id)
        == (event.verb, event.target_type_id, event.target_id)
        and not shown.data
        and not event.data
    )
