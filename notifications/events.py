"""Activity events → in-app notifications for the people concerned, and webhook deliveries.

Runs in a task after the event's transaction committed. Safe to run twice for the same
event: notifications are keyed by (recipient, event) and deliveries by (endpoint, event),
both inserted with conflicts ignored, and the event is marked processed in the same
transaction.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from deliverables.models import Deliverable
from notifications.links import page_path
from notifications.models import Follow, Kind, Notification, ProcessedEvent, WebhookDelivery
from notifications.webhooks.payloads import deliveries_for
from projects.models import ActivityEvent, Membership, Milestone, Project

EVENT_KINDS = {
    "milestone.completed": Kind.MILESTONE_COMPLETED,
    "milestone.rescheduled": Kind.MILESTONE_RESCHEDULED,
    "deliverable.submitted": Kind.DELIVERABLE_SUBMITTED,
    "deliverable.approved": Kind.DELIVERABLE_APPROVED,
    "deliverable.changes_requested": Kind.DELIVERABLE_CHANGES_REQUESTED,
    "deliverable.version_uploaded": Kind.DELIVERABLE_VERSION_UPLOADED,
    "proof_comment.posted": Kind.PROOF_COMMENT_POSTED,
    "status_update.posted": Kind.STATUS_UPDATE_POSTED,
}

TITLES = {
    Kind.MILESTONE_COMPLETED: "{actor} completed “{target}”",
    Kind.MILESTONE_AT_RISK: "“{target}” is at risk: {actor} marked it blocked",
    Kind.MILESTONE_RESCHEDULED: "{actor} moved “{target}” from {before} to {after}",
    Kind.DELIVERABLE_SUBMITTED: "{actor} submitted “{target}” for review",
    Kind.DELIVERABLE_APPROVED: "{actor} approved “{target}”",
    Kind.DELIVERABLE_CHANGES_REQUESTED: "{actor} asked for changes to “{target}”",
    Kind.DELIVERABLE_VERSION_UPLOADED: "{actor} uploaded a new version of “{target}”",
    Kind.PROOF_COMMENT_POSTED: "{actor} commented on “{target}”",
    Kind.STATUS_UPDATE_POSTED: "{actor} posted a status update on {target}: {health}",
}


def kind_of(event: ActivityEvent) -> str | None:
    """The notification an event makes, if any; blocking a milestone puts it at risk."""
    if event.verb == "milestone.status_changed":
        status = event.changes.get("status", [None, None])[1]
        return Kind.MILESTONE_AT_RISK if status == Milestone.Status.BLOCKED else None
    return EVENT_KINDS.get(event.verb)


@dataclass
class Concerned:
    """Who an event concerns: owners along the way up to the project, and followers."""

    model: str
    owner_ids: set[int]
    project_id: int
    milestone_id: int | None = None


def concerned_by(event: ActivityEvent) -> Concerned | None:
    """None when the target is gone or is not something people follow."""
    model = event.target_type.model
    if model == "milestone":
        row = (
            Milestone.objects.filter(pk=event.target_id)
            .values("owner_id", "project_id", "project__owner_id")
            .first()
        )
        return row and Concerned(
            model, {row["owner_id"], row["project__owner_id"]}, row["project_id"], event.target_id
        )
    if model == "deliverable":
        row = (
            Deliverable.objects.filter(pk=event.target_id)
            .values(
                "owner_id",
                "milestone_id",
                "milestone__owner_id",
                "milestone__project_id",
                "milestone__project__owner_id",
            )
            .first()
        )
        if row is None:
            return None
        owners = {row["owner_id"], row["milestone__owner_id"], row["milestone__project__owner_id"]}
        return Concerned(model, owners, row["milestone__project_id"], row["milestone_id"])
    if model == "project":
        row = Project.objects.filter(pk=event.target_id).values("owner_id").first()
        return row and Concerned(model, {row["owner_id"]}, event.target_id)
    return None


def recipients_of(event: ActivityEvent, concerned: Concerned) -> set[int]:
    """Owners and followers who are still members of the workspace, except the actor; and
    for a comment on a proof, the person who uploaded that version."""
    followed = Q(project_id=concerned.project_id)
    if concerned.milestone_id:
        followed |= Q(milestone_id=concerned.milestone_id)
    people = concerned.owner_ids | set(
        Follow.objects.filter(followed).values_list("user_id", flat=True)
    )
    people.add(event.data.get("uploaded_by"))
    people.discard(None)
    people.discard(event.actor_id)
    return set(
        Membership.objects.filter(workspace_id=event.workspace_id, user_id__in=people).values_list(
            "user_id", flat=True
        )
    )


def title_of(event: ActivityEvent, kind: str) -> str:
    before, after = event.changes.get("due_date", ["", ""])
    actor = event.actor_name or "Someone"
    if event.data.get("external"):
        actor = f"{actor} (client, through a share link)"
    health = str(event.data.get("health", "")).replace("_", " ")
    title = TITLES[kind].format(
        actor=actor, target=event.target_repr, before=before, after=after, health=health
    )
    # Reviews and comments are about one version of the deliverable: say which.
    if event.data.get("version"):
        title += f" (v{event.data['version']})"
    return title


def notifications_for(event: ActivityEvent) -> list[Notification]:
    kind = kind_of(event)
    concerned = concerned_by(event) if kind else None
    if concerned is None:
        return []
    data = {"verb": event.verb, "changes": event.changes}
    for key in ("note", "version", "round", "decision", "comment"):
        if event.data.get(key):
            data[key] = event.data[key]
    return [
        Notification(
            recipient_id=user_id,
            kind=kind,
            key=f"event:{event.pk}",
            workspace_id=event.workspace_id,
            event=event,
            subject_model=concerned.model,
            subject_id=event.target_id,
            title=title_of(event, kind)[:255],
            body=event.data.get("note", "") or event.data.get("reason", ""),
            url=page_path(concerned.model, event.target_id, milestone_id=concerned.milestone_id),
            data=data,
        )
        for user_id in sorted(recipients_of(event, concerned))
    ]


@dataclass
class Processed:
    """What a run made: the events it processed and how many rows it wrote for them."""

    event_ids: list[int]
    notifications: int
    deliveries: int


def process_events(event_ids: list[int]) -> Processed:
    """Turn events not yet processed into notifications and webhook deliveries; returns
    what was made now (nothing when another run got there first)."""
    with transaction.atomic():
        events = list(
            ActivityEvent.objects.filter(pk__in=event_ids)
            .exclude(pk__in=ProcessedEvent.objects.values("event_id"))
            .select_related("target_type")
            .order_by("id")
        )
        notifications = [note for event in events for note in notifications_for(event)]
        Notification.objects.bulk_create(notifications, ignore_conflicts=True)
        deliveries = deliveries_for(events)
        WebhookDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        ProcessedEvent.objects.bulk_create(
            [ProcessedEvent(event=event) for event in events], ignore_conflicts=True
        )
    return Processed([event.pk for event in events], len(notifications), len(deliveries))
