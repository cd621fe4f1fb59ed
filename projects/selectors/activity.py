"""Reading the audit log for people: one-line descriptions of events, and who last changed
a row (for the conflict message when an inline change arrives stale)."""

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
